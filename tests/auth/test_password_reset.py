"""Forgotten passwords (app/auth/password_reset.py, the /forgot and /reset pages): links
used once, expiring, stored as their SHA-256 only, asked for with the same answer whatever
the address, limited per IP and per address, emailed through a real SMTP sink."""

from __future__ import annotations

import hashlib
import re
from datetime import timedelta

import pytest
from sqlalchemy import select

from app.auth import password_reset, users
from app.extensions import db as _db
from app.models import AuditEvent, User
from app.models.base import utcnow
from app.models.user import PasswordReset
from tests.factories import PASSWORD, make_user

BASE = "https://relais.example.org"  # the smtp fixture's RELAIS_BASE_URL
NEW = "a brand new sentence to remember"
LINK = re.compile(r"https?://\S+/reset/([A-Za-z0-9_-]{43})")


def _issue(user, base=BASE, **kw):
    link = password_reset.issue(user, base, **kw)
    return link, link.url.rsplit("/", 1)[1]


def _resets(user) -> list[PasswordReset]:
    _db.session.expire_all()
    return list(_db.session.scalars(select(PasswordReset).where(PasswordReset.user_id == user.id)
                                    .order_by(PasswordReset.id)))


def _flashed(client) -> str:
    return client.get("/login").get_data(as_text=True)


# --- the service ------------------------------------------------------------------------

def test_only_the_tokens_digest_is_stored(app, db):
    user = make_user("member")
    link, token = _issue(user)
    assert link.url == f"{BASE}/reset/{token}" and len(token) == 43
    [reset] = _resets(user)
    assert reset.token_hash == hashlib.sha256(token.encode()).hexdigest()
    assert token not in repr([getattr(reset, c.key) for c in PasswordReset.__table__.c])
    assert timedelta(minutes=59) < reset.expires_at - utcnow() <= timedelta(minutes=60)


def test_the_lifetime_is_configured(app, db, monkeypatch):
    monkeypatch.setitem(app.config, "RELAIS_PASSWORD_RESET_MINUTES", 5)
    link, _token = _issue(make_user("member"))
    assert timedelta(minutes=4) < link.expires_at - utcnow() <= timedelta(minutes=5)


def test_a_link_sets_the_password_once_and_voids_the_others(app, db):
    user = make_user("member")
    _other, other_token = _issue(user)
    _link, token = _issue(user)
    old_session = user.session_token
    password_reset.consume(token, NEW)
    _db.session.expire_all()
    assert users.authenticate(user.email, NEW, None) is not None
    assert users.authenticate(user.email, PASSWORD, None) is None
    assert user.session_token != old_session
    assert all(r.used_at is not None for r in _resets(user))
    for spent in (token, other_token):
        with pytest.raises(password_reset.LinkRefused):
            password_reset.consume(spent, "yet another long sentence")


def test_an_expired_link_is_refused(app, db):
    user = make_user("member")
    _link, token = _issue(user)
    [reset] = _resets(user)
    reset.expires_at = utcnow() - timedelta(seconds=1)
    _db.session.commit()
    assert password_reset.find_valid(token) is None
    with pytest.raises(password_reset.LinkRefused):
        password_reset.consume(token, NEW)


def test_a_refused_password_leaves_the_link_usable(app, db):
    user = make_user("member", name="Camille Roux")
    _link, token = _issue(user)
    for weak in ("short", "password", "camille roux", user.email):
        with pytest.raises(password_reset.ServiceError) as refused:
            password_reset.consume(token, weak)
        assert not isinstance(refused.value, password_reset.LinkRefused)
    assert password_reset.find_valid(token) is not None


def test_deactivated_accounts_get_no_link_and_lose_theirs(app, db):
    admin, user = make_user("admin"), make_user("member")
    _link, token = _issue(user)
    users.set_active(user, False, admin)
    assert password_reset.find_valid(token) is None
    with pytest.raises(password_reset.ServiceError):
        _issue(user)
    users.set_active(user, True, admin)
    assert password_reset.find_valid(token) is None  # spent at the deactivation


def test_changing_the_password_spends_outstanding_links(app, db):
    user = make_user("member")
    _link, token = _issue(user)
    users.change_password(user, PASSWORD, NEW)
    assert password_reset.find_valid(token) is None


def test_no_token_nor_digest_reaches_the_audit_log(app, db):
    admin, user = make_user("admin"), make_user("member")
    _link, token = _issue(user, issued_by=admin)
    password_reset.consume(token, NEW)
    events = _db.session.scalars(select(AuditEvent).where(AuditEvent.entity_type == "user",
                                                          AuditEvent.entity_id == user.id))
    logged = repr([(e.user_id, e.changes) for e in events])
    assert "password_reset_link_until" in logged and "password_reset_link_used" in logged
    for secret in (token, hashlib.sha256(token.encode()).hexdigest(), "pbkdf2"):
        assert secret not in logged


@pytest.mark.parametrize("token", ["", "x", "a" * 42, "a" * 44, "é" * 43, "../" * 15,
                                   "a" * 42 + "=", None, 12])
