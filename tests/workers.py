"""The app behind a real gunicorn with two worker processes, on the test database: what
one process keeps (rate-limit counts, kept list pages) must hold whichever worker answers.
`gunicorn` is a fixture (its port); `request` sends one request on its own connection."""

from __future__ import annotations

import http.client
import os
import re
import secrets
import socket
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlencode

import pytest

ROOT = Path(__file__).resolve().parents[1]


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
                if request(port, "GET", "/health")[0] == 200:
                    break
            except OSError:
                time.sleep(0.2)
        else:
            pytest.fail("gunicorn did not start")
        yield port
    finally:
        server.terminate()
        server.wait(timeout=10)


def request(port: int, method: str, path: str, body: str | None = None,
            headers: dict | None = None) -> tuple[int, str, str]:
    """(status, Set-Cookie, page) of one request on its own connection."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    try:
        conn.request(method, path, body=body, headers=headers or {})
        response = conn.getresponse()
        return response.status, response.getheader("Set-Cookie", ""), response.read().decode()
    finally:
        conn.close()


def login_form(port: int) -> tuple[str, str]:
    """(session cookie, CSRF token) of a fresh visit to the login page."""
    _status, set_cookie, page = request(port, "GET", "/login")
    cookie = set_cookie.split(";")[0]
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
    return cookie, token


def post(port: int, path: str, cookie: str, fields: dict) -> tuple[int, str, str]:
    return request(port, "POST", path, urlencode(fields), {
        "Content-Type": "application/x-www-form-urlencoded", "Cookie": cookie})
