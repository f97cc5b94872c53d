"""Spreadsheets read as CSV: .xlsx, .xls and .ods as Excel typed them, the sheet chosen, and
hostile files (zip bombs, sheets too big, formulas, passwords, damaged or fake files)
refused with a reason, never a crash of the process that asked."""

from __future__ import annotations

import csv
import io
import sys
import zipfile
from datetime import date, datetime
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from app.imports.parsing import sheet_to_csv, spreadsheet
from app.imports.parsing.reading import ReadError, open_rows, read_header
from app.imports.parsing.spreadsheet import kind_of, to_csv

FILES = Path(__file__).parent.parent / "files"
ROWS = [
    ["Nom", "Abonnés", "Taux d'engagement", "Date des statistiques", "Double"],
    ["Zoé Cœur", 12000, 2.4, date(2024, 3, 5), ("=B2*2", 24000)],
    ["Hugo", 9_500_000, 0.1 + 0.2, date(2025, 12, 31), ("=B3*2", 19_000_000)],
]


def _convert(tmp_path: Path, data: bytes, sheet: str | None = None, name: str = "in"
             ) -> tuple[spreadsheet.Workbook, list[list[str]]]:
    source, out = tmp_path / name, tmp_path / "out.csv"
    source.write_bytes(data)
    workbook = to_csv(source, out, sheet)
    rows = open_rows(out, spreadsheet.CSV_ENCODING, spreadsheet.CSV_DELIMITER)
    return workbook, [cells for _line, cells in rows]


@pytest.mark.slow
@pytest.mark.parametrize("kind", ["xlsx", "xls", "ods"])
def test_numbers_and_dates_as_excel_typed_them(tmp_path, make_spreadsheet, kind):
    rows = [row[:4] for row in ROWS] if kind != "xlsx" else ROWS  # formulas: xlsx only
    workbook, read = _convert(tmp_path, make_spreadsheet(kind, {"Feuil1": rows}))
    assert (workbook.kind, workbook.sheets, workbook.sheet, workbook.rows) == (
        kind, ("Feuil1",), "Feuil1", 3)
    assert read[0] == [str(cell) for cell in ROWS[0][:len(read[0])]]
    # integers without ".0", 0.1 + 0.2 as Excel shows it, dates as ISO dates
    assert read[1][:4] == ["Zoé Cœur", "12000", "2.4", "2024-03-05"]
    assert read[2][:4] == ["Hugo", "9500000", "0.3", "2025-12-31"]
    if kind == "xlsx":  # the value saved with the formula, never the formula, never computed
        assert [read[1][4], read[2][4]] == ["24000", "19000000"]


@pytest.mark.slow
@pytest.mark.parametrize("kind", ["xlsx", "xls", "ods"])
def test_the_sheet_is_chosen_by_name_or_number_else_the_first_holding_something(
        tmp_path, make_spreadsheet, kind):
    data = make_spreadsheet(kind, {"Notes": [], "Liste": [row[:4] for row in ROWS[:2]],
                                   "Autre": [["Handle"], ["@a"]]})
    workbook, read = _convert(tmp_path, data)
    assert workbook.sheets == ("Notes", "Liste", "Autre") and workbook.sheet == "Liste"
    assert read[0][0] == "Nom"
    for wanted in ("Autre", "autre ", "3"):
        workbook, read = _convert(tmp_path, data, sheet=wanted)
        assert workbook.sheet == "Autre" and read == [["Handle"], ["@a"]]
    with pytest.raises(ReadError, match="no sheet “Feuil9”; its sheets: Notes, Liste, Autre"):
        _convert(tmp_path, data, sheet="Feuil9")
    with pytest.raises(ReadError, match="“Notes” is empty"):
        _convert(tmp_path, data, sheet="Notes")


