"""Operation metrics from a CSV file, for one campaign (the example file to fill in is
app/campaigns/operations/metrics_template.py).

A row names its operation by `operation_id`, or by the participant's handle (or profile
address, with an optional platform) and the operation's planned or published date. An
operation that cannot be found, or that more than one operation fits, is reported, never
guessed. Metric columns are recognised by their English or French names; an empty cell
leaves the value as it is, 0 is zero. Money is in the campaign's currency, stored in cents.

The whole file is one transaction: a real import writes every change at the end, in bulk
(with one audit event for the campaign), and commits once; a dry run or any failure rolls
back, so a file is never half written.
"""

from __future__ import annotations

import os
import re
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sqlalchemy import bindparam, select, update

from app.campaigns.operations.metric_columns import find_columns
from app.codes import COUNT_METRICS, METRICS, MONEY_METRICS
from app.core.audit import acting_user_id
from app.core.errors import ServiceError
from app.core.text import N_
from app.extensions import db
from app.forms import MONEY_MAX_CENTS, parse_money
from app.imports.one_file import Describe, all_or_nothing, as_english
from app.imports.parsing.handles import HandleError, normalise_handle, platform_from_name
from app.imports.parsing.numbers import ValueProblem, parse_count, parse_date
from app.imports.parsing.reading import open_rows, read_header, sniff
from app.models import AuditEvent, Campaign, Operation, Participant, SocialAccount
from app.models.base import utcnow

WRITE_BATCH = 500
MAX_REPORTED = 10_000  # rejected rows kept in the report; the count stays exact

_EMPTY = {"", "-", "–", "—", "n/a", "na", "nc", "n.c.", "n/c", "?"}
_CURRENCY_MARKS = re.compile(r"€|\$|£|\b(?:eur|euros?|usd|gbp|chf|cad)\b", re.IGNORECASE)
_MARK_CURRENCIES = {"€": {"EUR"}, "euro": {"EUR"}, "euros": {"EUR"}, "$": {"USD", "CAD"},
                    "£": {"GBP"}}
_OPERATION_ID = re.compile(r"#?\s*(\d{1,18})")


@dataclass(slots=True)
class _Operation:
    id: int
    participant_id: int
    platform: str
    planned_on: date | None
    published_on: date | None
    version: int
    values: dict[str, int | None]


@dataclass
class _Campaign:
    """The campaign's operations and its participants' accounts, read once."""

    id: int
    currency: str
    operations: dict[int, _Operation] = field(default_factory=dict)
    by_participant: dict[int, list[_Operation]] = field(default_factory=dict)
    # handle → the (platform, participant) accounts bearing it
    handles: dict[str, set[tuple[str, int]]] = field(default_factory=dict)


def _stored(metric: str) -> str:
    return f"{metric}_cents" if metric in MONEY_METRICS else metric


def load_campaign(campaign_id: int) -> _Campaign:
    """The campaign's operations and handles as the import checks them against."""
    campaign = db.session.get(Campaign, campaign_id)
    if campaign is None or campaign.deleted_at is not None:
        raise ServiceError(N_("This campaign does not exist."))
    loaded = _Campaign(campaign_id, campaign.currency or "EUR")
    metric_columns = [getattr(Operation, _stored(m)) for m in METRICS]
    query = (select(Operation.id, Operation.participant_id, Operation.platform,
                    Operation.planned_on, Operation.published_on, Operation.version,
                    *metric_columns)
             .where(Operation.campaign_id == campaign_id).order_by(Operation.id))
    by_participant: dict[int, list[_Operation]] = defaultdict(list)
    for row in db.session.execute(query):
        op = _Operation(row[0], row[1], row[2], row[3], row[4], row[5],
                        dict(zip(METRICS, row[6:], strict=True)))
        loaded.operations[op.id] = op
        by_participant[op.participant_id].append(op)
    loaded.by_participant = dict(by_participant)
    accounts = (select(SocialAccount.platform, SocialAccount.handle, Participant.id)
                .join(Participant, Participant.influencer_id == SocialAccount.influencer_id)
                .where(Participant.campaign_id == campaign_id))
    for platform, handle, participant_id in db.session.execute(accounts):
        loaded.handles.setdefault(handle.lower(), set()).add((platform, participant_id))
    return loaded


class _Run:
    """One pass over a file: the report being filled, the changes waiting to be written."""

    def __init__(self, campaign: _Campaign, columns: dict[str, int], headers: list[str],
                 describe: Describe) -> None:
        self.campaign = campaign
        self.columns = columns
        self.headers = headers
        self.describe = describe
        self.seen: dict[int, int] = {}  # operation id → the line that named it
        self.changes: dict[int, dict[str, int | None]] = {}  # operation id → its new values
        self.report: dict[str, Any] = {"created": 0, "updated": 0, "unchanged": 0,
                                       "rejected": 0, "rejected_rows": []}

    def cell(self, cells: list[str], name: str) -> str:
        index = self.columns.get(name)
        return cells[index].strip() if index is not None and index < len(cells) else ""

    def header(self, name: str) -> str:
        return self.headers[self.columns[name]] if name in self.columns else ""

    def reject(self, line: int, column: str, value: str, template: str, **params: Any) -> None:
        self.report["rejected"] += 1
        if len(self.report["rejected_rows"]) < MAX_REPORTED:
            self.report["rejected_rows"].append({
                "line": line, "column": column[:200], "value": value[:500],
                "reason": self.describe(template, params)})


