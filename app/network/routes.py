"""Network views: the page (the graph is drawn by app/static/js/network.js with Cytoscape)
and the JSON it fetches."""

from __future__ import annotations

from flask import (
    Blueprint,
    Flask,
    abort,
    flash,
    jsonify,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user

from app.core.errors import ServiceError
from app.extensions import db
from app.models import Influencer
from app.models.network import RELATIONSHIP_KINDS
from app.network import graph_view as network_view
from app.network import relationship_routes
from app.scoring import rescoring as scoring
from app.scoring import tasks
from app.security import role_required

bp = Blueprint("network", __name__, url_prefix="/network")


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
                           kinds=RELATIONSHIP_KINDS, max_nodes=network_view.MAX_NODES,
                           **_scoring_state())


@bp.get("/graph.json")
@role_required("viewer")
def graph():
    elements = network_view.graph(network_view.parse_request(request.args))
    if not elements:
        abort(404)
    return jsonify(elements)


POLL_SECONDS = 1  # the status partial's polling while a run is queued or running


def _scoring_state() -> dict:
    """What the scoring status shows, read from the runs' rows on every request: the latest
    run whatever its state, and the latest finished one (the scores on show)."""
    run = scoring.current_run()
    return {"run": run, "latest": scoring.latest_run(), "poll_seconds": POLL_SECONDS,
            "stale": run is not None and scoring.is_stale(run),
            "stalled": run is not None and scoring.waits_for_a_worker(run)}


@bp.post("/rescore")
@role_required("member")
def rescore():
    """Queue a full rescoring (a background job); the page shows it queued, then its
    progress, then the new scores."""
    try:
        tasks.start_scoring(current_user)
    except ServiceError as error:
        flash(str(error), "warning")
    else:
        flash(_("Scoring started: the figures are replaced when it finishes."), "success")
    return redirect(url_for(".index"))


@bp.get("/rescore/progress")
@role_required("viewer")
def rescore_progress():
    """The scoring status, polled by htmx while a run is queued or in progress."""
    return render_template("network/_scoring.html", **_scoring_state())


# Its views attach to the import pages' blueprint when it is imported (create_app imports
# every feature's routes before it registers any blueprint).
VIEW_MODULES = (relationship_routes,)


def register(app: Flask) -> None:
    app.register_blueprint(bp)
