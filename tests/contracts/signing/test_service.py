"""Signing service: single-use expiring links, the evidence of each signature, the sealed
signed PDF, minors' representatives, revoked / expired / reused / tampered links."""

from __future__ import annotations

import hashlib
import io
from datetime import timedelta

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pypdf import PdfReader
from sqlalchemy import event, select, update

from app.contracts import workflow
from app.contracts.signing import service as signing
from app.contracts.signing.evidence import evidence, evidence_record
from app.core.errors import NotAllowed, ServiceError
from app.extensions import db as _db
from app.models import Contract, ContractDocument, ContractSigner
from app.models.base import utcnow
from tests.factories import make_approved_contract, make_user

UA = "Mozilla/5.0 (X11; Linux x86_64) Firefox/128.0"
INVALID = "invalid or has expired"


def _signer(token: str) -> ContractSigner:
    _db.session.expire_all()
    return _db.session.scalar(select(ContractSigner).where(
        ContractSigner.token_hash == signing.token_hash(token)))


def _tampered(token: str) -> str:
    flipped = "A" if token[10] != "A" else "B"
    return token[:10] + flipped + token[11:]


# --- sending --------------------------------------------------------------------------------

def test_send_gives_one_hashed_expiring_link_per_signer(english, sent):
    contract, tokens = sent()
    assert contract.status == "sent" and contract.sent_at is not None
    assert set(tokens) == {"brand", "influencer"}
    signers = {s.role: s for s in contract.signers}
    assert signers["brand"].name == "Hélène Câlin"
    assert signers["brand"].email == "contrats@maison-lumiere.fr"
    assert signers["influencer"].name == "Zoé Lefèvre-Brûlé"
    document = workflow.current_document(contract)
    for role, token in tokens.items():
        signer = signers[role]
        assert len(token) >= 43
        assert signer.token_hash == hashlib.sha256(token.encode()).hexdigest()
        assert token not in repr(vars(signer))  # only the hash is kept
        assert signer.document_id == document.id
        assert timedelta(days=13, hours=23) < signer.expires_at - signer.sent_at \
            <= timedelta(days=14)
        assert not signer.emailed  # no SMTP configured: shown to copy


@pytest.mark.parametrize(("setting", "days"), [(3, 3), (90, 90), (0, 14), (365, 14)])
def test_the_link_validity_is_a_setting(english, app, monkeypatch, setting, days, sent):
    monkeypatch.setitem(app.config, "RELAIS_SIGNING_DAYS", setting)
    contract, _tokens = sent()
    for signer in contract.signers:
        assert signer.expires_at - signer.sent_at == timedelta(days=days)


def test_send_needs_an_approved_contract_and_a_member(english):
    contract = make_approved_contract()
    with pytest.raises(NotAllowed):
        signing.send(contract, make_user("viewer"))
    signing.send(contract, make_user("member"))
    with pytest.raises(ServiceError, match="only on one that is"):
        signing.send(contract, make_user("member"))


def test_send_refuses_a_stale_page_and_a_signer_without_email(english):
    contract = make_approved_contract()
    with pytest.raises(workflow.Stale):
        signing.send(contract, make_user("member"), expected_version=contract.version - 1)
    contract.influencer.email = None
    _db.session.commit()
    with pytest.raises(ServiceError, match="no email address"):
        signing.send(contract, make_user("member"))
    assert _db.session.get(Contract, contract.id).status == "approved"


# --- refused links --------------------------------------------------------------------------

def test_a_tampered_link_is_refused_like_an_unknown_one(english, sent):
    _contract, tokens = sent()
    with pytest.raises(signing.LinkRefused, match=INVALID) as refused:
        signing.open_link(_tampered(tokens["influencer"]), "203.0.113.7", UA)
    assert not refused.value.gone
    assert _signer(tokens["influencer"]).opened_at is None


@settings(max_examples=60, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.text(max_size=200))
def test_any_hostile_token_gets_the_same_clear_refusal(english, token):
    with pytest.raises(signing.LinkRefused, match=INVALID):
        signing.open_link(token, None, None)
    with pytest.raises(signing.LinkRefused, match=INVALID):
        signing.sign(token, None, None, "x", True)


def test_an_expired_link_is_refused_with_the_same_words(english, sent, sign_link):
    _contract, tokens = sent()
    signer = _signer(tokens["brand"])
    signer.expires_at = utcnow() - timedelta(seconds=1)
    _db.session.commit()
    with pytest.raises(signing.LinkRefused, match=INVALID):
        signing.open_link(tokens["brand"], None, UA)
    with pytest.raises(signing.LinkRefused, match=INVALID):
        sign_link(tokens["brand"])
    assert _signer(tokens["brand"]).signed_at is None


