"""Load benchmark: the influencer list under concurrent use, beside the framework's ceiling.

    python -m bench.load_list                                   # SQLite
    DATABASE_URL=postgresql+psycopg://… python -m bench.load_list   # PostgreSQL

Seeds 100 000 influencers and a scoring run (as bench.list_page does), then, with the same
gunicorn settings (2 sync workers, production mode, loopback) and the same `wrk` client
(Debian's package: 2 threads, 20 connections without think time):

1. the reference, bench/reference_app.py: a minimal Flask app rendering a Jinja page of the
   same byte size as Relais's list pages, with no database;
2. Relais's list pages (bench.list_page.SCENARIOS in turn, logged in as a member), as
   deployed: each worker keeps the pages it computed until the next write
   (app/influencers/list_cache.py), so after the warm-up every page is a kept one;
3. the same pages with nothing kept (RELAIS_LIST_CACHE_SIZE=0): every page computed, as
   on the first request after any write;
4. Relais as deployed while another process commits a write every second (`--writes`):
   a team at work, each write making every worker compute its pages again;

and prints the four, each one's ratio and the bar: Relais ≥ 0.33× the reference's
throughput, p95 ≤ 200 ms, no error (a status other than 200, e.g. a redirect to the login
page, is an error). Exits 0 even over the bar: the figures decide.
"""

from __future__ import annotations

import argparse
import contextlib
import http.client
import json
import os
import re
import secrets
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlencode

from sqlalchemy import select

from bench.list_page import (
    BENCH_EMAIL,
    PASSWORD,
    SCENARIOS,
    close,
    make_app,
    make_database,
    seed_influencers,
    seed_scores,
)

