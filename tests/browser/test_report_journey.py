"""The museum campaign's report in headless Chromium, CSRF on: a community manager (a
member) builds the campaign through the UI — agreed fees typed in the participants' table,
one participant still negotiating, two operations planned, approved by a manager and
published with their metrics, one participant marked as paid — then the report's page,
its PDF's text, its CSV (English and French) and `flask campaigns report --json` give the
figures computed by hand below, and the costs per participant, platform and operation add
up to the cost the KPIs use.

By hand (money in euros):
- Agreed fees: Édith 1 200 (Instagram reel), Hugo 800 (TikTok video), Inès 450 (still
  negotiating, no operation yet). Committed 2 450; cost used by the KPIs 2 450, of which
  450 not on an operation yet; spent 800 (Hugo is marked as paid). Budget 10 000, so
  7 550 remaining.
- Reel: 30 000 impressions, 21 000 reach, 1 100 + 60 + 25 + 15 = 1 200 engagements.
  Video: 40 000 impressions, 28 000 reach, 650 + 80 + 20 + 10 = 760 engagements.
- Totals: 70 000 impressions, 49 000 reach, 1 960 engagements; engagement rate by reach
  1 960 / 49 000 = 4 %; CPE 2 450 / 1 960 = 1,25; CPM 2 450 / 70 000 × 1 000 = 35.
- Reel: CPE 1 200 / 1 200 = 1,00, CPM 40,00, engagement rate 5,71 %; video: CPE
  800 / 760 = 1,05, CPM 20,00, engagement rate 2,71 %.
"""

from __future__ import annotations

import csv
import io
import json
import re
import subprocess
from datetime import date, timedelta
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect
from sqlalchemy import select, update

from app.extensions import db
from app.models import Campaign, User
from tests import factories
from tests.browser.test_board_browser import column
from tests.browser.test_campaign_journey import card_of, log_out
from tests.browser.test_influencer_journey import log_in

pytestmark = pytest.mark.browser

PDFTOTEXT = "/usr/bin/pdftotext"
CAMPAIGN = "Lumières du musée"
BRAND = "Musée des Arts de Paris"
EDITH, HUGO, INES = "Édith Marchal", "Hugo Lambert", "Inès Roux"
PEOPLE = (  # name, platform, handle, followers
    (EDITH, "instagram", "edith.marchal", 24_000),
    (HUGO, "tiktok", "hugo.lambert", 38_000),
    (INES, "instagram", "ines.roux", 9_000),
)
FEES = {EDITH: "1 200", HUGO: "800", INES: "450"}
METRICS = {  # what the community manager types when publishing
    EDITH: {"Impressions": "30 000", "Reach": "21 000", "Likes": "1 100", "Comments": "60",
            "Shares": "25", "Saves": "15"},
    HUGO: {"Impressions": "40 000", "Reach": "28 000", "Likes": "650", "Comments": "80",
           "Shares": "20", "Saves": "10"},
}
KINDS = {EDITH: ("Reel", "Instagram"), HUGO: ("Video", "TikTok")}


@pytest.fixture()
def museum(app, live_server, monkeypatch):
    monkeypatch.setitem(app.config, "WTF_CSRF_ENABLED", True)  # as in production
    member = factories.make_user("member", name="Camille Dubois")
    manager = factories.make_user("manager", name="Paul Manager")
    factories.make_brand(name=BRAND)
    for name, platform, handle, followers in PEOPLE:
        factories.make_influencer(display_name=name, email=f"{handle}@musee-relais.fr",
                                  accounts=[{"platform": platform, "handle": handle,
                                             "followers": followers}])
    return live_server, member, manager


def create_campaign(page: Page, base: str) -> int:
    page.goto(base + "/campaigns/new")
    page.get_by_label("Brand").select_option(label=BRAND)
    page.get_by_role("textbox", name="Name", exact=True).fill(CAMPAIGN)
    today = date.today()
    page.get_by_label("Start", exact=True).fill((today - timedelta(days=10)).isoformat())
    page.get_by_label("End", exact=True).fill((today + timedelta(days=20)).isoformat())
    page.get_by_label("Budget", exact=True).fill("10 000")
    page.get_by_label("Currency", exact=True).select_option("EUR")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("heading", name=CAMPAIGN)).to_be_visible()
    return db.session.scalar(select(Campaign.id).where(Campaign.name == CAMPAIGN))


def add_people_and_fees(page: Page) -> None:
    page.get_by_role("link", name="Participants").click()
    page.get_by_label("Find influencers to add").fill("musee-relais")
    page.get_by_role("button", name="Search", exact=True).click()
    for name, *_rest in PEOPLE:
        page.get_by_label(f"Select {name}").check()
    page.get_by_role("button", name="Add to the campaign").click()
    expect(page.locator(".flash-success")).to_have_text("3 influencers added to the campaign.")
    page.get_by_role("link", name="Table", exact=True).click()
    for name, fee in FEES.items():
        page.get_by_label(f"Agreed fee of {name} (EUR)").fill(fee)
        page.get_by_role("button", name=f"Save the fees and notes of {name}").click()
        expect(page.locator(".flash-success")).to_have_text(f"{name}: fees and notes saved.")
    expect(page.locator("[data-committed]")).to_have_text("€2,450.00")
    page.get_by_role("link", name="Board", exact=True).click()
    for name, stage in ((EDITH, "Contracted"), (HUGO, "Contracted"), (INES, "Negotiating")):
        move(page, name, stage)


