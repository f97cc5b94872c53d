"""French that reads as French: elision where a message meets its value (« d'Édith »),
real plural forms instead of « élément(s) », and participles that agree with the record
they speak of (« Campagne créée », never « Campagne créé »), on the catalogue and on the
pages as a French user sees them."""

from __future__ import annotations

import html
import re
from urllib.parse import urlparse

import pytest
from babel.messages.pofile import read_po
from flask import render_template_string
from flask_babel import force_locale, gettext, lazy_gettext, ngettext
from hypothesis import given
from hypothesis import strategies as st
from sqlalchemy import select

from app.i18n.french import elide, starts_with_vowel
from app.models import Brand, Campaign, Influencer
from tests import factories

CATALOGUE = "app/i18n/fr/LC_MESSAGES/messages.po"
VOWELS = "aeiouyàâäéèêëîïôöùûüAEIOUYÀÂÄÉÈÊËÎÏÔÖÙÛÜ"
# "de Édith", "que il", "le avis": an article or preposition left whole before a vowel.
# A single capital letter standing for something ("que A relaie B") is a symbol, not a word.
UNELIDED = re.compile(rf"(?<![\w'’-])(?:de|que|ne|le|la|jusque|lorsque|puisque) "
                      rf"(?![A-Z]\b)[{VOWELS}]", re.IGNORECASE)
# "élément(s)", "mineur(e)", "établi(e)s": a form that does not choose.
UNDECIDED = re.compile(r"\w\((?:e?s|e|x)\)")
FEMININE = r"(?i:campagne|opération|fiche|marque|importation|note|interaction|étape|relation)"
MASCULINE = (r"(?i:créé|modifié|supprimé|ajouté|restauré|publié|approuvé|archivé|enregistré"
             r"|annulé|validé|envoyé|signé|mis|importé|retiré)")
# "Campagne Exposition créé": a feminine record noun, then a participle that does not agree.
# Between the two, only the record's name or number ("Marque #1", "Campagne Exposition
# Monet") and "a été" / "est".
DISAGREES = re.compile(rf"\b{FEMININE}\b(?:\s+(?:[#«\"0-9A-ZÀ-Ý%]\S*|d'\S+|de|du|des))*"
                       rf"\s+(?:a été\s+|est\s+)?{MASCULINE}(?![\wé])")


def _catalogue_strings() -> list[str]:
    with open(CATALOGUE, "rb") as po:
        catalogue = read_po(po)
    strings = []
    for message in catalogue:
        if message.id:
            translated = message.string
            strings.extend(translated if isinstance(translated, tuple) else [translated])
    return [s for s in strings if s]


def test_no_french_message_hedges_its_plural_or_gender():
    hedged = [s for s in _catalogue_strings() if UNDECIDED.search(s)]
    assert hedged == []


def test_no_french_message_leaves_an_article_whole_before_a_vowel():
    unelided = [s for s in _catalogue_strings() if UNELIDED.search(s)]
    assert unelided == []


def test_no_french_message_puts_a_masculine_participle_after_a_feminine_record():
    assert [s for s in _catalogue_strings() if DISAGREES.search(s)] == []


# --- the elision where a message meets its value --------------------------------------------

@pytest.mark.parametrize(("value", "expected"), [
    ("Édith Piaf", "La fiche d'Édith Piaf a été créée."),
    ("Anaïs", "La fiche d'Anaïs a été créée."),
    ("Yves", "La fiche d'Yves a été créée."),
    ("Marie", "La fiche de Marie a été créée."),
    ("Hugo", "La fiche de Hugo a été créée."),
    ("12 rue Nationale", "La fiche de 12 rue Nationale a été créée."),
])
def test_python_messages_elide_before_a_vowel(app, value, expected):
    with app.test_request_context(), force_locale("fr"):
        assert gettext("%(name)s was added.", name=value) == expected
        assert str(lazy_gettext("%(name)s was added.", name=value)) == expected
    with app.test_request_context(), force_locale("en"):
        assert gettext("%(name)s was added.", name=value) == f"{value} was added."


