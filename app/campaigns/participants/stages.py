"""A participant's moves through the pipeline, as rules: the move itself with its timeline
entry, the move to "contracted" that asks for confirmation when nothing is agreed yet, and
the move to "live" that publishing one of their operations brings.

Nothing here commits: `service.change_stage` and the operations' `publish` own their
transaction and call these inside it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from flask_babel import gettext as _
from sqlalchemy import func, or_, select

from app.extensions import db
from app.i18n.labels import label
from app.models import Contract, Interaction, Participant
from app.models.campaign import STAGES
from app.models.influencer import CAMPAIGN_INTERACTION

ARROW = "→"
CONTRACTED, LIVE, DECLINED = "contracted", "live", "declined"
# Contracts that no longer bind anyone do not count as "a contract" for the pipeline.
DEAD_CONTRACTS = ("cancelled", "terminated")


class NeedsConfirmation(Exception):
    """The move is allowed but asks the mover to confirm first; the message is the question."""


def stage_summary(before: str | None, after: str | None) -> str:
    """The timeline entry's summary: stage codes only, labelled when shown."""
    return f"{before or ''} {ARROW} {after or ''}".strip()


def timeline_entry(campaign_id: int, influencer_id: int, before: str | None,
                   after: str | None, user_id: int | None, when: datetime) -> Interaction:
    return Interaction(influencer_id=influencer_id, campaign_id=campaign_id, user_id=user_id,
                       kind=CAMPAIGN_INTERACTION, occurred_at=when,
                       summary=stage_summary(before, after))


def record_move(participant: Participant, stage: str, user_id: int | None,
                when: datetime) -> None:
    """Move the participant and write the move on the influencer's timeline (no commit)."""
    before = participant.stage
    participant.stage = stage
    participant.stage_changed_at = when
    db.session.add(timeline_entry(participant.campaign_id, participant.influencer_id, before,
                                  stage, user_id, when))


def has_contract(participant: Participant) -> bool:
    """A contract for this participant (or for this person in this campaign), not in the
    trash, cancelled or terminated: a draft counts, the deal is being written down."""
    return bool(db.session.scalar(
        select(func.count()).select_from(Contract).where(
            or_(Contract.participant_id == participant.id,
                (Contract.campaign_id == participant.campaign_id)
                & (Contract.influencer_id == participant.influencer_id)),
            Contract.deleted_at.is_(None), Contract.status.not_in(DEAD_CONTRACTS))))


def confirmation_needed(participant: Participant, stage: str) -> str | None:
    """The question to ask before this move, or None: "contracted" with neither an agreed
    fee nor a contract is most likely a slip of the mouse."""
    if stage != CONTRACTED or participant.stage == CONTRACTED:
        return None
    if participant.agreed_fee_cents is not None or has_contract(participant):
        return None
    return _("%(name)s has no agreed fee and no contract yet. Move them to “%(stage)s” "
             "all the same?", name=participant.influencer.display_name,
             stage=label("stage", CONTRACTED))


@dataclass(frozen=True)
class AfterPublication:
    """What publishing an operation did to its participant: `moved` to "live", or the
    reason it stayed (None when it already was live or further on, nothing to say)."""

    moved: bool
    message: str | None


def follow_publication(participant: Participant, user_id: int | None,
                       when: datetime) -> AfterPublication:
    """A published operation means its participant is live: moved there from any earlier
    stage; a declined participant stays declined (someone decided that), and says so."""
    name = participant.influencer.display_name
    if participant.stage == DECLINED:
        return AfterPublication(False, _(
            "%(name)s stays in “%(stage)s”: move the card by hand if they take part after "
            "all.", name=name, stage=label("stage", DECLINED)))
    if participant.stage not in STAGES or STAGES.index(participant.stage) >= STAGES.index(LIVE):
        return AfterPublication(False, None)
    record_move(participant, LIVE, user_id, when)
    return AfterPublication(True, _("%(name)s moved to “%(stage)s”.", name=name,
                                    stage=label("stage", LIVE)))
