"""The header's language switch: the user's choice is kept on their account, a visitor's in
the session; back to the same page, never to another site; bad input is a clear 400."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from app.extensions import db as _db
from app.models import User
from tests.factories import make_user

SWITCH = "/language"


def _locale_of(user) -> str | None:
    return _db.session.get(User, user.id).locale


def test_a_user_switches_and_stays_on_the_page(db, client_as):
    user = make_user("viewer", locale="en")
    client = client_as(user)
    response = client.post(SWITCH, data={"locale": "fr",
                                         "next": "/campaigns/calendar?view=week&date=2026-03-04"})
    assert response.status_code == 302
    assert response.headers["Location"] == "/campaigns/calendar?view=week&date=2026-03-04"
    _db.session.expire_all()
    assert _locale_of(user) == "fr"
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert '<html lang="fr">' in page and "Calendrier éditorial" in page
    client.post(SWITCH, data={"locale": "en", "next": "/"})
    _db.session.expire_all()
    assert _locale_of(user) == "en"


def test_the_header_offers_both_languages_the_current_one_pressed(db, client_as):
    client = client_as(make_user("viewer", locale="fr"))
    page = client.get("/campaigns/calendar?view=week").get_data(as_text=True)
    assert 'action="/language"' in page
    assert 'name="next" value="/campaigns/calendar?view=week"' in page
    assert ('value="fr" lang="fr" title="Français" aria-pressed="true">FR'
            '<span class="visually-hidden"> Français</span>') in page
    assert 'value="en" lang="en" title="English" aria-pressed="false">EN' in page


@pytest.mark.parametrize("locale", ["", "de", "FR", "fr_FR", "x" * 5000, "en\x01"])
def test_an_unknown_language_is_a_clear_400(db, client_as, locale):
    user = make_user("viewer", locale="en")
    response = client_as(user).post(SWITCH, data={"locale": locale, "next": "/"})
    assert response.status_code == 400
    assert "could not be understood" in response.get_data(as_text=True)
    _db.session.expire_all()
    assert _locale_of(user) == "en"


@pytest.mark.parametrize("target", ["https://evil.example/", "//evil.example/x", "/\\evil.example",
                                    "javascript:alert(1)", "evil.example", "", "http:/x"])
def test_never_an_open_redirect(db, client_as, target):
    response = client_as(make_user("viewer")).post(SWITCH, data={"locale": "fr", "next": target})
    assert response.status_code == 302
    assert response.headers["Location"] == "/dashboard"


def test_a_visitor_choice_is_kept_in_the_session(client):
    response = client.post(SWITCH, data={"locale": "fr", "next": "/login?next=%2Fbrands%2F"})
    assert response.status_code == 302
    assert response.headers["Location"] == "/login?next=%2Fbrands%2F"
    with client.session_transaction() as session:
        assert session["locale"] == "fr"
    page = client.get("/login").get_data(as_text=True)
    assert 'title="Français" aria-pressed=' in page  # the login page offers the switch


def test_a_visitor_choice_sets_the_login_page_language(client):
    client.post(SWITCH, data={"locale": "fr", "next": "/login"})
    page = client.get("/login").get_data(as_text=True)  # the browser asks for English
    assert '<html lang="fr">' in page


def test_the_form_needs_its_csrf_token(app, client_as, db):
    user = make_user("viewer", locale="en")
    client = client_as(user)
    app.config["WTF_CSRF_ENABLED"] = True
    try:
        response = client.post(SWITCH, data={"locale": "fr", "next": "/"})
    finally:
        app.config["WTF_CSRF_ENABLED"] = False
    assert response.status_code == 400
    _db.session.expire_all()
    assert _locale_of(user) == "en"


@settings(max_examples=60, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(locale=st.text(max_size=12) | st.sampled_from(["fr", "en"]),
       target=st.text(max_size=60) | st.sampled_from(["/", "//x", "/\\x", "https://x"]))
def test_any_input_is_a_redirect_home_or_a_400(client, locale, target):
    response = client.post(SWITCH, data={"locale": locale, "next": target})
    assert response.status_code in (302, 400)
    if response.status_code == 302:
        location = response.headers["Location"]
        assert location.startswith("/") and not location.startswith(("//", "/\\"))
