"""Admin setting: how long the files an import keeps (the uploaded file, its CSV copy, its
rejected rows) are kept, one row (id 1); without it the default applies."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Integer
from sqlalchemy.orm import Mapped, mapped_column

from app.extensions import db
from app.models.base import UTCDateTime, utcnow

DEFAULT_IMPORT_FILE_DAYS = 30


class RetentionSettings(db.Model):
    id: Mapped[int] = mapped_column(primary_key=True)
    import_file_days: Mapped[int] = mapped_column(Integer, default=DEFAULT_IMPORT_FILE_DAYS)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))

    def __repr__(self) -> str:
        return f"<RetentionSettings import files {self.import_file_days} days>"
