"""Campaign views: operations (being built)."""

from app.campaigns import bp  # noqa: F401
