"""`flask backup FILE`: a consistent copy that can be restored."""

from __future__ import annotations

import shutil
import subprocess
import uuid

import psycopg
import pytest

from app import config as app_config
from app import create_app
from app.extensions import db as _db
from app.models import Brand, User
from tests.factories import make_brand, make_user


def _restore(backup, tmp_path) -> str:
    """Restores a backup into a brand-new database and returns its URL."""
    if _db.engine.dialect.name == "sqlite":
        restored = tmp_path / "restored.sqlite3"
        shutil.copy(backup, restored)
        return f"sqlite:///{restored}"
    url = _db.engine.url
    name = f"relais_restore_{uuid.uuid4().hex[:8]}"
    admin = url.set(drivername="postgresql", database="postgres").render_as_string(False)
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    target = url.set(database=name)
    subprocess.run(  # noqa: S603, S607 - fixed argv
        [shutil.which("pg_restore") or "pg_restore", "--no-owner",
         f"--dbname={target.set(drivername='postgresql').render_as_string(False)}", str(backup)],
        check=True, capture_output=True,
    )
    _created_databases.append((admin, name))
    return target.render_as_string(False)


_created_databases: list[tuple[str, str]] = []


@pytest.fixture()
def restored_databases():
    yield
    while _created_databases:
        admin, name = _created_databases.pop()
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def test_database_only_backup_restores_into_a_new_app(runner, db, tmp_path, restored_databases):
    make_user("admin", email="chloe@agence.fr")
    make_brand(name="Musée des Confluences")
    backup = tmp_path / "relais.backup"
    result = runner.invoke(args=["backup", "--database-only", str(backup)])
    assert result.exit_code == 0, result.output
    restored_url = _restore(backup, tmp_path)
    other = create_app(app_config.TestConfig(str(tmp_path / "instance"), restored_url))
    with other.app_context():
        try:
            assert _db.session.query(User.email, User.role).all() == [("chloe@agence.fr", "admin")]
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
