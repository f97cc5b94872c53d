"""Statements sent to the database driver as written, for the few hot reads where
SQLAlchemy's compiling costs more than the query (a list page's people and scores: keys
looked up by a short list of ids)."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy.engine import Connection


def among(connection: Connection, ids: Sequence[int]) -> tuple[str, tuple]:
    """`IN` over `ids` for this connection's driver: the SQL to follow a column (`IN (?, …)`
    on SQLite, `= ANY(%s)` with one array on psycopg) and its parameters, to be appended
    to the statement's others."""
    if connection.dialect.paramstyle == "qmark":
        return f"IN ({','.join('?' * len(ids))})", tuple(int(ident) for ident in ids)
    return "= ANY(%s)", ([int(ident) for ident in ids],)


def placeholder(connection: Connection) -> str:
    """One positional parameter in this connection's driver's style."""
    return "?" if connection.dialect.paramstyle == "qmark" else "%s"
