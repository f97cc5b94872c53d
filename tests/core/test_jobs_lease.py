"""The job worker, at its start, fails the rows of every kind of job whose worker stopped
(app/worker.py, app/core/jobs_lease.py)."""

from __future__ import annotations

from datetime import timedelta

from app.models import ContractBatch, Import, ScoringRun
from app.models.base import utcnow
from app.worker import EXPIRERS, expire_stranded
from tests.factories import make_campaign


def test_the_worker_start_fails_every_kind_of_stranded_job(db):
    old = utcnow() - timedelta(hours=1)
    rows = [Import(filename="a.csv", status="running", started_at=old, heartbeat_at=old,
                   dry_run=False),
            ScoringRun(status="running", started_at=old, heartbeat_at=old, parameters={}),
            ContractBatch(campaign_id=make_campaign().id, status="running", created_at=old,
                          heartbeat_at=old),
            ScoringRun(status="running", parameters={}, heartbeat_at=utcnow())]
    db.session.add_all(rows)
    db.session.commit()
    assert len(EXPIRERS) == 3
    assert expire_stranded() == 3
    db.session.expire_all()
    assert [row.status for row in rows] == ["failed", "failed", "failed", "running"]
