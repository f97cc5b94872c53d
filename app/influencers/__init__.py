"""Influencers blueprint: the list (listing.py) and the profile, editing, timeline and
GDPR views (routes.py). Both attach their views to this one blueprint."""

from flask import Blueprint

bp = Blueprint("influencers", __name__, url_prefix="/influencers")
