"""Signing over HTTP: the signer's public page, its PDF and the signature (CSRF, refusals,
no indexing, no cache, rate limit), and the team's side (send, renew, scan, evidence, the
contract page's panel)."""

from __future__ import annotations

import json
import re

import pytest
from sqlalchemy import select

from app.contracts import workflow
from app.contracts.signing import service as signing
from app.extensions import db as _db
from app.models import Contract, ContractSigner
from tests.factories import make_approved_contract, small_pdf

INVALID = "invalid or has expired"


def _text(response) -> str:
    return re.sub(r"\s+", " ", response.get_data(as_text=True))


def _signer(token: str) -> ContractSigner:
    _db.session.expire_all()
    return _db.session.scalar(select(ContractSigner).where(
        ContractSigner.token_hash == signing.token_hash(token)))


def _private(response) -> None:
    assert response.headers["Cache-Control"] == "no-store"
    assert response.headers["X-Robots-Tag"] == "noindex, nofollow"
    assert response.headers["Referrer-Policy"] == "no-referrer"


# --- the signer's page ----------------------------------------------------------------------

def test_the_sign_page_shows_the_pdf_the_signer_and_the_consent(client, db, sent):
    contract, tokens = sent()
    response = client.get(f"/sign/{tokens['influencer']}")
    assert response.status_code == 200
    _private(response)
    page = _text(response)
    assert '<meta name="robots" content="noindex, nofollow">' in page
    assert f'<iframe class="sign-pdf" src="/sign/{tokens["influencer"]}/document.pdf"' in page
    assert "Zoé Lefèvre-Brûlé" in page and contract.number in page
    assert "Je déclare avoir lu le contrat n° " + contract.number in page
    assert 'lang="fr"' in page  # the contract's language, whatever the browser's
    assert workflow.current_document(contract).sha256 in page
    assert _signer(tokens["influencer"]).opened_at is not None


def test_the_pdf_is_served_to_its_signer_only_and_may_be_framed_by_us(client, db, sent):
    contract, tokens = sent()
    response = client.get(f"/sign/{tokens['brand']}/document.pdf")
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    assert response.data == small_pdf()
    _private(response)
    assert "frame-ancestors 'self'" in response.headers["Content-Security-Policy"]
    assert response.headers["X-Frame-Options"] == "SAMEORIGIN"
    assert response.headers["Content-Disposition"].startswith("inline;")
    download = client.get(f"/sign/{tokens['brand']}/document.pdf?download=1")
    assert download.headers["Content-Disposition"] == (
        f'attachment; filename="{contract.number}-v1.pdf"')
    assert client.get(f"/sign/{'x' * 43}/document.pdf").status_code == 404
    # Any other page keeps refusing to be framed.
    assert "frame-ancestors 'none'" in client.get(
        f"/sign/{tokens['brand']}").headers["Content-Security-Policy"]


def test_signing_through_the_page(client, db, sent):
    contract, tokens = sent()
    token = tokens["brand"]
    unticked = client.post(f"/sign/{token}", data={})
    assert unticked.status_code == 400
    assert _signer(token).signed_at is None
    response = client.post(f"/sign/{token}", data={"accept": "y"},
                           headers={"User-Agent": "TestBrowser/1.0"})
    assert response.status_code == 200
    _private(response)
    page = _text(response)
    assert workflow.current_document(contract).sha256 in page
    signer = _signer(token)
    assert signer.signed_at is not None and signer.method == "link"
    assert signer.user_agent == "TestBrowser/1.0" and signer.ip_address == "127.0.0.1"
    assert signer.consent_text.startswith("Je déclare avoir lu le contrat")
    again = client.post(f"/sign/{token}", data={"accept": "y"})
    assert again.status_code == 410 and "already been used" in _text(again)
    # The used link now waits for the signed copy: the influencer has not signed yet.
    waiting = client.get(f"/sign/{token}")
    assert waiting.status_code == 200
    _private(waiting)
    assert f'/sign/{token}/signed.pdf"' not in waiting.get_data(as_text=True)
    assert client.get(f"/sign/{token}/signed.pdf").status_code == 410


