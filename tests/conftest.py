"""Fixtures shared by every test: a real database (SQLite, or PostgreSQL when
DATABASE_URL is set), the app, clients logged in per role or as a given user, the CLI
runner, and the counting of the SQL statements a block or a page sends."""

from __future__ import annotations

import contextlib
import contextvars
import os
from collections.abc import Callable, Iterator

import pytest
from flask.testing import FlaskClient
from sqlalchemy import event, text

os.environ.setdefault("RELAIS_JOBS_IMMEDIATE", "1")  # background jobs run inline in tests
from app import create_app  # noqa: E402 - after the jobs setting above
from app.config import TestConfig
from app.extensions import db as _db
from app.extensions import limiter
from app.influencers import list_cache, list_filters
from app.models import DataVersion
from tests import factories, smtp_sink

pytest_plugins = ["tests.workers"]  # the `gunicorn` fixture


def _database_url(tmp_path_factory) -> str:
    url = os.environ.get("DATABASE_URL")
    if url:
        if url.startswith("postgresql://"):
            url = "postgresql+psycopg://" + url[len("postgresql://"):]
        worker = os.environ.get("PYTEST_XDIST_WORKER")
        return _worker_database(url, worker) if worker else url
    return f"sqlite:///{tmp_path_factory.mktemp('db') / 'relais-test.sqlite3'}"


