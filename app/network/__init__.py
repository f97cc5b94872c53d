"""The influence network (web): the interactive graph of the top influencers or of one
person's neighbourhood. The pieces drawn come from app/services/network_view.py."""

from flask import Blueprint

bp = Blueprint("network", __name__, url_prefix="/network")
