"""Spreadsheets (.xlsx, .xls, .ods) read as CSV: recognised by their first bytes, checked
before anything opens them, converted one sheet at a time in a child process with limits.

Plain Python (no Flask). The import reads CSV (reading.py); a spreadsheet becomes a CSV
file up front, so that the preview, the dry run, the import and its reading process
(parse_ahead.py) read it as they read any other file, and stream it. The conversion runs
python-calamine (Rust) in a fresh interpreter (sheet_to_csv.py), never in the server:
calamine holds a sheet's whole area in memory, and a 5 KB file whose two cells are a
million rows apart makes it ask for 512 GiB and abort its process. Under the child's limits
that file only ends the child, and the user reads why. A zip (xlsx, ods) is refused before
that when it would unpack to more than MAX_UNPACKED (a zip bomb).
"""

from __future__ import annotations

import json
import logging
import os
import signal
import subprocess
import sys
import zipfile
from dataclasses import dataclass
from pathlib import Path

from app.core.text import N_
from app.imports.parsing.reading import ReadError

log = logging.getLogger("relais.imports")

SUFFIXES = (".xlsx", ".xls", ".ods")
CSV_ENCODING, CSV_DELIMITER = "utf-8-sig", ","  # how the converted file is read
MAX_UNPACKED = 256 << 20  # bytes a zip may unpack to: ~500 000 rows of 10 columns
MAX_MEMBERS = 2000  # files in the zip: a workbook has a few per sheet
WALL_SECONDS = 600  # the child's processor limit (sheet_to_csv.CPU_SECONDS) comes first
_ZIP, _OLE = b"PK\x03\x04", bytes.fromhex("d0cf11e0a1b11ae1")
_ODS_TYPE = b"application/vnd.oasis.opendocument.spreadsheet"
_ENCRYPTED = "EncryptedPackage".encode("utf-16-le")  # the stream a protected xlsx is in
_ROOT = str(Path(__file__).resolve().parents[3])  # the folder holding the `app` package
DAMAGED = N_("This spreadsheet cannot be read: the file is damaged, or it is not really an "
             "Excel or OpenDocument file.")
TOO_BIG = N_("This spreadsheet is too large to be read here (its sheet may have cells far "
             "below or to the right of the list): save the sheet as CSV, then import that.")


@dataclass(frozen=True, slots=True)
class Workbook:
    """A converted spreadsheet: its kind, its worksheets, the one written, its rows."""

    kind: str
    sheets: tuple[str, ...]
    sheet: str
    rows: int

    def as_dict(self) -> dict[str, object]:
        return {"kind": self.kind, "sheets": list(self.sheets), "sheet": self.sheet,
                "rows": self.rows}


def has_spreadsheet_name(filename: str | None) -> bool:
    return (filename or "").lower().endswith(SUFFIXES)


def kind_of(path: str | os.PathLike) -> str | None:
    """"xlsx", "ods" or "xls" from the file's first bytes and, for a zip, its contents;
    None for anything else (a text file: CSV). A zip that is not a spreadsheet, or too big
    once unpacked, is refused here (ReadError)."""
    try:
        with open(path, "rb") as file:
            magic = file.read(8)
    except OSError as error:
        raise ReadError(N_("The file cannot be opened.")) from error
    if magic == _OLE:  # an Excel 97 file, or an xlsx encrypted with a password
        return "xlsx" if _holds(path, _ENCRYPTED) else "xls"
    if not magic.startswith(_ZIP):
        return None
    return _zip_kind(path)


def _holds(path: str | os.PathLike, marker: bytes, chunk: int = 1 << 20) -> bool:
    """Whether the file's bytes hold `marker` (read a chunk at a time)."""
    with open(path, "rb") as file:
        tail = b""
        while block := file.read(chunk):
            if marker in tail + block:
                return True
            tail = block[-len(marker):]
    return False


def _zip_kind(path: str | os.PathLike) -> str:
    try:
        with zipfile.ZipFile(path) as archive:
            members = archive.infolist()
            check_unpacked_size(members)
            names = {member.filename for member in members}
            if "xl/workbook.xml" in names or "xl/workbook.bin" in names:
                return "xlsx"
            if "content.xml" in names and "mimetype" in names:
                mimetype = archive.getinfo("mimetype")
                if mimetype.file_size < 200 and archive.read(mimetype).strip() == _ODS_TYPE:
                    return "ods"
    except ReadError:
        raise
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, EOFError, ValueError,
            NotImplementedError) as error:
        raise ReadError(DAMAGED) from error
    raise ReadError(N_("This file is a ZIP archive, not a spreadsheet (.xlsx or .ods)."))


def check_unpacked_size(members: list[zipfile.ZipInfo]) -> None:
    """A zip bomb (or just a huge workbook) is refused on its directory's figures; a member
    that lies about its size is stopped by the child's memory and time limits."""
    if len(members) > MAX_MEMBERS:
        raise ReadError(DAMAGED)
    if sum(member.file_size for member in members) > MAX_UNPACKED:
        raise ReadError(N_("This spreadsheet unpacks to more than %(mb)d MB: save the sheet "
                           "as CSV, then import that."), mb=MAX_UNPACKED >> 20)


def to_csv(path: str | os.PathLike, out: str | os.PathLike, sheet: str | None = None,
           command: list[str] | None = None) -> Workbook:
    """The sheet `sheet` (a name, or a 1-based number; None: the first visible one that
    holds something) of the spreadsheet at `path`, written as CSV at `out` (read it with
    CSV_ENCODING and CSV_DELIMITER). Raises ReadError with the reason the user reads.
    (`command`: another child, for tests.)"""
    kind = kind_of(path)
    if kind is None:
        raise ReadError(DAMAGED)
    request = json.dumps({"path": os.fspath(path), "out": os.fspath(out), "sheet": sheet})
    answer = _run_child(request, command)
    if "error" in answer:
        template, params = answer["error"]
        raise ReadError(TOO_BIG if template == "memory" else template, **params)
    return Workbook(kind, tuple(answer["sheets"]), answer["sheet"], int(answer["rows"]))


def _run_child(request: str, command: list[str] | None) -> dict:
    environment = {**os.environ, "PYTHONPATH": os.pathsep.join(
        filter(None, [_ROOT, os.environ.get("PYTHONPATH")]))}
    try:
        child = subprocess.Popen(  # noqa: S603 - our own interpreter and module
            command or [sys.executable or "python3", "-m", "app.imports.parsing.sheet_to_csv"],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
            env=environment)
    except OSError as error:
        raise ReadError(N_("Spreadsheets cannot be read on this server just now: save the "
                           "sheet as CSV, then import that.")) from error
    try:
        output, _errors = child.communicate(request.encode("utf-8"), timeout=WALL_SECONDS)
    except subprocess.TimeoutExpired as error:
        child.kill()
        child.communicate()
        raise ReadError(TOO_BIG) from error
    try:
        answer = json.loads(output)
    except ValueError:
        answer = None
    if child.returncode != 0 or not isinstance(answer, dict):
        # Ended by its limits (SIGKILL, SIGXCPU, SIGXFSZ) or by calamine's own abort when an
        # allocation failed (SIGABRT): the file was too big for them. Anything else: damaged.
        ended_by_limits = child.returncode in {-signal.SIGABRT, -signal.SIGKILL,
                                               -signal.SIGXCPU, -signal.SIGXFSZ}
        log.warning("the spreadsheet reader ended with code %s", child.returncode)
        raise ReadError(TOO_BIG if ended_by_limits else DAMAGED)
    return answer
