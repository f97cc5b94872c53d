"""“Add to a campaign” in headless Chromium, CSRF on: two people ticked on the list (one
already a participant), plus one marked "do not contact", added at "Contacted"; the report
names each case, the campaign's board shows the new participant in that column, and on a
390 px phone the choice page does not scroll sideways."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from tests import factories
from tests.browser import layout
from tests.browser.test_influencer_journey import log_in

pytestmark = pytest.mark.browser


@pytest.fixture()
def cast(app, live_server, monkeypatch):
    monkeypatch.setitem(app.config, "WTF_CSRF_ENABLED", True)
    user = factories.make_user("member")
    campaign = factories.make_campaign(name="Rentrée des musées", status="active")
    factories.make_campaign(name="Campagne finie", status="completed")
    people = {name: factories.make_influencer(display_name=name, status=status)
              for name, status in (("Manon Girard", "prospect"), ("Théo Mercier", "engaged"),
                                   ("Zélie Refus", "do_not_contact"))}
    factories.make_participant(campaign=campaign, influencer=people["Théo Mercier"])
    return live_server, user, campaign, people


def tick(page: Page, name: str) -> None:
    page.get_by_role("checkbox", name=name).check()


def test_add_two_ticked_people_to_a_campaign(page: Page, cast):
    base, user, campaign, people = cast
    log_in(page, base, user)
    page.goto(base + "/influencers/")
    for name in ("Manon Girard", "Théo Mercier", "Zélie Refus"):
        tick(page, name)
    page.get_by_role("button", name="Add to a campaign…").click()

    expect(page.get_by_role("heading", name="3 influencers chosen")).to_be_visible()
    options = page.locator("select[name=campaign] option").all_inner_texts()
    assert any("Rentrée des musées" in o for o in options)
    assert not any("Campagne finie" in o for o in options)
    page.get_by_label("Stage they start at").select_option(label="Contacted")
    page.get_by_role("button", name="Add to the campaign").click()

    flashes = page.locator(".flashes")
    expect(flashes).to_contain_text(
        "1 influencer added to “Rentrée des musées” at “Contacted”: Manon Girard.")
    expect(flashes).to_contain_text("1 was already in the campaign: Théo Mercier.")
    expect(flashes).to_contain_text("Not added, marked “do not contact”: Zélie Refus.")
    contacted = page.locator('.board-column[data-stage="contacted"]')
    expect(contacted.get_by_role("link", name="Manon Girard")).to_be_visible()
    expect(page.locator(".board-column").get_by_role("link", name="Zélie Refus")).to_have_count(0)

    # the profile offers the same, one person at a time; a phone never scrolls sideways
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(f"{base}/influencers/{people['Manon Girard'].id}")
    page.get_by_role("link", name="Add to a campaign").click()
    expect(page.get_by_role("heading", name="1 influencer chosen")).to_be_visible()
    assert layout.sideways(page) <= 0
