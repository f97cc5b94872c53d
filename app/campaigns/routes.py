"""Campaign views: routes (being built)."""

from app.campaigns import bp  # noqa: F401
