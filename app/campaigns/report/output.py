"""The campaign report's outputs beside the page: the chart series (for Chart.js on the
page and the SVG of the PDF), the CSV (one row per operation, the fees not on an operation
yet, the totals, then the three costs the page names) and the PDF (WeasyPrint, with
app/core/pdf.py's URL fetcher: nothing but the app's own static files, and the brand's
logo on the cover as the one data: URI it serves).

Formatting follows the current locale (the user's in a request, English in the CLI): the
CSV's rates are percentages in a column headed "(%)", with the locale's decimal mark, which
a French Excel reads as numbers.
"""

from __future__ import annotations

import csv
import io
import re
import unicodedata
from datetime import date
from pathlib import Path

from flask_babel import gettext as _

from app.brands.logo import data_uri
from app.campaigns.report import svg as report_svg
from app.campaigns.report.figures import campaign_kpis
from app.campaigns.report.kpis import Kpis
from app.campaigns.report.service import OPERATION_COLUMNS, CampaignReport, operations_query
from app.codes import COUNT_METRICS
from app.contracts.document.render import serving_images
from app.core.csv_output import BOM, drain, neutralise_formula
from app.core.pdf import restricted_fetcher
from app.extensions import db
from app.i18n.formats import day, money, number
from app.i18n.labels import label
from app.models import Campaign

STATIC = Path(__file__).resolve().parents[2] / "static"


def chart_data(report: CampaignReport) -> dict:
    """What the four charts draw: labels in the user's language, raw values (money in
    currency units), None where unknown."""
    budget = report.budget
    measure, top = report.top

    def units(cents: float | None) -> float | None:
        return None if cents is None else round(cents / 100, 2)

    reach = report.reach_over_time
    # Short dates on the axis; the year too when the points span several years.
    same_year = len({d.year for d, _daily, _running in reach}) <= 1
    return {
        "currency": report.campaign.currency,
        "reach": {"labels": [day(d, "d MMM" if same_year else "medium")
                             for d, _daily, _running in reach],
                  "values": [running for _d, _daily, running in reach],
                  "daily": [daily for _d, daily, _running in reach]},
        "platforms": {"labels": [label("platform", name) for name, _k in report.platforms],
                      "values": [k.engagements for _n, k in report.platforms]},
        "top": {"measure": measure, "labels": [row.name for row in top],
                "values": [row.kpis.engagements if measure == "engagements"
                           else units(row.kpis.emv_cents) for row in top]},
        "budget": {"labels": [_("Budget"), _("Committed"), _("Spent"),
                              _("Cost used by the KPIs")],
                   "values": [units(budget.budget_cents), units(budget.committed_cents),
                              units(budget.spent_cents), units(budget.cost_cents)]},
    }


def svg_charts(report: CampaignReport, charts: dict) -> dict:
    """The same four charts as static SVG, for the PDF."""
    currency = charts["currency"]

    def count(value: float | None) -> str:
        return number(value)

    def units(value: float | None) -> str:
        return money(None if value is None else value * 100, currency)

    top = charts["top"]
    svg = {
        "platforms": report_svg.bars(charts["platforms"]["labels"],
                                     charts["platforms"]["values"], count,
                                     _("Engagements by platform")),
        "top": report_svg.bars(top["labels"], top["values"],
                               count if top["measure"] == "engagements" else units,
                               _("Top participants")),
        "budget": report_svg.bars(charts["budget"]["labels"], charts["budget"]["values"],
                                  units, _("Budget")),
        "reach": None,
    }
    if charts["reach"]["values"]:
        svg["reach"] = report_svg.line(charts["reach"]["labels"], charts["reach"]["values"],
                                       count, _("Reach over time"))
    return svg


# --- CSV ------------------------------------------------------------------------------

def _headers() -> list[str]:
    return [
        _("Operation"), _("Participant"), _("Platform"), _("Kind"), _("Status"),
        _("Planned for"), _("Published on"),
        *(label("metric", name) for name in COUNT_METRICS),
        _("Revenue"), _("Cost (entered)"), _("Engagements"), _("Cost used by the KPIs"),
        _("Engagement rate (by reach) (%)"), _("Engagement rate (by followers) (%)"),
        _("CPE"), _("CPM"), _("EMV"), _("ROI (%)"),
    ]


