"""Administration: how long import files are kept (the uploaded files and their rejected
rows name people); older ones are deleted by app/imports/retention.py."""

from __future__ import annotations

from flask import flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext
from flask_login import current_user
from flask_wtf import FlaskForm
from wtforms import SubmitField

from app.admin.blueprint import bp
from app.core.errors import ServiceError
from app.extensions import db
from app.forms import TypedNumberField
from app.imports import retention
from app.security import role_required

DAYS_ERROR = _l("Type a number of days between 1 and 3650.")


class DaysField(TypedNumberField):
    """A whole number of days, 1 to 3650; `data` is an int or None."""

    def convert(self, raw: str) -> int:
        if not (raw.isascii() and raw.isdigit()):
            raise ValueError(DAYS_ERROR)
        if not retention.DAYS_MIN <= int(raw) <= retention.DAYS_MAX:
            raise ValueError(DAYS_ERROR)
        return int(raw)


class RetentionForm(FlaskForm):
    import_file_days = DaysField(_l("Keep import files for (days)"))
    submit = SubmitField(_l("Save"))

    def validate(self, extra_validators=None) -> bool:
        valid = super().validate(extra_validators)
        if self.import_file_days.data is None and not self.import_file_days.errors:
            self.import_file_days.errors.append(str(DAYS_ERROR))
            valid = False
        return valid


@bp.get("/retention")
@role_required("admin")
def retention_settings():
    form = RetentionForm(formdata=None, import_file_days=retention.import_file_days())
    return render_template("admin/retention.html", form=form)


@bp.post("/retention")
@role_required("admin")
def save_retention_settings():
    form = RetentionForm()
    if not form.validate_on_submit():
        return render_template("admin/retention.html", form=form), 400
    try:
        changed = retention.save_import_file_days(form.import_file_days.data, current_user)
    except ServiceError as error:
        db.session.rollback()
        flash(str(error), "error")
        return render_template("admin/retention.html", form=form), 400
    days = form.import_file_days.data
    flash(ngettext("Import files are now kept %(num)d day.",
                   "Import files are now kept %(num)d days.", days)
          if changed else _("Nothing changed."), "success" if changed else "info")
    return redirect(url_for("admin.retention_settings"))
