"""GDPR rights on an influencer's data: access (export everything) and erasure.

Erasure (art. 17) removes or anonymises the person everywhere, the audit log's personal
values included, and leaves one dated tombstone event that holds no personal data. Free
texts and stored files that name the person are cleaned by app.influencers.gdpr_scrub; the
person's contracts are kept as a legal record (art. 17(3)(b)), and the tombstone counts them.
"""

from __future__ import annotations

from typing import Any

from flask_babel import gettext as _
from sqlalchemy import delete, or_, select, update
from sqlalchemy.orm import selectinload

from app.core.audit import acting_user_id, plain_value
from app.core.errors import ServiceError
from app.extensions import db
from app.influencers import gdpr_scrub
from app.influencers.service import history
from app.models import (
    AuditEvent,
    Contract,
    ImportChange,
    Influencer,
    Interaction,
    Participant,
    Relationship,
    SocialAccount,
    User,
)
from app.models.base import utcnow

# Grounds of art. 17(1), stored on the tombstone instead of free text (which could hold
# personal data again).
ERASE_REASONS = ("request", "objection", "no_longer_needed", "unlawful", "other")
# Columns set to NULL on erasure: everything that identifies or describes the person.
PERSONAL = (
    "legal_name", "email", "phone", "address", "city", "country", "tax_country", "languages",
    "date_of_birth", "agent_name", "agent_email", "notes", "data_source_detail",
    "informed_on", "consent_on",
)


def _row(obj: Any, skip: tuple[str, ...] = ()) -> dict[str, Any]:
    return {
        attr.key: plain_value(getattr(obj, attr.key))
        for attr in obj.__mapper__.column_attrs
        if attr.key not in skip
    }


def export(influencer: Influencer) -> dict[str, Any]:
    """Everything Relais holds about the person (art. 15), as plain JSON-able data."""
    accounts = db.session.scalars(
        select(SocialAccount)
        .options(selectinload(SocialAccount.snapshots))
        .where(SocialAccount.influencer_id == influencer.id)
        .order_by(SocialAccount.id)
    )
    interactions = db.session.scalars(
        select(Interaction).where(Interaction.influencer_id == influencer.id)
        .order_by(Interaction.occurred_at)
    )
    relationships = db.session.scalars(
        select(Relationship).where(or_(Relationship.source_id == influencer.id,
                                       Relationship.target_id == influencer.id))
        .order_by(Relationship.id)
    )
    owner = db.session.get(User, influencer.owner_id) if influencer.owner_id else None
    return {
        "exported_at": plain_value(utcnow()),
        "influencer": _row(influencer, skip=("search_text", "sort_name")),
        "owner": {"id": owner.id, "name": owner.name, "email": owner.email} if owner else None,
        "tags": influencer.tag_names,
        "social_accounts": [
            {
                **_row(account),
                "audience_snapshots": [
                    {**_row(snapshot),
                     "shares": [_row(share) for share in snapshot.shares]}
                    for snapshot in account.snapshots
                ],
            }
            for account in accounts
        ],
        "interactions": [_row(item) for item in interactions],
        "relationships": [_row(edge) for edge in relationships],
        "history": [
            {"at": plain_value(e.at), "user_id": e.user_id, "entity_type": e.entity_type,
             "entity_id": e.entity_id, "action": e.action, "changes": e.changes}
            for e in reversed(history(influencer, limit=100_000))
        ],
    }


def erase(influencer: Influencer, user: User | None, reason: str) -> int:
    """Anonymise the person for real. Not restorable; the tombstone says when and why.
    Returns how many of the person's contracts were kept as the brand's legal record."""
    if reason not in ERASE_REASONS:
        raise ServiceError(_("Choose the reason for the erasure."))
    if influencer.erased_at is not None:
        raise ServiceError(_("This person was already erased."))
    person_id = influencer.id
    idents = gdpr_scrub.identifiers(influencer)
    label = f"Erased person #{person_id}"
    campaign_ids = _forget_participations(person_id)
    for account in list(influencer.accounts):  # cascades to snapshots and their shares
        db.session.delete(account)
    for interaction in db.session.scalars(
        select(Interaction).where(Interaction.influencer_id == person_id)
    ):
        db.session.delete(interaction)
    # What an import changed on the person (the values it replaced): revert must not
    # bring them back.
    db.session.execute(delete(ImportChange).where(ImportChange.influencer_id == person_id))
    db.session.execute(delete(Relationship).where(
        or_(Relationship.source_id == person_id, Relationship.target_id == person_id)
    ))
    db.session.flush()
    db.session.expire(influencer, ["accounts"])
    influencer.tags = []
    for key in PERSONAL:
        setattr(influencer, key, None)
    now = utcnow()
    influencer.display_name = label
    influencer.search_text = ""
    influencer.followers_total = 0
    influencer.engagement_rate = None
    influencer.status = "former"
    influencer.erased_at = now
    influencer.deleted_at = influencer.deleted_at or now
    # Flush first so the listener's own events (holding the old values) exist, then
    # empty every event about the person, then write the tombstone.
    db.session.flush()
    db.session.execute(
        update(AuditEvent)
        .where(or_(
            AuditEvent.influencer_id == person_id,
            (AuditEvent.entity_type == "influencer") & (AuditEvent.entity_id == person_id),
        ))
        .values(changes={"erased": True})
    )
    gdpr_scrub.scrub_database(idents, label)
    gdpr_scrub.scrub_files(idents, label, campaign_ids)
    kept = len(db.session.scalars(select(Contract.id).where(
        Contract.influencer_id == person_id)).all())
    db.session.add(AuditEvent(
        at=utcnow(), user_id=user.id if user else acting_user_id(), entity_type="influencer",
        entity_id=person_id, influencer_id=person_id, action="erase",
        changes={"reason": reason, **({"contracts_kept": kept} if kept else {})},
    ))
    db.session.commit()
    return kept


def _forget_participations(person_id: int) -> list[int]:
    """Empty the notes on the person's campaign places; the campaigns they were in."""
    participants = db.session.scalars(
        select(Participant).where(Participant.influencer_id == person_id)).all()
    for participant in participants:
        participant.notes = None
    return sorted({participant.campaign_id for participant in participants})

