"""Roles, password policy, session lifetime and HTTP security headers (OWASP ASVS L2)."""

from __future__ import annotations

import functools
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urlsplit

from flask import Flask, abort, current_app, request, session
from flask_babel import lazy_gettext as _l
from flask_login import current_user, logout_user
from werkzeug.security import check_password_hash, generate_password_hash

from app.models.user import ROLES

PASSWORD_MIN = 8
SEEN_RESOLUTION = 60  # seconds: how often the idle-timeout clock is moved forward
PASSWORD_MAX = 128


@functools.cache
def _common_passwords() -> frozenset[str]:
    from zxcvbn.frequency_lists import FREQUENCY_LISTS

    return frozenset(FREQUENCY_LISTS["passwords"])


def password_problem(password: str, *, email: str = "", name: str = "") -> str | None:
    """Why a password is refused, or None. Length and breach lists only (ASVS 6.2):
    no composition rules."""
    if len(password) < PASSWORD_MIN:
        return str(_l("The password must have at least %(n)d characters.", n=PASSWORD_MIN))
    if len(password) > PASSWORD_MAX:
        return str(_l("The password must have at most %(n)d characters.", n=PASSWORD_MAX))
    lowered = password.lower()
    if lowered in _common_passwords() or lowered in {"relais", "relais123", "motdepasse"}:
        return str(_l("This password is among the most common ones; choose another."))
    context = {email.lower(), email.split("@")[0].lower(), name.lower()} - {""}
    if lowered in context:
        return str(_l("The password must not be your name or email address."))
    return None


def hash_password(password: str) -> str:
    return generate_password_hash(password, method=current_app.config["RELAIS_PASSWORD_HASH"])


def verify_password(password_hash: str, password: str) -> bool:
    return check_password_hash(password_hash, password)


def role_required(role: str) -> Callable:
    """Login required, then at least `role`. Checked before the view reads any record."""
    if role not in ROLES:
        raise ValueError(f"unknown role {role!r}")

    def decorator(view: Callable) -> Callable:
        @functools.wraps(view)
        def wrapped(*args: Any, **kwargs: Any) -> Any:
            if not current_user.is_authenticated:
                return current_app.login_manager.unauthorized()
            if not current_user.has_role(role):
                abort(403)
            return view(*args, **kwargs)

        wrapped.required_role = role  # read by the route-matrix test
        return wrapped

    return decorator


def safe_next_url(target: str | None) -> str | None:
    """Only same-site relative paths are followed after login (no open redirect)."""
    if not target:
        return None
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//"):
        return None
    if "\\" in target:
        return None
    return target


def safe_http_url(url: str | None) -> str | None:
    """Links a user typed are shown only when they are http(s) (never javascript:)."""
    if not url:
        return None
    scheme = urlsplit(url.strip()).scheme.lower()
    return url.strip() if scheme in {"http", "https"} else None


def enforce_session_timeouts() -> None:
    """Idle and absolute timeouts, checked on the server at every request."""
    if not current_user.is_authenticated:
        return
    now = datetime.now(UTC).timestamp()
    idle = current_app.config["RELAIS_IDLE_TIMEOUT"].total_seconds()
    absolute = current_app.config["RELAIS_ABSOLUTE_TIMEOUT"].total_seconds()
    started = session.get("login_at")
    seen = session.get("seen_at")
    if started is None or now - started > absolute or (seen and now - seen > idle):
        # A session without `login_at` was not opened by the login form (a remember-me
        # cookie from an older version revived it): it is over too, and the cookie deleted.
        logout_user()
        remember = session.get("_remember")  # "clear": Flask-Login deletes the cookie
        session.clear()
        if remember:
            session["_remember"] = remember
        session["expired"] = True
        return
    if seen is None or now - seen > SEEN_RESOLUTION:
        # Re-signing the session cookie on every request costs; a minute is precise enough.
        session["seen_at"] = now


def start_session(remember: bool | None = None) -> None:
    """A fresh session at login (no fixation): drop everything the anonymous one held.

    "Keep me signed in" (`remember`) keeps the session cookie when the browser closes;
    without it the cookie ends with the browser. The idle and absolute timeouts end both:
    there is no separate remember-me cookie that could open a new session after them.
    `None` keeps the choice the current session was opened with."""
    permanent = session.permanent if remember is None else remember
    session.clear()
    session.permanent = permanent
    now = datetime.now(UTC).timestamp()
    session["login_at"] = now
    session["seen_at"] = now


CSP = (
    "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
    "object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'"
)


def set_security_headers(response):
    headers = response.headers
    headers.setdefault("Content-Security-Policy", CSP)
    headers.setdefault("X-Content-Type-Options", "nosniff")
    headers.setdefault("X-Frame-Options", "DENY")
    headers.setdefault("Referrer-Policy", "same-origin")
    headers.setdefault("Permissions-Policy", "camera=(), microphone=(), geolocation=()")
    headers.setdefault("Cross-Origin-Opener-Policy", "same-origin")
    if current_app.config.get("RELAIS_HSTS"):
        headers.setdefault("Strict-Transport-Security", "max-age=31536000; includeSubDomains")
    if not request.path.startswith(("/static/", "/vendor/")):
        # Pages carry personal data: never kept by browsers or proxies. A response marked
        # private (a brand's logo) may stay in the user's own browser.
        if not response.cache_control.private:
            headers["Cache-Control"] = "no-store"
        headers["Vary"] = "Cookie, Accept-Language"
    return response


def _malformed(key, value) -> bool:
    if not isinstance(key, str) or "\x00" in key:
        return True  # a multipart part without a (readable) name, or a NUL in it
    return isinstance(value, str) and "\x00" in value


def refuse_malformed() -> None:
    """No legitimate form or URL carries a NUL character (PostgreSQL text cannot store one)
    or a multipart part without a name (a trailing backslash or an unterminated quote in
    name= leaves none): refuse such requests up front with a clear 400, before the CSRF
    check or any view reads the form."""
    if "\x00" in request.path:
        abort(400)
    try:
        for values in (request.args, request.form, request.files):
            if any(_malformed(key, value) for key, value in values.items(multi=True)):
                abort(400)
    except ValueError:  # an undecodable body or header the parser gives up on
        abort(400)


def register_security(app: Flask) -> None:
    # First of all the before-request functions: CSRFProtect's own reads the form.
    app.before_request_funcs.setdefault(None, []).insert(0, refuse_malformed)
    app.before_request(enforce_session_timeouts)
    app.after_request(set_security_headers)
