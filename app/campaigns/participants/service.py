"""A campaign's participants: adding influencers (picked, or every match of a list filter),
moving them through the pipeline, their fees and notes, removing them, the budget.

Every stage change is written on the influencer's timeline as a CAMPAIGN_INTERACTION whose
summary holds stage codes ("shortlisted → contacted"; "→ shortlisted" when added,
"contacted →" when removed): the profile page labels them in the reader's language.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from flask_babel import gettext as _
from sqlalchemy import and_, func, insert, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import selectinload
from sqlalchemy.orm.exc import StaleDataError

from app.campaigns.participants.stages import (
    NeedsConfirmation,
    confirmation_needed,
    record_move,
    stage_summary,
    timeline_entry,
)
from app.core.audit import acting_as
from app.core.errors import NotFound, ServiceError, check_version, save_versioned
from app.extensions import db
from app.forms import clean
from app.i18n.labels import label
from app.influencers import query as listing
from app.models import AuditEvent, Campaign, Influencer, Interaction, Operation, Participant, User
from app.models.base import utcnow
from app.models.campaign import COMMITTED_STAGES, STAGES
from app.models.influencer import CAMPAIGN_INTERACTION, PLATFORMS

BULK_MAX = 500  # influencers added at once, from a pick or a list filter
NOTES_MAX = 5000
TERMS = ("proposed_fee_cents", "agreed_fee_cents", "notes")


class MovedMeanwhile(ServiceError):
    """Someone else moved (or saved) the participant since the page was shown."""


@dataclass
class AddResult:
    added: int = 0
    already: int = 0  # already in the campaign
    gone: int = 0  # in the trash, or no longer existing
    do_not_contact: list[str] = field(default_factory=list)  # names, skipped


@dataclass
class Preview:
    """What adding a list filter's matches would do."""

    new: int
    already: int
    do_not_contact: int
    sample: list[str]

    @property
    def too_many(self) -> bool:
        return self.new > BULK_MAX


@dataclass
class Card:
    participant: Participant
    platform: str | None
    followers: int | None
    operations: int


@dataclass
class Budget:
    budget_cents: int | None
    committed_cents: int
    proposed_cents: int

    @property
    def over(self) -> bool:
        return self.budget_cents is not None and self.committed_cents > self.budget_cents

    @property
    def remaining_cents(self) -> int | None:
        return None if self.budget_cents is None else self.budget_cents - self.committed_cents


# --- reading -------------------------------------------------------------------------------

def campaign_platforms(campaign: Campaign) -> tuple[str, ...]:
    """The campaign's platforms (its target audience's), in the order of PLATFORMS; empty
    when it names none (then every platform is the campaign's)."""
    chosen = set((campaign.target_platforms or "").split(","))
    return tuple(p for p in PLATFORMS if p in chosen)


def get_participant(campaign: Campaign, participant_id: int) -> Participant:
    """Only a participant of this campaign: the id in the URL is checked, never trusted."""
    participant = db.session.scalar(
        select(Participant).where(Participant.id == participant_id,
                                  Participant.campaign_id == campaign.id)
        .options(selectinload(Participant.influencer)))
    if participant is None:
        raise NotFound(_("This participant is no longer in the campaign."))
    return participant


def cards(campaign: Campaign) -> list[Card]:
    """Every participant with what its card shows; three queries whatever their number."""
    participants = list(db.session.scalars(
        select(Participant).where(Participant.campaign_id == campaign.id)
        .options(selectinload(Participant.influencer).selectinload(Influencer.accounts))
        .order_by(Participant.stage_changed_at.desc().nulls_last(), Participant.id.desc())))
    counts = dict(db.session.execute(
        select(Operation.participant_id, func.count())
        .where(Operation.campaign_id == campaign.id).group_by(Operation.participant_id)).all())
    result = []
    wanted = campaign_platforms(campaign)
    for participant in participants:
        every = participant.influencer.accounts
        # Their biggest account on the campaign's platforms; any account when none is.
        scope = [a for a in every if a.platform in wanted] or every
        accounts = [a for a in scope if a.followers is not None]
        main = max(accounts, key=lambda a: a.followers, default=None)
        if main is None and scope:
            main = scope[0]
        result.append(Card(participant, main.platform if main else None,
                           main.followers if main else None, counts.get(participant.id, 0)))
    return result


def budget_of(campaign: Campaign, rows: list[Card] | None = None) -> Budget:
    """Committed = agreed fees of the participants not declined; proposed = their proposed
    fees not agreed yet (as in app.campaigns.report.figures.campaign_kpis)."""
    if rows is None:
        rows = db.session.execute(
            select(Participant.stage, Participant.agreed_fee_cents, Participant.proposed_fee_cents)
            .where(Participant.campaign_id == campaign.id)).all()
        fees = [(r.stage, r.agreed_fee_cents, r.proposed_fee_cents) for r in rows]
    else:
        fees = [(c.participant.stage, c.participant.agreed_fee_cents,
                 c.participant.proposed_fee_cents) for c in rows]
    live = [f for f in fees if f[0] in COMMITTED_STAGES]
    return Budget(campaign.budget_cents,
                  sum(agreed or 0 for _stage, agreed, _proposed in live),
                  sum(proposed or 0 for _stage, agreed, proposed in live if agreed is None))


