"""Benchmark: the influencer list page over 100 000 influencers (bar: 50 ms a page).

    python -m bench.list_page                       # SQLite, a temporary file
    DATABASE_URL=postgresql+psycopg://… python -m bench.list_page   # PostgreSQL

PostgreSQL runs in a dedicated database (`--database-name`, `relais_bench` by default:
dropped and created again on the server DATABASE_URL names). Prints, per scenario, the
median and p95 time of the whole request (routing, queries, template) through Flask's test
client, the ratio to the 50 ms budget and the number of SQL statements; over budget, the
query plans of that request's statements. Exits 0 even over budget: the figures decide.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

BUDGET_MS = 50.0
LAST_CPU = [0.0]  # timed_requests' median CPU time of the process, in ms
BENCH_EMAIL = "bench@agence-relais.fr"
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
    # On the latest scoring run (seed_scores): the outer-joined sort, the IN filters.
    ("best score", "sort=-score"),
    ("lowest score, page 3", "sort=score&page=3"),
    ("largest community, best score", "community=1&sort=-score"),
    ("score ≥ 60, most followers", "score_min=60&sort=-followers"),
    ("instagram, score ≥ 40, by name", "platform=instagram&score_min=40"),
)
# The live search fires on each keystroke, the first ones the broadest. Measured here only
# (bench/load_list mixes SCENARIOS). `{email}`: a seeded person's address (seeded_email).
SEARCH_SCENARIOS = (
    ("search « m »", "q=m"),
    ("search « ma »", "q=ma"),
    ("search « mar »", "q=mar"),
    ("search « é »", "q=%C3%A9"),
    ("search « @marie »", "q=%40marie"),
    ("search a full email", "q={email}"),
    ("search a tag « photographie »", "q=photographie"),
)


def make_database(kind_url: str | None, workdir: Path, name: str = "relais_bench") -> str:
    """A fresh database: a file in `workdir`, or, when `kind_url` names a PostgreSQL
    server, the database `name` on it, dropped and created again."""
    if not kind_url:
        return f"sqlite:///{workdir / 'bench.sqlite3'}"
    import psycopg

    url = kind_url.replace("postgresql+psycopg://", "postgresql://", 1)
    if url.startswith("postgres://"):
        url = "postgresql://" + url[len("postgres://"):]
    parts = urlsplit(url)
    admin = urlunsplit(parts._replace(path="/postgres"))
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
        conn.execute(f"CREATE DATABASE {name}")
    return urlunsplit(parts._replace(scheme="postgresql+psycopg", path=f"/{name}"))


def make_app(database_url: str, workdir: Path):
    os.environ.setdefault("RELAIS_ENV", "development")
    from app import create_app
    from app.config import Config

    config = Config(str(workdir))
    config.SQLALCHEMY_DATABASE_URI = database_url
    config.RELAIS_PASSWORD_HASH = "pbkdf2:sha256:1000"  # the login is not what is measured
    config.WTF_CSRF_ENABLED = False
    # Every page computed: what is measured here is the queries and the rendering, not the
    # pages a worker keeps until the next write (bench/load_list.py measures both).
    config.LIST_CACHE_SIZE = 0
    return create_app(config)


def seed_influencers(app, count: int) -> None:
    from app.demo import seed as demo
    from app.extensions import db

    with app.app_context():
        db.create_all()
        started = time.perf_counter()
        report = demo.seed(count)
        print(f"seeded {report['influencers']:,} influencers, {report['accounts']:,} accounts, "
              f"{report['relationships']:,} relationships in {time.perf_counter() - started:.1f} s "
              f"({', '.join(f'{k} {v:.1f} s' for k, v in report['timings'].items())})")
        db.session.add(bench_user())
        db.session.commit()


def seed_scores(app) -> None:
    """A real scoring run over the seeded network, so that the list has scores and
    communities to show, sort and filter on. Its tables are left as a rescore leaves them
    (on PostgreSQL, analysed by the rescore itself)."""
    from app.scoring import rescoring as scoring

    with app.app_context():
        started = time.perf_counter()
        run = scoring.rescore()
        print(f"scored {run.nodes:,} influencers ({run.edges:,} edges) in "
              f"{time.perf_counter() - started:.1f} s")


def bench_user():
    """The member the benchmarks log in as (`logged_in_client`)."""
    from app.models import User
    from app.security import hash_password

    return User(email=BENCH_EMAIL, name="Bench", role="member",
                password_hash=hash_password(PASSWORD))


def logged_in_client(app):
    client = app.test_client()
    response = client.post("/login", data={"email": BENCH_EMAIL, "password": PASSWORD})
    assert response.status_code == 302, "bench login failed"
    return client


SENT: list[tuple[str, Any]] = []  # statements of the latest request (counting_statements)


@contextlib.contextmanager
def counting_statements(app) -> Iterator[list[int]]:
    """Counts the SQL statements sent while the block runs, in `counter[0]` (which the
    block may reset to 0 before each request)."""
    from sqlalchemy import event

    from app.extensions import db

    counter = [0]
    with app.app_context():
        engine = db.engine

    def count(_conn, _cursor, statement, parameters, *_args):
        counter[0] += 1
        SENT.append((statement, parameters))

    event.listen(engine, "before_cursor_execute", count)
    try:
        yield counter
    finally:
        event.remove(engine, "before_cursor_execute", count)


def timed_requests(client, url: str, runs: int, counter: list[int]):
    """Requests `url` 3 times (warm-up: caches, compiled statements, OS pages) then `runs`
    times: the median and p95 in ms, the statements of the last request (`counter` is
    `counting_statements`'), and the last response. The median CPU time of this process
    (the app and, on SQLite, the database) is left in LAST_CPU[0]."""
    for _ in range(3):
        client.get(url)
    timings, cpu = [], []
    for _ in range(runs):
        counter[0] = 0
        SENT.clear()
        started, used = time.perf_counter(), time.process_time()
        response = client.get(url)
        timings.append((time.perf_counter() - started) * 1000)
        cpu.append((time.process_time() - used) * 1000)
        assert response.status_code == 200, (url, response.status_code)
    LAST_CPU[0] = statistics.median(cpu)
    timings.sort()
    p95 = timings[max(0, int(round(0.95 * len(timings))) - 1)]
    return statistics.median(timings), p95, counter[0], response


def close(app) -> None:
    """Lets go of the database (its file is in a temporary folder about to be removed)."""
    from app.extensions import db

    with app.app_context():
        db.session.remove()
        db.engine.dispose()


def seeded_email(app) -> str:
    """The address of one seeded person (the email search scenario)."""
    from sqlalchemy import select

    from app.extensions import db
    from app.models import Influencer

    with app.app_context():
        return db.session.scalar(select(Influencer.email).where(Influencer.email.is_not(None))
                                 .order_by(Influencer.id).offset(4321).limit(1)) or "none"


def _measure(app, runs: int, only: str | None) -> list[tuple]:
    from urllib.parse import quote

    client = logged_in_client(app)
    email = quote(seeded_email(app))
    results = []
    with counting_statements(app) as counter:
        for name, query in SCENARIOS + SEARCH_SCENARIOS:
            if only and only not in name:
                continue
            median, p95, statements, response = timed_requests(
                client, f"/influencers/?{query.format(email=email)}", runs, counter)
            shown = response.get_data(as_text=True).count('name="ids"')
            plans = explain(app, list(SENT)) if median > BUDGET_MS else []
            results.append((name, median, p95, LAST_CPU[0], statements, shown, plans))
    return results


def explain(app, sent: list[tuple[str, Any]]) -> list[str]:
    """The plans of a request's SELECT statements: EXPLAIN QUERY PLAN on SQLite, EXPLAIN on
    PostgreSQL."""
    from app.extensions import db

    plans = []
    with app.app_context():
        conn = db.engine.connect()
        prefix = ("EXPLAIN QUERY PLAN " if conn.dialect.name == "sqlite" else "EXPLAIN ")
        try:
            for statement, parameters in sent:
                if not statement.lstrip().upper().startswith("SELECT"):
                    continue
                rows = conn.exec_driver_sql(prefix + statement, parameters or ()).all()
                plan = "\n".join("    " + " ".join(str(v) for v in row[-1:]) for row in rows)
                plans.append(f"  {' '.join(statement.split())[:300]}\n{plan}")
        finally:
            conn.close()
    return plans


def _prepare(args, workdir: Path):
    """The app on a fresh seeded database; or on the SQLite file `--keep` names, or with
    `--reuse` the PostgreSQL database of an earlier run, seeded once and then reused."""
    url = os.environ.get("DATABASE_URL")
    if args.keep and not url:
        database_url, fresh = f"sqlite:///{args.keep}", not Path(args.keep).exists()
    elif args.reuse and url and _populated(url, args.database_name):
        database_url, fresh = _named(url, args.database_name), False
    else:
        database_url, fresh = make_database(url, workdir, args.database_name), True
    app = make_app(database_url, workdir)
    engine = database_url.split(":", 1)[0].split("+")[0]
    print(f"Relais list-page benchmark on {engine}, {args.influencers:,} influencers"
          + ("" if fresh else " (reused database)"))
    if fresh:
        seed_influencers(app, args.influencers)
        if not args.no_scores:
            seed_scores(app)
    return app, engine


def _named(kind_url: str, name: str) -> str:
    url = kind_url.replace("postgresql+psycopg://", "postgresql://", 1)
    return urlunsplit(urlsplit(url)._replace(scheme="postgresql+psycopg", path=f"/{name}"))


def _populated(kind_url: str, name: str) -> bool:
    """Whether PostgreSQL database `name` exists and holds influencers."""
    import psycopg

    url = _named(kind_url, name).replace("postgresql+psycopg://", "postgresql://", 1)
    try:
        with psycopg.connect(url) as conn:
            return bool(conn.execute("SELECT count(*) FROM influencer").fetchone()[0])
    except psycopg.Error:
        return False


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--influencers", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=30)
    parser.add_argument("--no-scores", action="store_true",
                        help="no scoring run: the list as before the first one")
    parser.add_argument("--database-name", default="relais_bench",
                        help="PostgreSQL: the database dropped and created for the run")
    parser.add_argument("--keep", metavar="PATH",
                        help="SQLite: seed this file once and reuse it on later runs")
    parser.add_argument("--reuse", action="store_true",
                        help="PostgreSQL: reuse --database-name if an earlier run seeded it")
    parser.add_argument("--only", metavar="TEXT", help="only the scenarios naming TEXT")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="relais-bench-") as tmp:
        app, engine = _prepare(args, Path(tmp))
        results = _measure(app, args.runs, args.only)
        print(f"\n{'scenario':40} {'median':>9} {'p95':>9} {'budget':>8} {'CPU':>9} "
              f"{'queries':>8} {'rows':>5}")
        over = 0
        for name, median, p95, cpu, queries, rows, _plans in results:
            ratio = median / BUDGET_MS
            flag = "  OVER BUDGET" if median > BUDGET_MS else ""
            over += bool(flag)
            print(f"{name:40} {median:7.1f}ms {p95:7.1f}ms {ratio:6.2f}× {cpu:7.1f}ms "
                  f"{queries:8d} {rows:5d}{flag}")
        cpus = [cpu for _name, _median, _p95, cpu, *_rest in results]
        print(f"CPU of this process a page (median of each scenario, averaged): "
              f"{statistics.mean(cpus):.1f} ms")
        print(f"\n{engine}: {len(results) - over}/{len(results)} scenarios within the "
              f"{BUDGET_MS:.0f} ms median budget" + (" — OVER BUDGET" if over else ""))
        for name, *_figures, plans in results:
            if plans:
                print(f"\nplans of « {name} » (over budget):\n" + "\n".join(plans))
        close(app)
    return 0


if __name__ == "__main__":
    sys.exit(main())
