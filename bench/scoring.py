"""Benchmark: a full rescoring of 100 000 influencers and 1 000 000 power-law edges
(bar: 10 s).

    python -m bench.scoring                                   # SQLite, a temporary file
    python -m bench.scoring --reuse sqlite:///path.sqlite3    # time again, no seeding
    DATABASE_URL=postgresql+psycopg://… python -m bench.scoring   # PostgreSQL

PostgreSQL runs in a dedicated database `relais_bench_scoring` (dropped and created again).
Betweenness runs in a forked child beside k-core and the communities: its step time
overlaps theirs ("betweenness_wait" is what the run waited for it).
Seeds the influencers with the demo seeder, then inserts the edges in bulk (RawInserter);
times `app.scoring.rescoring.rescore` end to end (read, every figure, write back) against
the 10 s bar; then, on the same edges, builds a graph with python-igraph directly and
compares its PageRank and k-core (time and values) with what the run stored. Exits 0 even
over the bar: the figures decide.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

import numpy as np

from bench.list_page import close, make_app, make_database, seed_influencers

BAR_SECONDS = 10.0
RATIO_BAR = 5.0
KINDS = ("follows", "mentions", "reposts", "collaborated", "same_agency", "audience_overlap")
KIND_SHARES = (0.55, 0.2, 0.15, 0.03, 0.02, 0.05)


def power_law_edges(ids: np.ndarray, count: int, seed: int = 2026):
    """`count` edges whose endpoints follow a power law (a few hubs, a long tail)."""
    rng = np.random.default_rng(seed)
    popularity = 1.0 / np.arange(1, ids.size + 1) ** 0.8
    popularity /= popularity.sum()
    ranked = rng.permutation(ids)  # who the hubs are is random
    sources = ranked[rng.choice(ids.size, count, p=popularity)]
    targets = ranked[rng.choice(ids.size, count, p=popularity)]
    kinds = rng.choice(len(KINDS), count, p=KIND_SHARES)
    weights = np.round(rng.uniform(0.5, 2.0, count), 2)
    return sources, targets, kinds, weights


def seed_edges(app, count: int) -> tuple:
    from app.core.bulk import RawInserter
    from app.extensions import db

    with app.app_context():
        ids = np.array(db.session.execute(db.text("SELECT id FROM influencer")).scalars().all())
        sources, targets, kinds, weights = power_law_edges(ids, count)
        started = time.perf_counter()
        inserter = RawInserter(db.session)
        now = inserter.ts(datetime.now(UTC))
        rows = [(int(s), int(t), KINDS[k], float(w), "import", now, now)
                for s, t, k, w in zip(sources, targets, kinds, weights, strict=True)]
        inserter.insert("relationship", ("source_id", "target_id", "kind", "weight", "origin",
                                         "created_at", "updated_at"), rows)
        db.session.commit()
        if inserter.postgresql:
            db.session.execute(db.text("ANALYZE relationship"))
            db.session.commit()
        print(f"inserted {count:,} edges in {time.perf_counter() - started:.1f} s")


def forget_runs(app) -> None:
    """A reused database as after seeding: no run, no score (so nothing to prune)."""
    from app.extensions import db

    with app.app_context():
        for table in ("influencer_score", "community", "scoring_run"):
            db.session.execute(db.text(f"DELETE FROM {table}"))  # noqa: S608 - our names
        db.session.commit()


def direct_igraph(app, run) -> dict:
    """PageRank and k-core by python-igraph on a graph built here from the same edges,
    independently of app.scoring.engine.graph: igraph's own simplify() sums parallel edges."""
    import igraph

    from app.extensions import db
    from app.scoring import data as scoring_data

    with app.app_context():
        ids = np.array(db.session.execute(db.text(
            "SELECT id FROM influencer WHERE deleted_at IS NULL ORDER BY id")).scalars().all())
        rows = db.session.execute(db.text(scoring_data.edges_sql())).all()
        weights = run.parameters["kind_weights"]
        index = {influencer_id: i for i, influencer_id in enumerate(ids.tolist())}
        edges, weight = [], []
        for source, target, code, own in rows:
            if source in index and target in index:
                edges.append((index[source], index[target]))
                weight.append(own * weights[KINDS[code]])
                if KINDS[code] == "collaborated":
                    edges.append((index[target], index[source]))
                    weight.append(own * weights[KINDS[code]])
        graph = igraph.Graph(n=ids.size, edges=edges, directed=True, edge_attrs={"weight": weight})
        graph.simplify(combine_edges={"weight": "sum"})
        started = time.perf_counter()
        pagerank = np.array(graph.pagerank(damping=0.85, weights="weight"))
        pagerank_seconds = time.perf_counter() - started
        started = time.perf_counter()
        core = np.array(graph.as_undirected(mode="collapse").coreness())
        core_seconds = time.perf_counter() - started
        stored = db.session.execute(db.text(
            "SELECT influencer_id, pagerank, core FROM influencer_score WHERE run_id = :run "
            "ORDER BY influencer_id"), {"run": run.id}).all()
    ours_pagerank = np.array([row[1] for row in stored])
    ours_core = np.array([row[2] for row in stored])
    top = 100
    overlap = len(set(np.argsort(-pagerank)[:top].tolist())
                  & set(np.argsort(-ours_pagerank)[:top].tolist()))
    return {
        "edges": graph.ecount(), "pagerank_seconds": pagerank_seconds,
        "core_seconds": core_seconds, "top100_overlap": overlap,
        "pagerank_max_difference": float(np.abs(pagerank - ours_pagerank).max()),
        "core_differences": int((core != ours_core).sum()),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--influencers", type=int, default=100_000)
    parser.add_argument("--edges", type=int, default=1_000_000)
    parser.add_argument("--reuse", metavar="DATABASE_URL",
                        help="an already seeded database (same seeder and edges): its runs "
                             "are deleted, nothing is seeded, the rescoring is timed")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="relais-bench-") as tmp:
        workdir = Path(tmp)
        database_url = args.reuse or make_database(os.environ.get("DATABASE_URL"), workdir,
                                                   name="relais_bench_scoring")
        app = make_app(database_url, workdir)
        engine = database_url.split(":", 1)[0].split("+")[0]
        print(f"Relais scoring benchmark on {engine}: {args.influencers:,} influencers, "
              f"{args.edges:,} edges{' (reused database)' if args.reuse else ''}")
        if args.reuse:
            forget_runs(app)
        else:
            seed_influencers(app, args.influencers)
            seed_edges(app, args.edges)
        from app.scoring import rescoring as scoring

        with app.app_context():
            # The machine is shared (2 cores): say how busy it was when the run started.
            print("load average at the start: " + " ".join(f"{v:.2f}" for v in os.getloadavg()))
            started = time.perf_counter()
            run = scoring.rescore()
            seconds = time.perf_counter() - started
            steps = ", ".join(f"{step} {value:.2f}" for step, value in run.timings.items())
            print(f"\nrescore: {seconds:.2f} s end to end ({seconds / BAR_SECONDS:.2f}× the "
                  f"{BAR_SECONDS:.0f} s bar){'  OVER BUDGET' if seconds > BAR_SECONDS else ''}")
            print(f"  {run.nodes:,} nodes, {run.edges:,} distinct weighted edges; steps (s): "
                  f"{steps}")
            ours = {"pagerank": run.timings["pagerank"],
                    "core": run.timings["projection"] + run.timings["core"]}
        direct = direct_igraph(app, run)
        for name in ("pagerank", "core"):
            ratio = ours[name] / max(direct[f"{name}_seconds"], 1e-9)
            print(f"  {name}: ours {ours[name]:.3f} s, igraph direct "
                  f"{direct[f'{name}_seconds']:.3f} s → {ratio:.2f}×"
                  f"{'  OVER 5×' if ratio > RATIO_BAR else ''}")
        print(f"  agreement: igraph graph has {direct['edges']:,} edges; PageRank top-100 "
              f"overlap {direct['top100_overlap']}/100, largest difference "
              f"{direct['pagerank_max_difference']:.2e}; k-core differs on "
              f"{direct['core_differences']} nodes")
        close(app)
    return 0


if __name__ == "__main__":
    sys.exit(main())
