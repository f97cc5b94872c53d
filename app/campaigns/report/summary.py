"""The campaign report for `flask campaigns report`: one JSON object (`--json`) or a few
lines for a person. Both name the three costs as the page does (committed, spent, the cost
the KPIs use) and the JSON lists the costs per participant and per platform, which add up
to that cost (app/campaigns/report/costs.py).
"""

from __future__ import annotations

from app.campaigns.report.service import CampaignReport

COST_RULE = (
    "cost = each participant's agreed fee (declined ones excepted), or the costs typed on "
    "their operations when these add up to more; spread over the operations, a typed cost "
    "replacing a share; fees no operation carries yet count as not_on_an_operation. CPE, "
    "CPM and ROI divide this cost. committed = agreed fees of the participants not "
    "declined; spent = the cost of the participants marked as paid.")


def _units(cents: float | None) -> float | None:
    return None if cents is None else round(cents / 100, 2)


def as_json(report: CampaignReport) -> dict:
    """The campaign's KPIs as one JSON-ready object: money in currency units, rates as
    shares."""
    campaign, budget = report.campaign, report.budget
    return {
        "campaign": {
            "id": campaign.id, "name": campaign.name, "brand": campaign.brand.name,
            "status": campaign.status, "currency": campaign.currency,
            "starts_on": campaign.starts_on.isoformat() if campaign.starts_on else None,
            "ends_on": campaign.ends_on.isoformat() if campaign.ends_on else None,
            "participants": len(report.participants),
        },
        "kpis": report.total.as_dict(),
        "budget": {
            "budget": _units(budget.budget_cents), "committed": _units(budget.committed_cents),
            "proposed": _units(budget.proposed_cents), "spent": _units(budget.spent_cents),
            "cost": _units(budget.cost_cents),
            "not_on_an_operation": _units(budget.unallocated_cents),
            "remaining": _units(budget.remaining_cents), "over_budget": budget.over,
            "cost_rule": COST_RULE,
        },
        "targets": [
            {"kpi": line.code,
             "target": _units(line.target) if line.kind == "money" else line.target,
             "actual": (_units(line.actual) if line.kind == "money" else
                        None if line.actual is None else round(line.actual, 6)),
             "met": line.met}
            for line in report.headlines if line.target is not None
        ],
        "platforms": {name: kpis.as_dict() for name, kpis in report.platforms},
        "participants": [
            {"id": row.id, "name": row.name, "stage": row.stage,
             "agreed_fee": _units(row.agreed_fee_cents), "cost": _units(row.kpis.cost_cents)}
            for row in sorted(report.participants, key=lambda row: row.id)
        ],
    }


def summary_lines(report: CampaignReport) -> list[str]:
    """A few lines for a person (the CLI without --json), in the current locale."""
    from app.i18n.formats import money, number, percent

    campaign, total, budget = report.campaign, report.total, report.budget
    currency = campaign.currency

    def shown(kind: str, value: float | None) -> str:
        if kind == "money":
            return money(value, currency)
        return percent(value) if kind == "rate" else number(value)

    lines = [
        f"Campaign {campaign.id} “{campaign.name}” ({campaign.brand.name}), {campaign.status}, "
        f"{len(report.participants)} participants, {total.operations} operations "
        f"({total.measured} measured)",
        "KPIs: " + ", ".join(f"{line.code} {shown(line.kind, line.actual)}"
                             for line in report.headlines),
        f"Budget {money(budget.budget_cents, currency)}, committed (agreed fees) "
        f"{money(budget.committed_cents, currency)}, spent (paid) "
        f"{money(budget.spent_cents, currency)}, cost used by the KPIs "
        f"{money(budget.cost_cents, currency)}" + (" — OVER BUDGET" if budget.over else ""),
    ]
    if budget.unallocated_cents:
        lines.append(f"Of that cost, {money(budget.unallocated_cents, currency)} is not on an "
                     "operation yet.")
    for line in report.headlines:
        if line.target is not None:
            verdict = {True: "met", False: "NOT met", None: "not measurable yet"}[line.met]
            lines.append(f"Target {line.code} {'≤' if line.lower_is_better else '≥'} "
                         f"{shown(line.kind, line.target)}: {verdict}")
    if report.missing_rates:
        lines.append("No CPM set for " + ", ".join(report.missing_rates)
                     + ": their impressions are left out of the EMV.")
    return lines
