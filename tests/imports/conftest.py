"""The imports' tests: a generated French Excel file of people, the import of a file as the
wizard runs it, and what an import wrote (to compare two ways of importing the same file)."""

from __future__ import annotations

import contextlib
import io
import random
from datetime import date

import pytest
from sqlalchemy import delete, func, select
from werkzeug.datastructures import FileStorage
from werkzeug.test import encode_multipart

from app.extensions import db as _db
from app.imports import service as imports
from app.imports.parsing.numbers import ValueProblem, parse_count, parse_date, parse_share
from app.models import (
    AudienceShare,
    AudienceSnapshot,
    Import,
    Influencer,
    SocialAccount,
    Tag,
    influencer_tag,
)

HEADERS = ("Prénom;Nom;Réseau;Compte;Abonnés;Taux d'engagement;E-mail;Pays;Catégorie;"
           "% Femmes;18-24;Date des statistiques\r\n")


@pytest.fixture()
def people_csv():
    """`people_csv(300, seed=7)`: French Excel rows; a third repeat an earlier person (new
    figures, another tag), some carry a bad value, most have an audience."""

    def rows(people: int, seed: int = 7) -> str:
        rng = random.Random(seed)
        lines = [HEADERS]
        for n in range(people):
            person = rng.randrange(n) if n and rng.random() < 0.33 else n
            followers = ("beaucoup" if rng.random() < 0.05
                         else f"{rng.randint(1, 900)} {rng.randint(100, 999)}")
            lines.append(
                f"Léa{person};Dupont;{rng.choice(['Instagram', 'TikTok'])};@lea_{person};"
                f"{followers};{rng.randint(1, 9)},{rng.randint(0, 9)} %;"
                f"{f'lea{person}@exemple.fr' if person % 3 else ''};France;"
                f"{rng.choice(['beauté', 'mode', 'Mode', 'voyage'])};{rng.randint(20, 80)} %;"
                f"{rng.randint(5, 40)} %;{rng.randint(1, 28):02d}/0{rng.randint(1, 9)}/2025\r\n")
        return "".join(lines)

    return rows


@pytest.fixture()
def import_csv(db, tmp_path):
    """Imports `text` (written in cp1252) for `user`: `imp, report = import_csv(text, user)`."""

    def run(text: str, user, name: str = "liste.csv"):
        path = tmp_path / name
        path.write_bytes(text.encode("cp1252"))
        imp = imports.create_import(path, name, user)
        return imp, imports.run(imp, dry_run=False)

    return run


@pytest.fixture()
def imported_people(db):
    """The imported people by their first handle, with what an import writes; no ids, no
    timestamps (two runs number rows differently on SQLite)."""
    skip = {"id", "created_at", "updated_at", "import_id", "data_source_detail",
            "created_by_id", "owner_id", "version", "influencer_id", "account_id",
            "snapshot_id", "source"}

    def plain(row) -> tuple:
        return tuple((k, v) for k, v in row._mapping.items() if k not in skip)

    def read() -> dict:
        session = db.session
        people = {}
        accounts = {}
        for row in session.execute(select(SocialAccount.__table__).order_by(SocialAccount.id)):
            accounts.setdefault(row.influencer_id, []).append(row)
        tags = {}
        for influencer_id, name in session.execute(
                select(influencer_tag.c.influencer_id, Tag.name).join(Tag)):
            tags.setdefault(influencer_id, set()).add(name.casefold())
        snapshots = {}
        for row in session.execute(select(AudienceSnapshot.__table__)):
            shares = sorted(plain(s) for s in session.execute(
                select(AudienceShare.__table__).where(AudienceShare.snapshot_id == row.id)))
            snapshots.setdefault(row.account_id, []).append((plain(row), tuple(shares)))
        for row in session.execute(select(Influencer.__table__)):
            mine = accounts.get(row.id, [])
            key = tuple((a.platform, a.handle) for a in mine) or row.display_name
            assert key not in people
            people[key] = (plain(row),
                           [(plain(a), sorted(snapshots.get(a.id, []), key=repr))
                            for a in mine],
                           sorted(tags.get(row.id, ())))
        return people

    return read


