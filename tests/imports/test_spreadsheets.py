"""Spreadsheets (.xlsx, .xls, .ods) import exactly like CSV: in the wizard (with the sheet
chosen on the preview), from the command line (--sheet), in the one-page imports; hostile
files are refused with a reason and leave nothing behind."""

from __future__ import annotations

import io
import json
import re
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import select
from werkzeug.datastructures import FileStorage
from werkzeug.test import encode_multipart

from app.extensions import db as _db
from app.imports import service as imports
from app.models import Import, Influencer, Relationship
from tests.factories import make_influencer, make_user

pytestmark = pytest.mark.slow  # each spreadsheet is read by a child process (~0.2 s)

FILES = Path(__file__).parent / "files"
HEADERS = ["Nom", "Prénom", "Réseau", "Compte", "Abonnés", "Taux d'engagement",
           "Date des statistiques"]
PEOPLE = [
    ["Girard", "Manon", "Instagram", "@manon.girard", 9_500_000, 0.032, date(2025, 3, 5)],
    ["Petit", "Bruno", "TikTok", "bruno.petit", 12400, 0.041, date(2025, 12, 31)],
    ["Cœur", "Zoé", "Insta", "zoe.coeur", "beaucoup", 0.02, date(2025, 1, 2)],
]
SHEETS = {"Lisez-moi": [["Ce classeur liste nos influenceurs."]],
          "Liste": [HEADERS, *PEOPLE]}
CSV_TEXT = "\r\n".join(";".join(str(c) for c in row) for row in [HEADERS, *[
    [*row[:5], f"{row[5] * 100:g} %".replace(".", ","), row[6].strftime("%d/%m/%Y")]
    for row in PEOPLE]]) + "\r\n"


def _upload(client, content: bytes, name: str):
    file = FileStorage(io.BytesIO(content), filename=name,
                       content_type="application/octet-stream")
    boundary, body = encode_multipart({"file": file, "mode": "upsert"})
    return client.post("/imports/new", data=body,
                       content_type=f"multipart/form-data; boundary={boundary}")


def _mapping(imp: Import, **changes) -> dict:
    data = {f"col_{i}": (imp.mapping or {}).get(str(i)) or "" for i in range(len(imp.headers))}
    return {**data, **changes}


def test_the_wizard_offers_the_sheets_and_imports_the_chosen_one(member_client, latest_import,
                                                                 make_spreadsheet):
    response = _upload(member_client, make_spreadsheet("xlsx", SHEETS), "influenceurs.xlsx")
    assert response.status_code == 302, response.data
    imp = latest_import()
    assert imp.filename == "influenceurs.xlsx" and imp.headers == [
        "Ce classeur liste nos influenceurs."]  # the first sheet holding something
    page = member_client.get(f"/imports/{imp.id}/preview").get_data(as_text=True)
    assert re.search(r'<select[^>]*name="sheet"', page)
    assert '<option selected value="Lisez-moi">' in page and 'value="Liste"' in page
    assert 'name="encoding"' not in page and 'name="delimiter"' not in page

    # choosing the sheet reads it (as the select does on change, without "check")
    response = member_client.post(f"/imports/{imp.id}/preview",
                                  data=_mapping(imp, sheet="Liste"))
    assert response.status_code == 302
    imp = latest_import()
    assert imp.headers == HEADERS and imp.mapping["4"] == "followers"
    page = member_client.get(f"/imports/{imp.id}/preview").get_data(as_text=True)
    assert '<option selected value="Liste">' in page
    assert "9500000" in page and "0.032" in page and "2025-03-05" in page

    response = member_client.post(f"/imports/{imp.id}/preview",
                                  data=_mapping(imp, sheet="Liste", check="1"))
    assert response.status_code == 302
    imp = latest_import()
    assert imp.status == "checked" and (imp.created, imp.rejected) == (2, 1)
    member_client.post(f"/imports/{imp.id}/start")
    manon = _db.session.scalars(select(Influencer).where(
        Influencer.display_name == "Manon Girard")).one()
    account = manon.accounts[0]
    assert (account.followers, account.engagement_rate, account.figures_on) == (
        9_500_000, pytest.approx(0.032), date(2025, 3, 5))
    problem = imports.result(latest_import())["rejected_rows"][0]
    assert (problem["line"], problem["value"]) == (4, "beaucoup")  # the sheet's row 4


