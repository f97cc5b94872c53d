"""One CSV row → a normalised influencer with its accounts, or every reason it is refused.

Plain Python (no Flask). `ColumnPlan(headers, mapping)` is built once per file;
`normalise_row(cells, plan, line)` then returns a `NormalisedRow` or a list of
`RowProblem` (a row with any problem is refused whole, so nothing is half-written).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field

from app.core.csv_output import FORMULA_STARTS
from app.core.text import N_
from app.imports.parsing.handles import HandleError, normalise_handle, platform_from_name
from app.imports.parsing.mapping import KEEP_AS_NOTE, is_field
from app.imports.parsing.numbers import (
    COUNT_MAX,
    ValueProblem,
    parse_count,
    parse_date,
    parse_share,
)
from app.imports.parsing.vocabulary import (
    parse_country,
    parse_kind,
    parse_languages,
    parse_status,
    parse_tags,
    parse_top_country,
)

_SITE_PLATFORMS = {"blog", "podcast", "newsletter", "other"}
_EMAIL_RE = re.compile(r"[^@\s]+@[^@\s.]+(?:\.[^@\s.]+)+")
# Control characters, two spaces, or a tab/newline/no-break space: a cell to look at closer.
_ODD_RE = re.compile(r"[\x00-\x1f\x7f]|\s\s|[^\S ]")
_CONTROL_RE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_TEXT_LIMITS = {"name": 200, "first_name": 100, "last_name": 100, "legal_name": 200,
                "phone": 40, "city": 120, "agent_name": 200, "notes": 20_000}
ACCOUNT_COUNTS = ("followers", "following", "posts", "avg_likes", "avg_comments", "avg_views")
ACCOUNT_SHARES = ("engagement_rate", "credibility")
_MEMO_MAX = 4096  # parsed values remembered per column (countries, statuses, dates…)



def strip_neutraliser(text: str) -> str:
    """For the import: undo `neutralise_formula`, so that an export imports as it was."""
    if len(text) > 1 and text[0] == "'" and text[1] in FORMULA_STARTS:
        return text[1:]
    return text


@dataclass(slots=True)
class RowProblem:
    """Why a row is refused: its line, the column's header, the value and the reason."""

    line: int
    column: str
    value: str
    reason: str
    template: str = ""  # the untranslated reason, for `_(template, **params)` in a view
    params: dict[str, object] = field(default_factory=dict)

    def as_dict(self) -> dict[str, object]:
        return {"line": self.line, "column": self.column, "value": self.value,
                "reason": self.reason}


@dataclass(slots=True)
class NormalisedRow:
    """A row ready to import. Only the cells that were filled in appear.

    `person`: influencer columns (display_name, legal_name, email, phone, city, country,
    kind, status, notes, languages, agent_name, agent_email, date_of_birth, influencer_id).
    `accounts`: dicts with platform, handle, profile_url, the figures present and, for the
    main account, "audience": {"gender": {...}, "age": {...}, "country": {code: share|None}}.
    `same_as`: set by `dedupe_within_file` to the line of an earlier row of the same person.
    """

    line: int
    person: dict[str, object]
    accounts: list[dict[str, object]]
    tags: list[str]
    same_as: int | None = None
    texts: tuple[str, str] | None = None  # a first row's search text, sort key: batches.py

    def identity_keys(self) -> list[tuple[str, ...]]:
        """Identity keys: (platform, handle) and profile URL of each account, e-mail.

        A network's profile URL is made from (platform, handle) by handles.py, so it adds a
        key only for sites (blog, podcast…), where the same address may come with another
        platform name.
        """
        found: list[tuple[str, ...]] = []
        for account in self.accounts:
            found.append(("account", account["platform"], account["handle"]))
            if account["platform"] in _SITE_PLATFORMS and account.get("profile_url"):
                found.append(("url", str(account["profile_url"]).lower().rstrip("/")))
        if self.person.get("email"):
            found.append(("email", str(self.person["email"])))
        return found

    def display_name(self) -> str:
        """The name to show; a row without one is named after its first handle."""
        name = self.person.get("display_name")
        if name:
            return str(name)
        return "@" + str(self.accounts[0]["handle"]) if self.accounts else ""


