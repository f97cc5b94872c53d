"""The relationship timeline: what happened with an influencer (calls, e-mails, meetings,
notes), by whom, and the follow-ups to do, done or snoozed from the profile or the
dashboard. Outreach is refused for a person marked "do not contact"; notes are always
allowed.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from app.core.audit import acting_as, acting_user_id
from app.core.errors import NotAllowed, NotFound, ServiceError
from app.extensions import db
from app.i18n import formats
from app.influencers.outreach import ensure_contactable
from app.models import Influencer, Interaction, User
from app.models.base import utcnow
from app.models.influencer import INTERACTION_KINDS

OUTREACH_KINDS = frozenset(INTERACTION_KINDS) - {"note"}
SNOOZE_DAYS = (1, 7)
SNOOZE_MAX_DAYS = 366 * 5  # as far as the interaction form's follow-up date may go


def timeline(influencer: Influencer) -> list[Interaction]:
    return list(db.session.scalars(
        select(Interaction)
        .options(selectinload(Interaction.user), selectinload(Interaction.campaign))
        .where(Interaction.influencer_id == influencer.id)
        .order_by(Interaction.occurred_at.desc(), Interaction.id.desc())
    ))


def occurred_day(moment: datetime) -> date:
    """The day of an interaction as the team wrote it: in the server's zone, as the form's
    date.today() is (a call at 00:30 in Paris is on that day, not the day before in UTC)."""
    return moment.astimezone().date() if moment.tzinfo else moment.date()


def follow_up_problem(occurred_on: date | None, follow_up_on: date | None) -> str | None:
    """A follow-up comes after what it follows: the same day at the earliest."""
    if occurred_on is None or follow_up_on is None or follow_up_on >= occurred_on:
        return None
    return _("The follow-up date cannot be before the interaction (%(day)s).",
             day=formats.day(occurred_on, "long"))


def add_interaction(influencer: Influencer, kind: str, summary: str,
                    occurred_at: datetime | None = None, follow_up_on: date | None = None,
                    user: User | None = None) -> Interaction:
    if kind not in INTERACTION_KINDS:
        raise ServiceError(_("Unknown kind of interaction."))
    if kind in OUTREACH_KINDS:
        ensure_contactable(influencer)  # notes are always allowed
    occurred_at = occurred_at or utcnow()
    problem = follow_up_problem(occurred_day(occurred_at), follow_up_on)
    if problem:
        raise ServiceError(problem)
    interaction = Interaction(
        influencer_id=influencer.id, user_id=user.id if user else None, kind=kind,
        summary=summary.strip(), occurred_at=occurred_at,
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


def follow_up_for(interaction_id: int, user: User) -> Interaction:
    """A follow-up `user` may change: their own, or anyone's for a manager."""
    interaction = db.session.get(Interaction, interaction_id)
    if interaction is None or interaction.follow_up_on is None \
            or interaction.influencer.is_deleted:
        raise NotFound(_("This follow-up does not exist."))
    if interaction.user_id != user.id and not user.has_role("manager"):
        raise NotAllowed(_("This follow-up is someone else's."))
    return interaction


def snoozed_day(interaction: Interaction, days: int) -> date:
    """`days` after the follow-up's day, or after today when it is already late."""
    return max(date.today(), interaction.follow_up_on) + timedelta(days=days)


def snooze_follow_up(interaction: Interaction, until: date) -> None:
    """Move an open follow-up to `until` (today at the earliest)."""
    today = date.today()
    if interaction.follow_up_done:
        raise ServiceError(_("This follow-up is already done."))
    if until < today:
        raise ServiceError(_("A follow-up can be snoozed to today or a later day only."))
    if until > today + timedelta(days=SNOOZE_MAX_DAYS):
        raise ServiceError(_("This date is too far in the future."))
    problem = follow_up_problem(occurred_day(interaction.occurred_at), until)
    if problem:
        raise ServiceError(problem)
    interaction.follow_up_on = until
    db.session.commit()
