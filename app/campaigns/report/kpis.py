"""Campaign KPIs, computed from operation metrics (never typed in). Plain Python.

Definitions:
- engagements = likes + comments + shares + saves;
- engagement rate by reach = engagements / reach; by followers = engagements / followers
  of the account the operation was published on;
- CPE = cost / engagements; CPM = cost / impressions × 1 000; ROI = (revenue − cost) /
  cost, where the cost is the whole cost of what is added up (app/campaigns/report/costs.py:
  the agreed fees spread over the operations, a typed cost replacing a share, and the fees
  no operation carries yet), the same figure the report shows as the cost: CPE and CPM fall
  as metrics come in;
- EMV = Σ impressions / 1 000 × the CPM set for the operation's platform (admin settings).

Missing is not zero: a metric nobody entered is None, and a KPI whose inputs are missing
(or whose denominator is zero) is None, shown as "—". When operations are added up, each
engagement rate only counts the operations where both of its sides are known: a campaign
whose reach is known for 3 operations out of 10 gets the engagement rate of those 3, not
the engagements of 10 divided by the reach of 3.

Money is in cents; rates are shares (0.05 = 5 %).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field, fields

ENGAGEMENT_PARTS = ("likes", "comments", "shares", "saves")
# KPIs where a smaller figure is better (a target is met when the actual is at most it).
LOWER_IS_BETTER = frozenset({"cpe", "cpm"})


@dataclass(slots=True)
class OperationFigures:
    """What the KPIs need of one operation. Not frozen: a frozen dataclass sets each field
    through object.__setattr__, four times slower to build, and a report builds 5 000."""

    platform: str
    impressions: int | None = None
    reach: int | None = None
    views: int | None = None
    likes: int | None = None
    comments: int | None = None
    shares: int | None = None
    saves: int | None = None
    clicks: int | None = None
    conversions: int | None = None
    revenue_cents: int | None = None
    cost_cents: int | None = None  # typed in, or the allocated share of the fee
    followers: int | None = None  # of the account on the operation's platform
    cpm_cents: int | None = None  # the platform's rate, for the EMV

    @property
    def engagements(self) -> int | None:
        parts = [getattr(self, name) for name in ENGAGEMENT_PARTS]
        known = [p for p in parts if p is not None]
        return sum(known) if known else None


@dataclass
class Kpis:
    """Sums of the metrics and the KPIs computed from them (None = cannot be computed)."""

    operations: int = 0
    measured: int = 0  # operations with at least one metric
    impressions: int | None = None
    reach: int | None = None
    views: int | None = None
    engagements: int | None = None
    clicks: int | None = None
    conversions: int | None = None
    revenue_cents: int | None = None
    cost_cents: int | None = None
    emv_cents: float | None = None
    engagement_rate_reach: float | None = None
    engagement_rate_followers: float | None = None
    cpe_cents: float | None = None
    cpm_cents: float | None = None
    roi: float | None = None
    missing_rates: set[str] = field(default_factory=set)  # platforms without a CPM

    def as_dict(self) -> dict[str, object]:
        """JSON-ready: money in currency units (2 decimals), rates as shares."""
        out: dict[str, object] = {}
        for f in fields(self):
            value = getattr(self, f.name)
            if f.name == "missing_rates":
                out[f.name] = sorted(value)
            elif f.name.endswith("_cents"):
                out[f.name[:-6]] = None if value is None else round(value / 100, 2)
            elif isinstance(value, float):
                out[f.name] = round(value, 6)
            else:
                out[f.name] = value
        return out


def _add(total: float | None, value: float | None) -> float | None:
    if value is None:
        return total
    return value if total is None else total + value


def _ratio(numerator: float, denominator: float, seen: bool) -> float | None:
    return numerator / denominator if seen and denominator else None


def compute(operations: Iterable[OperationFigures], extra_cost_cents: int | None = None) -> Kpis:
    """The KPIs of some operations; `extra_cost_cents` is cost carried by no operation
    (fees of participants without one yet), counted in the cost and its ratios."""
    kpis = Kpis(cost_cents=extra_cost_cents)
    # Both sides of each engagement rate, over the operations where both are known.
    er_reach = [0, 0, False]
    er_followers = [0, 0, False]
    for op in operations:
        kpis.operations += 1
        engagements = op.engagements
        counts = (op.impressions, op.reach, op.views, engagements, op.clicks, op.conversions,
                  op.revenue_cents)
        if any(v is not None for v in counts):
            kpis.measured += 1
        kpis.impressions = _add(kpis.impressions, op.impressions)
        kpis.reach = _add(kpis.reach, op.reach)
        kpis.views = _add(kpis.views, op.views)
        kpis.engagements = _add(kpis.engagements, engagements)
        kpis.clicks = _add(kpis.clicks, op.clicks)
        kpis.conversions = _add(kpis.conversions, op.conversions)
        kpis.revenue_cents = _add(kpis.revenue_cents, op.revenue_cents)
        kpis.cost_cents = _add(kpis.cost_cents, op.cost_cents)
        if op.impressions is not None:
            if op.cpm_cents is None:
                kpis.missing_rates.add(op.platform)
            else:
                kpis.emv_cents = _add(kpis.emv_cents, op.impressions / 1000 * op.cpm_cents)
        for pair, top, bottom in ((er_reach, engagements, op.reach),
                                  (er_followers, engagements, op.followers)):
            if top is not None and bottom is not None:
                pair[0] += top
                pair[1] += bottom
                pair[2] = True
    kpis.engagement_rate_reach = _ratio(*er_reach)
    kpis.engagement_rate_followers = _ratio(*er_followers)
    _cost_ratios(kpis)
    return kpis


def _cost_ratios(kpis: Kpis) -> None:
    """CPE, CPM and ROI, all on the whole cost (see the module's definitions)."""
    cost = kpis.cost_cents
    if cost is None:
        return
    kpis.cpe_cents = _ratio(cost, kpis.engagements or 0, kpis.engagements is not None)
    per_impression = _ratio(cost, kpis.impressions or 0, kpis.impressions is not None)
    kpis.cpm_cents = None if per_impression is None else per_impression * 1000
    if kpis.revenue_cents is not None and cost:
        kpis.roi = (kpis.revenue_cents - cost) / cost


@dataclass(frozen=True)
class TargetCheck:
    kpi: str
    target: float
    actual: float | None
    met: bool | None  # None: the actual cannot be computed yet
    progress: float | None  # actual / target (for "higher is better" KPIs)


def actual_for(kpis: Kpis, kpi: str) -> float | None:
    """A KPI target's actual value, in the target's unit (money in currency units)."""
    names = {"cpe": "cpe_cents", "cpm": "cpm_cents", "emv": "emv_cents"}
    value = getattr(kpis, names.get(kpi, kpi), None)
    if value is not None and kpi in names:
        return value / 100
    return value


def against_targets(kpis: Kpis, targets: dict[str, float] | None) -> list[TargetCheck]:
    checks = []
    for kpi, target in (targets or {}).items():
        actual = actual_for(kpis, kpi)
        if actual is None:
            checks.append(TargetCheck(kpi, target, None, None, None))
            continue
        lower = kpi in LOWER_IS_BETTER
        met = actual <= target if lower else actual >= target
        progress = None if lower or not target else actual / target
        checks.append(TargetCheck(kpi, target, actual, met, progress))
    return checks
