"""The test app served by a real threaded HTTP server (`served`, also the browser tests'
server), and the race tests' tools: one logged-in browser-like session per person (its own
cookies), and N requests fired at the same moment through a threading.Barrier. No mocks:
the races are between real threads, each with its own database connection (a file SQLite,
or PostgreSQL)."""

from __future__ import annotations

import contextlib
import http.cookiejar
import threading
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable, Iterator

from werkzeug.serving import make_server

from tests import factories


@contextlib.contextmanager
def served(app) -> Iterator[str]:
    """The app on a free loopback port, one thread per request."""
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        thread.join(timeout=5)


class _Stay(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None  # a redirect is an answer to look at, not to follow


class Session:
    """One person's browser: cookies kept, redirects not followed, every answer returned
    as (status, body, Location)."""

    def __init__(self, base: str):
        self.base = base
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()), _Stay())

    def request(self, path: str, data: dict | None = None) -> tuple[int, str, str]:
        body = urllib.parse.urlencode(data).encode() if data is not None else None
        request = urllib.request.Request(  # noqa: S310 - our own loopback server
            self.base + path, data=body, headers={"Accept-Language": "en"})
        try:
            with self.opener.open(request, timeout=30) as response:
                return (response.status, response.read().decode(errors="replace"),
                        response.headers.get("Location", ""))
        except urllib.error.HTTPError as error:
            return (error.code, error.read().decode(errors="replace"),
                    error.headers.get("Location", ""))

    def page(self, path: str) -> str:
        """A page, after the redirect of a POST: where the flashed message shows."""
        return self.request(path)[1]


def logged_in(base: str, user, password: str = factories.PASSWORD) -> Session:
    session = Session(base)
    status, body, _ = session.request("/login", {"email": user.email, "password": password})
    assert status == 302, body[:500]
    return session


def together(calls: list[Callable[[], object]]) -> list[object]:
    """Runs every call in its own thread, released at the same moment; their results in
    order (an exception raised by a call is its result)."""
    barrier = threading.Barrier(len(calls))
    results: list[object] = [None] * len(calls)

    def run(i: int) -> None:
        barrier.wait()
        try:
            results[i] = calls[i]()
        except Exception as error:  # noqa: BLE001 - reported to the test as a result
            results[i] = error

    threads = [threading.Thread(target=run, args=(i,)) for i in range(len(calls))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return results
