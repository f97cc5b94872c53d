"""The one-page imports (relationships, campaign metrics): the uploaded file is checked or
imported at once and the same page shows the report; nothing is kept, the temporary copy is
deleted at once."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask_babel import gettext as _

from app.core.errors import ServiceError
from app.extensions import db
from app.i18n.formats import stored_message
from app.imports import workbooks
from app.imports.forms import CheckOrImportForm
from app.imports.parsing.reading import ReadError
from app.imports.uploads import display_name, saved_upload


def _in_user_language(template: str, params: dict[str, Any]) -> str:
    return _(template, **params)


def _refusal(error: ServiceError) -> str:
    """A refusal in the user's language: reading errors carry their template and params,
    the service's own messages are catalog entries as they are."""
    cause = error.__cause__
    if isinstance(cause, ReadError):
        return _(cause.template, **cause.params)
    return stored_message(str(error))


def checked_import(form: CheckOrImportForm,
                   importer: Callable[..., dict[str, Any]]) -> dict[str, Any] | None:
    """Validates the posted form and runs `importer(path, encoding=, delimiter=, dry_run=,
    filename=, describe=)` on a temporary copy of the file (a spreadsheet's first sheet
    that holds something, as CSV): its report, or None (nothing posted, or refused: the
    reason is on the file field)."""
    if not form.validate_on_submit():
        return None
    storage = form.file.data
    encoding, delimiter = form.reading()
    name = display_name(storage.filename)
    try:
        with saved_upload(storage) as upload, workbooks.as_csv(
                upload, encoding, delimiter, name) as (path, encoding, delimiter):
            return importer(path, encoding=encoding, delimiter=delimiter, dry_run=form.dry_run,
                            filename=name, describe=_in_user_language)
    except ServiceError as error:
        db.session.rollback()  # the service rolled back already; nothing half-done stays
        form.file.errors = [*form.file.errors, _refusal(error)]
        return None
