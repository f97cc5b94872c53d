"""One sheet of a spreadsheet written as a CSV file, in the child process that spreadsheet.py
starts (`python -m app.imports.parsing.sheet_to_csv`).

Plain Python (no Flask). python-calamine reads .xlsx, .xls and .ods: a formula gives the
value the spreadsheet saved with it (calamine never computes one). It holds the whole
sheet's area in memory, 32 bytes a cell, so this process first caps its own memory,
processor time and output size: a file beyond them ends this process, not the server.
The rows are then written out one at a time; row N of the sheet is line N of the CSV file
(an empty row is an empty line), so that a rejected row's line is the one Excel shows.
"""

from __future__ import annotations

import csv
import json
import os
import sys
from typing import Any

from app.core.text import N_
from app.imports.parsing.reading import MAX_COLUMNS, ReadError
from app.imports.parsing.sheet_cells import cell_text
from app.imports.parsing.spreadsheet import DAMAGED

MEMORY_LIMIT = 2 << 30  # bytes of address space: ~40 M cells of calamine's
CPU_SECONDS = 300  # a million rows take ~20 s
OUTPUT_LIMIT = 2 << 30  # bytes of CSV
MAX_CELLS = 20_000_000  # rows × columns of a sheet's area (Excel's own limit is 17 G)


def limit_resources() -> None:
    """Caps this process (POSIX only): past them the kernel ends it, or an allocation fails."""
    try:
        import resource
    except ImportError:  # pragma: no cover - not on POSIX
        return
    for name, value in (("RLIMIT_AS", MEMORY_LIMIT), ("RLIMIT_CPU", CPU_SECONDS),
                        ("RLIMIT_FSIZE", OUTPUT_LIMIT)):
        limit = getattr(resource, name)
        _soft, hard = resource.getrlimit(limit)
        value = value if hard == resource.RLIM_INFINITY else min(value, hard)
        resource.setrlimit(limit, (value, hard))


def _open(path: str) -> Any:
    import python_calamine as calamine  # only here: the server never loads it

    try:
        return calamine.CalamineWorkbook.from_path(path)
    except calamine.PasswordError as error:
        raise ReadError(N_("This spreadsheet is protected by a password: save a copy without "
                           "the password (or as CSV), then import that.")) from error
    except Exception as error:  # noqa: BLE001 - calamine's errors are many: all mean damaged
        raise ReadError(DAMAGED) from error


def _worksheets(workbook: Any) -> tuple[list[str], list[str]]:
    """(every worksheet's name, the visible ones'), in the workbook's order."""
    names, visible = [], []
    for sheet in workbook.sheets_metadata:
        if str(sheet.typ).rsplit(".", 1)[-1] != "WorkSheet":
            continue  # a chart or macro sheet holds no list
        names.append(sheet.name)
        if str(sheet.visible).rsplit(".", 1)[-1] == "Visible":
            visible.append(sheet.name)
    return names, visible


def pick(names: list[str], wanted: str) -> str:
    """The sheet called `wanted` (or, failing that, its 1-based number), or ReadError."""
    if wanted in names:
        return wanted
    folded = {name.strip().casefold(): name for name in names}
    if wanted.strip().casefold() in folded:
        return folded[wanted.strip().casefold()]
    if wanted.strip().isdigit() and 1 <= int(wanted) <= len(names):
        return names[int(wanted) - 1]
    raise ReadError(N_("This spreadsheet has no sheet “%(sheet)s”; its sheets: %(names)s."),
                    sheet=wanted[:60], names=", ".join(names)[:300])


def load_sheet(workbook: Any, name: str) -> Any:
    try:
        sheet = workbook.get_sheet_by_name(name)
    except Exception as error:  # noqa: BLE001
        raise ReadError(DAMAGED) from error
    if sheet.width > MAX_COLUMNS:
        raise ReadError(N_("The sheet “%(sheet)s” has more than %(n)d columns."),
                        sheet=name[:60], n=MAX_COLUMNS)
    if sheet.width * sheet.height > MAX_CELLS:
        raise ReadError(N_("The sheet “%(sheet)s” is too large: more than %(n)s cells."),
                        sheet=name[:60], n=f"{MAX_CELLS:,}".replace(",", " "))
    return sheet


def write_sheet(sheet: Any, out: str) -> int:
    """The sheet's rows as CSV at `out`, from its first row (calamine gives the empty rows
    above its area too); → how many rows hold something."""
    filled = 0
    with open(out, "w", encoding="utf-8", newline="") as file:
        writer = csv.writer(file)
        for row in sheet.iter_rows():
            cells = [cell_text(value) for value in row]
            if any(cells):
                filled += 1
                writer.writerow(cells)
            else:
                file.write("\r\n")
    return filled


def convert(path: str, out: str, wanted: str | None) -> dict[str, Any]:
    """The sheet `wanted` (None: the first visible one that holds something) → CSV at
    `out`; → {"sheets": worksheet names, "sheet": the one written, "rows": rows written}."""
    workbook = _open(path)
    names, visible = _worksheets(workbook)
    if not names:
        raise ReadError(N_("This spreadsheet has no sheet."))
    candidates = [pick(names, wanted)] if wanted is not None else (visible or names)
    for name in candidates:
        rows = write_sheet(load_sheet(workbook, name), out)
        if rows:
            return {"sheets": names, "sheet": name, "rows": rows}
    if wanted is None and len(candidates) > 1:
        raise ReadError(N_("Every sheet of this spreadsheet is empty."))
    raise ReadError(N_("The sheet “%(sheet)s” is empty."), sheet=candidates[0][:60])


def main() -> None:
    """Reads {"path", "out", "sheet"} as JSON on stdin, answers one JSON object on stdout:
    convert()'s, or {"error": [template, params]}."""
    limit_resources()
    request = json.load(sys.stdin)
    try:
        answer: dict[str, Any] = convert(request["path"], request["out"], request["sheet"])
    except ReadError as error:
        answer = {"error": [error.template, error.params]}
    except MemoryError:
        answer = {"error": ["memory", {}]}
    except BaseException as error:  # noqa: BLE001 - calamine panics are BaseExceptions
        if isinstance(error, KeyboardInterrupt | SystemExit):
            raise
        answer = {"error": [DAMAGED, {}]}
    sys.stdout.write(json.dumps(answer))
    sys.stdout.flush()
    os._exit(0)  # no teardown: calamine's memory is the kernel's to take back


if __name__ == "__main__":
    main()
