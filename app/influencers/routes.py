"""Influencer profile, editing, accounts and audience snapshots, timeline, trash, GDPR."""

from __future__ import annotations

from datetime import UTC, date, datetime, time

from babel import Locale
from flask import Flask, abort, flash, redirect, render_template, request, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user
from markupsafe import Markup, escape

from app.core.errors import Conflict, NotFound, ServiceError
from app.core.pagination import paginate
from app.core.trash import Trash, add_trash_views
from app.extensions import db
from app.i18n.formats import day
from app.i18n.labels import label
from app.influencers import gdpr_routes, interactions, list_routes, saved_view_routes, service
from app.influencers.blueprint import bp, influencer_or_404
from app.influencers.forms import (
    AccountForm,
    EraseForm,
    InfluencerForm,
    InteractionForm,
    NewInfluencerForm,
    SnapshotForm,
)
from app.models import Influencer, SocialAccount, User
from app.models.influencer import AGE_BANDS, GENDERS
from app.scoring import explain as score_explain
from app.security import role_required, safe_next_url

# Fields of the conflict page, in form order, with the label group of coded values.
CONFLICT_FIELDS = (
    ("display_name", None), ("legal_name", None), ("kind", "kind"), ("email", None),
    ("phone", None), ("address", None), ("city", None), ("country", "country"),
    ("tax_country", "country"), ("languages", None), ("date_of_birth", "date"),
    ("agent_name", None), ("agent_email", None), ("owner_id", "owner"),
    ("status", "status"), ("tags", None), ("notes", None), ("data_source", "data_source"),
    ("data_source_detail", None), ("lawful_basis", "lawful_basis"),
    ("informed_on", "date"), ("consent_on", "date"),
)


def _load_account(influencer: Influencer, account_id: int) -> SocialAccount:
    account = db.session.get(SocialAccount, account_id)
    if account is None or account.influencer_id != influencer.id:
        abort(404)
    return account


def _duplicate_message(error: service.DuplicateAccount) -> Markup:
    """The form error with a link to the record that already has the account; the name is
    escaped by Markup's formatting."""
    target = (url_for("influencers.trash") if error.in_trash
              else url_for("influencers.show", influencer_id=error.influencer_id))
    link = Markup('<a href="{}">{}</a>').format(target, error.influencer_name)
    text = (_("This account already belongs to %(link)s (in the trash).") if error.in_trash
            else _("This account already belongs to %(link)s."))
    return escape(text) % {"link": link}


# --- create, show, edit ----------------------------------------------------------------

@bp.route("/new", methods=["GET", "POST"])
@role_required("member")
def create():
    form = NewInfluencerForm(owner=current_user)
    if not form.is_submitted():
        form.owner_id.data = str(current_user.id)
    elif form.validate():
        account = form.first_account()
        try:
            influencer = service.create_influencer(
                form.identity(), [account] if account else [],
                service.parse_tags(form.tags.data), current_user,
            )
        except service.DuplicateAccount as error:
            form.account_handle.errors.append(_duplicate_message(error))
            return render_template("influencers/form.html", form=form, influencer=None), 409
        except ServiceError as error:
            form.form_errors.append(str(error))
        else:
            flash(_("%(name)s was added.", name=influencer.display_name), "success")
            return redirect(url_for("influencers.show", influencer_id=influencer.id))
    status = 400 if form.is_submitted() else 200
    return render_template("influencers/form.html", form=form, influencer=None), status


@bp.get("/<int:influencer_id>")
@role_required("viewer")
def show(influencer_id: int):
    return _render_profile(influencer_or_404(influencer_id))


def _render_profile(influencer: Influencer, interaction_form: InteractionForm | None = None,
                    status: int = 200):
    do_not_contact = influencer.status == "do_not_contact"
    form = interaction_form or InteractionForm(do_not_contact=do_not_contact, formdata=None)
    return render_template(
        "influencers/show.html", influencer=influencer,
        charts={a.id: _audience_charts(a) for a in influencer.accounts},
        timeline=interactions.timeline(influencer), recent=service.history(influencer, 50),
        interaction_form=form, erase_form=EraseForm(formdata=None),
        do_not_contact=do_not_contact, today=date.today(),
        explanation=score_explain.explain(influencer.id),
    ), status


def _country_name(code: str) -> str:
    return Locale.parse(str(get_locale() or "en")).territories.get(code, code)


