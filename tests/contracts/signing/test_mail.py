"""Signing links by email, through a real SMTP conversation with a small local sink (the
standard library's smtplib talks to it over TCP as it would to a real server)."""

from __future__ import annotations

import socket
from datetime import timedelta
from email import message_from_bytes, policy

import pytest
from babel.dates import format_date

from app.contracts.signing import service as signing
from app.extensions import db as _db
from app.models import Contract
from app.models.base import utcnow
from tests.factories import make_approved_contract, make_user
from tests.smtp_sink import BASE


def _mails(sink) -> dict:
    return {envelope["rcpt"][0]: message_from_bytes(data, policy=policy.default)
            for envelope, data in sink.messages}


def _expiry(language: str) -> str:
    return format_date((utcnow() + timedelta(days=signing.signing_days())).date(), "long",
                       locale=language)


@pytest.mark.parametrize("language", ["fr", "en"])
def test_links_are_emailed_in_the_contracts_language(english, smtp, language):
    contract = make_approved_contract(language=language)
    links = signing.send(contract, make_user("member"))
    assert all(link.emailed for link in links)
    mails = _mails(smtp)
    assert set(mails) == {"contrats@maison-lumiere.fr", "zoe@exemple.fr"}
    for link in links:
        mail = mails[link.email]
        assert mail["Content-Language"] == language
        assert mail["From"] == "contrats@agence-relais.fr"
        assert link.name in str(mail["To"])
        assert contract.number in mail["Subject"]
        body = mail.get_content()
        assert link.url in body and link.url.startswith(f"{BASE}/sign/")
        assert _expiry(language) in body  # the date in the contract's language
        assert link.name in body
    _db.session.expire_all()
    assert all(s.emailed for s in _db.session.get(Contract, contract.id).signers)


def test_a_name_cannot_inject_headers(english, smtp):
    contract = make_approved_contract()
    contract.brand.signatory_name = "Hélène Câlin\r\nBcc: espion@exemple.org"
    _db.session.commit()
    signing.send(contract, make_user("member"))
    rcpts = [r for envelope, _data in smtp.messages for r in envelope["rcpt"]]
    assert "espion@exemple.org" not in rcpts
    mail = _mails(smtp)["contrats@maison-lumiere.fr"]
    assert mail["Bcc"] is None and "Hélène Câlin" in str(mail["To"])


def test_an_unreachable_server_leaves_the_links_to_copy(english, app, smtp):
    with socket.socket() as probe:  # a port nobody listens on
        probe.bind(("127.0.0.1", 0))
        app.config["SMTP_PORT"] = probe.getsockname()[1]
    contract = make_approved_contract()
    links = signing.send(contract, make_user("member"))
    assert len(links) == 2 and not any(link.emailed for link in links)
    assert _db.session.get(Contract, contract.id).status == "sent"
    assert not smtp.messages


@pytest.mark.slow
def test_the_send_button_with_smtp_announces_the_emails(member_client, smtp):
    contract = make_approved_contract()
    response = member_client.post(f"/contracts/{contract.id}/send",
                                  data={"version": contract.version})
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/contracts/{contract.id}#signing")
    page = member_client.get(response.headers["Location"]).get_data(as_text=True)
    assert "The signing link was emailed to" in page and "zoe@exemple.fr" in page
    assert len(smtp.messages) == 2


def test_every_signer_gets_the_signed_pdf_by_email(english, client, smtp, sign_link):
    from app.contracts import workflow

    contract = make_approved_contract()
    links = signing.send(contract, make_user("member"))
    tokens = {link.role: link.url.rsplit("/", 1)[1] for link in links}
    smtp.messages.clear()
    sign_link(tokens["brand"])
    assert client.post(f"/sign/{tokens['influencer']}", data={"accept": "y"}).status_code == 200
    sealed = workflow.current_document(contract, "signed")
    mails = _mails(smtp)
    assert set(mails) == {"contrats@maison-lumiere.fr", "zoe@exemple.fr"}
    for mail in mails.values():
        assert contract.number in mail["Subject"] and mail["Content-Language"] == "fr"
        [attachment] = list(mail.iter_attachments())
        assert attachment.get_filename() == f"{contract.number}-v{sealed.version}-signed.pdf"
        assert attachment.get_content() == sealed.content
