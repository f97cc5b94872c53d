"""Login and logout, and the forgotten password: the page asking for a link by email and
the link's page. Failed logins are limited per IP and per account, and logged; links asked
for are limited per IP and per address."""

from __future__ import annotations

from flask import (
    Blueprint,
    Flask,
    current_app,
    flash,
    make_response,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user, login_required, login_user, logout_user

from app.auth import password_reset, tasks
from app.auth import users as user_service
from app.auth.forms import ForgotForm, LoginForm, ResetForm
from app.auth.login import init_login
from app.core.errors import ServiceError
from app.extensions import limiter
from app.security import safe_next_url, start_session

bp = Blueprint("auth", __name__)
# Links asked for: every POST counts, sent or not (the answer never says which).
FORGOT_LIMIT_IP = "10 per 15 minutes"
FORGOT_LIMIT_ADDRESS = "3 per 15 minutes"


def _account_key() -> str:
    return _login_key(request.form.get("email") or "")


def _login_key(email: str) -> str:
    return "login-account:" + email.strip().lower()[:254]


def _forget_failed_logins(email: str) -> None:
    """A password just set through a link: the account's failed logins are forgotten, or
    someone locked out by them would be refused with the new password for minutes."""
    for limits in limiter.limit_manager.resolve_limits(current_app, "auth.login", "auth"):
        for limit in limits:
            if limit.key_func is _account_key:
                limiter.limiter.clear(limit.limit, _login_key(email),
                                      limit.scope_for("auth.login", "POST"))


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


def _forgot_address_key() -> str:
    return "forgot-address:" + (request.form.get("email") or "").strip().lower()[:254]


@bp.route("/forgot", methods=["GET", "POST"])
@limiter.limit(FORGOT_LIMIT_IP, methods=["POST"])
@limiter.limit(FORGOT_LIMIT_ADDRESS, key_func=_forgot_address_key, methods=["POST"])
def forgot():
    if current_user.is_authenticated:
        return redirect(url_for("main.dashboard"))
    form = ForgotForm()
    emailing = password_reset.emailing()
    if form.validate_on_submit():
        # The same answer and the same work here for every address: the job does the rest.
        if emailing:
            tasks.email_reset_link(form.email.data.strip(), str(get_locale()))
            flash(_("If an active account has this address, a link to choose a new "
                    "password is on its way. Check your inbox (and spam folder)."), "info")
        else:
            flash(_("Relais cannot send emails here: ask an administrator for a link to "
                    "choose a new password."), "info")
        return redirect(url_for("auth.login"))
    status = 400 if request.method == "POST" else 200
    return render_template("auth/forgot.html", form=form, emailing=emailing), status


def _refused():
    return render_template("auth/reset_refused.html",
                           message=str(password_reset.refused())), 404


@bp.route("/reset/<token>", methods=["GET", "POST"])
def reset(token: str):
    if password_reset.find_valid(token) is None:
        return _refused()
    form = ResetForm()
    if form.validate_on_submit():
        try:
            user = password_reset.consume(token, form.new.data)
        except password_reset.LinkRefused:
            return _refused()
        except ServiceError as error:
            form.new.errors.append(str(error))
        else:
            _forget_failed_logins(user.email)
            logout_user()  # whoever was logged in here, the new password is to be used
            session.clear()
            flash(_("Your password is changed: log in with it."), "success")
            return redirect(url_for("auth.login"))
    status = 400 if request.method == "POST" else 200
    response = make_response(render_template("auth/reset.html", form=form), status)
    response.headers["Referrer-Policy"] = "no-referrer"  # the token is in this address
    return response


def register(app: Flask) -> None:
    init_login(app)
    app.register_blueprint(bp)
