"""Saved views in headless Chromium, CSRF on: a member filters and sorts the list, saves it
as a view shared with the team; a viewer opens it from the sidebar and sees the same rows in
the same order, the view marked current; on a 390 px phone the sidebar sits above the list
and nothing scrolls sideways."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from tests import factories
from tests.browser import layout
from tests.browser.test_influencer_journey import log_in

pytestmark = pytest.mark.browser


@pytest.fixture()
def team(app, live_server, monkeypatch):
    monkeypatch.setitem(app.config, "WTF_CSRF_ENABLED", True)
    member = factories.make_user("member", name="Camille Membre")
    viewer = factories.make_user("viewer", name="Victor Lecteur")
    for name, status, followers in (("Alice Engagée", "engaged", 12_000),
                                    ("Bruno Engagé", "engaged", 90_000),
                                    ("Chloé Prospect", "prospect", 50_000),
                                    ("Denis Engagé", "engaged", 3_000)):
        factories.make_influencer(display_name=name, status=status, accounts=[
            {"platform": "instagram", "handle": name.split()[0].lower(),
             "followers": followers}])
    return live_server, member, viewer


def row_names(page: Page) -> list[str]:
    """The rows' names, in order (a viewer's rows have no checkbox column)."""
    return page.eval_on_selector_all(
        "table.influencer-list tbody tr",
        "rows => rows.map(r => [...r.querySelectorAll('a')]"
        ".find(a => /^\\/influencers\\/\\d+$/.test(a.getAttribute('href'))).textContent)")


def test_a_shared_view_opens_the_same_rows_for_a_colleague(page: Page, browser, team):
    base, member, viewer = team
    log_in(page, base, member)
    page.goto(base + "/influencers/")
    page.locator("select#status").select_option("engaged")
    page.locator("select#sort").select_option("-followers")
    expect(page).to_have_url(re.compile(r"status=engaged.*sort=-followers"))  # htmx swapped
    expect(page.locator("table.influencer-list tbody tr")).to_have_count(3)
    expected = ["Bruno Engagé", "Alice Engagée", "Denis Engagé"]
    assert row_names(page) == expected

    sidebar = page.locator("aside.saved-views")
    sidebar.get_by_placeholder("Name of the view").fill("Engagés par audience")
    sidebar.get_by_label("Share with the team").check()
    sidebar.get_by_role("button", name="Save the view").click()
    expect(page.locator(".flashes")).to_contain_text("View “Engagés par audience” saved.")
    expect(sidebar.locator("a[aria-current=page]")).to_have_text("Engagés par audience")

    other = browser.new_context(locale="en-GB", viewport={"width": 390, "height": 844})
    colleague = other.new_page()
    try:
        log_in(colleague, base, viewer)
        colleague.goto(base + "/influencers/")
        assert colleague.locator("table.influencer-list tbody tr").count() == 4
        views = colleague.locator("aside.saved-views")
        views.get_by_role("link", name="Engagés par audience").click()
        expect(colleague.locator("aside.saved-views a[aria-current=page]")).to_have_text(
            "Engagés par audience")
        assert row_names(colleague) == expected
        expect(views).to_contain_text("Camille Membre")
        assert layout.sideways(colleague) <= 0
        # a viewer may save a personal view, not share it
        expect(views.get_by_label("Share with the team")).to_have_count(0)
    finally:
        other.close()
