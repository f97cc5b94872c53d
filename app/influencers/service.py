"""Writing influencers: identity, social accounts, audience snapshots, trash (the timeline:
interactions.py).

Every function here owns its transaction (it commits, or rolls back and raises a
ServiceError the user can act on). The audit trail is written by the flush listeners of
app.core.audit; only tag changes, which are not columns, are logged by hand here.
"""

from __future__ import annotations

import math
from datetime import date
from typing import Any

from flask_babel import gettext as _
from sqlalchemy import func, or_, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import selectinload
from sqlalchemy.orm.exc import StaleDataError

from app.core.audit import acting_as, acting_user_id
from app.core.errors import Conflict, NotFound, ServiceError, check_version
from app.extensions import db
from app.imports.parsing.handles import HandleError, normalise_handle
from app.models import (
    AudienceShare,
    AudienceSnapshot,
    AuditEvent,
    Influencer,
    SocialAccount,
    Tag,
    User,
)
from app.models.base import utcnow
from app.models.influencer import AUDIENCE_DIMENSIONS, mark_latest, refresh_denormalised

# Identity and GDPR columns a form may write; nothing else (no id, version, erased_at…).
EDITABLE = (
    "display_name", "legal_name", "kind", "email", "phone", "address", "city", "country",
    "tax_country", "languages", "date_of_birth", "agent_name", "agent_email", "owner_id",
    "status", "notes", "data_source", "data_source_detail", "lawful_basis", "informed_on",
    "consent_on",
)
ACCOUNT_FIELDS = (
    "followers", "following", "posts", "avg_likes", "avg_comments", "avg_views",
    "engagement_rate", "credibility", "figures_on",
)
SHARE_TOLERANCE = 0.011  # rounded percentages typed by hand may add up to 100.1 %
TAG_MAX = 60


class DuplicateAccount(ServiceError):
    """(platform, handle) already belongs to someone: the view links to that record."""

    def __init__(self, existing: SocialAccount) -> None:
        owner = existing.influencer
        self.influencer_id = owner.id
        self.influencer_name = owner.display_name
        self.in_trash = owner.deleted_at is not None
        super().__init__(
            _("This account already belongs to %(name)s.", name=owner.display_name)
        )


# --- reading -------------------------------------------------------------------------

def get_live(influencer_id: int) -> Influencer:
    """A live (not deleted) influencer, or NotFound (the view answers 404)."""
    influencer = db.session.get(Influencer, influencer_id)
    if influencer is None or influencer.deleted_at is not None:
        raise NotFound(_("This influencer does not exist or is in the trash."))
    return influencer


def get_any(influencer_id: int) -> Influencer:
    influencer = db.session.get(Influencer, influencer_id)
    if influencer is None:
        raise NotFound(_("This influencer does not exist."))
    return influencer


def history(influencer: Influencer, limit: int = 200) -> list[AuditEvent]:
    return list(db.session.scalars(
        select(AuditEvent)
        .options(selectinload(AuditEvent.user))
        .where(AuditEvent.influencer_id == influencer.id)
        .order_by(AuditEvent.at.desc(), AuditEvent.id.desc())
        .limit(limit)
    ))


def trash_statement():
    return (
        select(Influencer)
        .where(Influencer.deleted_at.is_not(None), Influencer.erased_at.is_(None))
        .order_by(Influencer.deleted_at.desc(), Influencer.id.desc())
    )


# --- influencer ------------------------------------------------------------------------

def _apply(influencer: Influencer, data: dict[str, Any]) -> None:
    for key in EDITABLE:
        if key in data:
            setattr(influencer, key, data[key])


def create_influencer(data: dict[str, Any], accounts: list[dict[str, Any]] | None = None,
                      tags: list[str] | None = None, user: User | None = None) -> Influencer:
    influencer = Influencer(display_name=data.get("display_name") or "")
    _apply(influencer, data)
    if user is not None and influencer.owner_id is None and "owner_id" not in data:
        influencer.owner_id = user.id
    if user is not None:
        influencer.created_by_id = user.id
    try:
        for spec in accounts or []:
            influencer.accounts.append(_new_account(spec))
        db.session.add(influencer)
        _set_tags(influencer, tags or [], log=False)
        refresh_denormalised(influencer)
        with acting_as(user.id if user else acting_user_id()):
            db.session.commit()
    except IntegrityError as error:
        db.session.rollback()
        _raise_duplicate(accounts or [], error)
    except ServiceError:
        db.session.rollback()
        raise
    return influencer


