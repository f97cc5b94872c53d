"""The names and addresses of the records a page of history mentions, loaded in one query
per kind of record (not one per event): the record an event is about, and the records its
references point to (owner, brand, campaign, import…).

A record in the trash, erased or deleted keeps its name when it can still be read, and is
shown without a link.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from flask import url_for
from sqlalchemy import select

from app.extensions import db
from app.i18n.formats import day
from app.i18n.labels import label
from app.models import (
    AudienceSnapshot,
    Brand,
    Campaign,
    Contract,
    ContractSigner,
    Import,
    Influencer,
    Interaction,
    Operation,
    Participant,
    SocialAccount,
    User,
)

Named = tuple[str, str | None]  # (name, address or None)


def _influencers(ids: set[int]) -> dict[int, Named]:
    rows = db.session.execute(select(Influencer.id, Influencer.display_name,
                                     Influencer.deleted_at).where(Influencer.id.in_(ids)))
    return {i: (name, None if gone else url_for("influencers.show", influencer_id=i))
            for i, name, gone in rows}


def _brands(ids: set[int]) -> dict[int, Named]:
    rows = db.session.execute(select(Brand.id, Brand.name, Brand.deleted_at)
                              .where(Brand.id.in_(ids)))
    return {i: (name, None if gone else url_for("brands.show", brand_id=i))
            for i, name, gone in rows}


def _campaigns(ids: set[int]) -> dict[int, Named]:
    rows = db.session.execute(select(Campaign.id, Campaign.name, Campaign.deleted_at)
                              .where(Campaign.id.in_(ids)))
    return {i: (name, None if gone else url_for("campaigns.show", campaign_id=i))
            for i, name, gone in rows}


def _contracts(ids: set[int]) -> dict[int, Named]:
    rows = db.session.execute(select(Contract.id, Contract.number, Contract.deleted_at)
                              .where(Contract.id.in_(ids)))
    return {i: (number, None if gone else url_for("contracts.show", contract_id=i))
            for i, number, gone in rows}


def _users(ids: set[int]) -> dict[int, Named]:
    return {i: (name, None) for i, name in db.session.execute(
        select(User.id, User.name).where(User.id.in_(ids)))}


def _participants(ids: set[int]) -> dict[int, Named]:
    rows = db.session.execute(
        select(Participant.id, Influencer.display_name, Participant.campaign_id)
        .join(Influencer, Influencer.id == Participant.influencer_id)
        .where(Participant.id.in_(ids)))
    return {i: (name, url_for("campaigns.show", campaign_id=c)) for i, name, c in rows}


def _operations(ids: set[int]) -> dict[int, Named]:
    rows = db.session.execute(
        select(Operation.id, Operation.kind, Operation.platform, Influencer.display_name,
               Operation.campaign_id)
        .join(Participant, Participant.id == Operation.participant_id)
        .join(Influencer, Influencer.id == Participant.influencer_id)
        .where(Operation.id.in_(ids)))
    return {i: (f"{label('operation_kind', kind)} {label('platform', platform)} · {name}",
                url_for("campaigns.show", campaign_id=c)) for i, kind, platform, name, c in rows}


def _accounts(ids: set[int]) -> dict[int, Named]:
    rows = db.session.execute(select(SocialAccount.id, SocialAccount.platform,
                                     SocialAccount.handle, SocialAccount.influencer_id)
                              .where(SocialAccount.id.in_(ids)))
    return {i: (f"{label('platform', platform)} @{handle.lstrip('@')}",
                url_for("influencers.show", influencer_id=p)) for i, platform, handle, p in rows}


def _snapshots(ids: set[int]) -> dict[int, Named]:
    rows = db.session.execute(select(AudienceSnapshot.id, AudienceSnapshot.taken_on,
                                     AudienceSnapshot.influencer_id)
                              .where(AudienceSnapshot.id.in_(ids)))
    return {i: (day(taken), url_for("influencers.show", influencer_id=p))
            for i, taken, p in rows}


def _interactions(ids: set[int]) -> dict[int, Named]:
    rows = db.session.execute(select(Interaction.id, Interaction.kind, Interaction.occurred_at,
                                     Interaction.influencer_id)
                              .where(Interaction.id.in_(ids)))
    return {i: (f"{label('interaction', kind)}, {day(at, 'short')}",
                url_for("influencers.show", influencer_id=p)) for i, kind, at, p in rows}


def _signers(ids: set[int]) -> dict[int, Named]:
    rows = db.session.execute(select(ContractSigner.id, ContractSigner.name,
                                     ContractSigner.contract_id)
                              .where(ContractSigner.id.in_(ids)))
    return {i: (name, url_for("contracts.show", contract_id=c)) for i, name, c in rows}


def _imports(ids: set[int]) -> dict[int, Named]:
    rows = db.session.execute(select(Import.id, Import.filename).where(Import.id.in_(ids)))
    return {i: (f"#{i} {name}", url_for("import_wizard.show", import_id=i))
            for i, name in rows}


LOADERS: dict[str, Callable[[set[int]], dict[int, Named]]] = {
    "influencer": _influencers, "brand": _brands, "campaign": _campaigns,
    "contract": _contracts, "user": _users, "participant": _participants,
    "operation": _operations, "social_account": _accounts, "audience_snapshot": _snapshots,
    "interaction": _interactions, "contract_signer": _signers, "import": _imports,
}


def load(wanted: Iterable[tuple[str, Any]]) -> dict[tuple[str, int], Named]:
    """(record type, id) → (name, address) for every pair wanted that still exists."""
    by_type: dict[str, set[int]] = {}
    for entity, ident in wanted:
        if entity in LOADERS and isinstance(ident, int) and not isinstance(ident, bool):
            by_type.setdefault(entity, set()).add(ident)
    names: dict[tuple[str, int], Named] = {}
    for entity, ids in by_type.items():
        for ident, named in LOADERS[entity](ids).items():
            names[entity, ident] = named
    return names
