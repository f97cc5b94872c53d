"""Campaign views: operations (the campaign's tab, one operation, plan/edit), the approval
workflow, the "to approve" / "changes requested" lists and the editorial calendar."""

from __future__ import annotations

from datetime import date

from babel.dates import format_interval, get_day_names
from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import format_date, get_locale
from flask_babel import gettext as _
from flask_login import current_user

from app.auth.users import team
from app.brands.service import brand_choices
from app.campaigns.blueprint import bp, campaign_or_404
from app.campaigns.operations import lists, service
from app.campaigns.operations.forms import (
    CalendarFilterForm,
    MetricsForm,
    OperationFilterForm,
    OperationForm,
    PublishForm,
    ReviewForm,
    StepForm,
)
from app.campaigns.report.figures import campaign_kpis
from app.core.errors import Conflict, NotFound, ServiceError
from app.core.pagination import parse_page
from app.i18n.labels import label
from app.security import role_required, safe_next_url

BASE = "/<int:campaign_id>/operations"
ONE = BASE + "/<int:operation_id>"


@bp.app_context_processor
def _approval_badge():
    # A function, not a number: only the managers' menu calls it (one statement counts
    # the operations and the contracts waiting).
    return {"approvals_waiting": lists.approvals_waiting}


def _operation(campaign_id: int, operation_id: int):
    try:
        return service.get_operation(campaign_id, operation_id)
    except NotFound:
        abort(404)


def _page_url(operation) -> str:
    return url_for("campaigns.operation", campaign_id=operation.campaign_id,
                   operation_id=operation.id)


# --- the operations tab ---------------------------------------------------------------------

@bp.get(BASE)
@role_required("viewer")
def operations(campaign_id: int):
    campaign = campaign_or_404(campaign_id)
    form = OperationFilterForm(formdata=request.args)
    form.validate()
    filters = form.clean()
    sort = request.args.get("sort", "date")
    if sort.lstrip("-") not in lists.SORTS:
        sort = "date"
    args = {**filters, "sort": sort}
    page = lists.list_operations(campaign.id, filters, sort, parse_page(request.args.get("page")),
                                 current_app.config["RELAIS_PAGE_SIZE"],
                                 {"campaign_id": campaign.id, **args})
    counts = lists.status_counts(campaign.id)
    return render_template(
        "campaigns/operations.html", campaign=campaign, form=form, page=page, sort=sort,
        args={"campaign_id": campaign.id, **filters}, filtered=bool(filters), counts=counts,
        kpis=campaign_kpis(campaign.id).by_operation if page.items else {})


@bp.route(BASE + "/new", methods=["GET", "POST"])
@role_required("member")
def plan_operation(campaign_id: int):
    campaign = campaign_or_404(campaign_id)
    participants = service.participant_options(campaign.id)
    form = OperationForm(participants=participants, platforms=service.platform_choices(campaign),
                         new=True)
    if request.method == "GET" and request.args.get("participant"):
        form.participant_id.data = request.args["participant"][:20]
    if form.validate_on_submit():
        try:
            operation = service.plan_operation(campaign, form.values(), current_user)
        except ServiceError as error:
            flash(str(error), "error")
        else:
            flash(_("Operation planned."), "success")
            _warn_dates(operation)
            return redirect(_page_url(operation))
    status = 400 if request.method == "POST" else 200
    return render_template("campaigns/operation_form.html", form=form, campaign=campaign,
                           operation=None, participants=participants), status


def _warn_dates(operation) -> None:
    warning = service.date_warning(operation.campaign, operation.planned_on)
    if warning:
        flash(warning, "warning")


@bp.route(ONE + "/edit", methods=["GET", "POST"])
@role_required("member")
def edit_operation(campaign_id: int, operation_id: int):
    operation = _operation(campaign_id, operation_id)
    if not service.can("edit", operation, current_user):
        flash(_("This operation is %(status)s: it can no longer be edited.",
                status=label("operation_status", operation.status)), "error")
        return redirect(_page_url(operation))
    participants = service.participant_options(campaign_id, keep=operation.participant_id)
    form = OperationForm(obj=operation, participants=participants,
                         platforms=service.platform_choices(operation.campaign,
                                                            keep=operation.platform))
    if request.method == "GET":
        form.participant_id.data = str(operation.participant_id)
        form.version.data = str(operation.version)
    elif form.validate_on_submit():
        try:
            resubmitted = service.update_operation(operation, form.values(),
                                                   form.expected_version(), current_user)
        except Conflict as conflict:
            return _conflict_page(form, conflict, participants)
        except ServiceError as error:
            flash(str(error), "error")
        else:
            flash(_("Changes saved."), "success")
            if resubmitted:
                flash(_("The brief or caption changed: the operation is back in the approval "
                        "queue."), "warning")
            _warn_dates(operation)
            return redirect(_page_url(operation))
    status = 400 if request.method == "POST" else 200
    return render_template("campaigns/operation_form.html", form=form, campaign=operation.campaign,
                           operation=operation, participants=participants), status


