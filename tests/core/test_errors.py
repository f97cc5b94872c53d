"""Friendly error pages (HTML in the user's language, JSON for JSON clients), never a
stack trace."""

from __future__ import annotations

import pytest

from app.main import dashboard


def test_404_page_is_friendly(client):
    response = client.get("/no-such-page")
    assert response.status_code == 404
    assert response.mimetype == "text/html"
    assert b"404" in response.data and b"does not exist" in response.data


def test_404_page_in_french(client):
    response = client.get("/no-such-page", headers={"Accept-Language": "fr-FR,fr;q=0.9"})
    assert response.status_code == 404
    assert b'<html lang="fr">' in response.data
    assert b"404" in response.data
    assert b"Cette page n&#39;existe pas" in response.data  # the apostrophe escaped


def test_404_as_json_for_json_clients(client):
    response = client.get("/no-such-page", headers={"Accept": "application/json"})
    assert response.status_code == 404
    body = response.get_json()
    assert body["error"]["code"] == 404 and body["error"]["message"]


def test_missing_record_is_a_friendly_404(viewer_client):
    response = viewer_client.get("/brands/999999")
    assert response.status_code == 404
    assert b"does not exist" in response.data


def test_403_page_is_friendly(viewer_client):
    response = viewer_client.get("/admin/users")
    assert response.status_code == 403
    assert b"do not have the rights" in response.data


def test_405_page_is_friendly(member_client):
    response = member_client.get("/logout")
    assert response.status_code == 405
    assert b"not allowed here" in response.data


def _explode(*args, **kwargs):
    raise RuntimeError("secret internal detail: /srv/relais/app.py line 42")


@pytest.fixture()
def broken_dashboard(monkeypatch):
    monkeypatch.setattr(dashboard, "summary", _explode)


def test_unexpected_error_gives_the_friendly_500_page(member_client, broken_dashboard, caplog):
    response = member_client.get("/")
    assert response.status_code == 500
    assert b"Something went wrong" in response.data
    assert b"Traceback" not in response.data
    assert b"secret internal detail" not in response.data
    assert any("unhandled error" in r.getMessage() for r in caplog.records)


def test_unexpected_error_as_json(member_client, broken_dashboard):
    response = member_client.get("/", headers={"Accept": "application/json"})
    assert response.status_code == 500
    assert response.get_json()["error"]["code"] == 500
    assert b"secret internal detail" not in response.data


def test_the_app_keeps_working_after_a_500(member_client, monkeypatch):
    with monkeypatch.context() as patch:
        patch.setattr(dashboard, "summary", _explode)
        assert member_client.get("/").status_code == 500
    assert member_client.get("/").status_code == 200


def test_bad_request_is_friendly(client):
    response = client.post("/login", data=b"\xff\xfe garbage",
                           content_type="application/x-www-form-urlencoded")
    assert response.status_code == 400
    assert b"Traceback" not in response.data


def _locked(*args, **kwargs):
    import sqlite3

    from sqlalchemy.exc import OperationalError

    raise OperationalError("UPDATE brand SET …", {}, sqlite3.OperationalError(
        "database is locked"))


@pytest.mark.parametrize("accept", ["text/html", "application/json"])
def test_a_locked_database_says_busy_and_try_again(member_client, monkeypatch, accept):
    """A big first import holds SQLite's write lock until it commits: a colleague's save
    waits, then gets a clear 503 (nothing saved, try again) rather than the 500 page."""
    with monkeypatch.context() as patch:
        patch.setattr(dashboard, "summary", _locked)
        response = member_client.get("/", headers={"Accept": accept})
    assert response.status_code == 503
    assert response.headers["Retry-After"] == "60"
    assert b"busy writing a large import" in response.data
    assert b"UPDATE brand" not in response.data and b"Traceback" not in response.data
    assert member_client.get("/").status_code == 200


def test_other_database_errors_stay_the_500_page(member_client, monkeypatch):
    from sqlalchemy.exc import OperationalError

    def broken(*args, **kwargs):
        raise OperationalError("SELECT 1", {}, Exception("server closed the connection"))

    monkeypatch.setattr(dashboard, "summary", broken)
    response = member_client.get("/")
    assert response.status_code == 500 and b"Something went wrong" in response.data
