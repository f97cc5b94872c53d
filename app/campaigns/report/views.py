"""Campaign views: the report — the page with its charts, the KPIs per operation (paged,
on demand), and the same report as PDF and CSV. Everyone who can log in may read them."""

from __future__ import annotations

from datetime import UTC, datetime

from flask import abort, current_app, render_template, request, url_for
from flask_babel import get_locale
from flask_login import current_user

from app.campaigns.blueprint import bp
from app.campaigns.report import output, service
from app.core.downloads import attachment
from app.core.errors import NotFound
from app.core.pagination import Page, parse_page
from app.security import role_required

PARTICIPANTS_PER_PAGE = 25
# WeasyPrint lays a table row out in ~10 ms: the PDF lists the first participants in the
# report's order (most engagements first) and says where the others are.
PDF_PARTICIPANTS = 50


def _report(campaign_id: int, sort: str = service.DEFAULT_SORT) -> service.CampaignReport:
    try:
        return service.campaign_report(campaign_id, sort)
    except NotFound:
        abort(404)


def _rates_url() -> str | None:
    """The page where platform CPMs are set, for those whose role may open it."""
    view = current_app.view_functions.get("admin.rates")
    if view is None or not current_user.has_role(getattr(view, "required_role", "admin")):
        return None
    return url_for("admin.rates")


@bp.get("/<int:campaign_id>/report")
@role_required("viewer")
def report(campaign_id: int):
    data = _report(campaign_id, request.args.get("sort", service.DEFAULT_SORT)[:20])
    rows = data.participants
    pages = max(1, -(-len(rows) // PARTICIPANTS_PER_PAGE))
    number = min(parse_page(request.args.get("page")), pages)
    start = (number - 1) * PARTICIPANTS_PER_PAGE
    participants = Page(rows[start:start + PARTICIPANTS_PER_PAGE], number,
                        PARTICIPANTS_PER_PAGE, len(rows),
                        {"campaign_id": campaign_id, "sort": data.sort,
                         "_anchor": "participants"})
    return render_template("campaigns/report.html", **data.context(),
                           participant_page=participants,
                           charts=output.chart_data(data), rates_url=_rates_url())


@bp.get("/<int:campaign_id>/report/operations")
@role_required("viewer")
def report_operations(campaign_id: int):
    try:
        data = service.operations_page(campaign_id, parse_page(request.args.get("page")))
    except NotFound:
        abort(404)
    data["page"].query_args = {"campaign_id": campaign_id}
    if request.headers.get("HX-Request"):
        return render_template("campaigns/_report_operations.html", **data)
    return render_template("campaigns/report_operations.html", **data)


@bp.get("/<int:campaign_id>/report.pdf")
@role_required("viewer")
def report_pdf(campaign_id: int):
    data = _report(campaign_id)
    charts = output.chart_data(data)
    logo = output.logo_uri(data.campaign)
    html = render_template("campaigns/report_pdf.html", **data.context(), charts=charts,
                           svg=output.svg_charts(data, charts),
                           pdf_participants=data.participants[:PDF_PARTICIPANTS],
                           generated_at=datetime.now(UTC), logo=logo)
    return attachment(output.render_pdf(html, logo), "application/pdf",
                     output.filename(data.campaign.name, "pdf"))


@bp.get("/<int:campaign_id>/report.csv")
@role_required("viewer")
def report_csv(campaign_id: int):
    # French Excel splits on semicolons (the comma is its decimal mark).
    delimiter = ";" if str(get_locale()) == "fr" else ","
    try:
        campaign = service.load_campaign(campaign_id)
    except NotFound:
        abort(404)
    body = output.report_csv(campaign, delimiter)
    return attachment(body, "text/csv", output.filename(campaign.name, "csv"))
