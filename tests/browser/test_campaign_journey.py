"""A campaign's journey in headless Chromium, CSRF on: a member creates a campaign through its
form → adds three influencers from the participants page's search → moves them through
the pipeline (one with the keyboard only, one to "contracted" with an agreed fee) → plans
an operation and submits it; a manager approves it from "To approve"; the member publishes
it with its metrics in one step → the report shows the KPIs computed from those figures
and the budget committed → its PDF holds the campaign, the brand, the people and the reach.
"""

from __future__ import annotations

import re
import subprocess
from datetime import date, timedelta
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect
from sqlalchemy import select

from app.extensions import db
from app.models import Campaign, Influencer, Operation, Participant
from tests import factories
from tests.browser.test_board_browser import column, shot, tab_to
from tests.browser.test_influencer_journey import log_in

pytestmark = pytest.mark.browser

PDFTOTEXT = "/usr/bin/pdftotext"
CAMPAIGN = "Rentrée au grand air"
BRAND = "Maison Lumière"
PEOPLE = (  # name, handle, Instagram followers
    ("Manon Girard", "manon.girard", 48_200),
    ("Théo Mercier", "theo.mercier", 12_400),
    ("Chloé Lefèvre", "chloe.lefevre", 95_000),
)
# What the member types when publishing: 420 + 50 + 20 + 10 = 500 engagements for a reach
# of 10 000, i.e. an engagement rate by reach of 5 %; the cost is left empty, so the
# operation costs the agreed fee (1 200 €): 1 200 € / 500 = 2,40 € per engagement.
METRICS = {"Impressions": "14 000", "Reach": "10 000", "Likes": "420", "Comments": "50",
           "Shares": "20", "Saves": "10"}


@pytest.fixture()
def people(app, live_server, monkeypatch):
    monkeypatch.setitem(app.config, "WTF_CSRF_ENABLED", True)  # as in production
    member = factories.make_user("member", name="Léa Martin")
    manager = factories.make_user("manager", name="Paul Manager")
    factories.make_brand(name=BRAND)
    for name, handle, followers in PEOPLE:
        factories.make_influencer(display_name=name, email=f"{handle}@agence-sable.fr",
                                  accounts=[{"platform": "instagram", "handle": handle,
                                             "followers": followers}])
    # Not matched by the search below: the search really filters.
    factories.make_influencer(display_name="Bruno Petit", email="bruno@ailleurs.fr")
    return live_server, member, manager


def log_out(page: Page) -> None:
    page.get_by_role("button", name="Log out").click()
    expect(page.get_by_label("Email")).to_be_visible()


def create_campaign(page: Page, base: str) -> int:
    page.goto(base + "/campaigns/")
    page.get_by_role("link", name="Create the first campaign").click()
    expect(page.get_by_role("heading", name="New campaign")).to_be_visible()
    page.get_by_label("Brand").select_option(label=BRAND)
    page.get_by_role("textbox", name="Name", exact=True).fill(CAMPAIGN)
    page.get_by_label("Objective", exact=True).select_option(label="Engagement")
    today = date.today()
    page.get_by_label("Start", exact=True).fill((today - timedelta(days=10)).isoformat())
    page.get_by_label("End", exact=True).fill((today + timedelta(days=20)).isoformat())
    page.get_by_label("Budget", exact=True).fill("15 000")
    page.get_by_label("Currency", exact=True).select_option("EUR")
    page.get_by_label("Engagement rate (by reach)").fill("4")
    page.get_by_role("button", name="Save").click()
    expect(page.locator(".flash-success")).to_have_text(f"Campaign {CAMPAIGN} created.")
    expect(page.get_by_role("heading", name=CAMPAIGN)).to_be_visible()
    campaign = db.session.scalar(select(Campaign).where(Campaign.name == CAMPAIGN))
    assert campaign.budget_cents == 1_500_000 and campaign.currency == "EUR"
    assert campaign.kpi_targets == {"engagement_rate_reach": 0.04}
    return campaign.id


def add_influencers(page: Page) -> None:
    page.get_by_role("link", name="Participants").click()
    expect(page.get_by_text("No participant yet.")).to_be_visible()
    page.get_by_label("Find influencers to add").fill("agence-sable")
    page.get_by_role("button", name="Search", exact=True).click()
    found = page.get_by_role("table", name="Influencers found")
    expect(found.locator("tbody tr")).to_have_count(3)
    expect(found).not_to_contain_text("Bruno Petit")
    for name, _handle, _followers in PEOPLE:
        page.get_by_label(f"Select {name}").check()
    page.get_by_role("button", name="Add to the campaign").click()
    expect(page.locator(".flash-success")).to_have_text("3 influencers added to the campaign.")
    shortlisted = column(page, "shortlisted")
    for name, _handle, _followers in PEOPLE:
        expect(shortlisted.get_by_role("link", name=name)).to_be_visible()


