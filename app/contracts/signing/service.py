"""Signing a contract electronically: a single-use, expiring link per signer, the
click-to-accept with its evidence, and the sealed signed PDF.

A simple electronic signature holds (eIDAS art. 25, Code civil art. 1366-1367) when the
signer is identified and the document's integrity is kept, so each signature records who,
how they were reached (a link sent to their email), when the link was sent, opened and
used, from which IP and browser, the consent text shown and the SHA-256 of the exact PDF.
Only the SHA-256 of a link's token is stored: a database dump holds no usable link.

Sending moves the contract approved → sent; when the last signer of the document signs,
the document plus an evidence page is stored as the "signed" version and the contract is
marked signed. The other way, an uploaded scan of the paper contract, is scan.py; the
evidence export and the team panel's statuses are evidence.py (both beside this module).
"""

from __future__ import annotations

import hashlib
import re
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from email_validator import EmailNotValidError, validate_email
from flask import current_app, has_request_context, request
from flask_babel import gettext as _
from sqlalchemy import func, select, update

from app.contracts import workflow
from app.contracts.document import rules
from app.core.errors import NotAllowed, NotFound, ServiceError
from app.extensions import db
from app.influencers.outreach import ensure_contactable
from app.models import Contract, ContractDocument, ContractSigner, User
from app.models.base import utcnow

SIGNING_DAYS = 14  # default validity of a signing link (RELAIS_SIGNING_DAYS)


def signing_days() -> int:
    """How long a signing link stays valid, in days (RELAIS_SIGNING_DAYS, 1 to 90)."""
    days = current_app.config.get("RELAIS_SIGNING_DAYS", SIGNING_DAYS)
    return days if isinstance(days, int) and 1 <= days <= 90 else SIGNING_DAYS
USER_AGENT_MAX = 400
IP_MAX = 45
# secrets.token_urlsafe(32) gives 43 characters; anything else is refused before a query.
TOKEN_PATTERN = re.compile(r"[A-Za-z0-9_-]{32,64}")
# The consent text is part of the contract (shown and stored verbatim as evidence), so it
# is written per contract language here rather than following the interface's catalogue.
CONSENT = {
    "fr": ("Je déclare avoir lu le contrat n° {number} (version {version}, SHA-256 "
           "{sha256}) et l'accepter. Je reconnais que ma signature électronique a la même "
           "valeur qu'une signature manuscrite."),
    "en": ("I declare that I have read contract no. {number} (version {version}, SHA-256 "
           "{sha256}) and that I accept it. I acknowledge that my electronic signature has "
           "the same value as a handwritten signature."),
}


class LinkRefused(ServiceError):
    """A signing link that cannot be used; `gone` when it is real but spent or closed."""

    def __init__(self, message: str, gone: bool = False):
        super().__init__(message)
        self.gone = gone


@dataclass(frozen=True)
class SigningLink:
    """A plain link, known only at the moment it is made: emailed, or shown once to copy."""

    signer_id: int
    role: str
    name: str
    email: str
    url: str
    expires_at: datetime
    emailed: bool = False


# --- tokens and links -----------------------------------------------------------------------

def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _new_token() -> tuple[str, str]:
    token = secrets.token_urlsafe(32)
    return token, token_hash(token)


def link_url(token: str) -> str:
    """The public address of a link: RELAIS_BASE_URL when set (what emails must use behind
    a proxy, and never the request's Host header an attacker could choose), else the
    address the team member is using."""
    base = current_app.config.get("RELAIS_BASE_URL") or (
        request.host_url if has_request_context() else "")
    return base.rstrip("/") + f"/sign/{token}"


def consent_text(signer: ContractSigner) -> str:
    contract, document = signer.contract, signer.document
    template = CONSENT.get(contract.language, CONSENT["en"])
    return template.format(number=contract.number, version=document.version,
                           sha256=document.sha256)


# --- sending --------------------------------------------------------------------------------

