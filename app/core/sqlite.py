"""SQLite's connection settings: WAL, a busy timeout, foreign keys on (and back on after a
bulk load turned them off), and the planner's statistics kept fresh (`PRAGMA optimize`
on a pooled connection at most once an hour, and when it closes)."""

from __future__ import annotations

import logging
import sqlite3
import time

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
        cursor.close()
        record.info[OPTIMIZED_AT] = time.monotonic()  # fresh: the first optimize in an hour

    @event.listens_for(engine, "checkin")
    def _on_checkin(dbapi_connection, record):
        if dbapi_connection is None:
            return
        # A bulk load (app/imports/bulk_load.py) turns them off for its transaction.
        if record.info.pop(FOREIGN_KEYS_OFF, False):
            dbapi_connection.execute("PRAGMA foreign_keys=ON")
        if time.monotonic() - record.info.get(OPTIMIZED_AT, 0.0) >= OPTIMIZE_EVERY:
            record.info[OPTIMIZED_AT] = time.monotonic()
            optimize(dbapi_connection)

    @event.listens_for(engine, "close")
    def _optimize_on_close(dbapi_connection, _record):
        optimize(dbapi_connection)
