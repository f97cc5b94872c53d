"""The app's defences (OWASP ASVS L2): security headers, cookies, no inline scripts, CSRF,
a real secret, password hashing. Logging in and sessions have tests/auth/test_login.py."""

from __future__ import annotations

import re
from datetime import timedelta

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


# --- secrets, hashing -----------------------------------------------------------------------

@pytest.mark.parametrize("secret", [None, "", "relais-development-only-secret", "short"])
def test_app_refuses_to_start_without_a_real_secret(monkeypatch, tmp_path, secret):
    monkeypatch.setenv("RELAIS_ENV", "production")
    if secret is None:
        monkeypatch.delenv("SECRET_KEY", raising=False)
    else:
        monkeypatch.setenv("SECRET_KEY", secret)
    with pytest.raises(RuntimeError, match="SECRET_KEY"):
        create_app(Config(str(tmp_path)))


@pytest.mark.slow
def test_passwords_are_hashed_with_a_million_pbkdf2_rounds(app, monkeypatch, tmp_path):
    monkeypatch.delenv("RELAIS_PASSWORD_HASH", raising=False)
    method = Config(str(tmp_path)).RELAIS_PASSWORD_HASH
    assert method == "pbkdf2:sha256:1000000"
    monkeypatch.setitem(app.config, "RELAIS_PASSWORD_HASH", method)
    with app.app_context():
        hashed = hash_password("une phrase assez longue")
    assert hashed.startswith("pbkdf2:sha256:1000000$")
    assert "une phrase" not in hashed
