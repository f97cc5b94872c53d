"""Relationships (the network's edges) from a CSV, on one page: upload, check or import, report.

Unlike the influencer wizard there is no mapping step and no background job: the columns
are recognised by name, and the service streams the file and answers with its report, which
the same page shows. Nothing is kept: the temporary copy is deleted at once.
"""

from __future__ import annotations

from typing import Any

from flask import render_template, request
from flask_babel import gettext as _

from app.extensions import db
from app.i18n import stored_message
from app.import_wizard import bp
from app.import_wizard.forms import RelationshipImportForm
from app.import_wizard.routes import display_name, saved_upload
from app.imports.reading import ReadError
from app.models.network import RELATIONSHIP_KINDS
from app.security import role_required
from app.services import ServiceError
from app.services import network_import as service

SHOWN_REJECTED = 200  # rows listed on the page; the count above stays exact


def _in_user_language(template: str, params: dict[str, Any]) -> str:
    return _(template, **params)


def _refusal(error: ServiceError) -> str:
    """A refusal in the user's language: reading errors carry their template and params,
    the service's own messages are catalog entries as they are."""
    cause = error.__cause__
    if isinstance(cause, ReadError):
        return _(cause.template, **cause.params)
    return stored_message(str(error))


def _run(form: RelationshipImportForm) -> dict[str, Any]:
    storage = form.file.data
    encoding, delimiter = form.reading()
    with saved_upload(storage) as path:
        return service.import_relationships(
            path, encoding=encoding, delimiter=delimiter, dry_run=form.dry_run,
            filename=display_name(storage.filename), describe=_in_user_language)


@bp.route("/relationships", methods=["GET", "POST"])
@role_required("member")
def relationships():
    form = RelationshipImportForm()
    report = None
    if form.validate_on_submit():
        try:
            report = _run(form)
        except ServiceError as error:
            db.session.rollback()  # the service rolled back already; nothing half-done stays
            form.file.errors = [*form.file.errors, _refusal(error)]
    status = 400 if request.method == "POST" and report is None else 200
    return render_template(
        "import_wizard/relationships.html", form=form, report=report, dry_run=form.dry_run,
        shown=SHOWN_REJECTED, columns=service.COLUMNS, kinds=RELATIONSHIP_KINDS,
        kind_words=service.KIND_WORDS, weight_max=service.WEIGHT_MAX,
    ), status
