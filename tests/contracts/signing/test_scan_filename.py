"""The uploaded scan's file name is stored in the signers' consent text: NUL, control and
path characters are dropped (PostgreSQL refuses NUL; none belong in a name shown later)."""

from __future__ import annotations

import io
import unicodedata

import pytest
from hypothesis import given
from hypothesis import strategies as st

from app.contracts.signing.scan import safe_filename
from app.extensions import db as _db
from app.models import Contract
from tests.factories import small_pdf


@pytest.mark.parametrize(("raw", "kept"), [
    ("contrat\x00signé.pdf", "contratsigné.pdf"),
    ("\x01\x1b[31mscan\x7f.pdf\u200b", "[31mscan.pdf"),
    ("C:\\Users\\léa\\scan.jpg", "scan.jpg"),
    ("../../etc/passwd", "passwd"),
    ("\x00\x01", "scan"),
    ("", "scan"),
    (None, "scan"),
    ("a" * 300 + ".pdf", "a" * 200),
])
def test_safe_filename(raw, kept):
    assert safe_filename(raw) == kept


@given(st.text())
def test_safe_filename_keeps_no_control_character(raw):
    name = safe_filename(raw)
    assert 0 < len(name) <= 200 and "/" not in name and "\\" not in name
    assert not any(unicodedata.category(c).startswith("C") for c in name)


def test_a_scan_named_with_nul_and_control_characters_is_recorded(member_client, db, sent):
    contract, _tokens = sent()
    response = member_client.post(f"/contracts/{contract.id}/scan", data={
        "scan": (io.BytesIO(small_pdf()), "contrat\x00 signé\x07\x1f.pdf"), "confirm": "y"},
        content_type="multipart/form-data")
    assert response.status_code == 302
    _db.session.expire_all()
    contract = _db.session.get(Contract, contract.id)
    assert contract.status == "signed"
    texts = {s.consent_text for s in contract.signers}
    assert all("contrat signé.pdf" in text for text in texts), texts
    assert not any("\x00" in text or "\x07" in text for text in texts)
