"""An import's life as one transition table: the wizard, the job, the CLI and the revert all
ask it what a step may start from and where it leads.

    uploaded ─┬─ queue ──> queued ─── run ───> running ─┬─ finish ──> checked (a dry run)
    checked  ─┘   <── cancel ──┘                        ├─ finish ──> done
     (the CLI runs an uploaded or checked file at once) └─ fail ────> failed
    done, failed (not a dry run) ── revert ──> reverted

A dry run that failed wrote nothing: it may be edited and checked again, as if uploaded.
"""

from __future__ import annotations

from dataclasses import dataclass

from flask_babel import gettext as _

from app.core.errors import ServiceError
from app.models import Import

STATUSES = ("uploaded", "checked", "queued", "running", "done", "failed", "reverted")
# A failed dry run: the table's own name for ("failed", dry run), which allows what
# "uploaded" allows.
CHECK_FAILED = "check_failed"
READY = ("uploaded", "checked", CHECK_FAILED)


@dataclass(frozen=True)
class Step:
    sources: tuple[str, ...]
    target: str | None  # None: back to where the import was before it was queued


TRANSITIONS = {
    "edit": Step(READY, None),  # reading options and mapping; the status stays
    "queue": Step(READY, "queued"),
    "cancel": Step(("queued",), None),
    "run": Step((*READY, "queued"), "running"),  # the job takes it, or the CLI runs it
    "finish": Step(("running",), "done"),  # "checked" for a dry run
    "fail": Step(("running",), "failed"),
    "revert": Step(("done", "failed"), "reverted"),  # never a dry run: it wrote nothing
}
FINISHED = ("done", "failed", "reverted")
IN_PROGRESS = ("queued", "running")


def state(imp: Import) -> str:
    return CHECK_FAILED if imp.status == "failed" and imp.dry_run else imp.status


def can(imp: Import, step: str) -> bool:
    if step == "revert" and imp.dry_run:
        return False
    return state(imp) in TRANSITIONS[step].sources


def require(imp: Import, step: str) -> None:
    """ServiceError, with the reason in the user's words, when `step` may not be taken."""
    if not can(imp, step):
        raise ServiceError(_refusal(imp, step))


def advance(imp: Import, step: str) -> None:
    """Move `imp` through `step` (not committed); ServiceError when it may not."""
    require(imp, step)
    target = TRANSITIONS[step].target
    if step == "finish" and imp.dry_run:
        target = "checked"
    if target is None:
        target = imp.status if step == "edit" else _before_queue(imp)
    imp.status = target


def _before_queue(imp: Import) -> str:
    return "uploaded" if imp.dry_run else "checked"


def _refusal(imp: Import, step: str) -> str:
    if step == "revert":
        if imp.status == "reverted":
            return _("This import has already been reverted.")
        return _("Only an import that wrote something can be reverted.")
    if step == "cancel":
        return _("This import has already started.")
    if step in ("run", "queue"):
        return _("This import has already been run.")
    return _("This import can no longer be changed.")
