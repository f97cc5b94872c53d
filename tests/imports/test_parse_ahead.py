"""Reading a big file in a second process (app/imports/parsing/parse_ahead.py): the same batches as
reading inline, the same refusals, and no process left behind."""

from __future__ import annotations

import random
import sys

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select

from app.extensions import db as _db
from app.imports import service as imports
from app.imports.parsing.batches import read_batches
from app.imports.parsing.mapping import suggest_mapping
from app.imports.parsing.parse_ahead import batches_ahead
from app.imports.parsing.reading import ReadError, open_rows, read_header
from app.models import Import, Influencer
from tests.factories import make_user

HEADERS = ["Prénom", "Nom", "Réseau", "Compte", "Abonnés", "Taux d'engagement", "E-mail",
           "Pays", "Catégorie", "% Femmes", "18-24", "Date des statistiques"]


@pytest.fixture()
def people_file(tmp_path, people_csv):
    """`people_file(300)`: the path of a file of that many generated rows, in cp1252."""

    def write(people: int, name: str = "liste.csv"):
        path = tmp_path / name
        path.write_bytes(people_csv(people).encode("cp1252"))
        return path

    return write


def _mapping(path) -> dict:
    rows = open_rows(path, "cp1252", ";")
    _line, headers = read_header(rows)
    rows.close()
    return suggest_mapping(headers)


def _both(path, mapping, size: int = 17) -> tuple[list, list]:
    inline = list(read_batches(str(path), "cp1252", ";", mapping, size))
    ahead = batches_ahead(str(path), "cp1252", ";", mapping, size)
    try:
        return inline, list(ahead)
    finally:
        ahead.close()


def test_the_child_yields_what_reading_inline_yields(people_file):
    path = people_file(300)
    inline, ahead = _both(path, _mapping(path))
    assert len(inline) > 10  # several batches, duplicates across them
    assert ahead == inline
    rows = [item for batch, _total in ahead for item in batch if not isinstance(item, list)]
    assert sum(row.same_as is not None for row in rows) > 50
    assert sum(isinstance(item, list) for batch, _total in ahead for item in batch) > 5


@pytest.mark.parametrize("content", [
    b"Nom;Compte\nL\xe9a;@lea\n\"Zo\xe9;@zoe\n",  # a quote never closed
    b"Nom;Compte\n" + b"Lea;@lea\n" * 10_000 + b"\xff\xfe;@x\n",  # undecodable far down
], ids=["unclosed quote", "undecodable line"])
@pytest.mark.slow
def test_a_file_refused_in_the_child_is_refused_the_same_way(tmp_path, content):
    path = tmp_path / "casse.csv"
    path.write_bytes(content)
    mapping = {0: "name", 1: "handle"}
    encoding = "cp1252" if b"\xe9" in content else "utf-8"
    with pytest.raises(ReadError) as inline:
        list(read_batches(str(path), encoding, ";", mapping, 100))
    reader = batches_ahead(str(path), encoding, ";", mapping, 100)
    with pytest.raises(ReadError) as ahead:
        list(reader)
    assert (ahead.value.template, ahead.value.params) == \
        (inline.value.template, inline.value.params)
    assert str(ahead.value) == str(inline.value)
    assert reader.child.returncode == 0  # it ended on its own, having said why


def test_a_failure_inside_the_child_is_raised_in_the_parent(people_file):
    path = people_file(10)
    reader = batches_ahead(str(path), "cp1252", ";", {99: "name"}, 100)  # no column 99
    with pytest.raises(RuntimeError, match="reading process failed: ValueError: bad mapping"):
        list(reader)
    assert reader.child.returncode == 0


@pytest.mark.parametrize("command", [
    ["/nonexistent/python3"],  # cannot start
    [sys.executable, "-c", "import os; os._exit(3)"],  # ends before a word
    [sys.executable, "-c", "import sys; sys.stdout.buffer.write(bytes([200, 0, 0, 0, 0, 0, "
                           "0, 0, 1])); sys.exit(3)"],  # a first message cut short
    ["/bin/true"],  # not Python at all (sys.executable under some servers)
], ids=["missing", "silent", "garbled", "not python"])
def test_a_child_that_never_answers_leaves_the_reading_to_the_parent(command, people_file):
    path = people_file(120)
    mapping = _mapping(path)
    reader = batches_ahead(str(path), "cp1252", ";", mapping, 17, command=command)
    try:
        assert list(reader) == list(read_batches(str(path), "cp1252", ";", mapping, 17))
    finally:
        reader.close()


