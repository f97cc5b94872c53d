"""The team's scoring weights, saved with one audit event (like the platform rates): they
apply from the next scoring run on; past runs keep the weights they stored."""

from __future__ import annotations

from collections.abc import Mapping
from types import SimpleNamespace

from app.extensions import db
from app.models import AuditEvent
from app.services import scoring
from app.services.audit import acting_user_id

WEIGHT_MAX = 100.0


def save_weights(kind_weights: Mapping[str, float],
                 score_weights: Mapping[str, float]) -> dict[str, list[float]]:
    """Save both sets of weights; → the changes ({name: [old, new]}), {} when nothing
    changed. Raises ServiceError (from the scoring service) for an impossible weight."""
    current = scoring.get_settings()
    changes = {
        name: [current[group].get(name), float(value)]
        for group, wanted in (("kind_weights", kind_weights), ("score_weights", score_weights))
        for name, value in wanted.items()
        if current[group].get(name) != float(value)
    }
    if not changes:
        return {}
    # The event rides in the commit save_settings makes: both are kept, or neither.
    # The settings have no id of their own (0); each changed weight is a [before, after].
    user_id = acting_user_id()
    db.session.add(AuditEvent(user_id=user_id, entity_type="scoring_settings",
                              entity_id=0, action="update", changes=changes))
    try:
        scoring.save_settings(kind_weights, score_weights,
                              user=SimpleNamespace(id=user_id) if user_id else None)
    except Exception:
        db.session.rollback()
        raise
    return changes