def in_campaign(campaign: Campaign, influencer_ids: list[int]) -> set[int]:
    if not influencer_ids:
        return set()
    return set(db.session.scalars(
        select(Participant.influencer_id).where(Participant.campaign_id == campaign.id,
                                                Participant.influencer_id.in_(influencer_ids))))


# --- adding --------------------------------------------------------------------------------

def add_influencers(campaign: Campaign, ids: list[int], user: User | None,
                    proposed: dict[int, int] | None = None) -> AddResult:
    """Add the picked influencers; those already in, trashed or not to be contacted are
    skipped and reported. One query reads them all, one insert writes them. `proposed`:
    a proposed fee (cents) per influencer, e.g. the candidates page's estimate."""
    ids = list(dict.fromkeys(ids))
    if not ids:
        raise ServiceError(_("Select at least one influencer."))
    if len(ids) > BULK_MAX:
        raise ServiceError(_("At most %(max)d influencers can be added at once.", max=BULK_MAX))
    rows = db.session.execute(
        select(Influencer.id, Influencer.display_name, Influencer.status, Influencer.deleted_at,
               Participant.id.label("participant_id"))
        .outerjoin(Participant, and_(Participant.influencer_id == Influencer.id,
                                     Participant.campaign_id == campaign.id))
        .where(Influencer.id.in_(ids))).all()
    result = AddResult(gone=len(ids) - len(rows))
    addable = []
    for row in rows:
        if row.participant_id is not None:
            result.already += 1
        elif row.deleted_at is not None:
            result.gone += 1
        elif row.status == "do_not_contact":
            result.do_not_contact.append(row.display_name)
        else:
            addable.append(row.id)
    result.added = _insert(campaign, addable, user, proposed or {})
    return result


def _matches(filters: dict[str, Any], user_id: int | None):
    """The influencer list's WHERE clauses (trashed people are never in the list)."""
    return and_(*listing.conditions(filters, user_id))


def _not_in(campaign: Campaign):
    taken = select(Participant.influencer_id).where(Participant.campaign_id == campaign.id)
    return Influencer.id.not_in(taken)


def preview_matching(campaign: Campaign, filters: dict[str, Any], user_id: int | None) -> Preview:
    where = _matches(filters, user_id)
    rows = db.session.execute(
        select(Influencer.display_name, Influencer.status).where(where, _not_in(campaign))
        .order_by(Influencer.sort_name, Influencer.id).limit(BULK_MAX + 1)).all()
    already = db.session.scalar(
        select(func.count()).select_from(Participant)
        .join(Influencer, Influencer.id == Participant.influencer_id)
        .where(Participant.campaign_id == campaign.id, where)) or 0
    statuses = Counter(r.status for r in rows)
    return Preview(new=len(rows), already=already, do_not_contact=statuses["do_not_contact"],
                   sample=[r.display_name for r in rows if r.status != "do_not_contact"][:8])


def add_matching(campaign: Campaign, filters: dict[str, Any], user: User | None) -> AddResult:
    """Add every influencer matching a list filter (at most BULK_MAX new ones at a time)."""
    if not filters:
        raise ServiceError(_("This address has no filter: filter the influencer list first."))
    where = _matches(filters, user.id if user else None)
    rows = db.session.execute(
        select(Influencer.id, Influencer.display_name, Influencer.status)
        .where(where, _not_in(campaign))
        .order_by(Influencer.sort_name, Influencer.id).limit(BULK_MAX + 1)).all()
    if len(rows) > BULK_MAX:
        raise ServiceError(_(
            "More than %(max)d influencers not yet in the campaign match these filters: "
            "narrow them down (at most %(max)d at a time).", max=BULK_MAX))
    already = db.session.scalar(
        select(func.count()).select_from(Participant)
        .join(Influencer, Influencer.id == Participant.influencer_id)
        .where(Participant.campaign_id == campaign.id, where)) or 0
    result = AddResult(already=already)
    result.do_not_contact = [r.display_name for r in rows if r.status == "do_not_contact"]
    result.added = _insert(campaign, [r.id for r in rows if r.status != "do_not_contact"], user)
    return result


