"""Numbers, percentages and dates as people type them in spreadsheets, French or English.

Plain Python (no Flask). Each parser returns None for an empty cell and raises
`ValueProblem` (a ValueError) with a short reason for anything it cannot read.
"""

from __future__ import annotations

import re
from datetime import date, datetime
from decimal import Decimal, InvalidOperation

from app.core.text import N_

COUNT_MAX = 2_147_483_647  # the database's INTEGER
# Cells that say "no value": Excel's dashes, "n/a", French "nc" (non communiqué).
_EMPTY = {"", "-", "–", "—", "n/a", "na", "nc", "n.c.", "n/c", "?", "none", "null", "nan"}
# Every kind of space people (and Excel's French format) put between digit groups.
_SPACES = str.maketrans({"\u00a0": " ", "\u202f": " ", "\u2009": " ", "\u2007": " ",
                         "'": " ", "\u2019": " ", "\u2212": "-"})
_MULTIPLIERS = {
    "k": 1_000, "k.": 1_000, "mille": 1_000, "thousand": 1_000, "thousands": 1_000,
    "m": 1_000_000, "m.": 1_000_000, "mn": 1_000_000, "mio": 1_000_000, "mio.": 1_000_000,
    "million": 1_000_000, "millions": 1_000_000,
    "md": 1_000_000_000, "mds": 1_000_000_000, "mrd": 1_000_000_000, "md.": 1_000_000_000,
    "b": 1_000_000_000, "bn": 1_000_000_000, "billion": 1_000_000_000,
    "billions": 1_000_000_000, "milliard": 1_000_000_000, "milliards": 1_000_000_000,
}
# Words that may follow a count ("15 K abonnés"): they say what is counted, nothing more.
_COUNT_WORDS = {
    "abonnes", "abonnés", "abonne", "abonné", "abonnements", "followers", "follower", "fans",
    "fan", "subscribers", "subscriber", "abos", "abo", "vues", "views", "likes", "j'aime",
    "commentaires", "comments", "posts", "publications", "membres", "members", "personnes",
    "people", "de", "d'abonnés", "d'abonnes", "d", "of",
}
_COUNT_RE = re.compile(
    r"(?P<sign>[-+])?\s*(?P<number>\d[\d .,]*?)\s*(?P<suffix>[a-zé.]+)?\s*"
    r"(?P<words>(?:[a-zé'’]+\s*)*)", re.IGNORECASE,
)
_NUMBER_RE = re.compile(r"(?P<sign>[-+])?\s*(?P<number>\d[\d .,]*|[.,]\d+)")
_PERCENT_RE = re.compile(r"\s*(%|pct|pour\s*cent|pourcent|percent|per\s*cent)\s*$",
                         re.IGNORECASE)
_SPACE_GROUPED = re.compile(r"\d{1,3}(?: +\d{3})+(?:[.,]\d*)?")
_GROUPED = re.compile(r"[1-9]\d{0,2}(?:([ .,])\d{3})(?:\1\d{3})*")


class ValueProblem(ValueError):
    """A cell that cannot be read as the value expected; the message is a short reason."""

    def __init__(self, template: str, **params: object) -> None:
        self.template = template
        self.params = params
        super().__init__(template % params if params else template)


def _is_empty(text: str | None) -> bool:
    return text is None or text.strip().lower() in _EMPTY


def _decimal(number: str, decimal_only: bool = False) -> Decimal:
    """Digits with grouping spaces, dots or commas → Decimal.

    A lone separator followed by exactly three digits ("1,234", "12.000") groups
    thousands, unless `decimal_only` (after "k", "M", or in a percentage).
    """
    number = number.strip()
    if " " in number:
        if not _SPACE_GROUPED.fullmatch(number):
            raise ValueProblem(N_("not a number"))
        number = number.replace(" ", "")
    dots, commas = number.count("."), number.count(",")
    if dots and commas:
        decimal_mark = "." if number.rfind(".") > number.rfind(",") else ","
        grouping = "," if decimal_mark == "." else "."
        whole, _, fraction = number.rpartition(decimal_mark)
        if number.count(decimal_mark) > 1 or not _GROUPED.fullmatch(whole):
            raise ValueProblem(N_("not a number"))
        number = whole.replace(grouping, "") + "." + fraction
    elif dots + commas > 1:
        if not _GROUPED.fullmatch(number):
            raise ValueProblem(N_("not a number"))
        number = number.replace(".", "").replace(",", "")
    elif dots + commas == 1:
        mark = "." if dots else ","
        whole, _, fraction = number.partition(mark)
        if not decimal_only and _GROUPED.fullmatch(number):
            number = whole + fraction
        else:
            number = (whole or "0") + "." + fraction
    try:
        return Decimal(number)
    except InvalidOperation as error:
        raise ValueProblem(N_("not a number")) from error


