"""bench/import prints, beside the floor, the fastest the import's own work could go on
this machine: the CPU of its processes (and of the database server) until the end of the
load, shared perfectly by the cores, then the end of the load as it took. These check
that arithmetic and that each CPU figure it reads moves with real work."""

from __future__ import annotations

import importlib
import subprocess
import sys

import pytest
from sqlalchemy import text

bench = importlib.import_module("bench.import")

START = {"wall": 100.0, "cpu": 1.0, "children": 0.5, "server": 10.0}


def _later(wall: float, cpu: float, children: float, server: float) -> dict[str, float]:
    return {"wall": START["wall"] + wall, "cpu": START["cpu"] + cpu,
            "children": START["children"] + children, "server": START["server"] + server}


@pytest.mark.parametrize(("cores", "reading", "importing", "server", "best"), [
    (2, 4.0, 5.0, 0.0, 5.0),    # the slower process bounds it
    (2, 4.0, 5.0, 6.0, 7.5),    # three processes on two cores: their sum halved
    (1, 4.0, 5.0, 0.0, 9.0),    # one core: everything in turn
    (4, 4.0, 5.0, 6.0, 6.0),    # enough cores: the slowest process
])
def test_the_bound_shares_the_work_among_the_cores(monkeypatch, cores, reading, importing,
                                                   server, best):
    monkeypatch.setattr(bench.os, "cpu_count", lambda: cores)
    marks = _later(wall=8.0, cpu=importing, children=reading, server=server)
    ended = _later(wall=11.0, cpu=importing + 2.5, children=reading, server=server + 3)
    seconds, parts = bench._bound(START, marks, ended)
    assert seconds == pytest.approx(best + 3.0)  # the end of the load: 11 - 8 s of wall
    assert f"on {cores} cores" in parts
    assert ("database server" in parts) == bool(server)


def test_a_reaped_child_s_cpu_is_counted():
    before = bench._mark(True)
    subprocess.run([sys.executable, "-c", "sum(i * i for i in range(3_000_000))"],
                   check=True)
    after = bench._mark(True)
    assert after["children"] - before["children"] > 0.05
    assert after["wall"] > before["wall"]


def test_the_database_server_s_cpu_moves_with_its_work(db):
    """On PostgreSQL the server's processes are found and a heavy query counts; SQLite
    has no server process of its own: its work is this process's CPU."""
    before = bench._mark(True)
    if db.engine.dialect.name == "postgresql":
        db.session.execute(text("SELECT count(*) FROM generate_series(1, 3000000)")).one()
        assert bench._server_cpu() - before["server"] > 0.05
    else:
        db.session.execute(text(
            "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 300000)"
            " SELECT count(*) FROM n")).one()
        assert bench._mark(True)["cpu"] - before["cpu"] > 0.01
