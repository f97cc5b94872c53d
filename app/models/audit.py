"""Append-only audit trail: who changed what, when, from which value to which."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.extensions import db
from app.models.base import UTCDateTime, utcnow


class AuditEvent(db.Model):
    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    entity_type: Mapped[str] = mapped_column(String(40))
    entity_id: Mapped[int] = mapped_column(Integer)
    # The influencer a change belongs to (accounts, snapshots, interactions roll up to it),
    # so a profile's history and a GDPR erasure find every event in one query.
    influencer_id: Mapped[int | None] = mapped_column(Integer, index=True)
    action: Mapped[str] = mapped_column(String(20))  # create, update, delete, restore, erase
    changes: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    # The events one user action wrote (a request, a job, an import run) share an action id,
    # so the history shows them as one entry; an import's run and revert name the import.
    action_id: Mapped[str | None] = mapped_column(String(32), index=True)
    import_id: Mapped[int | None] = mapped_column(Integer, index=True)

    user = relationship("User", foreign_keys=[user_id])

    __table_args__ = (Index("ix_audit_event_entity", "entity_type", "entity_id", "at"),)

    def __repr__(self) -> str:
        return f"<AuditEvent {self.action} {self.entity_type}:{self.entity_id}>"
