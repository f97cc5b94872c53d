"""`flask backup FILE`: a consistent copy that can be restored."""

from __future__ import annotations

import shutil
import sqlite3

import pytest

from app import config as app_config
from app import create_app
from app.extensions import db as _db
from app.models import Brand, User
from tests.factories import make_brand, make_user


@pytest.fixture()
def sqlite_only(db):
    if db.engine.dialect.name != "sqlite":
        pytest.skip("the SQLite backup API; PostgreSQL uses pg_dump (tested below)")


def test_backup_writes_a_readable_sqlite_copy(runner, sqlite_only, tmp_path):
    user = make_user("admin", email="chloe@agence.fr")
    target = tmp_path / "relais-backup.sqlite3"
    result = runner.invoke(args=["backup", str(target)])
    assert result.exit_code == 0, result.output
    with sqlite3.connect(target) as conn:
        rows = conn.execute('SELECT email, role FROM "user"').fetchall()
    assert rows == [(user.email, "admin")]


def test_restored_backup_opens_in_a_new_app(runner, sqlite_only, tmp_path):
    make_user("admin", email="chloe@agence.fr")
    make_brand(name="Musée des Confluences")
    backup = tmp_path / "backup.sqlite3"
    assert runner.invoke(args=["backup", str(backup)]).exit_code == 0
    restored = tmp_path / "restored.sqlite3"
    shutil.copy(backup, restored)
    other = create_app(app_config.TestConfig(str(tmp_path / "instance"), f"sqlite:///{restored}"))
    with other.app_context():
        try:
            assert _db.session.query(User.email).all() == [("chloe@agence.fr",)]
            assert _db.session.query(Brand.name).all() == [("Musée des Confluences",)]
        finally:
            _db.session.remove()
            _db.engine.dispose()


def test_backup_never_overwrites(runner, db, tmp_path):
    target = tmp_path / "exists.sqlite3"
    target.write_bytes(b"precious")
    result = runner.invoke(args=["backup", str(target)])
    assert result.exit_code != 0
    assert "already exists" in result.output
    assert target.read_bytes() == b"precious"


def test_backup_into_a_missing_folder_fails_cleanly(runner, db, tmp_path):
    result = runner.invoke(args=["backup", str(tmp_path / "nowhere" / "b.sqlite3")])
    assert result.exit_code != 0
    assert "Traceback" not in result.output


def test_postgresql_backup_with_pg_dump(runner, db, tmp_path):
    if db.engine.dialect.name != "postgresql" or not shutil.which("pg_dump"):
        pytest.skip("PostgreSQL with pg_dump only")
    make_user("admin", email="chloe@agence.fr")
    target = tmp_path / "relais.dump"
    result = runner.invoke(args=["backup", str(target)])
    assert result.exit_code == 0, result.output
    assert target.read_bytes().startswith(b"PGDMP")
