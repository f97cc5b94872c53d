"""A contract's life: draft → pending approval (a member submits) → approved (a manager) →
sent → signed → active → completed, or terminated / cancelled.

Every refusal is a ServiceError with the reason; approval is refused with the list of the
mandatory data that lack (app.contracts.document.rules.missing). Approval renders the
contract and stores the document; an approved or signed document is never rendered again in
place: an amendment takes the contract back to draft and the next approval stores a new
version.
Sending and signing are app/contracts/signing/service.py's; they use `check`, `mark` and
`store_document` from here.
"""

from __future__ import annotations

import hashlib

from flask_babel import gettext as _
from flask_babel import ngettext
from sqlalchemy import func, select
from sqlalchemy.orm.exc import StaleDataError

from app.contracts.document import rules
from app.core.errors import NotAllowed, ServiceError, Stale, Transition
from app.extensions import db
from app.i18n.labels import label
from app.models import Contract, ContractDocument, User
from app.models.base import utcnow

COMMENT_MAX = 2000
LIVE_STATUSES = ("sent", "signed", "active")


TRANSITIONS = {
    "submit": Transition(("draft",), "pending_approval", "member"),
    "withdraw": Transition(("pending_approval",), "draft", "member"),
    "approve": Transition(("pending_approval",), "approved", "manager"),
    "request_changes": Transition(("pending_approval",), "draft", "manager"),
    "send": Transition(("approved",), "sent", "member"),
    "sign": Transition(("sent",), "signed", "member"),
    "activate": Transition(("signed",), "active", "member"),
    "complete": Transition(("active",), "completed", "member"),
    "terminate": Transition(LIVE_STATUSES, "terminated", "manager"),
    "cancel": Transition(("draft", "pending_approval", "approved", "sent"), "cancelled",
                         "member"),
    "amend": Transition(("approved", "sent", "signed", "active"), "draft", "member"),
}
# The timestamp each target status sets.
STAMPS = {"pending_approval": "submitted_at", "approved": "approved_at", "sent": "sent_at",
          "signed": "signed_at", "terminated": "ended_at", "completed": "ended_at",
          "cancelled": "ended_at"}


def _refusal(action: str, status: str) -> str:
    step = TRANSITIONS[action]
    allowed = ", ".join(str(label("contract_status", s)) for s in step.sources)
    return _("This cannot be done on a contract that is %(status)s: only on one that is "
             "%(allowed)s.", status=label("contract_status", status), allowed=allowed)


def can(action: str, contract: Contract, user: User) -> bool:
    """Whether `user` may do `action` now: drives which buttons a page shows."""
    if not user.has_role("member") or contract.is_deleted:
        return False
    if action == "edit":
        return contract.status == "draft"
    if action == "render":
        return contract.status in ("draft", "pending_approval")
    step = TRANSITIONS.get(action)
    return step is not None and contract.status in step.sources and user.has_role(step.role)


def check(contract: Contract, action: str, user: User,
          expected_version: int | None = None) -> None:
    step = TRANSITIONS[action]
    if not user.has_role(step.role):
        raise NotAllowed(_("You do not have the rights to do this."))
    if contract.is_deleted:
        raise ServiceError(_("This contract is in the trash."))
    if contract.status not in step.sources:
        raise ServiceError(_refusal(action, contract.status))
    if expected_version is not None and expected_version != contract.version:
        raise Stale(_("Someone changed this contract since you opened it; check it again "
                      "before going on."))


def mark(contract: Contract, target: str, user: User | None) -> None:
    contract.status = target
    stamp = STAMPS.get(target)
    if stamp:
        setattr(contract, stamp, utcnow())


def _write(contract: Contract, write) -> None:
    try:
        write()
    except StaleDataError:
        db.session.rollback()
        db.session.refresh(contract)
        raise Stale(_("Someone changed this contract at the same time; check it again "
                      "before going on.")) from None


def commit(contract: Contract) -> None:
    _write(contract, db.session.commit)


def claim(contract: Contract) -> None:
    """Write the step's change now (UPDATE … WHERE version = the one read), before any
    long work: of two people taking the same step at once, the second waits for the
    first's row lock, matches no row and is told at once (Stale), never later in the
    middle of a PDF rendering's autoflush."""
    _write(contract, db.session.flush)


class Incomplete(ServiceError):
    """Approval refused: `missing` lists what the contract still needs."""

    def __init__(self, missing: list[str]):
        super().__init__(ngettext(
            "This contract cannot be approved yet: %(num)d mandatory item is missing.",
            "This contract cannot be approved yet: %(num)d mandatory items are missing.",
            len(missing)))
        self.missing = missing


# --- documents ------------------------------------------------------------------------------

