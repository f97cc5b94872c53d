"""The final signed PDF: the contract document, the pages that were signed with each
signature block naming its signer (stamps.py), followed by an evidence page per signer
(the electronic signature's record).

Deterministic like the document itself: the evidence page's dates are the signatures'
own, the PDF identifier derives from the document's hash, and pypdf adds no clock-based
metadata — so the final file's SHA-256 can be recomputed and checked later.
"""

from __future__ import annotations

import hashlib
import io
from datetime import UTC, date, datetime

from pypdf import PdfReader, PdfWriter

from app.contracts.document.context import document_date, long_date
from app.contracts.document.render import environment, html_to_pdf, manifest, template_label
from app.contracts.document.stamps import stamp_signatures


def utc(value: datetime | None) -> str | None:
    """`2026-03-05 14:02:11 UTC`: one unambiguous form in both languages."""
    if value is None:
        return None
    if value.tzinfo is None:  # stored naive by SQLite: the column holds UTC
        value = value.replace(tzinfo=UTC)
    return value.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S UTC")


def _member(user) -> str | None:
    """`Name <email>` of the team member who handed a link over."""
    if user is None:
        return None
    return f"{user.name} <{user.email}>" if getattr(user, "email", None) else user.name


def _delivery(signer) -> str | None:
    """How the link reached the signer: email / shown / copied, or the older record."""
    how = getattr(signer, "delivery", None)
    if how is None and signer.method != "scan" and getattr(signer, "sent_at", None):
        return "email" if getattr(signer, "emailed", False) else "team"
    return how


def _signer_rows(signers) -> list[dict]:
    return [{
        "role": s.role, "name": s.name, "email": s.email, "method": s.method,
        "delivery": _delivery(s), "delivered_at": utc(getattr(s, "delivered_at", None)),
        "delivered_by": _member(getattr(s, "delivered_by", None)),
        "sent_at": utc(s.sent_at), "opened_at": utc(s.opened_at),
        "signed_at": utc(s.signed_at), "ip_address": s.ip_address,
        "user_agent": s.user_agent, "consent_text": s.consent_text,
        "document_sha256": s.document_sha256, "scan_sha256": getattr(s, "scan_sha256", None),
    } for s in signers]


def _as_of(contract, signers) -> date:
    """The last signature's day (the record's date), else the document's."""
    days = [s.signed_at for s in signers if s.signed_at is not None]
    return max(days).date() if days else document_date(contract)


def evidence_context(contract, signers, document_bytes: bytes, document=None) -> dict:
    entry = manifest()["evidence"]
    language = contract.language or "fr"
    brand, person = contract.brand, contract.influencer
    day = _as_of(contract, signers)
    return {
        "language": language, "template_name": "evidence", "template_version": entry["version"],
        "template_label": template_label("evidence", language), "draft": False,
        "number": contract.number, "title": contract.title, "amendment": contract.amendment,
        "date": long_date(day, language), "date_iso": day.isoformat(),
        "brand": {"name": brand.name, "legal_name": brand.legal_name},
        "influencer": {"legal_name": person.legal_name, "display_name": person.display_name},
        "document_sha256": hashlib.sha256(document_bytes).hexdigest(),
        "document_pages": len(PdfReader(io.BytesIO(document_bytes)).pages),
        "document_version": document.version if document is not None else None,
        "document_template": (
            f"{template_label(document.template_name, language)} {document.template_version}"
            if document is not None else template_label(contract.template, language)),
        "signers": _signer_rows(signers),
    }


def render_evidence_pdf(document_bytes: bytes, signers, contract, document=None) -> bytes:
    """The signed file: `document_bytes` (the contract document as signed) then the
    evidence page(s). `signers` are ContractSigner rows (or objects with their fields),
    in the order to print; `document` (a ContractDocument) adds its version to the record."""
    context = evidence_context(contract, signers, document_bytes, document)
    file = manifest()["evidence"]["files"].get(context["language"], "evidence_fr.html")
    html = environment().get_template(file).render(**context, stylesheet="contract.css")
    identifier = context["document_sha256"][:32].encode()
    evidence, _pages = html_to_pdf(html, identifier)
    writer = PdfWriter()
    writer.append(PdfReader(io.BytesIO(document_bytes)))
    stamp_signatures(writer, document_bytes, signers, context["language"], utc, identifier)
    writer.append(PdfReader(io.BytesIO(evidence)))
    stamp = "D:" + context["date_iso"].replace("-", "") + "000000Z"
    writer.add_metadata({"/Title": f"{contract.number} — {contract.title}",
                         "/CreationDate": stamp, "/ModDate": stamp})
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()
