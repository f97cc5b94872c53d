"""Forgotten passwords: single-use links that expire (RELAIS_PASSWORD_RESET_MINUTES).

A link is asked for by email from the login page (tasks.py sends it, so the page answers in
the same time whether the address is known or not), issued by an administrator to copy, or
printed by `flask users reset-password`. Only the token's SHA-256 is stored. Using a link
sets the password, spends it and the user's other links, and ends the user's sessions.
"""

from __future__ import annotations

import hashlib
import logging
import re
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import delete, select, update

from app.auth import mail, users
from app.core.errors import ServiceError
from app.extensions import db
from app.models import AuditEvent, User
from app.models.base import utcnow
from app.models.user import PasswordReset
from app.security import hash_password, password_problem

RESET_MINUTES = 60
RESET_MINUTES_MAX = 7 * 24 * 60
# secrets.token_urlsafe(32) gives 43 characters; anything else is refused before a query.
TOKEN_PATTERN = re.compile(r"[A-Za-z0-9_-]{43}")
# The CLI runs outside any request: without RELAIS_BASE_URL its links name the address
# `flask run` serves by default.
CLI_BASE_URL = "http://localhost:5000"
log = logging.getLogger("relais.auth")


class LinkRefused(ServiceError):
    """A link that cannot be used: unknown, used, expired or of a deactivated account, all
    told the same way."""


@dataclass(frozen=True)
class ResetLink:
    """A plain link, known only when it is made: emailed, shown once, or printed."""

    user: User
    url: str
    expires_at: datetime
    reset_id: int


def reset_minutes() -> int:
    minutes = current_app.config.get("RELAIS_PASSWORD_RESET_MINUTES", RESET_MINUTES)
    valid = isinstance(minutes, int) and 1 <= minutes <= RESET_MINUTES_MAX
    return minutes if valid else RESET_MINUTES


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def link_url(base: str, token: str) -> str:
    return base.rstrip("/") + "/reset/" + token


def emailing() -> bool:
    """Whether links can be emailed: SMTP, and the public address the links start with (an
    address taken from the request's Host header would let anyone send a user a link to
    their own site, carrying the token)."""
    config = current_app.config
    return bool(config.get("SMTP_HOST") and config.get("RELAIS_BASE_URL"))


def refused() -> LinkRefused:
    return LinkRefused(_("This link to choose a new password is invalid, has expired or "
                         "was already used."))


def issue(user: User, base_url: str, issued_by: User | None = None,
          audited: bool = False) -> ResetLink:
    """A new link for an active account; an administrator's (`issued_by`) or the CLI's
    (`audited`) is written to the audit log with its expiry, never its token."""
    if not user.active:
        raise ServiceError(_("%(email)s is deactivated: reactivate the account first.",
                             email=user.email))
    token = secrets.token_urlsafe(32)
    expires = utcnow() + timedelta(minutes=reset_minutes())
    reset = PasswordReset(user_id=user.id, token_hash=token_hash(token), expires_at=expires,
                          issued_by_id=issued_by.id if issued_by else None)
    db.session.add(reset)
    if issued_by is not None or audited:
        until = expires.replace(microsecond=0).isoformat()
        db.session.add(AuditEvent(
            user_id=issued_by.id if issued_by else None, entity_type="user",
            entity_id=user.id, action="update",
            changes={"password_reset_link_until": [None, until]}))
    db.session.commit()
    log.info("password reset link for %s issued by %s", user.email,
             issued_by.email if issued_by else ("the CLI" if audited else "email"))
    return ResetLink(user, link_url(base_url, token), expires, reset.id)


def issue_for_cli(email: str) -> ResetLink:
    user = users.get_by_email(email or "")
    if user is None:
        raise ServiceError(_("No user has the email %(email)s.", email=email))
    base = current_app.config.get("RELAIS_BASE_URL") or CLI_BASE_URL
    return issue(user, base, audited=True)


def email_link(email: str, locale: str) -> bool:
    """Email a link to the active account of `email`, in its user's language (else
    `locale`); whether one was sent. Nothing is sent to an unknown or deactivated address."""
    if not emailing():
        return False
    user = users.get_by_email(email or "")
    if user is None or not user.active:
        log.info("password reset asked for an unknown or deactivated account: %r", email)
        return False
    link = issue(user, current_app.config["RELAIS_BASE_URL"])
    if mail.send_reset_link(user, link.url, link.expires_at, user.locale or locale):
        return True
    # Not delivered: a link nobody can read is withdrawn.
    db.session.execute(delete(PasswordReset).where(PasswordReset.id == link.reset_id))
    db.session.commit()
    return False


def find_valid(token: str) -> PasswordReset | None:
    """The link of this token while it can be used, else None."""
    if not isinstance(token, str) or not TOKEN_PATTERN.fullmatch(token):
        return None
    reset = db.session.scalar(select(PasswordReset)
                              .where(PasswordReset.token_hash == token_hash(token)))
    if reset is None or reset.used_at is not None or reset.expires_at <= utcnow():
        return None
    user = db.session.get(User, reset.user_id)
    return reset if user is not None and user.active else None


def consume(token: str, password: str) -> User:
    """Set the password through a link: a ServiceError saying why the password is refused
    (the link stays usable), or a LinkRefused."""
    reset = find_valid(token)
    if reset is None:
        raise refused()
    user = db.session.get(User, reset.user_id)
    problem = password_problem(password, email=user.email, name=user.name)
    if problem:
        raise ServiceError(problem)
    now = utcnow()
    # Spent by a conditional UPDATE: of two uses at once, one changes the row, the other
    # finds it spent (PostgreSQL's row lock, SQLite's write lock).
    claimed = db.session.execute(
        update(PasswordReset)
        .where(PasswordReset.id == reset.id, PasswordReset.used_at.is_(None),
               PasswordReset.expires_at > now)
        .values(used_at=now).execution_options(synchronize_session=False)).rowcount
    if claimed != 1:
        db.session.rollback()
        raise refused()
    users.void_reset_links(user.id, now)
    user.password_hash = hash_password(password)
    user.rotate_session_token()  # every open session ends
    db.session.add(AuditEvent(user_id=user.id, entity_type="user", entity_id=user.id,
                              action="update", changes={"password_reset_link_used": [None, True]}))
    db.session.commit()
    log.info("password of %s reset through a link", user.email)
    return user
