"""Saved views of the influencer list: a named filter and sort, personal or shared."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from app.extensions import db
from app.models.base import UTCDateTime, utcnow


class SavedView(db.Model):
    __tablename__ = "saved_view"

    id: Mapped[int] = mapped_column(primary_key=True)
    owner_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"))
    name: Mapped[str] = mapped_column(String(80))
    # The list's query string (filters and sort, without the page), as the list reads it.
    query: Mapped[str] = mapped_column(Text, default="")
    shared: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    __table_args__ = (
        UniqueConstraint("owner_id", "name"),
        Index("ix_saved_view_shared", "shared", "name"),
    )

    def __repr__(self) -> str:
        return f"<SavedView {self.id} {self.name!r} shared={self.shared}>"
