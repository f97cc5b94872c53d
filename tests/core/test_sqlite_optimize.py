"""The SQLite planner's statistics kept fresh: PRAGMA optimize on pooled connections
(app/core/sqlite.py). SQLite only."""

from __future__ import annotations

import sqlite3

import pytest
from sqlalchemy import text

from app.core import sqlite as sqlite_settings
from app.extensions import db as _db


@pytest.fixture()
def on_sqlite(db):
    if _db.engine.dialect.name != "sqlite":
        pytest.skip("SQLite only")
    return db


def _stats(connection: sqlite3.Connection) -> list[tuple]:
    if not connection.execute(
            "SELECT 1 FROM sqlite_master WHERE name = 'sqlite_stat1'").fetchone():
        return []
    return connection.execute("SELECT tbl, idx FROM sqlite_stat1").fetchall()


def test_optimize_analyses_a_queried_table_without_statistics(tmp_path):
    path = tmp_path / "plain.sqlite3"
    with sqlite3.connect(path) as setup:
        setup.execute("CREATE TABLE t (id INTEGER PRIMARY KEY, a INT, b INT)")
        setup.execute("CREATE INDEX t_a ON t (a)")
        setup.executemany("INSERT INTO t (a, b) VALUES (?, ?)",
                          [(n % 50, n) for n in range(5000)])
    connection = sqlite3.connect(path)
    connection.execute("SELECT * FROM t WHERE a = 3 AND b > 5").fetchall()
    assert _stats(connection) == []
    sqlite_settings.optimize(connection)
    assert ("t", "t_a") in _stats(connection)
    connection.close()


def test_optimize_never_fails_its_caller(tmp_path):
    connection = sqlite3.connect(tmp_path / "closed.sqlite3")
    connection.close()
    sqlite_settings.optimize(connection)  # logged, not raised


def test_a_returned_connection_is_optimised_once_an_hour(on_sqlite, monkeypatch):
    calls = []
    monkeypatch.setattr(sqlite_settings, "optimize", calls.append)
    monkeypatch.setattr(sqlite_settings, "OPTIMIZE_EVERY", 1e9)
    with _db.engine.connect() as conn:
        conn.execute(text("SELECT 1"))
    assert calls == []  # within the interval since the connection's last one
    monkeypatch.setattr(sqlite_settings, "OPTIMIZE_EVERY", 0.0)
    with _db.engine.connect() as conn:
        conn.execute(text("SELECT 1"))
    assert len(calls) == 1


def _cache_and_map(conn) -> tuple[int, int]:
    return (conn.exec_driver_sql("PRAGMA cache_size").scalar(),
            conn.exec_driver_sql("PRAGMA mmap_size").scalar())


def test_pages_are_served_with_a_big_cache_and_a_bulk_load_with_the_defaults(on_sqlite):
    """A connection serving pages has 32 MB of page cache and a 256 MB memory map; a bulk
    load's has SQLite's defaults (its pages would count in the importer's memory) until it
    returns to the pool, when it serves pages again."""
    with _db.engine.connect() as conn:
        assert _cache_and_map(conn) == (-32000, 268435456)
        sqlite_settings.lean(conn.connection)
        assert _cache_and_map(conn) == (-2000, 0)
        raw = conn.connection.dbapi_connection
    # Back in the pool (checked in): the same connection serves pages again.
    assert (raw.execute("PRAGMA cache_size").fetchone()[0],
            raw.execute("PRAGMA mmap_size").fetchone()[0]) == (-32000, 268435456)


def test_an_import_checks_its_connections_out_lean(on_sqlite):
    """Every connection an import checks out (before, during and after its bulk load) is on
    SQLite's defaults; once it is over, connections serve pages again."""
    seen = []

    @sqlite_settings.lean_while
    def work():
        for _ in range(2):
            with _db.engine.connect() as conn:
                seen.append(_cache_and_map(conn))

    work()
    assert seen == [(-2000, 0), (-2000, 0)]
    with _db.engine.connect() as conn:
        assert _cache_and_map(conn) == (-32000, 268435456)
