"""The job consumer's entry point: `huey_consumer app.worker.huey` loads every feature's
tasks onto the one Huey instance of app/jobs.py."""

from app.contracts import tasks as contract_tasks
from app.imports import tasks as import_tasks
from app.jobs import huey
from app.scoring import tasks as scoring_tasks

TASK_MODULES = (contract_tasks, import_tasks, scoring_tasks)

__all__ = ["TASK_MODULES", "huey"]
