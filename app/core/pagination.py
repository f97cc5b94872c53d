"""The one pagination helper: a page of a SELECT, and the query args to link to others."""

from __future__ import annotations

from dataclasses import dataclass, field
from math import ceil
from typing import Any

from sqlalchemy import Select, func, select

from app.extensions import db

MAX_PAGE_SIZE = 200


@dataclass
class Page:
    items: list[Any]
    number: int
    size: int
    total: int
    query_args: dict[str, Any] = field(default_factory=dict)

    @property
    def pages(self) -> int:
        return max(1, ceil(self.total / self.size)) if self.size else 1

    @property
    def has_prev(self) -> bool:
        return self.number > 1

    @property
    def has_next(self) -> bool:
        return self.number < self.pages

    def args(self, number: int) -> dict[str, Any]:
        """The current filters and sort, pointed at another page (for url_for)."""
        return {**self.query_args, "page": number}


def parse_page(value: Any) -> int:
    try:
        number = int(value)
    except (TypeError, ValueError):
        return 1
    return min(max(number, 1), 1_000_000)


def paginate(stmt: Select, number: int, size: int, query_args: dict[str, Any] | None = None,
             scalars: bool = True, total: int | None = None) -> Page:
    """`total`, when the caller already knows it, saves the count query."""
    size = min(max(size, 1), MAX_PAGE_SIZE)
    if total is None:
        total = db.session.scalar(
            select(func.count()).select_from(stmt.order_by(None).subquery())
        ) or 0
    pages = max(1, ceil(total / size))
    number = min(parse_page(number), pages)
    paged = stmt.limit(size).offset((number - 1) * size)
    result = db.session.execute(paged)
    items = list(result.scalars().unique()) if scalars else list(result.all())
    return Page(items, number, size, total, dict(query_args or {}))
