"""The signed PDF (document + evidence page), the shared restricted fetcher, and the batch
ZIP rendered by a process pool."""

from __future__ import annotations

import hashlib
import io
import zipfile
from datetime import UTC, datetime

import pytest
from pypdf import PdfReader

from app.contracts.batch_render import entry_name, render_zip
from app.contracts.document.evidence import render_evidence_pdf
from app.contracts.document.render import CONTRACTS
from app.contracts.rendering import render_pdf
from app.core.pdf import local_path, restricted_fetcher
from app.extensions import db as _db
from app.models import ContractDocument, ContractSigner
from tests.factories import make_contract, make_influencer


def _signed(contract, document_bytes: bytes) -> tuple[ContractDocument, list[ContractSigner]]:
    sha = hashlib.sha256(document_bytes).hexdigest()
    document = ContractDocument(contract=contract, version=1, language=contract.language,
                                template_name="ambassador", template_version="2026.11-1",
                                sha256=sha, size=len(document_bytes), pages=4,
                                content=document_bytes)
    signers = [
        ContractSigner(contract=contract, document=document, role=role, name=name, email=email,
                       method="link", sent_at=datetime(2026, 3, 10, 8, 0, tzinfo=UTC),
                       opened_at=datetime(2026, 3, 10, 9, 15, 2, tzinfo=UTC),
                       signed_at=datetime(2026, 3, 10 + i, 9, 16, 40, tzinfo=UTC),
                       ip_address=ip, user_agent="Mozilla/5.0 <script>x</script> Firefox/140.0",
                       consent_text="J'ai lu le contrat et je l'accepte « sans réserve ».",
                       document_sha256=sha)
        for i, (role, name, email, ip) in enumerate([
            ("brand", "Hélène Câlin", "helene@maison-lumiere.fr", "203.0.113.7"),
            ("influencer", "Zoé Lefèvre-Brûlé", "zoe@exemple.fr", "2001:db8::42")])]
    _db.session.add_all([document, *signers])
    _db.session.commit()
    return document, signers


@pytest.mark.slow
@pytest.mark.parametrize("language", ["fr", "en"])
def test_signed_pdf_is_the_document_then_the_evidence_with_both_hashes(db, language, pdf_pages):
    contract = make_contract(language=language)
    rendered = render_pdf(contract)
    document, signers = _signed(contract, rendered.pdf)
    signed = render_evidence_pdf(rendered.pdf, signers, contract, document)

    assert signed == render_evidence_pdf(rendered.pdf, signers, contract, document)
    pages = pdf_pages(signed)
    original = pdf_pages(rendered.pdf)
    # The signed pages as they were, the signature blocks naming who signed and when.
    assert all(page.startswith(before) for page, before in zip(pages, original, strict=False))
    blocks = next(page for page in pages[:len(original)] if "Article 16" in page)
    signed_by = ("Signé électroniquement par {} le {}" if language == "fr"
                 else "Signed electronically by {} on {}")
    for name, when in (("Hélène Câlin", "2026-03-10 09:16:40 UTC"),
                       ("Zoé Lefèvre-Brûlé", "2026-03-11 09:16:40 UTC")):
        assert signed_by.format(name, when) in blocks
    assert not any("Signé électroniquement" in page or "Signed electronically" in page
                   for page in original)
    evidence = " ".join(pages[len(original):])
    for value in (rendered.sha256, "Hélène Câlin", "helene@maison-lumiere.fr", "203.0.113.7",
                  "2001:db8::42", "2026-03-10 09:15:02 UTC", "2026-03-11 09:16:40 UTC",
                  "2026-03-10 08:00:00 UTC", "<script>x</script>", "« sans réserve »",
                  contract.number):
        assert value in evidence, value
    # The document's hash, then each signer's (a hash may wrap inside its table cell).
    assert evidence.replace(" ", "").count(rendered.sha256) == 3
    stored = "conservée par l'Annonceur" if language == "fr" else "kept by the Advertiser"
    assert stored in evidence
    assert ("RELEVÉ DE PREUVE" if language == "fr" else "EVIDENCE RECORD") in evidence
    assert hashlib.sha256(signed).hexdigest() != rendered.sha256


def test_restricted_fetcher_serves_its_folder_only(tmp_path):
    css = CONTRACTS / "contract.css"
    assert local_path(css.as_uri(), CONTRACTS) == css
    fetcher = restricted_fetcher(CONTRACTS)
    assert fetcher.fetch(css.as_uri()).read().startswith(b"/*")
    (tmp_path / "secret.txt").write_text("x")
    for url in ("file:///etc/passwd", (CONTRACTS / ".." / "pyproject.toml").as_uri(),
                (tmp_path / "secret.txt").as_uri(), "http://127.0.0.1:9/x.css",
                "https://example.org/x.css", "data:text/css,body{}", "ftp://example.org/x",
                "file://evil.example/etc/passwd", (CONTRACTS / "nope.css").as_uri(),
                CONTRACTS.as_uri(), (CONTRACTS / "%2e%2e" / "pyproject.toml").as_uri()):
        assert local_path(url, CONTRACTS) is None, url
        with pytest.raises(ValueError, match="refused"):
            fetcher.fetch(url)


def test_symlink_out_of_the_folder_is_refused(tmp_path):
    root = tmp_path / "root"
    root.mkdir()
    (tmp_path / "outside.css").write_text("p {}")
    (root / "link.css").symlink_to(tmp_path / "outside.css")
    assert local_path((root / "link.css").as_uri(), root) is None


@pytest.mark.parametrize(("number", "name", "expected"), [
    ("RLS-2026-00042", "Zoé Lefèvre", "RLS-2026-00042-zoe-lefevre.pdf"),
    ("../x", '../../etc/"passwd"', "x-etc-passwd.pdf"),
    ("RLS-1", "日本語", "RLS-1-contract.pdf"),
])
def test_zip_entry_names_are_safe(number, name, expected):
    assert entry_name(number, name) == expected


@pytest.mark.slow
def test_render_zip_on_a_process_pool(db, tmp_path, pdf_text):
    contracts = [make_contract(influencer=make_influencer(display_name=f"Zoé n°{i}",
                                                         legal_name=f"Zoé Numéro {i}"))
                 for i in range(3)]
    ids = [c.id for c in reversed(contracts)] + [999_999]
    seen: list[int] = []
    out = tmp_path / "contracts.zip"
    names = render_zip(ids, out, progress=seen.append, workers=2)

    expected = [entry_name(c.number, c.influencer.display_name) for c in reversed(contracts)]
    assert names == expected
    assert seen == [25, 50, 75, 100]
    with zipfile.ZipFile(out) as archive:
        assert archive.namelist() == expected
        first = archive.read(expected[0])
    assert first == render_pdf(contracts[-1]).pdf  # a worker's bytes are the parent's bytes
    assert "Zoé Numéro 2" in pdf_text(first)
    again = tmp_path / "again.zip"
    render_zip(ids, again, workers=1)
    assert again.read_bytes() == out.read_bytes()
    assert len(PdfReader(io.BytesIO(first)).pages) >= 3
