"""Contract documents: the PDF read back holds every mandatory clause with the parties'
data, in the contract's language; the same input gives the same bytes; page furniture
(number, parties, page X / Y) on every page; special clauses only when they apply."""

from __future__ import annotations

import io
from datetime import UTC, date, datetime

import pytest
from pypdf import PdfReader

from app.contracts.document.context import document_context
from app.contracts.document.render import CONTRACTS, manifest
from app.contracts.rendering import render_html, render_pdf
from app.i18n.labels import label
from tests.factories import make_brand, make_contract, make_influencer

HEADINGS = {
    "fr": ["Article 1 — Parties", "Article 2 — Objet et définitions", "Article 3 — Durée",
           "Article 4 — Opérations", "Article 5 — Validation des contenus",
           "Article 6 — Rémunération et avantages en nature",
           "Article 7 — Transparence et conformité",
           "Article 8 — Propriété intellectuelle et droit à l'image",
           "Article 9 — Exclusivité", "Article 10 — Image de marque et comportement",
           "Article 11 — Confidentialité", "Article 12 — Données personnelles",
           "Article 13 — Responsabilité et assurance",
           "Article 14 — Résiliation et force majeure",
           "Article 15 — Droit applicable et juridiction", "Article 16 — Signatures"],
    "en": ["Article 1 — Parties", "Article 2 — Purpose and definitions", "Article 3 — Term",
           "Article 4 — Operations", "Article 5 — Content approval",
           "Article 6 — Pay and in-kind benefits", "Article 7 — Disclosure and compliance",
           "Article 8 — Intellectual property and image rights", "Article 9 — Exclusivity",
           "Article 10 — Brand safety and conduct", "Article 11 — Confidentiality",
           "Article 12 — Personal data", "Article 13 — Liability and insurance",
           "Article 14 — Termination and force majeure",
           "Article 15 — Governing law and jurisdiction", "Article 16 — Signatures"],
}


def minor(age_years: int, **kw):
    born = date(2026 - age_years, 1, 15)
    person = make_influencer(display_name="Lou", legal_name="Loïc Bœuf", email="lou@exemple.fr",
                             address="8 rue Saint-Éloi", tax_country="FR", date_of_birth=born)
    return make_contract(influencer=person, representatives=[
        {"name": "Françoise Bœuf", "email": "francoise@exemple.fr"},
        {"name": "Jérôme Bœuf", "email": "jerome@exemple.fr"}], **kw)


@pytest.mark.slow
@pytest.mark.parametrize("language", ["fr", "en"])
def test_every_mandatory_clause_and_the_parties_data_in_the_contract_language(db, language,
                                                                              pdf_text):
    contract = make_contract(language=language)
    document = render_pdf(contract)
    text = pdf_text(document.pdf)
    for heading in HEADINGS[language]:
        assert heading in text
    for value in ("Maison Lumière SAS", "812 345 678 RCS Lyon", "12 rue de la République",
                  "contrats@maison-lumiere.fr", "Hélène Câlin", "Zoé Lefèvre-Brûlé",
                  "3 place de l'Église", "zoe@exemple.fr", "zoe.envoyage",
                  "Ambassade cœur d'été « Soleil »", "@maisonlumiere #Publicité"):
        assert value in text, value
    if language == "fr":
        for value in ("pays de résidence fiscale : France", "1er avril 2026", "30 septembre 2026",
                      "4 500,00 €", "40) euros", "L. 441-10", "L. 131-3", "Instagram", "Reel",
                      "Vidéo", "14 mai 2026", "solidairement responsables",
                      "« Collaboration commerciale »", "réputé approuvé", "droit français"):
            assert value in text, value
    else:
        for value in ("country of tax residence: France", "April 1, 2026", "€4,500.00",
                      "forty (40) euros", "Video", "May 14, 2026", "jointly and severally liable",
                      '"Collaboration commerciale"', "deemed approved", "French law"):
            assert value in text, value
    assert document.template_name == "ambassador"
    assert document.template_version == manifest()["ambassador"]["version"]
    assert document.sha256 == __import__("hashlib").sha256(document.pdf).hexdigest()


