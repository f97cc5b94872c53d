"""A scoring run whose worker died is failed once its lease is over (app/core/jobs_lease.py),
never left "running": the page shows it failed, a new run may start, and the dead run's job
delivered again does nothing."""

from __future__ import annotations

import time
from datetime import timedelta

from sqlalchemy import update

from app.core import jobs_lease
from app.extensions import db
from app.models import ScoringRun
from app.models.base import utcnow
from app.scoring import rescoring as scoring
from app.scoring import tasks


def _running(seconds_ago: int) -> int:
    """A run "running" whose job last renewed its lease `seconds_ago`."""
    then = utcnow() - timedelta(seconds=seconds_ago)
    run = ScoringRun(status="running", started_at=then, heartbeat_at=then, parameters={})
    db.session.add(run)
    db.session.commit()
    return run.id


def test_a_run_whose_worker_died_is_failed_and_another_may_start(db):
    run_id = _running(600)
    current = scoring.current_run()
    assert (current.id, current.status) == (run_id, "failed")
    assert current.error == jobs_lease.WORKER_STOPPED and current.finished_at is not None
    assert scoring.running_run() is None
    queued = scoring.queue()  # no "already in progress"
    assert queued.status == "queued"


def test_a_live_run_keeps_its_lease(db):
    run_id = _running(30)
    assert scoring.running_run().id == run_id
    assert scoring.current_run().status == "running"
    assert scoring.expire_stranded() == []


def test_a_run_never_touched_is_judged_by_its_start(db):
    then = utcnow() - timedelta(seconds=600)
    run = ScoringRun(status="running", started_at=then, parameters={})
    db.session.add(run)
    db.session.commit()
    assert scoring.expire_stranded() == [run.id]


def test_the_job_of_a_failed_run_does_nothing(db):
    run_id = _running(600)
    scoring.expire_stranded()
    assert tasks.run_scoring.call_local(None, run_id) is None
    db.session.expire_all()
    assert db.session.get(ScoringRun, run_id).status == "failed"


def test_a_run_renews_its_lease_while_it_computes(app, db, monkeypatch):
    """A thread renews it through the long steps, which report no progress."""
    monkeypatch.setitem(app.config, "RELAIS_JOB_LEASE_SECONDS", 1)
    seen = []
    real = scoring.scoring_data.read

    def slow_read(timings):
        run_id = db.session.scalar(db.select(ScoringRun.id).order_by(ScoringRun.id.desc()))
        db.session.execute(update(ScoringRun).where(ScoringRun.id == run_id)
                           .values(heartbeat_at=utcnow() - timedelta(hours=1)))
        db.session.commit()
        time.sleep(0.8)  # a beat every third of a second
        db.session.expire_all()
        seen.append(db.session.get(ScoringRun, run_id).heartbeat_at)
        assert scoring.expire_stranded() == []
        return real(timings)

    monkeypatch.setattr(scoring.scoring_data, "read", slow_read)
    run = scoring.rescore()
    assert run.status == "done"
    assert seen[0] > utcnow() - timedelta(seconds=2)
