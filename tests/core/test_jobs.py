"""Background jobs: where Huey keeps its queue, and the import job run inline."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
from huey import MemoryHuey, RedisHuey, SqliteHuey
from sqlalchemy import select

from app import jobs
from app.imports import service, tasks
from app.models import Import, Influencer
from tests import factories

CSV = "Nom;Compte;Réseau;Abonnés\nManon Girard;manon.girard;instagram;12 000\n"


def test_immediate_in_tests(monkeypatch):
    monkeypatch.setenv("RELAIS_JOBS_IMMEDIATE", "1")
    huey = jobs.make_huey()
    assert isinstance(huey, MemoryHuey) and huey.immediate
    assert isinstance(jobs.huey, MemoryHuey) and jobs.huey.immediate  # set by conftest


def test_sqlite_by_default_and_redis_when_configured(monkeypatch, tmp_path):
    monkeypatch.delenv("RELAIS_JOBS_IMMEDIATE", raising=False)
    monkeypatch.delenv("REDIS_URL", raising=False)
    monkeypatch.setenv("RELAIS_INSTANCE_PATH", str(tmp_path))
    huey = jobs.make_huey()
    assert isinstance(huey, SqliteHuey)
    assert Path(huey.storage.filename) == tmp_path / "jobs.sqlite3"
    monkeypatch.setenv("REDIS_URL", "redis://127.0.0.1:6399/0")
    assert isinstance(jobs.make_huey(), RedisHuey)  # no connection until a job is queued


def test_ping_runs_in_the_current_app(app, db):
    assert jobs.ping()() == "pong"


def _upload(tmp_path, user) -> Import:
    path = tmp_path / "list.csv"
    path.write_bytes(CSV.encode())
    return service.create_import(str(path), "list.csv", user)


def test_run_import_dry_run_then_real_run_with_progress(app, db, tmp_path, monkeypatch):
    user = factories.make_user("member")
    imp = _upload(tmp_path, user)
    seen = []
    real_run = service.run

    def spy(imp, dry_run, progress=None):
        def recording(percent):
            seen.append(percent)
            if progress:
                progress(percent)
        return real_run(imp, dry_run=dry_run, progress=recording)

    monkeypatch.setattr(service, "run", spy)
    service.mark_queued(imp, dry_run=True)  # as the wizard does before queueing
    tasks.run_import(imp.id, True)
    db.session.expire_all()
    checked = db.session.get(Import, imp.id)
    assert checked.status == "checked" and checked.created == 1
    assert db.session.scalar(select(Influencer.id)) is None

    service.mark_queued(checked, dry_run=False)
    tasks.run_import(imp.id, False)
    db.session.expire_all()
    done = db.session.get(Import, imp.id)
    assert done.status == "done" and done.progress == 100
    assert db.session.scalar(select(Influencer.display_name)) == "Manon Girard"
    assert seen and all(0 <= p <= 100 for p in seen)


def test_run_import_of_a_missing_import_does_nothing(app, db):
    result = tasks.run_import(123456, False)
    assert result.get() is None


def test_a_job_taken_off_the_queue_is_skipped_when_a_worker_picks_it_up(app, db, tmp_path,
                                                                         monkeypatch):
    user = factories.make_user("member")
    imp = _upload(tmp_path, user)
    assert service.waiting_since(imp) == 0.0  # not queued
    service.mark_queued(imp, dry_run=True)
    queued_at = imp.updated_at
    monkeypatch.setattr(service, "utcnow", lambda: queued_at + timedelta(seconds=90))
    assert service.waiting_since(imp) == 90.0  # a minute and a half without a worker
    service.cancel_waiting(imp)
    assert imp.status == "uploaded" and service.waiting_since(imp) == 0.0
    assert tasks.run_import(imp.id, True).get() is None
    db.session.expire_all()
    assert db.session.get(Import, imp.id).status == "uploaded"
    assert db.session.scalar(select(Influencer.id)) is None


def test_only_a_queued_import_can_be_taken_off_the_queue(app, db, tmp_path):
    from app.core.errors import ServiceError

    imp = _upload(tmp_path, factories.make_user("member"))
    with pytest.raises(ServiceError):
        service.cancel_waiting(imp)  # uploaded, not queued