def _worker_database(url: str, worker: str) -> str:
    """Under pytest-xdist each worker empties its database after every test: on PostgreSQL
    each gets its own, `<database>_<worker>` on the same server, made afresh."""
    import psycopg
    from sqlalchemy.engine import make_url

    parsed = make_url(url)
    name = f"{parsed.database}_{worker}"
    admin_dsn = parsed.set(drivername="postgresql").render_as_string(hide_password=False)
    with psycopg.connect(admin_dsn, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')
    return parsed.set(database=name).render_as_string(hide_password=False)


def _drop_database(url: str) -> None:
    import psycopg
    from sqlalchemy.engine import make_url

    parsed = make_url(url)
    admin_dsn = parsed.set(drivername="postgresql", database="postgres").render_as_string(
        hide_password=False)
    with psycopg.connect(admin_dsn, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{parsed.database}" WITH (FORCE)')


@pytest.fixture(scope="session")
def database_url(tmp_path_factory) -> Iterator[str]:
    url = _database_url(tmp_path_factory)
    yield url
    if url.startswith("postgresql") and os.environ.get("PYTEST_XDIST_WORKER"):
        _drop_database(url)  # the app fixture (and its engine) has ended before this


class IsolatedClient(FlaskClient):
    """Each request runs in a fresh context, as in production.

    The `db` fixture keeps an application context pushed for the whole test, and Flask
    reuses a pushed context for test-client requests: `g` (where Flask-Login caches the
    user and Flask-Babel the locale) would be shared by every request and client of a
    test, so a second client would act as the first one's user."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Anonymous pages follow the browser's language (French by default); tests read
        # English unless they ask for French.
        self.environ_base.setdefault("HTTP_ACCEPT_LANGUAGE", "en")

    def open(self, *args, **kwargs):
        return contextvars.Context().run(super().open, *args, **kwargs)


@pytest.fixture(scope="session")
def app(database_url, tmp_path_factory):
    instance = tmp_path_factory.mktemp("instance")
    app = create_app(TestConfig(str(instance), database_url))
    app.test_client_class = IsolatedClient
    app.config["WTF_CSRF_ENABLED"] = False  # tests that check CSRF turn it back on
    with app.app_context():
        _db.drop_all()
        _wipe_alembic(_db)
        _db.create_all()
    yield app
    with app.app_context():
        _db.session.remove()
        _db.engine.dispose()


def _wipe_alembic(db) -> None:
    with db.engine.begin() as conn:
        conn.execute(text("DROP TABLE IF EXISTS alembic_version"))


@pytest.fixture()
def db(app):
    """The database, emptied after each test."""
    ctx = app.app_context()
    ctx.push()
    yield _db
    _db.session.rollback()
    _db.session.remove()
    # The data version's row stays: emptying the rest writes it a new token.
    tables = [t.name for t in reversed(_db.metadata.sorted_tables)
              if t.name != DataVersion.__tablename__]
    with _db.engine.begin() as conn:
        if _db.engine.dialect.name == "postgresql":
            conn.execute(text("TRUNCATE " + ", ".join(f'"{t}"' for t in tables)
                              + " RESTART IDENTITY CASCADE"))
        else:
            for table in tables:
                conn.execute(text(f'DELETE FROM "{table}"'))  # noqa: S608 - our own table names
    limiter.reset()
    list_filters.KEPT_CHOICES.clear()  # derived from the data just emptied
    ctx.pop()


@pytest.fixture()
def client(app, db):
    return app.test_client()


@pytest.fixture()
def runner(app, db):
    return app.test_cli_runner()


class AuthActions:
    def __init__(self, client):
        self._client = client

    def login(self, user, password: str = factories.PASSWORD):
        return self._client.post("/login", data={"email": user.email, "password": password})

    def logout(self):
        return self._client.post("/logout")


@pytest.fixture()
def auth(client):
    return AuthActions(client)


def _logged_in(app, user):
    client = app.test_client()
    response = AuthActions(client).login(user)
    assert response.status_code == 302, response.data
    client.user = user
    return client


def _client_as(app, role: str):
    return _logged_in(app, factories.make_user(role))


@pytest.fixture()
def client_as(app, db):
    """A new client logged in as the given user (a second person, or one with another
    language): `client_as(make_user("member", locale="fr"))`."""
    return lambda user: _logged_in(app, user)


@pytest.fixture()
def viewer_client(app, db):
    return _client_as(app, "viewer")


@pytest.fixture()
def member_client(app, db):
    return _client_as(app, "member")


@pytest.fixture()
def manager_client(app, db):
    return _client_as(app, "manager")


@pytest.fixture()
def admin_client(app, db):
    return _client_as(app, "admin")


# --- counting the SQL statements: the number of queries stays flat while the data grows ---

class Statements(list[str]):
    """The statements sent, in order, white space folded."""

    def starting(self, prefix: str) -> list[str]:
        return [s for s in self if s.upper().startswith(prefix.upper())]


@pytest.fixture()
def statements(db):
    """Records the statements sent while a block runs: `with statements() as seen:`."""

    @contextlib.contextmanager
    def recording() -> Iterator[Statements]:
        seen = Statements()

        def record(conn, cursor, statement, *args) -> None:
            seen.append(" ".join(statement.split()))

        engine = db.engine
        event.listen(engine, "before_cursor_execute", record)
        try:
            yield seen
        finally:
            event.remove(engine, "before_cursor_execute", record)

    return recording


@pytest.fixture()
def count_statements(statements):
    """The number of statements a call sends: `count_statements(lambda: export())`."""

    def count(function: Callable[[], object]) -> int:
        with statements() as seen:
            function()
        return len(seen)

    return count


@pytest.fixture()
def count_page_statements(count_statements):
    """The statements that one successful GET of `url` sends, its body read to the end (a
    streamed response runs its queries while it is read): `count_page_statements(client,
    url)`."""

    def count(client, url: str) -> int:
        # Counted cold: the community choices a process keeps per scoring run
        # (list_filters.KEPT_CHOICES) are read again, as on the first page after a rescore,
        # and the list's kept pages (list_cache) computed again, as after a write.
        list_filters.KEPT_CHOICES.clear()
        client.application.extensions.pop(list_cache.EXTENSION, None)

        def fetch() -> None:
            response = client.get(url)
            assert response.status_code == 200
            response.get_data()

        return count_statements(fetch)

    return count


@pytest.fixture()
def smtp(app):
    """A local SMTP sink the app sends to for one test; `.messages` is what it received."""
    yield from smtp_sink.serve(app)