def _clean_email(email: str | None, who: str) -> str:
    if not (email or "").strip():
        raise ServiceError(_("%(who)s has no email address: add it before sending.", who=who))
    try:
        return validate_email(email.strip(), check_deliverability=False).normalized
    except EmailNotValidError:
        raise ServiceError(_("The email address of %(who)s is not valid: %(email)s.",
                             who=who, email=email)) from None


def signatories(contract: Contract) -> list[tuple[str, str, str]]:
    """(role, name, email) of everyone who signs: the brand's signatory, the influencer and,
    for a minor, each legal representative. The agent does not sign: the influencer is the
    party bound (loi 2023-451 art. 7 only names the agent in the contract)."""
    brand, influencer = contract.brand, contract.influencer
    name = (influencer.legal_name or influencer.display_name or "").strip()
    people = [("brand", (brand.signatory_name or "").strip(), brand.email),
              ("influencer", name, influencer.email)]
    if rules.special_cases(contract).minor:
        people += [("representative", (r.get("name") or "").strip(), r.get("email"))
                   for r in contract.representatives or []]
        if len(people) == 2:
            raise ServiceError(_("The influencer is a minor: name the legal representatives "
                                 "(name and email) before sending."))
    cleaned = []
    for role, person, email in people:
        if not person:
            raise ServiceError(_("A signer has no name (%(email)s): complete the parties "
                                 "before sending.", email=email or "—"))
        cleaned.append((role, person, _clean_email(email, person)))
    return cleaned


def _add_signer(contract: Contract, document: ContractDocument, role: str, name: str,
                email: str, now: datetime) -> tuple[ContractSigner, str]:
    token, digest = _new_token()
    signer = ContractSigner(contract=contract, document=document, role=role, name=name,
                            email=email, token_hash=digest, sent_at=now,
                            expires_at=now + timedelta(days=signing_days()))
    db.session.add(signer)
    return signer, token


def _links(pairs: list[tuple[ContractSigner, str]]) -> list[SigningLink]:
    return [SigningLink(s.id, s.role, s.name, s.email or "", link_url(token), s.expires_at)
            for s, token in pairs]


def _deliver(contract: Contract, links: list[SigningLink], user: User) -> list[SigningLink]:
    """Email the links when SMTP is configured; the ones that could not be sent are
    returned unmarked so that the page shows them to copy. Either way the delivery is
    recorded for the evidence: emailed, or shown to `user` to hand over."""
    from app.contracts.signing import mail as signing_mail

    sent = signing_mail.send_links(contract, links) if signing_mail.configured() else set()
    now, ids = utcnow(), [link.signer_id for link in links]
    for how, chosen in (("email", [i for i in ids if i in sent]),
                        ("shown", [i for i in ids if i not in sent])):
        if chosen:
            db.session.execute(update(ContractSigner).where(ContractSigner.id.in_(chosen))
                               .values(emailed=how == "email", delivery=how, delivered_at=now,
                                       delivered_by_id=user.id))
    db.session.commit()
    return [SigningLink(**{**link.__dict__, "emailed": link.signer_id in sent})
            for link in links]


def record_copy(contract: Contract, signer: ContractSigner, user: User) -> None:
    """A member pressed Copy beside a link shown to hand over: the evidence says who
    copied it, and when. A link already emailed, used or replaced keeps its record."""
    if not user.has_role("member"):
        raise NotAllowed(_("You do not have the rights to do this."))
    if signer.contract_id != contract.id:
        raise NotFound(_("This signer does not exist on this contract."))
    if signer.delivery == "email" or signer.signed_at or signer.revoked_at:
        return
    signer.delivery, signer.delivered_at, signer.delivered_by_id = "copied", utcnow(), user.id
    db.session.commit()