@pytest.fixture()
def wipe_people(db):
    """Empties the tables an import of people writes."""

    def wipe() -> None:
        session = db.session
        for table in (influencer_tag, AudienceShare.__table__, AudienceSnapshot.__table__,
                      SocialAccount.__table__, Influencer.__table__):
            session.execute(delete(table))
        session.commit()

    return wipe


@pytest.fixture()
def by_batch_then_empty(app, monkeypatch, import_csv, imported_people, wipe_people):
    """`report, expected = by_batch_then_empty(data, user)`: imports `data` batch by batch
    → its report and what it wrote (`imported_people`); then empties the tables and lets
    any import bulk load."""

    def run(data: str, user) -> tuple[dict, dict]:
        monkeypatch.setitem(app.config, "RELAIS_IMPORT_BULK_ROWS", 10**9)
        _imp, report = import_csv(data, user)
        expected = imported_people()
        wipe_people()
        monkeypatch.setitem(app.config, "RELAIS_IMPORT_BULK_ROWS", 1)
        return report, expected

    return run


@pytest.fixture()
def small_batches(monkeypatch):
    monkeypatch.setattr(imports, "BATCH", 17)  # duplicates across batches, several batches


_FRENCH = (
    "Nom;Prénom;Réseau;Compte;Abonnés;Taux d'engagement;Pays\r\n"
    "Girard;Manon;Instagram;@manon.girard;9,5 M;3,2 %;FR\r\n"
    "Petit;Bruno;TikTok;bruno.petit;12 400;4,1 %;FR\r\n"
    "Cœur;Zoé;Insta;zoe.coeur;abc;2 %;FR\r\n"
).encode("cp1252")


@pytest.fixture()
def french_file():
    """A small French file (cp1252, semicolons): three people, one bad follower count."""
    return _FRENCH


def _upload(client, content: bytes, name: str = "liste.csv", mode: str = "upsert"):
    # Encoded here, in memory: the test client's own encoder spools big bodies to a
    # temporary file it never closes (a ResourceWarning, an error under -W error).
    file = FileStorage(io.BytesIO(content), filename=name, content_type="text/csv")
    boundary, body = encode_multipart({"file": file, "mode": mode})
    return client.post("/imports/new", data=body,
                       content_type=f"multipart/form-data; boundary={boundary}")


@pytest.fixture()
def upload():
    """`upload(client, content, name=, mode=)`: posts the file to the wizard's first step."""
    return _upload


def _count(model) -> int:
    _db.session.expire_all()
    return _db.session.scalar(select(func.count()).select_from(model))


@pytest.fixture()
def count():
    """`count(model)`: how many rows the model's table holds now."""
    return _count


def _latest_import() -> Import:
    _db.session.expire_all()
    return _db.session.scalars(select(Import).order_by(Import.id.desc())).first()


@pytest.fixture()
def latest_import():
    """`latest_import()`: the newest import, read afresh."""
    return _latest_import


def _preview_data(imp: Import, **changes) -> dict:
    """The preview form as the browser would send it, with the stored mapping."""
    data = {"encoding": {"utf-8-sig": "utf-8"}.get(imp.encoding, imp.encoding),
            "delimiter": {";": "semicolon", ",": "comma", "\t": "tab", "|": "pipe"}[imp.delimiter]}
    for index in range(len(imp.headers)):
        data[f"col_{index}"] = (imp.mapping or {}).get(str(index)) or ""
    data.update(changes)
    return data


@pytest.fixture()
def preview_data():
    """`preview_data(imp, **changes)`: the preview form as sent, with the stored mapping."""
    return _preview_data


def _checked_import(client, content: bytes = _FRENCH) -> Import:
    response = _upload(client, content)
    assert response.status_code == 302, response.data
    imp = _latest_import()
    response = client.post(f"/imports/{imp.id}/preview", data=_preview_data(imp, check="1"))
    assert response.status_code == 302, response.data
    imp = _latest_import()
    assert imp.status == "checked", imp.error
    return imp


@pytest.fixture()
def checked_import():
    """`checked_import(client, content=)`: uploads and dry-runs the file → the checked import."""
    return _checked_import


