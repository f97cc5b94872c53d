"""Hostile files: whatever comes in, the import pipeline answers ReadError or RowProblems.

The pipeline here is the whole plain-Python stage: sniff, open_rows, suggest_mapping,
normalise_row, dedupe_within_file. Nothing else may escape it (no UnicodeError, csv.Error,
IndexError, KeyError…).
"""

import codecs
import csv
import io
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from app.core.csv_output import neutralise_formula
from app.imports.parsing import reading
from app.imports.parsing.dedupe import dedupe_within_file
from app.imports.parsing.mapping import suggest_mapping
from app.imports.parsing.reading import ReadError, open_rows
from app.imports.parsing.rows import ColumnPlan, NormalisedRow, RowProblem
from app.imports.parsing.rows import normalise_row as normalise

HEADERS = ["Nom", "Prénom", "Réseau", "Compte", "URL", "Abonnés", "Taux d'engagement", "E-mail",
           "Pays", "Catégorie", "Statut", "Type", "% Femmes", "18-24", "Pays principal",
           "Date des statistiques", "Langues", "Notes", "Instagram", "Abonnés TikTok"]
PAYLOADS = ["=cmd|' /C calc'!A0", "<script>alert(1)</script>", "+SUM(1,2)", "-2+3", "@SUM(A1)",
            "=HYPERLINK(\"http://evil\",\"x\")", "\t=1", "\r=1", "javascript:alert(1)",
            "'; DROP TABLE influencer; --", "{{7*7}}", "${7*7}", "../../etc/passwd",
            "\u202eevil", "\x00", "💥" * 10, "a" * 300]
SETTINGS = settings(max_examples=50, deadline=None,
                    suppress_health_check=[HealthCheck.function_scoped_fixture,
                                           HealthCheck.too_slow])


def run_pipeline(data: bytes, **options) -> list[NormalisedRow | list[RowProblem]]:
    """The whole plain-Python stage over a file; ReadError is the only allowed exception."""
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "upload.csv"
        path.write_bytes(data)
        rows = open_rows(path, **options)
        _, headers = next(rows)
        plan = ColumnPlan(headers, suggest_mapping(headers))
        out = list(dedupe_within_file(normalise(cells, plan, line) for line, cells in rows))
    for item in out:
        assert isinstance(item, NormalisedRow) or (
            item and all(isinstance(p, RowProblem) for p in item))
    return out


def _survives(data: bytes, **options) -> None:
    try:
        run_pipeline(data, **options)
    except ReadError as error:
        assert str(error) and "\n" not in str(error)


def _csv(rows: list[list[str]], delimiter: str = ";") -> str:
    buffer = io.StringIO()
    csv.writer(buffer, delimiter=delimiter, lineterminator="\r\n").writerows(rows)
    return buffer.getvalue()


@SETTINGS
@given(st.binary(max_size=2000))
def test_random_bytes(data):
    _survives(data)


@SETTINGS
@given(st.binary(max_size=500), st.sampled_from(["utf-8", "cp1252", "latin-1", "utf-16",
                                                  "ascii", "utf-32"]))
def test_random_bytes_under_a_chosen_encoding(data, encoding):
    _survives(b"Nom;Compte\r\n" + data, encoding=encoding)


@pytest.mark.slow
@SETTINGS
@given(st.lists(st.lists(st.one_of(st.text(max_size=20), st.sampled_from(PAYLOADS)),
                         min_size=1, max_size=len(HEADERS) + 2), max_size=8),
       st.sampled_from([";", ",", "\t", "|"]),
       st.sampled_from(["utf-8", "utf-8-sig", "cp1252", "utf-16"]))
def test_random_cells_in_a_real_header(rows, delimiter, encoding):
    text = _csv([HEADERS, *rows], delimiter)
    data = text.encode(encoding, errors="replace")
    _survives(data)


@SETTINGS
@given(st.text(alphabet='"\r\n;,ab ', max_size=200))
def test_quotes_and_newlines_in_any_order(text):
    _survives(("Nom;Compte\r\n" + text).encode())


@SETTINGS
@given(st.text(alphabet="0123456789 ,.%kKMmd-+/:TZ\u00a0\u202f'abonnés", max_size=25))
def test_number_like_text_is_a_value_in_range_or_a_value_problem(assert_value_or_problem, text):
    assert_value_or_problem(text)


@pytest.mark.parametrize(
    ("data", "options", "message"),
    [
        ("Nom;Compte\r\nZoé;@zoe\r\n".encode("cp1252"), {"encoding": "utf-8"},
         "cannot be read as utf-8-sig: choose another encoding"),
        ("Nom;Compte\r\nZoé;@zoe\r\n".encode("utf-16-le"), {}, "binary data"),
        ("Nom;Compte\r\nZoé;@zoe\r\n".encode(), {"encoding": "utf-16"},
         "cannot be read as utf-16: choose another encoding"),
        ("Nom;Compte\r\nZoé;@zoe\r\n".encode(), {"encoding": "utf-32"},
         "cannot be read as utf-32: choose another encoding"),
        (codecs.BOM_UTF16_LE + b"\x00", {}, "cannot be read as utf-16: choose another encoding"),
    ],
    ids=["cp1252-read-as-utf8", "utf16-without-bom", "utf8-read-as-utf16",
         "utf8-read-as-utf32", "odd-utf16"],
)
def test_wrong_encodings_are_refused_with_a_clear_reason(data, options, message):
    with pytest.raises(ReadError, match=message):
        run_pipeline(data, **options)


