"""Benchmark: the campaign report page for a campaign of 500 participants and 5 000
operations with metrics (bar: ≤ 300 ms median, no N+1 queries).

    python -m bench.campaign_report                       # SQLite, a temporary file
    DATABASE_URL=postgresql+psycopg://… python -m bench.campaign_report   # PostgreSQL

PostgreSQL runs in a dedicated database `relais_bench_report` (dropped and created again
on the server DATABASE_URL names). Two campaigns are seeded with bulk inserts: the big one
and a small one (50 participants, 500 operations). Through Flask's test client, as a
logged-in member, it requests each report page 3 times (warm-up) then `--runs` times, and
prints the median and p95 of the whole request, the ratio to the 300 ms budget and the SQL
statements per request for both sizes (they must be equal); then the same for the
per-operation page, the CSV and the PDF. Exits 0 even over budget: the figures decide.
"""

from __future__ import annotations

import argparse
import os
import random
import sys
import tempfile
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from bench.list_page import (
    bench_user,
    close,
    counting_statements,
    logged_in_client,
    make_app,
    make_database,
    timed_requests,
)

BUDGET_MS = 300.0
PLATFORMS = ("instagram", "tiktok", "youtube", "x", "linkedin")
RATED = {"instagram": 1200, "tiktok": 800, "youtube": 1500}  # x, linkedin: no CPM set
BIG = (500, 5_000)
SMALL = (50, 500)


def _maybe(rng: random.Random, value: int, missing: float = 0.1) -> int | None:
    """Real metrics sheets have holes: about one value in ten is not known."""
    return None if rng.random() < missing else value


