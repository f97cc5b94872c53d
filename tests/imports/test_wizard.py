"""The import wizard over HTTP: upload, preview, dry run, import, revert, the list, roles."""

from __future__ import annotations

import csv
import io
import re

import pytest
from sqlalchemy import func, select

from app.extensions import db as _db
from app.models import Import, ImportProblem, Influencer, SavedMapping


def test_upload_form(member_client):
    response = member_client.get("/imports/new")
    assert response.status_code == 200
    assert b'type="file"' in response.data and b'enctype="multipart/form-data"' in response.data


def test_upload_then_preview_shows_detected_reading_and_rows(member_client, count, french_file,
                                                             latest_import, upload):
    response = upload(member_client, french_file)
    assert response.status_code == 302
    imp = latest_import()
    assert response.headers["Location"].endswith(f"/imports/{imp.id}/preview")
    assert imp.filename == "liste.csv" and imp.status == "uploaded"
    assert imp.encoding == "cp1252" and imp.delimiter == ";"
    page = member_client.get(f"/imports/{imp.id}/preview").get_data(as_text=True)
    assert "cp1252" in page and "(semicolon)" in page
    assert '<option selected value="cp1252">' in page
    assert "Girard" in page and "9,5 M" in page and "12 400" in page  # the rows, as parsed
    # the suggested mapping, from the French headers
    assert re.search(r'name="col_4"[^>]*>.*?<option selected value="followers">', page, re.S)
    assert count(Influencer) == 0


def test_override_encoding_and_delimiter_reread_the_preview(member_client, french_file,
                                                            latest_import, preview_data, upload):
    upload(member_client, french_file)
    imp = latest_import()
    # a comma: everything lands in one column
    response = member_client.post(f"/imports/{imp.id}/preview",
                                  data=preview_data(imp, delimiter="comma", reread="1"))
    assert response.status_code == 302
    imp = latest_import()
    assert imp.delimiter == "," and len(imp.headers) == 1
    # latin-1 reads the bytes but "œ" (cp1252 only) comes out wrong; cp1252 puts it back
    member_client.post(f"/imports/{imp.id}/preview",
                       data=preview_data(imp, delimiter="semicolon", encoding="latin-1"))
    imp = latest_import()
    assert imp.delimiter == ";" and len(imp.headers) == 7
    assert "iso8859" in imp.encoding or "latin" in imp.encoding
    page = member_client.get(f"/imports/{imp.id}/preview").get_data(as_text=True)
    assert "Cœur" not in page
    member_client.post(f"/imports/{imp.id}/preview", data=preview_data(imp, encoding="cp1252"))
    page = member_client.get(f"/imports/{imp.id}/preview").get_data(as_text=True)
    assert "Cœur" in page


def test_wrong_encoding_gives_a_clear_message_not_an_error(member_client, french_file,
                                                           latest_import, preview_data, upload):
    upload(member_client, french_file)
    imp = latest_import()
    response = member_client.post(f"/imports/{imp.id}/preview",
                                  data=preview_data(imp, encoding="utf-16", reread="1"))
    assert response.status_code == 302
    page = member_client.get(response.headers["Location"])
    assert page.status_code in {200, 400}
    assert b"encoding" in page.data.lower()


def test_unknown_choices_are_refused(member_client, french_file, latest_import, preview_data,
                                     upload):
    upload(member_client, french_file)
    imp = latest_import()
    for bad in ({"encoding": "rot13"}, {"delimiter": "x"}, {"col_0": "password_hash"}):
        response = member_client.post(f"/imports/{imp.id}/preview",
                                      data=preview_data(imp, check="1", **bad))
        assert response.status_code == 400
    assert latest_import().status == "uploaded"


def test_mapping_edit_is_used_and_remembered(member_client, count, french_file, latest_import,
                                             preview_data, upload):
    upload(member_client, french_file)
    imp = latest_import()
    # "Pays" kept as notes instead of country; remembered for the same headers
    response = member_client.post(f"/imports/{imp.id}/preview", data=preview_data(
        imp, col_6="keep", remember="y", check="1"))
    assert response.status_code == 302
    imp = latest_import()
    assert imp.mapping["6"] == "keep"
    assert count(SavedMapping) == 1
    upload(member_client, french_file, name="encore.csv")
    again = latest_import()
    assert again.id != imp.id and again.mapping["6"] == "keep"
    page = member_client.get(f"/imports/{again.id}/preview").get_data(as_text=True)
    assert re.search(r'name="col_6"[^>]*>.*?<option selected value="keep">', page, re.S)


