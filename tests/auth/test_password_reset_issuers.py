"""Links to choose a new password issued by an administrator (shown once to copy) and by
`flask users reset-password`; any token in the address and any address typed answer
without a 500; two uses of one link at the same moment set one password."""

from __future__ import annotations

import re
from urllib.parse import quote

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select

from app.auth import password_reset, users
from app.extensions import db as _db
from app.extensions import limiter
from app.models import AuditEvent
from app.models.user import PasswordReset
from tests.factories import PASSWORD, make_user
from tests.race import Session, served, together

LINK = re.compile(r"(https?://[^\s\"<]+)/reset/([A-Za-z0-9_-]{43})")
NEW = "a brand new sentence to remember"


def _resets(user) -> list[PasswordReset]:
    _db.session.expire_all()
    return list(_db.session.scalars(select(PasswordReset)
                                    .where(PasswordReset.user_id == user.id)))


# --- an administrator's link --------------------------------------------------------------

def test_an_admin_gets_a_link_to_copy_once(app, admin_client):
    user = make_user("member")
    page = admin_client.get("/admin/users").get_data(as_text=True)
    assert f'action="/admin/users/{user.id}/reset-link' in page
    response = admin_client.post(f"/admin/users/{user.id}/reset-link")
    assert response.status_code == 200
    base, token = LINK.search(response.get_data(as_text=True)).groups()
    assert base == "http://localhost"  # no RELAIS_BASE_URL: the admin's own address
    [reset] = _resets(user)
    assert reset.issued_by_id == admin_client.user.id
    assert token not in admin_client.get("/admin/users").get_data(as_text=True)  # once
    event = _db.session.scalars(select(AuditEvent).where(
        AuditEvent.entity_type == "user", AuditEvent.entity_id == user.id,
        AuditEvent.action == "update")).one()
    assert event.user_id == admin_client.user.id
    assert list(event.changes) == ["password_reset_link_until"]
    assert token not in repr(event.changes) and reset.token_hash not in repr(event.changes)
    audit = admin_client.get("/admin/audit").get_data(as_text=True)
    assert "Password reset link valid until" in audit and token not in audit
    password_reset.consume(token, NEW)
    assert users.authenticate(user.email, NEW, None) is not None


def test_the_admins_link_starts_with_the_configured_address(app, admin_client, monkeypatch):
    monkeypatch.setitem(app.config, "RELAIS_BASE_URL", "https://relais.example.org/")
    user = make_user("member")
    page = admin_client.post(f"/admin/users/{user.id}/reset-link").get_data(as_text=True)
    assert LINK.search(page).group(1) == "https://relais.example.org"


def test_no_link_for_a_deactivated_account(admin_client):
    user = make_user("member", active=False)
    response = admin_client.post(f"/admin/users/{user.id}/reset-link")
    assert response.status_code == 302
    assert "is deactivated" in admin_client.get("/admin/users").get_data(as_text=True)
    assert _resets(user) == []


def test_only_admins_issue_links(manager_client, admin_client):
    user = make_user("member")
    assert manager_client.post(f"/admin/users/{user.id}/reset-link").status_code == 403
    assert admin_client.get(f"/admin/users/{user.id}/reset-link").status_code == 405
    assert admin_client.post("/admin/users/999999/reset-link").status_code == 404
    assert _resets(user) == []


# --- the command line ---------------------------------------------------------------------

def test_the_cli_prints_a_working_link(app, runner):
    user = make_user("member")
    result = runner.invoke(args=["users", "reset-password", user.email.upper()])
    assert result.exit_code == 0, result.output
    base, token = LINK.fullmatch(result.stdout.strip()).groups()
    assert base == "http://localhost:5000"
    assert "Valid once, until" in result.stderr
    [reset] = _resets(user)
    assert reset.issued_by_id is None
    password_reset.consume(token, NEW)
    assert users.authenticate(user.email, NEW, None) is not None


def test_the_cli_uses_the_configured_address(app, runner, monkeypatch):
    monkeypatch.setitem(app.config, "RELAIS_BASE_URL", "https://relais.example.org")
    user = make_user("member")
    result = runner.invoke(args=["users", "reset-password", user.email])
    assert result.stdout.startswith("https://relais.example.org/reset/")


@pytest.mark.parametrize("email", ["nobody@agence-relais.fr", "", "not an address"])
def test_the_cli_refuses_an_unknown_address_in_one_line(runner, email):
    result = runner.invoke(args=["users", "reset-password", email])
    assert result.exit_code == 1
    assert result.stderr.strip().count("\n") == 0
    assert result.stderr.startswith("Error: No user has the email")


def test_the_cli_refuses_a_deactivated_account(runner):
    user = make_user("member", active=False)
    result = runner.invoke(args=["users", "reset-password", user.email])
    assert result.exit_code == 1 and "is deactivated" in result.stderr
    assert _resets(user) == []


def test_the_cli_help_names_the_default_address(runner):
    result = runner.invoke(args=["users", "reset-password", "--help"])
    assert result.exit_code == 0 and "http://localhost:5000" in result.output


# --- any input ----------------------------------------------------------------------------

@settings(max_examples=60, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(token=st.text(max_size=80), method=st.sampled_from(["GET", "POST"]))
def test_any_token_in_the_address_gets_an_answer(client, db, token, method):
    response = client.open("/reset/" + quote(token, safe=""), method=method,
                           data={"new": NEW, "confirm": NEW})
    if token and "/" not in token and "\x00" not in token:
        assert response.status_code == 404 and b'href="/forgot"' in response.data
    else:  # no such page, double slashes merged, or the NUL refused by the app
        assert response.status_code in (308, 400, 404), response.status_code


@settings(max_examples=80, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(email=st.one_of(st.text(max_size=300), st.emails()))
def test_any_address_typed_gets_the_form_or_the_same_answer(client, db, email):
    limiter.reset()  # the limits are tested elsewhere; here every example is a first try
    response = client.post("/forgot", data={"email": email})
    assert response.status_code in (302, 400), response.status_code
    if response.status_code == 302:
        assert response.headers["Location"] == "/login"


# --- two uses at once ---------------------------------------------------------------------

@pytest.mark.slow
def test_two_uses_of_one_link_at_once_set_one_password(app, db):
    user = make_user("member")
    for _round in range(3):
        link = password_reset.issue(user, "http://x")
        token = link.url.rsplit("/", 1)[1]
        passwords = ["first long sentence here", "second long sentence here"]
        with served(app) as base:
            sessions = [Session(base) for _ in passwords]
            results = together([
                lambda s=s, p=p, t=token: s.request(f"/reset/{t}", {"new": p, "confirm": p})[0]
                for s, p in zip(sessions, passwords, strict=True)])
        assert sorted(results) == [302, 404], results
        winner = passwords[results.index(302)]
        _db.session.expire_all()
        assert users.authenticate(user.email, winner, None) is not None
    assert users.authenticate(user.email, PASSWORD, None) is None
