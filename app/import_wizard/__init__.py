"""The CSV import wizard (web): upload → preview and mapping → dry run → import → result.

The reading, mapping and writing live in app/imports (plain Python) and app/services/imports;
this package only holds the views, their forms and the background-job hand-off.
"""

from flask import Blueprint

bp = Blueprint("import_wizard", __name__, url_prefix="/imports")