def _text(field_name: str) -> Callable[[str], str]:
    limit = _TEXT_LIMITS.get(field_name, 200)

    def parse(text: str) -> str:
        if len(text) > limit:
            raise ValueProblem(N_("longer than %(n)d characters"), n=limit)
        if not _ODD_RE.search(text):  # one scan for the common, clean cell
            return text
        if _CONTROL_RE.search(text):
            raise ValueProblem(N_("contains control characters"))
        return text if field_name == "notes" else " ".join(text.split())
    return parse


def parse_email(text: str) -> str:
    email = text.strip().lower().removeprefix("mailto:")
    if len(email) > 254 or not _EMAIL_RE.fullmatch(email):
        raise ValueProblem(N_("not an e-mail address"))
    return email


def _influencer_id(text: str) -> int:
    if not (text.isascii() and text.isdigit()) or not 0 < int(text) <= COUNT_MAX:
        raise ValueProblem(N_("not a Relais id"))
    return int(text)


def _platform(text: str) -> str:
    try:
        return platform_from_name(text)
    except HandleError as error:
        raise ValueProblem(error.template, **error.params) from error


_PARSERS: dict[str, Callable[[str], object]] = {
    "influencer_id": _influencer_id, "email": parse_email, "agent_email": parse_email,
    "country": parse_country, "kind": parse_kind, "status": parse_status,
    "languages": parse_languages, "tags": parse_tags, "date_of_birth": parse_date,
    "figures_on": parse_date, "platform": _platform, "audience_female": parse_share,
    "audience_male": parse_share, "audience_top_country": parse_top_country,
    **{name: parse_count for name in ACCOUNT_COUNTS},
    **{name: parse_share for name in ACCOUNT_SHARES},
}
_PERSON_FIELDS = {"influencer_id", "name", "legal_name", "email", "phone", "city", "country",
                  "kind", "status", "notes", "languages", "agent_name", "agent_email",
                  "date_of_birth"}


def _parser_for(code: str) -> Callable[[str], object]:
    base = code.partition(".")[0]
    if code.startswith("age.") or base == "engagement_rate":
        return parse_share
    if base == "followers":
        return parse_count
    if code in _PARSERS:
        return _PARSERS[code]
    if code in {"handle", "profile_url"} or base == "handle":
        return _text("handle")
    return _text(code)


class ColumnPlan:
    """The mapping of one file, compiled once: (index, header, field, parser) per column."""

    def __init__(self, headers: list[str], mapping: dict[int, str | None]) -> None:
        self.headers = list(headers)
        self.width = len(headers)
        # (index, header, field, parser or None for notes, memo or None)
        self.columns: list[tuple[int, str, str, Callable[[str], object] | None,
                                 dict[str, object] | None]] = []
        self.header_of: dict[str, str] = {}
        for index, code in sorted(mapping.items()):
            if code is None:
                continue
            if not is_field(code) or not 0 <= index < self.width:
                raise ValueError(f"bad mapping entry {index}: {code!r}")
            parser = None if code == KEEP_AS_NOTE else _parser_for(code)
            # Columns repeat their values (countries, "3,2 %", "12k"): parse each text once.
            memo = None if code in _TEXT_FIELDS else {}
            self.columns.append((index, headers[index], code, parser, memo))
            self.header_of.setdefault(code, headers[index])
        codes = list(self.header_of)  # in column order: the first account is the main one
        # What the row assembly has to look at, decided once rather than per row.
        self.main_figures = [c for c in (*ACCOUNT_COUNTS, *ACCOUNT_SHARES) if c in codes]
        self.platform_handles = [c for c in codes if c.startswith("handle.")]
        self.platform_figures = [c for c in codes if c.partition(".")[0] in
                                 {"followers", "engagement_rate"} and "." in c]
        self.genders = [c for c in ("audience_female", "audience_male") if c in codes]
        self.ages = [c for c in codes if c.startswith("age.")]
        self.has_audience = bool(self.genders or self.ages
                                 or "audience_top_country" in codes)
        self.person_fields = [c for c in codes if c in _PERSON_FIELDS]


