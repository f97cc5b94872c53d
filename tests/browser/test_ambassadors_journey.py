"""Candidates and proposed ambassadors in headless Chromium, CSRF on: on a small network
scored by a real run, a member opens a campaign's candidates, filters them by maximum fee,
opens "Propose ambassadors", runs it with a budget (the chart is drawn under the CSP), adds
the picks, and finds them shortlisted on the participants board."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from app.scoring import rescoring as scoring
from tests import factories
from tests.browser.test_board_browser import column, shot
from tests.browser.test_influencer_journey import log_in
from tests.factories import make_person, make_platform_rates, make_relationship

pytestmark = pytest.mark.browser

FRENCH = {"country": {"FR": 0.8, "BE": 0.2}}
ABROAD = {"country": {"US": 0.9, "FR": 0.1}}
PEOPLE = (  # name, Instagram followers (the fee estimate in cents at 10 € CPM), audience
    ("Manon Girard", 48_000, FRENCH), ("Théo Mercier", 9_000, FRENCH),
    ("Chloé Lefèvre", 6_000, FRENCH), ("Hugo Petit", 4_000, ABROAD),
    ("Inès Garnier", 12_000, FRENCH), ("Lucas Roux", 3_000, FRENCH),
)


@pytest.fixture()
def network(app, live_server, monkeypatch):
    monkeypatch.setitem(app.config, "WTF_CSRF_ENABLED", True)  # as in production
    make_platform_rates(instagram=1_000)
    people = {name: make_person(name, ("instagram", followers, 0.9, shares))
              for name, followers, shares in PEOPLE}
    for source, target, kind in (("Théo Mercier", "Manon Girard", "reposts"),
                                 ("Chloé Lefèvre", "Manon Girard", "mentions"),
                                 ("Lucas Roux", "Théo Mercier", "reposts"),
                                 ("Hugo Petit", "Inès Garnier", "follows"),
                                 ("Inès Garnier", "Chloé Lefèvre", "collaborated")):
        make_relationship(people[source], people[target], kind)
    scoring.rescore()
    campaign = factories.make_campaign(name="Rentrée au grand air", budget_cents=300_000,
                                       target_countries="FR", target_platforms="instagram")
    return live_server, factories.make_user("member"), campaign


def _fees(page: Page) -> list[float]:
    cells = page.locator("table.candidates tbody td:nth-child(8)").all_inner_texts()
    return [float(re.sub(r"[^\d.]", "", cell.split("\n")[0])) for cell in cells]


def test_candidates_to_ambassadors_to_the_board(page: Page, network):
    base, user, campaign = network
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    log_in(page, base, user)
    page.goto(f"{base}/campaigns/{campaign.id}")
    page.get_by_role("link", name="Candidates").click()
    expect(page.get_by_role("heading", name="6 candidates")).to_be_visible()
    assert max(_fees(page)) == 480.0  # Manon: 48 000 followers at 10 € per 1 000

    page.get_by_label("Maximum fee").fill("100")
    page.get_by_role("button", name="Filter").click()
    expect(page.get_by_role("heading", name="4 candidates")).to_be_visible()
    assert all(fee <= 100 for fee in _fees(page))
    expect(page.get_by_role("link", name="Manon Girard")).to_have_count(0)
    page.locator("details.fit-detail summary").first.click()  # the fit's factors
    expect(page.locator("details.fit-detail[open] li").first).to_contain_text("Countries")
    shot(page, "candidates.png")

    page.get_by_role("link", name="Propose ambassadors", exact=True).click()
    expect(page.get_by_label("Budget")).to_have_value("3,000.00")  # nothing agreed yet
    page.get_by_label("Budget").fill("250")
    page.get_by_label("Maximum number of ambassadors").fill("3")
    page.get_by_role("button", name="Propose").click()
    expect(page.locator("canvas[data-ambassador-chart]")).to_have_attribute("data-ready", "1")
    rows = page.locator("table.proposal tbody tr")
    picked = rows.locator("td:nth-child(3) a").all_inner_texts()
    assert 1 <= len(picked) <= 3
    last_total = rows.last.locator("td:nth-child(7)").inner_text()
    assert float(re.sub(r"[^\d.]", "", last_total)) <= 250  # the budget is never exceeded
    shot(page, "ambassadors.png")

    page.get_by_role("button", name=re.compile(r"to the campaign as shortlisted")).click()
    expect(page.get_by_text(re.compile(r"added to the campaign"))).to_be_visible()
    shortlisted = column(page, "shortlisted")
    for name in picked:
        expect(shortlisted.get_by_role("link", name=name)).to_be_visible()
    shot(page, "ambassadors_added.png")
    assert not errors, errors  # no CSP violation, no script error