@pytest.mark.slow
def test_number_parties_and_page_x_of_y_on_every_page(db, pdf_pages):
    contract = make_contract(number="RLS-2026-00042")
    document = render_pdf(contract)
    pages = pdf_pages(document.pdf)
    assert document.pages == len(pages) >= 3
    for n, page in enumerate(pages, start=1):
        assert "Contrat n° RLS-2026-00042" in page
        assert "Maison Lumière / Zoé Lefèvre-Brûlé" in page
        assert f"Page {n} / {len(pages)}" in page


@pytest.mark.slow
def test_same_contract_same_bytes_and_the_date_is_the_contracts(db, pdf_text):
    contract = make_contract(approved_at=datetime(2026, 3, 9, 16, 0, tzinfo=UTC))
    first, second = render_pdf(contract), render_pdf(contract)
    assert first.pdf == second.pdf and first.sha256 == second.sha256
    assert "Établi le 9 mars 2026" in pdf_text(first.pdf)
    info = PdfReader(io.BytesIO(first.pdf)).metadata
    assert info["/CreationDate"].startswith("D:20260309")
    contract.title = "Autre titre"
    assert render_pdf(contract).sha256 != first.sha256


HOSTILE = [
    '<img src="file:///etc/passwd">',
    '<img src="http://127.0.0.1:9/x.png"><a href="http://127.0.0.1:9/x">lien</a>',
    "<style>@import url(http://127.0.0.1:9/x.css);"
    " body { background: url(file:///etc/passwd) }</style>",
    '<link rel="stylesheet" href="http://127.0.0.1:9/y.css">',
    "<script>alert(1)</script>",
    '<div style="background-image: url(data:image/png;base64,AAAA)">x</div>',
]


@pytest.mark.slow
@pytest.mark.parametrize("language", ["fr", "en"])
def test_hostile_values_fetch_nothing_and_print_as_text(db, language, pdf_text):
    evil = " ".join(HOSTILE)
    brand = make_brand(name=evil[:200], legal_name=evil[:200], address=evil, email=evil[:254],
                       registration_number="<b>1</b>", signatory_name=evil[:200],
                       signatory_title=evil[:200], tax_country="FR", sector="alcohol")
    person = make_influencer(display_name=evil[:200], legal_name=evil[:200], address=evil,
                             city=evil[:120], email=evil[:254], tax_country="US",
                             agent_name=evil[:200], agent_email=evil[:254],
                             accounts=[{"platform": "instagram", "handle": "<svg onload=x>"}])
    contract = make_contract(
        brand=brand, influencer=person, language=language, title=evil[:200], products=evil,
        operations=[{"platform": "instagram", "kind": "post", "count": 1,
                     "date": "<img src=x>", "window": evil, "mentions": evil}],
        pay_kind="mixed", fee_per_operation_cents=10_000,
        benefits=[{"description": evil, "value_cents": 5_000}], payment_terms=evil,
        exclusivity=True, exclusivity_competitors=evil, usage_territories=evil[:200],
        usage_media="organic_social,<script>", jurisdiction=evil[:120],
        eu_representative=evil, insurance=evil[:300])
    asked: list[str] = []
    document = render_pdf(contract, asked=asked.append)
    assert asked == [(CONTRACTS / "contract.css").as_uri()]
    text = pdf_text(document.pdf)
    assert '<img src="file:///etc/passwd">' in text
    assert "<script>alert(1)</script>" in text
    assert "@import url(http://127.0.0.1:9/x.css)" in text
    html = render_html(contract)
    assert "<script>" not in html and "<img src" not in html and "<style>@import" not in html
    assert html.count("<link ") == 1


