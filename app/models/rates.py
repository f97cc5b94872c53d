"""Admin setting: the minimum fee for one post per platform and follower tier, the floor
under the CPM-based fee estimates of the candidates and ambassadors pages.

A CPM alone values a small account's post at a few euros (8 € per 1 000 followers: 2,98 €
for 372 followers), which nobody would accept; the floor is what the French market asks at
the least for a post at that size. Tiers follow the scoring's (nano < 10 000 followers ≤ micro
< 100 000 ≤ mid < 500 000 ≤ macro < 1 000 000 ≤ mega). Amounts in euro cents, excluding tax.

DEFAULT_FEE_FLOORS are the floors a new database starts with (migration 0009_fee_floors
writes the same rows; admins change them on the rates page). They sit at the low end of the
French rate cards published for 2024-2025 — nano about 50-150 € a post, micro 150-1 000 €,
mid 1 000-5 000 €, macro 4 000-10 000 €, mega from 8 000 € on Instagram — with video
(YouTube, podcasts) dearer and text-first networks (X, Threads, Bluesky) cheaper.
"""

from __future__ import annotations

from sqlalchemy import Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from app.extensions import db
from app.models.base import TimestampMixin

FOLLOWER_TIERS = ("nano", "micro", "mid", "macro", "mega")

# platform → the floor in euros for each tier of FOLLOWER_TIERS.
DEFAULT_FEE_FLOORS: dict[str, tuple[int, int, int, int, int]] = {
    "instagram": (50, 200, 1_000, 4_000, 8_000),
    "tiktok": (40, 150, 800, 3_000, 6_000),
    "youtube": (100, 400, 2_000, 6_000, 12_000),
    "x": (20, 80, 400, 1_500, 3_000),
    "facebook": (30, 120, 600, 2_000, 4_000),
    "linkedin": (50, 200, 1_000, 3_000, 6_000),
    "snapchat": (30, 120, 600, 2_000, 4_000),
    "twitch": (50, 200, 1_000, 3_000, 6_000),
    "pinterest": (30, 100, 500, 1_500, 3_000),
    "threads": (20, 80, 400, 1_500, 3_000),
    "bluesky": (20, 60, 300, 1_000, 2_000),
    "blog": (50, 200, 800, 2_500, 5_000),
    "podcast": (80, 300, 1_500, 4_000, 8_000),
    "newsletter": (50, 200, 1_000, 3_000, 6_000),
    "other": (30, 100, 500, 1_500, 3_000),
}


class FeeFloor(TimestampMixin, db.Model):
    """The minimum fee estimated for one post on a platform by an account of a tier."""

    platform: Mapped[str] = mapped_column(String(20), primary_key=True)
    tier: Mapped[str] = mapped_column(String(10), primary_key=True)
    floor_cents: Mapped[int] = mapped_column(Integer)
    currency: Mapped[str] = mapped_column(String(3), default="EUR")

    def __repr__(self) -> str:
        return f"<FeeFloor {self.platform} {self.tier} {self.floor_cents}>"
