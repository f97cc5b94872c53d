"""Failed-login limits hold behind a real gunicorn with two workers: without `REDIS_URL`
the workers count in the database, so `-w 2` no longer doubles the five tries an account
has (whichever worker answers)."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import pytest

from tests.factories import PASSWORD, make_user
from tests.workers import login_form, post

pytestmark = pytest.mark.slow


def _attempt(port: int, cookie: str, token: str, email: str, password: str) -> int:
    return post(port, "/login", cookie, {"csrf_token": token, "email": email,
                                         "password": password})[0]


def test_two_workers_share_the_failed_login_limit(db, gunicorn):
    email = make_user("member").email
    forms = [login_form(gunicorn) for _ in range(2)]
    codes: list[int] = []
    # Pairs sent at the same moment: a busy sync worker cannot take the second request,
    # so both workers answer. Flask-Limiter checks before the view and counts after it,
    # so the pair that crosses the limit may both be answered (one per worker): 6 at most.
    with ThreadPoolExecutor(2) as pool:
        for _ in range(4):
            codes += pool.map(lambda form: _attempt(gunicorn, *form, email, "wrong pass"),
                              forms)
    assert codes.count(401) <= 6 and codes.count(429) >= 2, codes
    assert set(codes) <= {401, 429}
    # Even the right password now waits, on either worker.
    assert {_attempt(gunicorn, *form, email, PASSWORD) for form in forms} \
        == {429}