def _audience_charts(account: SocialAccount) -> dict:
    """Labels and values for the canvases of one account: the latest snapshot's shares per
    dimension, and followers across every snapshot (growth)."""
    snapshots = list(account.snapshots)
    growth = [s for s in snapshots if s.followers is not None]
    charts = {
        "latest": next((s for s in snapshots if s.is_latest), None),
        "growth": ([day(s.taken_on, "short") for s in growth], [s.followers for s in growth]),
        "count": len(snapshots),
    }
    latest = charts["latest"]
    shares = latest.by_dimension() if latest else {}
    order = {"gender": GENDERS, "age": AGE_BANDS}
    for dimension in ("gender", "age", "country", "interest", "language"):
        rows = shares.get(dimension, [])
        if dimension in order:
            rows = sorted(rows, key=lambda s, o=order[dimension]: (
                o.index(s.key) if s.key in o else len(o), s.key))
        names = {
            "gender": lambda k: label("gender", k),
            "country": _country_name,
        }.get(dimension, str)
        charts[dimension] = ([names(s.key) for s in rows], [round(s.share, 4) for s in rows])
    return charts


def _form_data(influencer: Influencer) -> dict:
    data = {key: getattr(influencer, key) for key, _group in CONFLICT_FIELDS}
    data["owner_id"] = str(influencer.owner_id) if influencer.owner_id else ""
    data["tags"] = ", ".join(influencer.tag_names)
    data["languages"] = ", ".join((influencer.languages or "").split(","))
    data["country"] = influencer.country or ""
    data["tax_country"] = influencer.tax_country or ""
    data["version"] = influencer.version
    return data


@bp.route("/<int:influencer_id>/edit", methods=["GET", "POST"])
@role_required("member")
def edit(influencer_id: int):
    influencer = influencer_or_404(influencer_id)
    if request.method != "POST":
        form = InfluencerForm(data=_form_data(influencer), owner=influencer.owner,
                              formdata=None)
        return render_template("influencers/form.html", form=form, influencer=influencer)
    form = InfluencerForm(owner=influencer.owner)
    if not form.validate():
        return render_template("influencers/form.html", form=form, influencer=influencer), 400
    data, tags = form.identity(), service.parse_tags(form.tags.data)
    try:
        service.update_influencer(influencer, data, form.expected_version(), tags)
    except Conflict as conflict:
        rows = _conflict_rows(conflict.current, data, tags)
        if not any(row["differs"] for row in rows):
            # Only bookkeeping changed in between (e.g. an account's figures): no real clash.
            service.update_influencer(conflict.current, data, conflict.current.version, tags)
        else:
            return render_template(
                "influencers/conflict.html", influencer=conflict.current, rows=rows,
                resubmit=[(k, v) for k, v in request.form.items(multi=True)
                          if k not in {"csrf_token", "version"}],
            ), 409
    flash(_("Changes saved."), "success")
    return redirect(url_for("influencers.show", influencer_id=influencer.id))


def _shown(group: str | None, value) -> str:
    if value is None or value == "" or value == []:
        return "—"
    if group == "date":
        return day(value)
    if group == "country":
        return _country_name(value)
    if group == "owner":
        user = db.session.get(User, value)
        return user.name if user else "—"
    if group:
        return label(group, value)
    return str(value)


def _conflict_rows(current: Influencer, data: dict, tags: list[str]) -> list[dict]:
    form = InfluencerForm(formdata=None)
    rows = []
    for key, group in CONFLICT_FIELDS:
        if key == "tags":
            mine, saved = ", ".join(sorted(tags)), ", ".join(sorted(current.tag_names))
        else:
            mine, saved = data.get(key), getattr(current, key)
        rows.append({
            "label": form[key].label.text, "mine": _shown(group, mine),
            "saved": _shown(group, saved), "differs": (mine or None) != (saved or None),
        })
    return rows


# --- social accounts and audience snapshots --------------------------------------------

@bp.route("/<int:influencer_id>/accounts", methods=["GET", "POST"])
@role_required("member")
def add_account(influencer_id: int):
    influencer = influencer_or_404(influencer_id)
    form = AccountForm(new=True)
    if form.validate_on_submit():
        try:
            account = service.add_account(influencer, form.spec())
        except service.DuplicateAccount as error:
            form.handle.errors.append(_duplicate_message(error))
        except ServiceError as error:
            form.form_errors.append(str(error))
        else:
            flash(_("Account %(handle)s added.", handle=account.handle), "success")
            return redirect(url_for("influencers.show", influencer_id=influencer.id,
                                    _anchor=f"account-{account.id}"))
    status = 400 if form.is_submitted() else 200
    return render_template("influencers/account_form.html", form=form,
                           influencer=influencer, account=None), status


