"""The administrators' views of the team and of the audit log."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from app.core.audit import AUDITED, BULK_ENTITIES
from app.core.pagination import Page, paginate
from app.extensions import db
from app.models import AuditEvent, Brand, Influencer, User

ENTITY_TYPES = (*AUDITED.values(), *BULK_ENTITIES)


def users_page(number: int, size: int) -> Page:
    return paginate(select(User).order_by(User.name, User.id), number, size)


def audit_page(number: int, size: int, *, entity: str | None = None, user_id: int | None = None,
               action: str | None = None, since: date | None = None,
               until: date | None = None, query_args: dict | None = None) -> Page:
    """The audit log, newest first, narrowed by the filters given."""
    stmt = select(AuditEvent).options(selectinload(AuditEvent.user))
    if entity:
        stmt = stmt.where(AuditEvent.entity_type == entity)
    if user_id:
        stmt = stmt.where(AuditEvent.user_id == user_id)
    if action:
        stmt = stmt.where(AuditEvent.action == action)
    if since:
        stmt = stmt.where(AuditEvent.at >= datetime.combine(since, time.min, tzinfo=UTC))
    if until and until < date.max:
        # The "to" day is included: everything before the next midnight.
        end = datetime.combine(until + timedelta(days=1), time.min, tzinfo=UTC)
        stmt = stmt.where(AuditEvent.at < end)
    stmt = stmt.order_by(AuditEvent.at.desc(), AuditEvent.id.desc())
    return paginate(stmt, number, size, query_args)


def record_links(events: list[AuditEvent]) -> dict[str, set[int]]:
    """Which brands and influencers of these events still exist (live), so that the log
    only links to records one can open: two queries per page, whatever its size."""
    brand_ids = {e.entity_id for e in events if e.entity_type == "brand"}
    influencer_ids = {e.influencer_id for e in events if e.influencer_id}
    live: dict[str, set[int]] = {"brand": set(), "influencer": set()}
    if brand_ids:
        live["brand"] = set(db.session.scalars(
            select(Brand.id).where(Brand.id.in_(brand_ids), Brand.deleted_at.is_(None))
        ))
    if influencer_ids:
        live["influencer"] = set(db.session.scalars(
            select(Influencer.id).where(Influencer.id.in_(influencer_ids),
                                        Influencer.deleted_at.is_(None))
        ))
    return live
