"""Operations read in bulk: a campaign's operations tab, the approval queues (with the
contracts that wait for a manager beside the operations) and the editorial calendar across
campaigns. Each page is a fixed number of queries, whatever the number of operations (the
calendar reads its visible range in one, on ix_operation_calendar; a published operation
sits on the day it was published, not the day it was planned for).
"""

from __future__ import annotations

import calendar as _calendar
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from sqlalchemy import and_, case, func, not_, or_, select
from sqlalchemy.orm import joinedload

from app.campaigns.operations.service import FIRST_DAY, LAST_DAY
from app.collation import sort_key
from app.core.pagination import Page, paginate
from app.extensions import db
from app.models import Brand, Campaign, Contract, Influencer, Operation, Participant
from app.models.campaign import OPERATION_STATUSES

VIEWS = ("month", "week", "agenda")  # the agenda lists the month's days that have operations
CALENDAR_LIMIT = 1500  # chips on one screen; past that, the page asks for a filter
UNSCHEDULED_LIMIT = 100
SORTS = ("date", "status", "platform", "participant")


def _status_order():
    return case({code: index for index, code in enumerate(OPERATION_STATUSES)},
                value=Operation.status, else_=len(OPERATION_STATUSES))


def list_operations(campaign_id: int, filters: dict[str, str], sort: str, page: int,
                    size: int, query_args: dict | None = None) -> Page:
    """A page of (Operation, influencer name) rows; `sort` is one of SORTS, "-" for
    descending. Unscheduled operations come last whatever the direction."""
    stmt = (select(Operation, Influencer.display_name.label("influencer"))
            .join(Participant, Participant.id == Operation.participant_id)
            .join(Influencer, Influencer.id == Participant.influencer_id)
            .where(Operation.campaign_id == campaign_id))
    for name in ("status", "platform", "kind"):
        if filters.get(name):
            stmt = stmt.where(getattr(Operation, name) == filters[name])
    descending = sort.startswith("-")
    keys = {
        "date": [Operation.planned_on],
        "status": [_status_order(), Operation.planned_on],
        "platform": [Operation.platform, Operation.planned_on],
        "participant": [Influencer.sort_name, Operation.planned_on],
    }.get(sort.lstrip("-"), [Operation.planned_on])
    order = [Operation.planned_on.is_(None)]
    order += [k.desc() if descending else k.asc() for k in keys]
    stmt = stmt.order_by(*order, Operation.id)
    return paginate(stmt, page, size, query_args, scalars=False)


def status_counts(campaign_id: int) -> dict[str, int]:
    return dict(db.session.execute(
        select(Operation.status, func.count()).where(Operation.campaign_id == campaign_id)
        .group_by(Operation.status)).all())


def _queue(status: str):
    return (select(Operation, Influencer.display_name.label("influencer"),
                   Campaign.name.label("campaign"))
            .join(Campaign, Campaign.id == Operation.campaign_id)
            .join(Participant, Participant.id == Operation.participant_id)
            .join(Influencer, Influencer.id == Participant.influencer_id)
            .where(Operation.status == status, Campaign.deleted_at.is_(None))
            .options(joinedload(Operation.submitted_by), joinedload(Operation.reviewed_by)))


def approval_queue(page: int, size: int, total: int | None = None) -> Page:
    """Operations waiting for a manager, oldest first, as the page says: by the time they
    were submitted; one whose submission time is unknown (seeded, or submitted before it
    was recorded) by the time it was created, never after everything else."""
    waiting_since = func.coalesce(Operation.submitted_at, Operation.created_at)
    stmt = _queue("submitted").order_by(waiting_since, Operation.id)
    return paginate(stmt, page, size, {"list": "approve"}, scalars=False, total=total)


def changes_requested(page: int, size: int, submitted_by: int | None = None) -> Page:
    """Operations sent back by a manager, oldest review first; optionally one user's."""
    stmt = _queue("changes_requested")
    if submitted_by is not None:
        stmt = stmt.where(Operation.submitted_by_id == submitted_by)
    stmt = stmt.order_by(Operation.reviewed_at.is_(None), Operation.reviewed_at, Operation.id)
    args = {"mine": "1"} if submitted_by is not None else {}
    return paginate(stmt, page, size, {"list": "changes", **args}, scalars=False)


def _operations_waiting():
    return (select(func.count()).select_from(Operation)
            .join(Campaign, Campaign.id == Operation.campaign_id)
            .where(Operation.status == "submitted", Campaign.deleted_at.is_(None)))


def _contracts_waiting():
    # Read through the models only: the contracts feature is not imported for a count.
    return (select(func.count()).select_from(Contract)
            .where(Contract.status == "pending_approval", Contract.deleted_at.is_(None)))


def waiting_count() -> int:
    """How many operations wait for approval: one count."""
    return db.session.scalar(_operations_waiting()) or 0


@dataclass(frozen=True)
class Waiting:
    operations: int
    contracts: int

    @property
    def total(self) -> int:
        return self.operations + self.contracts


def waiting() -> Waiting:
    """Operations and contracts waiting for a manager: one statement, two counts on their
    status indexes (ix_operation_status, ix_contract_status)."""
    row = db.session.execute(select(_operations_waiting().scalar_subquery(),
                                    _contracts_waiting().scalar_subquery())).one()
    return Waiting(row[0] or 0, row[1] or 0)


def approvals_waiting() -> int:
    """The managers' menu badge: operations and contracts that wait for approval."""
    return waiting().total