_TEXT_FIELDS = {"name", "first_name", "last_name", "legal_name", "phone", "city", "agent_name",
                "notes", "handle", "profile_url", "email", "agent_email", "influencer_id",
                KEEP_AS_NOTE}


_MISSING = object()


class _Failed:
    __slots__ = ("error",)

    def __init__(self, error: ValueError) -> None:
        self.error = error


def _remember(memo: dict[str, object], parser: Callable[[str], object], text: str) -> object:
    try:
        found: object = parser(text)
    except ValueError as error:
        found = _Failed(error)
    if len(memo) >= _MEMO_MAX:
        memo.clear()
    memo[text] = found
    return found


def _problem(line: int, column: str, value: str, error: ValueError) -> RowProblem:
    template = getattr(error, "template", str(error))
    params = getattr(error, "params", {})
    return RowProblem(line, column, value[:200], str(error), template, dict(params))


def _rule(line: int, column: str, value: str, template: str, **params: object) -> RowProblem:
    reason = template % params if params else template
    return RowProblem(line, column, value[:200], reason, template, params)


def _shape_problem(cells: list[str], plan: ColumnPlan, line: int) -> RowProblem | None:
    if len(cells) == plan.width:
        return None
    if len(cells) > plan.width and not any(c.strip() for c in cells[plan.width:]):
        del cells[plan.width:]  # trailing empty cells (a ";" too many): harmless
        return None
    return _rule(line, "", "", N_("this row has %(cells)d cells but the header has %(width)d"),
                 cells=len(cells), width=plan.width)


def normalise_row(cells: list[str], plan: ColumnPlan, line: int
                  ) -> NormalisedRow | list[RowProblem]:
    """Apply the mapping to one row's cells: a whole NormalisedRow, or every problem."""
    if len(cells) != plan.width:
        shape = _shape_problem(cells, plan, line)
        if shape is not None:
            return [shape]
    problems: list[RowProblem] = []
    values: dict[str, object] = {}
    failed: set[str] = set()
    notes: list[str] = []
    for index, header, code, parser, memo in plan.columns:
        raw = cells[index].strip()
        if not raw:
            continue
        if raw[0] == "'":
            raw = strip_neutraliser(raw).strip()
        if parser is None:
            notes.append(f"{header.strip()}: {raw}")
            continue
        if memo is not None:
            value = memo.get(raw, _MISSING)
            if value is _MISSING:
                value = _remember(memo, parser, raw)
            if value.__class__ is not _Failed:
                if value is not None:  # "n/a", "-": a blank cell said otherwise
                    values[code] = value
                continue
            error = value.error  # type: ignore[attr-defined]
        else:
            try:
                value = parser(raw)
                if value is not None:
                    values[code] = value
                continue
            except ValueError as raised:  # ValueProblem, HandleError
                error = raised
        problems.append(_problem(line, header, raw, error))
        failed.add(code)  # given but unreadable: not "missing" for later checks
    return _assemble(values, plan, notes, line, problems, failed)


def _assemble(values: dict[str, object], plan: ColumnPlan, notes: list[str],
              line: int, problems: list[RowProblem], failed: set[str]
              ) -> NormalisedRow | list[RowProblem]:
    person = {k: values[k] for k in plan.person_fields if k in values}
    if "name" in person:
        person["display_name"] = person.pop("name")
    if "first_name" in values or "last_name" in values:
        full = " ".join(str(values[k]) for k in ("first_name", "last_name") if k in values)
        person.setdefault("legal_name", full)
        person.setdefault("display_name", full)
    if notes:
        person["notes"] = "\n".join(filter(None, [str(person.get("notes") or ""), *notes]))
    checked = len(problems)
    accounts = _accounts(values, plan, line, problems, failed)
    if len(problems) == checked and not person.get("display_name") and not accounts:
        problems.append(_rule(line, plan.header_of.get("name", ""), "",
                              N_("no name and no handle or profile address")))
    if problems:
        return problems
    tags = list(values["tags"]) if "tags" in values else []  # type: ignore[call-overload]
    return NormalisedRow(line, person, accounts, tags)


