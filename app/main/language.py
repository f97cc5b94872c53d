"""The header's language switch: a user's choice is kept on their account (the profile's
setting), a visitor's (the login page) in the session; then back to the same page."""

from __future__ import annotations

from flask import Blueprint, Flask, abort, current_app, redirect, request, session, url_for
from flask_login import current_user

from app.auth.users import update_profile
from app.security import safe_next_url

bp = Blueprint("language", __name__)

# Where a visitor's choice is kept; app/i18n/formats.py reads it after the account's own.
SESSION_KEY = "locale"


@bp.post("/language")
def switch():
    """Public: the login page offers it; a user changes only their own account."""
    locale = request.form.get("locale", "")
    if locale not in current_app.config["LANGUAGES"]:
        abort(400)
    if current_user.is_authenticated:
        update_profile(current_user._get_current_object(), current_user.name, locale)
    else:
        session[SESSION_KEY] = locale
    return redirect(safe_next_url(request.form.get("next")) or url_for("main.dashboard"))


def register_language(app: Flask) -> None:
    app.register_blueprint(bp)
