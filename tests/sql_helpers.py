"""Counting the SQL statements that a block, a call or a page sends: the tests that keep the
number of queries flat while the data grows."""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator

from sqlalchemy import event

from app.extensions import db


class Statements(list[str]):
    """The statements sent, in order, white space folded."""

    def starting(self, prefix: str) -> list[str]:
        return [s for s in self if s.upper().startswith(prefix.upper())]


@contextlib.contextmanager
def statements() -> Iterator[Statements]:
    """Records the statements sent while the block runs: `with statements() as seen:`."""
    seen = Statements()

    def record(conn, cursor, statement, *args) -> None:
        seen.append(" ".join(statement.split()))

    engine = db.engine
    event.listen(engine, "before_cursor_execute", record)
    try:
        yield seen
    finally:
        event.remove(engine, "before_cursor_execute", record)


def count_statements(function: Callable[[], object]) -> int:
    with statements() as seen:
        function()
    return len(seen)


def count_page_statements(client, url: str) -> int:
    """The statements that one successful GET of `url` sends, its body read to the end (a
    streamed response runs its queries while it is read)."""

    def fetch() -> None:
        response = client.get(url)
        assert response.status_code == 200
        response.get_data()

    return count_statements(fetch)
