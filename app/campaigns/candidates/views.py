"""Campaign views: the candidates ranked by score × audience fit, the proposal of
ambassadors for a budget, and adding the chosen ones as shortlisted participants — with the
fee estimate the page showed as their proposed fee only when the user ticks so.

The work is in fit.py and ambassadors.py beside this module; both pages are GET forms (they
compute, they change nothing), so viewers may read them; adding is a POST for members and
above.
"""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_babel import ngettext
from flask_login import current_user

from app.campaigns.blueprint import bp, campaign_or_404
from app.campaigns.candidates import ambassadors as proposals
from app.campaigns.candidates import fees as candidate_fees
from app.campaigns.candidates import fit as campaign_fit
from app.campaigns.candidates.forms import DEFAULT_COUNT, AmbassadorForm, CandidateFilterForm
from app.campaigns.participants import service as participant_service
from app.campaigns.participants.views import report_added
from app.core.errors import ServiceError
from app.core.pagination import Page, parse_page
from app.influencers import bulk as influencer_bulk
from app.scoring import rescoring as scoring
from app.security import role_required

PER_PAGE = 50
RETURN_ARGS = ("max_fee", "platform", "community", "page")


@bp.get("/<int:campaign_id>/candidates")
@role_required("viewer")
def candidates(campaign_id: int):
    campaign = campaign_or_404(campaign_id)
    run = scoring.latest_run()
    form = CandidateFilterForm(formdata=request.args, campaign=campaign,
                               communities=campaign_fit.community_choices(run))
    form.validate()  # invalid filters show their error and are not applied
    found = campaign_fit.candidates(campaign, **form.filters())
    args = form.link_args()
    total = len(found.items)
    number = min(parse_page(request.args.get("page")), max(1, -(-total // PER_PAGE)))
    start = (number - 1) * PER_PAGE
    page = Page(found.items[start:start + PER_PAGE], number, PER_PAGE, total,
                {"campaign_id": campaign.id, **args})
    return render_template("campaigns/candidates.html", campaign=campaign, form=form,
                           found=found, page=page, offset=start, return_args=args,
                           pool_max=campaign_fit.POOL,
                           can_edit=current_user.has_role("member"))


@bp.get("/<int:campaign_id>/ambassadors")
@role_required("viewer")
def ambassadors(campaign_id: int):
    campaign = campaign_or_404(campaign_id)
    asked = "budget" in request.args or "max_count" in request.args
    form = AmbassadorForm(formdata=request.args if asked else None,
                          data={"budget": proposals.default_budget(campaign),
                                "max_count": DEFAULT_COUNT})
    proposal, status = None, 200
    if asked:
        if form.validate():
            try:
                proposal = proposals.propose(campaign, form.budget.data, form.max_count.data)
            except ServiceError as error:
                flash(str(error), "error")
                status = 400
        else:
            status = 400
    return render_template("campaigns/ambassadors.html", campaign=campaign, form=form,
                           proposal=proposal, chart=_chart(proposal), run=scoring.latest_run(),
                           max_count=proposals.MAX_COUNT,
                           can_edit=current_user.has_role("member")), status


def _chart(proposal) -> dict | None:
    """Cumulative reach after each pick, for ambassadors.js (the table says the same)."""
    if not proposal or not proposal.picks:
        return None
    return {"labels": [f"{i}. {p.candidate.name}" for i, p in enumerate(proposal.picks, 1)],
            "reach": [round(p.cumulative_reach) for p in proposal.picks],
            "cost": [p.cumulative_cost_cents / 100 for p in proposal.picks]}


@bp.post("/<int:campaign_id>/candidates/add")
@role_required("member")
def add_candidates(campaign_id: int):
    campaign = campaign_or_404(campaign_id)
    # "Add all" (the proposal's every pick) or the boxes ticked.
    field = "all_ids" if request.form.get("every") else "ids"
    ids = influencer_bulk.parse_ids(request.form.getlist(field))
    try:
        proposed, changed = _confirmed_fees(campaign, ids)
        result = participant_service.add_influencers(campaign, ids, current_user,
                                                     proposed=proposed)
    except ServiceError as error:
        flash(str(error), "error")
    else:
        report_added(result)
        if changed:
            flash(ngettext(
                "The estimate of %(num)d person changed since the page was shown: their "
                "proposed fee was left empty.",
                "The estimates of %(num)d people changed since the page was shown: their "
                "proposed fees were left empty.", changed), "warning")
    if request.form.get("back") == "participants":
        return redirect(url_for("campaigns.participants", campaign_id=campaign.id))
    kept = {name: request.form[name][:40] for name in RETURN_ARGS if request.form.get(name)}
    return redirect(url_for("campaigns.candidates", campaign_id=campaign.id, **kept))


def _confirmed_fees(campaign, ids: list[int]) -> tuple[dict[int, int], int]:
    """The estimates the user chose to keep as proposed fees ("use_estimates" ticked): each
    computed again here and written only if it is the amount the page showed (`fee_<id>`)."""
    if not request.form.get("use_estimates"):
        return {}, 0
    shown = {}
    for ident in ids:
        typed = request.form.get(f"fee_{ident}", "")
        if typed.isascii() and typed.isdigit() and len(typed) <= 12:
            shown[ident] = int(typed)
    return candidate_fees.confirmed(campaign_fit.estimated_fees(campaign, ids), shown)