def contract_queue(page: int, size: int, total: int | None = None) -> Page:
    """Contracts waiting for a manager's approval, oldest submission first, as rows of
    (id, number, title, since, influencer, brand, campaign_id, campaign)."""
    since = func.coalesce(Contract.submitted_at, Contract.created_at)
    stmt = (select(Contract.id, Contract.number, Contract.title, since.label("since"),
                   Influencer.display_name.label("influencer"), Brand.name.label("brand"),
                   Contract.campaign_id, Campaign.name.label("campaign"))
            .join(Influencer, Influencer.id == Contract.influencer_id)
            .join(Brand, Brand.id == Contract.brand_id)
            .outerjoin(Campaign, Campaign.id == Contract.campaign_id)
            .where(Contract.status == "pending_approval", Contract.deleted_at.is_(None))
            .order_by(since, Contract.id))
    return paginate(stmt, page, size, {"list": "contracts"}, scalars=False, total=total)


# --- the editorial calendar ---------------------------------------------------------------

@dataclass
class CalendarRange:
    view: str
    anchor: date
    start: date  # first day shown (a Monday)
    end: date  # last day shown (a Sunday)
    previous: date
    next: date
    weeks: list[list[date]] = field(default_factory=list)

    def in_month(self, day: date) -> bool:
        return self.view == "week" or (day.year, day.month) == (self.anchor.year,
                                                                self.anchor.month)


def calendar_range(view: str, anchor: date) -> CalendarRange:
    """The days a month view (whole weeks, Monday first), the agenda (the same month) or a
    week view shows."""
    view = view if view in VIEWS else "month"
    anchor = min(max(anchor, FIRST_DAY + timedelta(days=7)), LAST_DAY - timedelta(days=40))
    if view == "week":
        start = anchor - timedelta(days=anchor.weekday())
        end = start + timedelta(days=6)
        previous, following = start - timedelta(days=7), start + timedelta(days=7)
    else:
        anchor = anchor.replace(day=1)
        last = anchor.replace(day=_calendar.monthrange(anchor.year, anchor.month)[1])
        start = anchor - timedelta(days=anchor.weekday())
        end = last + timedelta(days=6 - last.weekday())
        previous = (anchor - timedelta(days=1)).replace(day=1)
        following = last + timedelta(days=1)
    days = [start + timedelta(days=n) for n in range((end - start).days + 1)]
    weeks = [days[i:i + 7] for i in range(0, len(days), 7)]
    return CalendarRange(view, anchor, start, end, previous, following, weeks)


def _published():
    """Published with a date: such an operation sits on the day it went out."""
    return and_(Operation.status == "published", Operation.published_on.is_not(None))


def _calendar_day():
    """The day the calendar shows an operation on: published on, else planned for."""
    return case((_published(), Operation.published_on), else_=Operation.planned_on)


def _calendar_select(filters: dict[str, Any]):
    stmt = (select(Operation.id, Operation.campaign_id, Operation.kind, Operation.platform,
                   Operation.status, Operation.planned_on, Operation.published_on,
                   _calendar_day().label("day"),
                   Influencer.display_name.label("influencer"),
                   Campaign.name.label("campaign"))
            .join(Campaign, Campaign.id == Operation.campaign_id)
            .join(Participant, Participant.id == Operation.participant_id)
            .join(Influencer, Influencer.id == Participant.influencer_id)
            .where(Campaign.deleted_at.is_(None)))
    if filters.get("campaign"):
        stmt = stmt.where(Operation.campaign_id == filters["campaign"])
    if filters.get("brand"):
        stmt = stmt.where(Campaign.brand_id == filters["brand"])
    for name in ("platform", "status"):
        if filters.get(name):
            stmt = stmt.where(getattr(Operation, name) == filters[name])
    if filters.get("owner"):
        stmt = stmt.where(Influencer.owner_id == filters["owner"])
    if filters.get("influencer"):
        # Folded as the sort key is (app/collation.py): "edith" finds "Édith".
        needle = sort_key(filters["influencer"][:200])
        stmt = stmt.where(Influencer.sort_name.contains(needle, autoescape=True))
    return stmt


@dataclass
class CalendarOperations:
    by_day: dict[date, list[Any]]
    count: int
    truncated: bool


def calendar_operations(start: date, end: date, filters: dict[str, Any],
                        limit: int = CALENDAR_LIMIT) -> CalendarOperations:
    """The operations of the days from `start` to `end` (inclusive), each on its calendar
    day (`_calendar_day`): one query."""
    rows = db.session.execute(
        _calendar_select(filters)
        .where(or_(and_(Operation.planned_on >= start, Operation.planned_on <= end,
                        not_(_published())),
                   and_(_published(), Operation.published_on >= start,
                        Operation.published_on <= end)))
        .order_by(_calendar_day(), Campaign.sort_name, Operation.id)
        .limit(limit + 1)).all()
    by_day: dict[date, list[Any]] = {}
    for row in rows[:limit]:
        by_day.setdefault(row.day, []).append(row)
    return CalendarOperations(by_day, min(len(rows), limit), len(rows) > limit)


def unscheduled_operations(filters: dict[str, Any],
                           limit: int = UNSCHEDULED_LIMIT) -> tuple[list[Any], bool]:
    """Operations without a date (the "Not scheduled" list), and whether there are more."""
    rows = db.session.execute(
        _calendar_select(filters).where(Operation.planned_on.is_(None), not_(_published()))
        .order_by(Campaign.sort_name, Operation.id).limit(limit + 1)).all()
    return rows[:limit], len(rows) > limit


def campaign_choices() -> list[tuple[int, str]]:
    return [(r.id, r.name) for r in db.session.execute(
        select(Campaign.id, Campaign.name).where(Campaign.deleted_at.is_(None))
        .order_by(Campaign.sort_name, Campaign.id))]

