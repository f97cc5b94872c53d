"""Factories: small functions that write real rows through the real services or models.

They serve every feature's tests (and the browser journeys); what only one feature's tests
share is a fixture in that feature's conftest.py."""

from __future__ import annotations

import functools
import itertools
from datetime import date

from app.extensions import db
from app.models import (
    AudienceSnapshot,
    Brand,
    Campaign,
    Contract,
    Influencer,
    Operation,
    Participant,
    PlatformRate,
    Relationship,
    SocialAccount,
    User,
)
from app.models.influencer import refresh_denormalised
from app.security import hash_password

PASSWORD = "correct horse battery staple"
_seq = itertools.count(1)


def make_user(role: str = "member", email: str | None = None, **kw) -> User:
    n = next(_seq)
    user = User(
        email=email or f"{role}{n}@agence-relais.fr",
        name=kw.pop("name", f"{role.title()} {n}"),
        password_hash=hash_password(kw.pop("password", PASSWORD)),
        role=role,
        locale=kw.pop("locale", "en"),
        **kw,
    )
    db.session.add(user)
    db.session.commit()
    return user


def make_brand(**kw) -> Brand:
    n = next(_seq)
    brand = Brand(name=kw.pop("name", f"Brand {n}"), **kw)
    db.session.add(brand)
    db.session.commit()
    return brand


def make_influencer(accounts: list[dict] | None = None, **kw) -> Influencer:
    n = next(_seq)
    influencer = Influencer(display_name=kw.pop("display_name", f"Influencer {n}"), **kw)
    for spec in accounts or []:
        influencer.accounts.append(SocialAccount(**spec))
    refresh_denormalised(influencer)  # followers, engagement, search text, audience
    db.session.add(influencer)
    db.session.commit()
    return influencer


def make_person(name: str, *accounts: tuple, **kw) -> Influencer:
    """An influencer named `name` with one account per (platform, followers, credibility,
    audience shares or None); the shares become a snapshot of 1 January 2026."""
    influencer = make_influencer(
        display_name=name, accounts=[
            {"platform": platform, "handle": f"{name.lower().replace(' ', '_')}_{platform}",
             "followers": followers, "credibility": credibility}
            for platform, followers, credibility, _shares in accounts], **kw)
    for account, (_platform, _f, _c, shares) in zip(influencer.accounts, accounts, strict=True):
        if shares:
            add_snapshot(account, shares, taken_on=date(2026, 1, 1))
    return influencer


def add_snapshot(account: SocialAccount, shares: dict[str, dict[str, float]],
                 taken_on: date | None = None, followers: int | None = None) -> AudienceSnapshot:
    """Through the service: latest flags, ranks and the influencer's audience columns."""
    from app.influencers import service as influencers

    return influencers.add_snapshot(account, taken_on or date.today(), shares,
                                    followers=followers)


def make_relationship(source: Influencer, target: Influencer, kind: str = "reposts",
                      weight: float = 1.0) -> Relationship:
    relationship = Relationship(source_id=source.id, target_id=target.id, kind=kind,
                                weight=weight, origin="manual")
    db.session.add(relationship)
    db.session.commit()
    return relationship


def make_platform_rates(**cpm_cents: int) -> None:
    """The CPM of each platform named, in cents per thousand: `make_platform_rates(
    instagram=1_000)`."""
    for platform, cpm in cpm_cents.items():
        db.session.add(PlatformRate(platform=platform, cpm_cents=cpm, currency="EUR"))
    db.session.commit()


def make_campaign(brand: Brand | None = None, **kw) -> Campaign:
    n = next(_seq)
    campaign = Campaign(brand=brand or make_brand(), name=kw.pop("name", f"Campaign {n}"),
                        **kw)
    db.session.add(campaign)
    db.session.commit()
    return campaign


def make_participant(campaign: Campaign | None = None, influencer: Influencer | None = None,
                     **kw) -> Participant:
    participant = Participant(campaign=campaign or make_campaign(),
                              influencer=influencer or make_influencer(), **kw)
    db.session.add(participant)
    db.session.commit()
    return participant


def make_operation(participant: Participant | None = None, **kw) -> Operation:
    participant = participant or make_participant()
    operation = Operation(participant=participant, campaign_id=participant.campaign_id,
                          platform=kw.pop("platform", "instagram"), **kw)
    db.session.add(operation)
    db.session.commit()
    return operation


def make_contract(brand: Brand | None = None, influencer: Influencer | None = None,
                  **kw) -> Contract:
    """A contract with complete legal data (parties, term, operations, pay): it could be
    approved as is. Override any field; pass `brand=`/`influencer=` for other parties."""
    from datetime import UTC, datetime

    n = next(_seq)
    brand = brand or make_brand(
        name="Maison Lumière", legal_name="Maison Lumière SAS", legal_form="SAS",
        registration_number="812 345 678 RCS Lyon", sector="cosmetics",
        address="12 rue de la République\n69002 Lyon", email="contrats@maison-lumiere.fr",
        tax_country="FR", signatory_name="Hélène Câlin", signatory_title="Directrice générale")
    influencer = influencer or make_influencer(
        display_name="Zoé en voyage", legal_name="Zoé Lefèvre-Brûlé", email="zoe@exemple.fr",
        address="3 place de l'Église", city="Besançon", country="FR", tax_country="FR",
        date_of_birth=date(1995, 4, 2),
        accounts=[{"platform": "instagram", "handle": f"zoe.envoyage.{n}", "followers": 48_000}])
    contract = Contract(
        number=kw.pop("number", f"RLS-2026-{n:05d}"), brand=brand, influencer=influencer,
        title=kw.pop("title", "Ambassade cœur d'été « Soleil »"),
        created_at=kw.pop("created_at", datetime(2026, 3, 2, 9, 30, tzinfo=UTC)),
        language=kw.pop("language", "fr"), basis=kw.pop("basis", "duration"),
        starts_on=kw.pop("starts_on", date(2026, 4, 1)),
        ends_on=kw.pop("ends_on", date(2026, 9, 30)),
        operations=kw.pop("operations", [
            {"platform": "instagram", "kind": "reel", "count": 3, "date": None,
             "window": "avril – juin", "mentions": "@maisonlumiere #Publicité"},
            {"platform": "tiktok", "kind": "video", "count": 2, "date": "2026-05-14",
             "window": "", "mentions": "@maisonlumiere"}]),
        pay_kind=kw.pop("pay_kind", "fixed"), currency=kw.pop("currency", "EUR"),
        fixed_fee_cents=kw.pop("fixed_fee_cents", 450_000),
        payment_terms=kw.pop("payment_terms", "50 % à la signature, 50 % à la fin des opérations"),
        usage_media=kw.pop("usage_media", "organic_social,website"),
        usage_territories=kw.pop("usage_territories", "France, Belgique"),
        usage_months=kw.pop("usage_months", 12), **kw)
    db.session.add(contract)
    db.session.commit()
    return contract


@functools.cache
def small_pdf() -> bytes:
    """A real one-page PDF, made once: most tests need a document, not the contract's
    full rendering."""
    from weasyprint import HTML

    return HTML(string="<h1>Contrat d'essai</h1><p>Clause unique.</p>").write_pdf()


def make_approved_contract(render: bool = False, **kw) -> Contract:
    """An approved contract (`make_contract`'s arguments): rendered through the real
    submission and approval when `render`, otherwise with `small_pdf()` stored as its
    document."""
    from app.contracts import workflow

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