def update_influencer(influencer: Influencer, data: dict[str, Any], expected_version: int,
                      tags: list[str] | None = None) -> Influencer:
    """Optimistic locking: a save based on an older version raises Conflict, never
    overwrites. The version check is repeated by the database (StaleDataError) for two
    saves racing within the same instant."""
    if expected_version != influencer.version:
        raise Conflict(influencer, data)
    try:
        _apply(influencer, data)
        if tags is not None:
            _set_tags(influencer, tags)
        refresh_denormalised(influencer)  # may autoflush: inside the try
        db.session.commit()
    except StaleDataError:
        db.session.rollback()
        raise Conflict(get_any(influencer.id), data) from None
    return influencer


def parse_tags(text: str | None) -> list[str]:
    """"Beauté, vegan ,  Paris" → ["Beauté", "vegan", "Paris"] (blanks and repeats dropped)."""
    seen: dict[str, str] = {}
    for raw in (text or "").split(","):
        name = " ".join(raw.split())
        if name and name.casefold() not in seen:
            seen[name.casefold()] = name
    return list(seen.values())


def _set_tags(influencer: Influencer, names: list[str], log: bool = True) -> None:
    names = [n[:TAG_MAX] for n in names]
    old = sorted(influencer.tag_names)
    wanted: dict[str, str] = {}
    for name in names:
        wanted.setdefault(name.casefold(), name)
    existing: dict[str, Tag] = {}
    if names:
        # Exact names too: SQLite's lower() folds ASCII only ("Été" stays "Été").
        found = db.session.scalars(select(Tag).where(or_(
            Tag.name.in_(names), func.lower(Tag.name).in_([n.lower() for n in names])
        )))
        existing = {t.name.casefold(): t for t in found}
    tags = []
    for folded, name in wanted.items():
        tag = existing.get(folded)
        if tag is None:
            tag = Tag(name=name)
            db.session.add(tag)
            existing[folded] = tag
        tags.append(tag)
    influencer.tags = tags
    if log and old != sorted(t.name for t in tags):
        # The audit listener records the tag change; touching a column bumps the
        # version too, so a tag change is a change for optimistic locking.
        influencer.updated_at = utcnow()


def delete_influencer(influencer: Influencer) -> None:
    influencer.deleted_at = utcnow()
    db.session.commit()


def restore_influencer(influencer: Influencer) -> None:
    if influencer.erased_at is not None:
        raise ServiceError(_("This person was erased (GDPR): there is nothing to restore."))
    influencer.deleted_at = None
    db.session.commit()


# --- social accounts -------------------------------------------------------------------

def _existing_account(platform: str, handle: str) -> SocialAccount | None:
    return db.session.scalar(
        select(SocialAccount).where(SocialAccount.platform == platform,
                                    SocialAccount.handle == handle)
    )


def _normalised(spec: dict[str, Any]) -> tuple[str, str, str | None]:
    try:
        platform, handle, url = normalise_handle(spec["handle"], spec.get("platform"))
    except HandleError as error:
        raise ServiceError(_(error.template, **error.params)) from error
    return platform, handle, spec.get("profile_url") or url


def _new_account(spec: dict[str, Any]) -> SocialAccount:
    platform, handle, url = _normalised(spec)
    existing = _existing_account(platform, handle)
    if existing is not None:
        raise DuplicateAccount(existing)
    account = SocialAccount(platform=platform, handle=handle, profile_url=url)
    for key in ACCOUNT_FIELDS:
        if spec.get(key) is not None:
            setattr(account, key, spec[key])
    return account


def _raise_duplicate(specs: list[dict[str, Any]], error: Exception) -> None:
    """A unique-constraint race: find who won it and say so; anything else is re-raised."""
    for spec in specs:
        platform, handle, _url = _normalised(spec)
        existing = _existing_account(platform, handle)
        if existing is not None:
            raise DuplicateAccount(existing) from error
    raise error


