"""Relationships (the network's edges) from a CSV, on one page: upload, check or import, report.
The page belongs to the import pages (the import_wizard blueprint, /imports/relationships).

Unlike the influencer wizard there is no mapping step and no background job: the columns
are recognised by name, and the service streams the file and answers with its report, which
the same page shows (app/imports/one_page.py).
"""

from __future__ import annotations

from flask import render_template, request

from app.imports.blueprint import bp
from app.imports.forms import RelationshipImportForm
from app.imports.one_page import checked_import
from app.models.network import RELATIONSHIP_KINDS
from app.network import relationship_import as service
from app.security import role_required

SHOWN_REJECTED = 200  # rows listed on the page; the count above stays exact


@bp.route("/relationships", methods=["GET", "POST"])
@role_required("member")
def relationships():
    form = RelationshipImportForm()
    report = checked_import(form, service.import_relationships)
    status = 400 if request.method == "POST" and report is None else 200
    return render_template(
        "import_wizard/relationships.html", form=form, report=report, dry_run=form.dry_run,
        shown=SHOWN_REJECTED, columns=service.COLUMNS, kinds=RELATIONSHIP_KINDS,
        kind_words=service.KIND_WORDS, weight_max=service.WEIGHT_MAX,
    ), status
