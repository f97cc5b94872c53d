"""Import files (and the rejected rows) are kept only for the days an admin sets, then
deleted: by `flask imports purge-files` and after every import."""

import os
from datetime import timedelta
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select

from app.extensions import db as _db
from app.imports import retention, tasks
from app.imports import service as imports
from app.models import AuditEvent, Import, ImportProblem, RetentionSettings
from app.models.base import utcnow
from tests import factories

CSV = "Nom;E-mail\nAnouk Ferrand;anouk@exemple.test\n"


def _import(tmp_path: Path, status: str, days_old: int, dry_run: bool = False) -> Import:
    source = tmp_path / f"people-{status}-{days_old}.csv"
    source.write_text(CSV, encoding="utf-8")
    imp = imports.create_import(str(source), source.name, None)
    _db.session.add(ImportProblem(import_id=imp.id, line=2, column="E-mail",
                                  value="anouk@exemple.test", reason="Duplicate"))
    imp.status, imp.dry_run = status, dry_run
    imp.updated_at = utcnow() - timedelta(days=days_old)
    _db.session.commit()
    return imp


def _problems(imp_id: int) -> int:
    return _db.session.scalar(select(func.count()).select_from(ImportProblem)
                              .where(ImportProblem.import_id == imp_id))


def test_files_older_than_the_period_are_deleted(db, tmp_path):
    old = _import(tmp_path, "done", 31)
    recent = _import(tmp_path, "done", 29)
    running = _import(tmp_path, "running", 90)
    abandoned = _import(tmp_path, "uploaded", 40)
    old_path, abandoned_path = Path(old.stored_path), Path(abandoned.stored_path)
    stray = old_path.parent / "99999.csv"
    stray.write_text(CSV, encoding="utf-8")
    stale = (utcnow() - timedelta(days=40)).timestamp()
    os.utime(stray, (stale, stale))

    assert retention.purge_files() == 2
    _db.session.expire_all()
    assert not old_path.exists() and not abandoned_path.exists() and not stray.exists()
    assert _db.session.get(Import, old.id).stored_path == "" and _problems(old.id) == 0
    assert _db.session.get(Import, old.id).status == "done"  # its counts stay
    assert _db.session.get(Import, abandoned.id) is None  # it never changed anything
    assert Path(recent.stored_path).exists() and _problems(recent.id) == 1
    assert Path(running.stored_path).exists() and _problems(running.id) == 1
    assert retention.purge_files() == 0


def test_the_period_is_the_admins(db, tmp_path):
    _import(tmp_path, "done", 8)
    assert retention.purge_files() == 0
    assert retention.save_import_file_days(7, factories.make_user("admin"))
    assert retention.purge_files() == 1
    assert not retention.save_import_file_days(7)


def test_a_cleaned_import_page_still_shows(admin_client, tmp_path):
    imp = _import(tmp_path, "done", 60)
    retention.purge_files()
    assert admin_client.get(f"/imports/{imp.id}").status_code == 200
    response = admin_client.get(f"/imports/{imp.id}/rejected.csv")
    assert response.status_code == 200
    assert "anouk" not in response.get_data(as_text=True)


def test_cli_purges(runner, tmp_path):
    path = Path(_import(tmp_path, "reverted", 45).stored_path)
    result = runner.invoke(args=["imports", "purge-files"])
    assert result.exit_code == 0, result.output
    assert "Cleaned 1 import(s) older than 30 days." in result.output
    assert not path.exists()


def test_an_import_that_finishes_purges_the_old_files(db, tmp_path):
    old_path = Path(_import(tmp_path, "failed", 100).stored_path)
    source = tmp_path / "new.csv"
    source.write_text("Nom;E-mail\nBasile Roux;basile@exemple.test\n", encoding="utf-8")
    new = imports.create_import(str(source), "new.csv", None)
    imports.mark_queued(new, dry_run=True)
    tasks.run_import.call_local(new.id, True)
    assert not old_path.exists()
    assert Path(new.stored_path).exists()


def test_admin_sets_the_period(admin_client):
    page = admin_client.get("/admin/retention")
    assert page.status_code == 200 and 'value="30"' in page.get_data(as_text=True)
    response = admin_client.post("/admin/retention", data={"import_file_days": "90"},
                                 follow_redirects=True)
    assert "Import files are now kept 90 days." in response.get_data(as_text=True)
    assert _db.session.get(RetentionSettings, 1).import_file_days == 90
    event = _db.session.scalar(select(AuditEvent).where(
        AuditEvent.entity_type == "retention_settings"))
    assert event.changes == {"import_file_days": [30, 90]}


def test_a_wrong_period_is_refused_clearly(admin_client):
    for typed in ("", "0", "abc", "3651", "-5", "1.5"):
        response = admin_client.post("/admin/retention", data={"import_file_days": typed})
        assert response.status_code == 400, typed
        assert "Type a number of days between 1 and 3650." in response.get_data(as_text=True)
    assert _db.session.get(RetentionSettings, 1) is None


@settings(max_examples=40, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(typed=st.text(max_size=12))
def test_any_typed_period_is_saved_or_refused_never_a_server_error(admin_client, typed):
    response = admin_client.post("/admin/retention", data={"import_file_days": typed})
    assert response.status_code in {302, 400}
    assert 1 <= retention.import_file_days() <= 3650


def test_the_page_reads_in_french(client_as):
    client = client_as(factories.make_user("admin", locale="fr"))
    html = client.get("/admin/retention").get_data(as_text=True)
    assert "Conservation des données" in html
    assert "Conserver les fichiers d" in html and "pendant (jours)" in html
    response = client.post("/admin/retention", data={"import_file_days": "1"},
                           follow_redirects=True)
    assert "conservés 1 jour." in response.get_data(as_text=True)


def test_only_admins_set_it(manager_client):
    assert manager_client.get("/admin/retention").status_code == 403
    assert manager_client.post("/admin/retention",
                               data={"import_file_days": "1"}).status_code == 403
