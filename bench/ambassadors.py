"""Benchmark: a campaign's candidates page and the ambassador proposal over the 2 000 best
scores (bar: the proposal under 2 s for 2 000 candidates).

    python -m bench.ambassadors                        # SQLite, a temporary file
    DATABASE_URL=postgresql+psycopg://… python -m bench.ambassadors   # PostgreSQL

Seeds `--influencers` demo influencers (accounts, audiences, relationships, platform CPMs),
runs a real scoring, then for a targeted campaign (France, women, 25-34, Instagram and
TikTok) times the candidates page, the proposal service at 10 and 50 ambassadors, and the
proposal page: 2 warm-up runs, then the median of `--runs`. Exits 0: the figures decide.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

from bench.list_page import (
    bench_user,
    close,
    counting_statements,
    logged_in_client,
    make_app,
    make_database,
    seed_scores,
)

BUDGET_MS = 2_000.0


def _seed(app, count: int) -> None:
    """The demo data; the demo's last steps (sample contracts) are not what is measured, so
    a failure there does not stop the bench once the people and the network are in."""
    from app.demo import seed as demo
    from app.extensions import db

    with app.app_context():
        db.create_all()
        started = time.perf_counter()
        try:
            report = demo.seed(count)
            print(f"seeded {report['influencers']:,} influencers in "
                  f"{time.perf_counter() - started:.1f} s")
        except Exception as error:  # noqa: BLE001 - reported, and the bench goes on
            db.session.rollback()
            print(f"demo seed stopped after the network ({type(error).__name__}: {error})")
            demo.after_bulk_load()  # statistics and sequences, as the seed would
        db.session.add(bench_user())
        db.session.commit()


def _analyze(app) -> None:
    """Fresh statistics on the scores just written, as autovacuum gives them within about a
    minute of a run on PostgreSQL (before that, the pool's plan is about 3× slower)."""
    from app.extensions import db

    with app.app_context():
        if db.engine.dialect.name == "postgresql":
            with db.engine.connect() as conn:
                conn.exec_driver_sql("ANALYZE influencer_score")
                conn.commit()


def _campaign(app) -> int:
    from app.extensions import db
    from app.models import Brand, Campaign

    with app.app_context():
        brand = db.session.scalar(db.select(Brand).limit(1)) or Brand(name="Bench")
        campaign = Campaign(brand=brand, name="Bench ambassadors", budget_cents=5_000_000,
                            target_platforms="instagram,tiktok", target_countries="FR",
                            target_gender="female", target_age_bands="25-34,35-44")
        db.session.add(campaign)
        db.session.commit()
        return campaign.id


def _median(call, runs: int) -> tuple[float, object]:
    for _ in range(2):
        result = call()
    timings = []
    for _ in range(runs):
        started = time.perf_counter()
        result = call()
        timings.append((time.perf_counter() - started) * 1000)
    return statistics.median(timings), result


def _measure(app, campaign_id: int, runs: int) -> None:
    from app.campaigns.candidates import ambassadors
    from app.extensions import db
    from app.models import Campaign

    client = logged_in_client(app)
    with counting_statements(app) as counter:
        counter[0] = 0
        ms, response = _median(lambda: client.get(f"/campaigns/{campaign_id}/candidates"), runs)
        assert response.status_code == 200
        print(f"candidates page: {ms:.0f} ms median, {counter[0] // (runs + 2)} statements")
    with app.test_request_context():
        campaign = db.session.get(Campaign, campaign_id)
        for count in (10, 50):
            ms, proposal = _median(lambda c=count: ambassadors.propose(campaign, 5_000_000, c),
                                   runs)
            print(f"proposal of {count}: {ms:.0f} ms median ({ms / BUDGET_MS:.0%} of 2 s): "
                  f"{len(proposal.picks)} picks, pool {proposal.pool}, "
                  f"{proposal.selectable} with a fee, {proposal.links} links, "
                  f"{proposal.samples} RR sets, reach {proposal.reach:,.0f}, "
                  f"cost {proposal.cost_cents / 100:,.2f} €")
    ms, response = _median(lambda: client.get(
        f"/campaigns/{campaign_id}/ambassadors?budget=50000&max_count=10"), runs)
    assert response.status_code == 200
    print(f"proposal page (10): {ms:.0f} ms median")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--influencers", type=int, default=20_000)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as folder:
        workdir = Path(folder)
        url = make_database(os.environ.get("DATABASE_URL"), workdir, "relais_bench_ambassadors")
        app = make_app(url, workdir)
        print(f"database: {url.split('@')[-1]}")
        _seed(app, args.influencers)
        seed_scores(app)
        _analyze(app)
        try:
            _measure(app, _campaign(app), args.runs)
        finally:
            close(app)
    return 0


if __name__ == "__main__":
    sys.exit(main())