def send(contract: Contract, user: User, expected_version: int | None = None
         ) -> list[SigningLink]:
    """Approved → sent: one link per signer, on the approved document. The plain links are
    returned once (emailed, or for the page to show); only their hashes are kept."""
    workflow.check(contract, "send", user, expected_version)
    ensure_contactable(contract.influencer)  # before any link exists or leaves
    document = workflow.current_document(contract)
    if document is None:
        raise ServiceError(_("This contract has no approved document to sign."))
    people = signatories(contract)
    now = utcnow()
    pairs = [_add_signer(contract, document, role, name, email, now)
             for role, name, email in people]
    workflow.mark(contract, "sent", user)
    workflow.commit(contract)
    return _deliver(contract, _links(pairs), user)


def get_signer(contract: Contract, signer_id: int) -> ContractSigner:
    signer = db.session.get(ContractSigner, signer_id)
    if signer is None or signer.contract_id != contract.id:
        raise NotFound(_("This signer does not exist on this contract."))
    return signer


def renew(contract: Contract, signer: ContractSigner, user: User) -> SigningLink:
    """A new link for one signer (lost email, expired link): the old link stops working,
    and the old row stays as the trail of what was sent."""
    workflow.check(contract, "sign", user)
    if signer.contract_id != contract.id:
        raise NotFound(_("This signer does not exist on this contract."))
    if signer.signed_at is not None:
        raise ServiceError(_("%(name)s has already signed.", name=signer.name))
    if signer.role != "brand":  # the influencer, or a minor's legal representative
        ensure_contactable(contract.influencer)
    now = utcnow()
    # Revoke only a link still live, in one conditional UPDATE: of several renewals at
    # once, the first holds the row (PostgreSQL's row lock, SQLite's write lock) until it
    # commits, and the others then match no row. One live link per signer, always.
    revoked = db.session.execute(
        update(ContractSigner).where(ContractSigner.id == signer.id,
                                     ContractSigner.revoked_at.is_(None),
                                     ContractSigner.signed_at.is_(None))
        .values(revoked_at=now).execution_options(synchronize_session=False))
    if revoked.rowcount != 1:
        db.session.rollback()
        raise ServiceError(_("This link was already replaced: renew the current one."))
    fresh, token = _add_signer(contract, signer.document, signer.role, signer.name,
                               signer.email or "", now)
    db.session.commit()
    return _deliver(contract, _links([(fresh, token)]), user)[0]


# --- opening and signing a link -------------------------------------------------------------

def _invalid() -> LinkRefused:
    # Unknown, tampered, revoked and expired links read the same: nobody learns from the
    # answer whether a token exists.
    return LinkRefused(_("This signing link is invalid or has expired. Ask the person who "
                         "sent it for a new one."))


def _signer_of(token: str) -> ContractSigner:
    """The signer whose link this is, when it can still be used."""
    if not isinstance(token, str) or not TOKEN_PATTERN.fullmatch(token):
        raise _invalid()
    signer = db.session.scalar(select(ContractSigner)
                               .where(ContractSigner.token_hash == token_hash(token)))
    if signer is None or signer.revoked_at is not None:
        raise _invalid()
    if signer.signed_at is not None:
        raise LinkRefused(_("This link has already been used: your signature is recorded. "
                            "A link can be used only once."), gone=True)
    if signer.expires_at is None or signer.expires_at <= utcnow():
        raise _invalid()
    contract = signer.contract
    if contract.status != "sent" or contract.is_deleted:
        raise LinkRefused(_("This contract is no longer awaiting signatures. Ask the person "
                            "who sent it."), gone=True)
    return signer


def check_link(token: str) -> ContractSigner:
    """The signer of a usable link, without recording anything (the PDF download)."""
    return _signer_of(token)


def open_link(token: str, ip: str | None, user_agent: str | None) -> ContractSigner:
    """The signer of a usable link; the first opening is recorded as evidence."""
    signer = _signer_of(token)
    if signer.opened_at is None:
        db.session.execute(update(ContractSigner)
                           .where(ContractSigner.id == signer.id,
                                  ContractSigner.opened_at.is_(None))
                           .values(opened_at=utcnow()))
        db.session.commit()
    return signer


