"""The import's background job: a dry run or an import of one uploaded file."""

from __future__ import annotations

import logging

from app.core.errors import ServiceError
from app.extensions import db
from app.imports import retention, service
from app.jobs import huey, job_app
from app.models import Import

log = logging.getLogger("relais.jobs")


@huey.task()
def run_import(import_id: int, dry_run: bool) -> dict | None:
    """Check (dry run) or import one uploaded file, recording progress on its Import row.

    A fresh app context gives the job its own database session, as in a worker process.
    """
    with job_app().app_context():
        return _run_import(import_id, dry_run)


def _run_import(import_id: int, dry_run: bool) -> dict | None:
    imp = db.session.get(Import, import_id)
    if imp is None:  # deleted while queued: nothing to do
        log.warning("import %s vanished before its job ran", import_id)
        return None

    if imp.status != "queued":
        # Taken off the queue meanwhile (service.cancel_waiting), or run already.
        log.warning("import %s is no longer queued; its job is skipped", import_id)
        return None

    def progress(percent: int) -> None:
        # The service commits each batch with its progress; committing here too keeps the
        # bar moving whatever the service does between batches.
        current = db.session.get(Import, import_id)
        if current is not None and current.progress != percent:
            current.progress = max(0, min(100, int(percent)))
            db.session.commit()

    try:
        report = service.run(imp, dry_run=dry_run, progress=progress)
        _purge_old_files()
        return report
    except ServiceError as error:
        # The service has recorded the failure (status "failed", its reason) already.
        log.info("import %s refused: %s", import_id, error)
        return None


def _purge_old_files() -> None:
    """Once an import is done, the files older than the retention period go (never a
    reason for the import itself to fail)."""
    try:
        retention.purge_files()
    except Exception:  # noqa: BLE001 - logged; the next import or the CLI tries again
        db.session.rollback()
        log.exception("purging old import files failed")
