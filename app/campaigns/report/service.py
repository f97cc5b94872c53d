"""A campaign's report: headline KPIs against the targets, the budget, the tables per
participant, platform and operation, and the series the charts draw.

Built from app.campaigns.report.figures (four queries) plus three of its own — the campaign
with its brand, the participants with their influencers' names, the operations' dates —
so a report costs the same number of SQL statements for 5 participants or 500. Numbers
stay raw here (cents, shares, dates): the web page, the PDF, the CSV and the CLI format
them, each in its own way. No Flask request needed.
"""

from __future__ import annotations

import math
from collections import defaultdict
from dataclasses import dataclass, fields
from datetime import date

from sqlalchemy import func, select
from sqlalchemy.orm import joinedload

from app.campaigns.report.figures import CampaignKpis, campaign_kpis
from app.campaigns.report.kpis import LOWER_IS_BETTER, Kpis, against_targets
from app.codes import METRICS, MONEY_METRICS
from app.collation import sort_key
from app.core.errors import NotFound
from app.core.pagination import paginate
from app.extensions import db
from app.models import Campaign, Influencer, Operation, Participant
from app.models.campaign import KPI_TARGETS, KPI_UNITS

MONEY_TARGETS = frozenset(code for code, unit in KPI_UNITS.items() if unit == "money")
TOP = 10  # participants on the "top participants" chart
# Metric columns as stored (money in cents).
OPERATION_COLUMNS = tuple(f"{name}_cents" if name in MONEY_METRICS else name
                          for name in METRICS)
MAX_ID = 2**31 - 1  # ids past this cannot exist; refused before any query

# Participant table sorts: query value → the row's value (None always sorts last).
PARTICIPANT_SORTS = {
    "name": lambda row: row.name.casefold(),
    "operations": lambda row: row.kpis.operations,
    "reach": lambda row: row.kpis.reach,
    "engagements": lambda row: row.kpis.engagements,
    "er_reach": lambda row: row.kpis.engagement_rate_reach,
    "er_followers": lambda row: row.kpis.engagement_rate_followers,
    "cpe": lambda row: row.kpis.cpe_cents,
    "cpm": lambda row: row.kpis.cpm_cents,
    "emv": lambda row: row.kpis.emv_cents,
    "cost": lambda row: row.kpis.cost_cents,
    "revenue": lambda row: row.kpis.revenue_cents,
    "roi": lambda row: row.kpis.roi,
}
DEFAULT_SORT = "-engagements"
SORTS = frozenset(PARTICIPANT_SORTS) | {f"-{key}" for key in PARTICIPANT_SORTS}


@dataclass(frozen=True)
class Headline:
    """One headline figure and its target (money in cents, rates as shares)."""

    code: str
    kind: str  # count / rate / money
    actual: float | None
    target: float | None
    met: bool | None  # None: no target, or the actual cannot be computed yet
    lower_is_better: bool


@dataclass(frozen=True)
class ParticipantRow:
    id: int
    influencer_id: int
    name: str
    stage: str
    agreed_fee_cents: int | None
    kpis: Kpis


@dataclass(frozen=True)
class Budget:
    """The budget and the three costs the report names (app/campaigns/report/costs.py)."""

    budget_cents: int | None
    committed_cents: int  # agreed fees of the participants not declined
    proposed_cents: int  # proposed fees not agreed yet
    spent_cents: int  # the cost of the participants marked as paid
    cost_cents: int | None  # the cost the KPIs use: every breakdown adds up to it
    unallocated_cents: int = 0  # the part of the cost that no operation carries yet

    @property
    def over(self) -> bool:
        return self.budget_cents is not None and self.committed_cents > self.budget_cents

    @property
    def remaining_cents(self) -> int | None:
        if self.budget_cents is None:
            return None
        return self.budget_cents - max(self.committed_cents, self.cost_cents or 0)


def load_campaign(campaign_id: int) -> Campaign:
    """The campaign with its brand, or NotFound (unknown, out of range or in the trash)."""
    if not 0 < campaign_id <= MAX_ID:
        raise NotFound("no such campaign")
    campaign = db.session.scalar(
        select(Campaign).options(joinedload(Campaign.brand))
        .where(Campaign.id == campaign_id, Campaign.deleted_at.is_(None)))
    if campaign is None:
        raise NotFound("no such campaign")
    return campaign


@dataclass(frozen=True)
class CampaignReport:
    """Everything the report shows: the page, the PDF, the CLI and its JSON."""

    campaign: Campaign
    kpis: CampaignKpis
    total: Kpis
    headlines: list[Headline]
    budget: Budget
    participants: list[ParticipantRow]  # in the `sort` order
    sort: str
    platforms: list[tuple[str, Kpis]]
    top: tuple[str, list[ParticipantRow]]  # (the measure ranked by, the top participants)
    reach_over_time: list[tuple[date, int, int]]  # (day, reach that day, cumulative)
    undated: int  # operations with reach but no date
    missing_rates: list[str]  # platforms with impressions but no CPM

    def context(self) -> dict:
        """The fields as template variables (not copied: the templates only read them)."""
        return {field.name: getattr(self, field.name) for field in fields(self)}