def _imported(client, content: bytes = _FRENCH) -> Import:
    imp = _checked_import(client, content)
    response = client.post(f"/imports/{imp.id}/start")
    assert response.status_code == 302
    imp = _latest_import()
    assert imp.status == "done", imp.error
    return imp


@pytest.fixture()
def imported():
    """`imported(client, content=)`: uploads, checks and imports the file → the done import."""
    return _imported


def _assert_value_or_problem(text: str) -> None:
    """A count, a share and a date read from `text` are each in range, or refused with a
    ValueProblem: never another exception, never a value out of range."""
    with contextlib.suppress(ValueProblem):
        count = parse_count(text)
        assert count is None or (type(count) is int and count >= 0), text
    with contextlib.suppress(ValueProblem):
        share = parse_share(text)
        assert share is None or (type(share) is float and 0 <= share <= 1), text
    with contextlib.suppress(ValueProblem):
        day = parse_date(text)
        assert day is None or type(day) is date, text


@pytest.fixture(scope="session")  # session scope: hypothesis' @given refuses function scope
def assert_value_or_problem():
    return _assert_value_or_problem


# --- spreadsheets, written by the libraries people's tools use ----------------------------

def _xlsx(sheets: dict[str, list[list]]) -> bytes:
    """An .xlsx (XlsxWriter): dates as date cells, ("=F2*2", 24) as a formula and the value
    Excel saved with it, floats as numbers."""
    import xlsxwriter

    out = io.BytesIO()
    book = xlsxwriter.Workbook(out, {"in_memory": True})
    as_date = book.add_format({"num_format": "dd/mm/yyyy"})
    as_percent = book.add_format({"num_format": "0.0 %"})
    for name, rows in sheets.items():
        sheet = book.add_worksheet(name)
        for r, row in enumerate(rows):
            for c, value in enumerate(row):
                if isinstance(value, tuple):
                    sheet.write_formula(r, c, value[0], None, value[1])
                elif isinstance(value, date):
                    sheet.write_datetime(r, c, value, as_date)
                elif isinstance(value, float) and 0 < value < 1:
                    sheet.write_number(r, c, value, as_percent)
                elif value is not None:
                    sheet.write(r, c, value)
    book.close()
    return out.getvalue()


def _xls(sheets: dict[str, list[list]]) -> bytes:
    """An Excel 97-2003 .xls (xlwt)."""
    import xlwt

    book = xlwt.Workbook()
    as_date = xlwt.easyxf(num_format_str="DD/MM/YYYY")
    for name, rows in sheets.items():
        sheet = book.add_sheet(name)
        for r, row in enumerate(rows):
            for c, value in enumerate(row):
                if isinstance(value, date):
                    sheet.write(r, c, value, as_date)
                elif value is not None:
                    sheet.write(r, c, value)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _ods_cell(value):
    from odf.table import TableCell
    from odf.text import P

    if isinstance(value, str):
        cell = TableCell(valuetype="string")
    elif isinstance(value, date):
        cell = TableCell(valuetype="date", datevalue=value.isoformat())
    else:
        cell = TableCell(valuetype="float", value=repr(value))
    cell.addElement(P(text=str(value)))
    return cell


def _ods(sheets: dict[str, list[list]]) -> bytes:
    """An OpenDocument spreadsheet (odfpy), as LibreOffice writes them."""
    from odf.opendocument import OpenDocumentSpreadsheet
    from odf.table import Table, TableCell, TableRow

    document = OpenDocumentSpreadsheet()
    for name, rows in sheets.items():
        table = Table(name=name)
        for row in rows:
            line = TableRow()
            for value in row:
                line.addElement(TableCell() if value is None else _ods_cell(value))
            table.addElement(line)
        document.spreadsheet.addElement(table)
    out = io.BytesIO()
    document.write(out)
    return out.getvalue()


SPREADSHEET_WRITERS = {"xlsx": _xlsx, "xls": _xls, "ods": _ods}


@pytest.fixture()
def make_spreadsheet():
    """`make_spreadsheet("xlsx", {"Feuil1": [[...], ...], ...})`: the file's bytes."""

    def make(kind: str, sheets: dict[str, list[list]]) -> bytes:
        return SPREADSHEET_WRITERS[kind](sheets)

    return make
