"""Requests that run in a fresh context, as they do in production.

The `db` fixture keeps an application context pushed for the whole test, and Flask 3
reuses a pushed application context for the requests of the test client: `g` - where
Flask-Login caches the logged-in user and Flask-Babel the locale - would then be shared by
every request and every client of the test. A second client would act as the first one's
user, and a revoked session would still look logged in. Importing `isolated_requests`
into a test module gives each request its own context (and database session).

Suggested for tests/conftest.py so that every client gets it.
"""

from __future__ import annotations

import contextvars

import pytest
from flask.testing import FlaskClient


class IsolatedClient(FlaskClient):
    def open(self, *args, **kwargs):
        # An empty contextvars.Context holds no application context: the request pushes
        # its own, with a fresh `g` and session, and pops it at the end.
        return contextvars.Context().run(super().open, *args, **kwargs)


@pytest.fixture(autouse=True)
def isolated_requests(app, monkeypatch):
    monkeypatch.setattr(app, "test_client_class", IsolatedClient)
