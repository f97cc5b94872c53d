"""What a real import run changed on the people it updated, and how to put it back: the one
module that writes and reads `ImportChange` rows (the people it created carry
`Influencer.import_id` instead, and the revert removes them).

It also writes the audit trail of both, below the ORM: one event per updated person and
per account (old → new, "updated by import #4"), and one per person a revert restored.
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Any

from sqlalchemy import delete, insert, select, update

from app.core.audit import acting_user_id, current_action, plain_value
from app.extensions import db
from app.imports.people import same_value
from app.models import (
    AudienceSnapshot,
    AuditEvent,
    ImportChange,
    Influencer,
    SocialAccount,
    Tag,
    influencer_tag,
)
from app.models.base import utcnow
from app.models.influencer import mark_latest, refresh_denormalised

if TYPE_CHECKING:
    from app.imports.people import Person

_INF, _ACC, _SNAP = Influencer.__table__, SocialAccount.__table__, AudienceSnapshot.__table__


def record(import_id: int, people: list[Person], user_id: int | None = None) -> None:
    """One row per updated person: its previous values, the accounts, snapshots and tags the
    run added (in the batch's transaction); and their audit events."""
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
        events = audit_rows(import_id, people, user_id)
        if events:
            db.session.execute(insert(AuditEvent.__table__), events)


def audit_rows(import_id: int, people: list[Person], user_id: int | None) -> list[dict]:
    """The audit events of one batch's updated people: old → new per changed field, on the
    person and on each account, all of them one action: the import's run."""
    base = {"at": utcnow(), "user_id": user_id, "import_id": import_id,
            "action_id": f"import-{import_id}"}
    events = []
    for person in people:
        changed = _person_changes(person)
        if changed:
            events.append({**base, "entity_type": "influencer", "entity_id": person.id,
                           "influencer_id": person.id, "action": "update", "changes": changed})
        for account in person.accounts.values():
            saved = person.account_before.get(account.get("id"))
            created = (account["platform"], account["handle"]) in person.new_accounts
            if not saved and not created:
                continue
            fields = saved or ("platform", "handle", "followers", "engagement_rate")
            events.append({
                **base, "entity_type": "social_account", "entity_id": account["id"],
                "influencer_id": person.id, "action": "update" if saved else "create",
                "changes": {f: [plain_value((saved or {}).get(f)), plain_value(account.get(f))]
                            for f in fields}})
    return events


def _person_changes(person: Person) -> dict[str, list[Any]]:
    changed = {k: [plain_value(v), plain_value(person.values.get(k))]
               for k, v in person.before.items()}
    now = person.denormalised()
    for field in ("followers_total", "engagement_rate"):
        if not same_value(person.stored.get(field), now[field]):
            changed[field] = [plain_value(person.stored.get(field)), plain_value(now[field])]
    if person.new_tags:
        every = sorted(person.tags.values(), key=str.casefold)
        added = {t.casefold() for t in person.new_tags}
        changed["tags"] = [", ".join(t for t in every if t.casefold() not in added) or None,
                           ", ".join(every)]
    return changed


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
    _record_revert(change.influencer_id, person, before.get("accounts") or {})
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


def _record_revert(influencer_id: int, person: dict[str, Any],
                   accounts: dict[str, dict[str, Any]]) -> None:
    """The audit events of a revert on one person: each field it puts back, current → saved
    (two reads: the person's and the accounts' current values)."""
    session = db.session
    action_id, import_id = current_action(session)
    base = {"at": utcnow(), "user_id": acting_user_id(), "action_id": action_id,
            "import_id": import_id, "influencer_id": influencer_id, "action": "revert"}
    events = []
    if person:
        row = session.execute(select(*[_INF.c[k] for k in person]).where(
            _INF.c.id == influencer_id)).mappings().first() or {}
        events.append({**base, "entity_type": "influencer", "entity_id": influencer_id,
                       "changes": {k: [plain_value(row.get(k)), v] for k, v in person.items()}})
    fields = sorted({f for saved in accounts.values() for f in saved})
    if fields:
        rows = {r["id"]: r for r in session.execute(
            select(_ACC.c.id, *[_ACC.c[f] for f in fields]).where(
                _ACC.c.id.in_([int(k) for k in accounts]))).mappings()}
        for key, saved in accounts.items():
            now = rows.get(int(key), {})
            events.append({**base, "entity_type": "social_account", "entity_id": int(key),
                           "changes": {f: [plain_value(now.get(f)), v] for f, v in saved.items()}})
    if events:
        session.execute(insert(AuditEvent.__table__), events)
