"""Migrations: an empty database upgrades to head, matches the models exactly, and
downgrades back to nothing - on SQLite, and on PostgreSQL when DATABASE_URL is set."""

from __future__ import annotations

import logging
import secrets

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import downgrade, upgrade
from sqlalchemy import func, inspect, make_url, select

from app import config as app_config
from app import create_app
from app.extensions import db as _db
from app.models import User
from app.models.base import include_in_migrations

pytestmark = pytest.mark.slow  # each test seeds or migrates a whole database


@pytest.fixture()
def keep_logging():
    """Alembic's env.py runs logging.fileConfig, which disables the app's loggers; put
    them back so that later tests can still see what the app logs."""
    root = logging.getLogger()
    saved = (root.level, list(root.handlers))
    loggers = {name: (lg.disabled, lg.level) for name, lg in logging.root.manager.loggerDict.items()
               if isinstance(lg, logging.Logger)}
    yield
    root.setLevel(saved[0])
    root.handlers[:] = saved[1]
    for name, (disabled, level) in loggers.items():
        logger = logging.getLogger(name)
        logger.disabled, logger.level = disabled, level
    for name, logger in logging.root.manager.loggerDict.items():
        if isinstance(logger, logging.Logger) and name not in loggers:
            logger.disabled = False


def _postgres_database(base_url: str):
    """A throwaway database on the same server, created and dropped with autocommit."""
    import psycopg

    url = make_url(base_url)
    name = f"relais_migr_{secrets.token_hex(4)}"
    admin_dsn = url.set(drivername="postgresql").render_as_string(hide_password=False)
    with psycopg.connect(admin_dsn, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')

    def drop() -> None:
        with psycopg.connect(admin_dsn, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

    return url.set(database=name).render_as_string(hide_password=False), drop


@pytest.fixture()
def empty_app(database_url, tmp_path, keep_logging):
    if database_url.startswith("postgresql"):
        url, drop = _postgres_database(database_url)
    else:
        url, drop = f"sqlite:///{tmp_path / 'empty.sqlite3'}", lambda: None
    app = create_app(app_config.TestConfig(str(tmp_path / "instance"), url))
    try:
        with app.app_context():
            yield app
            _db.session.remove()
            _db.engine.dispose()
    finally:
        drop()


def _differences(connection) -> list:
    context = MigrationContext.configure(connection, opts={
        "compare_type": True,
        "include_object": include_in_migrations(connection.dialect.name),
    })
    return compare_metadata(context, _db.metadata)


def test_upgrade_from_empty_matches_the_models(empty_app):
    upgrade()
    with _db.engine.connect() as conn:
        differences = _differences(conn)
    assert differences == [], "models and migrations differ; add a migration:\n" + "\n".join(
        map(str, differences))
    tables = set(inspect(_db.engine).get_table_names())
    assert {"user", "brand", "influencer", "audit_event", "alembic_version"} <= tables


def test_migrations_create_no_default_account(empty_app):
    upgrade()
    assert _db.session.scalar(select(func.count()).select_from(User)) == 0


def test_downgrade_to_base_removes_everything(empty_app):
    upgrade()
    downgrade(revision="base")
    tables = set(inspect(_db.engine).get_table_names()) - {"alembic_version"}
    assert tables == set()
    upgrade()  # and up again: the downgrade left nothing behind
    with _db.engine.connect() as conn:
        assert _differences(conn) == []
