"""An import whose job worker died is failed, never left "running" (app/core/jobs_lease.py).

Its lease is the later of the row's heartbeat (each committed batch) and the progress file
the job keeps touching (service.run): a bulk import writes its rows in one transaction and
cannot show a heartbeat on its row. Failed, it keeps the counts of what it committed (a
bulk import: nothing), its progress file is removed, and it can be reverted.
"""

from __future__ import annotations

from datetime import datetime

from flask_babel import gettext as _

from app.core import jobs_lease
from app.imports.service import progress_path
from app.models import Import


def _alive(import_id: int, cutoff: datetime) -> bool:
    return jobs_lease.file_alive(progress_path(import_id), cutoff)


def expire_stranded() -> list[int]:
    """Fail every running import whose worker stopped; → their ids."""
    failed = jobs_lease.expire(Import, Import.started_at, alive=_alive)
    for import_id in failed:
        progress_path(import_id).unlink(missing_ok=True)
    return failed


def shown_reason(imp: Import) -> str | None:
    """The reason stored by expire_stranded, in the user's language (else None)."""
    if imp.error != jobs_lease.WORKER_STOPPED:
        return None
    if imp.dry_run:
        return _("The job worker stopped before the end of the check: check the file again.")
    return _("The job worker stopped before the end of the import. What it wrote before "
             "it stopped is counted here and can be reverted.")