@bp.route("/<int:influencer_id>/accounts/<int:account_id>/edit", methods=["GET", "POST"])
@role_required("member")
def edit_account(influencer_id: int, account_id: int):
    influencer = influencer_or_404(influencer_id)
    account = _load_account(influencer, account_id)
    if request.method != "POST":
        form = AccountForm(obj=account, formdata=None)
        form.platform.data = account.platform
        return render_template("influencers/account_form.html", form=form,
                               influencer=influencer, account=account)
    form = AccountForm()
    status = 400
    if form.validate():
        try:
            service.update_account(account, form.spec(), form.expected_version())
        except service.DuplicateAccount as error:
            form.handle.errors.append(_duplicate_message(error))
        except Conflict as conflict:
            status = 409
            form.form_errors.append(_(
                "Someone else changed this account in the meantime (now %(followers)s "
                "followers). Check your values and save again to keep them.",
                followers=conflict.current.followers if conflict.current.followers is not None
                else "—"))
            form.version.raw_data = None
            form.version.data = conflict.current.version
        except ServiceError as error:
            form.form_errors.append(str(error))
        else:
            flash(_("Account saved."), "success")
            return redirect(url_for("influencers.show", influencer_id=influencer.id,
                                    _anchor=f"account-{account.id}"))
    return render_template("influencers/account_form.html", form=form,
                           influencer=influencer, account=account), status


@bp.post("/<int:influencer_id>/accounts/<int:account_id>/delete")
@role_required("member")
def delete_account(influencer_id: int, account_id: int):
    influencer = influencer_or_404(influencer_id)
    account = _load_account(influencer, account_id)
    handle = account.handle
    service.remove_account(account)
    flash(_("Account %(handle)s removed.", handle=handle), "success")
    return redirect(url_for("influencers.show", influencer_id=influencer.id))


@bp.route("/<int:influencer_id>/accounts/<int:account_id>/snapshots/new",
          methods=["GET", "POST"])
@role_required("member")
def add_snapshot(influencer_id: int, account_id: int):
    influencer = influencer_or_404(influencer_id)
    account = _load_account(influencer, account_id)
    form = SnapshotForm()
    if not form.is_submitted():
        form.taken_on.data = date.today()
    elif form.validate():
        try:
            service.add_snapshot(account, form.taken_on.data, form.shares(),
                                 followers=form.followers.data,
                                 credibility=form.credibility.data,
                                 source=form.source.data or None)
        except ServiceError as error:
            form.form_errors.append(str(error))
        else:
            flash(_("Audience snapshot added."), "success")
            return redirect(url_for("influencers.show", influencer_id=influencer.id,
                                    _anchor=f"account-{account.id}"))
    status = 400 if form.is_submitted() else 200
    return render_template("influencers/snapshot_form.html", form=form,
                           influencer=influencer, account=account), status


# --- relationship timeline -------------------------------------------------------------

@bp.post("/<int:influencer_id>/interactions")
@role_required("member")
def add_interaction(influencer_id: int):
    influencer = influencer_or_404(influencer_id)
    form = InteractionForm(do_not_contact=influencer.status == "do_not_contact")
    if form.validate():
        when = form.occurred_on.data
        moment = (datetime.now(UTC) if when == date.today()
                  else datetime.combine(when, time(12, 0), UTC))
        try:
            interactions.add_interaction(influencer, form.kind.data, form.summary.data, moment,
                                    form.follow_up_on.data, current_user)
        except ServiceError as error:
            form.form_errors.append(str(error))
        else:
            flash(_("Added to the timeline."), "success")
            return redirect(url_for("influencers.show", influencer_id=influencer.id,
                                    _anchor="timeline"))
    return _render_profile(influencer, form, 400)


@bp.post("/<int:influencer_id>/interactions/<int:interaction_id>/done")
@role_required("member")
def follow_up_done(influencer_id: int, interaction_id: int):
    influencer = influencer_or_404(influencer_id)
    try:
        interaction = interactions.get_interaction(influencer, interaction_id)
    except NotFound:
        abort(404)
    interactions.mark_follow_up_done(interaction)
    flash(_("Follow-up marked as done."), "success")
    return redirect(safe_next_url(request.form.get("next"))
                    or url_for("influencers.show", influencer_id=influencer.id,
                               _anchor="timeline"))


# --- trash -----------------------------------------------------------------------------

add_trash_views(bp, Trash(
    key="influencer_id",
    load=lambda influencer_id, *, deleted: (service.get_any if deleted else service.get_live)(
        influencer_id),
    delete=service.delete_influencer, restore=service.restore_influencer,
    moved=lambda person: _("%(name)s was moved to the trash.", name=person.display_name),
    restored=lambda person: _("%(name)s was restored.", name=person.display_name),
    index="influencers.index", show="influencers.show", trash_page="influencers.trash"))


@bp.get("/trash")
@role_required("member")
def trash():
    page = paginate(service.trash_statement(), request.args.get("page", 1), 50)
    return render_template("influencers/trash.html", page=page, erase_form=EraseForm(
        formdata=None))


# The other modules whose views attach to bp when they are imported.
VIEW_MODULES = (gdpr_routes, list_routes, saved_view_routes)


def register(app: Flask) -> None:
    from app import field_html

    app.register_blueprint(bp)
    app.add_template_global(field_html.field, "python_field")  # the list's filter form