def _resolve(handle: object, url: object, platform: str | None,
             headers: tuple[str, str], line: int, problems: list[RowProblem]
             ) -> tuple[str, str, str | None] | None:
    """Handle and/or profile URL cells → (platform, handle, profile URL); they must agree."""
    found = None
    for text, header in ((handle, headers[0]), (url, headers[1])):
        if not text:
            continue
        try:
            account = normalise_handle(str(text), platform)
        except HandleError as error:
            problems.append(_problem(line, header, str(text), error))
            return None
        if found and found[:2] != account[:2]:
            problems.append(_rule(line, header, str(text), N_(
                "the handle and the profile address are different accounts")))
            return None
        # A typed URL is kept as is: it may be the more specific one (youtube.com/c/…).
        found = account if found is None else (found[0], found[1], account[2] or found[2])
    return found


def _accounts(values: dict[str, object], plan: ColumnPlan, line: int,
              problems: list[RowProblem], failed: set[str]) -> list[dict[str, object]]:
    accounts: dict[tuple[str, str], dict[str, object]] = {}
    header_of = plan.header_of
    audience = _audience(values, plan, line, problems) if plan.has_audience else {}
    main_figures = {k: values[k] for k in plan.main_figures if k in values}
    main = None
    if "handle" in values or "profile_url" in values:
        main = _resolve(values.get("handle"), values.get("profile_url"),
                        values.get("platform"),  # type: ignore[arg-type]
                        (header_of.get("handle", ""), header_of.get("profile_url", "")),
                        line, problems)
    if main:
        accounts[main[:2]] = {"platform": main[0], "handle": main[1], "profile_url": main[2],
                              **main_figures}
    for code in plan.platform_handles:
        if code not in values:
            continue
        platform = code.partition(".")[2]
        found = _resolve(values[code], None, platform, (header_of[code], ""), line, problems)
        if found:
            account = accounts.setdefault(
                found[:2], {"platform": found[0], "handle": found[1], "profile_url": found[2]})
            for figure in ("followers", "engagement_rate"):
                if f"{figure}.{platform}" in values:
                    account[figure] = values[f"{figure}.{platform}"]
    given = {"handle", "profile_url"} & failed.union(values)
    if not main and not given and (main_figures or (audience and not accounts)):
        column = next((header_of[k] for k in main_figures), "")
        problems.append(_rule(line, column, "",
                              N_("figures without a handle or profile address")))
    for code in plan.platform_figures:
        handle_code = "handle." + code.partition(".")[2]
        if code in values and handle_code not in values and handle_code not in failed:
            problems.append(_rule(line, header_of[code], str(values[code]),
                                  N_("figures without a handle or profile address")))
    result = list(accounts.values())
    if "figures_on" in values:
        for account in result:
            account["figures_on"] = values["figures_on"]
    if audience and result:
        result[0]["audience"] = audience
    return result


def _audience(values: dict[str, object], plan: ColumnPlan, line: int,
              problems: list[RowProblem]) -> dict[str, dict[str, float | None]]:
    audience: dict[str, dict[str, float | None]] = {}
    gender = {c[9:]: values[c] for c in plan.genders if c in values}
    age = {c[4:]: values[c] for c in plan.ages if c in values}
    for dimension, shares, codes in (("gender", gender, plan.genders), ("age", age, plan.ages)):
        if not shares:
            continue
        if sum(shares.values()) > 1.01:  # type: ignore[arg-type]
            problems.append(_rule(line, plan.header_of[codes[0]], "", N_(
                "the %(dimension)s shares add up to more than 100 %%"), dimension=dimension))
        audience[dimension] = shares  # type: ignore[assignment]
    if "audience_top_country" in values:
        code, share = values["audience_top_country"]  # type: ignore[misc]
        audience["country"] = {code: share}
    return audience
