""""Keep me signed in" and the session timeouts: the choice keeps the session cookie when
the browser closes, and the idle and absolute timeouts end that login as any other (no
remember-me cookie reopens a session after them, not even one kept by the client)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from flask_login.utils import encode_cookie

from tests.factories import PASSWORD, make_user


def _login(client, user, remember: bool):
    data = {"email": user.email, "password": PASSWORD}
    if remember:
        data["remember"] = "y"
    response = client.post("/login", data=data)
    assert response.status_code == 302
    return response


def _age(client, key: str, delta: timedelta) -> None:
    with client.session_transaction() as session:
        session[key] = (datetime.now(UTC) - delta).timestamp()


def _sent_to_login(response) -> bool:
    return response.status_code == 302 and "/login" in response.headers["Location"]


@pytest.mark.parametrize(("key", "setting"), [("seen_at", "RELAIS_IDLE_TIMEOUT"),
                                              ("login_at", "RELAIS_ABSOLUTE_TIMEOUT")])
def test_a_timeout_ends_a_kept_login(app, client, db, key, setting):
    user = make_user("member")
    _login(client, user, remember=True)
    assert client.get("/brands/").status_code == 200
    _age(client, key, app.config[setting] + timedelta(minutes=1))
    assert _sent_to_login(client.get("/brands/"))
    # Not silently signed in again on the next request.
    assert _sent_to_login(client.get("/brands/"))
    assert b"session has expired" in client.get("/login").data


def test_no_remember_me_cookie_can_open_a_session(app, client, db):
    """A remember-me cookie as older versions issued (or as a client keeps it after the
    server deleted it) is refused, and deleted."""
    user = make_user("member")
    client.set_cookie(app.config.get("REMEMBER_COOKIE_NAME", "remember_token"),
                      encode_cookie(user.session_token))
    response = client.get("/brands/")
    assert _sent_to_login(response)
    assert client.get_cookie("remember_token") is None
    assert _sent_to_login(client.get("/brands/"))


def test_login_sets_no_remember_me_cookie(client, db):
    _login(client, make_user("member"), remember=True)
    assert client.get_cookie("remember_token") is None


def test_keep_me_signed_in_keeps_the_session_cookie_past_the_browser(client, db):
    kept = _login(client, make_user("member"), remember=True).headers["Set-Cookie"]
    assert "Expires=" in kept
    client.post("/logout")
    not_kept = _login(client, make_user("member"), remember=False).headers["Set-Cookie"]
    assert "Expires=" not in not_kept  # ends when the browser closes


@pytest.mark.parametrize("remember", [True, False])
def test_a_password_change_keeps_the_choice(client, db, remember):
    _login(client, make_user("member"), remember=remember)
    new = "a brand new sentence for a password"
    response = client.post("/admin/profile/password",
                           data={"current": PASSWORD, "new": new, "confirm": new})
    assert response.status_code == 302
    with client.session_transaction() as session:
        assert session.permanent is remember
    assert client.get("/brands/").status_code == 200
