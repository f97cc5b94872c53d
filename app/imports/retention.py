"""How long an import's files are kept, and the cleanup that deletes them afterwards.

An import keeps its uploaded file under instance/imports/ (`<id>.csv`, the original
spreadsheet, its sheets list) and its rejected rows (the rejected-rows CSV is built from
them). Both name people, so they are kept only for the days an admin sets (default 30,
RetentionSettings), counted from the import's last change; then `purge_files` deletes the
files and the rejected rows, and the import keeps only its counts (one never run, still in
the wizard, is deleted whole: it changed nothing). An import being queued or run is never
touched. It runs from `flask imports purge-files` and after every import.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path

from flask_babel import gettext as _
from sqlalchemy import delete, exists, or_, select

from app.core.audit import acting_user_id
from app.core.errors import ServiceError
from app.extensions import db
from app.imports.service import imports_folder
from app.models import AuditEvent, Import, ImportProblem, RetentionSettings
from app.models.base import utcnow
from app.models.retention import DEFAULT_IMPORT_FILE_DAYS

DAYS_MIN, DAYS_MAX = 1, 3650
BUSY = ("queued", "running")


def import_file_days() -> int:
    row = db.session.get(RetentionSettings, 1)
    return row.import_file_days if row else DEFAULT_IMPORT_FILE_DAYS


def save_import_file_days(days: int, user=None) -> bool:
    """Save the setting with one audit event; False when it did not change."""
    if not isinstance(days, int) or not DAYS_MIN <= days <= DAYS_MAX:
        raise ServiceError(_("Keep import files between %(low)d and %(high)d days.",
                             low=DAYS_MIN, high=DAYS_MAX))
    current = import_file_days()
    if days == current:
        return False
    user_id = user.id if user is not None else acting_user_id()
    row = db.session.get(RetentionSettings, 1) or RetentionSettings(id=1)
    row.import_file_days, row.updated_by_id = days, user_id
    db.session.add(row)
    db.session.add(AuditEvent(user_id=user_id, entity_type="retention_settings", entity_id=0,
                              action="update", changes={"import_file_days": [current, days]}))
    db.session.commit()
    return True


def purge_files(now: datetime | None = None) -> int:
    """Delete the files and rejected rows of imports older than the retention period (and
    stray files as old that no import owns); → how many imports were cleaned."""
    cutoff = (now or utcnow()) - timedelta(days=import_file_days())
    folder = imports_folder()
    has_problems = exists().where(ImportProblem.import_id == Import.id)
    old = db.session.scalars(select(Import).where(
        Import.updated_at < cutoff, Import.status.not_in(BUSY),
        or_(Import.stored_path != "", has_problems))).all()
    for imp in old:
        for path in folder.glob(f"{imp.id}.*"):
            path.unlink(missing_ok=True)
        if _never_ran(imp):  # a wizard left halfway: without its file it is nothing
            db.session.delete(imp)
            continue
        db.session.execute(delete(ImportProblem).where(ImportProblem.import_id == imp.id))
        imp.stored_path = ""
    db.session.commit()
    _purge_strays(folder, cutoff)
    return len(old)


def _never_ran(imp: Import) -> bool:
    """Still in the wizard (uploaded, checked, or its dry run failed): it changed nothing."""
    return imp.status in ("uploaded", "checked") or (imp.status == "failed" and imp.dry_run)


def _purge_strays(folder: Path, cutoff: datetime) -> None:
    known = set(db.session.scalars(select(Import.id)))
    for path in folder.iterdir():
        stem = path.name.split(".", 1)[0]
        owned = stem.isdigit() and int(stem) in known
        modified = datetime.fromtimestamp(path.stat().st_mtime, tz=cutoff.tzinfo)
        if path.is_file() and not owned and modified < cutoff:
            path.unlink(missing_ok=True)
