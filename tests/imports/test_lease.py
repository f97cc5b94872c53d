"""An import whose job worker died is failed once its lease is over, never left "running"
(app/imports/lease.py, app/core/jobs_lease.py): it keeps the counts of what it committed,
its progress file is removed, the revert removes exactly that, and its job does nothing
if it is delivered again. The worker's death is a BaseException thrown mid-import: like a
`kill -9`, it runs none of the import's failure handling (the real kill: test_worker_killed).
"""

from __future__ import annotations

import os
import time
from datetime import timedelta

import pytest
from sqlalchemy import func, select, update

from app.core import jobs_lease, search_index
from app.core.errors import ServiceError
from app.extensions import db as _db
from app.imports import lease, lifecycle, tasks
from app.imports import revert as import_revert
from app.imports import service as imports
from app.models import Import, Influencer
from app.models.base import utcnow
from tests.factories import make_influencer, make_user


class WorkerKilled(BaseException):
    """The worker's death: no `except Exception` of the import sees it."""


def _die_after(batches: int):
    seen = []

    def progress(_percent: int) -> None:
        seen.append(1)
        if len(seen) >= batches:
            raise WorkerKilled

    return progress


def _stranded(app, tmp_path, data: str, *, bulk: bool, monkeypatch) -> int:
    """An import left "running" by a dead worker, its lease (row and file) long over."""
    monkeypatch.setitem(app.config, "RELAIS_IMPORT_BULK_ROWS", 1 if bulk else 10**9)
    monkeypatch.setitem(app.config, "RELAIS_IMPORT_AHEAD_ROWS", 10**9)
    path = tmp_path / "liste.csv"
    path.write_bytes(data.encode("cp1252"))
    imp = imports.create_import(path, "liste.csv", make_user("member"))
    imp_id = imp.id
    if bulk:
        real = imports.write_progress

        def dying(import_id: int, percent: int) -> None:
            real(import_id, percent)
            raise WorkerKilled

        monkeypatch.setattr(imports, "write_progress", dying)
    with pytest.raises(WorkerKilled):
        imports.run(imp, dry_run=False, progress=None if bulk else _die_after(2))
    _db.session.rollback()  # what the database does with a dead connection's transaction
    _db.session.info.pop(search_index.DEFERRED, None)
    monkeypatch.undo()
    _age(imp_id)
    return imp_id


def _age(imp_id: int, seconds: int = 600) -> None:
    """The row's heartbeat and the progress file's time `seconds` ago."""
    old = utcnow() - timedelta(seconds=seconds)
    _db.session.execute(update(Import).where(Import.id == imp_id)
                        .values(heartbeat_at=old, started_at=old))
    _db.session.commit()
    path = imports.progress_path(imp_id)
    if path.exists():
        os.utime(path, (time.time() - seconds, time.time() - seconds))


def _people(imp_id: int) -> int:
    return _db.session.scalar(select(func.count()).select_from(Influencer)
                              .where(Influencer.import_id == imp_id))


def test_a_dead_batch_import_fails_with_what_it_committed_and_reverts_exactly(
        app, db, tmp_path, people_csv, small_batches, monkeypatch):
    before = make_influencer(display_name="Déjà là")
    imp_id = _stranded(app, tmp_path, people_csv(200), bulk=False, monkeypatch=monkeypatch)
    imp = _db.session.get(Import, imp_id)
    committed = _people(imp_id)
    assert imp.status == "running" and committed > 0  # two batches of 17 rows written
    assert imports.progress_path(imp_id).exists()
    assert not lifecycle.can(imp, "revert") and not lifecycle.can(imp, "cancel")

    assert lease.expire_stranded() == [imp_id]
    imp = _db.session.get(Import, imp_id)
    assert (imp.status, imp.error) == ("failed", jobs_lease.WORKER_STOPPED)
    assert imp.created == committed and imp.finished_at is not None
    assert not imports.progress_path(imp_id).exists()
    assert lease.expire_stranded() == []  # once

    import_revert.revert(imp, make_user("member"))
    assert _db.session.get(Import, imp_id).status == "reverted"
    assert _people(imp_id) == 0
    assert _db.session.scalar(select(func.count()).select_from(Influencer)) == 1
    assert _db.session.get(Influencer, before.id) is not None


def test_a_dead_bulk_import_fails_having_written_nothing(app, db, tmp_path, people_csv,
                                                          monkeypatch):
    imp_id = _stranded(app, tmp_path, people_csv(200), bulk=True, monkeypatch=monkeypatch)
    assert _db.session.get(Import, imp_id).status == "running"
    assert _db.session.scalar(select(func.count()).select_from(Influencer)) == 0
    assert imports.progress_path(imp_id).exists()

    assert lease.expire_stranded() == [imp_id]
    imp = _db.session.get(Import, imp_id)
    assert (imp.status, imp.created, imp.updated) == ("failed", 0, 0)
    assert not imports.progress_path(imp_id).exists()
    import_revert.revert(imp, None)  # allowed, and removes nothing
    assert _db.session.get(Import, imp_id).status == "reverted"


