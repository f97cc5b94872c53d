"""The administration blueprint; its views are in routes.py, rate_routes.py and
scoring_routes.py."""

from flask import Blueprint

bp = Blueprint("admin", __name__, url_prefix="/admin")
