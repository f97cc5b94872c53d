"""Friendly error pages in both languages; JSON errors for JSON clients; no stack traces."""

from __future__ import annotations

import logging

from flask import Flask, jsonify, make_response, render_template, request
from flask_babel import gettext as _
from flask_wtf.csrf import CSRFError
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm.exc import StaleDataError
from werkzeug.exceptions import HTTPException, InternalServerError

from app.extensions import db

log = logging.getLogger("relais.errors")


def wants_json() -> bool:
    if request.path.startswith("/api/") or request.is_json:
        return True
    best = request.accept_mimetypes.best_match(["text/html", "application/json"])
    mimetypes = request.accept_mimetypes
    return best == "application/json" and mimetypes[best] > mimetypes["text/html"]


def _messages() -> dict[int, str]:
    return {
        400: _("The request could not be understood. Check what you typed and try again."),
        401: _("Please log in."),
        403: _("You do not have the rights to do this. Ask an administrator if you need them."),
        404: _("This page does not exist, or the record was deleted."),
        405: _("This action is not allowed here."),
        409: _("Someone else changed this record in the meantime."),
        413: _("The file is too large."),
        429: _("Too many attempts. Wait a few minutes and try again."),
        500: _("Something went wrong on our side. The team has been notified; nothing you "
               "saved before is lost."),
    }


def _render(code: int, message: str | None = None):
    message = message or _messages().get(code, _messages()[500])
    if wants_json():
        return jsonify(error={"code": code, "message": message}), code
    return render_template("errors/error.html", code=code, message=message), code


def register_error_handlers(app: Flask) -> None:
    @app.errorhandler(CSRFError)
    def csrf_error(error: CSRFError):
        return _render(400, _("The form expired or was sent from elsewhere. Reload the page "
                              "and try again."))

    @app.errorhandler(HTTPException)
    def http_error(error: HTTPException):
        if isinstance(error, InternalServerError):
            return internal_error(error)
        if error.code == 413:
            return _render(413, _("The file is too large (limit: %(mb)d MB).",
                                  mb=app.config["MAX_CONTENT_LENGTH"] // (1024 * 1024)))
        return _render(error.code or 500)

    @app.errorhandler(OperationalError)
    def database_busy(error: OperationalError):
        """SQLite's write lock or PostgreSQL's table locks held past the wait (a big first
        import holds them until it commits): say so, keep nothing, ask to try again."""
        found = str(getattr(error, "orig", error)).lower()
        if "database is locked" not in found and "lock timeout" not in found:
            return internal_error(error)
        log.warning("database busy on %s %s: %s", request.method, request.path, found[:200])
        db.session.rollback()
        response = make_response(_render(503, _(
            "The database is busy writing a large import. Nothing was saved: try again in a "
            "minute.")))
        response.headers["Retry-After"] = "60"
        return response

    @app.errorhandler(StaleDataError)
    def lost_race(error: StaleDataError):
        """Two people saved the same record at the same moment and no service caught it:
        the second is told, as for any stale save (409), never a 500."""
        log.warning("concurrent change on %s %s: %s", request.method, request.path, error)
        db.session.rollback()
        return _render(409)

    @app.errorhandler(Exception)
    def internal_error(error: Exception):
        log.exception("unhandled error on %s %s", request.method, request.path)
        db.session.rollback()
        return _render(500)
