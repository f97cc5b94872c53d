from flask import Blueprint

from app.security import role_required

bp = Blueprint("brands", __name__, url_prefix="/brands")


@bp.get("/")
@role_required("viewer")
def index():
    return "TODO"
