"""What a real import run changed on the people it updated, and how to put it back: the one
module that writes and reads `ImportChange` rows (the people it created carry
`Influencer.import_id` instead, and the revert removes them).
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Any

from sqlalchemy import delete, insert, select, update

from app.extensions import db
from app.models import (
    AudienceSnapshot,
    ImportChange,
    Influencer,
    SocialAccount,
    Tag,
    influencer_tag,
)
from app.models.influencer import mark_latest, refresh_denormalised

if TYPE_CHECKING:
    from app.imports.people import Person

_INF, _ACC, _SNAP = Influencer.__table__, SocialAccount.__table__, AudienceSnapshot.__table__


def record(import_id: int, people: list[Person]) -> None:
    """One row per updated person: its previous values, the accounts, snapshots and tags the
    run added (in the batch's transaction)."""
    rows = []
    for person in people:
        accounts = {str(k): v for k, v in person.account_before.items() if v}
        created_ids = [person.accounts[k]["id"] for k in person.new_accounts]
        rows.append({
            "import_id": import_id, "influencer_id": person.id, "action": "updated",
            "before": {"person": {k: _json(v) for k, v in person.before.items()},
                       "accounts": {k: {f: _json(v) for f, v in saved.items()}
                                    for k, saved in accounts.items()},
                       "tags_added": person.new_tags,
                       "snapshot_ids": [s["id"] for s in person.snapshots]},
            "created_account_ids": created_ids,
        })
    if rows:
        db.session.execute(insert(ImportChange.__table__), rows)


def undo_all(import_id: int) -> None:
    """Put back, newest first, what the import's runs changed on the people they updated."""
    for change in db.session.scalars(select(ImportChange).where(
            ImportChange.import_id == import_id).order_by(ImportChange.id.desc())).all():
        _undo(change)


def _json(value: Any) -> Any:
    return value.isoformat() if isinstance(value, date) else value


_DATES = {"date_of_birth", "figures_on"}


def _unjson(field: str, value: Any) -> Any:
    return date.fromisoformat(value) if field in _DATES and isinstance(value, str) else value


def _undo(change: ImportChange) -> None:
    """Put back what one real run changed on one existing influencer (revert)."""
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
                mark_latest(snapshot, snapshot is latest)
    refresh_denormalised(influencer)
    session.flush()