@pytest.mark.parametrize("spoil", ["tamper", "expire", "revoke", "unknown"])
def test_refused_links_all_read_invalid_or_expired(client, db, spoil, sent):
    from app.models.base import utcnow

    contract, tokens = sent()
    token = tokens["influencer"]
    signer = _signer(token)
    if spoil == "tamper":
        token = token[:-1] + ("A" if token[-1] != "A" else "B")
    elif spoil == "expire":
        signer.expires_at = utcnow()
    elif spoil == "revoke":
        signer.revoked_at = utcnow()
    else:
        token = "not-a-token"
    _db.session.commit()
    for response in (client.get(f"/sign/{token}"),
                     client.post(f"/sign/{token}", data={"accept": "y"})):
        assert response.status_code == 404
        _private(response)
        assert INVALID in _text(response)
        assert contract.number not in _text(response)
    assert _signer(tokens["influencer"]).signed_at is None


def test_the_signature_needs_the_csrf_token(app, client, db, sent):
    _contract, tokens = sent()
    app.config["WTF_CSRF_ENABLED"] = True
    try:
        response = client.post(f"/sign/{tokens['brand']}", data={"accept": "y"})
        assert response.status_code == 400
        assert _signer(tokens["brand"]).signed_at is None
        page = client.get(f"/sign/{tokens['brand']}").get_data(as_text=True)
        csrf = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
        response = client.post(f"/sign/{tokens['brand']}",
                               data={"accept": "y", "csrf_token": csrf})
        assert response.status_code == 200
    finally:
        app.config["WTF_CSRF_ENABLED"] = False
    assert _signer(tokens["brand"]).signed_at is not None


def test_guessing_links_is_rate_limited(client, db):
    codes = [client.post(f"/sign/{'g' * 40}{n:03d}", data={"accept": "y"}).status_code
             for n in range(12)]
    assert codes[:10] == [404] * 10 and codes[-1] == 429


# --- the team's side ------------------------------------------------------------------------

def test_sending_shows_the_links_to_copy_when_there_is_no_smtp(member_client, db):
    contract = make_approved_contract()
    response = member_client.post(f"/contracts/{contract.id}/send",
                                  data={"version": contract.version})
    assert response.status_code == 200
    page = _text(response)
    links = re.findall(r'value="(http://localhost/sign/[A-Za-z0-9_-]+)"', page)
    assert len(links) == 2
    assert "Hélène Câlin" in page and "shown only once" in page
    _db.session.expire_all()
    assert _db.session.get(Contract, contract.id).status == "sent"
    token = links[0].rsplit("/", 1)[1]
    assert member_client.get(f"/sign/{token}").status_code == 200


def test_sending_a_contract_changed_since_the_page_was_opened_is_refused(member_client, db):
    contract = make_approved_contract()
    response = member_client.post(f"/contracts/{contract.id}/send",
                                  data={"version": contract.version - 1})
    assert response.status_code == 302 and "#signing" in response.headers["Location"]
    assert _db.session.get(Contract, contract.id).status == "approved"


def test_viewers_cannot_send_renew_scan_or_export(viewer_client, db, sent):
    contract, tokens = sent()
    signer = _signer(tokens["brand"])
    for url in (f"/contracts/{contract.id}/send",
                f"/contracts/{contract.id}/signers/{signer.id}/renew",
                f"/contracts/{contract.id}/scan"):
        assert viewer_client.post(url).status_code == 403
    assert viewer_client.get(f"/contracts/{contract.id}/evidence.json").status_code == 403


