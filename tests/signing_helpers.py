"""Contracts ready to sign, for the signing tests: approved with a stored document, or sent
with the plain links kept aside (only their hashes are in the database)."""

from __future__ import annotations

import functools
import io
from datetime import date

from pypdf import PdfReader

from app.extensions import db
from app.services import contract_workflow as workflow
from app.services import signing
from tests.factories import make_contract, make_influencer, make_user


@functools.cache
def small_pdf() -> bytes:
    """A real one-page PDF, made once: most tests need a document, not the contract's
    full rendering (one test seals the real rendered contract)."""
    from weasyprint import HTML

    return HTML(string="<h1>Contrat d'essai</h1><p>Clause unique.</p>").write_pdf()


def approved(render: bool = False, **kw):
    """An approved contract: rendered through the real approval when `render`, otherwise
    with the small PDF stored as its document."""
    contract = make_contract(**kw)
    if render:
        workflow.submit(contract, make_user("member"))
        workflow.approve(contract, make_user("manager"))
        return contract
    workflow.store_document(contract, small_pdf(), kind="contract", template_name="ambassador",
                            template_version="test", pages=1, user=None)
    contract.status = "approved"
    db.session.commit()
    return contract


def minor_contract(**kw):
    teen = make_influencer(
        display_name="Lou", legal_name="Lou Petit", email="lou@exemple.fr",
        address="1 rue Neuve", country="FR", tax_country="FR",
        date_of_birth=date(date.today().year - 16, 1, 1))
    return approved(influencer=teen, representatives=[
        {"name": "Anne Petit", "email": "anne.petit@exemple.fr"},
        {"name": "Marc Petit", "email": "marc.petit@exemple.fr"}], **kw)


def sent(contract=None, user=None):
    """(contract, {role or name: plain token}) after sending."""
    contract = contract or approved()
    links = signing.send(contract, user or make_user("member"))
    tokens = {}
    for link in links:
        key = link.role if link.role != "representative" else link.name
        tokens[key] = link.url.rsplit("/", 1)[1]
    return contract, tokens


def pdf_text(content: bytes) -> str:
    reader = PdfReader(io.BytesIO(content))
    return "\n".join(page.extract_text() or "" for page in reader.pages)


def pdf_pages(content: bytes) -> int:
    return len(PdfReader(io.BytesIO(content)).pages)


def sign_link(token: str, ip: str = "203.0.113.7",
              user_agent: str = "Mozilla/5.0 (X11; Linux x86_64) Firefox/128.0"):
    """Sign as the page does: with the consent text the signer is shown."""
    signer = signing.check_link(token)
    return signing.sign(token, ip, user_agent, signing.consent_text(signer), True)
