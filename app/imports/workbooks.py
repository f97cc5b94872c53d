"""An uploaded spreadsheet, as an import keeps it: the original file beside the CSV file it
is read as, and which of its sheets that CSV holds.

Under instance/imports/: `<id>.csv` (the import's stored_path: the chosen sheet, converted),
`<id>.xlsx` (or .xls, .ods: the file as uploaded) and `<id>.sheets.json` (its kind, its
sheets, the one chosen). Choosing another sheet converts the original again. A CSV upload
has only the first: nothing here applies to it.

The one-file imports (relationships, campaign metrics) keep nothing: `as_csv` gives them
a spreadsheet's first sheet that holds something, as a temporary CSV file.
"""

from __future__ import annotations

import contextlib
import json
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from flask_babel import gettext as _

from app.core.errors import ServiceError
from app.core.text import N_
from app.imports.parsing import spreadsheet
from app.imports.parsing.reading import ReadError, sniff


def _info_path(stored: str | os.PathLike) -> Path:
    return Path(stored).with_suffix(".sheets.json")


def sheets(stored: str | os.PathLike | None) -> dict[str, Any] | None:
    """{"kind", "sheets", "sheet", "rows"} of the import whose CSV is at `stored`; None when
    it was not a spreadsheet."""
    if not stored:
        return None
    try:
        return json.loads(_info_path(stored).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def _original(stored: str | os.PathLike, kind: str) -> Path:
    return Path(stored).with_suffix(f".{kind}")


def read_as_csv(target: Path, filename: str, sheet: str | None = None
                ) -> tuple[str, str] | None:
    """When the import's copy at `target` is a spreadsheet: keep it as <id>.<kind>, write its
    sheet `sheet` (None: the first that holds something) as CSV at `target`, and → the
    (encoding, delimiter) to read that with. None for a text file, left as it is."""
    _forget_sheets(target)  # of an earlier import that had the same id
    kind = spreadsheet.kind_of(target)
    if kind is None:
        if spreadsheet.has_spreadsheet_name(filename):
            _text_or_refuse(target)
        return None
    original = _original(target, kind)
    target.replace(original)
    _convert(original, target, kind, sheet)
    return spreadsheet.CSV_ENCODING, spreadsheet.CSV_DELIMITER


def _text_or_refuse(target: Path) -> None:
    """A file named .xlsx that is none: read as CSV if it is text (a tool's "Excel" export
    often is), refused as a spreadsheet otherwise."""
    try:
        sniff(target)
    except ReadError as error:
        raise ReadError(N_("This file is not a real Excel or OpenDocument spreadsheet: it is "
                           "damaged, or another kind of file renamed.")) from error


def _convert(original: Path, target: Path, kind: str, sheet: str | None) -> None:
    """The sheet written beside `target`, then put in its place: a sheet that cannot be
    read leaves the one read before as it was."""
    part = target.with_suffix(".part")
    try:
        workbook = spreadsheet.to_csv(original, part, sheet)
        part.replace(target)
    finally:
        part.unlink(missing_ok=True)
    _info_path(target).write_text(json.dumps({**workbook.as_dict(), "kind": kind}),
                                  encoding="utf-8")


def choose_sheet(stored: str | os.PathLike, sheet: str) -> tuple[str, str]:
    """Convert the import's original again, sheet `sheet` this time; → (encoding,
    delimiter) to read it with. ReadError when the import has no such sheet."""
    info = sheets(stored)
    if info is None:
        raise ReadError(N_("This file is not a spreadsheet: it has no sheets."))
    _convert(_original(stored, info["kind"]), Path(stored), info["kind"], sheet)
    return spreadsheet.CSV_ENCODING, spreadsheet.CSV_DELIMITER


def _forget_sheets(target: Path) -> None:
    for kind in ("xlsx", "xls", "ods"):
        _original(target, kind).unlink(missing_ok=True)
    _info_path(target).unlink(missing_ok=True)


def discard(target: Path) -> None:
    """The import's files, when it is refused at upload."""
    _forget_sheets(target)
    target.unlink(missing_ok=True)


@contextlib.contextmanager
def as_csv(path: str, encoding: str | None, delimiter: str | None, filename: str = ""
           ) -> Iterator[tuple[str, str | None, str | None]]:
    """(path, encoding, delimiter) to read the file at `path` with: a spreadsheet's first
    sheet that holds something as a temporary CSV file, deleted on the way out; a text
    file as it is. ServiceError when the spreadsheet cannot be read."""
    try:
        kind = spreadsheet.kind_of(path)
        if kind is None and spreadsheet.has_spreadsheet_name(filename):
            _text_or_refuse(Path(path))
    except ReadError as error:
        raise ServiceError(_(error.template, **error.params)) from error
    if kind is None:
        yield path, encoding, delimiter
        return
    handle, temporary = tempfile.mkstemp(prefix="relais-sheet-", suffix=".csv")
    os.close(handle)
    try:
        try:
            spreadsheet.to_csv(path, temporary)
        except ReadError as error:
            raise ServiceError(_(error.template, **error.params)) from error
        yield temporary, spreadsheet.CSV_ENCODING, spreadsheet.CSV_DELIMITER
    finally:
        os.unlink(temporary)
