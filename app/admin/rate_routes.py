"""Administration: the pricing settings on one page — the CPM per platform that values
impressions for the earned media value (EMV) and the candidates' fee estimates, and the
minimum fee per platform and follower tier under those estimates. Admins edit them, each
table with its own form and stamp; managers see them (they read the figures they feed)."""

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
from app.models.rates import FOLLOWER_TIERS
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


class FloorsForm(FlaskForm):
    """One amount per platform and tier (`floor_<platform>_<tier>`), and the stamp of the
    floors it showed."""

    floors_opened_with = HiddenField()
    floors_submit = SubmitField(_l("Save the minimum fees"))

    def floor_rows(self) -> list[tuple[str, list[MoneyField]]]:
        return [(platform, [self[f"floor_{platform}_{tier}"] for tier in FOLLOWER_TIERS])
                for platform in PLATFORMS]

    def wanted(self) -> dict[tuple[str, str], int | None]:
        return {(platform, tier): self[f"floor_{platform}_{tier}"].data
                for platform in PLATFORMS for tier in FOLLOWER_TIERS}

    def validate(self, extra_validators=None) -> bool:
        valid = super().validate(extra_validators)
        for _platform, fields in self.floor_rows():
            for f in fields:
                if f.data is not None and f.data > service.FLOOR_MAX_CENTS:
                    f.errors.append(_("A minimum fee is between 0 and 100 000 €."))
                    valid = False
        return valid


for _platform in PLATFORMS:
    setattr(RatesForm, f"cpm_{_platform}", MoneyField(_l("CPM (€ per 1 000 impressions)")))
    for _tier in FOLLOWER_TIERS:
        setattr(FloorsForm, f"floor_{_platform}_{_tier}", MoneyField(_l("Minimum fee")))


def _rates_form(rates: dict[str, int], **kwargs) -> RatesForm:
    form = RatesForm(**kwargs)
    if kwargs.get("formdata", True) is None:
        for platform, f in form.rate_fields():
            f.data = rates.get(platform)
        form.opened_with.data = service.stamp(rates)
    return form


def _floors_form(floors: dict[tuple[str, str], int], **kwargs) -> FloorsForm:
    form = FloorsForm(**kwargs)
    if kwargs.get("formdata", True) is None:
        for (platform, tier), cents in floors.items():
            if platform in PLATFORMS and tier in FOLLOWER_TIERS:
                form[f"floor_{platform}_{tier}"].data = cents
        form.floors_opened_with.data = service.stamp(floors)
    return form


def _page(status: int = 200, **shown):
    """The page; `shown` overrides the forms and the saved values (after a failed save)."""
    rates, floors = service.current_rates(), service.current_floors()
    admin = current_user.has_role("admin")
    parts = {"rates": rates, "floors": floors, "conflict": False, "floors_conflict": False,
             "form": _rates_form(rates, formdata=None) if admin else None,
             "floors_form": _floors_form(floors, formdata=None) if admin else None}
    parts.update(shown)
    return render_template("admin/rates.html", platforms=PLATFORMS, tiers=FOLLOWER_TIERS,
                           cpm_max=service.CPM_MAX_CENTS, floor_max=service.FLOOR_MAX_CENTS,
                           **parts), status


@bp.get("/rates")
@role_required("manager")
def rates():
    return _page()


@bp.post("/rates")
@role_required("admin")
def save_rates():
    form = _rates_form(service.current_rates())
    if not form.validate_on_submit():
        return _page(400, form=form)
    try:
        changes = service.save_rates(form.wanted(), form.opened_with.data or None)
    except service.StaleRates as stale:
        db.session.rollback()
        # What the user typed stays in the form; the rates saved meanwhile are shown beside
        # it, and the next save is made against them.
        form.opened_with.data = service.stamp(stale.current)
        return _page(409, form=form, rates=stale.current, conflict=True)
    except ServiceError as error:
        db.session.rollback()
        flash(stored_message(str(error)), "error")
        return _page(400, form=form)
    flash(_("The rates are saved.") if changes else _("Nothing changed."),
          "success" if changes else "info")
    return redirect(url_for("admin.rates"))


@bp.post("/rates/floors")
@role_required("admin")
def save_floors():
    form = _floors_form(service.current_floors())
    if not form.validate_on_submit():
        return _page(400, floors_form=form)
    try:
        changes = service.save_floors(form.wanted(), form.floors_opened_with.data or None)
    except service.StaleRates as stale:
        db.session.rollback()
        form.floors_opened_with.data = service.stamp(stale.current)
        return _page(409, floors_form=form, floors=stale.current, floors_conflict=True)
    except ServiceError as error:
        db.session.rollback()
        flash(stored_message(str(error)), "error")
        return _page(400, floors_form=form)
    flash(_("The minimum fees are saved.") if changes else _("Nothing changed."),
          "success" if changes else "info")
    return redirect(url_for("admin.rates") + "#floors-title")
