"""The profile page: name, language, password (which logs out the other sessions)."""

from __future__ import annotations

import pytest

from app.extensions import db as _db
from app.security import verify_password
from tests.factories import PASSWORD

NEW_PASSWORD = "un tout autre mot de passe"


def test_profile_shows_role_and_email(viewer_client):
    page = viewer_client.get("/admin/profile").data
    assert viewer_client.user.email.encode() in page
    assert b"Viewer" in page


def test_any_user_changes_name_and_language(viewer_client):
    response = viewer_client.post("/admin/profile", data={"name": "Camille M.", "locale": "fr"})
    assert response.status_code == 302
    user = viewer_client.user
    _db.session.refresh(user)
    assert user.name == "Camille M." and user.locale == "fr"
    # The next page is in French: the user's setting wins over the browser's.
    page = viewer_client.get("/admin/profile", headers={"Accept-Language": "en"}).data
    assert b'<html lang="fr">' in page


def test_browser_default_clears_the_language(viewer_client):
    viewer_client.post("/admin/profile", data={"name": "Camille", "locale": ""})
    _db.session.refresh(viewer_client.user)
    assert viewer_client.user.locale is None
    page = viewer_client.get("/admin/profile", headers={"Accept-Language": "en-GB"}).data
    assert b'<html lang="en">' in page


@pytest.mark.parametrize("data", [
    {"name": "", "locale": "fr"}, {"name": "x" * 121, "locale": "fr"},
    {"name": "Camille", "locale": "de"}, {"name": "Camille", "locale": "<script>"}, {},
])
def test_invalid_profile_is_refused(viewer_client, data):
    response = viewer_client.post("/admin/profile", data=data)
    assert response.status_code == 400
    user = viewer_client.user
    _db.session.refresh(user)
    assert user.name != "Camille"


def test_password_change_keeps_this_session_and_ends_the_others(app, viewer_client):
    other_device = app.test_client()
    other_device.post("/login", data={"email": viewer_client.user.email, "password": PASSWORD})
    assert other_device.get("/admin/profile").status_code == 200

    response = viewer_client.post("/admin/profile/password", data={
        "current": PASSWORD, "new": NEW_PASSWORD, "confirm": NEW_PASSWORD,
    })
    assert response.status_code == 302
    assert viewer_client.get("/admin/profile").status_code == 200
    gone = other_device.get("/admin/profile")
    assert gone.status_code == 302 and "/login" in gone.headers["Location"]
    _db.session.refresh(viewer_client.user)
    assert verify_password(viewer_client.user.password_hash, NEW_PASSWORD)


@pytest.mark.parametrize("data,message", [
    ({"current": "wrong password!", "new": NEW_PASSWORD, "confirm": NEW_PASSWORD},
     b"current password is wrong"),
    ({"current": PASSWORD, "new": NEW_PASSWORD, "confirm": "something else"}, b"differ"),
    ({"current": PASSWORD, "new": "short", "confirm": "short"}, b"at least 8"),
    ({"current": PASSWORD, "new": "iloveyou", "confirm": "iloveyou"}, b"most common"),
    ({"current": PASSWORD, "new": "x" * 129, "confirm": "x" * 129}, b"at most 128"),
    ({}, b"errors"),
])
def test_refused_password_change_says_why(viewer_client, data, message):
    response = viewer_client.post("/admin/profile/password", data=data)
    assert response.status_code == 400
    assert message in response.data
    _db.session.refresh(viewer_client.user)
    assert verify_password(viewer_client.user.password_hash, PASSWORD)


def test_profile_requires_login(client):
    response = client.get("/admin/profile")
    assert response.status_code == 302 and "/login" in response.headers["Location"]
