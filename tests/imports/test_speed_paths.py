"""The import's shortcuts give what the long way gives: the search text and sort key the
reading process folds for a person's first row, the rows loaded below SQLAlchemy, and the
blocks of ids a bulk load takes from PostgreSQL's sequences."""

from __future__ import annotations

from datetime import date

from hypothesis import given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select

from app.extensions import db as _db
from app.imports import lookup
from app.imports.parsing.batches import created_texts
from app.imports.parsing.rows import NormalisedRow
from app.imports.people import DENORMALISED, Person
from app.models import AudienceSnapshot, Influencer, SocialAccount
from tests.factories import make_influencer, make_user

_WORDS = st.one_of(st.none(), st.just(""), st.text(max_size=12),
                   st.sampled_from(["Œuvre Édith", "ÆSIR", "d’Ormesson", "Łukasz", "İstanbul",
                                    "  Le  Louvre ", "ﬁne", "Ａ"]))
_ACCOUNT = st.fixed_dictionaries({
    "platform": st.sampled_from(["instagram", "tiktok", "blog"]),
    "handle": st.sampled_from(["lea", "Léa_2", "ÉDITH", "x"])})
_SEARCH, _SORT = DENORMALISED.index("search_text"), DENORMALISED.index("sort_name")


@settings(max_examples=300, deadline=None)
@given(name=_WORDS, legal=_WORDS, email=_WORDS, accounts=st.lists(_ACCOUNT, max_size=4))
def test_texts_folded_while_reading_are_those_the_writer_computes(name, legal, email,
                                                                   accounts):
    """Names with accents and ligatures, blanks, no name (named after its first handle),
    one account named twice in a row: the texts are the writer's own."""
    person = {k: v for k, v in (("display_name", name), ("legal_name", legal),
                                ("email", email)) if v is not None}
    row = NormalisedRow(7, person, [dict(a) for a in accounts], [])
    row.texts = created_texts(row)
    created = Person.create(row, date(2026, 1, 1))
    assert created.texts == row.texts
    created.texts = None  # the long way
    values = created.denormalised_values()
    assert row.texts == (values[_SEARCH], values[_SORT])


def test_a_merged_row_drops_the_folded_texts():
    first = NormalisedRow(2, {"display_name": "Léa"}, [{"platform": "instagram",
                                                       "handle": "lea"}], [])
    first.texts = created_texts(first)
    person = Person.create(first, date(2026, 1, 1))
    later = NormalisedRow(3, {"legal_name": "Léa Dupont"}, [], [], same_as=2)
    assert person.merge(later, date(2026, 1, 1))
    assert person.texts is None
    assert person.denormalised()["search_text"] == "lea lea dupont lea"


def test_people_loaded_below_sqlalchemy_have_the_types_of_the_orm(db):
    """Dates come back as dates on SQLite too; the latest snapshot and its shares."""
    influencer = make_influencer(
        accounts=[{"platform": "instagram", "handle": "lea", "followers": 1200,
                   "engagement_rate": 3.5, "figures_on": date(2026, 3, 4)}],
        display_name="Léa", date_of_birth=date(1990, 5, 6), email="lea@exemple.fr")
    account = influencer.accounts[0]
    _db.session.add(AudienceSnapshot(account_id=account.id, influencer_id=influencer.id,
                                     taken_on=date(2026, 3, 4), is_latest=True))
    _db.session.commit()
    people = lookup.load_people({influencer.id})
    person = people[influencer.id]
    assert person.values["date_of_birth"] == date(1990, 5, 6)
    assert person.values["email"] == "lea@exemple.fr"
    loaded = person.accounts[("instagram", "lea")]
    assert loaded["figures_on"] == date(2026, 3, 4)
    assert loaded["followers"] == 1200 and loaded["engagement_rate"] == 3.5
    assert person.latest[("instagram", "lea")][0] == date(2026, 3, 4)
    assert person.stored["search_text"] == influencer.search_text


def test_ids_taken_in_blocks_leave_the_sequences_ahead(db, app, monkeypatch, import_csv,
                                                      people_csv):
    """After a bulk load (ids taken as one block per batch on PostgreSQL), the ORM's next
    influencer and account get new ids: the sequences were moved past the block."""
    user = make_user("admin")
    monkeypatch.setitem(app.config, "RELAIS_IMPORT_BULK_ROWS", 1)
    _imp, report = import_csv(people_csv(80), user)
    assert report["created"] > 40
    top_person = _db.session.scalar(select(func.max(Influencer.id)))
    top_account = _db.session.scalar(select(func.max(SocialAccount.id)))
    added = make_influencer(accounts=[{"platform": "instagram", "handle": "new_one"}])
    assert added.id > top_person
    assert added.accounts[0].id > top_account
