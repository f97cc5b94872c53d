"""Campaign views: participants — the pipeline board and table, adding influencers (picked
from a search, or every match of a filtered list's address), moves, fees, removal.

Moves post a plain form (works without JavaScript); board.js sends the same form with
`Accept: application/json` and swaps in the re-rendered board instead of reloading.
"""

from __future__ import annotations

from flask import abort, flash, jsonify, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user

from app.campaigns.blueprint import bp, campaign_or_404
from app.campaigns.participants import bulk_add_views, service
from app.campaigns.participants.forms import ListFilterForm, MoveForm, SearchForm, TermsForm
from app.core.errors import Conflict, NotFound, ServiceError
from app.errors import wants_json
from app.i18n.formats import money
from app.i18n.labels import label
from app.influencers import bulk as influencer_bulk
from app.influencers import query as listing
from app.models.campaign import STAGES
from app.security import role_required

# The other module whose views attach to bp when this one is imported.
VIEW_MODULES = (bulk_add_views,)
SEARCH_PAGE = 20
SORTS = {
    "name": lambda c: c.participant.influencer.display_name.casefold(),
    "stage": lambda c: STAGES.index(c.participant.stage) if c.participant.stage in STAGES else 99,
    "proposed": lambda c: c.participant.proposed_fee_cents,
    "agreed": lambda c: c.participant.agreed_fee_cents,
    "operations": lambda c: c.operations,
    "notes": lambda c: (c.participant.notes or "").casefold() or None,
}


def _participant(campaign, participant_id: int):
    try:
        return service.get_participant(campaign, participant_id)
    except NotFound:
        abort(404)


def _view() -> str:
    return "table" if request.values.get("view") == "table" else "board"


def _back(campaign, participant_id: int | None = None, **args):
    anchor = f"#participant-{participant_id}" if participant_id else ""
    view = {"view": "table"} if _view() == "table" else {}
    return redirect(url_for("campaigns.participants", campaign_id=campaign.id, **view, **args)
                    + anchor)


def _sorted(cards, sort: str):
    key = SORTS.get(sort.lstrip("-"), SORTS["stage"])
    known = [c for c in cards if key(c) is not None]
    unknown = [c for c in cards if key(c) is None]  # empty values last, both ways
    return sorted(known, key=key, reverse=sort.startswith("-")) + unknown


def _terms_form(participant) -> TermsForm:
    return TermsForm(formdata=None, data={
        "proposed_fee_cents": participant.proposed_fee_cents,
        "agreed_fee_cents": participant.agreed_fee_cents,
        "notes": participant.notes, "version": participant.version})


def _board_context(campaign) -> dict:
    cards = service.cards(campaign)
    columns = {stage: [] for stage in STAGES}
    for card in cards:
        columns.setdefault(card.participant.stage, []).append(card)
    return {"campaign": campaign, "cards": cards, "columns": columns, "stages": STAGES,
            "budget": service.budget_of(campaign, cards),
            "can_edit": current_user.has_role("member")}


def _search_context(campaign) -> dict:
    if not current_user.has_role("member"):
        return {}
    search = SearchForm(formdata=request.args if "q" in request.args else None)
    found = None
    taken: set[int] = set()
    if "q" in request.args:
        search.validate()
        filters = search.filters()
        if filters:
            args = {"campaign_id": campaign.id, **filters}
            found, _capped = listing.list_page(filters, current_user.id, "name",
                                               request.args.get("page"), SEARCH_PAGE, args)
            taken = service.in_campaign(campaign, [i.id for i in found.items])
    listing_form = ListFilterForm(formdata=request.args if "address" in request.args else None,
                                  meta={"csrf": False})
    preview = None
    if "address" in request.args and listing_form.validate():
        preview = service.preview_matching(campaign, listing_form.filters, current_user.id)
    return {"search": search, "found": found, "taken": taken, "listing": listing_form,
            "preview": preview}


def _page(campaign, view: str, editing: tuple[int, TermsForm] | None = None, status: int = 200):
    context = _board_context(campaign)
    sort = request.args.get("sort", "stage")
    if sort.lstrip("-") not in SORTS:
        sort = "stage"
    forms = {}
    if view == "table":
        context["cards"] = _sorted(context["cards"], sort)
        forms = {c.participant.id: _terms_form(c.participant) for c in context["cards"]}
        if editing:
            forms[editing[0]] = editing[1]
    return render_template(
        "campaigns/participants.html", view=view, sort=sort, terms_forms=forms,
        sort_args={"campaign_id": campaign.id, "view": "table"}, bulk_max=service.BULK_MAX,
        **context, **_search_context(campaign)), status


@bp.get("/<int:campaign_id>/participants")
@role_required("viewer")
def participants(campaign_id: int):
    return _page(campaign_or_404(campaign_id), _view())


# --- adding --------------------------------------------------------------------------------

@bp.post("/<int:campaign_id>/participants/add")
@role_required("member")
def add_participants(campaign_id: int):
    campaign = campaign_or_404(campaign_id)
    ids = influencer_bulk.parse_ids(request.form.getlist("ids"))
    try:
        result = service.add_influencers(campaign, ids, current_user)
    except ServiceError as error:
        flash(str(error), "error")
    else:
        report_added(result)
    return _back(campaign)


@bp.post("/<int:campaign_id>/participants/add-matching")
@role_required("member")
def add_matching_participants(campaign_id: int):
    campaign = campaign_or_404(campaign_id)
    form = ListFilterForm()
    if not form.validate():
        for errors in form.errors.values():
            for error in errors:
                flash(str(error), "error")
        return _back(campaign, address=(request.form.get("address") or "")[:2000])
    try:
        result = service.add_matching(campaign, form.filters, current_user)
    except ServiceError as error:
        flash(str(error), "error")
        return _back(campaign, address=form.address.data)
    report_added(result)
    return _back(campaign)


