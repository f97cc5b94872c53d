"""How each link reached its signer (shown to the member who sent it, copied by them, or
emailed), printed on the evidence page; and each signer's copy of the signed PDF, behind
their own link for 30 days after sealing, then an "expired" page (never a 500)."""

from __future__ import annotations

from datetime import timedelta

import pytest

from app.contracts import workflow
from app.contracts.signing.copies import COPY_DAYS
from app.extensions import db as _db
from app.models import ContractSigner
from tests.factories import make_approved_contract, make_user


def _signers(contract) -> dict[str, ContractSigner]:
    _db.session.expire_all()
    return {s.role: s for s in contract.signers}


@pytest.mark.slow
def test_the_evidence_says_who_handed_each_link_over(english, client_as, sent, sign_link,
                                                     pdf_pages):
    sender = make_user("member", name="Marie Dupont", email="marie@agence-relais.fr")
    copier = make_user("member", name="Karim Benali", email="karim@agence-relais.fr")
    contract, tokens = sent(make_approved_contract(render=True), sender)
    signers = _signers(contract)
    for signer in signers.values():  # no SMTP: shown once to the member who sent them
        assert (signer.delivery, signer.delivered_by_id) == ("shown", sender.id)
        assert signer.delivered_at is not None and not signer.emailed
    client = client_as(copier)
    url = f"/contracts/{contract.id}/signers/{signers['influencer'].id}/copied"
    assert client.post(url).status_code == 204
    assert client.post(f"/contracts/{contract.id}/signers/999999/copied").status_code == 404
    influencer = _signers(contract)["influencer"]
    assert (influencer.delivery, influencer.delivered_by_id) == ("copied", copier.id)
    panel = client.get(f"/contracts/{contract.id}").get_data(as_text=True)
    assert "copied by Karim Benali" in panel and "shown to Marie Dupont" in panel
    for token in tokens.values():
        sign_link(token)
    pages = pdf_pages(workflow.current_document(contract, "signed").content)
    evidence, joined = " ".join(pages), "".join(pages).replace(" ", "")  # an email may wrap
    assert "affiché une seule fois à Marie Dupont" in evidence
    assert "copié par Karim Benali" in evidence
    assert "<marie@agence-relais.fr>le" in joined and "<karim@agence-relais.fr>le" in joined
    assert "envoyé à l'adresse électronique du signataire" not in evidence
    # The sealed copy's signature blocks name who signed, and when.
    blocks = next(page for page in pages if "Article 16" in page)
    for signer in _signers(contract).values():
        when = signer.signed_at.strftime("%Y-%m-%d %H:%M:%S UTC")
        assert f"Signé électroniquement par {signer.name} le {when}" in blocks
    # A link used, or already recorded as emailed, keeps its record.
    assert client.post(url).status_code == 204
    assert _signers(contract)["influencer"].delivered_by_id == copier.id


def test_the_copy_record_needs_a_member(viewer_client, sent):
    contract, _tokens = sent()
    signer = _signers(contract)["brand"]
    url = f"/contracts/{contract.id}/signers/{signer.id}/copied"
    assert viewer_client.post(url).status_code == 403
    assert _signers(contract)["brand"].delivery == "shown"


def test_the_links_page_records_a_copy(member_client, html):
    contract = make_approved_contract()
    page = html(member_client.post(f"/contracts/{contract.id}/send",
                                   data={"version": contract.version}))
    signer = _signers(contract)["brand"]
    assert f'data-record="/contracts/{contract.id}/signers/{signer.id}/copied"' in page


def test_each_signer_downloads_the_signed_pdf_for_30_days(client, sent, sign_link):
    contract, tokens = sent()
    sign_link(tokens["brand"])
    assert client.get(f"/sign/{tokens['brand']}/signed.pdf").status_code == 410
    sign_link(tokens["influencer"])
    sealed = workflow.current_document(contract, "signed")
    for token in tokens.values():
        page = client.get(f"/sign/{token}")
        assert page.status_code == 200
        assert f"/sign/{token}/signed.pdf" in page.get_data(as_text=True)
        download = client.get(f"/sign/{token}/signed.pdf")
        assert download.status_code == 200 and download.data == sealed.content
        assert download.headers["Cache-Control"] == "no-store"
        assert download.headers["Content-Disposition"] == (
            f'attachment; filename="{contract.number}-v{sealed.version}-signed.pdf"')
    sealed.created_at -= timedelta(days=COPY_DAYS, seconds=1)
    _db.session.commit()
    for token in tokens.values():
        expired = client.get(f"/sign/{token}")
        assert expired.status_code == 410 and "a expiré" in expired.get_data(as_text=True)
        assert client.get(f"/sign/{token}/signed.pdf").status_code == 410
    assert client.get(f"/sign/{'y' * 43}/signed.pdf").status_code == 404


def test_the_last_signer_gets_the_download_on_the_thanks_page(client, sent, sign_link):
    contract, tokens = sent()
    sign_link(tokens["brand"])
    page = client.post(f"/sign/{tokens['influencer']}", data={"accept": "y"})
    assert page.status_code == 200
    assert f"/sign/{tokens['influencer']}/signed.pdf" in page.get_data(as_text=True)


def test_a_used_link_of_a_contract_cancelled_before_sealing_says_so(client, sent, sign_link):
    contract, tokens = sent()
    sign_link(tokens["brand"])
    workflow.cancel(contract, make_user("member"))
    page = client.get(f"/sign/{tokens['brand']}")
    assert page.status_code == 200
    assert "est plus en attente de signature" in page.get_data(as_text=True)
    assert client.get(f"/sign/{tokens['brand']}/signed.pdf").status_code == 410
