"""A contract batch whose worker died is failed once its lease is over
(app/core/jobs_lease.py), never left "running": its page says it failed, a new batch may
start, and the dead batch's job delivered again does nothing."""

from __future__ import annotations

from datetime import timedelta

from app.contracts import batches
from app.core import jobs_lease
from app.extensions import db
from app.models import ContractBatch
from app.models.base import utcnow
from tests.factories import make_campaign, make_contract, make_user


def _running_batch(seconds_ago: int):
    contract = make_contract()
    campaign = make_campaign(brand=contract.brand)
    contract.campaign_id = campaign.id
    then = utcnow() - timedelta(seconds=seconds_ago)
    batch = ContractBatch(campaign_id=campaign.id, status="running", total=1, progress=40,
                          created_at=then, heartbeat_at=then)
    db.session.add(batch)
    db.session.commit()
    return campaign, batch.id


def test_a_batch_whose_worker_died_is_failed_and_another_may_start(db, member_client):
    campaign, batch_id = _running_batch(600)
    page = member_client.get(f"/campaigns/{campaign.id}/contract-batches/{batch_id}/progress",
                             headers={"Accept-Language": "en"})
    assert b"The ZIP could not be built" in page.data
    batch = db.session.get(ContractBatch, batch_id)
    assert (batch.status, batch.error) == ("failed", jobs_lease.WORKER_STOPPED)
    assert batches.running(campaign) is None
    new, started = batches.start(campaign, make_user("member"))
    assert started and new.id != batch_id


def test_a_live_batch_keeps_its_lease(db):
    campaign, batch_id = _running_batch(30)
    assert batches.running(campaign).id == batch_id
    assert batches.expire_stranded() == []


def test_the_job_of_a_failed_batch_does_nothing(db):
    _campaign, batch_id = _running_batch(600)
    assert batches.expire_stranded() == [batch_id]
    batches.run(batch_id)
    db.session.expire_all()
    batch = db.session.get(ContractBatch, batch_id)
    assert (batch.status, batch.path) == ("failed", None)
