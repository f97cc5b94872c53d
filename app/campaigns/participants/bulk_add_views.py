"""Campaign views: "Add to a campaign" from the influencer list (the ticked people, or every
match of its filters) or from a profile — pick the campaign and the stage, then a report
of who was added, who already was in and who was skipped, with their names."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user

from app.campaigns.blueprint import bp
from app.campaigns.participants import bulk_add
from app.campaigns.participants.bulk_add_forms import AddToCampaignForm
from app.collation import sort_key
from app.core.errors import ServiceError
from app.i18n.labels import label
from app.influencers import bulk as influencer_bulk
from app.security import role_required, safe_next_url

NAMES_SHOWN = 20  # names listed in full on the page and in each line of the report


def _back() -> str:
    return safe_next_url(request.values.get("next")) or url_for("influencers.index")


def _choose_page(form: AddToCampaignForm, people: dict[int, str], status: int = 200):
    return render_template("campaigns/add_to_campaign.html", form=form, ids=list(people),
                           people=sorted(people.values(), key=sort_key),
                           names_shown=NAMES_SHOWN, back=_back()), status


@bp.route("/add-influencers", methods=["GET", "POST"])
@role_required("member")
def add_to_campaign():
    """The choice of campaign and stage for the people posted (or linked) as `ids`."""
    try:
        people = bulk_add.names(influencer_bulk.chosen_ids(request.values, current_user.id))
    except ServiceError as error:
        flash(str(error), "error")
        return redirect(_back())
    if not people:
        flash(_("Select at least one influencer."), "error")
        return redirect(_back())
    return _choose_page(AddToCampaignForm(formdata=None, campaigns=bulk_add.open_campaigns()),
                        people)


@bp.post("/add-influencers/run")
@role_required("member")
def add_to_campaign_run():
    form = AddToCampaignForm(campaigns=bulk_add.open_campaigns())
    people = bulk_add.names(influencer_bulk.parse_ids(request.form.getlist("ids")))
    if not people:
        flash(_("Select at least one influencer."), "error")
        return redirect(_back())
    if not form.validate():
        return _choose_page(form, people, 400)
    try:
        campaign = bulk_add.open_campaign(form.campaign.data)
        report = bulk_add.add_to_campaign(campaign, list(people), form.stage.data, current_user)
    except ServiceError as error:
        flash(str(error), "error")
        return _choose_page(form, people, 400)
    flash_report(report)
    return redirect(url_for("campaigns.participants", campaign_id=campaign.id))


def _listed(names: list[str]) -> str:
    shown = ", ".join(names[:NAMES_SHOWN])
    more = len(names) - NAMES_SHOWN
    if more > 0:
        shown += " " + ngettext("and %(num)d other", "and %(num)d others", more)
    return shown


def flash_report(report: bulk_add.AddReport) -> None:
    if report.added:
        flash(ngettext("%(num)d influencer added to “%(campaign)s” at “%(stage)s”: %(names)s.",
                       "%(num)d influencers added to “%(campaign)s” at “%(stage)s”: "
                       "%(names)s.", len(report.added), campaign=report.campaign.name,
                       stage=label("stage", report.stage), names=_listed(report.added)),
              "success")
    if report.already:
        flash(ngettext("%(num)d was already in the campaign: %(names)s.",
                       "%(num)d were already in the campaign: %(names)s.", len(report.already),
                       names=_listed(report.already)))
    if report.do_not_contact:
        flash(_("Not added, marked “do not contact”: %(names)s.",
                names=_listed(report.do_not_contact)), "warning")
    if report.gone:
        flash(ngettext("%(num)d is in the trash or no longer exists: skipped.",
                       "%(num)d are in the trash or no longer exist: skipped.", report.gone))
    if not report.added:
        flash(_("Nobody was added."))
