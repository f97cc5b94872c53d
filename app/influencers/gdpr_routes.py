"""GDPR rights on the web: a person's data as one JSON file (access, portability), and the
erasure that leaves only a dated trace (managers)."""

from __future__ import annotations

from flask import abort, flash, redirect, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user

from app.core.downloads import json_attachment
from app.core.errors import NotFound
from app.influencers import gdpr, service
from app.influencers.blueprint import bp, influencer_or_404
from app.influencers.forms import EraseForm
from app.security import role_required


@bp.get("/<int:influencer_id>/export.json")
@role_required("member")
def export(influencer_id: int):
    influencer = influencer_or_404(influencer_id)
    return json_attachment(gdpr.export(influencer), f"influencer-{influencer.id}.json")


@bp.post("/<int:influencer_id>/erase")
@role_required("manager")
def erase(influencer_id: int):
    try:
        influencer = service.get_any(influencer_id)
    except NotFound:
        abort(404)
    if influencer.erased_at is not None:
        abort(404)
    form = EraseForm()
    if not form.validate():
        flash(_("Choose the reason for the erasure."), "error")
        return redirect(url_for("influencers.show", influencer_id=influencer.id)
                        if influencer.deleted_at is None else url_for("influencers.trash"))
    kept = gdpr.erase(influencer, current_user, form.reason.data)
    flash(_("The person was erased. Only a dated trace of the erasure remains."), "success")
    if kept:
        flash(ngettext(
            "Their contract was kept: a contract is a legal record the brand must keep "
            "(art. 17(3)(b) GDPR). Delete it by hand if it was never signed.",
            "Their %(num)d contracts were kept: a contract is a legal record the brand must "
            "keep (art. 17(3)(b) GDPR). Delete by hand those that were never signed.",
            kept), "info")
    return redirect(url_for("influencers.index"))