def _insert(campaign: Campaign, influencer_ids: list[int], user: User | None,
            proposed: dict[int, int] | None = None) -> int:
    """One INSERT for the participants and one for their timeline entries. Below the ORM
    (no object per row), so the per-object audit listener is bypassed on purpose, as the
    imports do: one audit event on the campaign tells who added how many."""
    if not influencer_ids:
        return 0
    now = utcnow()
    user_id = user.id if user else None
    stamps = {"created_at": now, "updated_at": now, "created_by_id": user_id}
    db.session.execute(insert(Participant), [
        {"campaign_id": campaign.id, "influencer_id": influencer_id, "stage": STAGES[0],
         "stage_changed_at": now, "version": 1,
         "proposed_fee_cents": (proposed or {}).get(influencer_id), **stamps}
        for influencer_id in influencer_ids])
    db.session.execute(insert(Interaction), [
        {"influencer_id": influencer_id, "campaign_id": campaign.id, "user_id": user_id,
         "kind": CAMPAIGN_INTERACTION, "occurred_at": now, "follow_up_done": False,
         "summary": stage_summary(None, STAGES[0]), **stamps}
        for influencer_id in influencer_ids])
    db.session.add(AuditEvent(at=now, user_id=user_id, entity_type="campaign",
                              entity_id=campaign.id, action="update",
                              changes={"participants": [None, f"+{len(influencer_ids)}"]}))
    try:
        db.session.commit()
    except IntegrityError:
        db.session.rollback()
        raise ServiceError(_("Someone added some of these influencers meanwhile; nothing was "
                             "saved. Please try again.")) from None
    return len(influencer_ids)


# --- changing ------------------------------------------------------------------------------

def _committed_share(participant: Participant) -> int:
    if participant.stage in COMMITTED_STAGES:
        return participant.agreed_fee_cents or 0
    return 0


def _went_over(campaign: Campaign, before: int, after: int) -> bool:
    """Whether a change pushed the committed fees above the budget (or further above)."""
    if campaign.budget_cents is None or after <= before:
        return False
    committed = budget_of(campaign).committed_cents
    return committed > campaign.budget_cents


def change_stage(participant: Participant, stage: str, user: User | None,
                 expected: str | None = None, confirmed: bool = False) -> bool:
    """Move a participant; returns whether the move took the campaign over budget.
    `expected` is the stage the mover saw: a card moved meanwhile is not moved again.
    A move that needs confirming (stages.confirmation_needed) raises NeedsConfirmation
    unless `confirmed`."""
    if stage not in STAGES:
        raise ServiceError(_("Unknown stage."))
    if expected is not None and expected != participant.stage:
        raise MovedMeanwhile(_(
            "%(name)s was moved to “%(stage)s” by someone else meanwhile.",
            name=participant.influencer.display_name, stage=_stage_label(participant.stage)))
    if stage == participant.stage:
        return False
    question = None if confirmed else confirmation_needed(participant, stage)
    if question:
        raise NeedsConfirmation(question)
    before_share = _committed_share(participant)
    user_id = user.id if user else None
    record_move(participant, stage, user_id, utcnow())
    _commit(participant, user_id, _("Someone changed this participant meanwhile; nothing "
                                    "was saved. Please try again."))
    return _went_over(participant.campaign, before_share, _committed_share(participant))


def update_terms(participant: Participant, values: dict[str, Any],
                 expected_version: int | None, user: User | None) -> bool:
    """Save fees and notes unless someone saved the participant since the form was shown;
    returns whether the agreed fee took the campaign over budget."""
    values = {key: values.get(key) for key in TERMS}
    notes = clean(values["notes"] or "")[:NOTES_MAX]
    values["notes"] = notes or None
    check_version(participant, values, expected_version)
    before_share = _committed_share(participant)
    with acting_as(user.id if user else None):
        save_versioned(participant, values, expected_version)
    return _went_over(participant.campaign, before_share, _committed_share(participant))


def remove(participant: Participant, user: User | None) -> None:
    """Take a participant out of the campaign, with its operations, unless one of them is
    published (its metrics belong to the campaign's results)."""
    published = db.session.scalar(
        select(func.count()).select_from(Operation)
        .where(Operation.participant_id == participant.id, Operation.status == "published"))
    if published:
        raise ServiceError(_(
            "%(name)s has published operations: their results belong to the campaign, so "
            "they cannot be removed. Move them to “Declined” instead.",
            name=participant.influencer.display_name))
    user_id = user.id if user else None
    db.session.add(timeline_entry(participant.campaign_id, participant.influencer_id,
                                  participant.stage, None, user_id, utcnow()))
    db.session.delete(participant)
    _commit(participant, user_id, _("Someone changed this participant meanwhile; nothing "
                                    "was removed. Please try again."))


def _commit(participant: Participant, user_id: int | None, stale_message: str) -> None:
    try:
        with acting_as(user_id):
            db.session.commit()
    except StaleDataError:
        db.session.rollback()
        raise MovedMeanwhile(stale_message) from None


def _stage_label(code: str) -> str:
    return label("stage", code)
