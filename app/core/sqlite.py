"""SQLite's connection settings: WAL, a busy timeout, foreign keys on (and back on after a
bulk load turned them off), a page cache and a memory map sized for serving pages (SQLite's
defaults during a bulk load), and the planner's statistics kept fresh (`PRAGMA optimize` on
a pooled connection at most once an hour, and when it closes)."""

from __future__ import annotations

import contextvars
import functools
import logging
import sqlite3
import time
from collections.abc import Callable
from typing import Any

from flask import Flask
from sqlalchemy import event

from app.extensions import db

# Connection-record flag: this SQLite connection's foreign keys are off (a bulk load).
FOREIGN_KEYS_OFF = "relais_foreign_keys_off"
# Connection-record key: when this connection last ran PRAGMA optimize (time.monotonic).
OPTIMIZED_AT = "relais_optimized_at"
OPTIMIZE_EVERY = 3600.0  # seconds between two PRAGMA optimize on one pooled connection
# Rows ANALYZE reads per index when PRAGMA optimize runs it: milliseconds, not seconds.
ANALYSIS_LIMIT = 1000
# A connection serving pages: 32 MB of page cache (SQLite's default is 2 MB) and the file
# read through a 256 MB memory map (the OS's page cache, shared by the workers, no copy
# per page read). Under load (bench/load_list, 2 gunicorn workers over 100 000 people)
# the 13 list pages interleaved thrashed the 2 MB cache: 105 req/s with the defaults, 122
# with either setting alone, 146 with both.
SERVING_PRAGMAS = ("PRAGMA cache_size=-32000", "PRAGMA mmap_size=268435456")
# During a bulk load the connection touches the whole file: with those settings its pages
# would count in the importing process's memory (300 MB for a million rows). SQLite's
# defaults until the connection returns to the pool.
LEAN_PRAGMAS = ("PRAGMA cache_size=-2000", "PRAGMA mmap_size=0")
LEAN = "relais_lean"  # connection-record flag: LEAN_PRAGMAS apply (a bulk load)
_LEAN_WORK = contextvars.ContextVar("relais_sqlite_lean_work", default=False)
log = logging.getLogger(__name__)


def optimize(dbapi_connection) -> None:
    """PRAGMA optimize: ANALYZE the tables whose statistics this connection's queries
    would have used and that are missing or stale (SQLite's own choice; usually nothing),
    each bounded by ANALYSIS_LIMIT. Never fails the caller: a busy database is left for
    the next time."""
    try:
        dbapi_connection.execute(f"PRAGMA analysis_limit={ANALYSIS_LIMIT}")
        dbapi_connection.execute("PRAGMA optimize")
        dbapi_connection.execute("PRAGMA analysis_limit=0")
    except sqlite3.Error as error:
        log.warning("PRAGMA optimize skipped: %s", error)


def lean(pooled) -> None:
    """SQLite's default cache and no memory map on this pooled connection (a bulk load's)
    until it returns to the pool."""
    _lean(pooled.dbapi_connection, pooled.info)


def _lean(dbapi_connection, info: dict) -> None:
    for pragma in LEAN_PRAGMAS:
        dbapi_connection.execute(pragma)
    info[LEAN] = True  # the checkin puts SERVING_PRAGMAS back


def lean_while(func: Callable[..., Any]) -> Callable[..., Any]:
    """`func` (an import) runs with every connection it checks out on LEAN_PRAGMAS: the
    pages read before and after its bulk load (lookups, VACUUM) would otherwise be mapped
    into this process too."""
    @functools.wraps(func)
    def wrapped(*args: Any, **kwargs: Any) -> Any:
        token = _LEAN_WORK.set(True)
        try:
            return func(*args, **kwargs)
        finally:
            _LEAN_WORK.reset(token)

    return wrapped


def configure_sqlite(app: Flask) -> None:
    """WAL, a busy timeout and enforced foreign keys on every SQLite connection; PRAGMA
    optimize when a pooled connection is returned an hour after its last one, and when it
    closes (as SQLite advises for long-lived connections)."""
    if not app.config["SQLALCHEMY_DATABASE_URI"].startswith("sqlite"):
        return
    with app.app_context():
        engine = db.engine

    @event.listens_for(engine, "connect")
    def _pragmas(dbapi_connection, record):
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA busy_timeout=5000")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.execute("PRAGMA secure_delete=ON")  # erased data leaves no trace in the file
        for pragma in SERVING_PRAGMAS:
            cursor.execute(pragma)
        cursor.close()
        record.info[OPTIMIZED_AT] = time.monotonic()  # fresh: the first optimize in an hour

    @event.listens_for(engine, "checkout")
    def _on_checkout(dbapi_connection, record, _proxy):
        if _LEAN_WORK.get() and not record.info.get(LEAN):
            _lean(dbapi_connection, record.info)

    @event.listens_for(engine, "checkin")
    def _on_checkin(dbapi_connection, record):
        if dbapi_connection is None:
            return
        # A bulk load (app/imports/bulk_load.py) turns them off for its transaction.
        if record.info.pop(FOREIGN_KEYS_OFF, False):
            dbapi_connection.execute("PRAGMA foreign_keys=ON")
        if record.info.pop(LEAN, False):
            for pragma in SERVING_PRAGMAS:
                dbapi_connection.execute(pragma)
        if time.monotonic() - record.info.get(OPTIMIZED_AT, 0.0) >= OPTIMIZE_EVERY:
            record.info[OPTIMIZED_AT] = time.monotonic()
            optimize(dbapi_connection)

    @event.listens_for(engine, "close")
    def _optimize_on_close(dbapi_connection, _record):
        optimize(dbapi_connection)
