"""Rescoring: the database read into arrays in a few bulk queries, the pure engine
(app/scoring/engine) run on them, the results written back in bulk.

Never one ORM object per edge or per influencer: edges, accounts and tags are each one
query fetched as driver tuples; scores and communities go in through RawInserter (COPY on
PostgreSQL). The scores of the latest KEEP_RUNS runs are kept; every run row stays, with its
parameters, sizes and timings.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import timedelta
from typing import Any

import numpy as np
from flask_babel import gettext as _
from sqlalchemy import delete, select, update

from app.core.bulk import RawInserter
from app.core.errors import ServiceError
from app.extensions import db
from app.models import Community, Influencer, InfluencerScore, ScoringRun
from app.models.base import utcnow
from app.scoring import data as scoring_data
from app.scoring import weights
from app.scoring.engine import graph as scoring_graph
from app.scoring.engine import metrics, score

KEEP_RUNS = 3
SEED = 2026
SCORE_COLUMNS = (
    "run_id", "influencer_id", "pagerank", "core", "betweenness", "community", "reach",
    "engagement", "credibility", "score", "network_percentile", "reach_percentile",
    "engagement_percentile", "credibility_percentile", "missing",
)

Progress = Callable[[int], None]


# --- computing --------------------------------------------------------------------------

def _compute(data: dict[str, Any], parameters: dict[str, Any], timings: dict[str, float],
             progress: Progress) -> tuple[Any, score.Scores, dict, dict, int]:
    n = data["ids"].size
    started = time.perf_counter()
    graph = scoring_graph.build_graph(*data["edges"], parameters["kind_weights"], n)
    timings["build"] = round(time.perf_counter() - started, 4)
    progress(25)
    figures = metrics.compute(graph, seed=parameters["seed"],
                              betweenness_samples=parameters["betweenness_samples"])
    timings.update(figures.timings)
    progress(70)
    started = time.perf_counter()
    owner, platforms, followers, rates, credibilities = data["accounts"]
    extra = {
        "reach": score.reach(owner, followers, credibilities, n),
        "engagement": score.engagement(owner, platforms, followers, rates, n),
        "credibility": score.credibility(owner, followers, credibilities, n),
    }
    scores = score.composite(figures.pagerank, figures.core, extra["reach"],
                             extra["engagement"], extra["credibility"],
                             parameters["score_weights"])
    # No common tag: no stored label; the pages say "Community N" in the user's language.
    labels = score.community_labels(figures.community, *data["tags"], fallback="")
    timings["score"] = round(time.perf_counter() - started, 4)
    return figures, scores, extra, labels, graph.ecount()


# --- writing --------------------------------------------------------------------------------

def _nullable(values: np.ndarray) -> list[float | None]:
    column = values.astype(object)
    column[np.isnan(values)] = None
    return column.tolist()


SCORE_TYPES = ("int4", "int4", "float8", "int4", "float8", "int4", "float8", "float8",
               "float8", "float8", "float8", "float8", "float8", "float8", "text")


def _copy_binary(table: str, columns: tuple[str, ...], types: tuple[str, ...],
                 rows: list[tuple]) -> None:
    """PostgreSQL: COPY in binary. A float goes as its 8 bytes: in text, Python's repr and
    the server's parsing of 1.3M floats cost ~1 s of client CPU and more of the server's."""
    raw = db.session.connection().connection.dbapi_connection
    sql = f"COPY {table} ({', '.join(columns)}) FROM STDIN (FORMAT BINARY)"  # our names
    with raw.cursor() as cursor, cursor.copy(sql) as copy:
        copy.set_types(list(types))
        for row in rows:
            copy.write_row(row)


def _write(run: ScoringRun, ids: np.ndarray, figures, scores: score.Scores, extra: dict,
           labels: dict, timings: dict[str, float]) -> None:
    started = time.perf_counter()
    pct = scores.percentiles
    columns = (
        [run.id] * ids.size, ids.tolist(), figures.pagerank.tolist(), figures.core.tolist(),
        figures.betweenness.tolist(), figures.community.tolist(), _nullable(extra["reach"]),
        _nullable(extra["engagement"]), _nullable(extra["credibility"]), scores.score.tolist(),
        pct["network"].tolist(), _nullable(pct["reach"]), _nullable(pct["engagement"]),
        _nullable(pct["credibility"]), scores.missing,
    )
    rows = list(zip(*columns, strict=True))
    inserter = RawInserter(db.session)
    if inserter.postgresql:
        _copy_binary("influencer_score", SCORE_COLUMNS, SCORE_TYPES, rows)
    else:
        inserter.insert("influencer_score", SCORE_COLUMNS, rows)
    inserter.insert("community", ("run_id", "number", "label", "size"),
                    [(run.id, number, label[:200], size)
                     for number, (label, size) in labels.items()])
    _prune(run.id)
    timings["write"] = round(time.perf_counter() - started, 4)


def _prune(current_id: int) -> None:
    """Drop the scores and communities of every run but the latest KEEP_RUNS. The scores'
    run_id has no foreign key (migration 0006): this also drops any whose run is gone."""
    keep = {current_id, *db.session.scalars(
        select(ScoringRun.id).order_by(ScoringRun.id.desc()).limit(KEEP_RUNS))}
    db.session.execute(delete(InfluencerScore).where(InfluencerScore.run_id.not_in(keep)))
    db.session.execute(delete(Community).where(Community.run_id.not_in(keep)))


# --- the run -----------------------------------------------------------------------------

def rescore(progress: Progress | None = None, user=None) -> ScoringRun:
    """Score every live influencer; the run is stored (failed runs too, with the reason)."""
    if running_run() is not None:
        raise ServiceError(_("A scoring run is already in progress."))
    settings = weights.get_settings()
    parameters = {**settings, "seed": SEED,
                  "betweenness_samples": metrics.BETWEENNESS_SAMPLES,
                  "leiden_iterations": metrics.LEIDEN_ITERATIONS,
                  "damping": metrics.DAMPING}
    run = ScoringRun(status="running", parameters=parameters,
                     created_by_id=user.id if user is not None else None)
    db.session.add(run)
    db.session.commit()
    run_id, started = run.id, time.perf_counter()
    shown = [0]

    def report(percent: int) -> None:
        """The run's progress for the page that polls it, and the caller's callback."""
        if percent != shown[0]:
            shown[0] = percent
            db.session.execute(update(ScoringRun).where(ScoringRun.id == run_id)
                               .values(progress=percent))
            db.session.commit()
        if progress is not None:
            progress(percent)

    report(0)
    timings: dict[str, float] = {}
    try:
        data = scoring_data.read(timings)
        report(10)
        figures, scores, extra, labels, edges = _compute(data, parameters, timings, report)
        report(80)
        _write(run, data["ids"], figures, scores, extra, labels, timings)
        run.status, run.nodes, run.edges = "done", int(data["ids"].size), edges
    except Exception as error:  # stored as the run's reason, then raised again
        db.session.rollback()
        run = db.session.get(ScoringRun, run_id)
        run.status, run.error = "failed", f"{type(error).__name__}: {error}"[:2000]
        run.finished_at, run.timings = utcnow(), timings
        run.seconds = round(time.perf_counter() - started, 3)
        db.session.commit()
        raise
    run.timings, run.finished_at = timings, utcnow()
    run.seconds = round(time.perf_counter() - started, 3)
    db.session.commit()
    report(100)
    return run


def latest_run() -> ScoringRun | None:
    """The run the app shows: the latest finished one."""
    return db.session.scalar(select(ScoringRun).where(ScoringRun.status == "done")
                             .order_by(ScoringRun.id.desc()).limit(1))


def top(run: ScoringRun, limit: int = 10) -> list[dict[str, Any]]:
    """The run's best scores with the influencer's name and community label."""
    rows = db.session.execute(
        select(InfluencerScore, Influencer.display_name, Community.label)
        .join(Influencer, Influencer.id == InfluencerScore.influencer_id)
        .outerjoin(Community, (Community.run_id == InfluencerScore.run_id)
                   & (Community.number == InfluencerScore.community))
        .where(InfluencerScore.run_id == run.id)
        .order_by(InfluencerScore.score.desc(), InfluencerScore.influencer_id)
        .limit(limit)).all()
    return [{"influencer_id": row.influencer_id, "name": name, "score": round(row.score, 2),
             "pagerank": row.pagerank, "core": row.core,
             "community": label or f"Community {row.community}"}
            for row, name, label in rows]


def latest_scores(ids: list[int]) -> dict[int, tuple[float, int, str | None]]:
    """influencer → (score, community number, community label) in the latest finished run,
    for the given people (the network view's sizes and colours): two queries."""
    run_id = db.session.scalar(select(ScoringRun.id).where(ScoringRun.status == "done")
                               .order_by(ScoringRun.id.desc()).limit(1))
    if run_id is None or not ids:
        return {}
    rows = db.session.execute(
        select(InfluencerScore.influencer_id, InfluencerScore.score, InfluencerScore.community,
               Community.label)
        .outerjoin(Community, (Community.run_id == InfluencerScore.run_id)
                   & (Community.number == InfluencerScore.community))
        .where(InfluencerScore.run_id == run_id, InfluencerScore.influencer_id.in_(ids)))
    return {ident: (score, community, label) for ident, score, community, label in rows}


STALE_AFTER = timedelta(minutes=30)  # a "running" run older than this died with its worker


def running_run() -> ScoringRun | None:
    """The run in progress, if any (one at a time: a second one would compete for the
    cores and the write). A run left "running" by a dead worker stops counting after
    STALE_AFTER."""
    return db.session.scalar(
        select(ScoringRun).where(ScoringRun.status == "running",
                                 ScoringRun.started_at > utcnow() - STALE_AFTER)
        .order_by(ScoringRun.id.desc()).limit(1))