def test_malformed_tokens_are_refused_before_any_query(app, db, token, count_statements):
    assert count_statements(lambda: password_reset.find_valid(token)) == 0


# --- asking for a link ------------------------------------------------------------------

def test_the_login_page_offers_the_link(client):
    page = client.get("/login").get_data(as_text=True)
    assert 'href="/forgot"' in page and "Forgot your password?" in page


def test_known_unknown_and_deactivated_addresses_get_the_same_answer(client, smtp, received):
    known, inactive = make_user("member"), make_user("member", active=False)
    answers = []
    for email in (known.email, "nobody@agence-relais.fr", inactive.email):
        response = client.post("/forgot", data={"email": email})
        answers.append((response.status_code, response.headers["Location"],
                        response.get_data(), _flashed(client).split('class="flashes"')[1]))
    assert answers[0] == answers[1] == answers[2]
    assert answers[0][0] == 302 and "a link to choose a new password is on its way" in answers[0][3]
    assert [m["To"].addresses[0].addr_spec for m in received()] == [known.email]


def test_the_page_does_the_same_work_for_every_address(client, smtp, received, queued,
                                                      statements):
    known = make_user("member")
    seen = []
    for email in (known.email, "nobody@agence-relais.fr"):
        with statements() as sent:
            client.post("/forgot", data={"email": email})
        seen.append(len(sent))
    assert seen == [0, 0]  # no lookup while the visitor waits: a job does it
    assert [t.args for t in queued.pending()] == [(known.email, "en"),
                                                 ("nobody@agence-relais.fr", "en")]
    for task in queued.pending():
        queued.execute(task)
    assert [m["To"].addresses[0].addr_spec for m in received()] == [known.email]


def test_the_mail_carries_a_working_link_in_the_users_language(client, smtp, received):
    french, english = make_user("member", locale="fr"), make_user("member", locale="en")
    nobody_set = make_user("member", locale=None)
    for user in (french, english, nobody_set):
        client.post("/forgot", data={"email": user.email.upper()},
                    headers={"Accept-Language": "fr"})
    mails = {m["To"].addresses[0].addr_spec: m for m in received()}
    assert mails[french.email]["Subject"] == "Choisissez un nouveau mot de passe pour Relais"
    assert mails[english.email]["Subject"] == "Choose a new password for Relais"
    assert mails[nobody_set.email]["Content-Language"] == "fr"  # the request's language
    body = mails[english.email].get_content()
    assert "can be used once" in body and english.name in body
    token = LINK.search(body).group(1)
    assert LINK.search(body).group(0).startswith(BASE + "/reset/")
    assert client.get(f"/reset/{token}").status_code == 200


def test_without_smtp_the_page_says_to_ask_an_administrator(client, db):
    user = make_user("member")
    page = client.get("/forgot").get_data(as_text=True)
    assert "ask an administrator" in page and 'name="email"' not in page
    answers = set()
    for email in (user.email, "nobody@agence-relais.fr"):
        response = client.post("/forgot", data={"email": email})
        answers.add((response.status_code, response.headers["Location"],
                     "ask an administrator" in _flashed(client)))
    assert answers == {(302, "/login", True)}
    assert _resets(user) == []


def test_no_link_is_emailed_to_an_address_read_from_the_host_header(app, client, smtp,
                                                                     received):
    app.config["RELAIS_BASE_URL"] = ""  # the smtp fixture puts it back
    user = make_user("member")
    client.post("/forgot", data={"email": user.email}, headers={"Host": "evil.example"})
    assert received() == [] and _resets(user) == []
    assert "ask an administrator" in client.get("/forgot").get_data(as_text=True)


def test_links_asked_for_are_limited_per_address(app, client, smtp, received):
    user = make_user("member")
    codes = [client.post("/forgot", data={"email": user.email}).status_code for _ in range(4)]
    assert codes == [302, 302, 302, 429]
    blocked = client.post("/forgot", data={"email": f" {user.email.upper()} "})
    assert blocked.status_code == 429 and b"Too many attempts" in blocked.data
    assert client.get("/forgot").status_code == 200  # reading the page is not counted
    assert client.post("/forgot", data={"email": "other@agence-relais.fr"}).status_code == 302
    assert len(received()) == 3


def test_links_asked_for_are_limited_per_ip(app, client, smtp):
    codes = [client.post("/forgot", data={"email": f"n{i}@agence-relais.fr"}).status_code
             for i in range(11)]
    assert codes == [302] * 10 + [429]
    elsewhere = app.test_client()
    response = elsewhere.post("/forgot", data={"email": "n0@agence-relais.fr"},
                              environ_base={"REMOTE_ADDR": "10.1.2.3"})
    assert response.status_code == 302


@pytest.mark.parametrize("data", [{}, {"email": ""}, {"email": "not an address"},
                                  {"email": "a@b"}, {"email": "x" * 250 + "@example.org"},
                                  {"email": "a\r\nBcc: x@evil.example@agence-relais.fr"}])
def test_bad_addresses_are_a_400_with_the_form(client, smtp, received, data):
    response = client.post("/forgot", data=data)
    assert response.status_code == 400 and b'name="email"' in response.data
    assert received() == []


