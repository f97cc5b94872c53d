"""The campaigns blueprint and its views' one loader: the views are in routes.py and in the
participants, operations, report and candidates packages."""

from flask import Blueprint, abort

from app.campaigns import service
from app.core.errors import NotFound
from app.models import Campaign

bp = Blueprint("campaigns", __name__, url_prefix="/campaigns")


def campaign_or_404(campaign_id: int, deleted: bool = False) -> Campaign:
    """The campaign of the URL (the campaign views' one loader): live, or with deleted=True
    in the trash; 404 otherwise."""
    try:
        return service.get_campaign(campaign_id, deleted=deleted)
    except NotFound:
        abort(404)
