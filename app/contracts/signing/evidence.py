"""The evidence of a contract's signatures: each link's status for the team's panel, and
the record exported as JSON and printed on the signed PDF's last page."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from app.contracts import workflow
from app.contracts.signing.service import current_signers, signing_days
from app.extensions import db
from app.models import Contract, ContractDocument, ContractSigner, User
from app.models.base import utcnow

# Who may read the signers' evidence (IP addresses, browsers, emails): the JSON export and
# every signed PDF, whose last page prints the same record. One rule for both.
EVIDENCE_ROLE = "member"


def can_read_evidence(user) -> bool:
    return bool(user and user.is_authenticated and user.has_role(EVIDENCE_ROLE))


def can_download(user, document: ContractDocument) -> bool:
    """A stored version: a signed one carries the evidence page, so the evidence rule."""
    return document.kind != "signed" or can_read_evidence(user)


# The record's own words (English, like every key of the export).
AUTHENTICATION = {
    "email": "single-use link sent by email",
    "shown": "single-use link shown once to a team member, to hand over",
    "copied": "single-use link copied by a team member, to hand over",
    "scan": "signed paper contract uploaded as a scan",
}


def signer_status(signer: ContractSigner, now: datetime | None = None) -> str:
    """signed / revoked / expired / opened / sent, for the team's panel."""
    if signer.signed_at is not None:
        return "signed"
    if signer.revoked_at is not None:
        return "revoked"
    if signer.expires_at is not None and signer.expires_at <= (now or utcnow()):
        return "expired"
    return "opened" if signer.opened_at is not None else "sent"


def _iso(value: datetime | None) -> str | None:
    return value.isoformat() if value is not None else None


def evidence(contract: Contract) -> list[dict]:
    """Every link sent and every signature, with its evidence (who, how reached, when sent,
    opened and signed, from which IP and browser, the consent text, the document's
    SHA-256), in the order they were made (replaced links included: they are part of the
    trail)."""
    signers = db.session.scalars(select(ContractSigner)
                                 .where(ContractSigner.contract_id == contract.id)
                                 .options(selectinload(ContractSigner.document))
                                 .order_by(ContractSigner.id)).all()
    users = {u.id: u for u in db.session.scalars(select(User).where(User.id.in_(
        {i for s in signers for i in (s.recorded_by_id, s.delivered_by_id) if i})))}
    now = utcnow()
    return [{
        "contract": contract.number, "document_id": s.document_id,
        "document_version": s.document.version, "role": s.role, "name": s.name,
        "email": s.email, "status": signer_status(s, now), "method": s.method,
        "authentication": AUTHENTICATION.get(
            "scan" if s.method == "scan" else s.delivery or ("email" if s.emailed else "shown")),
        "delivery": s.delivery, "delivered_at": _iso(s.delivered_at),
        "delivered_by": (users[s.delivered_by_id].email if s.delivered_by_id in users
                         else None),
        "sent_at": _iso(s.sent_at), "emailed": s.emailed, "expires_at": _iso(s.expires_at),
        "opened_at": _iso(s.opened_at), "signed_at": _iso(s.signed_at),
        "revoked_at": _iso(s.revoked_at), "ip_address": s.ip_address,
        "user_agent": s.user_agent, "consent_text": s.consent_text,
        "document_sha256": s.document_sha256, "scan_sha256": s.scan_sha256,
        "recorded_by": users[s.recorded_by_id].email if s.recorded_by_id in users else None,
    } for s in signers]


def evidence_record(contract: Contract) -> dict:
    """The export: the contract, its documents with their fingerprints, every signature."""
    documents = db.session.scalars(select(ContractDocument)
                                   .where(ContractDocument.contract_id == contract.id)
                                   .order_by(ContractDocument.version)).all()
    return {
        "contract": {"id": contract.id, "number": contract.number, "title": contract.title,
                     "status": contract.status, "language": contract.language,
                     "sent_at": _iso(contract.sent_at), "signed_at": _iso(contract.signed_at)},
        "documents": [{"id": d.id, "version": d.version, "kind": d.kind, "sha256": d.sha256,
                       "source_sha256": d.source_sha256, "template": d.template_name,
                       "template_version": d.template_version, "size": d.size,
                       "created_at": _iso(d.created_at)} for d in documents],
        "signatures": evidence(contract),
    }


def panel(contract: Contract, user: User) -> dict:
    """What the contract page's signing panel shows and which buttons it offers."""
    signers = current_signers(contract)
    now = utcnow()
    member = user.has_role("member") and not contract.is_deleted
    replaced = db.session.scalar(
        select(func.count()).select_from(ContractSigner)
        .where(ContractSigner.contract_id == contract.id,
               ContractSigner.revoked_at.is_not(None))) if signers else 0
    return {
        "signers": [(s, signer_status(s, now)) for s in signers],
        "replaced": replaced, "signing_days": signing_days(),
        "signed_document": workflow.current_document(contract, "signed"),
        "can_send": workflow.can("send", contract, user),
        "can_renew": workflow.can("sign", contract, user),
        "can_scan": member and contract.status in ("approved", "sent"),
        "can_export": member and bool(signers or replaced),
    }
