"""Load benchmark: the influencer list under concurrent use.

    python -m bench.load_list                                   # SQLite
    DATABASE_URL=postgresql+psycopg://… python -m bench.load_list   # PostgreSQL

Seeds 100 000 influencers (as bench.list_page does), starts gunicorn with 2 workers on a
loopback port in production mode, logs in once, then 20 client threads request filtered
and sorted list pages for 30 seconds. Prints requests, errors, throughput and latency
percentiles against the bar: no error, p95 ≤ 200 ms. Traffic stays on 127.0.0.1 and the
loop is bounded in time.
"""

from __future__ import annotations

import argparse
import http.client
import os
import re
import secrets
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from urllib.parse import urlencode

from bench.list_page import (
    BENCH_EMAIL,
    PASSWORD,
    SCENARIOS,
    make_app,
    make_database,
    seed_influencers,
)

P95_BAR_MS = 200.0
ROOT = Path(__file__).resolve().parent.parent


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _start_gunicorn(port: int, database_url: str, workdir: Path, workers: int):
    env = {**os.environ, "DATABASE_URL": database_url, "RELAIS_ENV": "production",
           "SECRET_KEY": secrets.token_hex(32), "RELAIS_INSTANCE_PATH": str(workdir),
           "RELAIS_SECURE_COOKIES": "0", "RELAIS_PASSWORD_HASH": "pbkdf2:sha256:1000"}
    process = subprocess.Popen(  # noqa: S603 - fixed argv
        [sys.executable, "-m", "gunicorn", "-w", str(workers), "-b", f"127.0.0.1:{port}",
         "--log-level", "warning", "wsgi:app"],
        cwd=ROOT, env=env,
    )
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            conn.request("GET", "/health")
            if conn.getresponse().status == 200:
                return process
        except OSError:
            time.sleep(0.2)
    process.terminate()
    raise SystemExit("gunicorn did not start")


def _login(port: int) -> str:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    conn.request("GET", "/login")
    response = conn.getresponse()
    page = response.read().decode()
    cookie = response.getheader("Set-Cookie", "").split(";")[0]
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
    body = urlencode({"csrf_token": token, "email": BENCH_EMAIL, "password": PASSWORD})
    conn.request("POST", "/login", body=body, headers={
        "Content-Type": "application/x-www-form-urlencoded", "Cookie": cookie})
    response = conn.getresponse()
    response.read()
    if response.status != 302:
        raise SystemExit(f"bench login failed ({response.status})")
    return response.getheader("Set-Cookie").split(";")[0]


def _client(port: int, cookie: str, until: float, latencies: list, errors: list, n: int):
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    i = n
    while time.monotonic() < until:
        query = SCENARIOS[i % len(SCENARIOS)][1]
        i += 1
        started = time.perf_counter()
        try:
            conn.request("GET", f"/influencers/?{query}", headers={"Cookie": cookie})
            response = conn.getresponse()
            response.read()
            if response.status != 200:
                errors.append(response.status)
        except (OSError, http.client.HTTPException) as error:
            errors.append(repr(error))
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
            continue
        latencies.append((time.perf_counter() - started) * 1000)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--influencers", type=int, default=100_000)
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--seconds", type=float, default=30)
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="relais-load-") as tmp:
        workdir = Path(tmp)
        database_url = make_database(os.environ.get("DATABASE_URL"), workdir)
        engine = database_url.split(":", 1)[0].split("+")[0]
        print(f"Relais list-page load test on {engine}: {args.influencers:,} influencers, "
              f"gunicorn {args.workers} workers, {args.clients} clients, {args.seconds:.0f} s")
        seed_influencers(make_app(database_url, workdir), args.influencers)
        port = _free_port()
        server = _start_gunicorn(port, database_url, workdir, args.workers)
        try:
            cookie = _login(port)
            latencies: list[float] = []
            errors: list = []
            until = time.monotonic() + args.seconds
            threads = [threading.Thread(target=_client,
                                        args=(port, cookie, until, latencies, errors, n))
                       for n in range(args.clients)]
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join()
        finally:
            server.terminate()
            server.wait(timeout=10)
    latencies.sort()
    p = statistics.quantiles(latencies, n=100) if len(latencies) > 1 else [0.0] * 99
    print(f"requests {len(latencies):,}, errors {len(errors)}, "
          f"{len(latencies) / args.seconds:.1f} req/s")
    print(f"latency median {p[49]:.1f} ms, p95 {p[94]:.1f} ms ({p[94] / P95_BAR_MS:.2f}× of "
          f"the {P95_BAR_MS:.0f} ms bar), p99 {p[98]:.1f} ms, max {latencies[-1]:.1f} ms")
    ok = not errors and p[94] <= P95_BAR_MS
    print(f"{engine}: {'within the bar' if ok else 'OVER THE BAR'}"
          + (f" — errors: {sorted(set(map(str, errors)))[:5]}" if errors else ""))
    return 0


if __name__ == "__main__":
    sys.exit(main())
