"""Failed-login limits hold behind a real gunicorn with two workers: without `REDIS_URL`
the workers count in the database, so `-w 2` no longer doubles the five tries an account
has (whichever worker answers)."""

from __future__ import annotations

import http.client
import os
import re
import secrets
import socket
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from urllib.parse import urlencode

import pytest

from tests.factories import PASSWORD, make_user

ROOT = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.slow


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture()
def gunicorn(database_url, tmp_path):
    port = _free_port()
    env = {**os.environ, "DATABASE_URL": database_url, "RELAIS_ENV": "production",
           "SECRET_KEY": secrets.token_hex(32), "RELAIS_INSTANCE_PATH": str(tmp_path),
           "RELAIS_SECURE_COOKIES": "0", "RELAIS_PASSWORD_HASH": "pbkdf2:sha256:1000"}
    env.pop("REDIS_URL", None)
    server = subprocess.Popen(  # noqa: S603 - fixed argv
        [sys.executable, "-m", "gunicorn", "-w", "2", "-b", f"127.0.0.1:{port}",
         "--log-level", "warning", "wsgi:app"], cwd=ROOT, env=env)
    try:
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            try:
                if _request(port, "GET", "/health")[0] == 200:
                    break
            except OSError:
                time.sleep(0.2)
        else:
            pytest.fail("gunicorn did not start")
        yield port
    finally:
        server.terminate()
        server.wait(timeout=10)


def _request(port: int, method: str, path: str, body: str | None = None,
             headers: dict | None = None) -> tuple[int, str, str]:
    """(status, Set-Cookie, page) of one request on its own connection."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    try:
        conn.request(method, path, body=body, headers=headers or {})
        response = conn.getresponse()
        return response.status, response.getheader("Set-Cookie", ""), response.read().decode()
    finally:
        conn.close()


def _form(port: int) -> tuple[str, str]:
    _status, set_cookie, page = _request(port, "GET", "/login")
    cookie = set_cookie.split(";")[0]
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
    return cookie, token


def _attempt(port: int, cookie: str, token: str, email: str, password: str) -> int:
    body = urlencode({"csrf_token": token, "email": email, "password": password})
    return _request(port, "POST", "/login", body, {
        "Content-Type": "application/x-www-form-urlencoded", "Cookie": cookie})[0]


def test_two_workers_share_the_failed_login_limit(db, gunicorn):
    email = make_user("member").email
    forms = [_form(gunicorn) for _ in range(2)]
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
