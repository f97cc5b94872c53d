"""The influencers blueprint and its views' one loader: the list (list_routes.py), the
profile, editing and timeline (routes.py) and the GDPR rights (gdpr_routes.py)."""

from flask import Blueprint, abort

from app.core.errors import NotFound
from app.influencers import service
from app.models import Influencer

bp = Blueprint("influencers", __name__, url_prefix="/influencers")


def influencer_or_404(influencer_id: int) -> Influencer:
    """The live influencer of the URL; 404 when unknown or in the trash."""
    try:
        return service.get_live(influencer_id)
    except NotFound:
        abort(404)
