"""The participants' board in headless Chromium: a card moved with the keyboard only lands
in the next column without a reload, is announced, keeps the focus, and the move shows on
the influencer's timeline; a drop moves a card too; fees edited in the table."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect
from sqlalchemy import select

from app.extensions import db
from app.models import Participant
from tests import factories
from tests.browser.test_influencer_journey import log_in

pytestmark = pytest.mark.browser

SHOTS = Path(os.environ.get("RELAIS_SCREENSHOTS", "test-results"))


@pytest.fixture()
def board(app, live_server, monkeypatch):
    # CSRF on, as in production: the board's scripted posts must carry the token.
    monkeypatch.setitem(app.config, "WTF_CSRF_ENABLED", True)
    user = factories.make_user("member")
    campaign = factories.make_campaign(name="Lancement été", budget_cents=250_000)
    people = []
    for name, followers, fee in (("Manon Girard", 48_200, 120_000), ("Théo Mercier", 12_400,
                                                                     None),
                                 ("Chloé Lefèvre", 9_500_000, 90_000)):
        influencer = factories.make_influencer(display_name=name, accounts=[
            {"platform": "instagram", "handle": name.split()[0].lower(), "followers": followers}])
        people.append(factories.make_participant(campaign=campaign, influencer=influencer,
                                                 proposed_fee_cents=fee))
    people[2].stage, people[2].agreed_fee_cents = "contracted", 150_000
    db.session.commit()
    return live_server, user, campaign, people


def tab_to(page: Page, selector: str, limit: int = 120) -> None:
    """Press Tab until the element matching `selector` has the focus."""
    for _ in range(limit):
        if page.evaluate("s => document.activeElement === document.querySelector(s)", selector):
            return
        page.keyboard.press("Tab")
    raise AssertionError(f"{selector} never got the focus with Tab")


def column(page: Page, stage: str):
    return page.locator(f'.board-column[data-stage="{stage}"]')


def shot(page: Page, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / name), full_page=True)


def test_move_a_card_with_the_keyboard_only(page: Page, board):
    base, user, campaign, people = board
    manon = people[0]
    log_in(page, base, user)
    page.goto(f"{base}/campaigns/{campaign.id}/participants")
    shot(page, "board.png")
    page.evaluate("window.notReloaded = true")
    card = f"#participant-{manon.id}"

    tab_to(page, f'{card} button[data-move="next"]')
    page.keyboard.press("Enter")
    expect(column(page, "contacted").locator(card)).to_be_visible()
    expect(page.locator("#board-status")).to_have_text("Manon Girard moved to “Contacted”.")
    # the focus stays on the moved card's "→": Enter again moves it one more column
    page.keyboard.press("Enter")
    expect(column(page, "negotiating").locator(card)).to_be_visible()
    expect(column(page, "contacted").locator(card)).to_have_count(0)
    assert page.evaluate("window.notReloaded === true")

    # back one column with "←", reached from the keyboard too
    tab_to(page, f'{card} button[data-move="prev"]')
    page.keyboard.press("Enter")
    expect(column(page, "contacted").locator(card)).to_be_visible()

    # the stage list: choose "Declined" and press the Move button, keys only
    tab_to(page, f"{card} select[name=stage]")
    page.keyboard.press("End")
    tab_to(page, f"{card} .move-go", limit=3)
    page.keyboard.press("Enter")
    expect(column(page, "declined").locator(card)).to_be_visible()
    assert page.evaluate("window.notReloaded === true")
    shot(page, "board-after-moves.png")

    db.session.expire_all()
    assert db.session.get(Participant, manon.id).stage == "declined"
    page.goto(f"{base}/influencers/{manon.influencer_id}")
    timeline = page.locator("#timeline")
    expect(timeline).to_contain_text("Campaign Lancement été: Shortlisted → Contacted")
    expect(timeline).to_contain_text("Campaign Lancement été: Contacted → Negotiating")
    expect(timeline).to_contain_text("Campaign Lancement été: Contacted → Declined")
    shot(page, "timeline.png")


def test_drag_a_card_to_another_column(page: Page, board):
    base, user, campaign, people = board
    theo = people[1]
    log_in(page, base, user)
    page.goto(f"{base}/campaigns/{campaign.id}/participants")
    page.drag_and_drop(f"#participant-{theo.id}", '.board-column[data-stage="live"]')
    expect(column(page, "live").locator(f"#participant-{theo.id}")).to_be_visible()
    expect(page.locator("#board-status")).to_contain_text("moved to “Live”")
    db.session.expire_all()
    assert db.session.get(Participant, theo.id).stage == "live"


def test_table_edits_fees_and_warns_over_budget(page: Page, board):
    base, user, campaign, people = board
    theo = people[1]
    log_in(page, base, user)
    page.goto(f"{base}/campaigns/{campaign.id}/participants")
    page.get_by_role("link", name="Table").click()
    shot(page, "table.png")
    fee = page.get_by_label("Agreed fee of Théo Mercier (EUR)")
    fee.fill("1 200,50 €")
    fee.press("Enter")  # the row's form, submitted from its field
    expect(page.locator(".flash-success")).to_contain_text("Théo Mercier: fees and notes saved.")
    expect(page.locator(".flash-warning")).to_contain_text(
        "The agreed fees now exceed the campaign budget by €200.50.")
    expect(page.locator(".budget .warning-box")).to_be_visible()
    db.session.expire_all()
    assert db.session.scalar(select(Participant.agreed_fee_cents)
                             .where(Participant.id == theo.id)) == 120_050
    shot(page, "table-over-budget.png")
