"""SQLite's connection settings: WAL, a busy timeout, foreign keys on (and back on after a
bulk load turned them off)."""

from __future__ import annotations

from flask import Flask
from sqlalchemy import event

from app.extensions import db

# Connection-record flag: this SQLite connection's foreign keys are off (a bulk load).
FOREIGN_KEYS_OFF = "relais_foreign_keys_off"


def configure_sqlite(app: Flask) -> None:
    """WAL, a busy timeout and enforced foreign keys on every SQLite connection."""
    if not app.config["SQLALCHEMY_DATABASE_URI"].startswith("sqlite"):
        return
    with app.app_context():
        engine = db.engine

    @event.listens_for(engine, "connect")
    def _pragmas(dbapi_connection, _record):
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA busy_timeout=5000")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.execute("PRAGMA secure_delete=ON")  # erased data leaves no trace in the file
        cursor.close()

    @event.listens_for(engine, "checkin")
    def _foreign_keys_back_on(dbapi_connection, record):
        # A bulk load (app/imports/bulk_load.py) turns them off for its transaction.
        if dbapi_connection is not None and record.info.pop(FOREIGN_KEYS_OFF, False):
            dbapi_connection.execute("PRAGMA foreign_keys=ON")
