"""Signing views. Public: the signer's page behind a single-use link (`/sign/<token>`), its
PDF and the signature itself, then (the link used) the signed copy for 30 days; in the
contract's language, never indexed nor cached, rate limited per IP. Team (members): send
the links, record a Copy, renew one, upload a signed scan, export the evidence; and the
panel the contract page includes (templates/signing/_panel.html).
"""

from __future__ import annotations

from flask import (
    Blueprint,
    Flask,
    Response,
    abort,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import force_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from app.contracts.signing import copies, service
from app.contracts.signing import evidence as signing_evidence
from app.contracts.signing.forms import RenewForm, ScanForm, SendForm, SignForm
from app.contracts.signing.scan import SCAN_MAX, record_scan
from app.contracts.terms import get_contract
from app.core.downloads import json_attachment
from app.core.errors import NotAllowed, NotFound, ServiceError
from app.extensions import limiter
from app.security import CSP, role_required

bp = Blueprint("signing", __name__)

# A signer opens the page a few times; a guesser is held far below what 2^256 tokens need.
PAGE_LIMIT = "30 per minute"
SIGN_LIMIT = "10 per minute"
STATUS_LABELS = {
    "sent": _l("Link sent"), "opened": _l("Link opened"), "signed": _l("Signed"),
    "expired": _l("Link expired"), "revoked": _l("Link replaced or withdrawn"),
}


def _public(response, status: int = 200) -> Response:
    response = Response(response) if isinstance(response, str) else response
    response.status_code = status
    # The token is in the address: no search engine, no referrer, no cache may keep it.
    response.headers["X-Robots-Tag"] = "noindex, nofollow"
    response.headers["Referrer-Policy"] = "no-referrer"
    response.headers["Cache-Control"] = "no-store"
    return response


def _refused(error: service.LinkRefused) -> Response:
    return _public(render_template("signing/refused.html", message=str(error)),
                   410 if error.gone else 404)


def _remote() -> tuple[str | None, str]:
    return request.remote_addr, request.user_agent.string or ""


def _sign_page(signer, form: SignForm, token: str, status: int = 200) -> Response:
    return _public(render_template(
        "signing/sign.html", signer=signer, contract=signer.contract,
        document=signer.document, consent=service.consent_text(signer), form=form,
        token=token), status)


def _copy_page(signer, token: str) -> Response:
    """A used link: the signer's copy of the signed contract, for COPY_DAYS after sealing."""
    copy = copies.signed_copy(signer)
    with force_locale(signer.contract.language):
        if copy.expired:
            return _public(render_template("signing/refused.html",
                                           message=copies.expired_message()), 410)
        return _public(render_template("signing/copy.html", copy=copy, signer=signer,
                                       contract=signer.contract, token=token))


@bp.get("/sign/<token>")
@limiter.limit(PAGE_LIMIT)
def page(token: str):
    used = copies.used_link(token)
    if used is not None:
        return _copy_page(used, token)
    try:
        signer = service.open_link(token, *_remote())
    except service.LinkRefused as error:
        return _refused(error)
    with force_locale(signer.contract.language):
        return _sign_page(signer, SignForm(), token)


@bp.get("/sign/<token>/document.pdf")
@limiter.limit(PAGE_LIMIT)
def document(token: str):
    try:
        signer = service.check_link(token)
        content = service.document_bytes(signer.document)
    except service.LinkRefused as error:
        return _refused(error)
    except ServiceError as error:
        return _public(render_template("signing/refused.html", message=str(error)), 409)
    how = "attachment" if request.args.get("download") else "inline"
    response = _public(Response(content, mimetype="application/pdf"))
    response.headers["Content-Disposition"] = (
        f'{how}; filename="{signer.contract.number}-v{signer.document.version}.pdf"')
    # The sign page embeds this PDF in a frame: same-origin framing only, for this response.
    response.headers["Content-Security-Policy"] = CSP.replace(
        "frame-ancestors 'none'", "frame-ancestors 'self'")
    response.headers["X-Frame-Options"] = "SAMEORIGIN"
    return response


@bp.get("/sign/<token>/signed.pdf")
@limiter.limit(PAGE_LIMIT)
def signed_copy(token: str):
    try:
        copy, content = copies.copy_bytes(token)
    except service.LinkRefused as error:
        return _refused(error)
    except ServiceError as error:
        return _public(render_template("signing/refused.html", message=str(error)), 409)
    response = _public(Response(content, mimetype="application/pdf"))
    response.headers["Content-Disposition"] = (
        f'attachment; filename="{copy.signer.contract.number}-v{copy.sealed.version}'
        f'-signed.pdf"')
    return response


@bp.post("/sign/<token>")
@limiter.limit(SIGN_LIMIT)
def sign(token: str):
    try:
        signer = service.check_link(token)
    except service.LinkRefused as error:
        return _refused(error)
    with force_locale(signer.contract.language):
        form = SignForm()
        if not form.validate_on_submit():
            return _sign_page(signer, form, token, 400)
        try:
            signer = service.sign(token, *_remote(), service.consent_text(signer), True)
        except service.LinkRefused as error:
            return _refused(error)
        except ServiceError as error:
            flash(str(error), "error")
            return _sign_page(signer, form, token, 409)
        if signer.contract.status == "signed":  # the last signature sealed it
            copies.send_copies(signer.contract, copies.sealed_document(signer))
        return _public(render_template("signing/thanks.html", signer=signer,
                                       contract=signer.contract, document=signer.document,
                                       copy=copies.signed_copy(signer), token=token))


# --- the team's side ------------------------------------------------------------------------

def _contract(contract_id: int):
    try:
        return get_contract(contract_id)
    except NotFound:
        abort(404)


def _contract_page(contract) -> str:
    return url_for("contracts.show", contract_id=contract.id) + "#signing"


def _links_page(contract, links: list[service.SigningLink]):
    """Emailed links are only announced; the others are shown once, to copy: they exist
    nowhere else (only their hashes are stored), so this answer is the only place."""
    emailed = [link for link in links if link.emailed]
    if emailed:
        flash(_("The signing link was emailed to: %(names)s.",
                names=", ".join(f"{link.name} <{link.email}>" for link in emailed)), "success")
    to_copy = [link for link in links if not link.emailed]
    if not to_copy:
        return redirect(_contract_page(contract))
    return render_template("signing/links.html", contract=contract, links=to_copy,
                           back=_contract_page(contract))


@bp.post("/contracts/<int:contract_id>/send")
@role_required("member")
def send(contract_id: int):
    contract = _contract(contract_id)
    form = SendForm()
    if not form.validate_on_submit():
        abort(400)
    try:
        links = service.send(contract, current_user, form.expected_version())
    except NotAllowed:
        abort(403)
    except ServiceError as error:
        flash(str(error), "error")
        return redirect(_contract_page(contract))
    return _links_page(contract, links)


@bp.post("/contracts/<int:contract_id>/signers/<int:signer_id>/renew")
@role_required("member")
def renew(contract_id: int, signer_id: int):
    contract = _contract(contract_id)
    if not RenewForm().validate_on_submit():
        abort(400)
    try:
        link = service.renew(contract, service.get_signer(contract, signer_id), current_user)
    except NotFound:
        abort(404)
    except NotAllowed:
        abort(403)
    except ServiceError as error:
        flash(str(error), "error")
        return redirect(_contract_page(contract))
    return _links_page(contract, [link])


@bp.post("/contracts/<int:contract_id>/signers/<int:signer_id>/copied")
@role_required("member")
def copied(contract_id: int, signer_id: int):
    """The Copy button beside a link to hand over: the evidence records who copied it."""
    contract = _contract(contract_id)
    try:
        service.record_copy(contract, service.get_signer(contract, signer_id), current_user)
    except NotFound:
        abort(404)
    except NotAllowed:
        abort(403)
    return Response(status=204)


@bp.post("/contracts/<int:contract_id>/scan")
@role_required("member")
def scan(contract_id: int):
    contract = _contract(contract_id)
    form = ScanForm()
    if not form.validate_on_submit():
        for errors in form.errors.values():
            for message in errors:
                flash(str(message), "error")
        return redirect(_contract_page(contract))
    upload = form.scan.data
    try:
        record_scan(contract, upload.read(SCAN_MAX + 1), upload.filename, current_user)
    except NotAllowed:
        abort(403)
    except ServiceError as error:
        flash(str(error), "error")
    else:
        flash(_("The signed scan is recorded: the contract is signed."), "success")
    return redirect(_contract_page(contract))


@bp.get("/contracts/<int:contract_id>/evidence.json")
@role_required(signing_evidence.EVIDENCE_ROLE)  # the rule of signed PDFs too (can_download)
def evidence(contract_id: int):
    contract = _contract(contract_id)
    return json_attachment(signing_evidence.evidence_record(contract),
                           f"{contract.number}-evidence.json")


@bp.app_context_processor
def _panel():
    # A function the contract page's panel calls: nothing is read unless it is included.
    def signing_panel(contract, user) -> dict:
        data = signing_evidence.panel(contract, user)
        return {**data, "status_labels": STATUS_LABELS,
                "scan_mb": SCAN_MAX // (1024 * 1024), "scan_form": ScanForm()}

    def can_download(document) -> bool:  # the versions table hides what would be a 403
        return signing_evidence.can_download(current_user, document)

    return {"signing_panel": signing_panel, "can_download": can_download}


def register(app: Flask) -> None:
    app.register_blueprint(bp)
