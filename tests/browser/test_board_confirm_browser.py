"""The board in headless Chromium, CSRF on: a card dropped on "Contracted" with neither an
agreed fee nor a contract asks with the browser's own dialog; "Cancel" leaves it where it
was and says so, "OK" moves it, without a reload either way."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from app.extensions import db
from app.models import Participant
from tests import factories
from tests.browser.test_board_browser import column
from tests.browser.test_influencer_journey import log_in

pytestmark = pytest.mark.browser

QUESTION = "Théo Mercier has no agreed fee and no contract yet. Move them to “Contracted” all " \
           "the same?"


@pytest.fixture()
def board(app, live_server, monkeypatch):
    monkeypatch.setitem(app.config, "WTF_CSRF_ENABLED", True)
    user = factories.make_user("member")
    campaign = factories.make_campaign(name="Exposition Monet")
    theo = factories.make_participant(
        campaign=campaign, stage="negotiating", proposed_fee_cents=60_000,
        influencer=factories.make_influencer(display_name="Théo Mercier", accounts=[
            {"platform": "instagram", "handle": "theo", "followers": 12_400}]))
    return live_server, user, campaign, theo


def _stage(participant) -> str:
    db.session.expire_all()
    return db.session.get(Participant, participant.id).stage


def test_a_drop_on_contracted_asks_first(page: Page, board):
    base, user, campaign, theo = board
    log_in(page, base, user)
    page.goto(f"{base}/campaigns/{campaign.id}/participants")
    page.evaluate("window.notReloaded = true")
    card = f"#participant-{theo.id}"
    asked = []

    def answer(dialog, accept: bool) -> None:
        asked.append(dialog.message)
        if accept:
            dialog.accept()
        else:
            dialog.dismiss()

    page.once("dialog", lambda dialog: answer(dialog, accept=False))
    page.drag_and_drop(card, '.board-column[data-stage="contracted"]')
    expect(page.locator("#board-status")).to_have_text("Nothing moved.")
    expect(column(page, "negotiating").locator(card)).to_be_visible()
    expect(page.locator(f"{card} select[name=stage]")).to_have_value("negotiating")
    assert asked == [QUESTION] and _stage(theo) == "negotiating"

    page.once("dialog", lambda dialog: answer(dialog, accept=True))
    page.drag_and_drop(card, '.board-column[data-stage="contracted"]')
    expect(column(page, "contracted").locator(card)).to_be_visible()
    expect(page.locator("#board-status")).to_have_text("Théo Mercier moved to “Contracted”.")
    assert asked == [QUESTION, QUESTION] and _stage(theo) == "contracted"
    assert page.evaluate("window.notReloaded === true")
