"""Administration: team members (create, role, deactivate) and the audit log."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select

from app.brands import service as brand_service
from app.extensions import db as _db
from app.models import AuditEvent, User
from app.models.base import utcnow
from tests.factories import PASSWORD, make_brand, make_influencer, make_user


def user_count() -> int:
    return _db.session.scalar(select(func.count()).select_from(User))


def new_user(**overrides) -> dict:
    data = {"email": "camille@agence-relais.fr", "name": "Camille Martin", "role": "member",
            "locale": "fr", "password": "une phrase assez longue"}
    data.update(overrides)
    return data


# --- access ---------------------------------------------------------------------------------

@pytest.mark.parametrize("path", ["/admin/users", "/admin/audit"])
def test_only_admins_see_admin_screens(manager_client, admin_client, path):
    assert manager_client.get(path).status_code == 403
    assert admin_client.get(path).status_code == 200


def test_users_list_shows_every_member(admin_client):
    make_user("viewer", email="client@marque.fr", name="Client Marque")
    page = admin_client.get("/admin/users").data
    assert b"client@marque.fr" in page and b"Client Marque" in page
    assert b"Audit log" in page  # the sub-navigation


def test_users_list_paginates(app, admin_client, monkeypatch):
    monkeypatch.setitem(app.config, "RELAIS_PAGE_SIZE", 2)
    for n in range(4):
        make_user("viewer", name=f"Zed {n}")
    assert b"Page 1 of 3" in admin_client.get("/admin/users").data
    assert b"Zed 3" in admin_client.get("/admin/users?page=3").data


# --- create ---------------------------------------------------------------------------------

def test_admin_creates_a_user_who_can_log_in(admin_client, app):
    response = admin_client.post("/admin/users", data=new_user())
    assert response.status_code == 302
    user = _db.session.scalar(select(User).where(User.email == "camille@agence-relais.fr"))
    assert user.role == "member" and user.locale == "fr" and user.active
    client = app.test_client()
    login = client.post("/login", data={"email": user.email,
                                        "password": "une phrase assez longue"})
    assert login.status_code == 302


def test_generated_password_is_shown_once_and_works(admin_client, app):
    response = admin_client.post("/admin/users", data=new_user(password="", generate="y"),
                                 follow_redirects=True)
    text = response.data.decode()
    found = re.search(r"shown only this once: ([A-Za-z0-9_\-]{16})", text)
    assert found, text
    again = admin_client.get("/admin/users").data.decode()
    assert found.group(1) not in again
    client = app.test_client()
    login = client.post("/login", data={"email": "camille@agence-relais.fr",
                                        "password": found.group(1)})
    assert login.status_code == 302


@pytest.mark.parametrize("overrides,message", [
    ({"password": "short"}, b"at least 8"),
    ({"password": "password123"}, b"most common"),
    ({"password": "camille@agence-relais.fr"}, b"name or email"),
    ({"password": ""}, b"generate"),
    ({"email": "not-an-email"}, b"errors"),
    ({"role": "superuser"}, b"errors"),
    ({"locale": "de"}, b"errors"),
])
def test_refused_user_creation_says_why_and_saves_nothing(admin_client, overrides, message):
    before = user_count()
    response = admin_client.post("/admin/users", data=new_user(**overrides))
    assert response.status_code == 400
    assert message in response.data
    assert user_count() == before


def test_duplicate_email_is_refused(admin_client):
    make_user("member", email="camille@agence-relais.fr")
    response = admin_client.post("/admin/users",
                                 data=new_user(email="Camille@Agence-Relais.fr"))
    assert response.status_code == 400
    assert b"already exists" in response.data


@settings(max_examples=40, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.fixed_dictionaries({
    "email": st.one_of(st.text(max_size=300), st.emails()),
    "name": st.text(max_size=200),
    "role": st.one_of(st.sampled_from(["viewer", "admin"]), st.text(max_size=20)),
    "locale": st.one_of(st.sampled_from(["", "fr", "en"]), st.text(max_size=10)),
    "password": st.text(max_size=200),
}))
@pytest.mark.slow
def test_hostile_user_form_never_fails(admin_client, data):
    before = user_count()
    response = admin_client.post("/admin/users", data=data)
    assert response.status_code in (302, 400)
    if response.status_code == 400:
        assert user_count() == before


# --- roles ----------------------------------------------------------------------------------

def test_admin_changes_a_role(admin_client):
    user = make_user("viewer")
    response = admin_client.post(f"/admin/users/{user.id}/role", data={"role": "manager"})
    assert response.status_code == 302
    _db.session.refresh(user)
    assert user.role == "manager"
    changes = _db.session.scalars(select(AuditEvent.changes).where(
        AuditEvent.entity_type == "user", AuditEvent.entity_id == user.id,
        AuditEvent.action == "update",
    )).all()
    assert {"role": ["viewer", "manager"]} in changes


def test_unknown_role_is_refused(admin_client):
    user = make_user("viewer")
    response = admin_client.post(f"/admin/users/{user.id}/role", data={"role": "god"},
                                 follow_redirects=True)
    assert b"Unknown role" in response.data
    _db.session.refresh(user)
    assert user.role == "viewer"


def test_last_admin_cannot_be_demoted(admin_client):
    me = admin_client.user
    response = admin_client.post(f"/admin/users/{me.id}/role", data={"role": "member"},
                                 follow_redirects=True)
    assert b"last active administrator" in response.data
    _db.session.refresh(me)
    assert me.role == "admin"


def test_an_admin_can_be_demoted_when_another_remains(admin_client):
    other = make_user("admin")
    admin_client.post(f"/admin/users/{other.id}/role", data={"role": "member"})
    _db.session.refresh(other)
    assert other.role == "member"


def test_role_of_unknown_user_is_404(admin_client):
    assert admin_client.post("/admin/users/999999/role", data={"role": "viewer"}).status_code \
        == 404


# --- deactivation ---------------------------------------------------------------------------

def test_deactivation_ends_the_users_open_sessions(admin_client, app):
    member = make_user("member")
    member_browser = app.test_client()
    member_browser.post("/login", data={"email": member.email, "password": PASSWORD})
    assert member_browser.get("/brands/").status_code == 200

    response = admin_client.post(f"/admin/users/{member.id}/active", data={"active": "0"})
    assert response.status_code == 302
    after = member_browser.get("/brands/")
    assert after.status_code == 302 and "/login" in after.headers["Location"]
    again = member_browser.post("/login", data={"email": member.email, "password": PASSWORD})
    assert again.status_code == 401


def test_reactivation_lets_the_user_back_in(admin_client, app):
    member = make_user("member", active=False)
    admin_client.post(f"/admin/users/{member.id}/active", data={"active": "1"})
    _db.session.refresh(member)
    assert member.active
    login = app.test_client().post("/login", data={"email": member.email,
                                                   "password": PASSWORD})
    assert login.status_code == 302


def test_admin_cannot_deactivate_themselves(admin_client):
    me = admin_client.user
    response = admin_client.post(f"/admin/users/{me.id}/active", data={"active": "0"},
                                 follow_redirects=True)
    assert b"cannot deactivate your own account" in response.data
    _db.session.refresh(me)
    assert me.active


# --- audit log ------------------------------------------------------------------------------

def test_audit_log_lists_changes_newest_first_with_links(admin_client):
    brand = make_brand(name="Sephora")
    influencer = make_influencer(display_name="Léa Martin")
    page = admin_client.get("/admin/audit").data.decode()
    link = f'Influencer <a href="/influencers/{influencer.id}">Léa Martin</a> created'
    assert page.index(link) < page.index(f'Brand <a href="/brands/{brand.id}">Sephora</a>')


def test_audit_log_does_not_link_to_trashed_records(admin_client):
    brand = make_brand(name="Sephora")
    brand_service.delete_brand(brand)
    page = admin_client.get("/admin/audit").data.decode()
    assert "Brand Sephora moved to the trash" in page
    assert f'href="/brands/{brand.id}"' not in page


def test_audit_log_filters_by_entity_user_action_and_dates(admin_client):
    brand = make_brand(name="Sephora")
    make_influencer(display_name="Léa Martin")
    today = utcnow().date()
    page = admin_client.get("/admin/audit?entity=brand").data.decode()
    assert "Brand " in page and "Sephora" in page and "Léa Martin" not in page
    page = admin_client.get("/admin/audit?action=delete").data.decode()
    assert "No change matches" in page
    page = admin_client.get(f"/admin/audit?user={admin_client.user.id}").data.decode()
    assert "No change matches" in page  # factories wrote outside any request
    tomorrow = (today + timedelta(days=1)).isoformat()
    assert "No change matches" in admin_client.get(f"/admin/audit?since={tomorrow}").data.decode()
    page = admin_client.get(f"/admin/audit?since={today}&until={today}").data.decode()
    assert f'href="/brands/{brand.id}">Sephora</a>' in page


def test_audit_log_records_who_acted(admin_client):
    user = make_user("viewer")
    admin_client.post(f"/admin/users/{user.id}/role", data={"role": "member"})
    page = admin_client.get(f"/admin/audit?user={admin_client.user.id}&entity=user").data
    assert b"Viewer" in page and b"Community manager" in page


@pytest.mark.parametrize("query", [
    "?since=yesterday", "?until=2024-13-45", "?user=abc", "?user=999999", "?entity=<script>",
    "?action=drop", "?page=-1", "?page=zz", "?since=9999-12-31", "?until=9999-12-31",
    "?since=0001-01-01&until=0001-01-01", "?user=", "?entity=brand&entity=user",
])
def test_hostile_audit_filters_never_fail(admin_client, query):
    make_brand(name="Sephora")
    response = admin_client.get("/admin/audit" + query)
    assert response.status_code == 200
    assert b"<script>" not in response.data


def test_audit_log_paginates(app, admin_client, monkeypatch):
    monkeypatch.setitem(app.config, "RELAIS_PAGE_SIZE", 2)
    for n in range(5):
        make_brand(name=f"Brand {n}")
    page = admin_client.get("/admin/audit?entity=brand&page=2").data
    assert b"Page 2 of 3" in page
    assert b"entity=brand" in page  # the pager keeps the filters


def test_audit_log_shows_money_columns_as_amounts_not_cents(admin_client):
    _db.session.add(AuditEvent(entity_type="participant", entity_id=7, action="update",
                               changes={"agreed_fee_cents": [None, 123_450],
                                        "notes": ["a", "b"]}))
    _db.session.commit()
    page = admin_client.get("/admin/audit").get_data(as_text=True)
    assert "1,234.50" in page and "123450" not in page
    assert "Agreed fee" in page and "Participant #7" in page
