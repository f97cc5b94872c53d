"""The job consumer's entry point: `huey_consumer app.worker.huey` loads every feature's
tasks onto the one Huey instance of app/jobs.py, and at its start fails the jobs a dead
worker left running once their lease is over (app/core/jobs_lease.py)."""

import logging

from app.auth import tasks as auth_tasks
from app.contracts import batches
from app.contracts import tasks as contract_tasks
from app.imports import lease as import_lease
from app.imports import tasks as import_tasks
from app.jobs import huey, job_app
from app.scoring import rescoring
from app.scoring import tasks as scoring_tasks

TASK_MODULES = (auth_tasks, contract_tasks, import_tasks, scoring_tasks)
# Each kind of job: the function failing its rows whose worker stopped.
EXPIRERS = (import_lease.expire_stranded, rescoring.expire_stranded, batches.expire_stranded)

log = logging.getLogger("relais.jobs")


def expire_stranded() -> int:
    """Fail every job row whose worker stopped; → how many (in an app context)."""
    return sum(len(expire()) for expire in EXPIRERS)


@huey.on_startup()
def _at_start() -> None:
    try:
        with job_app().app_context():
            expire_stranded()
    except Exception:  # noqa: BLE001 - the worker starts whatever the database says
        log.exception("failing the stranded jobs at the worker's start failed")


__all__ = ["EXPIRERS", "TASK_MODULES", "expire_stranded", "huey"]