def report_added(result: service.AddResult) -> None:
    if result.added:
        flash(ngettext("%(num)d influencer added to the campaign.",
                       "%(num)d influencers added to the campaign.", result.added), "success")
    if result.already:
        flash(ngettext("%(num)d was already in the campaign: skipped.",
                       "%(num)d were already in the campaign: skipped.", result.already))
    if result.gone:
        flash(ngettext("%(num)d is in the trash or no longer exists: skipped.",
                       "%(num)d are in the trash or no longer exist: skipped.", result.gone))
    if result.do_not_contact:
        names = ", ".join(result.do_not_contact[:20])
        more = len(result.do_not_contact) - 20
        if more > 0:
            names += " " + ngettext("and %(num)d other", "and %(num)d others", more)
        flash(_("Not added, marked “do not contact”: %(names)s.", names=names), "warning")
    if not (result.added or result.already or result.gone or result.do_not_contact):
        flash(_("Nobody was added."))


# --- changing ------------------------------------------------------------------------------

def _fragments(campaign) -> dict:
    context = _board_context(campaign)
    return {"board": render_template("campaigns/_board.html", **context),
            "budget": render_template("campaigns/_participant_budget.html", **context)}


def _refused(campaign, message: str, status: int):
    if wants_json():
        return jsonify(error={"code": status, "message": message}, **_fragments(campaign)), status
    flash(message, "error")
    return _page(campaign, _view(), status=status)


def _over_budget(campaign) -> str:
    budget = service.budget_of(campaign)
    return _("The agreed fees now exceed the campaign budget by %(amount)s.",
             amount=money(budget.committed_cents - (budget.budget_cents or 0), campaign.currency))


@bp.post("/<int:campaign_id>/participants/<int:participant_id>/stage")
@role_required("member")
def move_participant(campaign_id: int, participant_id: int):
    campaign = campaign_or_404(campaign_id)
    participant = _participant(campaign, participant_id)
    form = MoveForm()
    if not form.validate():
        return _refused(campaign, _("Unknown stage: choose one of the board's columns."), 400)
    try:
        over = service.change_stage(participant, form.stage.data, current_user, form.expected(),
                                    confirmed=form.confirmed())
    except service.NeedsConfirmation as question:
        return _confirm_move(campaign, participant, form, str(question))
    except service.MovedMeanwhile as error:
        return _refused(campaign, str(error), 409)
    except ServiceError as error:
        return _refused(campaign, str(error), 400)
    message = _("%(name)s moved to “%(stage)s”.", name=participant.influencer.display_name,
                stage=label("stage", participant.stage))
    warning = _over_budget(campaign) if over else None
    if wants_json():
        return jsonify(message=message, warning=warning, participant=participant.id,
                       **_fragments(campaign))
    flash(message, "success")
    if warning:
        flash(warning, "warning")
    return _back(campaign, participant.id)


def _confirm_move(campaign, participant, form: MoveForm, question: str):
    """The move asks first: board.js gets the question (409) and re-posts with confirm=1
    after the browser's confirm dialog; without JavaScript, a page asks it with a form."""
    if wants_json():
        return jsonify(confirm={"message": question, "field": "confirm", "value": "1"},
                       participant=participant.id), 409
    return render_template("campaigns/participant_confirm.html", campaign=campaign,
                           participant=participant, question=question, form=form,
                           view=_view())


@bp.post("/<int:campaign_id>/participants/<int:participant_id>/terms")
@role_required("member")
def participant_terms(campaign_id: int, participant_id: int):
    campaign = campaign_or_404(campaign_id)
    participant = _participant(campaign, participant_id)
    form = TermsForm()
    if not form.validate():
        flash(_("%(name)s: please correct the fields marked in the table.",
                name=participant.influencer.display_name), "error")
        return _page(campaign, "table", editing=(participant.id, form), status=400)
    try:
        over = service.update_terms(participant, form.values(), form.expected_version(),
                                    current_user)
    except Conflict as conflict:
        return _conflict(campaign, participant, form, conflict)
    flash(_("%(name)s: fees and notes saved.", name=participant.influencer.display_name),
          "success")
    if over:
        flash(_over_budget(campaign), "warning")
    return redirect(url_for("campaigns.participants", campaign_id=campaign.id, view="table")
                    + f"#participant-{participant.id}")


def _conflict(campaign, participant, form: TermsForm, conflict: Conflict):
    saved = conflict.current
    rows = []
    for name in service.TERMS:
        mine, theirs = conflict.submitted.get(name), getattr(saved, name)
        shown = (lambda v: money(v, campaign.currency)) if name.endswith("_cents") else (
            lambda v: v)
        rows.append({"label": form[name].label.text, "mine": shown(mine) if mine else mine,
                     "saved": shown(theirs) if theirs else theirs,
                     "differs": (mine or None) != (theirs or None)})
    resubmit = [(name, request.form.get(name, "")) for name in service.TERMS]
    return render_template("campaigns/participant_conflict.html", campaign=campaign,
                           participant=saved, rows=rows, resubmit=resubmit), 409


@bp.post("/<int:campaign_id>/participants/<int:participant_id>/delete")
@role_required("member")
def remove_participant(campaign_id: int, participant_id: int):
    campaign = campaign_or_404(campaign_id)
    participant = _participant(campaign, participant_id)
    name = participant.influencer.display_name
    try:
        service.remove(participant, current_user)
    except ServiceError as error:
        flash(str(error), "error")
        return _back(campaign, participant.id)
    flash(_("%(name)s removed from the campaign.", name=name), "success")
    return _back(campaign)
