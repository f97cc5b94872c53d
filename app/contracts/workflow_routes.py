"""The workflow's buttons: one POST per step, each a call of app/contracts/workflow.py.
A refused move says why (flash); a refused approval or submission shows the contract page
with what is missing; a role that may not act gets 403."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from app.contracts import workflow
from app.contracts.blueprint import bp, contract_or_404
from app.contracts.view_data import show_context
from app.core.errors import NotAllowed, ServiceError
from app.security import role_required

# Steps that need a text: the service refuses an empty one with its reason.
WITH_TEXT = {"request_changes": ("comment", workflow.request_changes),
             "terminate": ("reason", workflow.terminate)}


def _done(action: str, contract) -> str:
    messages = {
        "submit": lambda: _("Contract submitted for approval."),
        "withdraw": lambda: _("Contract withdrawn: it is a draft again."),
        "approve": lambda: _("Contract approved: its document is stored."),
        "request_changes": lambda: _("Changes requested: the contract is a draft again."),
        "activate": lambda: _("The contract is active."),
        "complete": lambda: _("The contract is completed."),
        "amend": lambda: _("Amendment %(n)d started: the contract is a draft again; the "
                           "stored documents stay as they are.", n=contract.amendment),
        "terminate": lambda: _("The contract is terminated."),
        "cancel": lambda: _("The contract is cancelled."),
    }
    return messages[action]()


def _version() -> int | None:
    raw = request.form.get("version", "")
    return int(raw) if raw.isdigit() and len(raw) < 10 else None


@bp.post("/<int:contract_id>/workflow/<action>")
@role_required("member")
def step(contract_id: int, action: str):
    if action not in workflow.ACTIONS and action not in WITH_TEXT:
        abort(404)
    contract = contract_or_404(contract_id)
    try:
        if action in WITH_TEXT:
            name, move = WITH_TEXT[action]
            move(contract, current_user, request.form.get(name, "")[:5000], _version())
        else:
            workflow.ACTIONS[action](contract, current_user, _version())
    except NotAllowed:
        abort(403)
    except workflow.Incomplete as refusal:
        flash(str(refusal), "error")
        context = show_context(contract, current_user, refused=[_(m) for m in refusal.missing])
        return render_template("contracts/show.html", **context), 409
    except ServiceError as error:
        flash(str(error), "error")
    else:
        flash(_done(action, contract), "success")
    return redirect(url_for("contracts.show", contract_id=contract.id))
