"""A token that changes with every committed write, so that a result computed from the
data can be kept and served again until the data changes (the influencer list's pages:
app/influencers/list_cache.py).

The token lives in the database (`data_version`, one row), so every gunicorn worker, job
and command sees the same one. Just before a transaction commits, if it wrote anything, a
new random token is written in that same transaction: the new data and the new token are
committed together. "Wrote anything" is asked of the database itself, so writes sent to
the driver directly (the import's and the scoring's COPY and executemany) count as well as
the ORM's:

* SQLite: the connection's `total_changes` moved since the transaction began;
* PostgreSQL: the transaction holds a transaction id (one is only assigned by a write).

A reader takes the token before reading the data. Whatever it reads afterwards is at least
as new as that token: a result is never kept under a token newer than its data.
Writes made outside the application (psql, sqlite3) do not move the token: a worker keeps
serving what it computed until the next write through the application or a restart.
"""

from __future__ import annotations

from flask import Flask
from psycopg import pq
from sqlalchemy import event
from sqlalchemy.engine import Connection

from app.core import driver_sql
from app.extensions import db
from app.models.data_version import new_token

_CHANGES = "relais.total_changes_at_begin"
# One round trip, a no-op unless the transaction wrote; never fails for want of the table
# (migrations that run before it exists). The token is an integer made here.
_POSTGRESQL_BUMP = (
    "DO $$ BEGIN IF txid_current_if_assigned() IS NOT NULL "
    "AND to_regclass('data_version') IS NOT NULL THEN "
    "UPDATE data_version SET token = {token} WHERE id = 1; END IF; END $$")
_SQLITE_TABLE = "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'data_version'"


def token() -> int | None:
    """The current token, read on the session's connection (None: no token row, so
    nothing may be kept)."""
    rows = driver_sql.fetch("SELECT token FROM data_version WHERE id = 1")
    return rows[0][0] if rows else None


def install(app: Flask) -> None:
    with app.app_context():
        engine = db.engine
    dialect = engine.dialect.name
    if dialect not in ("sqlite", "postgresql"):
        return

    @event.listens_for(engine, "begin")
    def _begin(conn: Connection) -> None:
        if dialect == "sqlite":
            conn.info[_CHANGES] = conn.connection.dbapi_connection.total_changes

    @event.listens_for(engine, "commit")
    def _commit(conn: Connection) -> None:
        raw = conn.connection.dbapi_connection
        if dialect == "sqlite":
            _bump_sqlite(raw, conn.info.pop(_CHANGES, None))
        else:
            _bump_postgresql(raw)

    @event.listens_for(engine, "rollback")
    def _rollback(conn: Connection) -> None:
        conn.info.pop(_CHANGES, None)


def _bump_sqlite(raw, changes_at_begin: int | None) -> None:
    if changes_at_begin is not None and raw.total_changes == changes_at_begin:
        return  # read only
    cursor = raw.cursor()
    try:
        if cursor.execute(_SQLITE_TABLE).fetchone():
            cursor.execute("UPDATE data_version SET token = ? WHERE id = 1", (new_token(),))
    finally:
        cursor.close()


def _bump_postgresql(raw) -> None:
    if raw.info.transaction_status != pq.TransactionStatus.INTRANS:
        return  # no transaction open, or a failed one (its commit rolls it back)
    with raw.cursor() as cursor:
        cursor.execute(_POSTGRESQL_BUMP.format(token=int(new_token())))
