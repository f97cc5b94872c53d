"""A campaign's KPIs from the database: per operation, participant, platform and overall.

Five queries whatever the campaign's size (the campaign's currency, operations,
participants, the followers of the accounts the operations are on, the platform rates);
the costs are app/campaigns/report/costs.py and the arithmetic app/campaigns/report/kpis.py.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from sqlalchemy import select

from app.campaigns.report.costs import CostLine, Costs, FeeLine, allocate
from app.campaigns.report.kpis import Kpis, OperationFigures, compute
from app.codes import COUNT_METRICS
from app.extensions import db
from app.models import Campaign, Operation, Participant, PlatformRate, SocialAccount


@dataclass
class CampaignKpis:
    total: Kpis
    by_participant: dict[int, Kpis] = field(default_factory=dict)
    by_platform: dict[str, Kpis] = field(default_factory=dict)
    by_operation: dict[int, Kpis] = field(default_factory=dict)
    committed_cents: int = 0  # agreed fees of the participants not declined
    proposed_cents: int = 0  # proposed fees not agreed yet (the same participants)
    spent_cents: int = 0  # the cost of the participants marked as paid
    unallocated_cents: int = 0  # fees no operation carries: part of total.cost_cents

    @property
    def cost_cents(self) -> int | None:
        """The cost the KPIs use (costs.py): every breakdown adds up to it."""
        return self.total.cost_cents


def platform_rates(currency: str | None = None) -> dict[str, int]:
    """CPM per platform; with `currency`, only the rates set in that currency (rates are
    never converted: a campaign in another currency lists its platforms as missing)."""
    query = select(PlatformRate.platform, PlatformRate.cpm_cents)
    if currency:
        query = query.where(PlatformRate.currency == currency)
    return dict(db.session.execute(query).all())


def _followers(campaign_id: int) -> dict[tuple[int, str], int]:
    """(influencer id, platform) → the participant's biggest account there."""
    followers: dict[tuple[int, str], int] = {}
    for influencer_id, platform, count in db.session.execute(
            select(SocialAccount.influencer_id, SocialAccount.platform, SocialAccount.followers)
            .join(Participant, Participant.influencer_id == SocialAccount.influencer_id)
            .where(Participant.campaign_id == campaign_id)):
        if count is not None:
            key = (influencer_id, platform)
            followers[key] = max(count, followers.get(key, 0))
    return followers


def campaign_kpis(campaign_id: int, per_operation: bool = True) -> CampaignKpis:
    """`per_operation=False` leaves `by_operation` empty: a third of the work on a large
    campaign, which the report's page and PDF do not show."""
    session = db.session
    participants = session.execute(
        select(Participant.id, Participant.influencer_id, Participant.stage,
               Participant.agreed_fee_cents, Participant.proposed_fee_cents)
        .where(Participant.campaign_id == campaign_id)).all()
    columns = [getattr(Operation, name) for name in COUNT_METRICS]
    operations = session.execute(
        select(Operation.id, Operation.participant_id, Operation.platform,
               Operation.revenue_cents, Operation.cost_cents, *columns)
        .where(Operation.campaign_id == campaign_id).order_by(Operation.id)).all()
    influencer_of = {p.id: p.influencer_id for p in participants}
    followers = _followers(campaign_id) if participants else {}
    currency = session.scalar(select(Campaign.currency).where(Campaign.id == campaign_id))
    rates = platform_rates(currency or "EUR")
    costs = allocate(
        [FeeLine(p.id, p.stage, p.agreed_fee_cents, p.proposed_fee_cents) for p in participants],
        [CostLine(op.id, op.participant_id, op.cost_cents) for op in operations])
    figures = [(op.id, op.participant_id, OperationFigures(
        platform=op.platform, revenue_cents=op.revenue_cents,
        cost_cents=costs.by_operation.get(op.id),
        followers=followers.get((influencer_of.get(op.participant_id, 0), op.platform)),
        cpm_cents=rates.get(op.platform),
        **{name: getattr(op, name) for name in COUNT_METRICS})) for op in operations]
    return grouped(figures, [p.id for p in participants], costs, per_operation)


def grouped(figures: list[tuple[int, int, OperationFigures]], participant_ids: list[int],
             costs: Costs, per_operation: bool) -> CampaignKpis:
    """The KPIs of the whole campaign and of each operation, participant and platform."""
    result = CampaignKpis(
        total=compute((f for _, _, f in figures), costs.unallocated_cents or None),
        committed_cents=costs.committed_cents, proposed_cents=costs.proposed_cents,
        spent_cents=costs.spent_cents, unallocated_cents=costs.unallocated_cents)
    by_participant: dict[int, list[OperationFigures]] = defaultdict(list)
    by_platform: dict[str, list[OperationFigures]] = defaultdict(list)
    for op_id, participant_id, f in figures:
        if per_operation:
            result.by_operation[op_id] = compute([f])
        by_participant[participant_id].append(f)
        by_platform[f.platform].append(f)
    for participant_id in participant_ids:
        result.by_participant[participant_id] = compute(
            by_participant.get(participant_id, []), costs.unallocated.get(participant_id))
    result.by_platform = {name: compute(items) for name, items in sorted(by_platform.items())}
    return result
