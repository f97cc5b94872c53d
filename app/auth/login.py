"""Login, logout and the Flask-Login wiring (sessions keyed by a rotating token).

No remember-me cookie is issued ("keep me signed in" keeps the session cookie instead, see
`app.security.start_session`); one left by an older version never opens a session: it
carries no login time, so `enforce_session_timeouts` ends it and deletes the cookie."""

from __future__ import annotations

from flask import Flask
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from app.extensions import db, login_manager


def init_login(app: Flask) -> None:
    login_manager.init_app(app)
    login_manager.login_view = "auth.login"
    login_manager.login_message = _l("Please log in to see this page.")
    login_manager.login_message_category = "info"
    login_manager.session_protection = "basic"

    @login_manager.user_loader
    def load_user(token: str):
        from app.models import User

        # The cookie holds the session token, not the id: rotating it on logout,
        # password change or deactivation invalidates every session server-side.
        return db.session.scalar(select(User).where(User.session_token == token))
