"""The dashboard and its follow-ups (done or snoozed in place), a health check (one
`SELECT 1`), and the front-end libraries the app serves itself from node_modules under
/vendor/.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

from flask import (
    Blueprint,
    Flask,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    send_from_directory,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import text

from app import ROOT
from app.core.errors import NotAllowed, NotFound, ServiceError
from app.extensions import db
from app.i18n import formats
from app.influencers import interactions
from app.influencers.forms import SnoozeForm
from app.main import dashboard
from app.main.language import register_language
from app.security import role_required

bp = Blueprint("main", __name__)

# Front-end libraries come from the npm registry (package-lock.json) and are served from
# node_modules by the app: no CDN, and CSP stays `'self'`.
VENDOR_FILES = {
    "htmx.min.js": "htmx.org/dist/htmx.min.js",
    "chart.umd.min.js": "chart.js/dist/chart.umd.min.js",
    "cytoscape.min.js": "cytoscape/dist/cytoscape.min.js",
    # fCoSE lays communities out apart; its UMD build needs its two bases loaded first.
    "layout-base.js": "layout-base/layout-base.js",
    "cose-base.js": "cose-base/cose-base.js",
    "cytoscape-fcose.js": "cytoscape-fcose/cytoscape-fcose.js",
    # The searchable multi-select over a plain <select multiple> (works without JS).
    "tom-select.complete.min.js": "tom-select/dist/js/tom-select.complete.min.js",
    "tom-select.min.css": "tom-select/dist/css/tom-select.min.css",
}
# Served only when testing: the accessibility engine the browser checks run in each page.
TEST_VENDOR_FILES = {"axe.min.js": "axe-core/axe.min.js"}


@bp.get("/")
@role_required("viewer")
def dashboard_page():
    return render_template("main/dashboard.html", **dashboard.summary(current_user))


# Alias so templates and redirects can say `main.dashboard`.
bp.add_url_rule("/dashboard", "dashboard", dashboard_page)


# --- my follow-ups: done or snoozed, then the list again (in place with htmx) -------------

def _follow_up(interaction_id: int):
    try:
        return interactions.follow_up_for(interaction_id, current_user)
    except NotFound:
        abort(404)
    except NotAllowed:
        abort(403)


def _follow_ups_changed(message: str, category: str = "success"):
    """htmx gets the list with the message; a plain form goes back to the dashboard."""
    if request.headers.get("HX-Request"):
        return render_template("main/_follow_ups.html", message=message, category=category,
                               follow_ups=dashboard.my_follow_ups(current_user),
                               today=date.today())
    flash(message, category)
    return redirect(url_for("main.dashboard", _anchor="follow-ups"))


@bp.post("/follow-ups/<int:interaction_id>/done")
@role_required("member")
def follow_up_done(interaction_id: int):
    interactions.mark_follow_up_done(_follow_up(interaction_id))
    return _follow_ups_changed(_("Follow-up marked as done."))


@bp.post("/follow-ups/<int:interaction_id>/snooze")
@role_required("member")
def snooze_follow_up(interaction_id: int):
    interaction = _follow_up(interaction_id)
    form = SnoozeForm()
    if not form.validate_on_submit():
        return _follow_ups_changed(form.problem(), "error")
    until = form.until.data if not form.days.data else interactions.snoozed_day(
        interaction, int(form.days.data))
    try:
        interactions.snooze_follow_up(interaction, until)
    except ServiceError as error:
        return _follow_ups_changed(str(error), "error")
    return _follow_ups_changed(_("Follow-up moved to %(day)s.",
                                 day=formats.day(until, "long")))


@bp.get("/health")
def health():
    db.session.execute(text("SELECT 1"))
    return {"status": "ok"}


@bp.get("/vendor/<path:name>")
def vendor(name: str):
    relative = VENDOR_FILES.get(name)
    if relative is None and current_app.testing:
        relative = TEST_VENDOR_FILES.get(name)
    if relative is None:
        abort(404)
    path = ROOT / "node_modules" / relative
    if not path.is_file():
        abort(404)
    return send_from_directory(Path(path).parent, path.name, max_age=86400)


def register(app: Flask) -> None:
    register_language(app)
    app.register_blueprint(bp)
