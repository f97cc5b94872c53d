"""Browser: logging in and out in headless Chromium."""

import pytest
from playwright.sync_api import Page, expect

from tests import factories

pytestmark = pytest.mark.browser


def test_login_then_logout(page: Page, live_server, db):
    user = factories.make_user("member", name="Camille Martin")
    page.goto(live_server + "/")
    expect(page).to_have_url(f"{live_server}/login?next=%2F")
    page.get_by_label("Email").fill(user.email)
    page.get_by_label("Password").fill(factories.PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("heading", name="Dashboard")).to_be_visible()
    page.get_by_role("button", name="Log out").click()
    expect(page.get_by_role("button", name="Log in")).to_be_visible()


def test_wrong_password_is_refused(page: Page, live_server, db):
    user = factories.make_user("member")
    page.goto(live_server + "/login")
    page.get_by_label("Email").fill(user.email)
    page.get_by_label("Password").fill("not the password")
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_text("Wrong email or password")).to_be_visible()
