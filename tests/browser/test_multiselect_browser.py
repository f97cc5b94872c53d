"""The searchable multi-select in headless Chromium, CSRF on: in the campaign form a member
types in the countries, picks two (and takes one back out), saves, and the codes are stored;
the widget says "No results", keeps a visible focus, stays inside a 390 px phone's width,
and breaks no CSP rule. The same form with JavaScript off is a plain <select multiple>
that still saves."""

from __future__ import annotations

import pytest
from playwright.sync_api import Browser, Page, expect
from sqlalchemy import select

from app.extensions import db
from app.models import Campaign, Influencer
from tests import factories
from tests.browser import layout
from tests.browser.test_influencer_journey import log_in

pytestmark = pytest.mark.browser

BRAND = "Maison Lumière"


@pytest.fixture()
def member(app, live_server, monkeypatch):
    monkeypatch.setitem(app.config, "WTF_CSRF_ENABLED", True)  # as in production
    factories.make_brand(name=BRAND)
    return live_server, factories.make_user("member", name="Léa Martin")


def serious_axe_violations(page: Page, base: str) -> list[str]:
    """axe-core's critical and serious violations on the page as it is now."""
    page.add_script_tag(url=base + "/vendor/axe.min.js")
    return page.evaluate("""async () => (await axe.run(document, {resultTypes: ['violations']}))
        .violations.filter(v => ['critical', 'serious'].includes(v.impact))
        .map(v => v.id + ': ' + v.nodes.map(n => n.target.join(' ')).join(', '))""")


def _stored(name: str) -> str | None:
    db.session.expire_all()
    return db.session.scalar(select(Campaign.target_countries).where(Campaign.name == name))


def _start_campaign(page: Page, base: str, name: str) -> None:
    page.goto(base + "/campaigns/new")
    expect(page.get_by_role("heading", name="New campaign")).to_be_visible()
    page.locator("select[name=brand_id]").select_option(label=BRAND)
    page.get_by_role("textbox", name="Name", exact=True).fill(name)


def _pick(page: Page, countries, typed: str, choice: str) -> None:
    countries.fill(typed)
    page.locator(".ts-dropdown").get_by_role("option", name=choice, exact=True).click()


def test_type_pick_two_and_save(member, page: Page):
    base, user = member
    problems: list[str] = []
    page.on("console", lambda message: problems.append(message.text)
            if message.type == "error" else None)
    page.set_viewport_size({"width": 390, "height": 844})
    log_in(page, base, user)
    _start_campaign(page, base, "Tournée des plages")
    countries = page.get_by_role("combobox", name="Countries")
    countries.focus()
    focused = page.locator(".ts-wrapper.focus .ts-control")
    expect(focused).to_have_count(1)
    assert focused.evaluate("e => getComputedStyle(e).outlineStyle") == "solid"
    countries.fill("zzzz")
    expect(page.locator(".ts-dropdown .no-results")).to_have_text("No results")
    _pick(page, countries, "Belg", "Belgium")
    _pick(page, countries, "spa", "Spain")
    _pick(page, countries, "Fran", "France")
    chosen = page.locator(".ts-control .item")
    expect(chosen).to_have_count(3)
    page.locator(".ts-control .item", has_text="Spain").get_by_role(
        "button", name="Remove").click()
    expect(chosen).to_have_count(2)
    # On a phone the widget and its chips stay inside the screen.
    assert layout.sideways(page) <= 0
    page.keyboard.press("Escape")
    found = [v for v in serious_axe_violations(page, base) if "target_countries" in v]
    assert found == [], "\n".join(found)
    page.get_by_role("button", name="Save").click()
    expect(page.locator(".flash-success")).to_have_text("Campaign Tournée des plages created.")
    assert sorted(_stored("Tournée des plages").split(",")) == ["BE", "FR"]
    assert not [p for p in problems if "Content Security Policy" in p], problems
    # Editing shows them chosen in the widget, already filled.
    campaign_id = db.session.scalar(select(Campaign.id).where(
        Campaign.name == "Tournée des plages"))
    page.goto(f"{base}/campaigns/{campaign_id}/edit")
    expect(page.locator(".ts-control .item")).to_contain_text(["Belgium", "France"])


def test_the_plain_select_saves_without_javascript(member, browser: Browser):
    base, user = member
    context = browser.new_context(java_script_enabled=False, locale="en-GB")
    try:
        page = context.new_page()
        log_in(page, base, user)
        _start_campaign(page, base, "Sans script")
        expect(page.locator(".ts-wrapper")).to_have_count(0)
        plain = page.get_by_label("Countries")
        expect(plain).to_have_attribute("multiple", "")
        plain.select_option(["DE", "IT"])
        page.get_by_role("button", name="Save").click()
        expect(page.locator(".flash-success")).to_have_text("Campaign Sans script created.")
        assert sorted(_stored("Sans script").split(",")) == ["DE", "IT"]
    finally:
        context.close()


def test_the_influencer_country_is_searchable_too(member, page: Page):
    base, user = member
    log_in(page, base, user)
    page.goto(base + "/influencers/new")
    page.get_by_role("textbox", name="Display name").fill("Manon Girard")
    # A single choice: its typing field shows once the control is open.
    page.locator(".field-selectfield .ts-control").filter(
        has=page.locator("#country-ts-control")).click()
    page.get_by_role("combobox", name="Country", exact=True).fill("belg")
    page.locator(".ts-dropdown").get_by_role("option", name="Belgium", exact=True).click()
    found = [v for v in serious_axe_violations(page, base) if "country" in v]
    assert found == [], "\n".join(found)
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("heading", name="Manon Girard")).to_be_visible()
    db.session.expire_all()
    assert db.session.scalar(select(Influencer.country).where(
        Influencer.display_name == "Manon Girard")) == "BE"


def test_interests_offer_the_audiences_ones_and_take_new_ones(member, page: Page):
    base, user = member
    person = factories.make_influencer(accounts=[{"platform": "instagram", "handle": "a.b"}])
    factories.add_snapshot(person.accounts[0], {"interest": {"cuisine": 0.5, "voyage": 0.3}})
    log_in(page, base, user)
    _start_campaign(page, base, "Saveurs d'automne")
    interests = page.get_by_role("combobox", name="Interests")
    _pick(page, interests, "cuis", "cuisine")
    interests.fill("pâtisserie")
    page.keyboard.press("Enter")  # not among the audiences' interests: typed in
    expect(page.locator(".ts-control .item", has_text="pâtisserie")).to_have_count(1)
    page.get_by_role("button", name="Save").click()
    expect(page.locator(".flash-success")).to_be_visible()
    db.session.expire_all()
    stored = db.session.scalar(select(Campaign.target_interests).where(
        Campaign.name == "Saveurs d'automne"))
    assert stored == "cuisine,pâtisserie"
