"""Edges of the influence network: A→B means A amplifies (relays) B."""

from __future__ import annotations

from datetime import date

from sqlalchemy import Date, Float, ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from app.extensions import db
from app.models.base import TimestampMixin

RELATIONSHIP_KINDS = (
    "follows", "mentions", "reposts", "collaborated", "same_agency", "audience_overlap",
)
RELATIONSHIP_SOURCES = ("import", "manual", "campaign")


class Relationship(TimestampMixin, db.Model):
    id: Mapped[int] = mapped_column(primary_key=True)
    source_id: Mapped[int] = mapped_column(ForeignKey("influencer.id", ondelete="CASCADE"))
    target_id: Mapped[int] = mapped_column(ForeignKey("influencer.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(20))
    weight: Mapped[float] = mapped_column(Float, default=1.0)
    observed_on: Mapped[date | None] = mapped_column(Date)
    origin: Mapped[str] = mapped_column(String(20), default="manual")

    __table_args__ = (
        Index("ix_relationship_source", "source_id", "kind"),
        Index("ix_relationship_target", "target_id", "kind"),
    )

    def __repr__(self) -> str:
        return f"<Relationship {self.source_id}-{self.kind}->{self.target_id}>"