def test_a_renewed_link_revokes_the_old_one(english, sent):
    contract, tokens = sent()
    old = _signer(tokens["influencer"])
    link = signing.renew(contract, old, make_user("member"))
    assert _signer(tokens["influencer"]).revoked_at is not None
    with pytest.raises(signing.LinkRefused, match=INVALID):
        signing.open_link(tokens["influencer"], None, UA)
    new_token = link.url.rsplit("/", 1)[1]
    assert signing.open_link(new_token, None, UA).role == "influencer"
    assert [s.role for s in signing.current_signers(contract)] == ["brand", "influencer"]


def test_links_die_when_the_contract_is_cancelled_or_amended(english, sent, sign_link):
    contract, tokens = sent()
    workflow.cancel(contract, make_user("member"))
    with pytest.raises(signing.LinkRefused, match=INVALID):
        sign_link(tokens["brand"])
    other, other_tokens = sent(make_approved_contract(brand=contract.brand,
                                                      influencer=contract.influencer))
    sign_link(other_tokens["brand"])
    workflow.amend(other, make_user("member"))
    with pytest.raises(signing.LinkRefused, match=INVALID):
        signing.open_link(other_tokens["influencer"], None, UA)


def test_a_link_is_used_once(english, sent, sign_link):
    _contract, tokens = sent()
    sign_link(tokens["brand"])
    with pytest.raises(signing.LinkRefused, match="already been used") as refused:
        sign_link(tokens["brand"])
    assert refused.value.gone
    with pytest.raises(signing.LinkRefused, match="already been used"):
        signing.open_link(tokens["brand"], None, UA)


def test_a_signature_racing_past_the_checks_is_refused_by_the_guarded_update(english, sent,
                                                                             sign_link):
    """Two submits of one link: the other request commits its signature after this one
    checked the link and before its UPDATE. The UPDATE's "WHERE signed_at IS NULL" is what
    refuses it (the race is played by a second connection, the service runs as is)."""
    contract, tokens = sent()
    digest = signing.token_hash(tokens["brand"])
    raced = []

    def other_request_signs_first(conn, cursor, statement, params, context, many):
        if raced or not statement.lstrip().upper().startswith("UPDATE CONTRACT_SIGNER"):
            return
        raced.append(True)
        with _db.engine.connect() as other:
            other.execute(update(ContractSigner).where(ContractSigner.token_hash == digest)
                          .values(signed_at=utcnow(), method="link", ip_address="192.0.2.1"))
            other.commit()

    event.listen(_db.engine, "before_cursor_execute", other_request_signs_first)
    try:
        with pytest.raises(signing.LinkRefused, match="already been used"):
            sign_link(tokens["brand"], ip="192.0.2.99")
    finally:
        event.remove(_db.engine, "before_cursor_execute", other_request_signs_first)
    assert raced
    signer = _signer(tokens["brand"])
    assert signer.ip_address == "192.0.2.1"  # the first signature stands, untouched
    assert _db.session.get(Contract, contract.id).status == "sent"


def test_unaccepted_consent_signs_nothing(english, sent):
    _contract, tokens = sent()
    with pytest.raises(ServiceError, match="Tick the box"):
        signing.sign(tokens["brand"], None, UA, "text", False)
    assert _signer(tokens["brand"]).signed_at is None


def test_a_document_whose_bytes_changed_cannot_be_signed(english, sent, sign_link):
    contract, tokens = sent()
    document = workflow.current_document(contract)
    document.content = document.content + b"%tampered"
    _db.session.commit()
    with pytest.raises(ServiceError, match="fingerprint"):
        sign_link(tokens["brand"])
    assert _signer(tokens["brand"]).signed_at is None


# --- evidence and the sealed document ---------------------------------------------------------

def test_opening_is_recorded_once(english, sent):
    _contract, tokens = sent()
    first = signing.open_link(tokens["brand"], None, UA).opened_at
    assert first is not None
    signing.open_link(tokens["brand"], None, UA)
    assert _signer(tokens["brand"]).opened_at == first


