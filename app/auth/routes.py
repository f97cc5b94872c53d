"""Login and logout. Failed logins are limited per IP and per account, and logged."""

from __future__ import annotations

from flask import (
    Blueprint,
    Flask,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user, login_required, login_user, logout_user

from app.auth import users as user_service
from app.auth.forms import LoginForm
from app.auth.login import init_login
from app.extensions import limiter
from app.security import safe_next_url, start_session

bp = Blueprint("auth", __name__)


def _account_key() -> str:
    return "login-account:" + (request.form.get("email") or "").strip().lower()[:254]


def _ip_limit() -> str:
    return current_app.config["RELAIS_LOGIN_LIMIT_IP"]


def _account_limit() -> str:
    return current_app.config["RELAIS_LOGIN_LIMIT_ACCOUNT"]


@bp.route("/login", methods=["GET", "POST"])
@limiter.limit(_ip_limit, methods=["POST"], deduct_when=lambda r: r.status_code != 302)
@limiter.limit(
    _account_limit, key_func=_account_key, methods=["POST"],
    deduct_when=lambda r: r.status_code != 302,
)
def login():
    if current_user.is_authenticated:
        return redirect(url_for("main.dashboard"))
    if session.pop("expired", False):
        flash(_("Your session has expired; please log in again."), "info")
    form = LoginForm()
    if form.validate_on_submit():
        user = user_service.authenticate(form.email.data, form.password.data, request.remote_addr)
        if user is None:
            flash(_("Wrong email or password, or the account is deactivated."), "error")
            return render_template("auth/login.html", form=form), 401
        start_session(remember=bool(form.remember.data))
        login_user(user)  # no remember-me cookie: the timeouts end every login
        return redirect(safe_next_url(request.args.get("next")) or url_for("main.dashboard"))
    status = 400 if request.method == "POST" else 200
    return render_template("auth/login.html", form=form), status


@bp.post("/logout")
@login_required
def logout():
    user_service.end_all_sessions(current_user._get_current_object())
    logout_user()
    session.clear()
    flash(_("You are logged out."), "info")
    return redirect(url_for("auth.login"))


def register(app: Flask) -> None:
    init_login(app)
    app.register_blueprint(bp)