def move(page: Page, name: str, stage: str) -> None:
    card = card_of(page, name)
    page.get_by_label(f"Stage of {name}").select_option(label=stage)
    page.get_by_role("button", name=f"Move {name} to the chosen stage").click()
    expect(column(page, stage.lower()).locator(card)).to_be_visible()


def plan_and_submit(page: Page, name: str) -> None:
    kind, platform = KINDS[name]
    page.get_by_role("link", name="Operations").first.click()
    page.get_by_role("link", name="Plan an operation").first.click()
    page.get_by_label("Participant").select_option(label=f"{name} ({platform})")
    page.get_by_label("Kind").select_option(label=kind)
    page.get_by_label("Planned for").fill(date.today().isoformat())
    page.get_by_label("Draft caption").fill("L'exposition Lumières #publicité @museearts")
    page.get_by_role("button", name="Plan the operation").click()
    expect(page.locator(".flash-success")).to_have_text("Operation planned.")
    page.get_by_role("button", name="Submit for approval").click()
    expect(page.get_by_text("Waiting for a manager")).to_be_visible()


def approve_both(page: Page, base: str, manager: User) -> None:
    log_in(page, base, manager)
    page.goto(base + "/campaigns/approvals?list=approve")
    for name in (EDITH, HUGO):
        kind, platform = KINDS[name]
        item = page.get_by_role("article", name=f"{kind} · {platform} — {name}")
        item.get_by_role("button", name="Approve").click()
        expect(page.locator(".flash-success")).to_have_text(
            "Operation approved: it can now be published.")
    log_out(page)


def publish(page: Page, base: str, campaign_id: int, name: str) -> None:
    page.goto(f"{base}/campaigns/{campaign_id}/operations")
    page.get_by_role("link", name=f"{KINDS[name][0]} — {name}").click()
    page.get_by_label("Published address").fill(
        f"https://www.{KINDS[name][1].lower()}.com/p/{name.split()[1].lower()}1/")
    page.get_by_label("Published on").fill(date.today().isoformat())
    page.get_by_text("Add the metrics now (optional)").click()
    for label, value in METRICS[name].items():
        page.get_by_label(label, exact=True).fill(value)
    page.get_by_role("button", name="Mark published").click()
    expect(page.locator(".flash-success")).to_have_text("Operation marked published.")


def read_page(page: Page, base: str, campaign_id: int) -> None:
    page.goto(f"{base}/campaigns/{campaign_id}/report")
    figures = page.locator(".kpi-grid .kpi")

    def headline(name: str):
        return figures.filter(has=page.get_by_text(name, exact=True)).locator(".kpi-value")

    expect(headline("Engagements")).to_have_text("1,960")
    expect(headline("Engagement rate (by reach)")).to_have_text("4%")
    expect(headline("Cost per engagement (CPE)")).to_have_text("€1.25")
    expect(headline("Cost per thousand (CPM)")).to_have_text("€35.00")
    budget = {key: page.locator(f'.budget-facts [data-figure="{key}"]')
              for key in ("committed", "spent", "cost", "unallocated", "remaining")}
    for key, amount in (("committed", "€2,450.00"), ("spent", "€800.00"),
                        ("cost", "€2,450.00"), ("unallocated", "€450.00"),
                        ("remaining", "€7,550.00")):
        expect(budget[key]).to_have_text(amount)
    expect(page.locator(".budget-facts")).to_contain_text("Cost used by the KPIs")
    # Per participant and per platform, the costs add up to the same 2 450 €.
    participants = page.locator("#participants")
    for name, cost in ((EDITH, "€1,200.00"), (HUGO, "€800.00"), (INES, "€450.00")):
        row = participants.locator("tbody tr").filter(has=page.get_by_role("link", name=name))
        expect(row.locator("[data-cost]")).to_have_text(cost)
    expect(participants.locator("tfoot [data-cost]")).to_have_text("€2,450.00")
    platforms = page.locator(".platform-table")
    expect(platforms.locator("tbody [data-cost]")).to_have_text(
        ["€1,200.00", "€800.00", "€450.00"])
    expect(platforms.locator("tbody th")).to_have_text(
        ["Instagram", "TikTok", "Not on an operation yet"])
    expect(platforms.locator("tfoot [data-cost]")).to_have_text("€2,450.00")
    page.get_by_role("link", name="Show the KPIs per operation").click()
    operations = page.locator("#operation-kpis")
    expect(operations).to_contain_text("€450.00 of agreed fees are not on an operation yet")
    expect(operations.locator("tbody tr")).to_have_count(2)


