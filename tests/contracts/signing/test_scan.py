"""A signed paper contract uploaded as a scan: PDF, JPEG or PNG recognised by their bytes,
hostile files refused with clear messages, every remaining signer marked signed by scan."""

from __future__ import annotations

import hashlib
import io
import struct
import zlib

import pytest
from PIL import Image
from sqlalchemy import select

from app.contracts import workflow
from app.contracts.signing.scan import SCAN_MAX, record_scan
from app.core.errors import NotAllowed, ServiceError
from app.extensions import db as _db
from app.models import Contract, ContractDocument, ContractSigner
from tests.factories import make_approved_contract, make_user, small_pdf


def _image(kind: str, size=(60, 80), mode="RGB") -> bytes:
    out = io.BytesIO()
    Image.new(mode, size, "white").save(out, format=kind)
    return out.getvalue()


def _png_header_only(width: int, height: int) -> bytes:
    """A tiny PNG that claims to be huge (a decompression bomb's header)."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return (struct.pack(">I", len(data)) + kind + data
                + struct.pack(">I", zlib.crc32(kind + data)))

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IEND", b"")


def _sealed(contract) -> bytes:
    sealed = workflow.current_document(contract, "signed")
    return _db.session.scalar(select(ContractDocument.content)
                              .where(ContractDocument.id == sealed.id))


@pytest.mark.slow
def test_a_pdf_scan_signs_every_remaining_signer(english, pdf_pages, pdf_text, sent, sign_link):
    contract, tokens = sent()
    sign_link(tokens["brand"])
    scan = small_pdf() + b"\n% scanned on paper\n"
    member = make_user("member")
    record_scan(contract, scan, "contrat-signé.pdf", member)
    contract = _db.session.get(Contract, contract.id)
    assert contract.status == "signed"
    signers = {s.role: s for s in contract.signers}
    assert signers["brand"].method == "link"  # the link signature stands
    influencer = signers["influencer"]
    assert influencer.method == "scan" and influencer.recorded_by_id == member.id
    assert influencer.scan_sha256 == hashlib.sha256(scan).hexdigest()
    assert influencer.scan == scan and influencer.token_hash is None
    assert influencer.document_sha256 == workflow.current_document(contract).sha256
    content = _sealed(contract)
    pages = pdf_pages(content)
    assert len(pages) == 2 and "Contrat d'essai" in pages[0]  # the scan's page, the evidence
    text = "".join(pdf_text(content).split())
    assert influencer.scan_sha256 in text
    assert hashlib.sha256(scan).hexdigest() in text


@pytest.mark.slow
def test_an_image_scan_before_any_link_creates_the_signers(english, minor_contract, pdf_pages):
    contract = minor_contract()
    photo = _image("JPEG", size=(1240, 1754))
    record_scan(contract, photo, "scan.jpg", make_user("member"))
    contract = _db.session.get(Contract, contract.id)
    assert contract.status == "signed" and contract.sent_at is None
    roles = sorted(s.role for s in contract.signers)
    assert roles == ["brand", "influencer", "representative", "representative"]
    assert all(s.method == "scan" and s.signed_at for s in contract.signers)
    assert [s.scan is not None for s in contract.signers].count(True) == 1  # one copy
    pages = pdf_pages(_sealed(contract))
    # The photo as a page (no text), then the evidence of four signers over two pages.
    assert len(pages) == 3 and pages[0] == ""
    assert "Relevé de preuve — page 1 / 2" in pages[1]
    assert "Relevé de preuve — page 2 / 2" in pages[2]


@pytest.mark.slow
def test_a_transparent_png_scan(english):
    contract = make_approved_contract()
    record_scan(contract, _image("PNG", mode="RGBA"), "scan.png", make_user("member"))
    assert _db.session.get(Contract, contract.id).status == "signed"


@pytest.mark.parametrize(("content", "message"), [
    (b"", "The file is empty"),
    (b"MZ\x90\x00 an executable", "not a PDF, JPEG or PNG"),
    (b"<html><script>alert(1)</script></html>", "not a PDF, JPEG or PNG"),
    (b"%PDF-1.7\n garbage with no pages", "This PDF cannot be read"),
    (b"\x89PNG\r\n\x1a\n" + b"\x00" * 64, "This image cannot be read"),
    (b"\xff\xd8\xff\xe0 truncated jpeg", "This image cannot be read"),
    (_png_header_only(30_000, 30_000), "too large"),
    (b"%PDF-" + b"0" * SCAN_MAX, "too large"),
])
def test_hostile_scans_are_refused_clearly(english, content, message):
    contract = make_approved_contract()
    with pytest.raises(ServiceError, match=message):
        record_scan(contract, content, "x", make_user("member"))
    _db.session.rollback()
    contract = _db.session.get(Contract, contract.id)
    assert contract.status == "approved"
    assert _db.session.scalar(select(ContractSigner).where(
        ContractSigner.contract_id == contract.id)) is None


@pytest.mark.slow
def test_a_scan_needs_a_member_and_a_contract_to_sign(english):
    contract = make_approved_contract()
    with pytest.raises(NotAllowed):
        record_scan(contract, small_pdf(), "x.pdf", make_user("viewer"))
    draft = make_approved_contract(brand=contract.brand, influencer=contract.influencer)
    draft.status = "draft"
    _db.session.commit()
    with pytest.raises(ServiceError, match="only on one that is"):
        record_scan(draft, small_pdf(), "x.pdf", make_user("member"))
    record_scan(contract, small_pdf(), "x.pdf", make_user("member"))
    with pytest.raises(ServiceError, match="only on one that is"):
        record_scan(contract, small_pdf(), "x.pdf", make_user("member"))
