"""One influencer as an import batch sees it, and the update rules that merge rows into it.

`Person` holds the values an import needs of an existing influencer (loaded by
writer.py) or of one being created, merges normalised rows into it (blanks filled,
newer figures win, tags added, a new audience snapshot when the audience differs) and
remembers what it changed, for the `ImportChange` trail and the revert.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from app.collation import search_text_and_sort_key
from app.imports.new_people import (
    DENORMALISED,
    FIGURES,
    PERSON_FIELDS,
    audience_columns,
    clean_shares,
)
from app.imports.parsing.handles import HandleError, normalise_handle
from app.imports.parsing.rows import NormalisedRow

SITES = ("blog", "podcast", "newsletter", "other")
_FIELD_SET = frozenset(PERSON_FIELDS)


def _derived_url(key: tuple[str, str]) -> str | None:
    """The address parsing/handles.py makes from (platform, handle): no news in an import row."""
    try:
        return normalise_handle(key[1], key[0])[2]
    except HandleError:
        return None


def same_value(old: Any, new: Any) -> bool:
    if isinstance(old, float) and isinstance(new, float | int):
        return abs(old - new) < 5e-7  # the export writes 6 decimals
    return old == new


def _blank(field: str, value: Any) -> bool:
    return value is None or value == "" or (field == "kind" and value == "other")


class Person:
    """One influencer as this batch sees it: loaded (existing) or being created."""

    __slots__ = ("id", "new", "row", "import_id", "deleted", "values", "accounts", "tags",
                 "new_tags", "latest", "snapshots", "before", "account_before",
                 "new_accounts", "superseded", "changed", "version", "stored", "texts")

    def __init__(self, ident: int, new: bool) -> None:
        self.id = ident
        self.new = new
        self.row = 0
        self.import_id: int | None = None
        self.deleted = False
        self.values: dict[str, Any] = {}
        self.accounts: dict[tuple[str, str], dict[str, Any]] = {}
        self.tags: dict[str, str] = {}  # casefold → name
        self.new_tags: list[str] = []
        self.latest: dict[tuple[str, str], tuple[date, int, dict]] = {}  # per account
        self.snapshots: list[dict[str, Any]] = []
        self.before: dict[str, Any] = {}
        self.account_before: dict[int, dict[str, Any]] = {}
        self.new_accounts: list[tuple[str, str]] = []
        self.superseded: list[int] = []
        self.changed = False
        self.version = 1
        self.stored: dict[str, Any] = {}  # the denormalised columns as loaded
        # (search text, sort key) as the reading process folded them for a person
        # created from one row (parsing/batches.py); None once anything changed.
        self.texts: tuple[str, str] | None = None

    @classmethod
    def create(cls, row: NormalisedRow, today: date) -> Person:
        """A new influencer from its first row: `merge` into an empty record, the short way
        (most rows of a big file are new people). Rows naming one account twice merge."""
        person = cls(-row.line, new=True)
        person.row = row.line
        given = row.person
        person.values = {f: v for f, v in given.items() if v is not None and f in _FIELD_SET}
        accounts = person.accounts
        for spec in row.accounts:
            key = (spec["platform"], spec["handle"])
            if key in accounts:
                person._merge_account(spec, today)
                continue
            account = dict(zip(FIGURES, map(spec.get, FIGURES), strict=True))
            account["platform"], account["handle"] = key
            account["profile_url"] = spec.get("profile_url")
            accounts[key] = account
            audience = spec.get("audience")
            if audience:
                person._snapshot(key, spec, today)
        tags = person.tags
        for tag in row.tags:
            tags.setdefault(tag.casefold(), tag)
        person.values["display_name"] = row.display_name()[:200]
        person.changed = True
        person.texts = row.texts
        return person

    def merge(self, row: NormalisedRow, today: date) -> bool:
        """The update rules: blanks filled, newer figures win, tags added, a new audience
        snapshot when it differs from the latest. → whether anything changed."""
        changed = False
        for field in PERSON_FIELDS:
            value = row.person.get(field)
            current = self.values.get(field)
            if value is None or not _blank(field, current) or same_value(current, value):
                continue
            self.before.setdefault(field, current)
            self.values[field] = value
            changed = True
        for spec in row.accounts:
            changed |= self._merge_account(spec, today)
        for tag in row.tags:
            if tag.casefold() not in self.tags:
                self.tags[tag.casefold()] = tag
                self.new_tags.append(tag)
                changed = True
        if changed:
            self.changed = True
            self.texts = None  # a name, an e-mail or a handle may have come
        return changed

    def _merge_account(self, spec: dict[str, Any], today: date) -> bool:
        key = (spec["platform"], spec["handle"])
        account = self.accounts.get(key)
        if account is None:
            self.accounts[key] = {"platform": key[0], "handle": key[1],
                                  "profile_url": spec.get("profile_url"),
                                  **{f: spec.get(f) for f in FIGURES}}
            self.new_accounts.append(key)
            self._snapshot(key, spec, today)
            return True
        changed = False
        old_day, new_day = account.get("figures_on"), spec.get("figures_on")
        newer = not (old_day and new_day and new_day < old_day)
        saved = self.account_before.setdefault(account["id"], {}) if "id" in account else {}
        for field in ("profile_url", *FIGURES):
            value = spec.get(field)
            current = account.get(field)
            if value is None or same_value(current, value):
                continue
            if field == "profile_url" and (current or _derived_url(key) == value):
                continue  # identity: only filled when blank, and when it says more
            if field != "profile_url" and not newer:
                continue
            saved.setdefault(field, current)
            account[field] = value
            changed = True
        return self._snapshot(key, spec, today) or changed

    def _snapshot(self, key: tuple[str, str], spec: dict[str, Any], today: date) -> bool:
        audience = clean_shares(spec.get("audience") or {})
        if not audience:
            return False
        taken_on = spec.get("figures_on") or today
        latest = self.latest.get(key)
        if latest and latest[2] == audience:
            return False
        snapshot = {"key": key, "taken_on": taken_on, "shares": audience,
                    "followers": spec.get("followers"), "credibility": spec.get("credibility")}
        self.snapshots.append(snapshot)
        if latest is None or taken_on >= latest[0]:
            if latest and latest[1] > 0:
                self.superseded.append(latest[1])
            self.latest[key] = (taken_on, 0, audience)
            snapshot["is_latest"] = True
        else:
            snapshot["is_latest"] = False
        return True

    def denormalised(self) -> dict[str, Any]:
        """refresh_denormalised's values, computed from this state."""
        return dict(zip(DENORMALISED, self.denormalised_values(), strict=True))

    def denormalised_values(self) -> tuple:
        """The same values, in DENORMALISED order (what the bulk writes take)."""
        values = self.values
        followers, rate = 0, None
        accounts = self.accounts
        for account in accounts.values():
            followers += account.get("followers") or 0
            found_rate = account.get("engagement_rate")
            if found_rate is not None and (rate is None or found_rate > rate):
                rate = found_rate
        if self.texts is not None:  # folded by the reading process
            searched, sort_name = self.texts
        else:
            words = [values.get("display_name"), values.get("legal_name"), values.get("email"),
                     *[account["handle"] for account in accounts.values()]]
            searched, sort_name = search_text_and_sort_key(words)
        shares: dict[str, dict[str, float]] = {}
        with_audience = [(accounts[k].get("followers") or 0, accounts[k].get("id", 0), v[2])
                         for k, v in self.latest.items() if k in accounts]
        if len(with_audience) == 1:
            shares = with_audience[0][2]
        elif with_audience:
            shares = max(with_audience, key=lambda t: (t[0], t[1]))[2]
        return (followers, rate, searched, sort_name, *audience_columns(shares))
