"""Each signer's copy of the signed contract: downloadable from their own signing link for
COPY_DAYS after sealing (the link then says it has expired), and emailed to them with the
PDF attached when the contract is sealed and SMTP is configured.

The sealed document a signer may download is the one made from the document they signed
(its `source_sha256`), so an amendment signed later by others is never handed out.

The copy is sent even to a person marked "do not contact" since they signed: it is their
own signed contract, owed to them as a party, not outreach (app/influencers/outreach.py).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta

from flask_babel import gettext as _
from sqlalchemy import select

from app.contracts.signing import service
from app.core.errors import ServiceError
from app.extensions import db
from app.models import Contract, ContractDocument, ContractSigner
from app.models.base import utcnow

COPY_DAYS = 30
log = logging.getLogger("relais.signing")


@dataclass(frozen=True)
class SignedCopy:
    """What a used link offers: the sealed document (None while others still sign) and
    until when it can be downloaded."""

    signer: ContractSigner
    sealed: ContractDocument | None
    until: datetime | None

    @property
    def expired(self) -> bool:
        return self.until is not None and self.until <= utcnow()


def used_link(token: str) -> ContractSigner | None:
    """The signer whose link this is, when it was used to sign; None otherwise."""
    if not isinstance(token, str) or not service.TOKEN_PATTERN.fullmatch(token):
        return None
    signer = db.session.scalar(select(ContractSigner)
                               .where(ContractSigner.token_hash == service.token_hash(token)))
    if signer is None or signer.signed_at is None or signer.contract.is_deleted:
        return None
    return signer


def sealed_document(signer: ContractSigner) -> ContractDocument | None:
    """The signed version sealed from the document this signer signed."""
    return db.session.scalar(
        select(ContractDocument)
        .where(ContractDocument.contract_id == signer.contract_id,
               ContractDocument.kind == "signed",
               ContractDocument.source_sha256 == signer.document.sha256)
        .order_by(ContractDocument.version.desc()).limit(1))


def signed_copy(signer: ContractSigner) -> SignedCopy:
    sealed = sealed_document(signer)
    until = sealed.created_at + timedelta(days=COPY_DAYS) if sealed is not None else None
    return SignedCopy(signer, sealed, until)


def copy_bytes(token: str) -> tuple[SignedCopy, bytes]:
    """The signed PDF behind a used link, or a LinkRefused saying why not."""
    signer = used_link(token)
    if signer is None:
        raise service.LinkRefused(_("This signing link is invalid or has expired. Ask the "
                                    "person who sent it for a new one."))
    copy = signed_copy(signer)
    if copy.sealed is None:
        raise service.LinkRefused(_("The signed contract is not ready yet: it can be "
                                    "downloaded here once every party has signed."),
                                  gone=True)
    if copy.expired:
        raise service.LinkRefused(expired_message(), gone=True)
    return copy, service.document_bytes(copy.sealed)


def expired_message() -> str:
    return _("This link has expired: the signed contract could be downloaded from it for "
             "%(days)d days after the last signature. Ask the brand for a copy.",
             days=COPY_DAYS)


def send_copies(contract: Contract, sealed: ContractDocument | None) -> set[int]:
    """Email the sealed PDF to every signer of its round who has an address, when SMTP is
    configured; the ids of the signers reached. Never raises: the copy stays downloadable."""
    from app.contracts.signing import mail as signing_mail

    if sealed is None or not signing_mail.configured():
        return set()
    signers = [s for s in service.current_signers(contract) if s.email]
    try:
        content = service.document_bytes(sealed)
    except ServiceError as error:
        log.warning("signed copy of contract %s not emailed: %s", contract.id, error)
        return set()
    until = sealed.created_at + timedelta(days=COPY_DAYS)
    return signing_mail.send_signed_copies(contract, signers, content, sealed, until)
