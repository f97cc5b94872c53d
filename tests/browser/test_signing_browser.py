"""Signing in headless Chromium, CSRF on as in production: a member sends an approved
contract and copies the links (the copy recorded for the evidence); each signer opens their
link, reads the embedded PDF and signs with the keyboard only, the last one downloads the
signed copy; the contract page then shows it signed with its evidence."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect
from pypdf import PdfReader

from app.extensions import db as _db
from app.models import Contract
from tests import factories
from tests.browser.test_influencer_journey import log_in
from tests.factories import make_approved_contract

pytestmark = pytest.mark.browser

SHOTS = Path(os.environ.get("RELAIS_SCREENSHOTS", "test-results"))


def shot(page: Page, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / name), full_page=True)


def test_send_then_sign_with_the_keyboard(page: Page, app, live_server, monkeypatch):
    monkeypatch.setitem(app.config, "WTF_CSRF_ENABLED", True)
    member = factories.make_user("member")
    contract = make_approved_contract(render=True)
    log_in(page, live_server, member)
    page.goto(f"{live_server}/contracts/{contract.id}")
    shot(page, "signing-panel-approved.png")
    page.get_by_role("button", name="Send for signature").click()
    expect(page.get_by_role("heading", name="Signing links to hand over")).to_be_visible()
    links = [page.locator("input.sign-link").nth(i).input_value() for i in range(2)]
    shot(page, "signing-links.png")
    # Copy is recorded for the evidence: who handed the link over, and when.
    with page.expect_response(lambda r: r.url.endswith("/copied") and r.status == 204):
        page.locator("button.copy-link").first.click()

    for n, link in enumerate(links):
        signer_page = page.context.browser.new_page(locale="fr-FR")
        signer_page.goto(link)
        expect(signer_page.locator("iframe.sign-pdf")).to_be_visible()
        expect(signer_page.locator("#consent-text")).to_contain_text("Je déclare avoir lu")
        if n == 0:
            shot(signer_page, "signing-page.png")
        checkbox = signer_page.get_by_role("checkbox")
        checkbox.focus()
        signer_page.keyboard.press("Space")
        expect(checkbox).to_be_checked()
        signer_page.keyboard.press("Tab")
        signer_page.keyboard.press("Enter")
        # The last signature seals the contract (renders the evidence page): give it time.
        expect(signer_page.locator(".sign-done code.hash")).to_be_visible(timeout=30_000)
        if n == 1:
            shot(signer_page, "signing-thanks.png")
            # The last signer downloads the signed copy from the thanks page.
            with signer_page.expect_download() as download:
                signer_page.get_by_role("link", name="Télécharger le contrat signé (PDF)").click()
            signed = " ".join((p.extract_text() or "") for p in PdfReader(download.value.path())
                              .pages).replace("\n", " ")
            assert f"copié par {member.name}" in signed
            assert "Signé électroniquement par" in signed
        signer_page.close()

    _db.session.expire_all()
    assert _db.session.get(Contract, contract.id).status == "signed"
    page.goto(f"{live_server}/contracts/{contract.id}")
    expect(page.locator("#signing")).to_contain_text("Signed document")
    shot(page, "signing-panel-signed.png")
