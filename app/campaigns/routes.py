"""Campaign views: the list, the overview, create and edit (with the conflict page), trash
and restore."""

from __future__ import annotations

from babel import Locale
from flask import Flask, current_app, flash, redirect, render_template, request, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user

from app.auth.users import team
from app.brands.service import brand_choices
from app.campaigns import batch_routes, compliance, service
from app.campaigns import query as listing
from app.campaigns.blueprint import bp, campaign_or_404
from app.campaigns.candidates import views as candidate_views
from app.campaigns.forms import CampaignForm, FilterForm
from app.campaigns.operations import metrics_views
from app.campaigns.operations import views as operation_views
from app.campaigns.participants import views as participant_views
from app.campaigns.report import views as report_views
from app.campaigns.report.figures import campaign_kpis
from app.campaigns.report.kpis import LOWER_IS_BETTER, against_targets
from app.core.audit_query import events_for
from app.core.errors import Conflict, ServiceError
from app.core.pagination import parse_page
from app.core.trash import Trash, add_trash_views
from app.extensions import db
from app.i18n.formats import day, money, number, percent
from app.i18n.labels import label
from app.models import AuditEvent, Brand, Campaign, User
from app.models.campaign import KPI_TARGETS, KPI_UNITS
from app.security import role_required

FILTERS = ("q", "status", "objective", "brand", "owner", "date_from", "date_to", "flagged")


# --- list and trash ---------------------------------------------------------------------

def _listing(trash: bool):
    form = FilterForm(formdata=request.args, owners=team(), brands=brand_choices())
    form.validate()  # errors are shown beside their field; those values are ignored
    filters = form.clean()
    sort = filters.get("sort", "name")
    link_args = {}
    for name in FILTERS:
        if name in filters:
            value = filters[name]
            link_args[name] = "1" if value is True else str(value)
    page = listing.list_page(filters, current_user.id, sort, parse_page(request.args.get("page")),
                             current_app.config["RELAIS_PAGE_SIZE"], {**link_args, "sort": sort},
                             trash=trash)
    return render_template(
        "campaigns/index.html", form=form, page=page, sort=sort, trash=trash,
        link_args=link_args, filtered=bool(link_args),
        any_campaign=page.total > 0 or listing.any_campaign(trash),
    )


@bp.get("/")
@role_required("viewer")
def index():
    return _listing(trash=False)


@bp.get("/trash")
@role_required("viewer")
def trash():
    return _listing(trash=True)


# --- overview ---------------------------------------------------------------------------

def _kpi_value(code: str, value: float | None, currency: str) -> str:
    if value is None:
        return "—"
    unit = KPI_UNITS.get(code)
    if unit == "money":
        return money(value * 100, currency)
    if unit == "rate":
        return percent(value)
    return number(value)


def _kpi_rows(campaign: Campaign, kpis) -> list[dict]:
    rows = []
    targets = campaign.kpi_targets or {}
    ordered = {code: targets[code] for code in KPI_TARGETS if code in targets}
    for check in against_targets(kpis.total, ordered):
        rows.append({
            "label": label("kpi", check.kpi), "met": check.met,
            "lower": check.kpi in LOWER_IS_BETTER,
            "target": _kpi_value(check.kpi, check.target, campaign.currency),
            "actual": _kpi_value(check.kpi, check.actual, campaign.currency),
        })
    return rows


def _audience(campaign: Campaign) -> list[tuple[str, str]]:
    """The target audience in words, only what was set."""
    names = Locale.parse(str(get_locale() or "en"))
    split = service.split_codes
    rows = [
        (_("Platforms"), ", ".join(label("platform", p) for p in split(campaign.target_platforms))),
        (_("Countries"), ", ".join(names.territories.get(c, c)
                                   for c in split(campaign.target_countries))),
        (_("Age bands"), ", ".join(split(campaign.target_age_bands))),
        (_("Languages"), ", ".join(names.languages.get(c, c)
                                   for c in split(campaign.target_languages))),
        (_("Interests"), campaign.target_interests or ""),
    ]
    if campaign.target_gender:
        gender = label("gender", campaign.target_gender)
        share = campaign.target_gender_share
        rows.insert(2, (_("Gender"), _("%(gender)s, at least %(share)s", gender=gender,
                                       share=percent(share)) if share is not None else gender))
    return [(name, value) for name, value in rows if value]


def _history(campaign: Campaign) -> list[AuditEvent]:
    """The campaign's, its participants', operations' and contracts' events."""
    return events_for("campaign", campaign.id, limit=60)


