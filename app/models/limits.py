"""Rate-limit counters shared by every web worker when no Redis is configured: one row per
limit key and fixed window (the key is hashed, so no email address is stored here)."""

from __future__ import annotations

from sqlalchemy import Float, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from app.extensions import db


class LimitHit(db.Model):
    __tablename__ = "limit_hit"

    key: Mapped[str] = mapped_column(String(64), primary_key=True)  # sha256 of the limit key
    count: Mapped[int] = mapped_column(Integer, default=0)
    expires_at: Mapped[float] = mapped_column(Float, index=True)  # Unix time the window ends