def store_document(contract: Contract, pdf: bytes, *, kind: str, template_name: str,
                   template_version: str, pages: int | None, user: User | None,
                   source_sha256: str | None = None) -> ContractDocument:
    """Add an immutable document version (no commit: the caller's step commits)."""
    last = db.session.scalar(select(func.max(ContractDocument.version))
                             .where(ContractDocument.contract_id == contract.id)) or 0
    document = ContractDocument(
        contract=contract, version=last + 1, kind=kind, amendment=contract.amendment,
        language=contract.language, template_name=template_name,
        template_version=template_version, sha256=hashlib.sha256(pdf).hexdigest(),
        source_sha256=source_sha256, size=len(pdf), pages=pages, content=pdf,
        created_by_id=user.id if user is not None else None)
    db.session.add(document)
    return document


def current_document(contract: Contract, kind: str = "contract") -> ContractDocument | None:
    return db.session.scalar(
        select(ContractDocument).where(ContractDocument.contract_id == contract.id,
                                       ContractDocument.kind == kind)
        .order_by(ContractDocument.version.desc()).limit(1))


def _render_and_store(contract: Contract, kind: str, user: User) -> ContractDocument:
    from app.contracts.rendering import render_pdf

    rendered = render_pdf(contract)
    return store_document(contract, rendered.pdf, kind=kind,
                          template_name=rendered.template_name,
                          template_version=rendered.template_version, pages=rendered.pages,
                          user=user)


def render_draft(contract: Contract, user: User) -> ContractDocument:
    """Keep a rendering of a contract still being written (a draft version)."""
    if not can("render", contract, user):
        if not user.has_role("member"):
            raise NotAllowed(_("You do not have the rights to do this."))
        raise ServiceError(_("An approved or signed contract is never rendered again: amend "
                             "it to make a new version."))
    document = _render_and_store(contract, "draft", user)
    db.session.commit()
    return document


# --- steps ----------------------------------------------------------------------------------

def _revoke_links(contract: Contract) -> None:
    now = utcnow()
    for signer in contract.signers:
        if signer.signed_at is None and signer.revoked_at is None:
            signer.revoked_at = now


def submit(contract: Contract, user: User, expected_version: int | None = None) -> None:
    check(contract, "submit", user, expected_version)
    missing = rules.missing(contract)
    if missing:
        raise Incomplete(missing)
    mark(contract, "pending_approval", user)
    contract.review_comment = None
    commit(contract)


def withdraw(contract: Contract, user: User, expected_version: int | None = None) -> None:
    check(contract, "withdraw", user, expected_version)
    mark(contract, "draft", user)
    commit(contract)


def approve(contract: Contract, user: User, expected_version: int | None = None) -> None:
    check(contract, "approve", user, expected_version)
    missing = rules.missing(contract)
    if missing:
        raise Incomplete(missing)
    mark(contract, "approved", user)
    contract.approved_by_id = user.id
    claim(contract)
    _render_and_store(contract, "contract", user)
    commit(contract)


def _comment(text: str | None, required: str) -> str:
    text = (text or "").strip()
    if not text:
        raise ServiceError(required)
    if len(text) > COMMENT_MAX:
        raise ServiceError(_("The text is too long (%(n)d characters at most).", n=COMMENT_MAX))
    return text


def request_changes(contract: Contract, user: User, comment: str | None,
                    expected_version: int | None = None) -> None:
    check(contract, "request_changes", user, expected_version)
    contract.review_comment = _comment(comment, _("Say what should change: the comment is "
                                                  "required."))
    mark(contract, "draft", user)
    commit(contract)


def activate(contract: Contract, user: User, expected_version: int | None = None) -> None:
    check(contract, "activate", user, expected_version)
    mark(contract, "active", user)
    commit(contract)


def complete(contract: Contract, user: User, expected_version: int | None = None) -> None:
    check(contract, "complete", user, expected_version)
    mark(contract, "completed", user)
    contract.end_reason = None
    commit(contract)


def terminate(contract: Contract, user: User, reason: str | None,
              expected_version: int | None = None) -> None:
    check(contract, "terminate", user, expected_version)
    contract.end_reason = _comment(reason, _("Give the reason for the termination."))
    _revoke_links(contract)
    mark(contract, "terminated", user)
    commit(contract)


def cancel(contract: Contract, user: User, expected_version: int | None = None) -> None:
    check(contract, "cancel", user, expected_version)
    _revoke_links(contract)
    mark(contract, "cancelled", user)
    commit(contract)


def amend(contract: Contract, user: User, expected_version: int | None = None) -> None:
    """Back to draft for an amendment: the stored documents stay as they are, links not yet
    used stop working, and the next approval stores a new version."""
    check(contract, "amend", user, expected_version)
    _revoke_links(contract)
    contract.amendment += 1
    contract.approved_at = contract.approved_by_id = None
    mark(contract, "draft", user)
    commit(contract)


ACTIONS = {"submit": submit, "withdraw": withdraw, "approve": approve, "activate": activate,
           "complete": complete, "cancel": cancel, "amend": amend}
