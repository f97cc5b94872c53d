"""Reverting an import: the people it created are removed, the ones it updated get their
previous values back (from its `ImportChange` rows, written by import_writer.py).

An import that created someone now under contract cannot be reverted: contracts are kept.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from flask_babel import gettext as _
from sqlalchemy import delete, select, update

from app.extensions import db
from app.models import (
    AudienceShare,
    AudienceSnapshot,
    AuditEvent,
    Contract,
    Import,
    ImportChange,
    Influencer,
    SocialAccount,
    Tag,
    User,
    influencer_tag,
)
from app.models.base import utcnow
from app.services import ServiceError
from app.services.audit import acting_as

_INF, _ACC, _SNAP = Influencer.__table__, SocialAccount.__table__, AudienceSnapshot.__table__


def revert(imp: Import, user: User | None) -> None:
    """Remove the people the import created, give the ones it updated their values back."""
    if imp.status == "reverted":
        raise ServiceError(_("This import has already been reverted."))
    if imp.dry_run or imp.status not in {"done", "failed"}:
        raise ServiceError(_("Only an import that wrote something can be reverted."))
    session = db.session
    created = select(Influencer.id).where(Influencer.import_id == imp.id)
    if session.scalar(select(Contract.id).where(Contract.influencer_id.in_(created)).limit(1)):
        raise ServiceError(_("This import cannot be reverted: someone it created has a "
                             "contract, which must be kept."))
    changes = session.scalars(select(ImportChange).where(ImportChange.import_id == imp.id)
                              .order_by(ImportChange.id.desc())).all()
    with acting_as(user.id if user else None):
        for change in changes:
            undo_change(change)
        for model in (AudienceShare, AudienceSnapshot, SocialAccount):
            session.execute(delete(model).where(model.influencer_id.in_(created)))
        session.execute(delete(influencer_tag).where(influencer_tag.c.influencer_id.in_(created)))
        session.execute(delete(Influencer).where(Influencer.import_id == imp.id))
        imp.status, imp.reverted_at = "reverted", utcnow()
        imp.reverted_by_id = user.id if user else None
        session.add(AuditEvent(user_id=user.id if user else None, entity_type="import",
                               entity_id=imp.id, action="revert", changes=imp.counts()))
        session.commit()


_DATES = {"date_of_birth", "figures_on"}


def _unjson(field: str, value: Any) -> Any:
    return date.fromisoformat(value) if field in _DATES and isinstance(value, str) else value


def undo_change(change: ImportChange) -> None:
    """Put back what one real run changed on one existing influencer (revert)."""
    from app.services.influencers import _mark_latest, refresh_denormalised

    session = db.session
    before = change.before or {}
    person = before.get("person") or {}
    if person:
        session.execute(update(_INF).where(_INF.c.id == change.influencer_id).values(
            {k: _unjson(k, v) for k, v in person.items()}))
    for account_id, saved in (before.get("accounts") or {}).items():
        session.execute(update(_ACC).where(_ACC.c.id == int(account_id)).values(
            {k: _unjson(k, v) for k, v in saved.items()}))
    if change.created_account_ids:
        session.execute(delete(_ACC).where(_ACC.c.id.in_(change.created_account_ids)))
    if before.get("snapshot_ids"):
        session.execute(delete(_SNAP).where(_SNAP.c.id.in_(before["snapshot_ids"])))
    added = {t.casefold() for t in before.get("tags_added") or []}
    if added:
        tag_ids = [i for i, name in session.execute(select(Tag.id, Tag.name).join(
            influencer_tag, influencer_tag.c.tag_id == Tag.id).where(
            influencer_tag.c.influencer_id == change.influencer_id)) if name.casefold() in added]
        session.execute(delete(influencer_tag).where(
            influencer_tag.c.influencer_id == change.influencer_id,
            influencer_tag.c.tag_id.in_(tag_ids)))
    session.expire_all()
    influencer = session.get(Influencer, change.influencer_id)
    if influencer is None:
        return
    for account in influencer.accounts:
        if account.snapshots:
            latest = max(account.snapshots, key=lambda s: (s.taken_on, s.id))
            for snapshot in account.snapshots:
                _mark_latest(snapshot, snapshot is latest)
    refresh_denormalised(influencer)
    session.flush()