def test_renewing_a_link(member_client, db, sent):
    contract, tokens = sent()
    signer = _signer(tokens["influencer"])
    response = member_client.post(f"/contracts/{contract.id}/signers/{signer.id}/renew")
    assert response.status_code == 200
    [link] = re.findall(r'value="(http://localhost/sign/[A-Za-z0-9_-]+)"', _text(response))
    assert member_client.get(f"/sign/{tokens['influencer']}").status_code == 404
    assert member_client.get(link.replace("http://localhost", "")).status_code == 200
    other = make_approved_contract(brand=contract.brand, influencer=contract.influencer)
    assert member_client.post(
        f"/contracts/{other.id}/signers/{signer.id}/renew").status_code == 404


def test_evidence_export(member_client, client, db, sent):
    contract, tokens = sent()
    client.post(f"/sign/{tokens['brand']}", data={"accept": "y"})
    response = member_client.get(f"/contracts/{contract.id}/evidence.json")
    assert response.status_code == 200 and response.mimetype == "application/json"
    assert response.headers["Content-Disposition"] == (
        f'attachment; filename="{contract.number}-evidence.json"')
    record = json.loads(response.data)
    assert record["contract"]["number"] == contract.number
    by_role = {s["role"]: s for s in record["signatures"]}
    assert by_role["brand"]["status"] == "signed" and by_role["brand"]["ip_address"]
    assert by_role["influencer"]["status"] == "sent"
    assert by_role["brand"]["document_sha256"] == record["documents"][0]["sha256"]


def test_the_contract_page_panel(member_client, viewer_client, db, sent):
    contract = make_approved_contract()
    page = _text(member_client.get(f"/contracts/{contract.id}"))
    assert 'id="signing"' in page and "Send for signature" in page
    assert "Upload the scan" in page and "Nobody has been asked to sign yet" in page
    assert "Send for signature" not in _text(viewer_client.get(f"/contracts/{contract.id}"))
    sent(contract)
    page = _text(member_client.get(f"/contracts/{contract.id}"))
    assert "Hélène Câlin" in page and "Link sent" in page and "New link" in page
    assert "Evidence (JSON)" in page and "Send for signature" not in page


@pytest.mark.slow
def test_uploading_a_scan_through_the_panel(member_client, db, sent):
    import io

    contract, _tokens = sent()
    bad = member_client.post(f"/contracts/{contract.id}/scan", data={
        "scan": (io.BytesIO(b"MZ not a scan"), "scan.exe"), "confirm": "y"},
        content_type="multipart/form-data", follow_redirects=True)
    assert "not a PDF, JPEG or PNG" in _text(bad)
    unconfirmed = member_client.post(f"/contracts/{contract.id}/scan", data={
        "scan": (io.BytesIO(small_pdf()), "scan.pdf")},
        content_type="multipart/form-data", follow_redirects=True)
    assert "Confirm that every party signed" in _text(unconfirmed)
    _db.session.expire_all()
    assert _db.session.get(Contract, contract.id).status == "sent"
    good = member_client.post(f"/contracts/{contract.id}/scan", data={
        "scan": (io.BytesIO(small_pdf()), "contrat signé.pdf"), "confirm": "y"},
        content_type="multipart/form-data", follow_redirects=True)
    assert "the contract is signed" in _text(good)
    _db.session.expire_all()
    contract = _db.session.get(Contract, contract.id)
    assert contract.status == "signed"
    assert {s.method for s in contract.signers} == {"scan"}


def test_a_scan_over_the_upload_limit_has_a_friendly_page(app, member_client, db, monkeypatch,
                                                          sent):
    import io

    monkeypatch.setitem(app.config, "MAX_CONTENT_LENGTH", 2048)
    contract, _tokens = sent()
    response = member_client.post(f"/contracts/{contract.id}/scan", data={
        "scan": (io.BytesIO(b"%PDF-" + b"0" * 4096), "big.pdf"), "confirm": "y"},
        content_type="multipart/form-data")
    assert response.status_code == 413
    assert "too large" in _text(response)
    assert _db.session.get(Contract, contract.id).status == "sent"
