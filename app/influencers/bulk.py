"""Bulk actions on the influencer list: the ticked people (or every person matching the
list's filters) get a status, an owner or a tag.

Through the ORM (one object per person), so the audit listener records every change; at
most BULK_MAX people at a time.
"""

from __future__ import annotations

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import selectinload
from sqlalchemy.orm.exc import StaleDataError

from app.auth import users
from app.core.errors import ServiceError
from app.extensions import db
from app.influencers import query as listing
from app.influencers.list_filters import matching_filters
from app.models import Influencer, Tag, User
from app.models.base import utcnow
from app.models.influencer import STATUSES

BULK_MAX = 500


def parse_ids(values: list[str]) -> list[int]:
    ids = []
    for value in values[:BULK_MAX]:
        try:
            number = int(value)
        except (TypeError, ValueError):
            continue
        if 0 < number < 2**31:
            ids.append(number)
    return list(dict.fromkeys(ids))


def chosen_ids(values, user_id: int | None) -> list[int]:
    """The people a bulk action acts on, from the posted `values`: the ticked `ids`, or
    with `all_matching=1` every person matching the list's filters (`query`, the list's
    query string)."""
    if values.get("all_matching") == "1":
        return matching_ids(matching_filters(values.get("query", ""), users.team()), user_id)
    return parse_ids(values.getlist("ids"))


def matching_ids(filters: dict, user_id: int | None) -> list[int]:
    """The live influencers matching the list's `filters` (matching_filters), in the
    list's name order; refused past BULK_MAX rather than acting on a part of them."""
    ids = list(db.session.scalars(
        select(Influencer.id).where(*listing.conditions(filters, user_id))
        .order_by(Influencer.sort_name, Influencer.id).limit(BULK_MAX + 1)))
    if not ids:
        raise ServiceError(_("No influencer matches these filters any more."))
    if len(ids) > BULK_MAX:
        raise ServiceError(_("More than %(max)d influencers match these filters: narrow them "
                             "down (at most %(max)d at a time).", max=BULK_MAX))
    return ids


def bulk_update(ids: list[int], action: str, value: str) -> int:
    """Apply one action to the live influencers among `ids`; returns how many were changed.
    Through the ORM, so the audit listener records every column change."""
    if not ids:
        raise ServiceError(_("Select at least one influencer."))
    influencers = list(db.session.scalars(
        select(Influencer).where(Influencer.id.in_(ids), Influencer.deleted_at.is_(None))
        .options(selectinload(Influencer.tags))
    ))
    if not influencers:
        raise ServiceError(_("None of the selected influencers exists any more."))
    if action == "status":
        if value not in STATUSES:
            raise ServiceError(_("Unknown status."))
        changed = [i for i in influencers if i.status != value]
        for influencer in changed:
            influencer.status = value
    elif action == "owner":
        changed = _set_owner(influencers, value)
    elif action == "tag":
        changed = _add_tag(influencers, value)
    else:
        raise ServiceError(_("Unknown action."))
    try:
        db.session.commit()
    except StaleDataError:
        db.session.rollback()
        raise ServiceError(_("Someone changed one of these influencers meanwhile; "
                             "nothing was saved. Please try again.")) from None
    return len(changed)


def _set_owner(influencers: list[Influencer], value: str) -> list[Influencer]:
    owner_id = None
    if value != "none":
        try:
            owner_id = int(value)
        except ValueError:
            owner_id = -1
        if not db.session.scalar(select(User.id).where(User.id == owner_id,
                                                       User.active.is_(True))):
            raise ServiceError(_("This owner is not an active member of the team."))
    changed = [i for i in influencers if i.owner_id != owner_id]
    for influencer in changed:
        influencer.owner_id = owner_id
    return changed


def _add_tag(influencers: list[Influencer], value: str) -> list[Influencer]:
    name = " ".join(value.replace("\x00", "").split())[:60]
    if not name:
        raise ServiceError(_("Type the tag to add."))
    tag = next((t for t in db.session.scalars(select(Tag))
                if t.name.casefold() == name.casefold()), None)
    if tag is None:
        tag = Tag(name=name)
        db.session.add(tag)
    changed = [i for i in influencers if tag not in i.tags]
    for influencer in changed:
        influencer.tags.append(tag)  # the audit listener logs tag changes too
        influencer.updated_at = utcnow()  # bumps the version: a tag change is a change
    return changed
