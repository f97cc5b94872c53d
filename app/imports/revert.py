"""Reverting an import: the people it created are removed, the ones it updated get their
previous values back (app/imports/changes.py keeps what each run changed).

An import that created someone now under contract cannot be reverted: contracts are kept.
"""

from __future__ import annotations

from flask_babel import gettext as _
from sqlalchemy import delete, select, update

from app.core.audit import acting_as, one_action
from app.core.errors import ServiceError
from app.extensions import db
from app.imports import changes, lifecycle
from app.models import (
    AudienceShare,
    AudienceSnapshot,
    AuditEvent,
    Contract,
    Import,
    Influencer,
    SocialAccount,
    User,
    influencer_tag,
)
from app.models.base import utcnow


def _claim(imp: Import) -> None:
    """Take the import for this revert in one conditional UPDATE, before any work: of
    several reverts at once, the first holds the row until it commits and the others then
    match no row and are told it is already reverted (one revert, one event)."""
    claimed = db.session.execute(
        update(Import).where(Import.id == imp.id, Import.dry_run.is_(False),
                             Import.status.in_(lifecycle.TRANSITIONS["revert"].sources))
        .values(status=lifecycle.TRANSITIONS["revert"].target).execution_options(synchronize_session=False))
    if claimed.rowcount != 1:
        db.session.rollback()
        db.session.refresh(imp)
        lifecycle.require(imp, "revert")
        raise ServiceError(_("This import has already been reverted."))


def revert(imp: Import, user: User | None) -> None:
    """Remove the people the import created, give the ones it updated their values back."""
    lifecycle.require(imp, "revert")
    _claim(imp)
    session = db.session
    created = select(Influencer.id).where(Influencer.import_id == imp.id)
    if session.scalar(select(Contract.id).where(Contract.influencer_id.in_(created)).limit(1)):
        raise ServiceError(_("This import cannot be reverted: someone it created has a "
                             "contract, which must be kept."))
    with acting_as(user.id if user else None), one_action(f"revert-{imp.id}", imp.id):
        changes.undo_all(imp.id)
        for model in (AudienceShare, AudienceSnapshot, SocialAccount):
            session.execute(delete(model).where(model.influencer_id.in_(created)))
        session.execute(delete(influencer_tag).where(influencer_tag.c.influencer_id.in_(created)))
        session.execute(delete(Influencer).where(Influencer.import_id == imp.id))
        imp.status = lifecycle.TRANSITIONS["revert"].target  # taken by _claim above
        imp.reverted_at = utcnow()
        imp.reverted_by_id = user.id if user else None
        session.add(AuditEvent(user_id=user.id if user else None, entity_type="import",
                               entity_id=imp.id, action="revert", import_id=imp.id,
                               changes={**imp.counts(), "file": [None, imp.filename]}))
        session.commit()