P95_BAR_MS = 200.0
RATIO_BAR = 0.33
ROOT = Path(__file__).resolve().parent.parent
# wrk's Lua: the paths in turn (each thread from its own offset), the session cookie, every
# status other than 200 counted, and the figures written as one JSON line.
WRK_SCRIPT = """
local paths = {%(paths)s}
local threads = {}
local counter = 0
function setup(thread)
  counter = counter + 1
  thread:set("offset", counter * 7)
  table.insert(threads, thread)
end
function init(args)
  bad = 0
  n = offset
end
function request()
  n = n + 1
  return wrk.format("GET", paths[(n %% #paths) + 1], {["Cookie"] = %(cookie)s})
end
function response(status, headers, body)
  if status ~= 200 then bad = bad + 1 end
end
function done(summary, latency, requests)
  local not_ok = 0
  for _, thread in ipairs(threads) do not_ok = not_ok + thread:get("bad") end
  local e = summary.errors
  io.write(string.format(
    'RESULT {"requests": %%d, "seconds": %%f, "not_200": %%d, "socket_errors": %%d, '
    .. '"p50": %%f, "p90": %%f, "p95": %%f, "p99": %%f, "max": %%f}\\n',
    summary.requests, summary.duration / 1e6, not_ok,
    e.connect + e.read + e.write + e.timeout, latency:percentile(50) / 1e3,
    latency:percentile(90) / 1e3, latency:percentile(95) / 1e3,
    latency:percentile(99) / 1e3, latency.max / 1e3))
end
"""


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _gunicorn(port: int, target: str, env: dict[str, str], workers: int):
    """gunicorn serving `target` on `port`, once /health answers."""
    process = subprocess.Popen(  # noqa: S603 - fixed argv
        [sys.executable, "-m", "gunicorn", "-w", str(workers), "-b", f"127.0.0.1:{port}",
         "--log-level", "warning", target],
        cwd=ROOT, env={**os.environ, **env},
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
    raise SystemExit(f"gunicorn did not start {target}")


def _get(port: int, path: str, cookie: str = "") -> tuple[int, bytes]:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    conn.request("GET", path, headers={"Cookie": cookie} if cookie else {})
    response = conn.getresponse()
    return response.status, response.read()


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


def wrk(port: int, paths: list[str], cookie: str, seconds: float, connections: int,
        workdir: Path) -> dict:
    """One wrk run over `paths`: its RESULT line as a dict."""
    script = workdir / "paths.lua"
    script.write_text(WRK_SCRIPT % {"paths": ", ".join(json.dumps(p) for p in paths),
                                    "cookie": json.dumps(cookie)})
    done = subprocess.run(  # noqa: S603 - fixed argv
        [shutil.which("wrk") or "wrk", "-t2", f"-c{connections}", f"-d{seconds:.0f}s",
         "--timeout", "10s", "-s", str(script), f"http://127.0.0.1:{port}"],
        capture_output=True, text=True, check=True)
    line = next(line for line in done.stdout.splitlines() if line.startswith("RESULT "))
    result = json.loads(line[len("RESULT "):])
    result["rate"] = result["requests"] / result["seconds"]
    return result


def _served(target: str, env: dict[str, str], args, run) -> dict:
    port = _free_port()
    server = _gunicorn(port, target, env, args.workers)
    try:
        return run(port)
    finally:
        server.terminate()
        server.wait(timeout=10)


@contextlib.contextmanager
def _writing(database_url: str, workdir: Path, per_second: float) -> Iterator[list[int]]:
    """A thread committing one change every 1/per_second s through the app (an
    influencer's notes, in turn over 50 people): each write gives the data a new token,
    and every worker computes its pages again. Yields [writes made]."""
    made = [0]
    if per_second <= 0:
        yield made
        return
    app = make_app(database_url, workdir)
    stop = threading.Event()

    def run() -> None:
        from app.extensions import db
        from app.models import Influencer

        with app.app_context():
            ids = db.session.scalars(select(Influencer.id).order_by(Influencer.id)
                                     .limit(50)).all()
            while not stop.wait(1 / per_second):
                person = db.session.get(Influencer, ids[made[0] % len(ids)])
                person.notes = f"load bench write {made[0]}"
                db.session.commit()
                made[0] += 1

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    try:
        yield made
    finally:
        stop.set()
        thread.join(timeout=30)
        close(app)


def _relais(args, workdir: Path, database_url: str, kept: bool,
            writes: float = 0) -> tuple[dict, int]:
    """`kept`: as deployed, each worker keeps the pages it computed until the next write;
    otherwise every page is computed, as on the first request after any write. `writes`
    a second are committed meanwhile by another process (this one)."""
    env = {"DATABASE_URL": database_url, "RELAIS_ENV": "production",
           "SECRET_KEY": secrets.token_hex(32), "RELAIS_INSTANCE_PATH": str(workdir),
           "RELAIS_SECURE_COOKIES": "0", "RELAIS_PASSWORD_HASH": "pbkdf2:sha256:1000",
           "RELAIS_LIST_CACHE_SIZE": "200" if kept else "0"}
    paths = [f"/influencers/?{query}" for _name, query in SCENARIOS]

    def run(port: int):
        cookie = _login(port)
        sizes = []
        for path in paths * 2:  # warm both workers' caches; every page must answer 200
            status, body = _get(port, path, cookie)
            if status != 200:
                raise SystemExit(f"{path} answered {status}")
            sizes.append(len(body))
        with _writing(database_url, workdir, writes) as made:
            result = wrk(port, paths, cookie, args.seconds, args.connections, workdir)
        result["writes"] = made[0]
        if _get(port, paths[0], cookie)[0] != 200:
            raise SystemExit("the session did not last the run")
        return result, round(sum(sizes) / len(sizes))

    return _served("wsgi:app", env, args, run)


def _reference(args, workdir: Path, size: int) -> dict:
    def run(port: int):
        for _ in range(4):
            _get(port, "/influencers/")
        _status, body = _get(port, "/influencers/")
        result = wrk(port, ["/influencers/"], "", args.seconds, args.connections, workdir)
        result["bytes"] = len(body)
        return result

    return _served("bench.reference_app:app", {"RELAIS_REFERENCE_BYTES": str(size)}, args,
                   run)


def _line(name: str, result: dict) -> str:
    return (f"{name:11} {result['requests']:>8,} {result['not_200'] + result['socket_errors']:>6}"
            f" {result['rate']:>8.1f} {result['p50']:>8.1f} {result['p90']:>8.1f}"
            f" {result['p95']:>8.1f} {result['p99']:>8.1f}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--influencers", type=int, default=100_000)
    parser.add_argument("--connections", type=int, default=20)
    parser.add_argument("--seconds", type=float, default=30)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--writes", type=float, default=1.0,
                        help="writes a second committed during the third Relais run")
    parser.add_argument("--database-name", default="relais_bench_load",
                        help="PostgreSQL: the database created for the run")
    args = parser.parse_args(argv)
    if shutil.which("wrk") is None:
        raise SystemExit("wrk is missing: apt-get install wrk (make bench does it as root)")
    with tempfile.TemporaryDirectory(prefix="relais-load-") as tmp:
        workdir = Path(tmp)
        database_url = make_database(os.environ.get("DATABASE_URL"), workdir,
                                     args.database_name)
        engine = database_url.split(":", 1)[0].split("+")[0]
        print(f"Relais list pages under load on {engine}: {args.influencers:,} influencers, "
              f"gunicorn {args.workers} sync workers, wrk 2 threads, {args.connections} "
              f"connections, {args.seconds:.0f} s each; load average before "
              f"{os.getloadavg()[0]:.2f}")
        app = make_app(database_url, workdir)
        seed_influencers(app, args.influencers)
        seed_scores(app)
        close(app)
        relais, size = _relais(args, workdir, database_url, kept=True)
        reference = _reference(args, workdir, size)
        computed, _size = _relais(args, workdir, database_url, kept=False)
        written, _size = _relais(args, workdir, database_url, kept=True, writes=args.writes)
    print(f"\n{'server':11} {'requests':>8} {'errors':>6} {'req/s':>8} {'p50 ms':>8} "
          f"{'p90 ms':>8} {'p95 ms':>8} {'p99 ms':>8}")
    print(_line("reference", reference) + f"   ({reference['bytes']:,} bytes a page)")
    print(_line("Relais", relais) + f"   ({size:,} bytes a page on average; pages kept "
          "until the next write, as deployed)")
    print(_line("computed", computed) + "   (Relais with RELAIS_LIST_CACHE_SIZE=0: every "
          "page computed, as just after a write)")
    print(_line("writing", written) + f"   (Relais as deployed, {written['writes']} writes "
          f"committed during the run by another process: {args.writes:g} a second)")
    print()
    for name, result in (("Relais", relais), ("computed", computed), ("writing", written)):
        ratio = result["rate"] / reference["rate"]
        errors = result["not_200"] + result["socket_errors"]
        ok = ratio >= RATIO_BAR and result["p95"] <= P95_BAR_MS and not errors
        print(f"{engine}, {name}: {ratio:.2f}× the reference's throughput (bar "
              f"{RATIO_BAR}×), p95 {result['p95']:.0f} ms (bar {P95_BAR_MS:.0f} ms), {errors} "
              f"errors — {'within the bar' if ok else 'OVER THE BAR'}")
    print(f"load average after {os.getloadavg()[0]:.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
