"""Reading CSV files as teams send them: encodings, delimiters, quoting, broken files."""

import codecs

import pytest

from app.imports.parsing import reading
from app.imports.parsing.reading import (
    ReadError,
    check_delimiter,
    check_encoding,
    open_rows,
    sniff,
)

FRENCH_EXCEL = (
    "Prénom;Nom;Réseau;Compte;Abonnés;Taux d'engagement;Notes\r\n"
    "Zoé;Lœvenbruck;Instagram;@zoe.lv;9,5 M;3,2 %;\"Budget 1 500 €, “top”\"\r\n"
    "Léa;Martin;TikTok;lea;12 400;4,1 %;\"Sur\r\ndeux lignes; oui\"\r\n"
).encode("cp1252")


def _write(tmp_path, data: bytes, name: str = "list.csv"):
    path = tmp_path / name
    path.write_bytes(data)
    return path


def _rows(tmp_path, data: bytes, **kw):
    return list(open_rows(_write(tmp_path, data), **kw))


@pytest.mark.parametrize(
    ("data", "encoding", "delimiter", "has_bom"),
    [
        (FRENCH_EXCEL, "cp1252", ";", False),
        (codecs.BOM_UTF8 + "nom,ville\nZoé,Besançon\n".encode(), "utf-8-sig", ",", True),
        ("nom,ville\nZoé,Besançon\n".encode(), "utf-8-sig", ",", False),
        (b"name\tcity\nA\tB\n", "utf-8-sig", "\t", False),
        (b"name|city|country\nA|B|FR\n", "utf-8-sig", "|", False),
        ("nom;abonnés;taux\nA;12,5;3,2\nB;9,5 M;4,1\n".encode(), "utf-8-sig", ";", False),
        (b"name,notes\nA,\"x; y; z\"\nB,w\n", "utf-8-sig", ",", False),
        (b"name;bio\nA;hello, world\nB;again, and, again\n", "utf-8-sig", ";", False),
        ("nom\tville\r\nZoé\tParis\r\n".encode("utf-16"), "utf-16", "\t", True),
    ],
    ids=["french-excel", "utf8-bom", "utf8", "tab", "pipe", "decimal-commas",
         "quoted-semicolons", "commas-in-text", "utf16-excel"],
)
def test_sniff_finds_encoding_and_delimiter(tmp_path, data, encoding, delimiter, has_bom):
    found = sniff(_write(tmp_path, data))
    assert (found.encoding, found.delimiter, found.has_bom) == (encoding, delimiter, has_bom)
    assert sniff(data).delimiter == delimiter  # from bytes as well as from a path
    assert 0 <= found.confidence <= 1


def test_sniff_prefers_semicolon_on_ties():
    assert sniff(b"a;b,c\n1;2,3\n").delimiter == ";"