def test_an_unknown_sheet_is_refused_by_the_form(member_client, latest_import,
                                                 make_spreadsheet):
    _upload(member_client, make_spreadsheet("xlsx", SHEETS), "influenceurs.xlsx")
    imp = latest_import()
    response = member_client.post(f"/imports/{imp.id}/preview",
                                  data=_mapping(imp, sheet="Feuil9", check="1"))
    assert response.status_code == 400 and latest_import().status == "uploaded"


def test_one_sheet_needs_no_choice(member_client, latest_import, make_spreadsheet):
    _upload(member_client, make_spreadsheet("ods", {"Feuille1": [HEADERS, *PEOPLE]}),
            "liste.ods")
    imp = latest_import()
    page = member_client.get(f"/imports/{imp.id}/preview").get_data(as_text=True)
    assert 'name="sheet"' not in page and "Feuille1" in page and ".ods" in page
    response = member_client.post(f"/imports/{imp.id}/preview", data=_mapping(imp, check="1"))
    assert response.status_code == 302 and latest_import().status == "checked"


@pytest.mark.parametrize("kind", ["xlsx", "xls", "ods"])
def test_a_spreadsheet_imports_exactly_as_its_csv(db, tmp_path, make_spreadsheet, kind,
                                                  imported_people, wipe_people):
    user = make_user("member")
    csv_path = tmp_path / "liste.csv"
    csv_path.write_bytes(CSV_TEXT.encode("cp1252"))
    from_csv = imports.run(imports.create_import(csv_path, "liste.csv", user), dry_run=False)
    expected = imported_people()
    wipe_people()
    sheet_path = tmp_path / f"liste.{kind}"
    sheet_path.write_bytes(make_spreadsheet(kind, SHEETS))
    imp = imports.create_import(sheet_path, sheet_path.name, user, sheet="Liste")
    assert imports.run(imp, dry_run=False) == from_csv
    assert imported_people() == expected


def test_the_command_line_takes_the_sheet(runner, db, tmp_path, make_spreadsheet):
    make_user("admin")
    path = tmp_path / "liste.xlsx"
    path.write_bytes(make_spreadsheet("xlsx", SHEETS))
    result = runner.invoke(args=["influencers", "import", str(path), "--sheet", "Liste",
                                 "--json"])
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    assert (report["created"], report["rejected"]) == (2, 1)
    result = runner.invoke(args=["influencers", "import", str(path), "--sheet", "Feuil9"])
    assert result.exit_code == 1
    assert "no sheet “Feuil9”; its sheets: Lisez-moi, Liste" in result.stderr


@pytest.mark.parametrize(("content", "name", "message"), [
    ((FILES / "protected.xlsx").read_bytes(), "secret.xlsx", "protected by a password"),
    (b"PK\x03\x04" + bytes(500), "casse.xlsx", "damaged"),
    (bytes(range(256)) * 20, "faux.xlsx", "not a real Excel or OpenDocument"),
    (bytes.fromhex("d0cf11e0a1b11ae1") + bytes(3000), "vieux.xls", "damaged"),
], ids=["password", "broken-zip", "fake", "broken-ole"])
def test_hostile_spreadsheets_are_refused_and_leave_nothing(member_client, app, count, content,
                                                            name, message):
    folder = Path(app.instance_path) / "imports"
    before = set(folder.glob("*"))
    response = _upload(member_client, content, name)
    assert response.status_code == 400
    assert message in response.get_data(as_text=True)
    assert count(Import) == 0
    # Nothing left of this upload: neither its copy, nor the original, nor a part. (The
    # tests reuse import ids, so an earlier test's files of the same id may go too.)
    assert set(folder.glob("*")) <= before


def test_a_text_file_named_like_a_spreadsheet_is_read_as_csv(member_client, latest_import):
    response = _upload(member_client, CSV_TEXT.encode("cp1252"), "export-outil.xls")
    assert response.status_code == 302
    assert latest_import().headers == HEADERS


def test_the_one_page_imports_read_spreadsheets(runner, db, tmp_path, make_spreadsheet):
    make_influencer(display_name="Léa", accounts=[{"platform": "instagram", "handle": "lea"}])
    make_influencer(display_name="Hugo", accounts=[{"platform": "tiktok", "handle": "hugo"}])
    path = tmp_path / "reseau.ods"
    path.write_bytes(make_spreadsheet("ods", {"Liens": [
        ["Source", "Cible", "Type", "Poids"],
        ["https://www.instagram.com/lea/", "https://www.tiktok.com/@hugo", "partage", 2]]}))
    result = runner.invoke(args=["network", "import", str(path), "--json"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["created"] == 1
    assert db.session.scalars(select(Relationship.weight)).all() == [2]
