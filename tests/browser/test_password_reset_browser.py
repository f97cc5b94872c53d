"""Browser: a forgotten password, end to end, on the real server with a real SMTP sink:
ask for a link, read the email, open the link, choose a password, log in with it; the link
then refused. The pages fit a 390 px wide phone."""

from __future__ import annotations

import re
from email import message_from_bytes, policy

import pytest
from playwright.sync_api import Page, expect

from tests import factories
from tests.browser import layout

pytestmark = pytest.mark.browser
NEW = "a brand new sentence to remember"


def _no_sideways_scroll(page: Page) -> None:
    assert layout.sideways(page) <= 0


def _link_in_the_mail(sink, email: str) -> str:
    [(envelope, data)] = sink.messages
    assert envelope["rcpt"] == [email]
    body = message_from_bytes(data, policy=policy.default).get_content()
    return re.search(r"http://\S+/reset/[A-Za-z0-9_-]{43}", body).group(0)


def test_forgot_mail_link_new_password_login(app, page: Page, live_server, smtp):
    app.config["RELAIS_BASE_URL"] = live_server  # the smtp fixture puts its own back
    user = factories.make_user("member", name="Camille Martin")
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(live_server + "/login")
    page.get_by_role("link", name="Forgot your password?").click()
    _no_sideways_scroll(page)
    page.get_by_label("Email").fill(user.email)
    page.get_by_role("button", name="Send me a link").click()
    expect(page.get_by_text("a link to choose a new password is on its way")).to_be_visible()

    link = _link_in_the_mail(smtp, user.email)
    assert link.startswith(live_server + "/reset/")
    page.goto(link)
    expect(page.get_by_role("heading", name="Choose a new password")).to_be_visible()
    _no_sideways_scroll(page)
    page.get_by_role("textbox", name="New password", exact=True).fill(NEW)
    page.get_by_label("Repeat the new password").fill(NEW + " typo")
    page.get_by_role("button", name="Save the new password").click()
    expect(page.get_by_text("The two passwords differ.")).to_be_visible()
    page.get_by_role("textbox", name="New password", exact=True).fill(NEW)
    page.get_by_label("Repeat the new password").fill(NEW)
    page.get_by_role("button", name="Save the new password").click()
    expect(page.get_by_text("Your password is changed")).to_be_visible()

    page.get_by_label("Email").fill(user.email)
    page.get_by_label("Password").fill(factories.PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_text("Wrong email or password")).to_be_visible()
    page.get_by_label("Password").fill(NEW)
    page.get_by_role("button", name="Log in").click()
    expect(page).to_have_url(live_server + "/dashboard")

    page.goto(link)
    expect(page.get_by_text("invalid, has expired or was already used")).to_be_visible()
    _no_sideways_scroll(page)
    expect(page.get_by_role("link", name="Ask for a new link")).to_be_visible()


def test_an_admin_copies_a_link_for_a_colleague(page: Page, live_server, browser, db):
    admin = factories.make_user("admin", name="Alice Admin")
    colleague = factories.make_user("member", name="Bruno Petit")
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(live_server + "/login")
    page.get_by_label("Email").fill(admin.email)
    page.get_by_label("Password").fill(factories.PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.goto(live_server + "/admin/users")
    page.once("dialog", lambda dialog: dialog.accept())
    row = page.get_by_role("row").filter(has_text=colleague.email)
    row.get_by_role("button", name="Password link").click()
    expect(page.get_by_role("heading", name="Link for Bruno Petit to choose a new password"))\
        .to_be_visible()
    _no_sideways_scroll(page)
    link = page.get_by_label("Link to choose a new password").input_value()
    assert link.startswith(live_server + "/reset/")

    other = browser.new_context(locale="fr-FR")
    try:
        theirs = other.new_page()
        theirs.goto(link)
        expect(theirs.get_by_role("heading", name="Choisissez un nouveau mot de passe"))\
            .to_be_visible()
        theirs.get_by_role("textbox", name="Nouveau mot de passe", exact=True).fill(NEW)
        theirs.get_by_role("textbox", name="Répétez le nouveau mot de passe").fill(NEW)
        theirs.get_by_role("button", name="Enregistrer le nouveau mot de passe").click()
        expect(theirs.get_by_text("Votre mot de passe est modifié")).to_be_visible()
        theirs.get_by_label("E-mail").fill(colleague.email)
        theirs.get_by_label("Mot de passe").fill(NEW)
        theirs.get_by_role("button", name="Se connecter").click()
        expect(theirs).to_have_url(live_server + "/dashboard")
    finally:
        other.close()
