"""`flask backup` on PostgreSQL: the password reaches pg_dump through PGPASSWORD, never on
its command line (which `ps` shows to every user of the machine)."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
from sqlalchemy.engine import make_url

from app.core import backup

SECRET = "s3cr3t-p@ss:word/é"
# A server URL whose password must reach pg_dump and pg_restore through their environment.
SERVER = make_url("postgresql+psycopg://relais:placeholder@db.internal:5433/relais").set(
    password=SECRET)


def test_the_password_is_in_the_environment_not_the_argv(tmp_path):
    argv, env = backup.pg_dump_command("/usr/bin/pg_dump", SERVER, tmp_path / "b.dump")
    assert not any(SECRET in arg or "s3cr3t" in arg for arg in argv)
    assert env["PGPASSWORD"] == SECRET
    dsn = make_url(argv[-1])
    assert (dsn.drivername, dsn.username, dsn.host, dsn.port, dsn.database, dsn.password) == (
        "postgresql", "relais", "db.internal", 5433, "relais", None)
    assert f"--file={tmp_path / 'b.dump'}" in argv


def test_no_password_no_pgpassword(tmp_path, monkeypatch):
    monkeypatch.delenv("PGPASSWORD", raising=False)
    url = make_url("postgresql+psycopg://postgres@127.0.0.1:5432/relais")
    argv, env = backup.pg_dump_command("pg_dump", url, tmp_path / "b.dump")
    assert "PGPASSWORD" not in env and argv[-1] == "postgresql://postgres@127.0.0.1:5432/relais"


def test_backup_runs_pg_dump_with_the_password_in_its_environment(runner, db, tmp_path,
                                                                   monkeypatch):
    if db.engine.dialect.name != "postgresql":
        pytest.skip("pg_dump is PostgreSQL's")
    seen = {}

    def fake_run(argv, **kwargs):
        seen.update(argv=argv, env=kwargs.get("env"))
        Path(tmp_path / "b.dump").write_bytes(b"dump")
        return subprocess.CompletedProcess(argv, 0, "", "")

    monkeypatch.setattr(backup.subprocess, "run", fake_run)
    monkeypatch.setattr(db.engine, "url", db.engine.url.set(password=SECRET))
    result = runner.invoke(args=["backup", "--database-only", str(tmp_path / "b.dump")])
    assert result.exit_code == 0, result.output
    assert not any("s3cr3t" in arg for arg in seen["argv"])
    assert seen["env"]["PGPASSWORD"] == SECRET


def test_pg_restore_gets_the_password_through_its_environment(tmp_path):
    argv, env = backup.pg_restore_command("/usr/bin/pg_restore", SERVER, tmp_path / "d.dump")
    assert not any(SECRET in arg or "s3cr3t" in arg for arg in argv)
    assert env["PGPASSWORD"] == SECRET
    dsn = make_url(next(arg for arg in argv if arg.startswith("--dbname="))[len("--dbname="):])
    assert (dsn.host, dsn.port, dsn.database, dsn.password) == ("db.internal", 5433, "relais",
                                                                None)
    assert argv[-1] == str(tmp_path / "d.dump")
