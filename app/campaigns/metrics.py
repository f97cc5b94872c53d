"""Campaign views: metrics (being built)."""

from app.campaigns import bp  # noqa: F401
