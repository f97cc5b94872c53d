"""Brands: list, detail, create, edit (with conflict page), trash and restore, and the
logo (served to the team, removed)."""

from __future__ import annotations

import hashlib

from flask import (
    Blueprint,
    Flask,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from sqlalchemy import select

from app.brands import service as brand_service
from app.brands.forms import BrandForm, country_name
from app.core.errors import Conflict, NotFound, ServiceError
from app.core.pagination import parse_page
from app.core.trash import Trash, add_trash_views
from app.extensions import db
from app.models import AuditEvent
from app.security import role_required

bp = Blueprint("brands", __name__, url_prefix="/brands")


def _load(brand_id: int, deleted: bool = False):
    try:
        return brand_service.get_brand(brand_id, deleted=deleted)
    except NotFound:
        abort(404)


def _listing(trash: bool):
    query = request.args.get("q", "")[:200]
    sort = request.args.get("sort", "name")
    if sort.lstrip("-") not in brand_service.SORTS:
        sort = "name"
    args = {"q": query, "sort": sort} if query else {"sort": sort}
    return brand_service.list_brands(
        query, sort, parse_page(request.args.get("page")),
        current_app.config["RELAIS_PAGE_SIZE"], trash=trash, query_args=args,
    ), query, sort


@bp.get("/")
@role_required("viewer")
def index():
    page, query, sort = _listing(trash=False)
    return render_template("brands/index.html", page=page, q=query, sort=sort, trash=False)


@bp.get("/trash")
@role_required("viewer")
def trash():
    page, query, sort = _listing(trash=True)
    return render_template("brands/index.html", page=page, q=query, sort=sort, trash=True)


@bp.get("/<int:brand_id>")
@role_required("viewer")
def show(brand_id: int):
    brand = _load(brand_id)
    history = list(db.session.scalars(
        select(AuditEvent)
        .where(AuditEvent.entity_type == "brand", AuditEvent.entity_id == brand.id)
        .order_by(AuditEvent.at.desc(), AuditEvent.id.desc()).limit(20)
    ))
    return render_template(
        "brands/show.html", brand=brand, history=history,
        missing=brand_service.missing_for_contract(brand),
        warning=brand_service.sector_warning(brand), country_name=country_name(brand.tax_country),
    )


@bp.route("/new", methods=["GET", "POST"])
@role_required("member")
def create():
    form = BrandForm(new=True)
    if form.validate_on_submit():
        try:
            brand = brand_service.create_brand(form.values(), form.new_logo)
        except ServiceError as error:
            flash(str(error), "error")
        else:
            flash(_("Brand %(name)s created.", name=brand.name), "success")
            return redirect(url_for("brands.show", brand_id=brand.id))
    status = 400 if request.method == "POST" else 200
    return render_template("brands/form.html", form=form, brand=None), status


@bp.route("/<int:brand_id>/edit", methods=["GET", "POST"])
@role_required("member")
def edit(brand_id: int):
    brand = _load(brand_id)
    form = BrandForm(obj=brand)
    if request.method == "GET":
        form.version.data = str(brand.version)
    elif form.validate_on_submit():
        try:
            brand_service.update_brand(brand, form.values(), form.expected_version(),
                                       form.new_logo)
        except Conflict as conflict:
            return _conflict_page(form, conflict)
        except ServiceError as error:
            flash(str(error), "error")
        else:
            flash(_("Changes saved."), "success")
            return redirect(url_for("brands.show", brand_id=brand.id))
    status = 400 if request.method == "POST" else 200
    return render_template("brands/form.html", form=form, brand=brand), status


@bp.get("/<int:brand_id>/logo")
@role_required("viewer")
def logo(brand_id: int):
    """The stored PNG or JPEG; pages link it with `?v=<last change>`, so a changed logo is
    a new address and the browser may keep this one."""
    try:
        content, mimetype = brand_service.logo_of(brand_id)
    except NotFound:
        abort(404)
    response = current_app.response_class(content, mimetype=mimetype)
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Content-Disposition"] = "inline; filename=logo." + mimetype.split("/")[1]
    response.cache_control.private = True
    response.cache_control.max_age = 86400
    response.set_etag(hashlib.sha256(content).hexdigest()[:32])
    return response.make_conditional(request)


@bp.post("/<int:brand_id>/logo/remove")
@role_required("member")
def remove_logo(brand_id: int):
    brand = _load(brand_id)
    brand_service.set_logo(brand, None)
    flash(_("Logo removed."), "success")
    return redirect(url_for("brands.show", brand_id=brand.id))


def _conflict_page(form: BrandForm, conflict: Conflict):
    saved = conflict.current
    rows = []
    for name in brand_service.FIELDS:
        mine, theirs = conflict.submitted.get(name), getattr(saved, name)
        rows.append({"label": form[name].label.text, "mine": mine, "saved": theirs,
                     "differs": (mine or None) != (theirs or None)})
    return render_template("brands/conflict.html", brand=saved, rows=rows,
                           resubmit=list(conflict.submitted.items())), 409


add_trash_views(bp, Trash(
    key="brand_id", load=brand_service.get_brand, delete=brand_service.delete_brand,
    restore=brand_service.restore_brand,
    moved=lambda brand: _("Brand %(name)s moved to the trash.", name=brand.name),
    restored=lambda brand: _("Brand %(name)s restored.", name=brand.name),
    index="brands.index", show="brands.show"))


def register(app: Flask) -> None:
    app.register_blueprint(bp)
