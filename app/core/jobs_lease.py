"""Jobs' leases: a background job is running, finished or failed, never silently stuck.

A job touches its row's `heartbeat_at` while it runs (at each batch or progress update,
and from a `keep_alive` thread through long steps). A row still "running" whose lease is
older than RELAIS_JOB_LEASE_SECONDS lost its worker (killed, out of memory, machine
restarted): `expire` marks it failed with the reason. The pages that show a job's status
and the worker at its start call it; a job that finds its row no longer queued does
nothing, so a restarted worker never resumes a failed job silently.
"""

from __future__ import annotations

import logging
import os
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from flask import current_app
from sqlalchemy import func, or_, select, update
from sqlalchemy.exc import SQLAlchemyError

from app.extensions import db
from app.models.base import utcnow

log = logging.getLogger("relais.jobs")
DEFAULT_SECONDS = 120
# The reason stored on a row whose lease ran out (the pages translate it).
WORKER_STOPPED = "The job worker stopped before the job finished."


def lease() -> timedelta:
    """How long a running job may go without touching its row."""
    seconds = current_app.config.get("RELAIS_JOB_LEASE_SECONDS", DEFAULT_SECONDS)
    return timedelta(seconds=max(1, int(seconds)))


def _last_sign(model: Any, since: Any) -> Any:
    """The row's last sign of life: its heartbeat, else when it started."""
    return func.coalesce(model.heartbeat_at, since)


def expire(model: Any, since: Any, reason: str = WORKER_STOPPED,
           alive: Callable[[int, datetime], bool] | None = None) -> list[int]:
    """Mark failed (with `reason`) every "running" row of `model` whose lease is over;
    → their ids. `since`: the column telling when the row started (a row never touched);
    `alive(id, cutoff)`: another sign of life the job gives (e.g. a file it writes).

    Each row is failed by one conditional UPDATE: a job that touched its row meanwhile, or
    finished it, keeps it. The candidates are read first, so that a page that finds none
    writes nothing (a bulk import holds SQLite's write lock)."""
    cutoff = utcnow() - lease()
    candidates = db.session.scalars(select(model.id).where(
        model.status == "running", or_(_last_sign(model, since) < cutoff,
                                       _last_sign(model, since).is_(None)))).all()
    failed = []
    for ident in candidates:
        if alive is not None and alive(ident, cutoff):
            continue
        done = db.session.execute(
            update(model).where(model.id == ident, model.status == "running",
                                or_(_last_sign(model, since) < cutoff,
                                    _last_sign(model, since).is_(None)))
            .values(status="failed", error=reason, finished_at=utcnow())
            .execution_options(synchronize_session=False)).rowcount
        if done:
            failed.append(ident)
            log.warning("%s %s: lease over, marked failed", model.__name__, ident)
    if candidates:
        db.session.commit()
    if failed:
        db.session.expire_all()
    return failed


def touch_values() -> dict[str, datetime]:
    """What a job adds to the update of its row at each batch: its lease renewed."""
    return {"heartbeat_at": utcnow()}


def touch(model: Any, ident: int) -> None:
    """Renew a row's lease (not committed: the caller commits with its progress)."""
    db.session.execute(update(model).where(model.id == ident).values(**touch_values())
                       .execution_options(synchronize_session=False))


@contextmanager
def keep_alive(model: Any, ident: int) -> Iterator[None]:
    """Renew the row's lease from a thread, on its own connection, now and every third of
    the lease while the block runs: for steps that report no progress for a long time."""
    app = current_app._get_current_object()  # type: ignore[attr-defined]

    def beat() -> None:
        try:
            with app.app_context(), db.engine.begin() as connection:
                connection.execute(update(model).where(model.id == ident)
                                   .values(**touch_values()))
        except SQLAlchemyError:  # busy: the next beat tries again
            log.warning("heartbeat of %s %s failed", model.__name__, ident, exc_info=True)

    yield from _beating(beat, f"lease-{model.__name__}-{ident}")


def _beating(beat: Callable[[], None], name: str) -> Iterator[None]:
    """Run `beat` now and every third of the lease until the block ends."""
    interval = lease().total_seconds() / 3
    stop = threading.Event()

    def loop() -> None:
        while not stop.wait(interval):
            beat()

    beat()  # renewed before the block starts
    thread = threading.Thread(target=loop, name=name, daemon=True)
    thread.start()
    try:
        yield
    finally:
        stop.set()
        thread.join(timeout=5)


@contextmanager
def keep_file_alive(path: Path) -> Iterator[None]:
    """Renew a lease kept as a file's modification time (created if missing, never
    truncated): a job holding a long transaction cannot update its row where others see
    it (a bulk import), and SQLite would make its heartbeat wait for the write lock."""

    def beat() -> None:
        try:
            fd = os.open(path, os.O_WRONLY | os.O_CREAT, 0o600)
            try:
                os.utime(fd)
            finally:
                os.close(fd)
        except OSError:
            log.warning("heartbeat file %s could not be touched", path, exc_info=True)

    yield from _beating(beat, f"lease-{path.name}")


def file_alive(path: Path, cutoff: datetime) -> bool:
    """Whether the file a job keeps alive was touched since `cutoff`."""
    try:
        touched = datetime.fromtimestamp(path.stat().st_mtime, UTC)
    except OSError:
        return False
    return touched >= cutoff
