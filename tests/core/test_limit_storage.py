"""The database storage of rate limits (`relaisdb://`): counts in fixed windows shared by
every connection, restarts a window that ended, and keeps no limit key in clear."""

from __future__ import annotations

import time

from limits import parse
from limits.storage import storage_from_string
from limits.strategies import FixedWindowRateLimiter
from sqlalchemy import select, update

from app.core.limit_storage import DatabaseStorage
from app.models.limits import LimitHit


def test_the_scheme_is_registered(db):
    assert isinstance(storage_from_string("relaisdb://"), DatabaseStorage)


def test_counts_in_one_window_and_per_key(db):
    storage = DatabaseStorage()
    assert [storage.incr("login-account:a@b.fr", 300) for _ in range(3)] == [1, 2, 3]
    assert storage.get("login-account:a@b.fr") == 3
    assert storage.get("login-account:c@d.fr") == 0
    assert time.time() < storage.get_expiry("login-account:a@b.fr") <= time.time() + 300
    stored = db.session.scalars(select(LimitHit.key)).all()
    assert stored and all("@" not in key for key in stored)  # hashed, no address in clear


def test_a_window_that_ended_starts_again(db):
    storage = DatabaseStorage()
    storage.incr("k", 300, amount=4)
    with db.engine.begin() as conn:
        conn.execute(update(LimitHit.__table__).values(expires_at=time.time() - 1))
    assert storage.get("k") == 0
    assert storage.incr("k", 300) == 1


def test_clear_reset_and_check(db):
    storage = DatabaseStorage()
    storage.incr("a", 60)
    storage.incr("b", 60)
    storage.clear("a")
    assert storage.get("a") == 0 and storage.get("b") == 1
    assert storage.check()
    assert storage.reset() == 1
    assert storage.get("b") == 0


def test_two_storages_share_the_counts_as_workers_do(db):
    limit = parse("5 per 5 minutes")
    first, second = FixedWindowRateLimiter(DatabaseStorage()), FixedWindowRateLimiter(
        DatabaseStorage())
    allowed = [(first if n % 2 else second).hit(limit, "login-account", "x@y.fr")
               for n in range(8)]
    assert allowed == [True] * 5 + [False] * 3
