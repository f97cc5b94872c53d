"""A real job worker (`huey_consumer app.worker.huey`, as `make run` starts it) killed with
`kill -9` in the middle of a big import, in both modes: the import is failed once its
lease (3 s here) is over, with what it committed; the revert removes exactly that; a
restarted worker does not resume it, even handed its job again."""

from __future__ import annotations

import os
import secrets
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from huey.storage import SqliteStorage
from sqlalchemy import func, select

from app.extensions import db as _db
from app.imports import lease, tasks
from app.imports import revert as import_revert
from app.imports import service as imports
from app.models import Import, Influencer
from tests.factories import make_influencer, make_user

ROOT = Path(__file__).resolve().parents[2]
CONSUMER = Path(sys.executable).parent / "huey_consumer"
LEASE = 3
pytestmark = pytest.mark.slow


def _start_worker(app, database_url: str, bulk: bool) -> subprocess.Popen:
    env = {**os.environ, "DATABASE_URL": database_url, "RELAIS_ENV": "production",
           "SECRET_KEY": secrets.token_hex(32), "RELAIS_INSTANCE_PATH": app.instance_path,
           "RELAIS_JOB_LEASE_SECONDS": str(LEASE),
           "RELAIS_IMPORT_BULK_ROWS": "1000" if bulk else str(10**9)}
    for name in ("RELAIS_JOBS_IMMEDIATE", "REDIS_URL"):
        env.pop(name, None)
    # Its own process group: the kill takes the file-reading child process too.
    return subprocess.Popen(  # noqa: S603 - fixed argv
        [str(CONSUMER), "app.worker.huey", "-w", "1", "-q"], cwd=ROOT, env=env,
        start_new_session=True)


def _kill(worker: subprocess.Popen) -> None:
    if worker.poll() is None:
        os.killpg(worker.pid, signal.SIGKILL)
    worker.wait(timeout=10)


def _enqueue(app, imp_id: int) -> None:
    """The import's job put where the worker reads (the tests' own queue runs inline)."""
    storage = SqliteStorage("relais", filename=str(Path(app.instance_path) / "jobs.sqlite3"))
    storage.enqueue(tasks.huey.serialize_task(tasks.run_import.s(imp_id, False)))


def _wait(condition: Callable[[], object], seconds: float, what: str) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        _db.session.expire_all()
        _db.session.rollback()
        if condition():
            return
        time.sleep(0.05)
    pytest.fail(f"timed out waiting for {what}")


def _people(imp_id: int) -> int:
    return _db.session.scalar(select(func.count()).select_from(Influencer)
                              .where(Influencer.import_id == imp_id))


def _status(imp_id: int) -> str:
    return _db.session.get(Import, imp_id).status


@pytest.mark.parametrize("bulk", [False, True], ids=["batch", "bulk"])
def test_an_import_whose_worker_is_killed_fails_and_reverts_exactly(
        app, db, database_url, tmp_path, people_csv, monkeypatch, bulk):
    monkeypatch.setitem(app.config, "RELAIS_JOB_LEASE_SECONDS", LEASE)
    before = make_influencer(display_name="Déjà là").id
    path = tmp_path / "liste.csv"
    path.write_bytes(people_csv(30000).encode("cp1252"))
    imp = imports.create_import(path, "liste.csv", make_user("member"))
    imp_id = imp.id
    imports.mark_queued(imp, dry_run=False)
    progress = imports.progress_path(imp_id)

    def halfway() -> bool:
        if bulk:
            return imports.live_progress(_db.session.get(Import, imp_id)) >= 15
        return _db.session.get(Import, imp_id).progress >= 15

    worker = _start_worker(app, database_url, bulk)
    try:
        _enqueue(app, imp_id)
        # A bound, not a pause: 20 s ran out once on a slow hour of this 2-core host with
        # the suite on both cores (the worker starts, then imports row by row).
        _wait(halfway, 60, "the import to be under way")
        _kill(worker)
        _db.session.expire_all()
        assert _status(imp_id) == "running"  # stranded, until its lease is over
        committed = _people(imp_id)
        assert (committed == 0) if bulk else (committed > 0)

        worker = _start_worker(app, database_url, bulk)  # restarted: resumes nothing
        _wait(lambda: lease.expire_stranded() or _status(imp_id) == "failed", LEASE + 10,
              "the lease to run out")
        failed = _db.session.get(Import, imp_id)
        assert failed.error == "The job worker stopped before the job finished."
        assert failed.created == committed and not progress.exists()

        _enqueue(app, imp_id)  # the job delivered again
        time.sleep(1.5)
        _db.session.expire_all()
        assert _status(imp_id) == "failed" and _people(imp_id) == committed
    finally:
        _kill(worker)

    import_revert.revert(_db.session.get(Import, imp_id), None)
    assert _status(imp_id) == "reverted" and _people(imp_id) == 0
    assert _db.session.scalar(select(func.count()).select_from(Influencer)) == 1
    assert _db.session.get(Influencer, before) is not None
