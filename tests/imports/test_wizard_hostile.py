"""The import wizard against hostile or random uploads, failed checks and stuck queued imports."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from app.extensions import db as _db
from app.models import Import, Influencer

SETTINGS = settings(max_examples=30, deadline=None,
                    suppress_health_check=[HealthCheck.function_scoped_fixture,
                                           HealthCheck.too_slow])


@pytest.mark.slow
def test_hostile_uploads_never_break_the_wizard(member_client, imported, upload, walk_wizard):
    payloads = ["=cmd|' /C calc'!A0", "<script>alert(1)</script>", "+SUM(1,2)", "@SUM(A1)",
                "=HYPERLINK(\"http://evil\",\"x\")"]
    rows = ["Nom;Compte;Réseau;Notes"] + [f"{p};h{n};instagram;{p}"
                                          for n, p in enumerate(payloads)]
    imp = imported(member_client, "\n".join(rows).encode())
    page = member_client.get(f"/imports/{imp.id}").get_data(as_text=True)
    assert "<script>alert(1)</script>" not in page
    for content in (b"a;" * 5000 + b"\n" + b"1;" * 5000,          # thousands of columns
                    b"Nom;Compte\n" + b"x" * 5_000_000 + b";y\n",  # a huge line
                    b'Nom;Compte\n"unbalanced;quote\n' * 3):
        response = upload(member_client, content)
        assert response.status_code in {302, 400}
        if response.status_code == 302:
            walk_wizard(member_client, response.headers["Location"])


@pytest.fixture()
def walk_wizard(latest_import, preview_data):
    """`walk_wizard(client, preview_url)`: every later step answers without a server error,
    whatever the file was."""

    def walk(client, preview_url: str) -> None:
        assert client.get(preview_url).status_code in {200, 302}
        imp = latest_import()
        response = client.post(preview_url, data=preview_data(imp, check="1"))
        assert response.status_code in {302, 400}
        for suffix in ("", "/check", "/progress", "/rejected.csv"):
            assert client.get(f"/imports/{imp.id}{suffix}").status_code in {200, 302}

    return walk


@SETTINGS
@given(content=st.one_of(
    st.binary(max_size=4000),
    st.text(max_size=2000).map(lambda t: t.encode("utf-8", "surrogatepass")),
    st.lists(st.lists(st.sampled_from(["a", "=1+1", '"', ";", "9,5 M", "é", "\r", "\n", "@x",
                                       "<b>", "", "12 400"]), max_size=12), max_size=20)
    .map(lambda rows: "\n".join(";".join(r) for r in rows).encode("cp1252")),
))
@pytest.mark.slow
def test_random_uploads_never_give_a_server_error(member_client, content, count, upload,
                                                 walk_wizard):
    before = (count(Import), count(Influencer))
    response = upload(member_client, content, name="random.csv")
    assert response.status_code in {302, 400, 413}
    if response.status_code != 302:
        assert (count(Import), count(Influencer)) == before
        return
    walk_wizard(member_client, response.headers["Location"])


def test_failed_check_says_why_and_offers_the_options_again(member_client, count, latest_import,
                                                            preview_data, upload):
    upload(member_client, b"Nom;Compte\nA;a\n" + b"x" * 5_000_000 + b";y\n")
    imp = latest_import()
    member_client.post(f"/imports/{imp.id}/preview", data=preview_data(imp, check="1"))
    imp = latest_import()
    assert imp.status == "failed" and count(Influencer) == 0
    page = member_client.get(f"/imports/{imp.id}").get_data(as_text=True)
    assert "Line 3 is too long" in page and f"/imports/{imp.id}/preview" in page
    assert member_client.get(f"/imports/{imp.id}/preview").status_code == 200


def _queued_minutes_ago(imp: Import, minutes: int) -> Import:
    """As if the wizard had queued it and no worker ever started it."""
    from datetime import timedelta

    from app.imports import service
    from app.models.base import utcnow

    service.mark_queued(imp, dry_run=False)
    imp.updated_at = utcnow() - timedelta(minutes=minutes)
    _db.session.commit()
    return imp


def test_a_queued_import_no_worker_started_says_so_and_can_be_taken_off(
        member_client, checked_import, count, latest_import):
    imp = _queued_minutes_ago(checked_import(member_client), minutes=5)
    page = member_client.get(f"/imports/{imp.id}").get_data(as_text=True)
    assert "No job worker has started this import yet" in page
    assert f"/imports/{imp.id}/cancel" in page
    progress = member_client.get(f"/imports/{imp.id}/progress").get_data(as_text=True)
    assert "No job worker has started this import yet" in progress

    response = member_client.post(f"/imports/{imp.id}/cancel")
    assert response.status_code == 302
    imp = latest_import()
    assert imp.status == "checked" and count(Influencer) == 0
    # once off the queue, cancelling again says it cannot (never a 500)
    response = member_client.post(f"/imports/{imp.id}/cancel", follow_redirects=True)
    assert response.status_code == 200
    assert "can no longer be taken off the queue" in response.get_data(as_text=True)


def test_a_freshly_queued_import_shows_no_warning(member_client, checked_import):
    imp = _queued_minutes_ago(checked_import(member_client), minutes=0)
    page = member_client.get(f"/imports/{imp.id}").get_data(as_text=True)
    assert "No job worker" not in page


def test_viewer_cannot_take_an_import_off_the_queue(member_client, viewer_client, checked_import,
                                                    latest_import):
    imp = _queued_minutes_ago(checked_import(member_client), minutes=5)
    assert viewer_client.post(f"/imports/{imp.id}/cancel").status_code == 403
    assert latest_import().status == "queued"