def read_pdf(page: Page, tmp_path: Path) -> None:
    with page.expect_download() as info:
        page.get_by_role("link", name="Download the PDF").click()
    pdf = tmp_path / "report.pdf"
    info.value.save_as(pdf)
    text = subprocess.run([PDFTOTEXT, "-layout", str(pdf), "-"],  # noqa: S603 - fixed argv
                          capture_output=True, text=True, check=True, timeout=30).stdout
    text = re.sub(r"\s+", " ", text)
    for expected in ("Committed (agreed fees) €2,450.00", "Spent (paid) €800.00",
                     "Cost used by the KPIs €2,450.00",
                     "of which not on an operation yet €450.00", "Remaining €7,550.00",
                     "€1.25", "€35.00", "1,960", "49,000"):
        assert expected in text, f"{expected!r} missing from the PDF's text"
    # The platform table: Instagram, TikTok, the fee on no operation, the total.
    assert re.search(r"Instagram 1 30,000 21,000 1,200 .*€1,200\.00 TikTok 1 40,000 28,000 760 "
                     r".*€800\.00 Not on an operation .*€450\.00 (yet )?Total 2 70,000 49,000 "
                     r"1,960 4% €1\.25 €35\.00 .*€2,450\.00", text), text
    # Per participant: 1 200 + 800 + 450 €, and the total row.
    assert re.search(r"Édith Marchal Live 1 .*€1,200\.00 .*Hugo Lambert Paid 1 .*€800\.00 .*"
                     r"Inès Roux Negotiating 0 .*€450\.00 .*Total \(3 participants\) 2 49,000 "
                     r"1,960 4% .*€2,450\.00", text), text


def read_csv(page: Page, base: str, campaign_id: int, member: User) -> None:
    url = f"{base}/campaigns/{campaign_id}/report.csv"
    with page.expect_download() as info:
        page.get_by_role("link", name="Download the CSV").click()
    rows = list(csv.reader(io.StringIO(Path(info.value.path()).read_text("utf-8-sig"))))
    header, reel, video, unallocated, total, _blank, *named = rows
    by = {name: dict(zip(header, row, strict=True)) for name, row in
          (("reel", reel), ("video", video), ("unallocated", unallocated), ("total", total))}
    cost, er = "Cost used by the KPIs", "Engagement rate (by reach) (%)"
    assert [by[key][cost] for key in by] == ["1200.00", "800.00", "450.00", "2450.00"]
    assert (by["reel"]["CPE"], by["reel"]["CPM"], by["reel"][er]) == ("1.00", "40.00", "5.71")
    assert (by["video"]["CPE"], by["video"]["CPM"], by["video"][er]) == ("1.05", "20.00", "2.71")
    assert (by["total"]["CPE"], by["total"]["CPM"], by["total"][er]) == ("1.25", "35.00", "4.00")
    assert by["unallocated"]["Operation"] == "Not on an operation yet"
    assert named == [["Committed (agreed fees)", "2450.00"], ["Spent (paid)", "800.00"],
                     [cost, "2450.00"]]
    # The same file for a French reader: semicolons, decimal commas, French headers.
    db.session.execute(update(User).where(User.id == member.id).values(locale="fr"))
    db.session.commit()
    body = page.request.get(url).body().decode("utf-8-sig")
    header, *rows = list(csv.reader(io.StringIO(body), delimiter=";"))
    total = dict(zip(header, rows[3], strict=True))
    assert total["Taux d'engagement (sur la portée) (%)"] == "4,00"
    assert total["Coût retenu pour les KPI"] == "2450,00" and total["CPE"] == "1,25"
    assert rows[-3:] == [["Engagé (tarifs convenus)", "2450,00"], ["Dépensé (payé)", "800,00"],
                         ["Coût retenu pour les KPI", "2450,00"]]


def read_json(runner, campaign_id: int) -> None:
    result = runner.invoke(args=["campaigns", "report", str(campaign_id), "--json"])
    data = json.loads(result.output)
    assert {key: data["budget"][key] for key in ("committed", "spent", "cost",
                                                 "not_on_an_operation")} == {
        "committed": 2450.0, "spent": 800.0, "cost": 2450.0, "not_on_an_operation": 450.0}
    assert (data["kpis"]["cost"], data["kpis"]["cpe"], data["kpis"]["cpm"]) == (2450.0, 1.25,
                                                                                35.0)
    assert {p["name"]: p["cost"] for p in data["participants"]} == {
        EDITH: 1200.0, HUGO: 800.0, INES: 450.0}


def test_museum_report_journey(page: Page, museum, runner, tmp_path):
    base, member, manager = museum
    page.set_default_timeout(10_000)
    log_in(page, base, member)
    campaign_id = create_campaign(page, base)
    add_people_and_fees(page)
    for name in (EDITH, HUGO):
        plan_and_submit(page, name)
    log_out(page)
    approve_both(page, base, manager)
    log_in(page, base, member)
    for name in (EDITH, HUGO):
        publish(page, base, campaign_id, name)
    page.goto(f"{base}/campaigns/{campaign_id}/participants")
    move(page, HUGO, "Paid")
    read_page(page, base, campaign_id)
    read_pdf(page, tmp_path)
    read_csv(page, base, campaign_id, member)
    read_json(runner, campaign_id)
