"""Campaign views: operation metrics imported from a CSV file (check, then import, on one
page, like the relationships import), and the example file to fill in.

Typing metrics in by hand is on the operation's page (app/campaigns/operations.py).
"""

from __future__ import annotations

import io
from typing import Any

from flask import Response, abort, render_template, request
from flask_babel import format_date, get_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileAllowed, FileField, FileRequired
from wtforms import SelectField, SubmitField

from app.campaigns import bp
from app.extensions import db
from app.i18n import stored_message
from app.i18n.labels import label
from app.import_wizard.forms import AUTO, DELIMITERS, ENCODINGS, delimiter_label
from app.import_wizard.routes import display_name, saved_upload
from app.imports.metric_columns import COLUMNS
from app.imports.reading import ReadError
from app.models.campaign import METRICS
from app.security import role_required
from app.services import NotFound, ServiceError
from app.services import campaign_metrics as service
from app.services import metrics_template as example_file
from app.services.campaigns import get_campaign

SHOWN_REJECTED = 200  # rows listed on the page; the count above stays exact


class MetricsImportForm(FlaskForm):
    """A file, optional reading overrides, check or import. Without the "Import the metrics"
    button (Enter in a field, a bare POST) the file is only checked."""

    file = FileField(_l("CSV file"), validators=[
        FileRequired(_l("Choose a file to import.")),
        FileAllowed(["csv", "txt"], _l("Only .csv or .txt files can be imported.")),
    ])
    encoding = SelectField(_l("Encoding"), default=AUTO)
    delimiter = SelectField(_l("Delimiter"), default=AUTO)
    check = SubmitField(_l("Check only (dry run)"))
    run = SubmitField(_l("Import the metrics"))

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        detect = (AUTO, _("Detect from the file"))
        self.encoding.choices = [detect, *[(value, value) for value in ENCODINGS]]
        self.delimiter.choices = [detect, *[(value, delimiter_label(character))
                                            for value, character in DELIMITERS.items()]]

    @property
    def dry_run(self) -> bool:
        return not self.run.data

    def reading(self) -> tuple[str | None, str | None]:
        encoding, delimiter = self.encoding.data, self.delimiter.data
        return (ENCODINGS[encoding] if encoding else None,
                DELIMITERS[delimiter] if delimiter else None)


def _campaign(campaign_id: int):
    try:
        return get_campaign(campaign_id)
    except NotFound:
        abort(404)


def _in_user_language(template: str, params: dict[str, Any]) -> str:
    return _(template, **params)


def _refusal(error: ServiceError) -> str:
    cause = error.__cause__
    if isinstance(cause, ReadError):
        return _(cause.template, **cause.params)
    return stored_message(str(error))


@bp.route("/<int:campaign_id>/metrics/import", methods=["GET", "POST"])
@role_required("member")
def import_metrics(campaign_id: int):
    campaign = _campaign(campaign_id)
    form = MetricsImportForm()
    report = None
    if form.validate_on_submit():
        storage = form.file.data
        encoding, delimiter = form.reading()
        try:
            with saved_upload(storage) as path:
                report = service.import_metrics(
                    campaign.id, path, encoding=encoding, delimiter=delimiter,
                    dry_run=form.dry_run, filename=display_name(storage.filename),
                    describe=_in_user_language)
        except ServiceError as error:
            db.session.rollback()  # the service rolled back already; nothing half-done stays
            form.file.errors = [*form.file.errors, _refusal(error)]
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
    campaign = _campaign(campaign_id)
    french = str(get_locale() or "en").startswith("fr")
    buffer = io.StringIO()
    buffer.write("\ufeff")  # Excel reads UTF-8 only with its BOM
    example_file.write_template(
        buffer, campaign.id, template_headers(), ";" if french else ",",
        show_date=lambda day: format_date(day, "dd/MM/yyyy") if french else day.isoformat(),
        show_code=label)
    name = f"metrics-campaign-{campaign.id}.csv"
    return Response(buffer.getvalue().encode("utf-8"), mimetype="text/csv",
                    headers={"Content-Disposition": f'attachment; filename="{name}"'})
