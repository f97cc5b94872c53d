"""Adding chosen influencers to a campaign from outside it (the influencer list's bulk
action, a profile's button): the campaign picked among the open ones, the stage they join
at, and a report naming who was added, who already was in, who was skipped.

The adding itself is `service.add_influencers` (its rules: the trash, "do not contact",
at most BULK_MAX); joining at a later stage is then a move (`stages.record_move`), written
on each person's timeline like any other.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm.exc import StaleDataError

from app.campaigns.participants import service
from app.campaigns.participants.stages import CONTRACTED, record_move
from app.collation import sort_key
from app.core.audit import acting_as
from app.core.errors import NotFound, ServiceError
from app.extensions import db
from app.models import Brand, Campaign, Influencer, Participant, User
from app.models.base import utcnow
from app.models.campaign import STAGES

# Campaigns that still take participants: not completed, not cancelled (nor in the trash).
OPEN_STATUSES = ("draft", "planned", "active")
# Stages one joins at: up to "negotiating". "Contracted" asks for an agreed fee or a
# contract, which nobody added this way has yet; the later stages follow from it.
JOIN_STAGES = STAGES[:STAGES.index(CONTRACTED)]


@dataclass
class AddReport:
    campaign: Campaign
    stage: str
    added: list[str] = field(default_factory=list)
    already: list[str] = field(default_factory=list)
    do_not_contact: list[str] = field(default_factory=list)
    gone: int = 0  # in the trash, or no longer existing


def open_campaigns() -> list[tuple[int, str]]:
    """(id, "Campaign · Brand") of the campaigns one may add people to, by name."""
    rows = db.session.execute(
        select(Campaign.id, Campaign.name, Brand.name.label("brand"))
        .join(Brand, Brand.id == Campaign.brand_id)
        .where(Campaign.deleted_at.is_(None), Campaign.status.in_(OPEN_STATUSES))
        .order_by(Campaign.sort_name, Campaign.id)).all()
    return [(row.id, f"{row.name} · {row.brand}") for row in rows]


def open_campaign(campaign_id: int) -> Campaign:
    campaign = db.session.get(Campaign, campaign_id)
    if campaign is None or campaign.deleted_at is not None:
        raise NotFound(_("This campaign does not exist any more."))
    if campaign.status not in OPEN_STATUSES:
        raise ServiceError(_("The campaign “%(name)s” is completed or cancelled: it takes no "
                             "more participants.", name=campaign.name))
    return campaign


def names(ids: list[int]) -> dict[int, str]:
    """The live influencers among `ids`: id → name."""
    if not ids:
        return {}
    return dict(db.session.execute(
        select(Influencer.id, Influencer.display_name)
        .where(Influencer.id.in_(ids), Influencer.deleted_at.is_(None))).all())


def _by_name(people: list[str]) -> list[str]:
    return sorted(people, key=sort_key)


def add_to_campaign(campaign: Campaign, ids: list[int], stage: str,
                    user: User | None) -> AddReport:
    """Add the influencers `ids` to `campaign` at `stage` (one of JOIN_STAGES)."""
    if stage not in JOIN_STAGES:
        raise ServiceError(_("Choose the stage they join the campaign at."))
    if campaign.deleted_at is not None or campaign.status not in OPEN_STATUSES:
        raise ServiceError(_("The campaign “%(name)s” is completed or cancelled: it takes no "
                             "more participants.", name=campaign.name))
    ids = list(dict.fromkeys(ids))
    known = names(ids)
    before = service.in_campaign(campaign, ids)
    result = service.add_influencers(campaign, ids, user)
    added = service.in_campaign(campaign, ids) - before
    if stage != STAGES[0] and added:
        _move(campaign, added, stage, user)
    return AddReport(campaign, stage,
                     added=_by_name([known.get(i, "—") for i in added]),
                     already=_by_name([known[i] for i in before if i in known]),
                     do_not_contact=_by_name(result.do_not_contact), gone=result.gone)


def _move(campaign: Campaign, influencer_ids: set[int], stage: str, user: User | None) -> None:
    """The just-added participants moved on to `stage`, through the ORM (audited)."""
    user_id = user.id if user else None
    now = utcnow()
    for participant in db.session.scalars(
            select(Participant).where(Participant.campaign_id == campaign.id,
                                      Participant.influencer_id.in_(influencer_ids))):
        record_move(participant, stage, user_id, now)
    try:
        with acting_as(user_id):
            db.session.commit()
    except StaleDataError:
        db.session.rollback()
        raise ServiceError(_("They were added at the first stage, but someone moved some of "
                             "them meanwhile: check the campaign’s board.")) from None
