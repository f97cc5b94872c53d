"""Background jobs (Huey).

Storage: SQLite file in the instance folder by default (nothing else to start), Redis when
`REDIS_URL` is set (team deployment, several workers), in-process and immediate when
`RELAIS_JOBS_IMMEDIATE=1` (tests). The consumer runs as
`huey_consumer app.worker.huey` (`make run` starts one beside the web server).

Each feature declares its own tasks in its `tasks.py` (on this module's `huey`), and its
views enqueue them; app/worker.py imports them all for the consumer.
"""

from __future__ import annotations

import os
from pathlib import Path

from flask import Flask, current_app, has_app_context
from huey import Huey, MemoryHuey, RedisHuey, SqliteHuey

from app import ROOT


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


def job_app() -> Flask:
    # Inline (immediate mode, tests) the job runs in the app that enqueued it; in a worker
    # there is none, and the worker's own app is used.
    if has_app_context():
        return current_app._get_current_object()  # type: ignore[attr-defined]
    return flask_app()


@huey.task()
def ping() -> str:
    with job_app().app_context():
        return "pong"