def card_of(page: Page, name: str) -> str:
    """The board card's selector, found from the influencer's name."""
    card = page.locator(".board-card").filter(has=page.get_by_role("link", name=name))
    return "#" + card.get_attribute("id")


def move_through_pipeline(page: Page, campaign_id: int) -> None:
    # Manon with the keyboard only: Tab to her "→", Enter twice (the focus stays on it).
    manon = card_of(page, "Manon Girard")
    page.evaluate("window.notReloaded = true")
    tab_to(page, f'{manon} button[data-move="next"]')
    page.keyboard.press("Enter")
    expect(column(page, "contacted").locator(manon)).to_be_visible()
    expect(page.locator("#board-status")).to_have_text("Manon Girard moved to “Contacted”.")
    page.keyboard.press("Enter")
    expect(column(page, "negotiating").locator(manon)).to_be_visible()
    assert page.evaluate("window.notReloaded === true")  # moved without a reload

    # Théo with the stage list and its Move button.
    theo = card_of(page, "Théo Mercier")
    page.get_by_label("Stage of Théo Mercier").select_option(label="Contacted")
    page.get_by_role("button", name="Move Théo Mercier to the chosen stage").click()
    expect(column(page, "contacted").locator(theo)).to_be_visible()

    # Chloé: her agreed fee in the table, then "contracted" on the board.
    page.get_by_role("link", name="Table", exact=True).click()
    fee = page.get_by_label("Agreed fee of Chloé Lefèvre (EUR)")
    fee.fill("1 200")
    page.get_by_role("button", name="Save the fees and notes of Chloé Lefèvre").click()
    expect(page.locator(".flash-success")).to_have_text("Chloé Lefèvre: fees and notes saved.")
    expect(page.locator("[data-committed]")).to_have_text("€1,200.00")
    page.get_by_role("link", name="Board", exact=True).click()
    chloe = card_of(page, "Chloé Lefèvre")
    page.get_by_label("Stage of Chloé Lefèvre").select_option(label="Contracted")
    page.get_by_role("button", name="Move Chloé Lefèvre to the chosen stage").click()
    contracted = column(page, "contracted").locator(chloe)
    expect(contracted).to_be_visible()
    expect(contracted).to_contain_text("Agreed: €1,200.00")
    shot(page, "campaign-journey-board.png")

    db.session.expire_all()
    stages = dict(db.session.execute(
        select(Influencer.display_name, Participant.stage).join(Participant.influencer)
        .where(Participant.campaign_id == campaign_id)).all())
    assert stages == {"Manon Girard": "negotiating", "Théo Mercier": "contacted",
                      "Chloé Lefèvre": "contracted"}


def plan_and_submit(page: Page) -> None:
    page.get_by_role("link", name="Operations").click()
    expect(page.get_by_role("heading", name="No operation planned yet")).to_be_visible()
    page.get_by_role("link", name="Plan an operation").first.click()
    page.get_by_label("Participant").select_option(label="Chloé Lefèvre (Instagram)")
    page.get_by_label("Kind").select_option(label="Reel")
    page.get_by_label("Planned for").fill(date.today().isoformat())
    page.get_by_label("Brief").fill("Un réel en plein air avec la lampe Lumière.")
    page.get_by_label("Draft caption").fill("Mes soirées au grand air #publicité @maisonlumiere")
    page.get_by_role("button", name="Plan the operation").click()
    expect(page.locator(".flash-success")).to_have_text("Operation planned.")
    expect(page.get_by_role("heading", name="Reel · Instagram — Chloé Lefèvre")).to_be_visible()
    page.get_by_role("button", name="Submit for approval").click()
    expect(page.locator(".flash-success")).to_have_text(
        "Submitted for approval: a manager will review it.")
    expect(page.get_by_text("Waiting for a manager")).to_be_visible()
    # A member never sees an Approve button: not on the operation, not in the queue.
    expect(page.get_by_role("button", name="Approve")).to_have_count(0)
    expect(page.get_by_role("link", name=re.compile("^To approve"))).to_have_count(0)
    page.goto(page.url.split("/campaigns/")[0] + "/campaigns/approvals?list=approve")
    expect(page.get_by_role("link", name="Reel · Instagram — Chloé Lefèvre")).to_be_visible()
    expect(page.get_by_role("button", name="Approve")).to_have_count(0)


