"""The administrators' views of the team and of the audit log."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy import select

from app.core.audit import AUDITED, BULK_ENTITIES
from app.core.audit_query import actions_page
from app.core.pagination import Page, paginate
from app.models import AuditEvent, User

ENTITY_TYPES = (*AUDITED.values(), *BULK_ENTITIES)


def users_page(number: int, size: int) -> Page:
    return paginate(select(User).order_by(User.sort_name, User.id), number, size)


def audit_page(number: int, size: int, *, entity: str | None = None, user_id: int | None = None,
               action: str | None = None, since: date | None = None,
               until: date | None = None,
               query_args: dict | None = None) -> tuple[Page, dict[str, int]]:
    """The audit log, a page of user actions, newest first, each with an event matching the
    filters given; and the number of events of each action."""
    conditions = []
    if entity:
        conditions.append(AuditEvent.entity_type == entity)
    if user_id:
        conditions.append(AuditEvent.user_id == user_id)
    if action:
        conditions.append(AuditEvent.action == action)
    if since:
        conditions.append(AuditEvent.at >= datetime.combine(since, time.min, tzinfo=UTC))
    if until and until < date.max:
        # The "to" day is included: everything before the next midnight.
        end = datetime.combine(until + timedelta(days=1), time.min, tzinfo=UTC)
        conditions.append(AuditEvent.at < end)
    return actions_page(conditions, number, size, query_args)
