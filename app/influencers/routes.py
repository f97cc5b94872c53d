"""Influencer profile, editing, accounts and audience snapshots, timeline, trash, GDPR."""

from app.influencers import (
    bp,
    listing,  # noqa: F401 - registers the list views on bp
)
from app.security import role_required


@bp.get("/new")
@role_required("member")
def create():
    return "TODO"


@bp.get("/<int:influencer_id>")
@role_required("viewer")
def show(influencer_id: int):
    return "TODO"
