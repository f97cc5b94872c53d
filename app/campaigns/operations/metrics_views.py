"""Campaign views: operation metrics imported from a CSV file (check, then import, on one
page, like the relationships import), and the example file to fill in.

Typing metrics in by hand is on the operation's page (app/campaigns/operations/views.py).
"""

from __future__ import annotations

import functools
import io

from flask import render_template, request
from flask_babel import format_date, get_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from wtforms import SubmitField

from app.campaigns.blueprint import bp, campaign_or_404
from app.campaigns.operations import metrics_import as service
from app.campaigns.operations import metrics_template as example_file
from app.campaigns.operations.metric_columns import COLUMNS
from app.codes import METRICS
from app.core.downloads import attachment
from app.i18n.labels import label
from app.imports.forms import CheckOrImportForm
from app.imports.one_page import checked_import
from app.security import role_required

SHOWN_REJECTED = 200  # rows listed on the page; the count above stays exact


class MetricsImportForm(CheckOrImportForm):
    run = SubmitField(_l("Import the metrics"))


@bp.route("/<int:campaign_id>/metrics/import", methods=["GET", "POST"])
@role_required("member")
def import_metrics(campaign_id: int):
    campaign = campaign_or_404(campaign_id)
    form = MetricsImportForm()
    report = checked_import(form, functools.partial(service.import_metrics, campaign.id))
    status = 400 if request.method == "POST" and report is None else 200
    return render_template(
        "campaigns/metrics_import.html", campaign=campaign, form=form, report=report,
        dry_run=form.dry_run, shown=SHOWN_REJECTED, columns=COLUMNS, metrics=METRICS,
    ), status


def template_headers() -> list[str]:
    """The example file's headers in the user's language (the import recognises them)."""
    return ["operation_id", _("Participant"), _("Platform"), _("Handle"), _("Kind"),
            _("Planned date"), *[label("metric", metric) for metric in METRICS]]


@bp.get("/<int:campaign_id>/metrics/template.csv")
@role_required("member")
def metrics_template(campaign_id: int):
    campaign = campaign_or_404(campaign_id)
    french = str(get_locale() or "en").startswith("fr")
    buffer = io.StringIO()
    buffer.write("\ufeff")  # Excel reads UTF-8 only with its BOM
    example_file.write_template(
        buffer, campaign.id, template_headers(), ";" if french else ",",
        show_date=lambda day: format_date(day, "dd/MM/yyyy") if french else day.isoformat(),
        show_code=label)
    name = f"metrics-campaign-{campaign.id}.csv"
    return attachment(buffer.getvalue().encode("utf-8"), "text/csv", name)