def approve_as_manager(page: Page, base: str, manager) -> None:
    log_in(page, base, manager)
    page.get_by_role("link", name=re.compile(r"^To approve\s*1$")).click()
    expect(page.get_by_role("heading", name="Approval of the operations")).to_be_visible()
    item = page.get_by_role("article", name="Reel · Instagram — Chloé Lefèvre")
    expect(item).to_contain_text(CAMPAIGN)
    expect(item).to_contain_text("submitted by Léa Martin")
    item.get_by_role("button", name="Approve").click()
    expect(page.locator(".flash-success")).to_have_text(
        "Operation approved: it can now be published.")
    expect(page.get_by_text("Nothing waits for approval.")).to_be_visible()


def publish_with_metrics(page: Page, base: str, campaign_id: int) -> None:
    page.goto(f"{base}/campaigns/{campaign_id}/operations")
    page.get_by_role("link", name="Reel — Chloé Lefèvre").click()
    expect(page.get_by_text("Approved: it can be published.")).to_be_visible()
    page.get_by_label("Published address").fill("https://www.instagram.com/reel/C0ab12/")
    page.get_by_label("Published on").fill(date.today().isoformat())
    page.get_by_text("Add the metrics now (optional)").click()
    for name, value in METRICS.items():
        page.get_by_label(name, exact=True).fill(value)
    page.get_by_role("button", name="Mark published").click()
    expect(page.locator(".flash-success")).to_have_text("Operation marked published.")
    kpis = page.locator(".op-kpis")
    expect(kpis).to_contain_text(re.compile(r"Engagements\s*500\s"))
    expect(kpis).to_contain_text(re.compile(r"Engagement rate \(by reach\)\s*5%"))
    expect(kpis).to_contain_text(re.compile(r"Engagement rate \(by followers\)\s*0\.53%"))
    expect(kpis).to_contain_text(re.compile(r"Cost per engagement \(CPE\)\s*€2\.40"))
    db.session.expire_all()
    operation = db.session.scalar(select(Operation).where(Operation.campaign_id == campaign_id))
    assert (operation.status, operation.reach, operation.likes) == ("published", 10_000, 420)
    assert operation.cost_cents is None  # left empty: not zero


def read_report(page: Page, tmp_path: Path) -> None:
    page.get_by_role("link", name=f"← {CAMPAIGN} · Operations").click()
    page.get_by_role("link", name="Report", exact=True).click()
    expect(page.get_by_role("heading", name="Key figures")).to_be_visible()
    figures = page.locator(".kpi-grid .kpi")

    def headline(name: str):
        return figures.filter(has=page.get_by_text(name, exact=True))

    er = headline("Engagement rate (by reach)")
    expect(er.locator(".kpi-value")).to_have_text("5%")  # 500 / 10 000, typed above
    expect(er).to_contain_text("Target ≥ 4% · ✓ Met")
    expect(headline("Reach").locator(".kpi-value")).to_have_text("10,000")
    expect(headline("Engagements").locator(".kpi-value")).to_have_text("500")
    # the operation's cost is the agreed fee: 1 200 € / 500 engagements
    expect(headline("Cost per engagement (CPE)").locator(".kpi-value")).to_have_text("€2.40")
    budget = page.locator(".budget-facts")
    expect(budget).to_contain_text(re.compile(r"Budget\s*€15,000\.00"))
    expect(budget).to_contain_text(re.compile(r"Committed \(agreed fees\)\s*€1,200\.00"))
    expect(page.locator("#participants tbody tr")).to_have_count(3)
    # budget, reach over time, engagements by platform, top participants: all drawn
    expect(page.locator("canvas[data-campaign-chart]")).to_have_count(4)
    page.wait_for_function("() => [...document.querySelectorAll('canvas[data-campaign-chart]')]"
                           ".every(c => window.Chart && window.Chart.getChart(c))")
    shot(page, "campaign-journey-report.png")

    with page.expect_download() as info:
        page.get_by_role("link", name="Download the PDF").click()
    download = info.value
    assert download.suggested_filename.endswith(".pdf")
    pdf = tmp_path / "report.pdf"
    download.save_as(pdf)
    text = subprocess.run([PDFTOTEXT, "-layout", str(pdf), "-"],  # noqa: S603 - fixed argv
                          capture_output=True, text=True, check=True, timeout=30).stdout
    for expected in (CAMPAIGN, BRAND, *(name for name, _h, _f in PEOPLE), "10,000"):
        assert expected in text, f"{expected!r} missing from the PDF's text"


def test_campaign_journey(page: Page, people, tmp_path):
    base, member, manager = people
    page.set_default_timeout(10_000)
    log_in(page, base, member)
    campaign_id = create_campaign(page, base)
    add_influencers(page)
    move_through_pipeline(page, campaign_id)
    plan_and_submit(page)
    log_out(page)

    approve_as_manager(page, base, manager)
    log_out(page)

    log_in(page, base, member)
    publish_with_metrics(page, base, campaign_id)
    read_report(page, tmp_path)
