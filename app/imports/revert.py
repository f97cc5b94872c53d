"""Reverting an import: the people it created are removed, the ones it updated get their
previous values back (app/imports/changes.py keeps what each run changed).

An import that created someone now under contract cannot be reverted: contracts are kept.
"""

from __future__ import annotations

from flask_babel import gettext as _
from sqlalchemy import delete, select

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


def revert(imp: Import, user: User | None) -> None:
    """Remove the people the import created, give the ones it updated their values back."""
    lifecycle.require(imp, "revert")
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
        lifecycle.advance(imp, "revert")
        imp.reverted_at = utcnow()
        imp.reverted_by_id = user.id if user else None
        session.add(AuditEvent(user_id=user.id if user else None, entity_type="import",
                               entity_id=imp.id, action="revert", import_id=imp.id,
                               changes={**imp.counts(), "file": [None, imp.filename]}))
        session.commit()