def campaign_report(campaign_id: int, sort: str = DEFAULT_SORT) -> CampaignReport:
    """Everything the report shows. Raises NotFound for an unknown campaign."""
    campaign = load_campaign(campaign_id)
    kpis = campaign_kpis(campaign.id, per_operation=False)
    participants = _participants(campaign.id, kpis)
    reach, undated = _reach_over_time(campaign.id)
    return CampaignReport(
        campaign=campaign, kpis=kpis, total=kpis.total,
        headlines=headlines(kpis.total, campaign.kpi_targets),
        budget=Budget(campaign.budget_cents, kpis.committed_cents, kpis.proposed_cents,
                      kpis.spent_cents, kpis.total.cost_cents, kpis.unallocated_cents),
        participants=sort_participants(participants, sort),
        sort=sort if sort in SORTS else DEFAULT_SORT,
        platforms=list(kpis.by_platform.items()),
        top=top_participants(participants),
        reach_over_time=reach, undated=undated,
        missing_rates=sorted(kpis.total.missing_rates),
    )


def headlines(total: Kpis, targets: dict | None) -> list[Headline]:
    """Every KPI a target may be set for, in a fixed order, with its target if set."""
    checks = {check.kpi: check for check in against_targets(total, _numeric(targets))}
    lines = []
    for code in KPI_TARGETS:
        check = checks.get(code)
        actual = _actual(total, code)
        target = None
        if check is not None:
            target = check.target * 100 if code in MONEY_TARGETS else check.target
        lines.append(Headline(code, KPI_UNITS[code], actual, target,
                              check.met if check else None, code in LOWER_IS_BETTER))
    return lines


def _numeric(targets: dict | None) -> dict[str, float]:
    """The targets that are numbers for a known KPI (the JSON column takes anything)."""
    out = {}
    for code, value in (targets or {}).items():
        if (code in KPI_UNITS and isinstance(value, int | float)
                and not isinstance(value, bool) and math.isfinite(value)):
            out[code] = float(value)
    return out


def _actual(total: Kpis, code: str) -> float | None:
    names = {"cpe": "cpe_cents", "cpm": "cpm_cents", "emv": "emv_cents"}
    return getattr(total, names.get(code, code))


def _participants(campaign_id: int, kpis: CampaignKpis) -> list[ParticipantRow]:
    rows = db.session.execute(
        select(Participant.id, Participant.influencer_id, Participant.stage,
               Participant.agreed_fee_cents, Influencer.display_name)
        .join(Influencer, Influencer.id == Participant.influencer_id)
        .where(Participant.campaign_id == campaign_id)
        .order_by(Participant.id)).all()
    return [ParticipantRow(r.id, r.influencer_id, r.display_name, r.stage, r.agreed_fee_cents,
                           kpis.by_participant.get(r.id) or Kpis())
            for r in rows]


def sort_participants(rows: list[ParticipantRow], sort: str) -> list[ParticipantRow]:
    """Sorted by a PARTICIPANT_SORTS key ("-" first for descending); unknown → default.
    Rows whose value is unknown come last either way, then by name."""
    if sort not in SORTS:
        sort = DEFAULT_SORT
    descending = sort.startswith("-")
    key = PARTICIPANT_SORTS[sort.lstrip("-")]
    by_name = sorted(rows, key=lambda row: (sort_key(row.name), row.id))
    known = [row for row in by_name if key(row) is not None]
    unknown = [row for row in by_name if key(row) is None]
    return sorted(known, key=key, reverse=descending) + unknown


def top_participants(rows: list[ParticipantRow]) -> tuple[str, list[ParticipantRow]]:
    """The TOP participants by engagements; by EMV when no engagement is known at all.
    Returns the measure ("engagements" / "emv") and the rows."""
    for measure, key in (("engagements", lambda row: row.kpis.engagements),
                         ("emv", lambda row: row.kpis.emv_cents)):
        ranked = [row for row in rows if key(row)]
        if ranked:
            ranked.sort(key=lambda row: (-key(row), row.name.casefold()))
            return measure, ranked[:TOP]
    return "engagements", []


def _reach_over_time(campaign_id: int) -> tuple[list[tuple[date, int, int]], int]:
    """(day, reach that day, cumulative reach) by published date, else planned date, and
    how many operations with a known reach have neither date."""
    by_day: dict[date, int] = defaultdict(int)
    undated = 0
    for published_on, planned_on, reach in db.session.execute(
            select(Operation.published_on, Operation.planned_on, Operation.reach)
            .where(Operation.campaign_id == campaign_id, Operation.reach.is_not(None))):
        day = published_on or planned_on
        if day is None:
            undated += 1
        else:
            by_day[day] += reach
    series, running = [], 0
    for day in sorted(by_day):
        running += by_day[day]
        series.append((day, by_day[day], running))
    return series, undated


def operations_query(campaign_id: int):
    """The campaign's operations with their participant's name and metrics, by date
    (published, else planned; undated last): the per-operation table and the CSV."""
    day = func.coalesce(Operation.published_on, Operation.planned_on)
    return (
        select(Operation.id, Operation.kind, Operation.platform, Operation.status,
               Operation.planned_on, Operation.published_on,
               Influencer.display_name.label("name"),
               *(getattr(Operation, name) for name in OPERATION_COLUMNS))
        .join(Participant, Participant.id == Operation.participant_id)
        .join(Influencer, Influencer.id == Participant.influencer_id)
        .where(Operation.campaign_id == campaign_id)
        .order_by(day.is_(None), day, Operation.id))


def operations_page(campaign_id: int, number: int, size: int = 25) -> dict:
    """One page of the per-operation KPIs (the campaign's KPIs are computed whole: an
    operation's cost share depends on its participant's other operations)."""
    campaign = load_campaign(campaign_id)
    kpis = campaign_kpis(campaign.id)
    page = paginate(operations_query(campaign.id), number, size, scalars=False,
                    total=kpis.total.operations)
    return {"campaign": campaign, "page": page, "by_operation": kpis.by_operation,
            "unallocated_cents": kpis.unallocated_cents, "cost_cents": kpis.cost_cents}
