"""Administration (users, audit log) and every user's own profile page."""

from __future__ import annotations

import secrets

from flask import (
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
from flask_login import current_user, login_user
from sqlalchemy import select

from app.admin import rate_routes, retention_routes, scoring_routes
from app.admin import service as admin_service
from app.admin.blueprint import bp
from app.admin.forms import (
    AuditFilterForm,
    CreateUserForm,
    PasswordForm,
    ProfileForm,
    RoleForm,
)
from app.auth import password_reset
from app.auth import users as user_service
from app.core.errors import ServiceError
from app.core.pagination import parse_page
from app.extensions import db
from app.i18n.labels import role_label
from app.models import User
from app.security import role_required, start_session


def _user_or_404(user_id: int) -> User:
    user = db.session.get(User, user_id)
    if user is None:
        abort(404)
    return user


def _users_page(form: CreateUserForm, status: int = 200, issued=None):
    page = admin_service.users_page(parse_page(request.args.get("page")),
                                    current_app.config["RELAIS_PAGE_SIZE"])
    return render_template("admin/users.html", page=page, form=form,
                           role_form=RoleForm(), issued=issued), status


@bp.get("/users")
@role_required("admin")
def users():
    return _users_page(CreateUserForm())


@bp.post("/users")
@role_required("admin")
def create_user():
    form = CreateUserForm()
    if not form.validate_on_submit():
        return _users_page(form, 400)
    # Generated passwords: 16 URL-safe characters (96 bits), never stored in clear.
    password = secrets.token_urlsafe(12) if form.generate.data else form.password.data
    try:
        user = user_service.create_user(form.email.data, form.name.data, password,
                                        role=form.role.data, locale=form.locale.data or None)
    except ServiceError as error:
        form.email.errors.append(str(error))
        return _users_page(form, 400)
    flash(_("User %(email)s created.", email=user.email), "success")
    if form.generate.data:
        flash(_("Their password, shown only this once: %(password)s", password=password),
              "warning")
    return redirect(url_for("admin.users"))


@bp.post("/users/<int:user_id>/role")
@role_required("admin")
def set_role(user_id: int):
    user = _user_or_404(user_id)
    form = RoleForm()
    if not form.validate_on_submit():
        flash(_("Unknown role."), "error")
    else:
        try:
            user_service.set_role(user, form.role.data, current_user._get_current_object())
        except ServiceError as error:
            flash(str(error), "error")
        else:
            flash(_("%(name)s is now %(role)s.", name=user.name,
                    role=role_label(user.role)), "success")
    return redirect(url_for("admin.users", page=request.args.get("page")))


@bp.post("/users/<int:user_id>/active")
@role_required("admin")
def set_active(user_id: int):
    user = _user_or_404(user_id)
    active = request.form.get("active") == "1"
    try:
        user_service.set_active(user, active, current_user._get_current_object())
    except ServiceError as error:
        flash(str(error), "error")
    else:
        message = (_("%(name)s is reactivated.", name=user.name) if active else
                   _("%(name)s is deactivated; their open sessions have ended.",
                     name=user.name))
        flash(message, "success")
    return redirect(url_for("admin.users", page=request.args.get("page")))


@bp.post("/users/<int:user_id>/reset-link")
@role_required("admin")
def reset_link(user_id: int):
    """A link for the user to choose a new password, shown once to copy (no email)."""
    user = _user_or_404(user_id)
    base = current_app.config.get("RELAIS_BASE_URL") or request.host_url
    try:
        link = password_reset.issue(user, base, issued_by=current_user._get_current_object())
    except ServiceError as error:
        flash(str(error), "error")
        return redirect(url_for("admin.users", page=request.args.get("page")))
    return _users_page(CreateUserForm(), issued=link)


@bp.get("/audit")
@role_required("admin")
def audit():
    people = list(db.session.scalars(select(User).order_by(User.sort_name, User.id)))
    form = AuditFilterForm(request.args, entity_types=admin_service.ENTITY_TYPES, users=people)
    filters = {}
    if request.args and not form.validate():
        flash(_("Some filters were not understood and are ignored."), "warning")
    for name in ("entity", "user", "action", "since", "until"):
        field = form[name]
        if not field.errors and field.data:
            filters[name] = field.data
    args = {k: (v.isoformat() if hasattr(v, "isoformat") else v) for k, v in filters.items()}
    page, totals = admin_service.audit_page(
        parse_page(request.args.get("page")), current_app.config["RELAIS_PAGE_SIZE"],
        entity=filters.get("entity"), user_id=int(filters["user"]) if "user" in filters else None,
        action=filters.get("action"), since=filters.get("since"), until=filters.get("until"),
        query_args=args,
    )
    return render_template("admin/audit.html", page=page, form=form, totals=totals)


@bp.route("/profile", methods=["GET", "POST"])
@role_required("viewer")
def profile():
    user = current_user._get_current_object()
    form = ProfileForm(obj=user) if request.method == "GET" else ProfileForm()
    if request.method == "GET":
        form.locale.data = user.locale or ""
    elif form.validate_on_submit():
        try:
            user_service.update_profile(user, form.name.data, form.locale.data or None)
        except ServiceError as error:
            flash(str(error), "error")
        else:
            flash(_("Your profile is saved."), "success")
            return redirect(url_for("admin.profile"))
    status = 400 if request.method == "POST" else 200
    return render_template("admin/profile.html", form=form, password_form=PasswordForm(),
                           user=user), status


@bp.post("/profile/password")
@role_required("viewer")
def change_password():
    user = current_user._get_current_object()
    form = PasswordForm()
    if form.validate_on_submit():
        try:
            user_service.change_password(user, form.current.data, form.new.data)
        except ServiceError as error:
            flash(str(error), "error")
        else:
            # The token rotated: every other session is gone; this one starts afresh.
            start_session()  # keeps "keep me signed in" as chosen at login
            login_user(user)
            flash(_("Your password is changed; your other sessions are logged out."),
                  "success")
            return redirect(url_for("admin.profile"))
    profile_form = ProfileForm(obj=user)
    profile_form.locale.data = user.locale or ""
    return render_template("admin/profile.html", form=profile_form, password_form=form,
                           user=user), 400


# The other modules whose views attach to bp when they are imported.
VIEW_MODULES = (rate_routes, scoring_routes, retention_routes)


def register(app: Flask) -> None:
    app.register_blueprint(bp)
