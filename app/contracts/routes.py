"""Contract views: the list and its trash, create (from a participant, or standing after a
step that picks the parties), edit a draft (with the conflict page), the contract page,
trash and restore. The workflow's buttons are in workflow_routes.py, the documents in
document_routes.py."""

from __future__ import annotations

from types import SimpleNamespace

from flask import Flask, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from app.brands.service import brand_choices
from app.collation import fold
from app.contracts import document_routes, workflow_routes
from app.contracts import terms as service
from app.contracts.blueprint import bp, contract_or_404
from app.contracts.forms import ContractForm, FilterForm, PartiesForm
from app.contracts.view_data import conflict_rows, show_context
from app.core.errors import Conflict, ServiceError
from app.core.pagination import parse_page
from app.core.trash import Trash, add_trash_views
from app.extensions import db
from app.models import Brand, Contract, Influencer, Participant
from app.security import role_required

PICK_LIMIT = 50  # influencers offered by the first step's select


# --- list and trash -------------------------------------------------------------------------

@bp.get("/")
@role_required("viewer")
def index():
    trash = request.args.get("trash") == "1"
    form = FilterForm(formdata=request.args, brands=brand_choices(None),
                      counts=service.status_counts())
    form.validate()  # a value not understood is shown beside its field and ignored
    filters = form.filters()
    sort = request.args.get("sort", "-updated")
    if sort.lstrip("-") not in service.SORTS:
        sort = "-updated"
    link_args = {key: value for key, value in (
        ("q", filters.text), ("status", filters.status),
        ("brand", str(filters.brand_id) if filters.brand_id else ""),
        ("trash", "1" if trash else "")) if value}
    page = service.list_page(filters, sort, parse_page(request.args.get("page")),
                             current_app.config["RELAIS_PAGE_SIZE"], {**link_args, "sort": sort},
                             deleted=trash)
    filtered = bool(filters.text or filters.status or filters.brand_id)
    return render_template("contracts/index.html", form=form, page=page, sort=sort,
                           trash=trash, link_args=link_args, filtered=filtered)


# --- create ---------------------------------------------------------------------------------

def _live(model, raw):
    """The live record of an id typed in the URL, or None."""
    if not (raw or "").isdigit() or len(raw) > 12:
        return None
    record = db.session.get(model, int(raw))
    if record is None or getattr(record, "deleted_at", None) is not None \
            or getattr(record, "erased_at", None) is not None:
        return None
    return record


def _influencer_choices(text: str, chosen: Influencer | None) -> list[tuple[int, str]]:
    stmt = select(Influencer.id, Influencer.display_name).where(
        Influencer.deleted_at.is_(None), Influencer.erased_at.is_(None))
    if text:
        # search_text is folded (app/collation.py): "edith" finds "Édith" and back.
        stmt = stmt.where(Influencer.search_text.contains(fold(text), autoescape=True))
    rows = list(db.session.execute(stmt.order_by(Influencer.sort_name, Influencer.id)
                                   .limit(PICK_LIMIT)))
    if chosen is not None and chosen.id not in {row[0] for row in rows}:
        rows.insert(0, (chosen.id, chosen.display_name))
    return rows


def _pick_parties(brand: Brand | None, influencer: Influencer | None):
    form = PartiesForm(formdata=request.args, brands=brand_choices(None),
                       influencers=_influencer_choices(
                           (request.args.get("q") or "").strip()[:100], influencer))
    form.validate()
    if brand is not None:
        form.brand.data = str(brand.id)
    if influencer is not None:
        form.influencer.data = str(influencer.id)
    return render_template("contracts/pick.html", form=form)


def _existing_contract(participant: Participant) -> Contract | None:
    return db.session.scalar(
        select(Contract).where(Contract.participant_id == participant.id,
                               Contract.deleted_at.is_(None), Contract.status != "cancelled")
        .order_by(Contract.id.desc()).limit(1))