class _Cells:
    """Numbers as a spreadsheet in the user's language reads them: a decimal comma with
    the French `;` separator, a dot otherwise; text cells neutralised against formulas."""

    def __init__(self, decimal_comma: bool) -> None:
        self.comma = decimal_comma

    def text(self, value: str | None) -> str:
        return neutralise_formula(value) if value else ""

    def decimal(self, value: float | None, digits: int) -> str:
        if value is None:
            return ""
        shown = f"{value:.{digits}f}"
        return shown.replace(".", ",") if self.comma else shown

    def count(self, value: float | None) -> str:
        return "" if value is None else str(round(value))

    def money(self, cents: float | None) -> str:
        return self.decimal(None if cents is None else cents / 100, 2)

    def percent(self, share: float | None) -> str:
        """A share as a percentage number (0.0643 → 6.43), for a column headed "(%)"."""
        return self.decimal(None if share is None else share * 100, 2)

    def kpis(self, k: Kpis) -> list[str]:
        return [self.count(k.engagements), self.money(k.cost_cents),
                self.percent(k.engagement_rate_reach),
                self.percent(k.engagement_rate_followers), self.money(k.cpe_cents),
                self.money(k.cpm_cents), self.money(k.emv_cents), self.percent(k.roi)]


def report_csv(campaign: Campaign, delimiter: str = ",") -> bytes:
    """The whole file, UTF-8 with a BOM (Excel). A campaign's operations fit in memory
    (thousands, not millions)."""
    kpis = campaign_kpis(campaign.id)
    cells = _Cells(decimal_comma=delimiter == ";")
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter)
    buffer.write(BOM)
    writer.writerow(_headers())
    sums = _operation_rows(writer, cells, campaign.id, kpis)
    blank = [""] * (len(COUNT_METRICS) + 2)
    if kpis.unallocated_cents:
        writer.writerow([cells.text(_("Not on an operation yet")), "", "", "", "", "", "",
                         *blank, "", cells.money(kpis.unallocated_cents),
                         *[""] * 6])
    writer.writerow([
        cells.text(_("Total")), "", "", "", "", "", "",
        *(cells.count(sums.get(name)) for name in COUNT_METRICS),
        cells.money(sums.get("revenue_cents")), cells.money(sums.get("cost_cents")),
        *cells.kpis(kpis.total),
    ])
    writer.writerow([])
    for text, cents in ((_("Committed (agreed fees)"), kpis.committed_cents),
                        (_("Spent (paid)"), kpis.spent_cents),
                        (_("Cost used by the KPIs"), kpis.cost_cents)):
        writer.writerow([cells.text(text), cells.money(cents)])
    return drain(buffer)


def _operation_rows(writer, cells: _Cells, campaign_id: int, kpis) -> dict[str, float]:
    """One row per operation; → the sums of the metrics as typed in."""
    sums: dict[str, float] = {}
    labels: dict[tuple[str, str], str] = {}  # thousands of rows, a handful of codes

    def text_label(group: str, code: str) -> str:
        if (group, code) not in labels:
            labels[group, code] = cells.text(label(group, code))
        return labels[group, code]

    for op in db.session.execute(operations_query(campaign_id)):
        metrics = [getattr(op, name) for name in OPERATION_COLUMNS]
        for name, value in zip(OPERATION_COLUMNS, metrics, strict=True):
            if value is not None:
                sums[name] = sums.get(name, 0) + value
        writer.writerow([
            str(op.id), cells.text(op.name), text_label("platform", op.platform),
            text_label("operation_kind", op.kind), text_label("operation_status", op.status),
            op.planned_on.isoformat() if op.planned_on else "",
            op.published_on.isoformat() if op.published_on else "",
            *(cells.count(v) for v in metrics[:len(COUNT_METRICS)]),
            cells.money(op.revenue_cents), cells.money(op.cost_cents),
            *cells.kpis(kpis.by_operation.get(op.id) or Kpis()),
        ])
    return sums


# --- PDF ------------------------------------------------------------------------------

def filename(campaign_name: str, extension: str, today: date | None = None) -> str:
    """`relais-report-<campaign>-<date>.<ext>`: ASCII letters, digits and dashes only, so
    no header injection and no path in any browser or system."""
    ascii_name = unicodedata.normalize("NFKD", campaign_name).encode("ascii", "ignore")
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_name.decode().lower()).strip("-")[:60].strip("-")
    stamp = (today or date.today()).isoformat()
    return f"relais-report-{slug or 'campaign'}-{stamp}.{extension}"


def static_fetcher():
    """The WeasyPrint URL fetcher of the report: files under app/static only."""
    return restricted_fetcher(STATIC)


def logo_uri(campaign: Campaign) -> str | None:
    """The brand's logo as a data: URI for the PDF's cover, None without one."""
    brand = campaign.brand
    if brand is None or not brand.logo_type or not brand.logo:
        return None
    return data_uri(brand.logo, brand.logo_type)


def render_pdf(html: str, logo: str | None = None) -> bytes:
    """The PDF of the report's HTML; relative links resolve inside app/static, and the
    one data: URI served is the brand's `logo`."""
    from weasyprint import HTML

    fetcher = serving_images(static_fetcher(), [logo] if logo else [])
    document = HTML(string=html, base_url=STATIC.as_uri() + "/", url_fetcher=fetcher)
    return document.write_pdf()
