"""A spreadsheet cell as the text a CSV file would hold: what Excel shows, never its float.

Plain Python (no Flask, no calamine). python-calamine gives each cell a Python value: text,
a float for every number (12000.0), a date or datetime for a cell formatted as a date,
a bool. The import reads text, so each becomes what the person typed: 12000, 2.4 (not
2.4000000000000004: Excel keeps 15 significant digits), 2024-03-05 for a date (ISO, which
the import's date parser reads), 0.032 for a cell shown as 3.2 %.
"""

from __future__ import annotations

import math
from datetime import date, datetime, time, timedelta
from decimal import Decimal

SIGNIFICANT = 15  # the digits Excel keeps and shows of a number
_EXACT_INTEGERS = 10 ** SIGNIFICANT
# C0 control characters (but tab, line feed, carriage return): the CSV reader refuses a
# file full of them as binary; a cell holds them only by accident.
_CONTROLS = dict.fromkeys(c for c in range(32) if chr(c) not in "\t\n\r")


def number_text(value: float) -> str:
    """12000.0 → "12000", 0.30000000000000004 → "0.3", 1e-05 → "0.00001"."""
    if not math.isfinite(value):
        return ""
    if value.is_integer() and abs(value) < _EXACT_INTEGERS:
        return str(int(value))
    rounded = float(f"{value:.{SIGNIFICANT}g}")
    return format(Decimal(repr(rounded)).normalize(), "f")  # never 1e-05, nor 3.0


def clock_text(moment: time | datetime) -> str:
    return moment.strftime("%H:%M" if moment.second == 0 else "%H:%M:%S")


def cell_text(value: object) -> str:
    """One cell's value (as python-calamine gives it) → its text."""
    kind = type(value)
    if kind is str:
        return value.translate(_CONTROLS)
    if kind is float:
        return number_text(value)
    if kind is bool:
        return "TRUE" if value else "FALSE"
    if kind is int:
        return str(value)
    if kind is datetime:
        if value.time() == time(0):
            return value.date().isoformat()
        return f"{value.date().isoformat()} {clock_text(value)}"
    if kind is date:
        return value.isoformat()
    if kind is time:
        return clock_text(value)
    if kind is timedelta:
        return str(value)
    return "" if value is None else str(value).translate(_CONTROLS)