def test_dry_run_writes_nothing_and_shows_counts_and_reasons(member_client, checked_import, count):
    imp = checked_import(member_client)
    assert count(Influencer) == 0
    assert (imp.created, imp.updated, imp.rejected) == (2, 0, 1)
    response = member_client.get(f"/imports/{imp.id}")
    assert response.status_code == 302 and response.headers["Location"].endswith("/check")
    page = member_client.get(f"/imports/{imp.id}/check").get_data(as_text=True)
    assert "Would be created" in page and "Change the mapping" in page
    problem = _db.session.scalars(select(ImportProblem)).first()
    assert problem.line == 4 and problem.reason in page and "abc" in page


def test_rejected_rows_are_paged(member_client, checked_import):
    rows = ["Nom;Compte;Réseau;Abonnés"] + [f"P{n};p{n};instagram;beaucoup" for n in range(60)]
    imp = checked_import(member_client, "\n".join(rows).encode())
    assert imp.rejected == 60
    first = member_client.get(f"/imports/{imp.id}/check").get_data(as_text=True)
    assert "Page 1 of 3" in first
    third = member_client.get(f"/imports/{imp.id}/check?page=3").get_data(as_text=True)
    assert third.count("<td class=\"num\">") >= 10 and "Page 3 of 3" in third
    assert member_client.get(f"/imports/{imp.id}/check?page=abc").status_code == 200


def test_import_creates_the_people_then_revert_removes_them(member_client, imported, latest_import):
    imp = imported(member_client)
    assert (imp.created, imp.rejected) == (2, 1)
    names = set(_db.session.scalars(select(Influencer.display_name)))
    assert names == {"Manon Girard", "Bruno Petit"}
    manon = _db.session.scalars(select(Influencer).where(
        Influencer.display_name == "Manon Girard")).one()
    assert manon.followers_total == 9_500_000 and manon.data_source == "import"
    page = member_client.get(f"/imports/{imp.id}").get_data(as_text=True)
    assert "Revert this import" in page and "data-confirm" in page
    assert "rejected.csv" in page and "sort=-created" in page
    listing = member_client.get("/influencers/?q=manon").get_data(as_text=True)
    assert "Manon Girard" in listing

    response = member_client.post(f"/imports/{imp.id}/revert")
    assert response.status_code == 302
    assert latest_import().status == "reverted"
    _db.session.expire_all()
    assert _db.session.scalar(select(func.count()).select_from(Influencer).where(
        Influencer.deleted_at.is_(None))) == 0
    assert "reverted" in member_client.get(f"/imports/{imp.id}").get_data(as_text=True)
    # a second revert is refused politely
    member_client.post(f"/imports/{imp.id}/revert")
    assert latest_import().status == "reverted"


def test_import_without_dry_run_is_refused(member_client, count, french_file, latest_import,
                                           upload):
    upload(member_client, french_file)
    imp = latest_import()
    response = member_client.post(f"/imports/{imp.id}/start")
    assert response.status_code == 302 and response.headers["Location"].endswith("/preview")
    assert count(Influencer) == 0


def test_rejected_rows_download(member_client, imported):
    imp = imported(member_client)
    response = member_client.get(f"/imports/{imp.id}/rejected.csv")
    assert response.status_code == 200
    assert response.mimetype == "text/csv"
    assert "attachment" in response.headers["Content-Disposition"]
    text = response.get_data().decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text), delimiter=_delimiter(text)))
    assert any("4" in row and "abc" in row for row in rows[1:]), rows


def _delimiter(text: str) -> str:
    return ";" if text.split("\n", 1)[0].count(";") > text.split("\n", 1)[0].count(",") else ","


