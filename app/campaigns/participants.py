"""Campaign views: participants (being built)."""

from app.campaigns import bp  # noqa: F401