def test_signing_records_every_evidence_field(english, sent):
    contract, tokens = sent()
    signing.open_link(tokens["influencer"], "2001:db8::1", UA)
    long_agent = "Agent/" + "x" * 1000
    signer = signing.check_link(tokens["influencer"])
    shown = signing.consent_text(signer)
    assert "Je déclare avoir lu le contrat n° " + contract.number in shown
    assert "même valeur qu'une signature manuscrite" in shown
    signing.sign(tokens["influencer"], "2001:db8::1", long_agent, shown, True)
    signer = _signer(tokens["influencer"])
    document = workflow.current_document(contract)
    assert signer.signed_at is not None and signer.opened_at <= signer.signed_at
    assert signer.method == "link"
    assert signer.ip_address == "2001:db8::1"
    assert signer.user_agent == long_agent[:400]
    assert signer.consent_text == shown
    assert signer.document_sha256 == document.sha256
    assert _db.session.get(Contract, contract.id).status == "sent"  # the brand has not signed
    [row] = [r for r in evidence(contract) if r["role"] == "influencer"]
    assert row["status"] == "signed" and row["ip_address"] == "2001:db8::1"
    assert row["document_sha256"] == document.sha256 and row["consent_text"] == shown
    assert row["sent_at"] and row["opened_at"] and row["signed_at"]


@pytest.mark.slow
def test_the_last_signature_seals_the_contract_with_the_evidence_page(english, pdf_text, sent,
                                                                      sign_link):
    contract, tokens = sent(make_approved_contract(render=True))
    document = workflow.current_document(contract)
    sign_link(tokens["brand"], ip="198.51.100.4")
    sign_link(tokens["influencer"], ip="203.0.113.9")
    contract = _db.session.get(Contract, contract.id)
    assert contract.status == "signed" and contract.signed_at is not None
    sealed = workflow.current_document(contract, "signed")
    assert sealed.source_sha256 == document.sha256
    content = _db.session.scalar(select(ContractDocument.content)
                                 .where(ContractDocument.id == sealed.id))
    assert hashlib.sha256(content).hexdigest() == sealed.sha256
    text = pdf_text(content)
    assert contract.number in text and "Zoé Lefèvre-Brûlé" in text
    compact = "".join(text.split())
    assert document.sha256 in compact
    for needle in ("198.51.100.4", "203.0.113.9", "Hélène Câlin", "zoe@exemple.fr"):
        assert needle in text, needle
    # The appended evidence is numbered as such, not as a second "page 1 / 1" of the contract.
    pages = PdfReader(io.BytesIO(content)).pages
    assert "Relevé de preuve — page 1 / 1" in pages[-1].extract_text()  # a French contract
    assert f"Page {len(pages) - 1} / {len(pages) - 1}" in pages[-2].extract_text()
    record = evidence_record(contract)
    assert [d["kind"] for d in record["documents"]] == ["contract", "signed"]
    assert {s["status"] for s in record["signatures"]} == {"signed"}


@pytest.mark.slow
def test_an_english_contracts_evidence_is_numbered_as_such(english, sent, sign_link):
    contract, tokens = sent(make_approved_contract(language="en"))
    for token in tokens.values():
        sign_link(token)
    sealed = workflow.current_document(_db.session.get(Contract, contract.id), "signed")
    content = _db.session.scalar(select(ContractDocument.content)
                                 .where(ContractDocument.id == sealed.id))
    assert "Evidence record — page 1 / 1" in PdfReader(io.BytesIO(content)).pages[-1].extract_text()


@pytest.mark.slow
def test_a_minor_needs_every_representative_before_signed(english, minor_contract, sent, sign_link):
    contract, tokens = sent(minor_contract())
    assert set(tokens) == {"brand", "influencer", "Anne Petit", "Marc Petit"}
    assert {s.role for s in contract.signers} == {"brand", "influencer", "representative"}
    for who in ("brand", "influencer", "Anne Petit"):
        sign_link(tokens[who])
        assert _db.session.get(Contract, contract.id).status == "sent", who
    sign_link(tokens["Marc Petit"])
    assert _db.session.get(Contract, contract.id).status == "signed"


def test_a_minor_without_representatives_cannot_be_sent(english, minor_contract):
    contract = minor_contract()
    contract.representatives = []
    _db.session.commit()
    with pytest.raises(ServiceError, match="legal representatives"):
        signing.send(contract, make_user("member"))


def test_the_english_consent_text(english, sent):
    contract, tokens = sent(make_approved_contract(language="en"))
    text = signing.consent_text(signing.check_link(tokens["brand"]))
    assert text.startswith(f"I declare that I have read contract no. {contract.number}")
    assert "same value as a handwritten signature" in text