def _conflict_page(form: OperationForm, conflict: Conflict, participants):
    saved = conflict.current
    names = {p.id: p.name for p in participants}
    shown = {
        "participant_id": lambda v: names.get(v, v),
        "kind": lambda v: label("operation_kind", v),
        "platform": lambda v: label("platform", v),
    }
    rows = []
    for name in OperationForm.FIELDS:
        mine, theirs = conflict.submitted.get(name), getattr(saved, name)
        show = shown.get(name, lambda v: v)
        rows.append({"label": form[name].label.text,
                     "mine": show(mine) if mine is not None else None,
                     "saved": show(theirs) if theirs is not None else None,
                     "differs": (mine or None) != (theirs or None)})
    return render_template("campaigns/operation_conflict.html", operation=saved, rows=rows,
                           resubmit=list(conflict.submitted.items())), 409


@bp.post(ONE + "/delete")
@role_required("member")
def delete_operation(campaign_id: int, operation_id: int):
    operation = _operation(campaign_id, operation_id)
    try:
        service.delete_operation(operation, current_user)
    except ServiceError as error:
        flash(str(error), "error")
        return redirect(_page_url(operation))
    flash(_("Operation deleted."), "success")
    return redirect(url_for("campaigns.operations", campaign_id=campaign_id))


# --- one operation and its workflow -------------------------------------------------------------

@bp.get(ONE)
@role_required("viewer")
def operation(campaign_id: int, operation_id: int):
    return _operation_page(_operation(campaign_id, operation_id))


def _operation_page(operation, status: int = 200, **forms):
    publish_form = forms.get("publish_form") or PublishForm(formdata=None)
    if publish_form.published_on.data is None and not forms.get("publish_form"):
        publish_form.published_on.data = date.today()
    metrics_form = forms.get("metrics_form")
    if metrics_form is None:
        metrics_form = MetricsForm(formdata=None)
        metrics_form.fill(operation)
    for form in (publish_form, metrics_form):
        form.version.data = str(operation.version)
    kpis = campaign_kpis(operation.campaign_id).by_operation.get(operation.id)
    allowed = {action for action in ("submit", "approve", "request_changes", "publish",
                                     "edit", "delete", "metrics")
               if service.can(action, operation, current_user)}
    return render_template(
        "campaigns/operation.html", operation=operation, campaign=operation.campaign,
        allowed=allowed, kpis=kpis, step_form=StepForm(formdata=None),
        review_form=forms.get("review_form") or ReviewForm(formdata=None),
        publish_form=publish_form, metrics_form=metrics_form,
        date_warning=service.date_warning(operation.campaign, operation.planned_on),
        # Said before the form is filled in, not only after it is refused.
        publish_warning=(service.publication_problem(operation, date.today())
                         if operation.status == "approved" else None),
    ), status


def _after_step(operation):
    return redirect(safe_next_url(request.form.get("next")) or _page_url(operation))


def _run_step(operation, action, *args, **kwargs):
    """Run a workflow step; refusals become messages (403 for a role refusal)."""
    try:
        getattr(service, action)(operation, current_user, *args, **kwargs)
    except service.NotAllowed:
        abort(403)
    except service.Stale as error:
        flash(str(error), "warning")
        return redirect(_page_url(operation))
    except ServiceError as error:
        flash(str(error), "error")
        return redirect(_page_url(operation))
    return None


def _button_step(campaign_id: int, operation_id: int, action: str, done: str):
    """A step that is only a button (StepForm: the version the page was shown at)."""
    operation = _operation(campaign_id, operation_id)
    form = StepForm()
    if not form.validate_on_submit():
        abort(400)
    refused = _run_step(operation, action, expected_version=form.expected_version())
    if refused:
        return refused
    flash(done, "success")
    return _after_step(operation)


@bp.post(ONE + "/submit")
@role_required("member")
def submit_operation(campaign_id: int, operation_id: int):
    return _button_step(campaign_id, operation_id, "submit",
                        _("Submitted for approval: a manager will review it."))


@bp.post(ONE + "/approve")
@role_required("manager")
def approve_operation(campaign_id: int, operation_id: int):
    return _button_step(campaign_id, operation_id, "approve",
                        _("Operation approved: it can now be published."))


