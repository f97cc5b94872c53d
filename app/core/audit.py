"""Audit trail written from SQLAlchemy's flush events, so no service can forget it.

Every insert, update and delete of an audited model adds an `AuditEvent` with the old and
new value of each changed column. The acting user comes from the request (Flask-Login) or,
for the CLI and jobs, from `acting_as()`.

One user action is one entry in the history: every event gets an action id, the same for
all the events of one request (or, outside a request, of one transaction, or of a
`one_action()` block such as an import run), and the import whose run or revert wrote it.
"""

from __future__ import annotations

import contextlib
import contextvars
import decimal
import uuid
from collections.abc import Iterator
from datetime import date, datetime
from typing import Any

from flask import g, has_request_context
from flask_login import current_user
from sqlalchemy import event, insert, inspect
from sqlalchemy.orm import Mapper, Session

from app.models import (
    AudienceSnapshot,
    AuditEvent,
    Brand,
    Campaign,
    Contract,
    ContractSigner,
    Influencer,
    Interaction,
    Operation,
    Participant,
    SocialAccount,
    User,
)
from app.models.base import TimestampMixin, utcnow

_acting_user: contextvars.ContextVar[int | None] = contextvars.ContextVar(
    "acting_user", default=None
)
# (action id, import id) of a `one_action()` block.
_action: contextvars.ContextVar[tuple[str, int | None] | None] = contextvars.ContextVar(
    "audit_action", default=None
)
_SESSION_ACTION = "audit_action_id"

AUDITED = {
    Brand: "brand",
    Influencer: "influencer",
    SocialAccount: "social_account",
    AudienceSnapshot: "audience_snapshot",
    Interaction: "interaction",
    User: "user",
    Campaign: "campaign",
    Participant: "participant",
    Operation: "operation",
    Contract: "contract",
    ContractSigner: "contract_signer",
}
# Events services write themselves (one per bulk operation), for the audit log's filter.
BULK_ENTITIES = ("import", "relationships", "platform_rate", "fee_floor",
                 "scoring_settings")
# Columns never copied into the log: secrets, and bookkeeping that changes on every write.
SKIPPED = {
    "password_hash", "session_token", "updated_at", "version", "search_text", "last_login_at",
    "sort_name",  # a name's copy, folded for sorting
    "token_hash", "scan", "logo",  # a link's secret (hashed), a scan's and a logo's bytes
    "in_kind_cents",  # a contract's benefits added up: the benefits themselves are logged
}


@contextlib.contextmanager
def acting_as(user_id: int | None) -> Iterator[None]:
    token = _acting_user.set(user_id)
    try:
        yield
    finally:
        _acting_user.reset(token)


def acting_user_id() -> int | None:
    if has_request_context() and current_user and current_user.is_authenticated:
        return current_user.id
    return _acting_user.get()


@contextlib.contextmanager
def one_action(action_id: str | None = None, import_id: int | None = None) -> Iterator[str]:
    """The events written inside the block are one entry of the history (`import-4` for an
    import's run), about import `import_id` when given."""
    key = (action_id or uuid.uuid4().hex)[:32]
    token = _action.set((key, import_id))
    try:
        yield key
    finally:
        _action.reset(token)


def current_action(session: Session | None = None) -> tuple[str, int | None]:
    """(action id, import id) for the events written now: the `one_action()` block's, else
    the request's, else the session's transaction's."""
    given = _action.get()
    if given is not None:
        return given
    if has_request_context():
        if "audit_action_id" not in g:
            g.audit_action_id = uuid.uuid4().hex
        return g.audit_action_id, None
    if session is None:
        return uuid.uuid4().hex, None
    return session.info.setdefault(_SESSION_ACTION, uuid.uuid4().hex), None


def _end_action(session: Session, *args: Any) -> None:
    session.info.pop(_SESSION_ACTION, None)


def plain_value(value: Any) -> Any:
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, decimal.Decimal):
        return str(value)
    if value is None or isinstance(value, str | int | float | bool):
        return value
    if isinstance(value, list | tuple):  # JSON lists (a contract's operations) stay lists
        return [plain_value(item) for item in value]
    if isinstance(value, dict):
        return {str(key): plain_value(item) for key, item in value.items()}
    return str(value)


