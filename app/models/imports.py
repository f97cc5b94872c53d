"""CSV imports: the uploaded file, its mapping, its rejected rows and what it changed.

An `Import` is one recorded unit: its `ImportChange` rows hold the previous values of the
records it updated (people it created carry `Influencer.import_id`), so it can be
reverted; its `ImportProblem` rows are the rejected-rows report.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Boolean, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.extensions import db
from app.models.base import TimestampMixin, UTCDateTime, utcnow

IMPORT_MODES = ("create", "update", "upsert")
VALUE_LIMIT = 500


class Import(TimestampMixin, db.Model):
    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int | None] = mapped_column(
        ForeignKey("user.id", ondelete="SET NULL"), index=True)
    # As uploaded, for display only: never used to build a path (see stored_path).
    filename: Mapped[str] = mapped_column(String(255))
    stored_path: Mapped[str] = mapped_column(String(1000), default="")
    sha256: Mapped[str] = mapped_column(String(64), default="")
    size_bytes: Mapped[int] = mapped_column(Integer, default=0)
    encoding: Mapped[str] = mapped_column(String(40), default="utf-8-sig")
    delimiter: Mapped[str] = mapped_column(String(4), default=";")
    mode: Mapped[str] = mapped_column(String(10), default="upsert")
    # column index (as a string: JSON keys) → field code, "keep", or null (ignored)
    mapping: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    headers: Mapped[list[str]] = mapped_column(JSON, default=list)
    headers_signature: Mapped[str] = mapped_column(String(64), default="")
    status: Mapped[str] = mapped_column(String(12), default="uploaded")
    progress: Mapped[int] = mapped_column(Integer, default=0)
    total_rows: Mapped[int] = mapped_column(Integer, default=0)
    created: Mapped[int] = mapped_column(Integer, default=0)
    updated: Mapped[int] = mapped_column(Integer, default=0)
    unchanged: Mapped[int] = mapped_column(Integer, default=0)
    rejected: Mapped[int] = mapped_column(Integer, default=0)
    dry_run: Mapped[bool] = mapped_column(Boolean, default=True)
    error: Mapped[str | None] = mapped_column(Text)
    started_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # The job's lease (app/core/jobs_lease.py): touched at each batch while it runs.
    heartbeat_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    reverted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    reverted_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))

    user = relationship("User", foreign_keys=[user_id])

    def counts(self) -> dict[str, int]:
        return {"created": self.created, "updated": self.updated,
                "unchanged": self.unchanged, "rejected": self.rejected}

    def __repr__(self) -> str:
        return f"<Import {self.id} {self.filename!r} {self.status}>"


class ImportProblem(db.Model):
    """One rejected row (or cell) of the last run: the rejected-rows report."""

    id: Mapped[int] = mapped_column(primary_key=True)
    import_id: Mapped[int] = mapped_column(ForeignKey("import.id", ondelete="CASCADE"))
    line: Mapped[int] = mapped_column(Integer)
    column: Mapped[str] = mapped_column(String(VALUE_LIMIT), default="")
    value: Mapped[str] = mapped_column(String(VALUE_LIMIT), default="")
    reason: Mapped[str] = mapped_column(String(VALUE_LIMIT), default="")

    __table_args__ = (Index("ix_import_problem_import", "import_id", "line"),)


class ImportChange(db.Model):
    """What a real run did to one influencer: enough to put the previous values back."""

    id: Mapped[int] = mapped_column(primary_key=True)
    import_id: Mapped[int] = mapped_column(ForeignKey("import.id", ondelete="CASCADE"))
    influencer_id: Mapped[int] = mapped_column(Integer)  # no FK: the person may be erased
    action: Mapped[str] = mapped_column(String(10))  # created | updated
    before: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    created_account_ids: Mapped[list[int]] = mapped_column(JSON, default=list)

    __table_args__ = (Index("ix_import_change_import", "import_id", "influencer_id"),)


class SavedMapping(db.Model):
    """A confirmed mapping, offered again for files with the same headers."""

    id: Mapped[int] = mapped_column(primary_key=True)
    headers_signature: Mapped[str] = mapped_column(String(64), unique=True)
    mapping: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)