@pytest.mark.slow
def test_special_clauses_appear_only_when_they_apply(db, pdf_text):
    plain = pdf_text(render_pdf(make_contract()).pdf)
    for absent in ("Influenceur mineur", "Caisse des dépôts", "Représentant légal",
                   "établi hors de l'Union européenne", "Rémunération par opération",
                   "Avantages en nature", "secteur réglementé", "Audiences étrangères",
                   "opérations, décrites à l'article 4", "[à compléter]", "(s)", "(e)"):
        assert absent not in plain, absent

    under_16 = pdf_text(render_pdf(minor(14, minor_authorisation="Préfecture du Doubs n° 2026-17"))
                       .pdf)
    for present in ("Influenceur mineur", "moins de seize ans", "Préfecture du Doubs n° 2026-17",
                    "Caisse des dépôts et consignations", "Françoise Bœuf", "Jérôme Bœuf",
                    "Représentant légal", "L. 7124-9"):
        assert present in under_16, present

    sixteen = pdf_text(render_pdf(minor(17)).pdf)
    assert "Influenceur mineur" in sixteen and "Françoise Bœuf" in sixteen
    assert "Caisse des dépôts" not in sixteen and "moins de seize ans" not in sixteen


@pytest.mark.slow
def test_outside_eea_names_the_eu_representative_and_the_insurance(db, pdf_text):
    person = make_influencer(display_name="Kay", legal_name="Kay Brown", email="kay@example.com",
                             address="1 Main St, Toronto", tax_country="CA")
    contract = make_contract(influencer=person, language="en",
                             eu_representative="Repr. UE SARL, 5 quai d'Orsay, Paris",
                             insurance="Assurances Mutuelles, policy RC-778")
    text = pdf_text(render_pdf(contract).pdf)
    assert "Influencer established outside the European Union" in text
    assert "Repr. UE SARL, 5 quai d'Orsay, Paris" in text
    assert "Assurances Mutuelles, policy RC-778" in text
    assert "country of tax residence: Canada" in text


@pytest.mark.slow
def test_in_kind_itemised_per_operation_and_operations_term(db, pdf_text):
    contract = make_contract(
        basis="operations", deadline=date(2026, 6, 30), ends_on=None, pay_kind="mixed",
        fixed_fee_cents=None, fee_per_operation_cents=80_000,
        benefits=[{"description": "Coffret « Éclat » de 5 soins", "value_cents": 24_900},
                  {"description": "Invitation au lancement à Paris", "value_cents": 15_000}])
    text = pdf_text(render_pdf(contract).pdf)
    for present in ("5 opérations, décrites à l'article 4", "30 juin 2026",
                    "pour les 5 opérations prévues",
                    "Rémunération par opération", "800,00 €", "4 000,00 €",
                    "Coffret « Éclat » de 5 soins", "249,00 €", "150,00 €", "399,00 €",
                    "Avantages en nature", "4 399,00 €"):
        assert present in text, present
    assert "prend fin le" not in text


@pytest.mark.slow
def test_restricted_and_banned_sectors_are_warned(db, pdf_text):
    alcohol = make_contract(brand=make_brand(name="Cave", legal_name="Cave SAS",
                                             sector="alcohol"))
    text = pdf_text(render_pdf(alcohol).pdf)
    assert "secteur réglementé : Alcool" in text  # the sector named in the contract's language
    assert "loi Évin" in text
    banned = make_contract(brand=make_brand(name="Vape", legal_name="Vape SAS",
                                            sector="tobacco_nicotine"), language="en")
    text = pdf_text(render_pdf(banned).pdf)
    assert "Banned sector" in text and "cannot be approved" in text


@pytest.mark.slow
def test_missing_data_show_a_placeholder_not_an_error(db, pdf_text):
    brand = make_brand(name="Nouvelle marque")
    person = make_influencer(display_name="Sans nom")
    contract = make_contract(brand=brand, influencer=person, operations=[], payment_terms=None,
                             usage_media=None, starts_on=None, ends_on=None)
    text = pdf_text(render_pdf(contract).pdf)
    assert text.count("[à compléter]") >= 8
    assert "Aucun droit d'exploitation" in text


def test_context_labels_follow_the_contract_language_not_the_reader(db):
    from flask_babel import force_locale

    contract = make_contract(language="fr")
    with force_locale("en"):  # an English reader previews a French contract
        html = render_html(contract)
    assert "Vidéo" in html and "notoriété" in html and "Video<" not in html
    with force_locale("en"):  # money and dates follow the contract, labels the caller's
        context = document_context(contract, label)
    assert context["pay"]["total"] == "4\xa0500,00\xa0€"
    [account] = context["influencer"]["accounts"]
    assert account["platform"] == "Instagram" and account["handle"].startswith("zoe.envoyage")
