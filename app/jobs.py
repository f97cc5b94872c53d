"""Background jobs (Huey).

Storage: SQLite file in the instance folder by default (nothing else to start), Redis when
`REDIS_URL` is set (team deployment, several workers), in-process and immediate when
`RELAIS_JOBS_IMMEDIATE=1` (tests). The consumer runs as
`huey_consumer app.jobs.huey` (`make run` starts one beside the web server).
"""

from __future__ import annotations

import logging
import os
from pathlib import Path

from flask import Flask, current_app, has_app_context
from huey import Huey, MemoryHuey, RedisHuey, SqliteHuey

from app import ROOT

log = logging.getLogger("relais.jobs")


def make_huey() -> Huey:
    if os.environ.get("RELAIS_JOBS_IMMEDIATE", "").lower() in {"1", "true", "yes"}:
        return MemoryHuey("relais", immediate=True)
    redis_url = os.environ.get("REDIS_URL")
    if redis_url:
        return RedisHuey("relais", url=redis_url)
    instance = Path(os.environ.get("RELAIS_INSTANCE_PATH", ROOT / "instance"))
    instance.mkdir(parents=True, exist_ok=True)
    return SqliteHuey("relais", filename=str(instance / "jobs.sqlite3"))


# Huey tasks register on one instance at decoration time, so it is built on first import
# of this module (never by create_app); constructing it opens no connection.
huey = make_huey()

_flask_app = None


def flask_app() -> Flask:
    """The app a job runs in, built once per worker process."""
    global _flask_app
    if _flask_app is None:
        from app import create_app

        _flask_app = create_app()
    return _flask_app


def _job_app() -> Flask:
    # Inline (immediate mode, tests) the job runs in the app that enqueued it; in a worker
    # there is none, and the worker's own app is used.
    if has_app_context():
        return current_app._get_current_object()  # type: ignore[attr-defined]
    return flask_app()


@huey.task()
def ping() -> str:
    with _job_app().app_context():
        return "pong"


@huey.task()
def run_import(import_id: int, dry_run: bool) -> dict | None:
    """Check (dry run) or import one uploaded file, recording progress on its Import row.

    A fresh app context gives the job its own database session, as in a worker process.
    """
    with _job_app().app_context():
        return _run_import(import_id, dry_run)


def _run_import(import_id: int, dry_run: bool) -> dict | None:
    from app.extensions import db
    from app.models import Import
    from app.services import ServiceError
    from app.services import imports as service

    imp = db.session.get(Import, import_id)
    if imp is None:  # deleted while queued: nothing to do
        log.warning("import %s vanished before its job ran", import_id)
        return None

    if imp.status != "running" or imp.started_at is not None:
        # Taken off the queue meanwhile (app.services.imports.cancel_waiting), or run
        # already: nothing to do.
        log.warning("import %s is no longer queued; its job is skipped", import_id)
        return None
    # Marked "queued" by the wizard (app.services.imports.mark_queued): back to the step
    # it came from, which the service accepts to run from.
    imp.status = "uploaded" if dry_run else "checked"

    def progress(percent: int) -> None:
        # The service commits each batch with its progress; committing here too keeps the
        # bar moving whatever the service does between batches.
        current = db.session.get(Import, import_id)
        if current is not None and current.progress != percent:
            current.progress = max(0, min(100, int(percent)))
            db.session.commit()

    try:
        return service.run(imp, dry_run=dry_run, progress=progress)
    except ServiceError as error:
        # The service has recorded the failure (status "failed", its reason) already.
        log.info("import %s refused: %s", import_id, error)
        return None


@huey.task()
def run_scoring(user_id: int | None) -> int | None:
    """A full rescoring (app.services.scoring.rescore); the run row carries its progress.
    → the run's id, or None when another run was in progress."""
    with _job_app().app_context():
        from app.extensions import db
        from app.models import User
        from app.services import ServiceError, scoring

        user = db.session.get(User, user_id) if user_id else None
        try:
            return scoring.rescore(user=user).id
        except ServiceError as error:
            log.info("scoring refused: %s", error)
            return None


@huey.task()
def render_contract_batch(batch_id: int) -> None:
    """The ZIP of a campaign's contracts (app.services.contract_batches.run): the row
    carries the progress the page polls."""
    with _job_app().app_context():
        from app.services import contract_batches

        contract_batches.run(batch_id)
