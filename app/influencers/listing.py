"""The influencer list: search, filters, sort, pagination, bulk actions."""

from app.influencers import bp
from app.security import role_required


@bp.get("/")
@role_required("viewer")
def index():
    return "TODO"