def add_account(influencer: Influencer, spec: dict[str, Any]) -> SocialAccount:
    account = _new_account(spec)
    try:
        influencer.accounts.append(account)
        refresh_denormalised(influencer)
        db.session.commit()
    except IntegrityError as error:
        db.session.rollback()
        _raise_duplicate([spec], error)
    return account


def update_account(account: SocialAccount, spec: dict[str, Any],
                   expected_version: int | None) -> SocialAccount:
    check_version(account, spec, expected_version)
    platform, handle, url = _normalised(spec)
    existing = _existing_account(platform, handle)
    if existing is not None and existing.id != account.id:
        raise DuplicateAccount(existing)
    if (platform, handle) != (account.platform, account.handle):
        account.profile_url = url
    elif spec.get("profile_url"):
        account.profile_url = spec["profile_url"]
    account.platform, account.handle = platform, handle
    try:
        for key in ACCOUNT_FIELDS:
            if key in spec:
                setattr(account, key, spec[key])
        refresh_denormalised(account.influencer)
        db.session.commit()
    except StaleDataError:
        db.session.rollback()
        raise Conflict(db.session.get(SocialAccount, account.id), spec) from None
    except IntegrityError as error:
        db.session.rollback()
        _raise_duplicate([spec], error)
    return account


def remove_account(account: SocialAccount) -> None:
    influencer = account.influencer
    db.session.delete(account)  # cascades to its snapshots and their shares
    db.session.flush()
    db.session.expire(influencer, ["accounts"])
    refresh_denormalised(influencer)
    db.session.commit()


# --- audience snapshots ----------------------------------------------------------------

def _checked_shares(shares: dict[str, dict[str, float]]) -> dict[str, dict[str, float]]:
    clean: dict[str, dict[str, float]] = {}
    for dimension, values in shares.items():
        if dimension not in AUDIENCE_DIMENSIONS:
            raise ServiceError(_("Unknown audience dimension: %(name)s.", name=dimension))
        kept = {}
        for key, share in values.items():
            if share is None:
                continue
            if not isinstance(share, int | float) or math.isnan(share) or not 0 <= share <= 1:
                raise ServiceError(_("A share must be between 0 and 100 %."))
            key = str(key).strip()[:60]
            if key and share > 0:
                kept[key] = kept.get(key, 0.0) + float(share)
        if sum(kept.values()) > 1 + SHARE_TOLERANCE:
            raise ServiceError(_("The shares of “%(dimension)s” add up to more than 100 %%.",
                                 dimension=dimension))
        if kept:
            clean[dimension] = kept
    return clean


def add_snapshot(account: SocialAccount, taken_on: date, shares: dict[str, dict[str, float]],
                 followers: int | None = None, credibility: float | None = None,
                 source: str | None = None) -> AudienceSnapshot:
    """A new dated snapshot; earlier ones are kept (growth over time), only their
    `is_latest` flag moves to whichever snapshot is now the most recent."""
    clean = _checked_shares(shares)
    if credibility is not None and not 0 <= credibility <= 1:
        raise ServiceError(_("Credibility must be between 0 and 100 %."))
    snapshot = AudienceSnapshot(
        account=account, influencer_id=account.influencer_id, taken_on=taken_on,
        followers=followers, credibility=credibility, source=source,
    )
    for dimension, values in clean.items():
        ranked = sorted(values.items(), key=lambda kv: (-kv[1], kv[0]))
        for rank, (key, share) in enumerate(ranked, start=1):
            snapshot.shares.append(AudienceShare(
                influencer_id=account.influencer_id, dimension=dimension, key=key,
                share=share, rank=rank,
            ))
    db.session.add(snapshot)
    db.session.flush()
    latest = max(account.snapshots, key=lambda s: (s.taken_on, s.id))
    for each in account.snapshots:
        mark_latest(each, each is latest)
    if latest is snapshot:
        _copy_figures(account, snapshot)
    db.session.commit()
    return snapshot




def _copy_figures(account: SocialAccount, snapshot: AudienceSnapshot) -> None:
    if snapshot.followers is not None:
        account.followers = snapshot.followers
        account.figures_on = snapshot.taken_on
    if snapshot.credibility is not None:
        account.credibility = snapshot.credibility
    refresh_denormalised(account.influencer)