def _influencer_of(obj: Any) -> int | None:
    if isinstance(obj, Influencer):
        return obj.id
    return getattr(obj, "influencer_id", None)


def _column_changes(obj: Any, only_modified: bool) -> dict[str, list[Any]]:
    state = inspect(obj)
    changes: dict[str, list[Any]] = {}
    for attr in state.mapper.column_attrs:
        key = attr.key
        if key in SKIPPED or key.startswith("audience_"):  # audience_*: copies of snapshots
            continue
        hist = state.attrs[key].history
        if only_modified:
            if not hist.has_changes():
                continue
            old = hist.deleted[0] if hist.deleted else None
            new = hist.added[0] if hist.added else None
            if old == new:
                continue
            changes[key] = [plain_value(old), plain_value(new)]
        elif key not in {"id", "created_at"}:  # already the event's own entity and time
            value = getattr(obj, key)
            if value is not None:
                changes[key] = [None, plain_value(value)]
    if isinstance(obj, Influencer) and "tags" in state.attrs:
        hist = state.attrs["tags"].load_history()
        if hist.added or hist.deleted:
            kept = list(hist.unchanged or [])
            now = sorted(t.name for t in kept + list(hist.added or []))
            before = sorted(t.name for t in kept + list(hist.deleted or []))
            changes["tags"] = [", ".join(before) or None, ", ".join(now) or None]
    return changes


def listen() -> None:
    """Attach the trail to every session and audited mapper (create_app calls it; once per
    process, however many apps are made)."""
    for target, name, listener in ((Mapper, "mapper_configured", _load_old_values),
                                   (Session, "before_flush", _stamp_author),
                                   (Session, "after_flush", _record_changes),
                                   (Session, "after_commit", _end_action),
                                   (Session, "after_soft_rollback", _end_action)):
        if not event.contains(target, name, listener):
            event.listen(target, name, listener)
    for cls in AUDITED:  # mappers configured before the listener was attached
        if inspect(cls).configured:
            _load_old_values(inspect(cls), cls)


def _load_old_values(mapper: Mapper, cls: type) -> None:
    # After a commit, attributes are expired; without active history, assigning one would
    # forget its old value and the log would show "∅ → new".
    if cls in AUDITED:
        for prop in mapper.column_attrs:
            mapper.class_manager[prop.key].impl.active_history = True


def _stamp_author(session: Session, flush_context, instances) -> None:
    user_id = acting_user_id()
    for obj in session.new:
        if isinstance(obj, TimestampMixin) and obj.created_by_id is None:
            obj.created_by_id = user_id
        elif isinstance(obj, AuditEvent) and obj.action_id is None:  # written by a service
            obj.action_id, import_id = current_action(session)
            obj.import_id = obj.import_id or import_id


def _record_changes(session: Session, flush_context) -> None:
    user_id = acting_user_id()
    now = utcnow()
    action_id, import_id = current_action(session)
    rows: list[dict[str, Any]] = []

    def add(obj: Any, action: str, changes: dict[str, Any]) -> None:
        rows.append(
            {
                "at": now,
                "user_id": user_id,
                "entity_type": AUDITED[type(obj)],
                "entity_id": obj.id,
                "influencer_id": _influencer_of(obj),
                "action": action,
                "changes": changes,
                "action_id": action_id,
                "import_id": import_id,
            }
        )

    for obj in session.new:
        if type(obj) in AUDITED:
            add(obj, "create", _column_changes(obj, only_modified=False))
    for obj in session.dirty:
        if type(obj) not in AUDITED or not session.is_modified(obj):
            continue
        changes = _column_changes(obj, only_modified=True)
        if not changes:
            continue
        action = "update"
        if "deleted_at" in changes:
            action = "delete" if changes["deleted_at"][1] else "restore"
        add(obj, action, changes)
    for obj in session.deleted:
        if type(obj) in AUDITED:
            add(obj, "purge", {})
    if rows:
        session.connection().execute(insert(AuditEvent.__table__), rows)