def test_sniff_does_not_fail_on_multibyte_char_cut_at_sample_end():
    line = ("é" * 40 + ";x\n").encode()
    data = b"nom;v\n" + line * (reading.SAMPLE_SIZE // len(line) + 5)
    cut = reading.SAMPLE_SIZE - 1
    assert data[cut:cut + 2].decode("utf-8")  # an "é" straddles the sample's end
    assert sniff(data).encoding == "utf-8-sig"


def test_utf8_sample_then_cp1252_later_is_a_clear_error(tmp_path):
    data = b"nom;ville\n" + b"Paris;Lyon\n" * 7000 + "Zoé;Besançon\n".encode("cp1252")
    with pytest.raises(ReadError, match=r"Line 7002 cannot be read as utf-8-sig"):
        _rows(tmp_path, data)
    rows = _rows(tmp_path, data, encoding="cp1252")
    assert rows[-1] == (7002, ["Zoé", "Besançon"])


def test_french_excel_file_streams_with_physical_line_numbers(tmp_path):
    rows = _rows(tmp_path, FRENCH_EXCEL)
    assert rows[0] == (1, ["Prénom", "Nom", "Réseau", "Compte", "Abonnés",
                           "Taux d'engagement", "Notes"])
    assert rows[1][1][6] == "Budget 1 500 €, “top”"
    assert rows[2] == (3, ["Léa", "Martin", "TikTok", "lea", "12 400", "4,1 %",
                           "Sur\r\ndeux lignes; oui"])


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (b"a,b\n1,2", [(1, ["a", "b"]), (2, ["1", "2"])]),
        (b"a,b\r\n\r\n1,2\r\n\r\n", [(1, ["a", "b"]), (3, ["1", "2"])]),
        (b"a;b\n;;\n ; \n1;2\n", [(1, ["a", "b"]), (4, ["1", "2"])]),
        (b"a,b\n\"x\ny\",2\n3,4\n", [(1, ["a", "b"]), (2, ["x\ny", "2"]), (4, ["3", "4"])]),
        (b"a,b\n\"say \"\"hi\"\"\",2\n", [(1, ["a", "b"]), (2, ['say "hi"', "2"])]),
        (b"a,b\n1\n1,2,3\n", [(1, ["a", "b"]), (2, ["1"]), (3, ["1", "2", "3"])]),
        (b"a,b\n", [(1, ["a", "b"])]),
        (codecs.BOM_UTF8 + b"a,b\n1,2\n", [(1, ["a", "b"]), (2, ["1", "2"])]),
        (b"a,b\r1,2\r", [(1, ["a", "b"]), (2, ["1", "2"])]),
    ],
    ids=["no-final-newline", "crlf-blank-lines", "empty-excel-rows", "newline-in-quotes",
         "doubled-quotes", "ragged-rows", "header-only", "bom-stripped", "old-mac-cr"],
)
def test_open_rows(tmp_path, data, expected):
    assert _rows(tmp_path, data) == expected


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "The file is empty."),
        (b"\n\r\n  \n", "The file is empty."),
        (codecs.BOM_UTF8, "The file is empty."),
        (b"a,b\n1,\"unclosed\n2,3\n", "A quote opened on line 2 is never closed."),
        (b"a,b\x00c\n", "This is not a text file (CSV): it contains binary data."),
        (bytes(range(256)) * 4, "This is not a text file (CSV)"),
        (b",".join([b"c"] * 501) + b"\n", "Line 1 has more than 500 columns."),
    ],
    ids=["empty", "blank-lines", "bom-only", "unbalanced-quote", "nul", "binary",
         "too-many-columns"],
)
def test_unreadable_files_raise_one_line_read_errors(tmp_path, data, message):
    with pytest.raises(ReadError) as error:
        _rows(tmp_path, data)
    assert str(error.value).startswith(message)
    assert "\n" not in str(error.value)


def test_field_over_the_limit_names_its_line(tmp_path, monkeypatch):
    data = b"a,b\n1,2\n3,\"" + b"x" * (reading.FIELD_LIMIT + 10) + b"\"\n"
    with pytest.raises(ReadError, match=r"^Line 3 "):
        _rows(tmp_path, data)


def test_overrides_are_checked(tmp_path):
    path = _write(tmp_path, b"a;b\n1;2\n")
    assert list(open_rows(path, encoding="latin-1", delimiter="tab")) == [
        (1, ["a;b"]), (2, ["1;2"])]
    assert check_encoding("UTF8") == "utf-8-sig"
    assert check_encoding("windows-1252") == "cp1252"
    assert check_delimiter("semicolon") == ";"
    with pytest.raises(ReadError, match="Unknown encoding"):
        list(open_rows(path, encoding="klingon"))
    with pytest.raises(ReadError, match="delimiter"):
        list(open_rows(path, delimiter="x"))


def test_missing_file_is_a_read_error(tmp_path):
    with pytest.raises(ReadError, match="cannot be opened"):
        sniff(tmp_path / "nope.csv")


def test_open_rows_streams_without_reading_the_whole_file(tmp_path, monkeypatch):
    path = _write(tmp_path, b"a;b\n" + b"1;2\n" * 50_000)
    reads = []
    real_wrapper = reading.io.TextIOWrapper

    def spy(raw, **kw):
        original_read = raw.read1 if hasattr(raw, "read1") else raw.read

        def read1(size=-1):
            reads.append(size)
            return original_read(size)
        raw.read1 = read1
        return real_wrapper(raw, **kw)

    monkeypatch.setattr(reading.io, "TextIOWrapper", spy)
    rows = open_rows(path)
    for _ in range(3):
        next(rows)
    rows.close()
    assert reads and all(0 < size <= 1024 * 1024 for size in reads)
    assert len(reads) < 5  # three rows needed a chunk or two, not the file
