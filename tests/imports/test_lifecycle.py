"""The import's life as one transition table (app/imports/lifecycle.py): every step from
every status, where it leads, and the refusals the wizard, the job and the CLI show."""

from __future__ import annotations

from datetime import timedelta

import pytest

from app.core.errors import ServiceError
from app.imports import lifecycle
from app.models import Import
from app.models.base import utcnow

# (status, dry run) → the steps it allows. Written out by hand from the wizard's flow:
# upload → (edit) → queue → run → finish (checked) → queue → run → finish (done) → revert.
ALLOWED = {
    ("uploaded", True): {"edit", "queue", "run"},
    ("checked", True): {"edit", "queue", "run"},
    ("failed", True): {"edit", "queue", "run"},  # a failed dry run wrote nothing
    ("queued", True): {"cancel", "run"},
    ("queued", False): {"cancel", "run"},
    ("running", True): {"finish", "fail"},
    ("running", False): {"finish", "fail"},
    ("done", False): {"revert"},
    ("failed", False): {"revert"},  # its first batches may have been written
    ("reverted", False): set(),
}


def _import(status: str, dry_run: bool) -> Import:
    return Import(filename="f.csv", status=status, dry_run=dry_run)


@pytest.mark.parametrize(("status", "dry_run"), sorted(ALLOWED))
def test_each_status_allows_exactly_its_steps(status, dry_run):
    imp = _import(status, dry_run)
    allowed = {step for step in lifecycle.TRANSITIONS if lifecycle.can(imp, step)}
    assert allowed == ALLOWED[(status, dry_run)]


@pytest.mark.parametrize(("status", "dry_run", "step", "target"), [
    ("uploaded", True, "queue", "queued"),
    ("checked", False, "queue", "queued"),
    ("queued", True, "cancel", "uploaded"),  # back to where it was queued from
    ("queued", False, "cancel", "checked"),
    ("queued", True, "run", "running"),
    ("uploaded", False, "run", "running"),  # the CLI imports without a dry run first
    ("running", True, "finish", "checked"),
    ("running", False, "finish", "done"),
    ("running", False, "fail", "failed"),
    ("done", False, "revert", "reverted"),
    ("checked", True, "edit", "checked"),
])
def test_each_step_leads_where_the_table_says(status, dry_run, step, target):
    imp = _import(status, dry_run)
    lifecycle.advance(imp, step)
    assert imp.status == target


@pytest.mark.parametrize(("status", "dry_run", "step", "message"), [
    ("reverted", False, "revert", "already been reverted"),
    ("done", True, "revert", "Only an import that wrote something"),
    ("uploaded", True, "revert", "Only an import that wrote something"),
    ("running", False, "cancel", "already started"),
    ("done", False, "run", "already been run"),
    ("running", True, "queue", "already been run"),
    ("done", False, "edit", "can no longer be changed"),
])
def test_a_refused_step_says_why_and_changes_nothing(status, dry_run, step, message):
    imp = _import(status, dry_run)
    with pytest.raises(ServiceError, match=message):
        lifecycle.advance(imp, step)
    assert imp.status == status


def test_every_target_is_a_known_status():
    targets = {step.target for step in lifecycle.TRANSITIONS.values()} - {None}
    sources = {s for step in lifecycle.TRANSITIONS.values() for s in step.sources}
    assert targets | {"checked"} <= set(lifecycle.STATUSES)
    assert sources - {lifecycle.CHECK_FAILED} <= set(lifecycle.STATUSES)


def test_waiting_since_counts_only_a_queued_import(db):
    from app.imports import service

    imp = _import("queued", True)
    imp.updated_at = utcnow() - timedelta(seconds=90)
    assert 89 <= service.waiting_since(imp) <= 95
    imp.status = "running"
    assert service.waiting_since(imp) == 0.0
