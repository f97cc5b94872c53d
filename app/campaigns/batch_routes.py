"""Campaign views: every contract of the campaign as one ZIP, built in the background with
a progress bar (app/contracts/batches.py)."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, send_file, url_for
from flask_login import current_user

from app.campaigns.blueprint import bp
from app.campaigns.service import get_campaign
from app.contracts import batches as service
from app.contracts import tasks
from app.core.errors import NotFound, ServiceError
from app.security import role_required


def _campaign(campaign_id: int):
    try:
        return get_campaign(campaign_id)
    except NotFound:
        abort(404)


@bp.post("/<int:campaign_id>/contracts.zip")
@role_required("member")
def contract_batch_start(campaign_id: int):
    campaign = _campaign(campaign_id)
    try:
        batch, new = service.start(campaign, current_user)
    except ServiceError as error:
        flash(str(error), "warning")
        return redirect(url_for(".show", campaign_id=campaign.id))
    if new:
        tasks.render_contract_batch(batch.id)
    return redirect(url_for(".contract_batch", campaign_id=campaign.id, batch_id=batch.id))


def _batch(campaign_id: int, batch_id: int):
    campaign = _campaign(campaign_id)
    try:
        return campaign, service.get_batch(campaign, batch_id)
    except NotFound:
        abort(404)


@bp.get("/<int:campaign_id>/contract-batches/<int:batch_id>")
@role_required("member")
def contract_batch(campaign_id: int, batch_id: int):
    campaign, batch = _batch(campaign_id, batch_id)
    return render_template("campaigns/contract_batch.html", campaign=campaign, batch=batch)


@bp.get("/<int:campaign_id>/contract-batches/<int:batch_id>/progress")
@role_required("member")
def contract_batch_progress(campaign_id: int, batch_id: int):
    campaign, batch = _batch(campaign_id, batch_id)
    return render_template("campaigns/_contract_batch.html", campaign=campaign, batch=batch)


@bp.get("/<int:campaign_id>/contract-batches/<int:batch_id>/download")
@role_required("member")
def contract_batch_download(campaign_id: int, batch_id: int):
    campaign, batch = _batch(campaign_id, batch_id)
    try:
        path = service.download_path(batch)
    except NotFound as error:
        flash(str(error), "warning")
        return redirect(url_for(".contract_batch", campaign_id=campaign.id, batch_id=batch.id))
    return send_file(path, mimetype="application/zip", as_attachment=True,
                     download_name=f"relais-contracts-campaign-{campaign.id}-{batch.id}.zip")
