"""The relationship timeline: what happened with an influencer (calls, e-mails, meetings,
notes), by whom, and the follow-ups to do. Outreach is refused for a person marked
"do not contact"; notes are always allowed.
"""

from __future__ import annotations

from datetime import date, datetime

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from app.core.audit import acting_as, acting_user_id
from app.core.errors import NotFound, ServiceError
from app.extensions import db
from app.models import Influencer, Interaction, User
from app.models.base import utcnow
from app.models.influencer import INTERACTION_KINDS

OUTREACH_KINDS = frozenset(INTERACTION_KINDS) - {"note"}


def timeline(influencer: Influencer) -> list[Interaction]:
    return list(db.session.scalars(
        select(Interaction)
        .options(selectinload(Interaction.user), selectinload(Interaction.campaign))
        .where(Interaction.influencer_id == influencer.id)
        .order_by(Interaction.occurred_at.desc(), Interaction.id.desc())
    ))


def add_interaction(influencer: Influencer, kind: str, summary: str,
                    occurred_at: datetime | None = None, follow_up_on: date | None = None,
                    user: User | None = None) -> Interaction:
    if kind not in INTERACTION_KINDS:
        raise ServiceError(_("Unknown kind of interaction."))
    if kind in OUTREACH_KINDS and influencer.status == "do_not_contact":
        raise ServiceError(_("This person must not be contacted: only notes can be added."))
    interaction = Interaction(
        influencer_id=influencer.id, user_id=user.id if user else None, kind=kind,
        summary=summary.strip(), occurred_at=occurred_at or utcnow(),
        follow_up_on=follow_up_on,
    )
    db.session.add(interaction)
    with acting_as(user.id if user else acting_user_id()):
        db.session.commit()
    return interaction


def get_interaction(influencer: Influencer, interaction_id: int) -> Interaction:
    interaction = db.session.get(Interaction, interaction_id)
    if interaction is None or interaction.influencer_id != influencer.id:
        raise NotFound(_("This interaction does not exist."))
    return interaction


def mark_follow_up_done(interaction: Interaction) -> None:
    interaction.follow_up_done = True
    db.session.commit()
