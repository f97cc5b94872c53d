"""One rule for the signers' evidence: whoever may not export the evidence JSON may not
download a signed PDF either, since its last page prints the same record (IP addresses)."""

from __future__ import annotations

from sqlalchemy import select

from app.contracts.signing.evidence import EVIDENCE_ROLE, can_download, can_read_evidence
from app.extensions import db as _db
from app.models import ContractDocument
from tests.factories import make_user


def _documents(contract) -> dict[str, ContractDocument]:
    return {d.kind: d for d in _db.session.scalars(
        select(ContractDocument).where(ContractDocument.contract_id == contract.id))}


def test_a_viewer_gets_neither_the_json_nor_the_signed_pdf(viewer_client, member_client, db,
                                                          sent, sign_link):
    contract, tokens = sent()
    for token in tokens.values():
        sign_link(token, ip="198.51.100.23")
    documents = _documents(contract)
    signed, approved = documents["signed"], documents["contract"]
    base = f"/contracts/{contract.id}"
    assert viewer_client.get(f"{base}/evidence.json").status_code == 403
    assert viewer_client.get(f"{base}/documents/{signed.id}").status_code == 403
    # The approved document carries no evidence: a viewer reads it as before.
    assert viewer_client.get(f"{base}/documents/{approved.id}").status_code == 200
    assert member_client.get(f"{base}/evidence.json").status_code == 200
    response = member_client.get(f"{base}/documents/{signed.id}")
    assert response.status_code == 200 and response.mimetype == "application/pdf"


def test_both_follow_one_role(db):
    assert EVIDENCE_ROLE == "member"
    for role in ("viewer", "member", "manager", "admin"):
        user = make_user(role)
        signed = ContractDocument(kind="signed")
        assert can_read_evidence(user) is (role != "viewer") is can_download(user, signed)
        assert can_download(user, ContractDocument(kind="contract"))


def test_the_versions_table_offers_a_viewer_only_what_they_may_download(
        viewer_client, member_client, db, sent, sign_link):
    contract, tokens = sent()
    for token in tokens.values():
        sign_link(token)
    documents = _documents(contract)
    signed, approved = (f"/contracts/{contract.id}/documents/{documents[kind].id}"
                        for kind in ("signed", "contract"))
    page = viewer_client.get(f"/contracts/{contract.id}").get_data(as_text=True)
    assert approved in page and signed not in page
    page = member_client.get(f"/contracts/{contract.id}").get_data(as_text=True)
    assert approved in page and signed in page
