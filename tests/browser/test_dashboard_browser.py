"""The dashboard in headless Chromium on a 390 px phone, CSRF on: a member's follow-ups
done and snoozed with htmx, in place (the page is not reloaded), the list and its message
replaced; the first-run checklist of an empty install; no sideways scroll, no serious axe
violation in what this page adds."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from playwright.sync_api import Page, expect

from app.extensions import db
from app.models import Interaction
from tests import factories
from tests.browser import layout
from tests.browser.test_influencer_journey import log_in
from tests.browser.test_multiselect_browser import serious_axe_violations

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}


def _mine(found: list[str]) -> list[str]:
    return [v for v in found if "follow-up" in v or "snooze" in v or "first-steps" in v
            or "checklist" in v]


def test_follow_ups_done_and_snoozed_in_place(app, live_server, monkeypatch, page: Page):
    monkeypatch.setitem(app.config, "WTF_CSRF_ENABLED", True)
    member = factories.make_user("member", name="Léa Martin")
    person = factories.make_influencer(display_name="Inès Moreau")
    today = date.today()
    calls = [Interaction(influencer_id=person.id, user_id=member.id, kind="call",
                         summary=summary, follow_up_on=today - timedelta(days=1))
             for summary in ("Relancer pour le salon", "Envoyer le brief")]
    db.session.add_all(calls)
    db.session.commit()
    page.set_viewport_size(PHONE)
    log_in(page, live_server, member)
    page.evaluate("window.stillThisPage = true")
    follow_ups = page.locator("#follow-ups")
    first = follow_ups.locator("li", has_text="Relancer pour le salon")
    first.get_by_role("button", name="Snooze 1 week").click()
    expect(follow_ups.locator(".flash-success")).to_contain_text("Follow-up moved to")
    week = (today + timedelta(days=7)).isoformat()
    expect(follow_ups.locator(f'time[datetime="{week}"]')).to_have_count(1)
    assert page.evaluate("window.stillThisPage") is True
    db.session.expire_all()
    assert db.session.get(Interaction, calls[0].id).follow_up_on == today + timedelta(days=7)
    second = follow_ups.locator("li", has_text="Envoyer le brief")
    second.locator("summary").click()
    second.get_by_label("Follow up on").fill((today + timedelta(days=3)).isoformat())
    second.get_by_role("button", name="Snooze", exact=True).click()
    later = (today + timedelta(days=3)).isoformat()
    expect(follow_ups.locator(f'time[datetime="{later}"]')).to_have_count(1)
    follow_ups.locator("li", has_text="Relancer pour le salon").get_by_role(
        "button", name="Done").click()
    expect(follow_ups.locator(".flash-success")).to_have_text("Follow-up marked as done.")
    expect(follow_ups.locator("li")).to_have_count(1)
    assert page.evaluate("window.stillThisPage") is True
    db.session.expire_all()
    assert db.session.get(Interaction, calls[0].id).follow_up_done is True
    assert db.session.get(Interaction, calls[1].id).follow_up_on == today + timedelta(days=3)
    assert layout.sideways(page) <= 0
    found = _mine(serious_axe_violations(page, live_server))
    assert found == [], "\n".join(found)


def test_the_checklist_of_an_empty_install(live_server, page: Page):
    admin = factories.make_user("admin", name="Paul Admin")
    page.set_viewport_size(PHONE)
    log_in(page, live_server, admin)
    card = page.locator(".first-steps")
    expect(card.get_by_role("heading", name="Getting started")).to_be_visible()
    expect(card.get_by_role("listitem")).to_have_count(4)
    assert layout.sideways(page) <= 0
    found = _mine(serious_axe_violations(page, live_server))
    assert found == [], "\n".join(found)
    card.get_by_role("link", name="Add a brand").click()
    expect(page).to_have_url(live_server + "/brands/new")