@bp.route("/new", methods=["GET", "POST"])
@role_required("member")
def new():
    participant = _live(Participant, request.args.get("participant"))
    if request.args.get("participant") and (participant is None
                                            or participant.campaign.deleted_at is not None):
        abort(404)
    if participant is not None:
        existing = _existing_contract(participant)
        if existing is not None:
            flash(_("This participant already has a contract."), "info")
            return redirect(url_for("contracts.show", contract_id=existing.id))
        defaults = service.defaults_for_participant(participant)
        brand, influencer = participant.campaign.brand, participant.influencer
    else:
        brand = _live(Brand, request.args.get("brand"))
        influencer = _live(Influencer, request.args.get("influencer"))
        if brand is None or influencer is None or request.args.get("search"):
            return _pick_parties(brand, influencer)
        defaults = service.defaults_for_standing(brand, influencer)
    if request.method != "POST":
        form = ContractForm(data=ContractForm.data_of(defaults), formdata=None, new=True)
        return _form_page(form, None, brand, influencer, participant)
    form = ContractForm(new=True)
    if form.validate():
        data = {**form.values(), "brand_id": brand.id, "influencer_id": influencer.id,
                "participant_id": participant.id if participant else None}
        try:
            contract = service.create_contract(data, current_user)
        except ServiceError as error:
            form.form_errors.append(str(error))
        else:
            flash(_("Contract %(number)s created.", number=contract.number), "success")
            return redirect(url_for("contracts.show", contract_id=contract.id))
    return _form_page(form, None, brand, influencer, participant, 400)


def _form_page(form, contract, brand, influencer, participant, status=200):
    from app.contracts.document.rules import special_cases

    # Before the first save, the hints (minor, outside the EEA) read the chosen parties.
    probe = contract or SimpleNamespace(
        brand=brand, influencer=influencer, starts_on=form.starts_on.data,
        campaign=participant.campaign if participant else None)
    cases = special_cases(probe)
    return render_template("contracts/form.html", form=form, contract=contract, brand=brand,
                           influencer=influencer, participant=participant, cases=cases,
                           action=request.full_path), status


# --- edit -----------------------------------------------------------------------------------

@bp.route("/<int:contract_id>/edit", methods=["GET", "POST"])
@role_required("member")
def edit(contract_id: int):
    contract = contract_or_404(contract_id)
    if contract.status != "draft":
        flash(_("Only a draft can be edited: amend an approved or signed contract to change "
                "it."), "error")
        return redirect(url_for("contracts.show", contract_id=contract.id))
    if request.method != "POST":
        form = ContractForm(data=ContractForm.data_of(_saved(contract), contract.version),
                            formdata=None)
        return _form_page(form, contract, contract.brand, contract.influencer,
                          contract.participant)
    form = ContractForm()
    if form.validate():
        try:
            page = _save(contract, form)
        except ServiceError as error:
            form.form_errors.append(str(error))
        else:
            if page is not None:
                return page
            flash(_("Changes saved."), "success")
            return redirect(url_for("contracts.show", contract_id=contract.id))
    return _form_page(form, contract, contract.brand, contract.influencer,
                      contract.participant, 400)


def _saved(contract: Contract) -> dict:
    return {name: getattr(contract, name) for name in service.FIELDS}


def _save(contract: Contract, form: ContractForm):
    """Save; on a stale version the conflict page, unless the other save changed none of
    the fields this form holds (then save over it)."""
    data = form.values()
    try:
        service.update_contract(contract, data, form.expected_version())
    except Conflict as conflict:
        rows = conflict_rows(form, conflict.current, conflict.submitted)
        if any(row["differs"] for row in rows):
            resubmit = [(k, v) for k, v in request.form.items(multi=True)
                        if k not in {"csrf_token", "version"}]
            return render_template("contracts/conflict.html", contract=conflict.current,
                                   rows=rows, resubmit=resubmit), 409
        service.update_contract(conflict.current, data, conflict.current.version)
    return None


# --- the contract page, trash -----------------------------------------------------------------

@bp.get("/<int:contract_id>")
@role_required("viewer")
def show(contract_id: int):
    contract = contract_or_404(contract_id)
    return render_template("contracts/show.html", **show_context(contract, current_user))


add_trash_views(bp, Trash(
    key="contract_id", load=service.get_contract, delete=service.delete_contract,
    restore=service.restore_contract,
    moved=lambda contract: _("Contract %(number)s moved to the trash.", number=contract.number),
    restored=lambda contract: _("Contract %(number)s restored.", number=contract.number),
    index="contracts.index", show="contracts.show"))


# The other modules whose views attach to bp when they are imported.
VIEW_MODULES = (document_routes, workflow_routes)


def register(app: Flask) -> None:
    app.register_blueprint(bp)
    # The campaign overview and its participants table list the campaign's contracts.
    app.add_template_global(service.campaign_contracts)
    app.add_template_global(service.participant_contracts)