def test_the_forgot_form_needs_its_csrf_token(app, client, smtp):
    app.config["WTF_CSRF_ENABLED"] = True
    try:
        response = client.post("/forgot", data={"email": "a@agence-relais.fr"})
    finally:
        app.config["WTF_CSRF_ENABLED"] = False
    assert response.status_code == 400


def test_a_logged_in_user_is_sent_to_the_dashboard(member_client):
    assert member_client.get("/forgot").headers["Location"] == "/dashboard"


# --- the link's page --------------------------------------------------------------------

def test_the_link_page_sets_the_password_and_ends_other_sessions(app, client, client_as):
    user = make_user("member")
    elsewhere = client_as(user)
    _link, token = _issue(user)
    page = client.get(f"/reset/{token}")
    assert page.status_code == 200 and page.headers["Referrer-Policy"] == "no-referrer"
    response = client.post(f"/reset/{token}", data={"new": NEW, "confirm": NEW})
    assert response.status_code == 302 and response.headers["Location"] == "/login"
    assert "Your password is changed" in _flashed(client)
    assert elsewhere.get("/brands/").status_code == 302  # logged out there
    for password, status in ((PASSWORD, 401), (NEW, 302)):
        login = client.post("/login", data={"email": user.email, "password": password})
        assert login.status_code == status
    again = app.test_client().get(f"/reset/{token}")
    assert again.status_code == 404 and b'href="/forgot"' in again.data


@pytest.mark.parametrize("data", [{"new": NEW, "confirm": NEW + "!"}, {"new": NEW},
                                  {"new": "", "confirm": ""}, {"new": "short", "confirm": "short"},
                                  {"new": "x" * 5000, "confirm": "x" * 5000},
                                  {"new": "password1", "confirm": "password1"}])
def test_a_refused_new_password_keeps_the_link(client, db, data):
    _link, token = _issue(make_user("member"))
    response = client.post(f"/reset/{token}", data=data)
    assert response.status_code == 400 and b'class="errors"' in response.data
    assert password_reset.find_valid(token) is not None


@pytest.mark.parametrize("path", ["/reset/" + "a" * 43, "/reset/short", "/reset/%20",
                                  "/reset/" + "é" * 43, "/reset/" + "a" * 5000,
                                  "/reset/%27%3Cscript%3E", "/reset/a%2Eb"])
@pytest.mark.parametrize("method", ["GET", "POST"])
def test_unknown_and_malformed_links_get_a_clear_page(client, db, path, method):
    response = client.open(path, method=method, data={"new": NEW, "confirm": NEW})
    assert response.status_code == 404
    assert b"invalid, has expired or was already used" in response.data
    assert b'href="/forgot"' in response.data


def test_a_nul_in_the_link_or_the_address_is_a_400_page(client, smtp, received):
    for response in (client.get("/reset/%00"),
                     client.post("/forgot", data={"email": "\x00@agence-relais.fr"})):
        assert response.status_code == 400 and b"could not be understood" in response.data
    assert received() == []


def test_an_expired_link_gets_the_clear_page(client, db):
    user = make_user("member")
    _link, token = _issue(user)
    [reset] = _resets(user)
    reset.expires_at = utcnow() - timedelta(minutes=1)
    _db.session.commit()
    response = client.post(f"/reset/{token}", data={"new": NEW, "confirm": NEW})
    assert response.status_code == 404 and b"Ask for a new link" in response.data
    assert users.authenticate(user.email, PASSWORD, None) is not None


def test_the_link_page_reads_french(client, db):
    _link, token = _issue(make_user("member"))
    page = client.get(f"/reset/{token}", headers={"Accept-Language": "fr"})
    assert "Choisissez un nouveau mot de passe" in page.get_data(as_text=True)
    gone = client.get("/reset/" + "b" * 43, headers={"Accept-Language": "fr"})
    assert "Demander un nouveau lien" in gone.get_data(as_text=True)


def test_a_user_deleted_meanwhile_leaves_no_link(app, db):
    user = make_user("member")
    _link, token = _issue(user)
    _db.session.delete(_db.session.get(User, user.id))
    _db.session.commit()
    assert password_reset.find_valid(token) is None


def test_a_reset_through_a_link_lifts_the_accounts_lockout(app, client, db, monkeypatch):
    """Locked out by failed logins, the person resets their password through a link: they
    log in with it at once, not once the lockout has run out. Other accounts' counters
    and the per-IP limit are left as they were."""
    monkeypatch.setitem(app.config, "RELAIS_LOGIN_LIMIT_ACCOUNT", "3 per minute")
    user, other = make_user("member"), make_user("member")
    for person in (user, other):
        codes = [client.post("/login", data={"email": person.email, "password": "wrong"})
                 .status_code for _ in range(4)]
        assert codes == [401, 401, 401, 429]
    _link, token = _issue(user)
    response = client.post(f"/reset/{token}", data={"new": NEW, "confirm": NEW})
    assert response.status_code == 302
    login = client.post("/login", data={"email": user.email.upper(), "password": NEW})
    assert login.status_code == 302
    assert app.test_client().post(
        "/login", data={"email": other.email, "password": PASSWORD}).status_code == 429