@bp.get("/<int:campaign_id>")
@role_required("viewer")
def show(campaign_id: int):
    campaign = campaign_or_404(campaign_id)
    kpis = campaign_kpis(campaign.id)
    deals = compliance.deal_rows(campaign)
    return render_template(
        "campaigns/show.html", campaign=campaign, kpis=kpis,
        kpi_rows=_kpi_rows(campaign, kpis), deals=deals, audience=_audience(campaign),
        warnings=compliance.warnings(campaign, deals), history=_history(campaign),
        over_budget=campaign.budget_cents is not None
        and kpis.committed_cents > campaign.budget_cents,
        threshold_currency=compliance.THRESHOLD_CURRENCY,
    )


# --- create and edit --------------------------------------------------------------------

@bp.route("/new", methods=["GET", "POST"])
@role_required("member")
def new():
    form = CampaignForm(owner=current_user, new=True)
    if not form.is_submitted():
        form.owner_id.data = str(current_user.id)
        brand = request.args.get("brand", "")
        if brand in {value for value, _text in form.brand_id.choices}:
            form.brand_id.data = brand
    elif form.validate():
        try:
            campaign = service.create_campaign(form.values())
        except ServiceError as error:
            form.form_errors.append(str(error))
        else:
            flash(_("Campaign %(name)s created.", name=campaign.name), "success")
            return redirect(url_for("campaigns.show", campaign_id=campaign.id))
    status = 400 if form.is_submitted() else 200
    return render_template("campaigns/form.html", form=form, campaign=None), status


@bp.route("/<int:campaign_id>/edit", methods=["GET", "POST"])
@role_required("member")
def edit(campaign_id: int):
    campaign = campaign_or_404(campaign_id)
    if request.method != "POST":
        form = CampaignForm(data=CampaignForm.data_of(campaign), campaign=campaign,
                            owner=campaign.owner, formdata=None)
        return render_template("campaigns/form.html", form=form, campaign=campaign)
    form = CampaignForm(campaign=campaign, owner=campaign.owner)
    if form.validate():
        try:
            conflict_page = _save(campaign, form)
        except ServiceError as error:
            form.form_errors.append(str(error))
        else:
            if conflict_page:
                return conflict_page
            flash(_("Changes saved."), "success")
            return redirect(url_for("campaigns.show", campaign_id=campaign.id))
    return render_template("campaigns/form.html", form=form, campaign=campaign), 400


def _save(campaign: Campaign, form: CampaignForm):
    """Save; on a stale version, the conflict page (or, when the other save changed none of
    the form's fields, save over it)."""
    data = form.values()
    try:
        service.update_campaign(campaign, data, form.expected_version())
    except Conflict as conflict:
        rows = _conflict_rows(form, conflict.current, conflict.submitted)
        if any(row["differs"] for row in rows):
            return render_template(
                "campaigns/conflict.html", campaign=conflict.current, rows=rows,
                resubmit=[(k, v) for k, v in request.form.items(multi=True)
                          if k not in {"csrf_token", "version"}]), 409
        service.update_campaign(conflict.current, data, conflict.current.version)
    return None


def _shown(name: str, value, currency: str) -> str:
    if value in (None, "", {}, []):
        return "—"
    if name == "brand_id":
        brand = db.session.get(Brand, value)
        return brand.name if brand else "—"
    if name == "owner_id":
        user = db.session.get(User, value)
        return user.name if user else "—"
    if name in ("objective", "sector"):
        return label(name, value)
    if name == "status":
        return label("campaign_status", value)
    if name in ("starts_on", "ends_on"):
        return day(value)
    if name == "budget_cents":
        return money(value, currency)
    if name == "target_gender_share":
        return percent(value)
    if name == "target_gender":
        return label("gender", value)
    if name == "kpi_targets":
        return "; ".join(f"{label('kpi', code)}: {_kpi_value(code, target, currency)}"
                         for code, target in sorted(value.items()))
    return str(value)


def _conflict_rows(form: CampaignForm, saved: Campaign, mine: dict) -> list[dict]:
    rows = []
    for name in service.FIELDS:
        theirs = getattr(saved, name)
        text = _("KPI targets") if name == "kpi_targets" else form[name].label.text
        rows.append({
            "label": text, "mine": _shown(name, mine.get(name), mine.get("currency")),
            "saved": _shown(name, theirs, saved.currency),
            "differs": (mine.get(name) or None) != (theirs or None),
        })
    return rows


# --- trash ------------------------------------------------------------------------------

add_trash_views(bp, Trash(
    key="campaign_id", load=service.get_campaign, delete=service.delete_campaign,
    restore=service.restore_campaign,
    moved=lambda campaign: _("Campaign %(name)s moved to the trash.", name=campaign.name),
    restored=lambda campaign: _("Campaign %(name)s restored.", name=campaign.name),
    index="campaigns.index", show="campaigns.show"))


# The other modules whose views attach to bp when they are imported.
VIEW_MODULES = (batch_routes, candidate_views, metrics_views, operation_views, participant_views,
                report_views)


def register(app: Flask) -> None:
    app.register_blueprint(bp)