ONE_BATCH_THEN_DEATH = (
    "import os, pickle, struct, sys\n"
    "data = pickle.dumps((0, ([], 1)))\n"  # one (empty) batch, one line read
    "sys.stdout.buffer.write(struct.pack('<Q', len(data)) + data)\n"
    "sys.stdout.flush()\n"
    "os._exit(3)\n")


def test_a_child_that_dies_mid_way_fails_the_reading(people_file):
    path = people_file(10)
    reader = batches_ahead(str(path), "cp1252", ";", _mapping(path), 100,
                           command=[sys.executable, "-c", ONE_BATCH_THEN_DEATH])
    assert next(reader) == ([], 1)
    with pytest.raises(RuntimeError, match="stopped unexpectedly"):
        next(reader)
    assert reader.child.returncode == 3


def test_closing_early_ends_the_child(people_file):
    path = people_file(3000)
    reader = batches_ahead(str(path), "cp1252", ";", _mapping(path), 50)
    next(reader)
    assert reader.child.poll() is None  # blocked a batch ahead, waiting for the parent
    reader.close()
    assert reader.child.returncode is not None
    reader.close()  # twice is harmless


@pytest.mark.slow
def test_an_import_read_ahead_writes_what_an_inline_one_writes(db, app, monkeypatch, import_csv,
                                                               imported_people, people_csv,
                                                               wipe_people):
    user = make_user("admin")
    monkeypatch.setattr(imports, "BATCH", 17)
    data = people_csv(250)
    monkeypatch.setitem(app.config, "RELAIS_IMPORT_AHEAD_ROWS", 10**9)
    _imp, inline = import_csv(data, user)
    expected = imported_people()
    wipe_people()
    started = []
    real = imports.batches_ahead
    monkeypatch.setattr(imports, "batches_ahead",
                        lambda *args: started.append(1) or real(*args))
    monkeypatch.setitem(app.config, "RELAIS_IMPORT_AHEAD_ROWS", 1)
    _imp, ahead = import_csv(data, user, name="encore.csv")
    assert started == [1]
    assert ahead == inline
    assert imported_people() == expected


@pytest.mark.slow
def test_an_import_whose_file_breaks_far_down_fails_whole(db, app, tmp_path, monkeypatch):
    """Read ahead and bulk loaded: a line that cannot be decoded, after thousands of good
    ones, fails the import with its line number and leaves nothing."""
    user = make_user("admin")
    monkeypatch.setitem(app.config, "RELAIS_IMPORT_AHEAD_ROWS", 1)
    monkeypatch.setitem(app.config, "RELAIS_IMPORT_BULK_ROWS", 1)
    rng = random.Random(5)
    lines = ["Nom;Compte;Réseau\r\n".encode()]
    lines += [f"Léa {n};@lea_{n};{rng.choice(['Instagram', 'TikTok'])}\r\n".encode()
              for n in range(4000)]
    path = tmp_path / "casse.csv"
    path.write_bytes(b"".join(lines) + b"Z\xc3;@zoe;Instagram\r\n")
    imp = imports.create_import(path, "casse.csv", user)
    with pytest.raises(imports.ServiceError, match=r"4002 .* utf-8-sig"):
        imports.run(imp, dry_run=False)
    assert _db.session.scalar(select(func.count()).select_from(Influencer)) == 0
    assert _db.session.get(Import, imp.id).status == "failed"


def _outcome(reader_factory) -> tuple:
    """What a reader gives: its batches, or the refusal (template and params)."""
    reader = reader_factory()
    try:
        return ("batches", list(reader))
    except ReadError as error:
        return ("refused", error.template, error.params)
    finally:
        reader.close()


@pytest.mark.slow
@settings(max_examples=12, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(cells=st.lists(st.lists(st.one_of(
    st.text(max_size=12), st.sampled_from(['"', '"a', "=cmd|' /C calc'!A0", "\x00", "é",
                                           "9,5 M", "@lea", "\r\n", ";"])),
    min_size=3, max_size=3), max_size=40),
    tail=st.binary(max_size=40), encoding=st.sampled_from(["utf-8", "cp1252"]))
def test_hostile_files_read_the_same_in_the_child(tmp_path, cells, tail, encoding):
    """Random cells (quotes, NUL, formulas, newlines) and random trailing bytes: the child
    yields the same batches, or refuses the file with the same reason, as reading inline."""
    text = "Nom;Compte;Abonnés\n" + "".join(";".join(row) + "\n" for row in cells)
    path = tmp_path / "hostile.csv"
    path.write_bytes(text.encode(encoding, errors="replace") + tail)
    mapping = {0: "name", 1: "handle", 2: "followers"}
    arguments = (str(path), encoding, ";", mapping, 7)
    assert _outcome(lambda: batches_ahead(*arguments)) == \
        _outcome(lambda: read_batches(*arguments))