def parse_count(text: str | None) -> int | None:
    """"12 000", "12,000", "12.000", "9,5 M", "12k", "1,2 Md", "15 K abonnés" → int."""
    if text is None:
        return None
    if text.isdigit() and text.isascii():  # the common case, fast
        value = int(text)
        if value > COUNT_MAX:
            raise ValueProblem(N_("too large"))
        return value
    if _is_empty(text):
        return None
    cleaned = text.translate(_SPACES).strip()
    match = _COUNT_RE.fullmatch(cleaned)
    if not match:
        raise ValueProblem(N_("not a number"))
    suffix = (match["suffix"] or "").lower()
    words = match["words"].lower().split()
    if suffix and suffix not in _MULTIPLIERS:
        words.insert(0, suffix)
        suffix = ""
    if any(word not in _COUNT_WORDS for word in words):
        raise ValueProblem(N_("not a number"))
    value = _decimal(match["number"], decimal_only=bool(suffix)) * _MULTIPLIERS.get(suffix, 1)
    if match["sign"] == "-" and value:
        raise ValueProblem(N_("negative"))
    if value != value.to_integral_value():
        if not suffix:
            raise ValueProblem(N_("not a whole number"))
        value = value.to_integral_value()
    if value > COUNT_MAX:
        raise ValueProblem(N_("too large"))
    return int(value)


def parse_share(text: str | None) -> float | None:
    """"3,2 %", "3.2%", "0.032" (already a share), "32" (a percentage) → share 0-1."""
    if _is_empty(text):
        return None
    cleaned = text.translate(_SPACES).strip()
    percent_match = _PERCENT_RE.search(cleaned)
    is_percent = percent_match is not None
    if percent_match:
        cleaned = cleaned[:percent_match.start()].strip()
    match = _NUMBER_RE.fullmatch(cleaned)
    if not match:
        raise ValueProblem(N_("not a percentage"))
    value = _decimal(match["number"], decimal_only=True)
    if match["sign"] == "-" and value:
        raise ValueProblem(N_("negative"))
    if not is_percent and value <= 1:
        return float(value)
    if value > 100:
        raise ValueProblem(N_("more than 100 %"))
    return float(value / 100)


_DAY_FIRST = re.compile(r"(\d{1,2})([/.-])(\d{1,2})\2(\d{4}|\d{2})")
_ISO = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})")
_TIME = re.compile(r"(?:[T ]\d{1,2}:\d{2}(?::\d{2}(?:[.,]\d+)?)?)?\s*(?:Z|[+-]\d{2}:?\d{2})?",
                   re.IGNORECASE)


def parse_date(text: str | None) -> date | None:
    """dd/mm/yyyy, dd-mm-yyyy, dd.mm.yyyy (dd/mm/yy), ISO yyyy-mm-dd or ISO datetime → date."""
    if _is_empty(text):
        return None
    cleaned = text.strip()
    iso = _ISO.match(cleaned)
    if iso:
        year, month, day = (int(g) for g in iso.groups())
        rest = cleaned[iso.end():]
    else:
        french = _DAY_FIRST.match(cleaned)
        if not french:
            raise ValueProblem(N_("not a date (dd/mm/yyyy)"))
        day, month, year = int(french[1]), int(french[3]), int(french[4])
        if len(french[4]) == 2:
            # "05/03/24": this century up to next year, else the last one.
            cutoff = datetime.now().year % 100 + 1
            year += 2000 if year <= cutoff else 1900
        rest = cleaned[french.end():]
    if not _TIME.fullmatch(rest):
        raise ValueProblem(N_("not a date (dd/mm/yyyy)"))
    if not 1900 <= year <= 2100:
        raise ValueProblem(N_("year out of range"))
    try:
        return date(year, month, day)
    except ValueError as error:
        raise ValueProblem(N_("no such day")) from error
