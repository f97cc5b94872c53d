"""Accounts and sessions (OWASP ASVS L2): headers, cookies, session lifecycle, timeouts,
login rate limits, CSRF, open redirects, secrets and password hashing."""

from __future__ import annotations

import logging
import re
from datetime import UTC, datetime, timedelta

import pytest

from app import create_app
from app.config import Config
from app.security import hash_password
from tests.factories import PASSWORD, make_user


def login(client, user, password=PASSWORD, **kwargs):
    return client.post("/login", data={"email": user.email, "password": password}, **kwargs)


# --- headers and cookies --------------------------------------------------------------------

def test_pages_carry_the_security_headers(member_client):
    headers = member_client.get("/brands/").headers
    csp = headers["Content-Security-Policy"]
    assert "default-src 'self'" in csp and "frame-ancestors 'none'" in csp
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["Referrer-Policy"] in {"same-origin", "no-referrer",
                                          "strict-origin-when-cross-origin"}
    assert "no-store" in headers["Cache-Control"]


def test_login_page_has_headers_too(client):
    headers = client.get("/login").headers
    assert "frame-ancestors 'none'" in headers["Content-Security-Policy"]
    assert "no-store" in headers["Cache-Control"]


def test_session_cookie_is_httponly_and_samesite_lax(client, db):
    user = make_user("member")
    response = login(client, user)
    cookie = next(c for c in response.headers.getlist("Set-Cookie") if c.startswith("session="))
    assert "HttpOnly" in cookie
    assert "SameSite=Lax" in cookie


def test_secure_cookies_outside_development(monkeypatch, tmp_path):
    monkeypatch.setenv("RELAIS_ENV", "production")
    monkeypatch.delenv("RELAIS_SECURE_COOKIES", raising=False)
    config = Config(str(tmp_path))
    assert config.SESSION_COOKIE_SECURE and config.REMEMBER_COOKIE_SECURE
    remember = config.REMEMBER_COOKIE_DURATION
    assert remember <= timedelta(days=30)


def test_no_inline_scripts_or_styles_in_pages(member_client):
    page = member_client.get("/brands/").data.decode()
    assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", page)
    assert "style=" not in page


# --- session lifecycle ----------------------------------------------------------------------

def test_login_starts_a_new_session(client, db):
    user = make_user("member")
    client.get("/login")
    with client.session_transaction() as session:
        session["planted"] = "by an attacker"
    before = client.get_cookie("session").value
    login(client, user)
    assert client.get_cookie("session").value != before
    with client.session_transaction() as session:
        assert "planted" not in session


def test_logout_invalidates_the_session_on_the_server(client, db):
    user = make_user("member")
    login(client, user)
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

def test_failed_logins_are_limited_per_account(app, client, db, monkeypatch):
    monkeypatch.setitem(app.config, "RELAIS_LOGIN_LIMIT_ACCOUNT", "3 per minute")
    user = make_user("member")
    codes = [login(client, user, "wrong password").status_code for _ in range(4)]
    assert codes == [401, 401, 401, 429]
    blocked = login(client, user)  # even the right password waits
    assert blocked.status_code == 429
    assert b"Too many attempts" in blocked.data
    other = make_user("member")
    assert login(client, other).status_code == 302  # other accounts are not locked out


def test_failed_logins_are_limited_per_ip(app, client, db, monkeypatch):
    monkeypatch.setitem(app.config, "RELAIS_LOGIN_LIMIT_IP", "3 per minute")
    users = [make_user("member") for _ in range(4)]
    codes = [login(client, u, "wrong password").status_code for u in users]
    assert codes == [401, 401, 401, 429]
    elsewhere = app.test_client()
    response = elsewhere.post("/login", data={"email": users[0].email, "password": PASSWORD},
                              environ_base={"REMOTE_ADDR": "10.1.2.3"})
    assert response.status_code == 302


def test_successful_logins_do_not_count(app, client, db, monkeypatch):
    monkeypatch.setitem(app.config, "RELAIS_LOGIN_LIMIT_ACCOUNT", "2 per minute")
    user = make_user("member")
    for _ in range(3):
        assert login(client, user).status_code == 302
        client.post("/logout")


def test_failed_logins_are_logged(client, db, caplog):
    user = make_user("member")
    with caplog.at_level(logging.WARNING, logger="relais.auth"):
        login(client, user, "wrong password")
        client.post("/login", data={"email": "nobody@example.org", "password": "whatever1"})
    messages = [r.getMessage() for r in caplog.records if r.name == "relais.auth"]
    assert any(user.email in m for m in messages)
    assert any("nobody@example.org" in m for m in messages)
    assert not any("wrong password" in m for m in messages)  # never the password


def test_deactivated_account_cannot_log_in(client, db):
    user = make_user("member", active=False)
    assert login(client, user).status_code == 401


# --- CSRF -----------------------------------------------------------------------------------

@pytest.fixture()
def csrf_on(app, monkeypatch):
    monkeypatch.setitem(app.config, "WTF_CSRF_ENABLED", True)


def _csrf_token(client) -> str:
    page = client.get("/admin/profile").data.decode()
    return re.search(r'<meta name="csrf-token" content="([^"]+)"', page).group(1)


def test_post_without_csrf_token_is_refused(member_client, csrf_on):
    response = member_client.post("/brands/new", data={"name": "Sephora"})
    assert response.status_code == 400
    assert b"The form expired" in response.data


def test_csrf_header_token_is_accepted(member_client, csrf_on):
    token = _csrf_token(member_client)
    response = member_client.post("/brands/new", data={"name": "Sephora"},
                                  headers={"X-CSRFToken": token})
    assert response.status_code == 302


def test_csrf_form_token_is_accepted(member_client, csrf_on):
    token = _csrf_token(member_client)
    response = member_client.post("/admin/profile",
                                  data={"name": "Camille", "locale": "", "csrf_token": token})
    assert response.status_code == 302


def test_login_form_is_csrf_protected(client, db, csrf_on):
    user = make_user("member")
    assert login(client, user).status_code == 400


def test_logout_without_csrf_token_is_refused(member_client, csrf_on):
    assert member_client.post("/logout").status_code == 400
    assert member_client.get("/brands/").status_code == 200


# --- redirects, secrets, hashing ------------------------------------------------------------

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


@pytest.mark.parametrize("secret", [None, "", "relais-development-only-secret", "short"])
def test_app_refuses_to_start_without_a_real_secret(monkeypatch, tmp_path, secret):
    monkeypatch.setenv("RELAIS_ENV", "production")
    if secret is None:
        monkeypatch.delenv("SECRET_KEY", raising=False)
    else:
        monkeypatch.setenv("SECRET_KEY", secret)
    with pytest.raises(RuntimeError, match="SECRET_KEY"):
        create_app(Config(str(tmp_path)))


def test_passwords_are_hashed_with_a_million_pbkdf2_rounds(app, monkeypatch, tmp_path):
    monkeypatch.delenv("RELAIS_PASSWORD_HASH", raising=False)
    method = Config(str(tmp_path)).RELAIS_PASSWORD_HASH
    assert method == "pbkdf2:sha256:1000000"
    monkeypatch.setitem(app.config, "RELAIS_PASSWORD_HASH", method)
    with app.app_context():
        hashed = hash_password("une phrase assez longue")
    assert hashed.startswith("pbkdf2:sha256:1000000$")
    assert "une phrase" not in hashed
