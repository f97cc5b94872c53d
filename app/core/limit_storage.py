"""A `limits` storage in the application's database (`relaisdb://`), used by Flask-Limiter
when `REDIS_URL` is unset: every gunicorn worker and process counts in the same table, so
the failed-login limits hold whatever the number of workers (fixed windows, one row a key).

Each call runs in its own short transaction on the engine, apart from the request's session,
so a view that rolls back does not forget a hit and a hit never commits a view's work."""

from __future__ import annotations

import hashlib
import random
import time

from limits.storage import Storage
from sqlalchemy import delete, insert, select, update
from sqlalchemy.exc import DBAPIError, IntegrityError

from app.extensions import db
from app.models.limits import LimitHit

PRUNE_CHANCE = 0.02  # one call in fifty deletes the windows that ended
TABLE = LimitHit.__table__


def _hashed(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


class DatabaseStorage(Storage):
    STORAGE_SCHEME = ["relaisdb"]

    def __init__(self, uri: str | None = None, wrap_exceptions: bool = False, **options):
        super().__init__(uri, wrap_exceptions=wrap_exceptions, **options)

    @property
    def base_exceptions(self):
        return DBAPIError

    def incr(self, key: str, expiry: int, amount: int = 1) -> int:
        hashed, now = _hashed(key), time.time()
        for _attempt in range(5):
            try:
                return self._incr(hashed, now, expiry, amount)
            except IntegrityError:
                continue  # another worker created the row first: count in it
        raise RuntimeError("rate-limit counter kept conflicting")

    @staticmethod
    def _incr(hashed: str, now: float, expiry: int, amount: int) -> int:
        column = TABLE.c
        with db.engine.begin() as conn:
            if random.random() < PRUNE_CHANCE:  # noqa: S311 - not for security
                conn.execute(delete(TABLE).where(column.expires_at <= now))
            counted = conn.execute(
                update(TABLE).where(column.key == hashed, column.expires_at > now)
                .values(count=column.count + amount)).rowcount
            if not counted:
                restarted = conn.execute(
                    update(TABLE).where(column.key == hashed, column.expires_at <= now)
                    .values(count=amount, expires_at=now + expiry)).rowcount
                if not restarted:
                    conn.execute(insert(TABLE).values(key=hashed, count=amount,
                                                      expires_at=now + expiry))
            return conn.execute(select(column.count).where(column.key == hashed)).scalar_one()

    @staticmethod
    def _live(key: str):
        column = TABLE.c
        with db.engine.connect() as conn:
            return conn.execute(
                select(column.count, column.expires_at)
                .where(column.key == _hashed(key), column.expires_at > time.time())).first()

    def get(self, key: str) -> int:
        row = self._live(key)
        return row.count if row else 0

    def get_expiry(self, key: str) -> float:
        row = self._live(key)
        return row.expires_at if row else time.time()

    def check(self) -> bool:
        try:
            with db.engine.connect() as conn:
                conn.execute(select(1))
        except DBAPIError:
            return False
        return True

    def reset(self) -> int | None:
        with db.engine.begin() as conn:
            return conn.execute(delete(TABLE)).rowcount

    def clear(self, key: str) -> None:
        with db.engine.begin() as conn:
            conn.execute(delete(TABLE).where(TABLE.c.key == _hashed(key)))