def test_a_live_import_keeps_its_lease(app, db, tmp_path, people_csv, small_batches,
                                      monkeypatch):
    imp_id = _stranded(app, tmp_path, people_csv(50), bulk=False, monkeypatch=monkeypatch)
    _age(imp_id, seconds=10)  # the lease is 120 s
    assert lease.expire_stranded() == []
    _age(imp_id)
    os.utime(imports.progress_path(imp_id))  # a bulk load's sign of life: its file
    assert lease.expire_stranded() == []
    monkeypatch.setitem(app.config, "RELAIS_JOB_LEASE_SECONDS", 3600)
    imports.progress_path(imp_id).unlink()
    assert lease.expire_stranded() == []  # 600 s old, the lease is an hour
    monkeypatch.setitem(app.config, "RELAIS_JOB_LEASE_SECONDS", 300)
    assert lease.expire_stranded() == [imp_id]


def test_the_job_of_a_failed_import_does_nothing(app, db, tmp_path, people_csv, small_batches,
                                                 monkeypatch):
    """A restarted worker handed the job again never resumes it."""
    imp_id = _stranded(app, tmp_path, people_csv(50), bulk=False, monkeypatch=monkeypatch)
    lease.expire_stranded()
    written = _people(imp_id)
    assert written > 0
    assert tasks.run_import.call_local(imp_id, False) is None
    _db.session.expire_all()
    assert _db.session.get(Import, imp_id).status == "failed" and _people(imp_id) == written


def test_the_pages_show_the_dead_import_as_failed(app, db, tmp_path, people_csv, monkeypatch,
                                                  small_batches, member_client):
    imp_id = _stranded(app, tmp_path, people_csv(50), bulk=False, monkeypatch=monkeypatch)
    polled = member_client.get(f"/imports/{imp_id}/progress", headers={"HX-Request": "true"})
    assert polled.headers["HX-Redirect"] == f"/imports/{imp_id}"  # no longer running
    page = member_client.get(f"/imports/{imp_id}", headers={"Accept-Language": "en"})
    assert b"The job worker stopped before the end of the import" in page.data
    assert b"the import continues" not in page.data
    with app.test_request_context(headers={"Accept-Language": "fr"}):
        shown = lease.shown_reason(_db.session.get(Import, imp_id))
        assert shown.startswith("Le worker s'est arrêté avant la fin de l'import.")
    reverted = member_client.post(f"/imports/{imp_id}/revert", follow_redirects=True)
    assert reverted.status_code == 200 and _people(imp_id) == 0


def test_keeping_a_file_alive_touches_it_now_and_while_the_block_runs(app, tmp_path,
                                                                     monkeypatch):
    monkeypatch.setitem(app.config, "RELAIS_JOB_LEASE_SECONDS", 1)
    path = tmp_path / "7.progress"
    cutoff = utcnow() - timedelta(seconds=1)
    with app.app_context():
        assert not jobs_lease.file_alive(path, cutoff)
        with jobs_lease.keep_file_alive(path):
            assert jobs_lease.file_alive(path, cutoff) and path.read_bytes() == b""
            os.utime(path, (time.time() - 60, time.time() - 60))
            time.sleep(0.6)  # a beat every third of the lease
            assert jobs_lease.file_alive(path, cutoff)


def test_a_worker_thought_dead_stops_at_its_next_batch_and_writes_it_not(
        app, db, tmp_path, people_csv, small_batches, monkeypatch):
    """Frozen past its lease (swapped out, stopped), then woken: the import was failed
    meanwhile; the job writes no further batch, and the revert still removes all it wrote."""
    monkeypatch.setitem(app.config, "RELAIS_IMPORT_BULK_ROWS", 10**9)
    path = tmp_path / "liste.csv"
    path.write_bytes(people_csv(200).encode("cp1252"))
    imp = imports.create_import(path, "liste.csv", make_user("member"))
    imp_id, written = imp.id, []

    def frozen_after_the_first_batch(_percent: int) -> None:
        if not written:
            _age(imp_id)
            written.append(_people(imp_id))
            assert lease.expire_stranded() == [imp_id]  # a page polled meanwhile

    with pytest.raises(ServiceError):
        imports.run(imp, dry_run=False, progress=frozen_after_the_first_batch)
    _db.session.rollback()
    imp = _db.session.get(Import, imp_id)
    assert (imp.status, imp.error) == ("failed", jobs_lease.WORKER_STOPPED)
    assert _people(imp_id) == imp.created == written[0] > 0
    import_revert.revert(imp, None)
    assert _db.session.scalar(select(func.count()).select_from(Influencer)) == 0