@pytest.mark.slow
def test_line_numbers_are_the_sheet_rows(tmp_path, make_spreadsheet):
    """A rejected row is reported on the line Excel shows: empty rows above and between
    the rows count."""
    rows = [None, None, ["Nom", "Compte"], ["A", "@a"], [None, None], ["B", "@b"]]
    data = make_spreadsheet("xlsx", {"Feuil1": [row or [] for row in rows]})
    source, out = tmp_path / "in.xlsx", tmp_path / "out.csv"
    source.write_bytes(data)
    to_csv(source, out)
    lines = open_rows(out, spreadsheet.CSV_ENCODING, spreadsheet.CSV_DELIMITER)
    assert [(line, cells) for line, cells in lines] == [
        (3, ["Nom", "Compte"]), (4, ["A", "@a"]), (6, ["B", "@b"])]


@pytest.mark.slow
def test_text_cells_keep_quotes_separators_and_line_breaks_but_no_control_bytes(
        tmp_path, make_spreadsheet):
    tricky = 'a;b,"c"\nd\x00\x07e\tf'
    _workbook, read = _convert(tmp_path, make_spreadsheet("xlsx", {"S": [["Nom"], [tricky]]}))
    assert read == [["Nom"], ['a;b,"c"\nde\tf']]


def test_text_files_are_not_spreadsheets(tmp_path):
    path = tmp_path / "liste.xlsx"
    path.write_bytes("Nom;Compte\nZoé;@zoe\n".encode())
    assert kind_of(path) is None
    with pytest.raises(ReadError, match="damaged"):
        to_csv(path, tmp_path / "out.csv")


# --- hostile files -------------------------------------------------------------------------

def _zip(members: dict[str, bytes], compression: int = zipfile.ZIP_DEFLATED) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression) as archive:
        for name, content in members.items():
            archive.writestr(name, content)
    return out.getvalue()


def test_a_zip_bomb_is_refused_before_anything_unpacks_it(tmp_path, monkeypatch):
    monkeypatch.setattr(spreadsheet, "MAX_UNPACKED", 1 << 20)
    bomb = _zip({"[Content_Types].xml": b"<Types/>", "xl/workbook.xml": b"<workbook/>",
                 "xl/worksheets/sheet1.xml": b"<" + b" " * (2 << 20) + b">"})
    assert len(bomb) < 10_000
    path = tmp_path / "bomb.xlsx"
    path.write_bytes(bomb)
    with pytest.raises(ReadError, match="unpacks to more than 1 MB"):
        kind_of(path)
    many = tmp_path / "many.ods"
    many.write_bytes(_zip({f"f{n}": b"" for n in range(spreadsheet.MAX_MEMBERS + 1)}))
    with pytest.raises(ReadError, match="damaged"):
        kind_of(many)


def test_a_zip_that_is_no_spreadsheet_is_refused(tmp_path):
    path = tmp_path / "lettre.xlsx"
    path.write_bytes(_zip({"word/document.xml": b"<document/>"}))
    with pytest.raises(ReadError, match="ZIP archive, not a spreadsheet"):
        kind_of(path)


@pytest.mark.slow
def test_a_sheet_whose_cells_are_far_apart_ends_the_child_not_the_server(tmp_path):
    """Two cells a million rows and 16 000 columns apart: calamine asks for 512 GiB for
    the sheet's area and aborts its process. Only the child goes."""
    import xlsxwriter

    path = tmp_path / "sparse.xlsx"
    with xlsxwriter.Workbook(path) as book:
        sheet = book.add_worksheet()
        sheet.write(0, 0, "Nom")
        sheet.write(1_048_575, 16_383, "loin")
    assert path.stat().st_size < 10_000
    with pytest.raises(ReadError, match="too large to be read here"):
        to_csv(path, tmp_path / "out.csv")


@pytest.mark.slow
def test_too_many_columns_or_cells_are_refused(tmp_path, make_spreadsheet, monkeypatch):
    wide = make_spreadsheet("xlsx", {"S": [[f"c{n}" for n in range(501)]]})
    with pytest.raises(ReadError, match="more than 500 columns"):
        _convert(tmp_path, wide)


