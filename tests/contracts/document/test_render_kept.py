"""What the document keeps of what was typed: a draft says it is one (PROJET / DRAFT on
every page) and the approved version does not; the template's name in the contract's
language; an address that already names its city or country does not repeat them. (An
in-kind benefit under a fixed fee: tests/contracts/test_services.py.)"""

from __future__ import annotations

import pytest

from app.contracts import workflow
from app.contracts.document.context import postal_address
from app.contracts.rendering import render_pdf
from tests.factories import make_contract, make_influencer, make_user


@pytest.mark.slow
@pytest.mark.parametrize(("language", "mark"), [("fr", "PROJET"), ("en", "DRAFT")])
def test_a_draft_is_marked_on_every_page_and_the_approved_version_is_not(db, language, mark,
                                                                         pdf_pages):
    contract = make_contract(language=language)
    draft = workflow.render_draft(contract, make_user("member"))
    draft_pages = pdf_pages(draft.content)
    assert all(mark in page for page in draft_pages)
    workflow.submit(contract, make_user("member"))
    workflow.approve(contract, make_user("manager"))
    approved = workflow.current_document(contract)
    approved_text = " ".join(pdf_pages(approved.content))
    assert mark not in approved_text
    assert approved.sha256 != draft.sha256


@pytest.mark.slow
def test_the_french_document_names_its_template_in_french(db, pdf_text):
    french = pdf_text(render_pdf(make_contract(language="fr")).pdf)
    assert "Contrat d'ambassadeur" in french and "ambassador" not in french.lower()
    english = pdf_text(render_pdf(make_contract(language="en")).pdf)
    assert "Ambassador contract" in english


@pytest.mark.slow
def test_an_address_that_names_its_city_does_not_repeat_it(db, pdf_text):
    person = make_influencer(display_name="Paul", legal_name="Paul Durand",
                             email="paul@exemple.fr", address="12 rue Xavier, 75001 Paris",
                             city="Paris", country="FR", tax_country="FR")
    text = pdf_text(render_pdf(make_contract(influencer=person)).pdf)
    assert "demeurant 12 rue Xavier, 75001 Paris, France," in text
    assert "Paris, Paris" not in text


@pytest.mark.parametrize(("address", "more", "expected"), [
    ("12 rue X, 75001 Paris", ("Paris", "France"), ["12 rue X, 75001 Paris", "France"]),
    ("12 rue X\n75001 PARIS\nParis", ("Paris", None), ["12 rue X", "75001 PARIS"]),
    ("3 place de l'Église", ("Besançon", "France"), ["3 place de l'Église", "Besançon",
                                                    "France"]),
    ("Rue Haute 5, 1000 Bruxelles, Belgique", ("bruxelles", "Belgique"),
     ["Rue Haute 5, 1000 Bruxelles, Belgique"]),
    ("8 rue Saint-Étienne, Saint-Étienne", ("Saint-Etienne", None),
     ["8 rue Saint-Étienne, Saint-Étienne"]),
    ("12 avenue de Paris\nRésidence A\n78000 Versailles", ("Paris", None),
     ["12 avenue de Paris", "Résidence A", "78000 Versailles", "Paris"]),
    (None, ("Paris", "France"), ["Paris", "France"]),
])
def test_postal_address_names_each_part_once(address, more, expected):
    assert postal_address(address, *more) == expected
