"""The other way to sign: a member uploads a scan of the paper contract every party signed.

The file is recognised by its first bytes (PDF, JPEG or PNG; the name and the browser's
type are not trusted), kept with its SHA-256 as the evidence, and every signer who had not
yet signed by link is marked signed "by scan". The signed document is the scan followed by
the evidence page; an image is first wrapped into a one-page PDF with Pillow (already
installed with WeasyPrint), at a resolution that fits it on an A4 page.
"""

from __future__ import annotations

import hashlib
import io
import unicodedata
import warnings

from flask_babel import gettext as _
from sqlalchemy import update

from app.contracts import workflow
from app.contracts.signing import service as signing
from app.contracts.signing.copies import send_copies
from app.core.errors import ServiceError
from app.extensions import db
from app.models import Contract, ContractSigner, User
from app.models.base import utcnow

SCAN_MAX = 20 * 1024 * 1024
PIXELS_MAX = 60_000_000  # a 600 dpi A4 page is 35 Mpx; more is a decompression bomb
MAGIC = {b"%PDF-": "pdf", b"\xff\xd8\xff": "jpeg", b"\x89PNG\r\n\x1a\n": "png"}
A4_INCHES = (8.27, 11.69)


def scan_kind(content: bytes) -> str:
    """pdf / jpeg / png from the file's first bytes, or a clear refusal."""
    if not content:
        raise ServiceError(_("The file is empty."))
    if len(content) > SCAN_MAX:
        raise ServiceError(_("The file is too large (limit: %(mb)d MB).",
                             mb=SCAN_MAX // (1024 * 1024)))
    for magic, kind in MAGIC.items():
        if content.startswith(magic):
            return kind
    raise ServiceError(_("This file is not a PDF, JPEG or PNG: upload the scan in one of "
                         "these formats."))


def safe_filename(filename: str | None) -> str:
    """The uploaded file's name as it may be stored and shown: no directory, no control,
    NUL, unassigned or private-use character (PostgreSQL refuses NUL), at most 200
    characters; "scan" when nothing readable is left."""
    name = (filename or "").replace("\\", "/").rsplit("/", 1)[-1]
    name = "".join(c for c in name if not unicodedata.category(c).startswith("C"))
    return name.strip()[:200].strip() or "scan"


def image_to_pdf(content: bytes) -> bytes:
    """A one-page PDF holding the image, upright and fitted to A4."""
    from PIL import Image, UnidentifiedImageError

    too_large = _("This image is too large (%(mp)d megapixels at most).",
                  mp=PIXELS_MAX // 1_000_000)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image = Image.open(io.BytesIO(content))
            if image.width * image.height > PIXELS_MAX:
                raise ServiceError(too_large)
            return _page(image)
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise ServiceError(too_large) from None
    except (UnidentifiedImageError, OSError, ValueError, SyntaxError):
        raise ServiceError(_("This image cannot be read: scan the contract again as PDF, "
                             "JPEG or PNG.")) from None


def _page(image) -> bytes:
    from PIL import Image, ImageOps

    image = ImageOps.exif_transpose(image)
    if image.mode in ("RGBA", "LA", "P", "PA"):
        image = image.convert("RGBA")
        background = Image.new("RGB", image.size, "white")
        background.paste(image, mask=image.getchannel("A"))
        image = background
    else:
        image = image.convert("RGB")
    dpi = max(image.width / A4_INCHES[0], image.height / A4_INCHES[1], 72.0)
    out = io.BytesIO()
    image.save(out, format="PDF", resolution=dpi)
    return out.getvalue()


def readable_pdf(content: bytes) -> bytes:
    """The PDF itself when it can be read page by page (its pages are copied into the
    signed document), else a clear refusal."""
    from pypdf import PdfReader

    try:
        pages = len(PdfReader(io.BytesIO(content)).pages)
    except Exception:  # noqa: BLE001 - a hostile file can break the parser in many ways
        pages = 0
    if not pages:
        raise ServiceError(_("This PDF cannot be read: scan the contract again, or upload it "
                             "as JPEG or PNG."))
    return content


def _base_pdf(kind: str, content: bytes) -> bytes:
    return readable_pdf(content) if kind == "pdf" else image_to_pdf(content)


def _check(contract: Contract, user: User) -> None:
    # A paper contract may come back before any link was sent: from "approved" the
    # sending rights apply, from "sent" the signing ones.
    workflow.check(contract, "send" if contract.status == "approved" else "sign", user)


def _signers_for_scan(contract: Contract, document) -> list[ContractSigner]:
    """The round's signers not yet signed, created (without a link) when nothing was sent."""
    round_ = signing.current_signers(contract)
    if not round_:
        for role, name, email in signing.signatories(contract):
            signer = ContractSigner(contract=contract, document=document, role=role,
                                    name=name, email=email)
            db.session.add(signer)
            round_.append(signer)
        db.session.flush()
    return [s for s in round_ if s.signed_at is None]


def record_scan(contract: Contract, content: bytes, filename: str | None,
                user: User) -> ContractSigner:
    """Mark every remaining signer signed by `scan` and seal the contract with it; the
    first of them keeps the scan's bytes (the others its SHA-256: one copy is enough)."""
    _check(contract, user)
    kind = scan_kind(content)
    document = workflow.current_document(contract)
    if document is None:
        raise ServiceError(_("This contract has no approved document to sign."))
    base = _base_pdf(kind, content)
    digest = hashlib.sha256(content).hexdigest()
    pending = _signers_for_scan(contract, document)
    if not pending:
        raise ServiceError(_("Every signer has already signed."))
    now = utcnow()
    for signer in pending:
        signer.signed_at, signer.method = now, "scan"
        signer.scan_sha256, signer.document_sha256 = digest, document.sha256
        signer.recorded_by_id = user.id
        signer.token_hash = None  # an unused link dies with the paper signature
        signer.consent_text = _("Signed on paper; scan uploaded as %(name)s.",
                                name=safe_filename(filename))
    db.session.execute(update(ContractSigner).where(ContractSigner.id == pending[0].id)
                       .values(scan=content))
    sealed = signing.seal(contract, document, base, user=user)
    workflow.commit(contract)
    send_copies(contract, sealed)
    return pending[0]