def test_the_cell_cap_is_checked_before_reading(monkeypatch):
    class Sheet:
        width, height = 10, 3_000_000

    class Book:
        def get_sheet_by_name(self, name):
            return Sheet()

    with pytest.raises(ReadError, match="too large: more than 20 000 000 cells"):
        sheet_to_csv.load_sheet(Book(), "S")


@pytest.mark.slow
def test_password_protected_workbooks_are_refused(tmp_path):
    with pytest.raises(ReadError, match="protected by a password"):
        to_csv(FILES / "protected.xlsx", tmp_path / "out.csv")


@pytest.mark.slow
@pytest.mark.parametrize("cut", [100, 2000, -30])
def test_damaged_workbooks_are_refused(tmp_path, make_spreadsheet, cut):
    data = make_spreadsheet("xlsx", {"S": ROWS})
    path = tmp_path / "cut.xlsx"
    path.write_bytes(data[:cut])
    with pytest.raises(ReadError, match="damaged"):
        to_csv(path, tmp_path / "out.csv")


@pytest.mark.slow
def test_an_ole_file_that_is_no_workbook_is_refused(tmp_path):
    path = tmp_path / "fake.xls"
    path.write_bytes(bytes.fromhex("d0cf11e0a1b11ae1") + bytes(4000))
    assert kind_of(path) == "xls"
    with pytest.raises(ReadError, match="damaged"):
        to_csv(path, tmp_path / "out.csv")


def test_a_child_that_cannot_start_or_dies_is_a_reason_not_a_crash(tmp_path, make_spreadsheet):
    path = tmp_path / "in.xlsx"
    path.write_bytes(make_spreadsheet("xlsx", {"S": ROWS}))
    with pytest.raises(ReadError, match="cannot be read on this server"):
        to_csv(path, tmp_path / "out.csv", command=[str(tmp_path / "no-such-python")])
    with pytest.raises(ReadError, match="too large"):
        to_csv(path, tmp_path / "out.csv", command=[
            sys.executable, "-c", "import os, signal; os.kill(os.getpid(), signal.SIGKILL)"])
    with pytest.raises(ReadError, match="damaged"):
        to_csv(path, tmp_path / "out.csv", command=[sys.executable, "-c", "print('{')"])


@pytest.mark.slow
@settings(max_examples=12, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_mangled_workbooks_are_read_or_refused_never_a_crash(tmp_path, make_spreadsheet, data):
    """Bytes of a real .xlsx, .xls or .ods overwritten at random: read (the damage missed the
    cells) or refused with a reason; never another error, never a hung child."""
    kind = data.draw(st.sampled_from(["xlsx", "xls", "ods"]))
    original = bytearray(make_spreadsheet(kind, {"S": [row[:4] for row in ROWS]}))
    for _ in range(data.draw(st.integers(1, 8))):
        # A position as a share of the file: its length varies (the writers date it).
        at = data.draw(st.integers(0, 10**6)) * (len(original) - 1) // 10**6
        original[at] = data.draw(st.integers(0, 255))
    path = tmp_path / f"mangled.{kind}"
    path.write_bytes(bytes(original))
    try:
        to_csv(path, tmp_path / "out.csv")
    except ReadError as error:
        assert str(error) and "\n" not in str(error)
    else:
        read_header(open_rows(tmp_path / "out.csv", "utf-8-sig", ","))


def test_the_child_converts_within_its_limits(tmp_path, make_spreadsheet):
    """The conversion, in this process (the child's code), for coverage of its pieces."""
    path = tmp_path / "in.xlsx"
    path.write_bytes(make_spreadsheet("xlsx", {"Feuil1": ROWS}))
    answer = sheet_to_csv.convert(str(path), str(tmp_path / "out.csv"), None)
    assert answer == {"sheets": ["Feuil1"], "sheet": "Feuil1", "rows": 3}
    text = (tmp_path / "out.csv").read_text(encoding="utf-8")
    assert list(csv.reader(io.StringIO(text)))[1][:3] == ["Zoé Cœur", "12000", "2.4"]
    assert datetime(2024, 3, 5).date().isoformat() in text
