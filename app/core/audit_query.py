"""Which audit events make a history. A record's: its own and its parts' (a contract's
signers; a campaign's participants, operations and contracts), one query, newest first.
The whole trail's (the admin log, the dashboard): a page of user actions, each with its
events (at most `PER_ACTION`: an import that touched 10 000 people is one entry, with
its first lines), in three queries whatever the page holds.

Templates call `record_history(entity_type, entity_id)` (a Jinja global) and hand the
events to the `history` macro of `_macros/audit.html`.
"""

from __future__ import annotations

from typing import Any

from flask import Flask
from sqlalchemy import ColumnElement, String, and_, cast, func, literal, or_, select

from app.core.pagination import Page, paginate
from app.extensions import db
from app.models import AuditEvent, Contract, ContractSigner, Operation, Participant

PER_ACTION = 40  # events loaded per user action; the entry says how many more there are

# A record's parts: (their record type, the column of theirs that names the record).
PARTS = {
    "contract": (("contract_signer", ContractSigner.contract_id),),
    "campaign": (("participant", Participant.campaign_id), ("operation", Operation.campaign_id),
                 ("contract", Contract.campaign_id)),
}


def events_for(entity: str, entity_id: int, limit: int = 100) -> list[AuditEvent]:
    """The events about the record and its parts, newest first (at most `limit`)."""
    about = [and_(AuditEvent.entity_type == entity, AuditEvent.entity_id == entity_id)]
    for part, column in PARTS.get(entity, ()):
        ids = select(column.class_.id).where(column == entity_id)
        about.append(and_(AuditEvent.entity_type == part, AuditEvent.entity_id.in_(ids)))
    return list(db.session.scalars(
        select(AuditEvent).where(or_(*about))
        .order_by(AuditEvent.at.desc(), AuditEvent.id.desc()).limit(limit)))


def action_key() -> ColumnElement[str]:
    """The action an event belongs to: its action id, or itself alone (older events)."""
    return func.coalesce(AuditEvent.action_id, literal("e") + cast(AuditEvent.id, String))


def actions_page(conditions: list[Any], number: int, size: int,
                 query_args: dict[str, Any] | None = None) -> tuple[Page, dict[str, int]]:
    """A page of the user actions with an event matching `conditions`, newest first: the
    page's items are their events; with the number of events of each action."""
    key = action_key()
    groups = (select(key.label("key"), func.max(AuditEvent.id).label("last"),
                     func.count().label("events"))
              .where(*conditions).group_by(key).order_by(func.max(AuditEvent.id).desc()))
    page = paginate(groups, number, size, query_args, scalars=False)
    totals = {row.key: row.events for row in page.items}
    page.items = events_of(list(totals))
    return page, totals


def latest_actions(limit: int) -> tuple[list[AuditEvent], dict[str, int]]:
    """The last `limit` user actions' events (the dashboard)."""
    page, totals = actions_page([], 1, limit)
    return page.items, totals


def events_of(keys: list[str]) -> list[AuditEvent]:
    """The events of these actions (the last `PER_ACTION` of each), newest first."""
    if not keys:
        return []
    legacy = [int(k[1:]) for k in keys if k.startswith("e") and k[1:].isdigit()]
    key = action_key()
    ranked = (select(AuditEvent.id, func.row_number().over(
        partition_by=key, order_by=AuditEvent.id.desc()).label("n"))
        .where(or_(AuditEvent.action_id.in_(keys), AuditEvent.id.in_(legacy))).subquery())
    return list(db.session.scalars(
        select(AuditEvent).join(ranked, ranked.c.id == AuditEvent.id)
        .where(ranked.c.n <= PER_ACTION)
        .order_by(AuditEvent.at.desc(), AuditEvent.id.desc())))


def init_app(app: Flask) -> None:
    app.jinja_env.globals.update(record_history=events_for)
