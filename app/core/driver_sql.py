"""Statements sent to the database driver as written, for the few hot reads where
SQLAlchemy's building and compiling cost more than the query (a list page's people and
scores, keys looked up by a short list of ids; the small reads every list page makes: the
team, the tags, the latest scoring run, the saved views). Table and column names are the
models' own, written out; values are always parameters."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy.engine import Connection

from app.extensions import db


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


def fetch(sql: str, *params) -> list[tuple]:
    """The rows of `sql`, in which `{p}` stands for each positional parameter, run on the
    session's connection (its transaction) as written."""
    connection = db.session.connection()
    return [tuple(row) for row in connection.exec_driver_sql(
        sql.format(p=placeholder(connection)), params)]
