from flask import Blueprint

from app.security import role_required

bp = Blueprint("admin", __name__, url_prefix="/admin")


@bp.get("/users")
@role_required("admin")
def users():
    return "TODO"


@bp.get("/profile")
@role_required("viewer")
def profile():
    return "TODO"