class _Rejected(Exception):
    """A row left out; the arguments of `_Run.reject` except the line."""

    def __init__(self, column: str, value: str, template: str, **params: Any) -> None:
        super().__init__(template)
        self.column, self.value, self.template, self.params = column, value, template, params


def import_metrics(campaign_id: int, path: str | os.PathLike, encoding: str | None = None,
                   delimiter: str | None = None, dry_run: bool = False, *,
                   filename: str | None = None, describe: Describe = as_english
                   ) -> dict[str, Any]:
    """Read the file, set the metrics of the operations it names; → the report (the same
    JSON shape as the influencer import's). "created": operations that had no metric yet.

    `filename` is the name the audit log shows (the upload's, when `path` is a temporary
    copy); `describe` turns a rejection's reason template into text.
    """
    with all_or_nothing():
        campaign = load_campaign(campaign_id)
        sniffed = sniff(path, encoding=encoding, delimiter=delimiter)
        rows = open_rows(path, encoding=sniffed.encoding, delimiter=sniffed.delimiter)
        try:
            _line, headers = read_header(rows)
            run = _Run(campaign, find_columns(headers), headers, describe)
            for line, cells in rows:
                _read_row(run, line, cells)
        finally:
            rows.close()
        if not dry_run and run.changes:
            _write(run, filename or os.path.basename(path))
    if dry_run or not run.changes:
        db.session.rollback()
    else:
        db.session.commit()
    return run.report


def _read_row(run: _Run, line: int, cells: list[str]) -> None:
    try:
        op, column, text = _find_operation(run, cells)
        values = _read_values(run, cells)
    except _Rejected as rejected:
        run.reject(line, rejected.column, rejected.value, rejected.template, **rejected.params)
        return
    if op.id in run.seen:
        run.reject(line, column, text, N_("operation %(id)s is already on line %(first)s"),
                   id=op.id, first=run.seen[op.id])
        return
    run.seen[op.id] = line
    before = op.values
    after = {**before, **{k: v for k, v in values.items() if v is not None}}
    if after == before:
        run.report["unchanged"] += 1
        return
    run.report["created" if all(v is None for v in before.values()) else "updated"] += 1
    run.changes[op.id] = after


def _find_operation(run: _Run, cells: list[str]) -> tuple[_Operation, str, str]:
    """→ (the operation, the column that named it, its text)."""
    text = run.cell(cells, "operation_id")
    if text:
        match = _OPERATION_ID.fullmatch(text)
        if not match:
            raise _Rejected(run.header("operation_id"), text, N_("not an operation number"))
        op = run.campaign.operations.get(int(match[1]))
        if op is None:
            raise _Rejected(run.header("operation_id"), text,
                            N_("there is no operation %(id)s in this campaign"), id=match[1])
        return op, run.header("operation_id"), text
    return _find_by_account(run, cells)


def _platform(run: _Run, cells: list[str]) -> str | None:
    text = run.cell(cells, "platform")
    if not text:
        return None
    try:
        return platform_from_name(text)
    except HandleError as error:
        raise _Rejected(run.header("platform"), text, error.template, **error.params) from None


def _accounts(run: _Run, cells: list[str]) -> tuple[set[tuple[str, int]], str, str]:
    """→ ((platform, participant) accounts the handle or address names, column, text).

    The account is the one that published: its platform is the operation's. A bare handle
    without a platform may name accounts on several platforms."""
    column = "handle" if run.cell(cells, "handle") else "profile_url"
    text = run.cell(cells, column)
    if not text:
        name = "handle" if "handle" in run.columns else "profile_url"
        raise _Rejected(run.header(name) or run.header("operation_id"), "",
                        N_("an operation_id, or a handle (or profile address) and a date, "
                           "are needed"))
    platform = _platform(run, cells)
    if platform is None and not _looks_like_address(text):
        handle = text.lstrip("@").lower()
    else:
        try:
            platform, handle, _url = normalise_handle(text, platform)
        except HandleError as error:
            raise _Rejected(run.header(column), text, error.template,
                            **error.params) from None
    found = {(p, pid) for p, pid in run.campaign.handles.get(handle, ())
             if platform is None or p == platform}
    if not found:
        raise _Rejected(run.header(column), text,
                        N_("nobody in this campaign has the account %(who)s"), who=text)
    return found, run.header(column), text


def _looks_like_address(text: str) -> bool:
    return "/" in text or text.lower().startswith(("http:", "https:", "www."))


