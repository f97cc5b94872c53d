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

from app.core import jobs_lease
from app.core.bulk import RawInserter, vacuum
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

def _parameters() -> dict[str, Any]:
    return {**weights.get_settings(), "seed": SEED,
            "betweenness_samples": metrics.BETWEENNESS_SAMPLES,
            "leiden_iterations": metrics.LEIDEN_ITERATIONS, "damping": metrics.DAMPING}


def queue(user=None) -> ScoringRun:
    """A run asked for from the page: stored as "queued" before the job is enqueued, so the
    page shows it (and polls it) whether or not the worker has started it yet."""
    if running_run() is not None:
        raise ServiceError(_("A scoring run is already in progress."))
    run = ScoringRun(status="queued", parameters=_parameters(),
                     created_by_id=user.id if user is not None else None)
    db.session.add(run)
    db.session.commit()
    return run


def _start(run_id: int | None, user) -> ScoringRun:
    """The run row, now "running": the queued one given, or a new one."""
    if run_id is None:
        if running_run() is not None:
            raise ServiceError(_("A scoring run is already in progress."))
        run = ScoringRun(status="running", progress=0, parameters=_parameters(),
                         created_by_id=user.id if user is not None else None)
        db.session.add(run)
        db.session.commit()
        return run
    # Claimed in one statement: a job delivered twice carries its run out once. The
    # weights are taken as they are when it starts.
    claimed = db.session.execute(
        update(ScoringRun).where(ScoringRun.id == run_id, ScoringRun.status == "queued")
        .values(status="running", progress=0, started_at=utcnow(), parameters=_parameters(),
                heartbeat_at=utcnow())
    ).rowcount
    db.session.commit()
    if not claimed:
        raise ServiceError(_("This scoring run is no longer waiting to start."))
    return db.session.get(ScoringRun, run_id)


def _failed(run_id: int, error: BaseException | str, timings: dict[str, float],
            seconds: float | None) -> None:
    db.session.rollback()
    run = db.session.get(ScoringRun, run_id)
    reason = error if isinstance(error, str) else f"{type(error).__name__}: {error}"
    run.status, run.error = "failed", reason[:2000]
    run.finished_at, run.timings, run.seconds = utcnow(), timings, seconds
    db.session.commit()


def fail_queued(run: ScoringRun, reason: str) -> None:
    """A queued run whose job could not be enqueued: failed, so that the page stops
    waiting for it."""
    _failed(run.id, reason, {}, None)


def rescore(progress: Progress | None = None, user=None, run_id: int | None = None
            ) -> ScoringRun:
    """Score every live influencer; the run is stored (failed runs too, with the reason).
    `run_id`: the queued run to carry out (the job's), instead of a new one."""
    run = _start(run_id, user)
    run_id, started = run.id, time.perf_counter()
    shown = [0]

    def report(percent: int) -> None:
        """The run's progress for the page that polls it, and the caller's callback."""
        if percent != shown[0]:
            shown[0] = percent
            db.session.execute(update(ScoringRun).where(ScoringRun.id == run_id)
                               .values(progress=percent, **jobs_lease.touch_values()))
            db.session.commit()
        if progress is not None:
            progress(percent)

    report(0)
    timings: dict[str, float] = {}
    try:  # the lease: a thread renews it through the long steps (app/core/jobs_lease.py)
        with jobs_lease.keep_alive(ScoringRun, run_id):
            data = scoring_data.read(timings)
            report(10)
            figures, scores, extra, labels, edges = _compute(data, run.parameters, timings,
                                                             report)
            report(80)
            _write(run, data["ids"], figures, scores, extra, labels, timings)
        run.status, run.nodes, run.edges = "done", int(data["ids"].size), edges
    except Exception as error:  # stored as the run's reason, then raised again
        _failed(run_id, error, timings, round(time.perf_counter() - started, 3))
        raise
    run.timings, run.finished_at = timings, utcnow()
    run.seconds, run.progress = round(time.perf_counter() - started, 3), 100
    db.session.commit()
    # PostgreSQL plans the list's reads of the new scores with statistics of before the
    # run (a bitmap over the whole run for a page's 25 scores) until autovacuum's ANALYZE.
    vacuum(("influencer_score", "community"), analyze=True)
    if progress is not None and shown[0] != 100:
        progress(100)
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


STALE_AFTER = timedelta(minutes=30)  # a run still "queued" or "running" by then died
IN_PROGRESS = ("queued", "running")


def expire_stranded() -> list[int]:
    """Fail every running run whose worker stopped (its lease ran out); → their ids."""
    return jobs_lease.expire(ScoringRun, ScoringRun.started_at)


def running_run() -> ScoringRun | None:
    """The run queued or in progress, if any (one at a time: a second one would compete for
    the cores and the write). A running run whose worker stopped is failed when its lease
    runs out (expire_stranded); one queued that no worker took stops counting after
    STALE_AFTER."""
    expire_stranded()
    return db.session.scalar(
        select(ScoringRun).where(ScoringRun.status.in_(IN_PROGRESS),
                                 ScoringRun.started_at > utcnow() - STALE_AFTER)
        .order_by(ScoringRun.id.desc()).limit(1))


def current_run() -> ScoringRun | None:
    """The latest run whatever its state: what the network page's status shows (queued,
    running with its progress, done or failed), read from the row on every request, so a
    run that finished before the page was drawn shows as finished, and one whose worker
    stopped as failed."""
    expire_stranded()
    return db.session.scalar(select(ScoringRun).order_by(ScoringRun.id.desc()).limit(1))


def is_stale(run: ScoringRun) -> bool:
    """A run still queued or running after STALE_AFTER: its worker is gone."""
    return run.status in IN_PROGRESS and run.started_at <= utcnow() - STALE_AFTER


WORKER_LATE = timedelta(seconds=30)  # queued this long: the page asks whether a worker runs


def waits_for_a_worker(run: ScoringRun) -> bool:
    """Queued for longer than a free worker would take to start it."""
    return run.status == "queued" and run.started_at <= utcnow() - WORKER_LATE
