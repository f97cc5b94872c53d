"""The dashboard, a health check (one `SELECT 1`), and the front-end libraries the app serves
itself from node_modules under /vendor/.
"""

from __future__ import annotations

from pathlib import Path

from flask import Blueprint, Flask, abort, current_app, render_template, send_from_directory
from flask_login import current_user
from sqlalchemy import text

from app import ROOT
from app.extensions import db
from app.main import dashboard
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
    app.register_blueprint(bp)
