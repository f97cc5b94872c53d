"""The scoring's background job: a full rescoring."""

from __future__ import annotations

import logging

from app.core.errors import ServiceError
from app.extensions import db
from app.jobs import huey, job_app
from app.models import User
from app.scoring import rescoring

log = logging.getLogger("relais.jobs")


@huey.task()
def run_scoring(user_id: int | None) -> int | None:
    """A full rescoring (rescoring.rescore); the run row carries its progress.
    → the run's id, or None when another run was in progress."""
    with job_app().app_context():
        user = db.session.get(User, user_id) if user_id else None
        try:
            return rescoring.rescore(user=user).id
        except ServiceError as error:
            log.info("scoring refused: %s", error)
            return None
