"""Campaign views: report (being built)."""

from app.campaigns import bp  # noqa: F401