def _seed_campaign(session, rng: random.Random, first_id: int, name: str,
                   participants: int, operations: int) -> int:
    """One campaign, its influencers (with accounts), participants and measured operations,
    inserted in bulk. Ids start at `first_id` so that two campaigns never collide."""
    from sqlalchemy import insert

    from app.models import (
        Brand,
        Campaign,
        Influencer,
        Operation,
        Participant,
        SocialAccount,
    )

    now = datetime.now(UTC)
    stamps = {"created_at": now, "updated_at": now}
    session.execute(insert(Brand), [{"id": first_id, "name": f"Marque {name}", **stamps}])
    session.execute(insert(Campaign), [{
        "id": first_id, "brand_id": first_id, "name": name, "status": "active",
        "budget_cents": participants * 60_000, "currency": "EUR", "version": 1,
        "starts_on": date(2026, 3, 1), "ends_on": date(2026, 4, 30),
        "kpi_targets": {"reach": participants * 20_000, "cpe": 0.4, "roi": 0.5,
                        "engagement_rate_reach": 0.05}, **stamps}])
    ids = range(first_id, first_id + participants)
    session.execute(insert(Influencer), [
        {"id": i, "display_name": f"Influenceuse {i}", "search_text": f"influenceuse {i}",
         "version": 1, **stamps} for i in ids])
    session.execute(insert(SocialAccount), [
        {"influencer_id": i, "platform": platform, "handle": f"{platform}.{i}",
         "followers": rng.randint(2_000, 400_000), "version": 1, **stamps}
        for i in ids for platform in rng.sample(PLATFORMS, 2)])
    session.execute(insert(Participant), [
        {"id": i, "campaign_id": first_id, "influencer_id": i, "version": 1,
         "stage": rng.choice(("contracted", "live", "delivered", "paid", "declined")),
         "agreed_fee_cents": _maybe(rng, rng.randint(20_000, 90_000)),
         "proposed_fee_cents": rng.randint(20_000, 90_000), **stamps} for i in ids])
    rows = []
    for n in range(operations):
        reach = rng.randint(1_000, 120_000)
        published = date(2026, 3, 1) + timedelta(days=rng.randint(0, 59))
        rows.append({
            "participant_id": first_id + n % participants, "campaign_id": first_id,
            "platform": rng.choice(PLATFORMS), "kind": "post", "status": "published",
            "planned_on": published - timedelta(days=2),
            "published_on": published if rng.random() < 0.8 else None,
            "impressions": _maybe(rng, int(reach * rng.uniform(1.1, 2.5))),
            "reach": _maybe(rng, reach), "views": _maybe(rng, reach // 2),
            "likes": _maybe(rng, reach // rng.randint(15, 60)),
            "comments": _maybe(rng, reach // rng.randint(200, 900)),
            "shares": _maybe(rng, reach // rng.randint(300, 1500)),
            "saves": _maybe(rng, reach // rng.randint(300, 1500)),
            "clicks": _maybe(rng, reach // 100, 0.5),
            "conversions": _maybe(rng, reach // 2000, 0.5),
            "revenue_cents": _maybe(rng, reach * 2, 0.6),
            "cost_cents": _maybe(rng, rng.randint(5_000, 40_000), 0.7), "version": 1,
            **stamps})
    session.execute(insert(Operation), rows)
    return first_id


def _seed(app) -> tuple[int, int]:
    from app.extensions import db
    from app.models import PlatformRate

    rng = random.Random(2026)  # noqa: S311 - benchmark data
    with app.app_context():
        db.create_all()
        started = time.perf_counter()
        db.session.add(bench_user())
        db.session.add_all(PlatformRate(platform=p, cpm_cents=c) for p, c in RATED.items())
        big = _seed_campaign(db.session, rng, 1, "Grande campagne", *BIG)
        small = _seed_campaign(db.session, rng, 100_001, "Petite campagne", *SMALL)
        db.session.commit()
        if db.engine.dialect.name == "postgresql":
            with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
                conn.exec_driver_sql("VACUUM ANALYZE")
        print(f"seeded {BIG[0]} + {SMALL[0]} participants, {BIG[1]:,} + {SMALL[1]:,} "
              f"operations in {time.perf_counter() - started:.1f} s")
    return big, small


def _measure(app, big: int, small: int, runs: int) -> list[tuple[str, float, float, int, int]]:
    client = logged_in_client(app)
    results = []
    with counting_statements(app) as counter:
        for name, path, n in (("report page", "report", runs),
                              ("report, sorted by CPE, page 3", "report?sort=cpe&page=3", runs),
                              ("per operation, page 40", "report/operations?page=40", runs),
                              ("CSV", "report.csv", max(3, runs // 4)),
                              ("PDF", "report.pdf", 3)):
            median, p95, statements, _response = timed_requests(
                client, f"/campaigns/{big}/{path}", n, counter)
            small_statements = timed_requests(
                client, f"/campaigns/{small}/{path}", 3, counter)[2]
            results.append((name, median, p95, statements, small_statements))
    return results


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=30)
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="relais-bench-") as tmp:
        workdir = Path(tmp)
        database_url = make_database(os.environ.get("DATABASE_URL"), workdir,
                                     "relais_bench_report")
        app = make_app(database_url, workdir)
        engine = database_url.split(":", 1)[0].split("+")[0]
        print(f"Relais campaign-report benchmark on {engine}: {BIG[0]} participants, "
              f"{BIG[1]:,} operations (and {SMALL[0]}/{SMALL[1]} for the statement count)")
        big, small = _seed(app)
        results = _measure(app, big, small, args.runs)
        print(f"\n{'request':32} {'median':>9} {'p95':>9} {'budget':>8} "
              f"{'SQL 5000 ops':>13} {'SQL 500 ops':>12}")
        for name, median, p95, statements, small_statements in results:
            flag = "  OVER BUDGET" if name.startswith("report") and median > BUDGET_MS else ""
            flag += "" if statements == small_statements else "  N+1?"
            print(f"{name:32} {median:7.1f}ms {p95:7.1f}ms {median / BUDGET_MS:6.2f}× "
                  f"{statements:13d} {small_statements:12d}{flag}")
        page = results[0]
        verdict = "within" if page[1] <= BUDGET_MS else "OVER"
        same = "the same" if all(r[3] == r[4] for r in results) else "NOT the same"
        print(f"\n{engine}: report page {verdict} the {BUDGET_MS:.0f} ms median budget; "
              f"SQL statements per request {same} for 500 and 5 000 operations")
        close(app)
    return 0


if __name__ == "__main__":
    sys.exit(main())
