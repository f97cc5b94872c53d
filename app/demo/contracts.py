"""Demo contracts, one per state a team meets: a draft still missing data, one waiting for
approval, approved, sent for signature, signed, active, completed and cancelled.

They go through the real services (terms, workflow, rendering, signing links), so the demo
shows real PDFs, versions and evidence. Only when there is no contract yet.
"""

from __future__ import annotations

import random
from datetime import date

from flask_babel import force_locale
from sqlalchemy import func, select

from app.contracts import workflow
from app.contracts.document import rules
from app.contracts.signing import service as signing
from app.contracts.terms import create_contract, defaults_for_participant
from app.extensions import db
from app.models import Contract, Participant, User

STREETS = ("rue de la République", "avenue Jean-Jaurès", "rue Victor-Hugo", "boulevard Gambetta",
           "rue des Écoles", "place de la Mairie")
# The state each demo contract ends in, in the order of the contracted participants.
STATES = ("draft", "pending_approval", "approved", "sent", "signed", "active", "completed",
          "cancelled")
DEMO_IP, DEMO_AGENT = "203.0.113.7", "Mozilla/5.0 (X11; Linux x86_64) Relais demo"


def _complete_identity(rng: random.Random, participant: Participant) -> None:
    """What a team types in when a deal gets signed: the person's legal identity."""
    person = participant.influencer
    person.legal_name = person.legal_name or person.display_name
    person.address = person.address or (
        f"{rng.randint(1, 120)} {rng.choice(STREETS)}, {rng.randint(10, 95)}000 "
        f"{person.city or 'Paris'}")
    person.email = person.email or f"contact+{person.id}@exemple.fr"
    person.tax_country = person.tax_country or "FR"
    person.country = person.country or "FR"


def _plain_case(participant: Participant) -> bool:
    """An adult established in the EU, for a brand whose sector is not banned: the contracts
    that go through every state (the special cases stay drafts a team completes)."""
    person, brand = participant.influencer, participant.campaign.brand
    age = rules.age_on(person.date_of_birth, date.today())
    country = (person.tax_country or person.country or "FR").upper()
    return ((age is None or age >= 18) and country in rules.EU_EEA_CH
            and brand.sector not in rules.BANNED_SECTORS)


def _sign_all(contract: Contract, member: User) -> None:
    for link in signing.send(contract, member):
        token = link.url.rstrip("/").rsplit("/", 1)[-1]
        signer = signing.open_link(token, DEMO_IP, DEMO_AGENT)
        signing.sign(token, DEMO_IP, DEMO_AGENT, signing.consent_text(signer), True)


def _advance(contract: Contract, state: str, member: User, manager: User) -> None:
    order = STATES.index(state)
    if state == "draft":
        return
    if state == "cancelled":
        workflow.cancel(contract, member)
        return
    workflow.submit(contract, member)
    if order >= STATES.index("approved"):
        workflow.approve(contract, manager)
    if state == "sent":
        signing.send(contract, member)
    elif order >= STATES.index("signed"):
        _sign_all(contract, member)
    if order >= STATES.index("active"):
        workflow.activate(contract, member)
    if state == "completed":
        workflow.complete(contract, member)


def seed_contracts(rng: random.Random) -> int:
    """→ the number of contracts created (0 when some exist, or no deal is signed)."""
    if db.session.scalar(select(func.count()).select_from(Contract)):
        return 0
    member = db.session.scalar(select(User).where(User.role == "member").order_by(User.id))
    manager = db.session.scalar(select(User).where(User.role.in_(("manager", "admin")))
                                .order_by(User.role.desc(), User.id))
    if member is None or manager is None:
        return 0
    participants = db.session.scalars(
        select(Participant).where(Participant.stage.in_(("contracted", "live", "delivered",
                                                         "paid")))
        .order_by(Participant.campaign_id, Participant.id).limit(10 * len(STATES))).all()
    plain = [p for p in participants if _plain_case(p)][:len(STATES)]
    created = 0
    with force_locale("fr"):
        for participant, state in zip(plain, STATES, strict=False):
            if state != "draft":  # the draft shows what approval still needs
                _complete_identity(rng, participant)
            data = defaults_for_participant(participant)
            data["usage_media"] = "organic_social,website"
            data["usage_territories"] = "France"
            data["usage_months"] = 12
            data["jurisdiction"] = "Paris"
            data["fixed_fee_cents"] = data["fixed_fee_cents"] or 150_000
            if not data["operations"]:
                data["basis"], data["operations"] = "operations", [
                    {"platform": "instagram", "kind": "reel", "count": 2,
                     "window": "", "mentions": participant.campaign.hashtags or ""}]
            contract = create_contract(data, member)
            _advance(contract, state, member, manager)
            created += 1
    return created
