"""Team members: creation, authentication, roles, deactivation, profile."""

from __future__ import annotations

import logging
from datetime import datetime

from email_validator import EmailNotValidError, validate_email
from flask_babel import gettext as _
from sqlalchemy import func, select, text, update

from app.core import driver_sql
from app.core.errors import ServiceError
from app.extensions import db
from app.models import User
from app.models.base import utcnow
from app.models.user import LOCALES, ROLES, PasswordReset
from app.security import hash_password, password_problem, verify_password

log = logging.getLogger("relais.auth")
LOGIN_EMAIL_MAX = 254  # the login form's Length(max=254)

# Compared against when the email is unknown, so that timing does not reveal accounts.
_DUMMY_HASH: str | None = None


def get_by_email(email: str) -> User | None:
    return db.session.scalar(select(User).where(func.lower(User.email) == email.strip().lower()))


def email_problem(email: str) -> str | None:
    """Why an address could never log in, or None: the login form's own rules (wtforms'
    Email(), which is email_validator without a DNS lookup, and at most 254 characters),
    so that no account is created that the login form would refuse."""
    email = (email or "").strip()
    try:
        validate_email(email, check_deliverability=False, allow_smtputf8=True,
                       allow_empty_local=False)
    except EmailNotValidError:
        return _("This email address is not valid: %(email)s.", email=email)
    if len(email) > LOGIN_EMAIL_MAX:
        return _("This email address is too long (%(max)d characters at most).",
                 max=LOGIN_EMAIL_MAX)
    return None


def create_user(email: str, name: str, password: str, role: str = "member",
                locale: str | None = None) -> User:
    problem = email_problem(email)
    if problem:
        raise ServiceError(problem)
    email = email.strip().lower()
    if role not in ROLES:
        raise ServiceError(_("Unknown role: %(role)s.", role=role))
    if locale is not None and locale not in LOCALES:
        raise ServiceError(_("Unknown language: %(locale)s.", locale=locale))
    if get_by_email(email):
        raise ServiceError(_("A user with this email already exists."))
    problem = password_problem(password, email=email, name=name)
    if problem:
        raise ServiceError(problem)
    user = User(email=email, name=name.strip() or email, password_hash=hash_password(password),
                role=role, locale=locale)
    db.session.add(user)
    db.session.commit()
    log.info("user created: %s (%s)", email, role)
    return user


def authenticate(email: str, password: str, ip: str | None) -> User | None:
    global _DUMMY_HASH
    user = get_by_email(email or "")
    if user is None:
        if _DUMMY_HASH is None:
            _DUMMY_HASH = hash_password("relais-timing-equaliser")
        verify_password(_DUMMY_HASH, password)
        log.warning("failed login for unknown account %r from %s", email, ip)
        return None
    if not verify_password(user.password_hash, password) or not user.active:
        log.warning("failed login for %s from %s", user.email, ip)
        return None
    # A plain UPDATE, not a versioned save: the same person logging in on two devices at
    # the same moment both get in (the row's version check answered the second with 409),
    # and an administrator editing the account is not refused because its owner logged in.
    db.session.execute(update(User).where(User.id == user.id)
                       .values(last_login_at=utcnow())
                       .execution_options(synchronize_session=False))
    db.session.commit()
    log.info("login %s from %s", user.email, ip)
    return user


def end_all_sessions(user: User) -> None:
    user.rotate_session_token()
    db.session.commit()


def void_reset_links(user_id: int, now: datetime | None = None) -> None:
    """Spend every outstanding "forgot password" link of the user (password_reset.py)."""
    db.session.execute(update(PasswordReset)
                       .where(PasswordReset.user_id == user_id, PasswordReset.used_at.is_(None))
                       .values(used_at=now or utcnow())
                       .execution_options(synchronize_session=False))


def change_password(user: User, current: str, new: str) -> None:
    if not verify_password(user.password_hash, current):
        raise ServiceError(_("The current password is wrong."))
    problem = password_problem(new, email=user.email, name=user.name)
    if problem:
        raise ServiceError(problem)
    user.password_hash = hash_password(new)
    user.rotate_session_token()  # other devices are logged out
    void_reset_links(user.id)  # a link asked for before no longer overrides this choice
    db.session.commit()


def update_profile(user: User, name: str, locale: str | None) -> None:
    if locale not in (None, "", *LOCALES):
        raise ServiceError(_("Unknown language: %(locale)s.", locale=locale))
    user.name = name.strip() or user.name
    user.locale = locale or None
    db.session.commit()


def _lock_admins() -> None:
    """Holds the administrators' rows until the commit: PostgreSQL's row locks (in id
    order, so two holders never deadlock), SQLite's write lock (a no-op UPDATE). Two
    administrators removing each other at once are then counted one after the other."""
    if db.session.get_bind().dialect.name == "postgresql":
        db.session.execute(select(User.id).where(User.role == "admin").order_by(User.id)
                           .with_for_update())
    else:
        db.session.execute(text('UPDATE "user" SET role = role WHERE role = \'admin\''))


def _last_admin(user: User) -> bool:
    """Whether `user` is the only active administrator, read again under the lock."""
    if user.role != "admin" or not user.active:
        return False
    _lock_admins()
    db.session.refresh(user)
    others = db.session.scalar(select(func.count()).select_from(User).where(
        User.role == "admin", User.active.is_(True), User.id != user.id)) or 0
    return user.role == "admin" and user.active and others == 0


def set_role(user: User, role: str, acting: User) -> None:
    if role not in ROLES:
        raise ServiceError(_("Unknown role: %(role)s.", role=role))
    if role != "admin" and _last_admin(user):
        db.session.rollback()
        raise ServiceError(_("The last active administrator cannot lose the admin role."))
    user.role = role
    db.session.commit()


def set_active(user: User, active: bool, acting: User) -> None:
    if not active and user.id == acting.id:
        raise ServiceError(_("You cannot deactivate your own account."))
    if not active and _last_admin(user):
        db.session.rollback()
        raise ServiceError(_("The last active administrator cannot be deactivated."))
    user.active = active
    if not active:
        user.rotate_session_token()  # every open session ends now
        void_reset_links(user.id)  # nor can a link open one after a reactivation
    db.session.commit()


def team(with_active: bool = False) -> list[tuple]:
    """Every user (owners may have left the team since), for the owner filter and column:
    (id, name), or (id, name, active) `with_active` (the list page's one query for both its
    filter and its bulk action, which offers the active ones)."""
    rows = driver_sql.fetch(  # every list page's: sent as written (app/core/driver_sql.py)
        'SELECT id, name, active FROM "user" ORDER BY sort_name, id')
    if with_active:
        return [(ident, name, bool(active)) for ident, name, active in rows]
    return [(ident, name) for ident, name, _active in rows]


def active_team() -> list[tuple[int, str]]:
    return [(u.id, u.name) for u in db.session.execute(
        select(User.id, User.name).where(User.active.is_(True)).order_by(User.sort_name, User.id))]
