"""French sort keys and accent folding (app/collation.py): the keys against a reference
French collation (PostgreSQL's ICU "fr-x-icu"), and what the stored keys sort like."""

from __future__ import annotations

import unicodedata

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import column, select, text, values

from app.collation import (
    SORT_KEY_LENGTH,
    SPELLED_OUT,
    fold,
    search_text,
    search_text_and_sort_key,
    sort_key,
)
from app.extensions import db as _db
from app.models import Brand, Campaign, Influencer, User
from tests.factories import make_brand, make_campaign, make_influencer, make_user

LETTERS = "abcdeéèêëfghiîïjklmnoôöpqrstuùûüvwxyzàâäçœæ"
WORD = st.text(alphabet=LETTERS + LETTERS.upper(), min_size=1, max_size=8)
# Words joined by one space or one hyphen: what names are made of.
NAME = st.builds(lambda first, rest: first + "".join(sep + word for sep, word in rest),
                 WORD, st.lists(st.tuples(st.sampled_from([" ", "-"]), WORD), max_size=2))


@pytest.mark.parametrize(("name", "key"), [
    ("Édith Piaf", "edith piaf"),
    ("ŒUVRE  d’Ormesson ", "oeuvre d'ormesson"),
    ("Lætitia", "laetitia"),
    ("Le Louvre", "le louvre"),  # articles are kept
    ("Straße", "strasse"),
    ("", ""),
    (None, ""),
])
def test_sort_key(name, key):
    assert sort_key(name) == key


def test_fold_and_search_text():
    assert fold("Musée d'Orsay") == fold("MUSEE D'ORSAY") == "musee d'orsay"
    assert search_text(["Édith", None, "edith@musée.fr", "@zoé.b"]) == \
        "edith edith@musee.fr @zoe.b"


def _fold_by_character(text: str) -> str:
    """fold as it was first written: each character tested in Python."""
    if text.isascii():
        return text.lower()
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    bare = "".join(c for c in decomposed if not unicodedata.combining(c))
    return bare.translate(SPELLED_OUT)


_ANY_TEXT = st.text(st.characters(codec="utf-8"), max_size=12) | NAME | st.sampled_from(
    ["Œuvre Édith", "ÆSIR", "d’Ormesson", "Łukasz", "İstanbul", "ﬁne", "Ａ", "´a", "ΣΑΣ",
     "\u0301e", "a\u0327\u0301", "ǅ", "ﬃ", "Þór", "ḉ"])


@settings(max_examples=500)
@given(st.lists(st.one_of(st.none(), _ANY_TEXT), max_size=5))
def test_the_table_folds_as_the_character_test_did(words):
    """Stored search texts and sort keys were folded character by character: the table
    gives the same text for any Unicode; so does folding each distinct word once."""
    for word in words:
        if word is not None:
            assert fold(word) == _fold_by_character(word)
    assert search_text(words) == " ".join(_fold_by_character(str(w)) for w in words if w)
    assert search_text_and_sort_key(words) == (search_text(words), sort_key(
        words[0] if words else None))


def test_sort_key_fits_its_column():
    assert len(sort_key("œ" * 200)) == SORT_KEY_LENGTH


@settings(max_examples=200)
@given(NAME)
def test_fold_is_stable_and_blind_to_case_and_accents(name):
    key = sort_key(name)
    assert sort_key(key) == key and key.isascii()
    assert sort_key(name.upper()) == key


@settings(max_examples=60, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(NAME, min_size=2, max_size=12))
def test_keys_follow_the_french_collation(db, names):
    """Sorted by ICU's French collation, the keys never go down: the key may only tie
    where French tells names apart by accent or case alone."""
    if _db.engine.dialect.name != "postgresql":
        pytest.skip("the reference collation is PostgreSQL's ICU")
    rows = values(column("name"), name="names").data([(n,) for n in names])
    french = list(_db.session.scalars(select(rows.c.name).order_by(
        text('name COLLATE "fr-x-icu"'))))
    keys = [sort_key(n) for n in french]
    assert keys == sorted(keys), french


def test_keys_are_kept_by_every_write(db):
    """Constructor, later edits, and Core inserts that leave the key out."""
    person = make_influencer(display_name="Émile")
    brand = make_brand(name="Œuvres Été")
    make_user(name="Zoé Ügur")
    campaign = make_campaign(brand=brand, name="Été à l'Orangerie")
    person.display_name, brand.name = "Édith", "Æsop"
    _db.session.commit()
    _db.session.execute(Campaign.__table__.insert().values(
        brand_id=brand.id, name="Île de Ré", objective="awareness", status="draft",
        currency="EUR", version=1))
    stored = {name: key for model, name_column in ((Influencer, Influencer.display_name),
                                                   (Brand, Brand.name), (User, User.name),
                                                   (Campaign, Campaign.name))
              for name, key in _db.session.execute(select(name_column, model.sort_name))}
    assert stored["Édith"] == "edith" and stored["Æsop"] == "aesop"
    assert stored["Zoé Ügur"] == "zoe ugur" and stored[campaign.name] == "ete a l'orangerie"
    assert stored["Île de Ré"] == "ile de re"
