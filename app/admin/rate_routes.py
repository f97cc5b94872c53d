"""Administration: the CPM per platform that values impressions for the earned media value
(EMV). Admins edit the rates; managers see them (they read the KPIs they feed)."""

from __future__ import annotations

from flask import flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf import FlaskForm
from wtforms import HiddenField, SubmitField

from app.admin.blueprint import bp
from app.campaigns.report import rates as service
from app.core.errors import ServiceError
from app.extensions import db
from app.forms import MoneyField
from app.i18n.formats import stored_message
from app.models.influencer import PLATFORMS
from app.security import role_required


class RatesForm(FlaskForm):
    """One amount per platform (`cpm_<platform>`), and the stamp of the rates it showed."""

    opened_with = HiddenField()
    submit = SubmitField(_l("Save the rates"))

    def rate_fields(self) -> list[tuple[str, MoneyField]]:
        return [(platform, self[f"cpm_{platform}"]) for platform in PLATFORMS]

    def wanted(self) -> dict[str, int | None]:
        return {platform: f.data for platform, f in self.rate_fields()}

    def validate(self, extra_validators=None) -> bool:
        valid = super().validate(extra_validators)
        for _platform, f in self.rate_fields():
            if f.data is not None and f.data > service.CPM_MAX_CENTS:
                f.errors.append(_("A CPM is between 0 and 10 000 €."))
                valid = False
        return valid


for _platform in PLATFORMS:
    setattr(RatesForm, f"cpm_{_platform}", MoneyField(_l("CPM (€ per 1 000 impressions)")))


def _form(rates: dict[str, int], **kwargs) -> RatesForm:
    form = RatesForm(**kwargs)
    if kwargs.get("formdata", True) is None:
        for platform, f in form.rate_fields():
            f.data = rates.get(platform)
        form.opened_with.data = service.stamp(rates)
    return form


def _page(form: RatesForm | None, rates: dict[str, int], status: int = 200,
          conflict: bool = False):
    return render_template("admin/rates.html", form=form, rates=rates, platforms=PLATFORMS,
                           conflict=conflict, cpm_max=service.CPM_MAX_CENTS), status


@bp.get("/rates")
@role_required("manager")
def rates():
    current = service.current_rates()
    form = _form(current, formdata=None) if current_user.has_role("admin") else None
    return _page(form, current)


@bp.post("/rates")
@role_required("admin")
def save_rates():
    current = service.current_rates()
    form = _form(current)
    if not form.validate_on_submit():
        return _page(form, current, 400)
    try:
        changes = service.save_rates(form.wanted(), form.opened_with.data or None)
    except service.StaleRates as stale:
        db.session.rollback()
        # What the user typed stays in the form; the rates saved meanwhile are shown beside
        # it, and the next save is made against them.
        form.opened_with.data = service.stamp(stale.current)
        return _page(form, stale.current, 409, conflict=True)
    except ServiceError as error:
        db.session.rollback()
        flash(stored_message(str(error)), "error")
        return _page(form, current, 400)
    if changes:
        flash(_("The rates are saved."), "success")
    else:
        flash(_("Nothing changed."), "info")
    return redirect(url_for("admin.rates"))
