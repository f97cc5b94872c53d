"""Browser: the shell every page shares. The nav holds one row at 1366 px in French and in
English (beside the brand down to 1241 px, on a row of its own down to 900 px); on a phone
or a tablet it hides behind a menu button that the
keyboard opens (Enter) and closes (Escape); the language switch changes the page's
language and stays on the page; the calendar offers its agenda on a phone without
scrolling the page sideways; touch targets are 44 px tall on a touch screen."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from playwright.sync_api import Browser, Page, expect

from tests import factories
from tests.browser import layout

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}
TABLET = {"width": 768, "height": 1024}
LAPTOP = {"width": 1366, "height": 800}

NAV_TOPS = """() => Array.from(document.querySelectorAll('#main-nav > ul > li'))
    .map(item => Math.round(item.getBoundingClientRect().top))"""
# Every visible control of the header and the page, with its height when under 44 px.
TOO_SMALL = """() => Array.from(document.querySelectorAll(
      'header a, header button, header summary, main a.button, main button, main select, '
      + 'main input:not([type=hidden]):not([type=checkbox]):not([type=radio])'))
    .filter(el => el.getClientRects().length)
    .map(el => [el.outerHTML.slice(0, 80), el.getBoundingClientRect().height])
    .filter(([, height]) => height < 44)"""


def _log_in(page: Page, base: str, user) -> None:
    page.goto(base + "/login")
    page.locator("input[name=email]").fill(user.email)
    page.locator("input[name=password]").fill(factories.PASSWORD)
    page.locator("form.card button[type=submit], form.card input[type=submit]").click()
    expect(page.locator("#main-nav")).to_be_attached()
    page.wait_for_load_state("load")  # the stylesheets applied before anything is measured


@pytest.mark.parametrize("locale", ["fr", "en"])
def test_nav_is_one_row_at_1366(page: Page, live_server, db, locale):
    # An administrator with a waiting approval and a long name: the widest header there is.
    admin = factories.make_user("admin", locale=locale, name="Marie-Charlotte de La Rochefoucauld")
    factories.make_operation(status="submitted")
    page.set_viewport_size(LAPTOP)
    _log_in(page, live_server, admin)
    expect(page.locator("html")).to_have_attribute("lang", locale)
    tops = page.evaluate(NAV_TOPS)
    assert len(tops) >= 9 and len(set(tops)) == 1, tops
    header = page.locator(".topbar").bounding_box()
    assert header["height"] < 80, header  # one row: nothing wrapped under the logo
    assert layout.sideways(page) <= 0
    nav = page.locator("#main-nav").bounding_box()
    account = page.locator(".account-area").bounding_box()
    last = page.locator("#main-nav > ul > li").last.bounding_box()
    assert last["x"] + last["width"] <= nav["x"] + nav["width"] <= account["x"], (last, account)
    badge = page.locator("#main-nav .badge")
    expect(badge).to_have_attribute("title", "1 élément attend une validation" if locale == "fr"
                                    else "1 item waits for approval")
    # "More" holds the imports and the administration, and opens and closes by keyboard.
    more = page.locator("#main-nav summary")
    more.focus()
    page.keyboard.press("Enter")
    users = page.locator("#main-nav .menu-list a").nth(1)
    expect(users).to_be_visible()
    page.keyboard.press("Escape")
    expect(users).to_be_hidden()
    expect(more).to_be_focused()
    more.click()
    page.locator("main h1").click()  # a click outside closes it
    expect(users).to_be_hidden()
    # Narrower laptops keep the row on smaller paddings; below 1241 px the menu button.
    for width in (1920, 1280, 1241):
        page.set_viewport_size({"width": width, "height": 800})
        tops = page.evaluate(NAV_TOPS)
        last = page.locator("#main-nav > ul > li").last.bounding_box()
        assert len(set(tops)) == 1 and last["x"] + last["width"] <= page.locator(
            ".account-area").bounding_box()["x"], (width, tops, last)
        expect(page.get_by_role("button", name="Menu")).to_be_hidden()
    # From 1240 down to 900 px the nav takes a second row of its own, still one line.
    for width in (1240, 1024, 900):
        page.set_viewport_size({"width": width, "height": 800})
        tops = page.evaluate(NAV_TOPS)
        last = page.locator("#main-nav > ul > li").last.bounding_box()
        assert len(set(tops)) == 1 and last["x"] + last["width"] <= width, (width, tops, last)
        expect(page.get_by_role("button", name="Menu")).to_be_hidden()
        assert layout.sideways(page) <= 0
    page.set_viewport_size({"width": 899, "height": 800})
    expect(page.get_by_role("button", name="Menu")).to_be_visible()


@pytest.mark.parametrize("size", [PHONE, TABLET], ids=["390", "768"])
def test_menu_button_opens_the_nav_by_keyboard(page: Page, live_server, db, size):
    user = factories.make_user("manager", name="Camille Martin")
    page.set_viewport_size(size)
    _log_in(page, live_server, user)
    button = page.get_by_role("button", name="Menu")
    expect(button).to_be_visible()
    expect(button).to_have_attribute("aria-expanded", "false")
    campaigns = page.locator("#main-nav").get_by_role("link", name="Campaigns")
    expect(campaigns).to_be_hidden()
    button.focus()
    page.keyboard.press("Enter")
    expect(button).to_have_attribute("aria-expanded", "true")
    expect(campaigns).to_be_visible()
    page.keyboard.press("Escape")
    expect(button).to_have_attribute("aria-expanded", "false")
    expect(campaigns).to_be_hidden()
    expect(button).to_be_focused()
    # The account area and the open nav stay inside the screen.
    button.click()
    assert layout.sideways(page) <= 0
    for part in (".account-area", ".brand", "[data-menu-button]"):
        box = page.locator(part).bounding_box()
        assert box["x"] >= 0 and box["x"] + box["width"] <= size["width"], (part, box)


def test_nav_opens_without_javascript(browser: Browser, live_server, db):
    user = factories.make_user("member")
    context = browser.new_context(java_script_enabled=False, viewport=PHONE)
    page = context.new_page()
    try:
        _log_in(page, live_server, user)
        page.locator("[data-menu-fallback]").click()
        expect(page.locator("#main-nav").get_by_role("link", name="Brands")).to_be_visible()
    finally:
        context.close()


def test_language_switch_changes_the_page_and_stays(page: Page, live_server, db):
    user = factories.make_user("member", locale="en")
    _log_in(page, live_server, user)
    page.goto(live_server + "/campaigns/calendar?view=week&date=2026-03-04")
    expect(page.locator("h1")).to_have_text("Editorial calendar")
    page.get_by_role("button", name="Français").click()
    expect(page.locator("h1")).to_have_text("Calendrier éditorial")
    expect(page.locator("html")).to_have_attribute("lang", "fr")
    assert page.url == live_server + "/campaigns/calendar?view=week&date=2026-03-04"
    expect(page.get_by_role("button", name="Français")).to_have_attribute("aria-pressed", "true")
    page.get_by_role("button", name="English").click()
    expect(page.locator("h1")).to_have_text("Editorial calendar")


def test_calendar_on_a_phone_offers_the_agenda(page: Page, live_server, db):
    user = factories.make_user("viewer")
    today = date.today()
    campaign = factories.make_campaign(name="Printemps des poètes")
    person = factories.make_person("Édith Marchal-Beaumont", ("instagram", 24_000, None, None))
    participant = factories.make_participant(campaign, person)
    factories.make_operation(participant, planned_on=today, status="planned")
    factories.make_operation(participant, planned_on=today + timedelta(days=1), status="approved")
    page.set_viewport_size(PHONE)
    _log_in(page, live_server, user)
    page.goto(live_server + "/campaigns/calendar")
    agenda = page.locator(".agenda")
    expect(agenda).to_be_visible()
    agenda_link = page.get_by_role("link", name="Agenda", exact=True)
    expect(agenda_link).to_have_attribute("aria-current", "page")
    expect(agenda.locator(".chip")).to_have_count(2)
    assert layout.sideways(page) <= 0
    # The filters are folded away above it, one tap from their fields; a filter in use
    # keeps them open.
    filters = page.locator("details.calendar-filters")
    expect(filters).not_to_have_attribute("open", "")
    expect(page.get_by_label("Brand")).to_be_hidden()
    assert page.evaluate("document.querySelector('.agenda').getBoundingClientRect().top") < 844
    filters.locator("summary").click()
    expect(page.get_by_label("Brand")).to_be_visible()
    page.goto(live_server + f"/campaigns/calendar?campaign={campaign.id}")
    expect(page.get_by_label("Brand")).to_be_visible()
    # The month grid is still offered: it scrolls inside its card, never the page.
    page.get_by_role("link", name="Month", exact=True).click()
    expect(page.locator("table.cal-month")).to_be_visible()
    expect(agenda).to_have_count(0)
    assert layout.sideways(page) <= 0
    # On a laptop the month grid is the default, and the agenda one click away; the
    # filters are open, without a fold.
    page.set_viewport_size(LAPTOP)
    page.goto(live_server + "/campaigns/calendar")
    expect(page.locator("table.cal-month")).to_be_visible()
    expect(page.get_by_label("Brand")).to_be_visible()
    expect(page.locator("details.calendar-filters > summary")).to_be_hidden()
    expect(agenda).to_be_hidden()
    expect(page.get_by_role("link", name="Month", exact=True)).to_have_attribute(
        "aria-current", "page")
    page.get_by_role("link", name="Agenda", exact=True).click()
    expect(agenda.locator(".chip")).to_have_count(2)
    expect(page.locator("table.cal")).to_have_count(0)
    expect(agenda.locator("h3").first).to_contain_text("Today")


def test_touch_targets_are_44_px(browser: Browser, live_server, db):
    user = factories.make_user("admin")
    context = browser.new_context(viewport=PHONE, has_touch=True, is_mobile=True,
                                  locale="en-GB")
    page = context.new_page()
    try:
        _log_in(page, live_server, user)
        page.goto(live_server + "/campaigns")
        page.get_by_role("button", name="Menu").click()
        page.locator("#main-nav summary").click()  # "More": imports and administration
        small = page.evaluate(TOO_SMALL)
        assert not small, small
    finally:
        context.close()
