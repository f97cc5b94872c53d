"""CSV files people open in a spreadsheet: the byte-order mark Excel needs, the guard against
cells a spreadsheet would run as formulas, and a writer's buffer drained as bytes.

Plain Python: the import's parsing undoes the formula guard with the same characters.
"""

from __future__ import annotations

import io

BOM = "\ufeff"  # Excel reads UTF-8 only when the file says so
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def neutralise_formula(text: str) -> str:
    """A text cell a spreadsheet would run as a formula gets a leading '."""
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def drain(buffer: io.StringIO) -> bytes:
    """What a CSV writer put in `buffer` so far, as UTF-8 bytes; the buffer is emptied."""
    data = buffer.getvalue().encode("utf-8")
    buffer.seek(0)
    buffer.truncate()
    return data
