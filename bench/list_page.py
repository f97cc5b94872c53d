"""Benchmark: the influencer list page over 100 000 influencers (design/quality.md).

    python -m bench.list_page                       # SQLite, a temporary file
    DATABASE_URL=postgresql+psycopg://… python -m bench.list_page   # PostgreSQL

PostgreSQL runs in a dedicated database `relais_bench` (dropped and created again on the
server DATABASE_URL names). Prints, per scenario, the median and p95 time of the whole
request (routing, queries, template) through Flask's test client, the ratio to the 50 ms
budget and the number of SQL statements. Exits 0 even over budget: the figures decide.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

BUDGET_MS = 50.0
PASSWORD = "bench-password-not-secret"
SCENARIOS = (
    ("instagram, France, most followers", "platform=instagram&country=FR&sort=-followers"),
    ("engaged, by name", "status=engaged&sort=name"),
    ("≥ 40 % women, best engagement", "women_min=40&sort=-engagement"),
    ("search « marie »", "q=marie"),
    ("tag beauté, page 3", "tag=beaut%C3%A9&page=3"),
    ("top country BE, 18-24 ≥ 30 %", "top_country=BE&age_band=18-24&age_min=30&sort=-followers"),
    ("10k-100k followers, 3-6 %, newest",
     "followers_min=10000&followers_max=100000&engagement_min=3&engagement_max=6&sort=-created"),
    ("no filter, 100 per page", "per_page=100"),
)


def _database(kind_url: str | None, workdir: Path) -> str:
    if not kind_url:
        return f"sqlite:///{workdir / 'bench.sqlite3'}"
    import psycopg

    url = kind_url.replace("postgresql+psycopg://", "postgresql://", 1)
    if url.startswith("postgres://"):
        url = "postgresql://" + url[len("postgres://"):]
    parts = urlsplit(url)
    admin = urlunsplit(parts._replace(path="/postgres"))
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute("DROP DATABASE IF EXISTS relais_bench WITH (FORCE)")
        conn.execute("CREATE DATABASE relais_bench")
    return urlunsplit(parts._replace(scheme="postgresql+psycopg", path="/relais_bench"))


def _app(database_url: str, workdir: Path):
    os.environ.setdefault("RELAIS_ENV", "development")
    from app import create_app
    from app.config import Config

    config = Config(str(workdir))
    config.SQLALCHEMY_DATABASE_URI = database_url
    config.RELAIS_PASSWORD_HASH = "pbkdf2:sha256:1000"  # the login is not what is measured
    config.WTF_CSRF_ENABLED = False
    return create_app(config)


def _seed(app, count: int) -> None:
    from app.extensions import db
    from app.models import User
    from app.security import hash_password
    from app.services import demo

    with app.app_context():
        db.create_all()
        started = time.perf_counter()
        report = demo.seed(count)
        print(f"seeded {report['influencers']:,} influencers, {report['accounts']:,} accounts, "
              f"{report['relationships']:,} relationships in {time.perf_counter() - started:.1f} s "
              f"({', '.join(f'{k} {v:.1f} s' for k, v in report['timings'].items())})")
        db.session.add(User(email="bench@agence-relais.fr", name="Bench", role="member",
                            password_hash=hash_password(PASSWORD)))
        db.session.commit()


def _measure(app, runs: int) -> list[tuple[str, float, float, int, int]]:
    from sqlalchemy import event

    from app.extensions import db

    client = app.test_client()
    response = client.post("/login", data={"email": "bench@agence-relais.fr",
                                           "password": PASSWORD})
    assert response.status_code == 302, "bench login failed"
    statements = [0]
    with app.app_context():
        engine = db.engine

    def count(*_args):
        statements[0] += 1

    event.listen(engine, "before_cursor_execute", count)
    results = []
    for name, query in SCENARIOS:
        url = f"/influencers/?{query}"
        for _ in range(3):  # warm-up: caches, compiled statements, OS pages
            client.get(url)
        timings = []
        for _ in range(runs):
            statements[0] = 0
            started = time.perf_counter()
            response = client.get(url)
            timings.append((time.perf_counter() - started) * 1000)
            assert response.status_code == 200, (url, response.status_code)
        shown = response.get_data(as_text=True).count('name="ids"')
        timings.sort()
        p95 = timings[max(0, int(round(0.95 * len(timings))) - 1)]
        results.append((name, statistics.median(timings), p95, statements[0], shown))
    event.remove(engine, "before_cursor_execute", count)
    return results


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--influencers", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=30)
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="relais-bench-") as tmp:
        workdir = Path(tmp)
        database_url = _database(os.environ.get("DATABASE_URL"), workdir)
        app = _app(database_url, workdir)
        engine = database_url.split(":", 1)[0].split("+")[0]
        print(f"Relais list-page benchmark on {engine}, {args.influencers:,} influencers")
        _seed(app, args.influencers)
        results = _measure(app, args.runs)
        print(f"\n{'scenario':40} {'median':>9} {'p95':>9} {'budget':>8} {'queries':>8} "
              f"{'rows':>5}")
        over = 0
        for name, median, p95, queries, rows in results:
            ratio = median / BUDGET_MS
            flag = "  OVER BUDGET" if median > BUDGET_MS else ""
            over += bool(flag)
            print(f"{name:40} {median:7.1f}ms {p95:7.1f}ms {ratio:6.2f}× {queries:8d} "
                  f"{rows:5d}{flag}")
        print(f"\n{engine}: {len(results) - over}/{len(results)} scenarios within the "
              f"{BUDGET_MS:.0f} ms median budget" + (" — OVER BUDGET" if over else ""))
        with app.app_context():
            from app.extensions import db

            db.session.remove()
            db.engine.dispose()
    return 0


if __name__ == "__main__":
    sys.exit(main())
