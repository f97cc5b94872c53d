"""A contract's journey in headless Chromium, CSRF on: a member creates a contract from a
campaign participant (operations and fee filled in from the plan), submits it; a manager
approves it (the PDF version appears); the member sends it for signature (no SMTP: the
links are shown to copy); each signer opens their link in a page of their own and signs;
the contract shows "Signed"; the signed PDF downloads under its name and its text holds
the number, the parties and the evidence."""

from __future__ import annotations

import io
from datetime import date, timedelta
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect
from pypdf import PdfReader
from sqlalchemy import select

from app.extensions import db
from app.models import Contract
from tests import factories
from tests.browser.test_board_browser import shot
from tests.browser.test_campaign_journey import log_out
from tests.browser.test_influencer_journey import log_in

pytestmark = pytest.mark.browser


@pytest.fixture()
def deal(app, live_server, monkeypatch):
    monkeypatch.setitem(app.config, "WTF_CSRF_ENABLED", True)  # as in production
    member = factories.make_user("member", name="Léa Martin")
    manager = factories.make_user("manager", name="Paul Manager")
    brand = factories.make_brand(
        name="Maison Lumière", legal_name="Maison Lumière SAS", registration_number="812 345 678",
        address="12 rue de la République\n69002 Lyon", email="contrats@maison-lumiere.fr",
        tax_country="FR", signatory_name="Hélène Câlin", signatory_title="Directrice")
    person = factories.make_influencer(
        display_name="Chloé Lefèvre", legal_name="Chloé Lefèvre", email="chloe@exemple.fr",
        address="3 place de l'Église, Besançon", country="FR", tax_country="FR",
        date_of_birth=date(1996, 5, 4),
        accounts=[{"platform": "instagram", "handle": "chloe.lefevre", "followers": 95_000}])
    today = date.today()
    campaign = factories.make_campaign(brand=brand, name="Rentrée au grand air",
                                       currency="EUR", starts_on=today,
                                       ends_on=today + timedelta(days=30))
    participant = factories.make_participant(campaign=campaign, influencer=person,
                                             agreed_fee_cents=120_000, stage="contracted")
    for offset in (3, 10):
        factories.make_operation(participant, kind="reel",
                                 planned_on=today + timedelta(days=offset))
    return live_server, member, manager, campaign


def create_and_submit(page: Page, base: str, campaign) -> int:
    page.goto(f"{base}/campaigns/{campaign.id}/participants?view=table")
    page.get_by_role("link", name="New contract for Chloé Lefèvre").click()
    expect(page.get_by_role("heading", name="New ambassador contract")).to_be_visible()
    expect(page.get_by_label("Format — Operation 1")).to_have_value("reel")
    expect(page.get_by_label("Number — Operation 1")).to_have_value("2")
    expect(page.get_by_label("Fixed fee (excl. VAT)")).to_have_value("1,200.00")
    page.get_by_label("Payment terms").fill("50 % à la signature, le solde à 30 jours.")
    page.get_by_label("Mandatory mentions — Operation 1").fill("@maisonlumiere #Publicité")
    shot(page, "contract-form.png")
    page.get_by_role("button", name="Save").click()
    expect(page.locator(".flash-success")).to_contain_text("created")
    expect(page.get_by_text("Nothing is missing: the contract can be approved.")).to_be_visible()
    page.get_by_role("button", name="Submit for approval").click()
    expect(page.locator(".flash-success")).to_have_text("Contract submitted for approval.")
    expect(page.locator(".contract-subtitle")).to_contain_text("Pending approval")
    return db.session.scalar(select(Contract.id))


def test_create_approve_sign_and_download(page: Page, deal):
    base, member, manager, campaign = deal
    log_in(page, base, member)
    contract_id = create_and_submit(page, base, campaign)
    url = f"{base}/contracts/{contract_id}"
    log_out(page)

    log_in(page, base, manager)
    page.goto(url)
    page.get_by_role("button", name="Approve", exact=True).click()
    expect(page.locator(".flash-success")).to_contain_text("Contract approved")
    versions = page.get_by_role("table").filter(has_text="SHA-256")
    expect(versions).to_contain_text("Approved contract")
    expect(versions.get_by_role("link", name="Download v1")).to_be_visible()
    shot(page, "contract-approved.png")
    log_out(page)

    log_in(page, base, member)
    page.goto(url)
    page.get_by_role("button", name="Send for signature").click()
    expect(page.get_by_role("heading", name="Signing links to hand over")).to_be_visible()
    links = page.locator("input.sign-link").evaluate_all("(els) => els.map(e => e.value)")
    assert len(links) == 2  # the brand's signatory and the influencer
    for link in links:
        signer = page.context.new_page()
        signer.goto(link)
        signer.locator("input[name=accept]").check()
        signer.locator("form button[type=submit].primary").click()
        expect(signer.locator("h1")).to_be_visible()
        signer.close()
    page.goto(url)
    expect(page.locator(".contract-subtitle")).to_contain_text("Signed")
    shot(page, "contract-signed.png")
    with page.expect_download() as caught:
        page.get_by_role("link", name="Download v2").click()
    download = caught.value
    contract = db.session.get(Contract, contract_id)
    assert download.suggested_filename == f"{contract.number}-v2-signed.pdf"
    reader = PdfReader(io.BytesIO(Path(download.path()).read_bytes()))
    words = " ".join(page_.extract_text() for page_ in reader.pages)
    for needle in (contract.number, "Maison Lumière SAS", "Chloé Lefèvre", "SHA-256"):
        assert needle in words, needle