@bp.post(ONE + "/request-changes")
@role_required("manager")
def request_changes(campaign_id: int, operation_id: int):
    operation = _operation(campaign_id, operation_id)
    form = ReviewForm()
    if not form.validate_on_submit():
        return _operation_page(operation, 400, review_form=form)
    refused = _run_step(operation, "request_changes", form.comment.data,
                        expected_version=form.expected_version())
    if refused:
        return refused
    flash(_("Changes requested: the team will see your comment."), "success")
    return _after_step(operation)


@bp.post(ONE + "/publish")
@role_required("member")
def publish_operation(campaign_id: int, operation_id: int):
    operation = _operation(campaign_id, operation_id)
    if operation.status != "approved":
        # Checked before the form: an unapproved operation never gets a publication form.
        return _run_step(operation, "publish", None, None) or redirect(_page_url(operation))
    form = PublishForm()
    if not form.validate_on_submit():
        return _operation_page(operation, 400, publish_form=form)
    try:
        after = service.publish(operation, current_user, form.published_url.data,
                                form.published_on.data, metrics=form.metrics(),
                                expected_version=form.expected_version())
    except service.NotAllowed:
        abort(403)
    except service.Stale as error:
        flash(str(error), "warning")
        return redirect(_page_url(operation))
    except ServiceError as error:  # kept on the page with what was typed
        form.form_errors.append(str(error))
        return _operation_page(operation, 400, publish_form=form)
    flash(_("Operation marked published."), "success")
    if after.message:
        flash(after.message, "info" if after.moved else "warning")
    return redirect(_page_url(operation))


@bp.post(ONE + "/metrics")
@role_required("member")
def operation_metrics(campaign_id: int, operation_id: int):
    operation = _operation(campaign_id, operation_id)
    form = MetricsForm()
    if operation.status == "published" and not form.validate_on_submit():
        return _operation_page(operation, 400, metrics_form=form)
    refused = _run_step(operation, "record_metrics", form.metrics(),
                        expected_version=form.expected_version())
    if refused:
        return refused
    flash(_("Metrics saved."), "success")
    return redirect(_page_url(operation))


# --- across campaigns -------------------------------------------------------------------------

APPROVAL_LISTS = ("approve", "contracts", "changes")


@bp.get("/approvals")
@role_required("viewer")
def approvals():
    default = "approve" if current_user.has_role("manager") else "changes"
    which = request.args.get("list", default)
    which = which if which in APPROVAL_LISTS else default
    number, size = parse_page(request.args.get("page")), current_app.config["RELAIS_PAGE_SIZE"]
    mine = request.args.get("mine") == "1"
    waiting = lists.waiting()
    if which == "approve":
        page = lists.approval_queue(number, size, total=waiting.operations)
    elif which == "contracts":
        page = lists.contract_queue(number, size, total=waiting.contracts)
    else:
        page = lists.changes_requested(number, size, current_user.id if mine else None)
    return render_template("campaigns/approvals.html", page=page, which=which, mine=mine,
                           queue_counts=waiting, review=current_user.has_role("manager"),
                           review_form=ReviewForm(formdata=None))


@bp.get("/calendar")
@role_required("viewer")
def calendar():
    form = CalendarFilterForm(formdata=request.args, campaigns=lists.campaign_choices(),
                              brands=brand_choices(), team=team())
    form.validate()
    filters = form.clean()
    try:
        anchor = date.fromisoformat(request.args.get("date", "")[:10])
    except ValueError:
        anchor = date.today()
    # No view asked: the month, and the agenda in its place on a phone (calendar.css).
    auto = request.args.get("view") not in lists.VIEWS
    span = lists.calendar_range(request.args.get("view", "month"), anchor)
    found = lists.calendar_operations(span.start, span.end, filters)
    unscheduled, more_unscheduled = lists.unscheduled_operations(filters)
    filter_args = {k: v for k, v in request.args.items()
                   if k in filters and k not in ("view", "date", "page")}
    return render_template("campaigns/calendar.html", span=span, found=found, form=form,
                           unscheduled=unscheduled, more_unscheduled=more_unscheduled,
                           filter_args=filter_args, today=date.today(), filtered=bool(filters),
                           auto=auto, **_calendar_words(span))


def _calendar_words(span) -> dict:
    """Day and month names in the user's language (Babel), Monday first."""
    locale = get_locale()
    wide = get_day_names("wide", context="stand-alone", locale=locale)
    short = get_day_names("abbreviated", context="stand-alone", locale=locale)
    if span.view != "week":
        title = format_date(span.anchor, "LLLL y")
    else:
        title = format_interval(span.start, span.end, "yMMMd", locale=locale)
    return {"day_names": [(wide[i], short[i]) for i in range(7)],
            "title": title[:1].upper() + title[1:]}