def document_bytes(document: ContractDocument) -> bytes:
    """The stored PDF, refused if its bytes no longer hash to the recorded SHA-256."""
    content = db.session.scalar(select(ContractDocument.content)
                                .where(ContractDocument.id == document.id))
    if content is None or hashlib.sha256(content).hexdigest() != document.sha256:
        raise ServiceError(_("The stored document does not match its fingerprint: it cannot "
                             "be signed. The team must check it."))
    return content


def _lock(contract_id: int) -> Contract:
    # Signers of one contract sign one after the other: the last one sees every other
    # signature and seals the document (SELECT … FOR UPDATE; SQLite serialises writers).
    return db.session.scalar(select(Contract).where(Contract.id == contract_id)
                             .with_for_update().execution_options(populate_existing=True))


def sign(token: str, ip: str | None, user_agent: str | None, consent_text_shown: str,
         accepted: bool) -> ContractSigner:
    """Record one signature; the last one seals the contract. Single use: the row is
    updated only while it is unsigned, unrevoked and unexpired, so a double submit or a
    race is refused."""
    if not accepted:
        raise ServiceError(_("Tick the box to accept the contract before signing."))
    signer = _signer_of(token)
    contract = _lock(signer.contract_id)
    if contract.status != "sent":  # cancelled or amended while the page was open
        db.session.rollback()
        raise LinkRefused(_("This contract is no longer awaiting signatures. Ask the person "
                            "who sent it."), gone=True)
    content = document_bytes(signer.document)
    now = utcnow()
    done = db.session.execute(
        update(ContractSigner)
        .where(ContractSigner.id == signer.id, ContractSigner.signed_at.is_(None),
               ContractSigner.revoked_at.is_(None), ContractSigner.expires_at > now)
        .values(signed_at=now, method="link", ip_address=(ip or "")[:IP_MAX] or None,
                user_agent=(user_agent or "")[:USER_AGENT_MAX] or None,
                consent_text=consent_text_shown, document_sha256=signer.document.sha256)
        .execution_options(synchronize_session="fetch"))
    if done.rowcount != 1:
        db.session.rollback()
        raise LinkRefused(_("This link has already been used: your signature is recorded. "
                            "A link can be used only once."), gone=True)
    if not unsigned(contract, signer.document):
        seal(contract, signer.document, content, user=None)
    workflow.commit(contract)
    return signer


# --- the round of signers and the sealed document -------------------------------------------

def current_signers(contract: Contract) -> list[ContractSigner]:
    """Who signs the contract's current document (replaced links left out)."""
    document = workflow.current_document(contract)
    if document is None:
        return []
    return list(db.session.scalars(
        select(ContractSigner).where(ContractSigner.contract_id == contract.id,
                                     ContractSigner.document_id == document.id,
                                     ContractSigner.revoked_at.is_(None))
        .order_by(ContractSigner.id)))


def unsigned(contract: Contract, document: ContractDocument) -> int:
    return db.session.scalar(
        select(func.count()).select_from(ContractSigner)
        .where(ContractSigner.contract_id == contract.id,
               ContractSigner.document_id == document.id,
               ContractSigner.revoked_at.is_(None), ContractSigner.signed_at.is_(None)))


def seal(contract: Contract, document: ContractDocument, base_pdf: bytes,
         user: User | None) -> ContractDocument:
    """Store `base_pdf` (the approved document, or the scan) followed by the evidence page
    as the "signed" version, and mark the contract signed (no commit)."""
    import io

    from pypdf import PdfReader

    from app.contracts.document.evidence import render_evidence_pdf

    db.session.flush()
    pdf = render_evidence_pdf(base_pdf, current_signers(contract), contract, document)
    sealed = workflow.store_document(
        contract, pdf, kind="signed", template_name=document.template_name,
        template_version=document.template_version, pages=len(PdfReader(io.BytesIO(pdf)).pages),
        user=user, source_sha256=document.sha256)
    workflow.mark(contract, "signed", user)
    return sealed
