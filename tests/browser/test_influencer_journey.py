"""The influencer journey in headless Chromium: log in → create an influencer with an
Instagram account and an audience snapshot → find them by search and by an audience
filter → edit → provoke and resolve a conflict → log out."""

from __future__ import annotations

from datetime import date

import pytest
from playwright.sync_api import Browser, Page, expect
from sqlalchemy import select

from app.models import Influencer
from tests import factories

pytestmark = pytest.mark.browser


def log_in(page: Page, base: str, user) -> None:
    page.goto(base + "/login")
    page.get_by_label("Email").fill(user.email)
    page.get_by_label("Password").fill(factories.PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("heading", name="Dashboard")).to_be_visible()
    # The heading shows while the page still loads; htmx takes over its forms on load. A
    # click before that posts the form the plain way (a whole page), which tests of
    # in-place updates would take for a failure.
    page.wait_for_load_state("load")


def create_influencer(page: Page, base: str) -> None:
    page.goto(base + "/influencers/new")
    page.fill("input[name=display_name]", "Manon Girard")
    page.select_option("select[name=kind]", "instagrammer")
    page.select_option("select[name=country]", "FR")
    page.fill("input[name=email]", "manon.girard@exemple.fr")
    page.fill("input[name=tags]", "beauté, Lyon")
    page.fill("input[name=account_handle]", "https://www.instagram.com/Manon.Girard/")
    page.fill("input[name=account_followers]", "48 200")
    page.fill("input[name=account_engagement]", "3,4")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("heading", name="Manon Girard")).to_be_visible()
    expect(page.get_by_text("manon.girard", exact=True).first).to_be_visible()


def add_snapshot(page: Page) -> None:
    page.get_by_role("link", name="Add an audience snapshot").click()
    page.fill("input[name=taken_on]", date.today().isoformat())
    page.fill("input[name=gender_female]", "64")
    page.fill("input[name=gender_male]", "34")
    page.fill("input[name=gender_other]", "2")
    page.fill("input[name=age_18_24]", "31")
    page.fill("input[name=age_25_34]", "44")
    page.fill("input[name=age_35_44]", "25")
    page.select_option("select[name=country_1]", "FR")
    page.fill("input[name=country_share_1]", "78")
    page.get_by_role("button", name="Add the snapshot").click()
    expect(page.get_by_role("heading", name="Manon Girard")).to_be_visible()
    # the audience charts are drawn from the snapshot
    expect(page.locator("canvas[data-chart]").first).to_be_visible()


def find_in_list(page: Page, base: str) -> None:
    factories.make_influencer(display_name="Bruno Petit", country="FR")
    page.goto(base + "/influencers/")
    page.fill("input[name=q]", "manon.girard")
    page.keyboard.press("Enter")
    rows = page.locator("table tbody tr")
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text("Manon Girard")
    # audience filter: at least 60 % women in the latest snapshot
    page.goto(base + "/influencers/?women_min=60")
    expect(page.locator("table tbody tr")).to_have_count(1)
    expect(page.locator("table tbody")).to_contain_text("Manon Girard")
    page.goto(base + "/influencers/?women_min=70")
    expect(page.get_by_text("Manon Girard")).to_have_count(0)
    page.goto(base + "/influencers/?top_country=FR&age_band=25-34&age_min=40")
    expect(page.locator("table tbody")).to_contain_text("Manon Girard")


def edit_and_resolve_conflict(page: Page, other: Page, base: str, influencer_id: int) -> None:
    edit_url = f"{base}/influencers/{influencer_id}/edit"
    page.goto(edit_url)
    other.goto(edit_url)
    # first editor saves
    page.fill("input[name=city]", "Lyon")
    page.get_by_role("button", name="Save").click()
    expect(page.locator("main")).to_contain_text("Lyon (FR)")
    # second editor, on a stale form, saves too: conflict page with both versions
    other.fill("input[name=city]", "Marseille")
    other.get_by_role("button", name="Save").click()
    heading = "Someone else saved Manon Girard in the meantime"
    expect(other.get_by_role("heading", name=heading)).to_be_visible()
    expect(other.locator("td.differs").first).to_be_visible()
    expect(other.locator("table")).to_contain_text("Lyon")
    expect(other.locator("table")).to_contain_text("Marseille")
    other.get_by_role("button", name="Apply my changes anyway").click()
    expect(other.locator("main")).to_contain_text("Marseille (FR)")


def test_influencer_journey(page: Page, browser: Browser, live_server, db):
    member = factories.make_user("member", name="Camille Martin")
    colleague = factories.make_user("member", name="Yanis Roux")
    log_in(page, live_server, member)
    create_influencer(page, live_server)
    add_snapshot(page)
    influencer_id = db.session.scalar(
        select(Influencer.id).where(Influencer.display_name == "Manon Girard")
    )
    find_in_list(page, live_server)

    context = browser.new_context(locale="en-GB")
    other = context.new_page()
    try:
        log_in(other, live_server, colleague)
        edit_and_resolve_conflict(page, other, live_server, influencer_id)
    finally:
        context.close()

    db.session.expire_all()
    saved = db.session.get(Influencer, influencer_id)
    assert saved.city == "Marseille"
    assert saved.accounts[0].platform == "instagram"
    assert saved.accounts[0].handle == "manon.girard"
    assert saved.accounts[0].followers == 48200

    page.get_by_role("button", name="Log out").click()
    expect(page.get_by_role("button", name="Log in")).to_be_visible()
    page.goto(live_server + f"/influencers/{influencer_id}")
    expect(page.get_by_role("button", name="Log in")).to_be_visible()
