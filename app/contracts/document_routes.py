"""A contract's documents on the web: the HTML preview (the template rendered as a page of
its own, its stylesheet and images served from `contracts/` beside it), a draft PDF kept on
request, and the download of every stored version under a file name that says what it is."""

from __future__ import annotations

from pathlib import Path

from flask import Response, abort, flash, redirect, url_for
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.security import safe_join

from app.contracts import workflow
from app.contracts.blueprint import bp, contract_or_404
from app.contracts.signing.evidence import can_download
from app.core.downloads import attachment
from app.core.errors import NotAllowed, ServiceError
from app.extensions import db
from app.models import ContractDocument
from app.security import role_required

# What a contract template may link to; anything else under contracts/ (the templates
# themselves, the manifest) is not served.
ASSET_TYPES = {"css": "text/css", "png": "image/png", "svg": "image/svg+xml",
               "woff2": "font/woff2"}


@bp.get("/<int:contract_id>/preview/")
@role_required("viewer")
def preview(contract_id: int):
    from app.contracts.rendering import render_html

    contract = contract_or_404(contract_id)
    # The template's stylesheet link is relative: it resolves to preview_asset below.
    return Response(render_html(contract), mimetype="text/html")


@bp.get("/<int:contract_id>/preview/<path:asset>")
@role_required("viewer")
def preview_asset(contract_id: int, asset: str):
    from app.contracts.document.render import CONTRACTS

    contract_or_404(contract_id)
    extension = asset.rsplit(".", 1)[-1].lower() if "." in asset else ""
    if extension not in ASSET_TYPES:
        abort(404)
    # safe_join refuses "..", absolute paths and the like; the files are small, so they
    # are read whole rather than streamed.
    path = safe_join(str(CONTRACTS), asset)
    if path is None or not Path(path).is_file():
        abort(404)
    return Response(Path(path).read_bytes(), mimetype=ASSET_TYPES[extension])


def file_name(document: ContractDocument, number: str) -> str:
    """RLS-2026-00042-v3.pdf, -signed for a signed one, -draft for a draft (ASCII)."""
    suffix = {"signed": "-signed", "draft": "-draft"}.get(document.kind, "")
    safe = "".join(c for c in number if c.isascii() and (c.isalnum() or c in "-_")) or "contract"
    return f"{safe}-v{document.version}{suffix}.pdf"


@bp.get("/<int:contract_id>/documents/<int:document_id>")
@role_required("viewer")
def download(contract_id: int, document_id: int):
    contract = contract_or_404(contract_id)
    document = db.session.get(ContractDocument, document_id)
    if document is None or document.contract_id != contract.id:
        abort(404)
    if not can_download(current_user, document):  # the evidence page: signers' IPs
        abort(403)
    name = file_name(document, contract.number)
    return attachment(document.content, "application/pdf", name)


@bp.post("/<int:contract_id>/render")
@role_required("member")
def render_draft(contract_id: int):
    contract = contract_or_404(contract_id)
    try:
        document = workflow.render_draft(contract, current_user)
    except NotAllowed:
        abort(403)
    except ServiceError as error:
        flash(str(error), "error")
    else:
        flash(_("Draft PDF rendered: version %(n)d.", n=document.version), "success")
    return redirect(url_for("contracts.show", contract_id=contract.id) + "#versions")