def test_templates_elide_and_still_escape(app):
    with app.test_request_context(), force_locale("fr"):
        page = render_template_string(
            "{{ _('%(name)s was added.', name=a) }}|"
            "{% trans name=b %}{{ name }} was added.{% endtrans %}|"
            "{{ _('%(name)s was added.', name=c) }}", a="Émile", b="Odile", c="<b>Eve</b>")
    assert page == ("La fiche d'Émile a été créée.|La fiche d'Odile a été créée.|"
                    "La fiche de &lt;b&gt;Eve&lt;/b&gt; a été créée.")


def test_plural_messages_choose_their_form(app):
    start = "This contract cannot be approved yet: %(num)d mandatory "
    singular, plural = start + "item is missing.", start + "items are missing."
    with app.test_request_context(), force_locale("fr"):
        assert ngettext(singular, plural, 1).endswith("1 élément obligatoire manque.")
        assert ngettext(singular, plural, 3).endswith("3 éléments obligatoires manquent.")


@given(word=st.sampled_from(["de", "De", "que", "ne", "la", "le", "jusque"]),
       value=st.text(min_size=0, max_size=12))
def test_elision_changes_only_the_junction(word, value):
    template = f"x {word} %(v)s y"
    result = elide(template, {"v": value}) % {"v": value}
    if starts_with_vowel(value):
        assert result.startswith("x ") and result.endswith(f"'{value} y")
        assert result[2].lower() == word[0].lower()
        assert " " + word + " " not in result
    else:
        assert result == f"x {word} {value} y"


# --- the pages, as a French user reads them -------------------------------------------------

_SKIP = re.compile(r"<script.*?</script>|<style.*?</style>", re.S)


def _texts(body: str) -> list[str]:
    """Each text node of the page, entities decoded, white space folded."""
    body = _SKIP.sub(" ", body)
    return [" ".join(html.unescape(t).split()) for t in re.findall(r">([^<]+)<", body)
            if t.strip()]


def _faults(texts: list[str]) -> list[str]:
    return [t for t in texts
            if UNDECIDED.search(t) or UNELIDED.search(t) or DISAGREES.search(t)]


def _links(body: str) -> list[str]:
    out = []
    for href in re.findall(r'href="(/[^"#]*)"', body):
        path = urlparse(html.unescape(href)).path
        if not path.startswith(("/static", "/vendor", "/logout")):
            out.append(path)
    return out


@pytest.mark.slow
def test_main_pages_read_as_french(runner, client_as, db):
    result = runner.invoke(args=["demo", "seed", "--influencers", "60"])
    assert result.exit_code == 0, result.output
    # Names that start with a vowel, where French elides: « d'Exposition… », « d'Édith ».
    campaign = db.session.scalars(select(Campaign).order_by(Campaign.id)).first()
    campaign.name = "Exposition Impressionnistes"
    person = db.session.scalars(select(Influencer).order_by(Influencer.id)).first()
    person.display_name = "Édith Aubert"
    db.session.scalars(select(Brand).order_by(Brand.id)).first().name = "Atelier Oural"
    db.session.commit()
    client = client_as(factories.make_user("admin", locale="fr"))

    faults: dict[str, list[str]] = {}
    queue, seen, per_shape = ["/", f"/campaigns/{campaign.id}",
                              f"/influencers/{person.id}"], set(), {}
    while queue and len(seen) < 150:
        path = queue.pop(0)
        shape = re.sub(r"\d+", "N", path)
        if path in seen or per_shape.get(shape, 0) >= 2:
            continue
        seen.add(path)
        per_shape[shape] = per_shape.get(shape, 0) + 1
        response = client.get(path)
        if response.status_code != 200 or "text/html" not in response.content_type:
            continue
        body = response.get_data(as_text=True)
        queue.extend(_links(body))
        if bad := _faults(_texts(body)):
            faults[path] = bad
    assert len(seen) > 60, seen
    assert faults == {}, "\n".join(f"{path}: {text}" for path, texts in faults.items()
                                    for text in texts)


def test_states_agree_with_their_record(app):
    from app.i18n.labels import label

    with app.test_request_context(), force_locale("fr"):
        assert [label("campaign_status", c) for c in ("planned", "active", "completed")] == [
            "Planifiée", "Active", "Terminée"]
        assert [label("operation_status", c) for c in ("submitted", "approved", "published")] \
            == ["Soumise à validation", "Validée", "Publiée"]
        assert label("contract_status", "active") == "Actif"
