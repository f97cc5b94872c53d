"""A person marked "do not contact" is sent nothing: sending or renewing their signing
links is refused with a message, and no email leaves (a real SMTP sink listens)."""

from __future__ import annotations

import html

import pytest
from flask_babel import force_locale
from sqlalchemy import func, select

from app.extensions import db as _db
from app.influencers.outreach import NotContactable, ensure_contactable
from app.models import Contract, ContractSigner
from tests.factories import make_approved_contract, make_influencer, make_user


def _do_not_contact(contract: Contract) -> None:
    contract.influencer.status = "do_not_contact"
    _db.session.commit()


def _page(response) -> str:
    return html.unescape(response.get_data(as_text=True))


def _signers(contract: Contract) -> int:
    return _db.session.scalar(select(func.count()).select_from(ContractSigner)
                              .where(ContractSigner.contract_id == contract.id))


def test_sending_links_to_a_do_not_contact_influencer_is_refused(member_client, db, smtp):
    contract = make_approved_contract()
    _do_not_contact(contract)
    response = member_client.post(f"/contracts/{contract.id}/send",
                                  data={"version": contract.version}, follow_redirects=True)
    assert response.status_code == 200
    name = contract.influencer.display_name
    assert f"{name} is marked “do not contact”: nothing is sent to them." in _page(response)
    assert smtp.messages == []
    _db.session.expire_all()
    assert _db.session.get(Contract, contract.id).status == "approved"
    assert _signers(contract) == 0


def test_renewing_their_link_is_refused(member_client, db, smtp, sent):
    contract, tokens = sent()
    before = len(smtp.messages)  # the first sending, before they asked not to be contacted
    _do_not_contact(contract)
    signer = _db.session.scalar(select(ContractSigner).where(
        ContractSigner.contract_id == contract.id, ContractSigner.role == "influencer"))
    response = member_client.post(f"/contracts/{contract.id}/signers/{signer.id}/renew",
                                  follow_redirects=True)
    assert response.status_code == 200
    assert "is marked “do not contact”" in _page(response)
    assert len(smtp.messages) == before
    _db.session.expire_all()
    assert _db.session.get(ContractSigner, signer.id).revoked_at is None
    assert _signers(contract) == 2


def test_a_minor_s_representatives_are_not_contacted_either(member_client, db, smtp, sent,
                                                            minor_contract):
    contract, tokens = sent(minor_contract())
    before = len(smtp.messages)
    _do_not_contact(contract)
    signer = _db.session.scalar(select(ContractSigner).where(
        ContractSigner.contract_id == contract.id, ContractSigner.name == "Anne Petit"))
    response = member_client.post(f"/contracts/{contract.id}/signers/{signer.id}/renew",
                                  follow_redirects=True)
    assert "is marked “do not contact”" in _page(response)
    assert len(smtp.messages) == before


def test_the_brand_s_link_can_still_be_renewed(member_client, db, smtp, sent):
    # The brand is not the person who asked not to be contacted.
    contract, tokens = sent()
    _do_not_contact(contract)
    before = len(smtp.messages)
    signer = _db.session.scalar(select(ContractSigner).where(
        ContractSigner.contract_id == contract.id, ContractSigner.role == "brand"))
    response = member_client.post(f"/contracts/{contract.id}/signers/{signer.id}/renew")
    assert response.status_code == 302
    assert [m[0]["rcpt"] for m in smtp.messages[before:]] == [[contract.brand.email]]


def test_the_guard(app, db):
    zoe = make_influencer(display_name="Zoé", status="do_not_contact")
    with app.test_request_context():
        ensure_contactable(make_influencer(status="prospect"))
        for language, words in (("en", "Zoé is marked “do not contact”"),
                                ("fr", "Zoé porte le statut « Ne pas contacter »")):
            with force_locale(language), pytest.raises(NotContactable, match=words):
                ensure_contactable(zoe)


def test_the_refusal_reads_in_french(client_as, db, smtp):
    contract = make_approved_contract(influencer=make_influencer(display_name="Édith Lenoir"))
    _do_not_contact(contract)
    client = client_as(make_user("member", locale="fr"))
    response = client.post(f"/contracts/{contract.id}/send", data={"version": contract.version},
                           follow_redirects=True)
    assert ("Édith Lenoir porte le statut « Ne pas contacter » : rien ne lui est envoyé."
            in _page(response).replace("\u202f", " ").replace("\xa0", " "))
    assert smtp.messages == []
