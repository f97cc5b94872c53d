"""Saved views of the influencer list: a name for the list's filters and sort (its query
string without the page), personal or shared with the team.

Anyone may save personal views; sharing takes a member. A view is deleted or renamed by
its owner; a shared one may also be deleted by a manager. Someone else's personal view is
never shown nor reachable (404).
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import parse_qsl, urlencode

from flask_babel import gettext as _
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from app.collation import sort_key
from app.core import driver_sql
from app.core.errors import NotAllowed, NotFound, ServiceError
from app.extensions import db
from app.models import SavedView, User

NAME_MAX = 80  # the column's length
QUERY_MAX = 2000
SIDEBAR_MAX = 200  # views read for the sidebar: mine and the shared ones


@dataclass(frozen=True)
class Entry:
    """A view as the sidebar lists it."""

    id: int
    name: str
    query: str
    shared: bool
    mine: bool
    owner: str


def encode(params, allowed: set[str] | None = None) -> str:
    """The stored form of a list query: `page` and empty values dropped, names sorted, so
    that the same filters always read the same (the current view is found by equality).
    `params`: (name, value) pairs; `allowed`: the list's parameter names."""
    kept = sorted((name, value.replace("\x00", "").strip()) for name, value in params
                  if name != "page" and (allowed is None or name in allowed))
    return urlencode([(name, value) for name, value in kept if value])


def clean_query(query: str, allowed: set[str]) -> str:
    """A posted query string reduced to the list's parameters; refused when too long."""
    encoded = encode(parse_qsl((query or "").lstrip("?")), allowed)
    if len(encoded) > QUERY_MAX:
        raise ServiceError(_("These filters are too long to be saved as a view."))
    return encoded


def clean_name(name: str | None) -> str:
    text = " ".join((name or "").replace("\x00", "").split())
    if not text:
        raise ServiceError(_("Give the view a name."))
    if len(text) > NAME_MAX:
        raise ServiceError(_("A view’s name has at most %(max)d characters.", max=NAME_MAX))
    return text


def sidebar(user_id: int) -> tuple[list[Entry], list[Entry]]:
    """The user's views, then the views others shared: one query, names in French order."""
    rows = driver_sql.fetch(  # every list page's: sent as written (app/core/driver_sql.py)
        'SELECT saved.id, saved.name, saved."query", saved.shared, saved.owner_id, person.name '
        'FROM saved_view AS saved JOIN "user" AS person ON person.id = saved.owner_id '
        "WHERE saved.owner_id = {p} OR saved.shared = {p} ORDER BY saved.id LIMIT {p}",
        user_id, True, SIDEBAR_MAX)
    entries = sorted((Entry(ident, name, query, bool(shared), owner_id == user_id, owner)
                      for ident, name, query, shared, owner_id, owner in rows),
                     key=lambda e: (sort_key(e.name), e.id))
    return [e for e in entries if e.mine], [e for e in entries if not e.mine]


def current(entries: list[Entry], query: str) -> Entry | None:
    """The first of `entries` (the user's own come first) showing the page's `query`."""
    return next((entry for entry in entries if entry.query == query), None)


def _taken(user: User, name: str, shared: bool, except_id: int | None = None) -> str | None:
    """Why `name` cannot be used: the user has a view of that name, or (shared) the team has
    a shared one; names compared without case."""
    same = select(SavedView.owner_id, SavedView.shared).where(
        func.lower(SavedView.name) == name.lower())
    if except_id is not None:
        same = same.where(SavedView.id != except_id)
    for owner_id, other_shared in db.session.execute(same):
        if owner_id == user.id:
            return _("You already have a view named “%(name)s”.", name=name)
        if shared and other_shared:
            return _("The team already shares a view named “%(name)s”.", name=name)
    return None


def save(user: User, name: str, query: str, shared: bool, allowed: set[str]) -> SavedView:
    """A new view of the list; `query`: its query string, reduced to `allowed` names."""
    name = clean_name(name)
    if shared and not user.has_role("member"):
        raise NotAllowed(_("Sharing a view with the team takes a member’s role."))
    if problem := _taken(user, name, shared):
        raise ServiceError(problem)
    view = SavedView(owner_id=user.id, name=name, query=clean_query(query, allowed),
                     shared=bool(shared))
    db.session.add(view)
    _commit(name)
    return view


def _commit(name: str) -> None:
    try:
        db.session.commit()
    except IntegrityError:  # the same name saved meanwhile (the unique owner + name)
        db.session.rollback()
        raise ServiceError(_("You already have a view named “%(name)s”.", name=name)) from None


def visible(user: User, view_id: int) -> SavedView:
    """A view the user may see: their own or a shared one; NotFound otherwise (someone
    else's personal view is not told apart from a missing one)."""
    view = db.session.get(SavedView, view_id)
    if view is None or not (view.owner_id == user.id or view.shared):
        raise NotFound(_("This view does not exist or is not shared with you."))
    return view


def delete(user: User, view_id: int) -> str:
    """Delete a view (returns its name): one's own, or as a manager a shared one."""
    view = visible(user, view_id)
    if view.owner_id != user.id and not user.has_role("manager"):
        raise NotAllowed(_("Only its author or a manager can delete a shared view."))
    name = view.name
    db.session.delete(view)
    db.session.commit()
    return name


def rename(user: User, view_id: int, name: str) -> SavedView:
    view = visible(user, view_id)
    if view.owner_id != user.id:
        raise NotAllowed(_("Only its author can rename a view."))
    name = clean_name(name)
    if problem := _taken(user, name, view.shared, except_id=view.id):
        raise ServiceError(problem)
    view.name = name
    _commit(name)
    return view
