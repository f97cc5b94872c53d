"""The CSV import wizard (web): upload → preview and mapping → dry run → import → result.

The wizard's views are in routes.py; the relationships import page
(app/network/relationship_routes.py) attaches to this blueprint too, under /imports.
"""

from flask import Blueprint

bp = Blueprint("import_wizard", __name__, url_prefix="/imports")
