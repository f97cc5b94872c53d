"""The signing tests: contracts sent for signature with their plain links kept aside (only
their hashes are in the database), a minor's contract, signing as the page does, and an
English request context for the services' messages. Approved contracts, and the small PDF
they hold, come from tests.factories (the browser journeys use them too)."""

from __future__ import annotations

from datetime import date

import pytest
from flask_babel import force_locale

from app.contracts.signing import service as signing
from tests.factories import make_approved_contract, make_influencer, make_user


@pytest.fixture()
def english(app, db):
    with app.test_request_context(), force_locale("en"):
        yield


@pytest.fixture()
def sent(db):
    """Sends a contract (an approved one by default): `contract, tokens = sent()`, the
    tokens by signer role, or by name for a minor's representatives."""

    def send(contract=None, user=None):
        contract = contract or make_approved_contract()
        links = signing.send(contract, user or make_user("member"))
        tokens = {}
        for link in links:
            key = link.role if link.role != "representative" else link.name
            tokens[key] = link.url.rsplit("/", 1)[1]
        return contract, tokens

    return send


@pytest.fixture()
def minor_contract(db):
    """An approved contract with a 16-year-old influencer and two legal representatives
    (Anne and Marc Petit); `make_contract`'s arguments."""

    def build(**kw):
        teen = make_influencer(
            display_name="Lou", legal_name="Lou Petit", email="lou@exemple.fr",
            address="1 rue Neuve", country="FR", tax_country="FR",
            date_of_birth=date(date.today().year - 16, 1, 1))
        return make_approved_contract(influencer=teen, representatives=[
            {"name": "Anne Petit", "email": "anne.petit@exemple.fr"},
            {"name": "Marc Petit", "email": "marc.petit@exemple.fr"}], **kw)

    return build


@pytest.fixture()
def sign_link(db):
    """Signs through a link as the page does: with the consent text the signer is shown."""

    def sign(token: str, ip: str = "203.0.113.7",
             user_agent: str = "Mozilla/5.0 (X11; Linux x86_64) Firefox/128.0"):
        signer = signing.check_link(token)
        return signing.sign(token, ip, user_agent, signing.consent_text(signer), True)

    return sign