def test_progress_partial_polls_while_running_and_stops_when_done(member_client, imported,
                                                                  latest_import):
    imp = imported(member_client)
    done = member_client.get(f"/imports/{imp.id}/progress")
    assert done.status_code == 200
    assert b"hx-trigger" not in done.data and b"<progress" in done.data
    htmx = member_client.get(f"/imports/{imp.id}/progress", headers={"HX-Request": "true"})
    assert htmx.headers["HX-Redirect"].endswith(f"/imports/{imp.id}")

    imp.status, imp.progress = "running", 40
    _db.session.commit()
    running = member_client.get(f"/imports/{imp.id}/progress").get_data(as_text=True)
    assert 'hx-trigger="every 1s"' in running and 'value="40"' in running
    page = member_client.get(f"/imports/{imp.id}").get_data(as_text=True)
    assert "<progress" in page and "Refresh" in page  # works without JavaScript too
    listing = member_client.get("/imports/").get_data(as_text=True)  # leave, come back
    assert "Running" in listing and "40 %" in listing
    # a second click on "Import" while it runs queues nothing
    response = member_client.post(f"/imports/{imp.id}/start")
    assert response.status_code == 302 and latest_import().status == "running"


def test_rejected_rows_report_neutralises_formulas(member_client, imported):
    content = "Nom;Compte;Réseau;Abonnés\nEvil;evil;instagram;=HYPERLINK(\"http://x\")\n"
    imp = imported(member_client, content.encode())
    assert imp.rejected == 1
    text = member_client.get(f"/imports/{imp.id}/rejected.csv").get_data().decode("utf-8-sig")
    assert "'=HYPERLINK" in text


def test_csrf_is_checked_on_upload(app, member_client, monkeypatch, count, french_file, upload):
    monkeypatch.setitem(app.config, "WTF_CSRF_ENABLED", True)
    response = upload(member_client, french_file)
    assert response.status_code == 400
    assert count(Import) == 0


def test_list_of_imports(member_client, french_file, imported, upload):
    imported(member_client)
    upload(member_client, french_file, name="second.csv")
    page = member_client.get("/imports/").get_data(as_text=True)
    assert page.index("second.csv") < page.index("liste.csv")  # newest first
    assert "Imported" in page and member_client.user.name in page
    assert member_client.get("/imports/?page=zz").status_code == 200


def test_roles(client, viewer_client, member_client, checked_import):
    imp = checked_import(member_client)
    for url in ("/imports/", "/imports/new", f"/imports/{imp.id}", f"/imports/{imp.id}/preview",
                f"/imports/{imp.id}/check", f"/imports/{imp.id}/rejected.csv"):
        assert viewer_client.get(url).status_code == 403, url
        response = client.get(url)
        assert response.status_code == 302 and "/login" in response.headers["Location"], url
    for url in ("/imports/new", f"/imports/{imp.id}/preview", f"/imports/{imp.id}/start",
                f"/imports/{imp.id}/revert"):
        assert viewer_client.post(url).status_code == 403, url
    assert member_client.get("/imports/999999").status_code == 404
    assert member_client.post("/imports/999999/start").status_code == 404


def test_nav_link_and_list_button(member_client, viewer_client):
    assert b'href="/imports/"' in member_client.get("/influencers/").data
    assert b'href="/imports/new"' in member_client.get("/influencers/").data
    assert b'href="/imports/"' not in viewer_client.get("/influencers/").data


def test_upload_size_limit_has_a_friendly_page(app, member_client, monkeypatch, count, french_file,
                                               upload):
    monkeypatch.setitem(app.config, "MAX_CONTENT_LENGTH", 2048)
    response = upload(member_client, french_file * 100)
    assert response.status_code == 413
    assert b"too large" in response.data
    assert count(Import) == 0


@pytest.mark.parametrize(("content", "name"), [
    (b"", "empty.csv"),
    (b"   \r\n\r\n", "blank.csv"),
    (b"\x00\x01\x02\x89PNG\r\n\x1a\n" * 50, "image.csv"),
    (b"MZ\x90\x00", "program.exe"),
    (b"Nom;Compte\n", "header-only.csv"),
])
def test_refused_files_say_why_and_write_nothing(member_client, content, name, count, upload):
    response = upload(member_client, content, name=name)
    if response.status_code == 302:  # header only: readable, nothing to import
        assert name == "header-only.csv"
        follow = member_client.get(response.headers["Location"])
        assert follow.status_code == 200
        return
    assert response.status_code == 400
    assert b'class="errors"' in response.data
    assert count(Import) == 0 and count(Influencer) == 0


def test_upload_without_file_is_refused(member_client):
    response = member_client.post("/imports/new", data={"mode": "upsert"})
    assert response.status_code == 400 and b"Choose a file" in response.data
