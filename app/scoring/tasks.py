"""The scoring's background job: a full rescoring."""

from __future__ import annotations

import logging

from flask_babel import gettext as _

from app.core.errors import ServiceError
from app.extensions import db
from app.jobs import huey, job_app
from app.models import ScoringRun, User
from app.scoring import rescoring

log = logging.getLogger("relais.jobs")


@huey.task()
def run_scoring(user_id: int | None, run_id: int | None = None) -> int | None:
    """A full rescoring (rescoring.rescore) of the queued run `run_id` (or of a new run);
    the run row carries its state and progress. → the run's id, or None when refused."""
    with job_app().app_context():
        user = db.session.get(User, user_id) if user_id else None
        try:
            return rescoring.rescore(user=user, run_id=run_id).id
        except ServiceError as error:
            log.info("scoring refused: %s", error)
            return None


def start_scoring(user) -> ScoringRun:
    """Queue a run and its job (the network page's button). The run is stored "queued"
    first, so the page polls it from the redirect on, even when the job has already
    finished it; a job that cannot be enqueued leaves the run failed, not waiting forever.
    Inline (immediate mode) a failing run is stored failed by the run itself: the page
    shows it."""
    run = rescoring.queue(user)
    run_id = run.id
    try:
        run_scoring(user.id if user is not None else None, run_id)
    except Exception as error:  # noqa: BLE001 - the run row tells what happened
        log.exception("scoring job failed or not enqueued")
        db.session.rollback()
        run = db.session.get(ScoringRun, run_id)
        if run.status == "queued":
            rescoring.fail_queued(run, f"{type(error).__name__}: {error}")
            raise ServiceError(_("The scoring run could not be started.")) from error
    return run
