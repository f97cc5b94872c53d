"""Network views: the page (the graph is drawn by app/static/js/network.js with Cytoscape)
and the JSON it fetches."""

from __future__ import annotations

from flask import abort, jsonify, render_template, request

from app.extensions import db
from app.models import Influencer
from app.models.network import RELATIONSHIP_KINDS
from app.network import bp
from app.security import role_required
from app.services import network_view


@bp.get("/")
@role_required("viewer")
def index():
    wanted = network_view.parse_request(request.args)
    center = None
    if wanted.center is not None:
        center = db.session.get(Influencer, wanted.center)
        if center is None or center.deleted_at is not None:
            abort(404)
    return render_template("network/index.html", wanted=wanted, center=center,
                           kinds=RELATIONSHIP_KINDS, max_nodes=network_view.MAX_NODES)


@bp.get("/graph.json")
@role_required("viewer")
def graph():
    elements = network_view.graph(network_view.parse_request(request.args))
    if not elements:
        abort(404)
    return jsonify(elements)
