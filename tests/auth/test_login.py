"""Logging in and out (OWASP ASVS L2): a new session at login, logout that ends it on the
server, idle and absolute timeouts, failed logins limited per account and per address and
logged (never the password), deactivated accounts, and redirects after login that stay on
the site."""

from __future__ import annotations

import logging
from datetime import UTC, datetime, timedelta

import pytest

from tests.factories import PASSWORD, make_user

# --- session lifecycle ----------------------------------------------------------------------

def test_login_starts_a_new_session(client, db, auth):
    user = make_user("member")
    client.get("/login")
    with client.session_transaction() as session:
        session["planted"] = "by an attacker"
    before = client.get_cookie("session").value
    auth.login(user)
    assert client.get_cookie("session").value != before
    with client.session_transaction() as session:
        assert "planted" not in session


def test_logout_invalidates_the_session_on_the_server(client, db, auth):
    user = make_user("member")
    auth.login(user)
    stolen = client.get_cookie("session").value
    assert client.get("/brands/").status_code == 200
    client.post("/logout")
    client.set_cookie("session", stolen)
    replay = client.get("/brands/")
    assert replay.status_code == 302 and "/login" in replay.headers["Location"]


def test_logout_is_post_only(member_client):
    assert member_client.get("/logout").status_code == 405
    assert member_client.get("/brands/").status_code == 200


def _age_session(client, key: str, delta: timedelta) -> None:
    with client.session_transaction() as session:
        session[key] = (datetime.now(UTC) - delta).timestamp()


def test_idle_timeout_logs_out(app, member_client):
    _age_session(member_client, "seen_at", app.config["RELAIS_IDLE_TIMEOUT"] + timedelta(minutes=1))
    response = member_client.get("/brands/")
    assert response.status_code == 302 and "/login" in response.headers["Location"]
    page = member_client.get("/login").data
    assert b"session has expired" in page


def test_activity_within_the_idle_timeout_keeps_the_session(app, member_client):
    _age_session(member_client, "seen_at", app.config["RELAIS_IDLE_TIMEOUT"] - timedelta(minutes=1))
    assert member_client.get("/brands/").status_code == 200


def test_absolute_timeout_logs_out_even_when_active(app, member_client):
    _age_session(member_client, "login_at",
                 app.config["RELAIS_ABSOLUTE_TIMEOUT"] + timedelta(minutes=1))
    response = member_client.get("/brands/")
    assert response.status_code == 302 and "/login" in response.headers["Location"]


# --- brute force ----------------------------------------------------------------------------

def test_failed_logins_are_limited_per_account(app, client, db, monkeypatch, auth):
    monkeypatch.setitem(app.config, "RELAIS_LOGIN_LIMIT_ACCOUNT", "3 per minute")
    user = make_user("member")
    codes = [auth.login(user, "wrong password").status_code for _ in range(4)]
    assert codes == [401, 401, 401, 429]
    blocked = auth.login(user)  # even the right password waits
    assert blocked.status_code == 429
    assert b"Too many attempts" in blocked.data
    other = make_user("member")
    assert auth.login(other).status_code == 302  # other accounts are not locked out


def test_failed_logins_are_limited_per_ip(app, client, db, monkeypatch, auth):
    monkeypatch.setitem(app.config, "RELAIS_LOGIN_LIMIT_IP", "3 per minute")
    users = [make_user("member") for _ in range(4)]
    codes = [auth.login(u, "wrong password").status_code for u in users]
    assert codes == [401, 401, 401, 429]
    elsewhere = app.test_client()
    response = elsewhere.post("/login", data={"email": users[0].email, "password": PASSWORD},
                              environ_base={"REMOTE_ADDR": "10.1.2.3"})
    assert response.status_code == 302


def test_successful_logins_do_not_count(app, client, db, monkeypatch, auth):
    monkeypatch.setitem(app.config, "RELAIS_LOGIN_LIMIT_ACCOUNT", "2 per minute")
    user = make_user("member")
    for _ in range(3):
        assert auth.login(user).status_code == 302
        client.post("/logout")


def test_failed_logins_are_logged(client, db, caplog, auth):
    user = make_user("member")
    with caplog.at_level(logging.WARNING, logger="relais.auth"):
        auth.login(user, "wrong password")
        client.post("/login", data={"email": "nobody@example.org", "password": "whatever1"})
    messages = [r.getMessage() for r in caplog.records if r.name == "relais.auth"]
    assert any(user.email in m for m in messages)
    assert any("nobody@example.org" in m for m in messages)
    assert not any("wrong password" in m for m in messages)  # never the password


def test_deactivated_account_cannot_log_in(client, db, auth):
    user = make_user("member", active=False)
    assert auth.login(user).status_code == 401



# --- redirects after login ------------------------------------------------------------------

@pytest.mark.parametrize("target", [
    "//evil.example", "https://evil.example/", "/\\evil.example", "javascript:alert(1)",
    "http:evil.example", "\\\\evil.example",
])
def test_login_refuses_open_redirects(client, db, target):
    user = make_user("member")
    response = client.post("/login", query_string={"next": target},
                           data={"email": user.email, "password": PASSWORD})
    assert response.status_code == 302
    assert "evil" not in response.headers["Location"]


def test_login_follows_a_local_next(client, db):
    user = make_user("member")
    response = client.post("/login?next=/brands/", data={"email": user.email,
                                                         "password": PASSWORD})
    assert response.headers["Location"].endswith("/brands/")
