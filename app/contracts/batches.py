"""All the contracts of a campaign as one ZIP, built by a background job with its progress
on a ContractBatch row.

A contract already rendered goes in as its latest stored document, byte for byte (the
signed one when there is one: what was signed is what is handed out); a contract never
rendered is rendered from its current terms, on every core (app/contracts/batch_render.py).
"""

from __future__ import annotations

import logging
import time
from datetime import timedelta
from pathlib import Path

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import select

from app.contracts.terms import live_contracts
from app.core import jobs_lease
from app.core.errors import NotFound, ServiceError
from app.extensions import db
from app.models import Campaign, Contract, ContractBatch, User
from app.models.base import utcnow

log = logging.getLogger("relais.contracts")
STALE_AFTER = timedelta(hours=1)  # a queued batch no worker took by then is not waited for


def _folder() -> Path:
    folder = Path(current_app.config["INSTANCE_PATH"]) / "contract_batches"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def contract_ids(campaign: Campaign) -> list[int]:
    return list(db.session.scalars(live_contracts(campaign.id).with_only_columns(Contract.id)))


def expire_stranded() -> list[int]:
    """Fail every running batch whose worker stopped (its lease ran out); → their ids."""
    return jobs_lease.expire(ContractBatch, ContractBatch.created_at)


def running(campaign: Campaign) -> ContractBatch | None:
    expire_stranded()
    return db.session.scalar(
        select(ContractBatch).where(ContractBatch.campaign_id == campaign.id,
                                    ContractBatch.status.in_(("queued", "running")),
                                    ContractBatch.created_at > utcnow() - STALE_AFTER)
        .order_by(ContractBatch.id.desc()).limit(1))


def latest(campaign: Campaign) -> ContractBatch | None:
    expire_stranded()
    return db.session.scalar(select(ContractBatch).where(ContractBatch.campaign_id == campaign.id)
                             .order_by(ContractBatch.id.desc()).limit(1))


def get_batch(campaign: Campaign, batch_id: int) -> ContractBatch:
    expire_stranded()  # the page polls it: a dead worker's batch shows as failed
    batch = db.session.get(ContractBatch, batch_id)
    if batch is None or batch.campaign_id != campaign.id:
        raise NotFound(_("This download does not exist."))
    return batch


def start(campaign: Campaign, user: User) -> tuple[ContractBatch, bool]:
    """(batch, new): the batch under way, or a new one (new=True) for the caller to enqueue
    with contracts.tasks.render_contract_batch: one batch at a time per campaign."""
    ids = contract_ids(campaign)
    if not ids:
        raise ServiceError(_("This campaign has no contract yet."))
    current = running(campaign)
    if current is not None:
        return current, False
    batch = ContractBatch(campaign_id=campaign.id, total=len(ids), created_by_id=user.id)
    db.session.add(batch)
    db.session.commit()
    return batch, True


def _progress(batch_id: int):
    def report(percent: int) -> None:
        db.session.query(ContractBatch).filter_by(id=batch_id).update(
            {"progress": max(0, min(int(percent), 99)), **jobs_lease.touch_values()})
        db.session.commit()

    return report


def run(batch_id: int) -> None:
    """The job's body: build the ZIP, record the outcome on the batch row."""
    from app.contracts.batch_render import render_zip

    batch = db.session.get(ContractBatch, batch_id)
    if batch is None or batch.status != "queued":
        return
    campaign = db.session.get(Campaign, batch.campaign_id)
    batch.status, batch.heartbeat_at = "running", utcnow()
    db.session.commit()
    started = time.perf_counter()
    path = _folder() / f"campaign-{batch.campaign_id}-batch-{batch.id}.zip"
    try:
        with jobs_lease.keep_alive(ContractBatch, batch_id):  # app/core/jobs_lease.py
            render_zip(contract_ids(campaign), path, progress=_progress(batch_id))
    except Exception as error:  # noqa: BLE001 - any failure is recorded for the page
        log.exception("contract batch %s failed", batch_id)
        db.session.rollback()
        batch = db.session.get(ContractBatch, batch_id)
        batch.status, batch.error = "failed", str(error)[:500]
        batch.finished_at = utcnow()
        db.session.commit()
        return
    batch = db.session.get(ContractBatch, batch_id)
    batch.status, batch.progress, batch.path = "done", 100, str(path)
    batch.size, batch.seconds = path.stat().st_size, time.perf_counter() - started
    batch.finished_at = utcnow()
    db.session.commit()
    _remove_older(batch)


def _remove_older(batch: ContractBatch) -> None:
    """Only the newest ZIP of a campaign is kept on disk."""
    older = db.session.scalars(select(ContractBatch).where(
        ContractBatch.campaign_id == batch.campaign_id, ContractBatch.id < batch.id,
        ContractBatch.path.is_not(None)))
    for row in older:
        Path(row.path).unlink(missing_ok=True)
        row.path = None
    db.session.commit()


def download_path(batch: ContractBatch) -> Path:
    if batch.status != "done" or not batch.path or not Path(batch.path).is_file():
        raise NotFound(_("This file is no longer available: build the ZIP again."))
    return Path(batch.path)