def _dates(run: _Run, cells: list[str]) -> dict[str, date]:
    dates: dict[str, date] = {}
    for name in ("date", "planned_on", "published_on"):
        text = run.cell(cells, name)
        if text:
            try:
                dates[name] = parse_date(text)
            except ValueProblem as error:
                raise _Rejected(run.header(name), text, error.template,
                                **error.params) from None
    if not dates:
        name = next(n for n in ("date", "planned_on", "published_on", "handle", "profile_url")
                    if n in run.columns)
        raise _Rejected(run.header(name), "",
                        N_("the date of the operation is missing (planned or published)"))
    return dates


def _fits(op: _Operation, dates: dict[str, date]) -> bool:
    if "planned_on" in dates and op.planned_on != dates["planned_on"]:
        return False
    if "published_on" in dates and op.published_on != dates["published_on"]:
        return False
    return "date" not in dates or dates["date"] in (op.planned_on, op.published_on)


def _find_by_account(run: _Run, cells: list[str]) -> tuple[_Operation, str, str]:
    accounts, column, who = _accounts(run, cells)
    dates = _dates(run, cells)
    shown = ", ".join(sorted({d.isoformat() for d in dates.values()}))
    fitting = [op for platform, pid in sorted(accounts)
               for op in run.campaign.by_participant.get(pid, ())
               if op.platform == platform and _fits(op, dates)]
    if not fitting:
        raise _Rejected(column, who, N_("no operation of %(who)s on %(date)s in this campaign"),
                        who=who, date=shown)
    if len(fitting) > 1:
        raise _Rejected(column, who, N_("%(n)d operations of %(who)s on %(date)s: add the "
                                        "operation_id to tell them apart"),
                        n=len(fitting), who=who, date=shown)
    return fitting[0], column, who


def _read_values(run: _Run, cells: list[str]) -> dict[str, int | None]:
    values: dict[str, int | None] = {}
    for metric in METRICS:
        if metric not in run.columns:
            continue
        text = run.cell(cells, metric)
        try:
            if metric in COUNT_METRICS:
                values[metric] = parse_count(text)
            else:
                values[metric] = _parse_money(text, run.campaign.currency)
        except ValueProblem as error:
            raise _Rejected(run.header(metric), text, error.template, **error.params) from None
    return values


def _parse_money(text: str, currency: str) -> int | None:
    """"1 200,50 €", "1200.5", "15 k€" → cents; the amount must be in the campaign's
    currency (a cell naming another one is refused, never converted)."""
    cleaned = text.replace("\u2212", "-").strip()
    if cleaned.lower() in _EMPTY:
        return None
    for mark in _CURRENCY_MARKS.findall(cleaned):
        allowed = _MARK_CURRENCIES.get(mark.lower(), {mark.upper()})
        if currency not in allowed:
            raise ValueProblem(N_("not in the campaign's currency (%(currency)s)"),
                               currency=currency)
    cleaned = _CURRENCY_MARKS.sub("", cleaned).strip()
    if cleaned.startswith("-") or (cleaned.startswith("(") and cleaned.endswith(")")):
        raise ValueProblem(N_("negative"))
    try:
        cents = parse_money(cleaned.lstrip("+"))
    except (ValueError, IndexError):
        raise ValueProblem(N_("not an amount")) from None
    if cents > MONEY_MAX_CENTS:
        raise ValueProblem(N_("too large"))
    return cents


def _write(run: _Run, filename: str) -> None:
    """Every change in bulk (by primary key, checking each operation's version), then one
    audit event for the campaign. The ORM's per-record audit is bypassed on purpose: one
    event per file, not one per operation."""
    now = utcnow()
    statement = (update(Operation.__table__)
                 .where(Operation.__table__.c.id == bindparam("op_id"),
                        Operation.__table__.c.version == bindparam("op_version"))
                 .values(version=Operation.__table__.c.version + 1, metrics_source="import",
                         metrics_updated_at=now, updated_at=now,
                         **{_stored(m): bindparam(f"v_{m}") for m in METRICS}))
    items = [{"op_id": op_id, "op_version": run.campaign.operations[op_id].version,
              **{f"v_{m}": values[m] for m in METRICS}}
             for op_id, values in sorted(run.changes.items())]
    for start in range(0, len(items), WRITE_BATCH):
        update_chunk(statement, items[start:start + WRITE_BATCH])
    report = run.report
    changes: dict[str, list[Any]] = {
        key: [None, report[key]] for key in ("created", "updated", "unchanged", "rejected")}
    changes["file"] = [None, filename[:255]]
    db.session.add(AuditEvent(user_id=acting_user_id(), entity_type="campaign",
                              entity_id=run.campaign.id, action="update", changes=changes))
    db.session.flush()
    # Operations already in the session (a page that showed them) must not keep old values.
    db.session.expire_all()


def update_chunk(statement, chunk: list[dict[str, Any]]) -> None:
    """Writes one chunk of operations; stops the import if one changed meanwhile."""
    connection = db.session.connection()
    result = connection.execute(statement, chunk)
    if connection.dialect.supports_sane_multi_rowcount and result.rowcount != len(chunk):
        raise ServiceError(N_("Someone changed operations of this campaign during the "
                              "import: nothing was written. Import the file again."))