@pytest.mark.parametrize("encoding", ["rot13", "hex", "base64", "zlib", "klingon", " "])
def test_encodings_that_are_not_text_encodings_are_refused(encoding):
    with pytest.raises(ReadError, match="Unknown encoding"):
        run_pipeline(b"Nom;Compte\r\n", encoding=encoding)


@pytest.mark.parametrize("data", [b"", b"\r\n\r\n"], ids=["empty", "blank"])
def test_empty_files_are_refused(data):
    with pytest.raises(ReadError, match="The file is empty"):
        run_pipeline(data)


@pytest.mark.parametrize(
    "data", [b"Nom;Compte", b"Nom;Compte\r\n", codecs.BOM_UTF8 + b"Nom;Compte\r\n"],
    ids=["header-no-newline", "header-only", "bom-header-only"],
)
def test_a_header_alone_gives_zero_rows(data):
    assert run_pipeline(data) == []


@pytest.mark.parametrize(
    ("data", "line"),
    [(b'Nom;Compte\r\n"Zo\xc3\xa9;@zoe\r\n', 2), (b'"Nom;Compte\r\n', 1),
     (b'Nom;Compte\r\nZoe;"@zoe', 2)],
    ids=["unbalanced-quote", "unbalanced-header", "unbalanced-last-cell"],
)
def test_an_unbalanced_quote_is_refused_with_its_line(data, line):
    with pytest.raises(ReadError, match=f"A quote opened on line {line} is never closed"):
        run_pipeline(data)


def test_unbalanced_quote_is_refused_not_swallowed():
    with pytest.raises(ReadError, match="never closed"):
        run_pipeline(b'Nom;Compte\r\n"Zoe;@zoe\r\nLea;@lea\r\n')


def test_huge_field_is_refused():
    with pytest.raises(ReadError, match="Line 3"):
        run_pipeline(b"Nom;Compte\r\nA;@a\r\nB;" + b"x" * (reading.FIELD_LIMIT + 1) + b"\r\n")


def test_huge_line_is_refused():
    with pytest.raises(ReadError, match="Line 2 is too long"):
        run_pipeline(b"Nom;Compte\r\n" + b"x;" * (reading.LINE_LIMIT // 2 + 1) + b"\r\n")


def test_huge_row_over_many_lines_is_refused(monkeypatch):
    monkeypatch.setattr(reading, "ROW_LIMIT", 10_000)
    cell = b'"' + b"x\r\n" * 5000 + b'"'
    with pytest.raises(ReadError, match="too long"):
        run_pipeline(b"Nom;Notes\r\nA;" + cell + b"\r\n")


def test_thousands_of_columns_are_refused():
    header = ";".join(f"col{i}" for i in range(5000)).encode()
    with pytest.raises(ReadError, match="more than 500 columns"):
        run_pipeline(header + b"\r\n1;2\r\n")
    with pytest.raises(ReadError, match="Line 3 has more than 500 columns"):
        run_pipeline(b"Nom;Compte\r\nA;@a\r\n" + b";x" * 3000 + b"\r\n")


def test_many_rows_with_too_many_cells_are_reported_not_raised():
    out = run_pipeline(b"Nom;Compte;Reseau\r\n" + b"A;a;IG;x;y\r\nB\r\n" * 50)
    assert len(out) == 100 and all(isinstance(item, list) for item in out)


@pytest.mark.parametrize("payload", PAYLOADS)
def test_formula_and_script_payloads_are_text_or_refused(payload):
    row = [payload] * len(HEADERS)
    row[HEADERS.index("Compte")] = "@zoe"
    row[HEADERS.index("Réseau")] = "Instagram"
    data = _csv([HEADERS, row]).encode("utf-8", errors="replace")
    if "\x00" in payload:
        with pytest.raises(ReadError, match="binary data"):
            run_pipeline(data)
        return
    (item,) = run_pipeline(data)
    if isinstance(item, NormalisedRow):
        assert item.person.get("display_name") in (None, payload, " ".join(payload.split()))
    assert neutralise_formula(payload)[0] not in "=+-@\t\r"


def test_formula_payload_as_a_name_is_kept_as_text():
    (item,) = run_pipeline(_csv([["Nom", "Compte", "Réseau"],
                                 ["=cmd|' /C calc'!A0", "@zoe", "IG"]]).encode())
    assert item.person["display_name"] == "=cmd|' /C calc'!A0"
    assert neutralise_formula(item.person["display_name"]) == "'=cmd|' /C calc'!A0"
