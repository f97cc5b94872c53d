"""The team's scoring weights: how much each kind of relationship counts in the relay graph,
and each component in the 0–100 score. Saved with one audit event (like the platform rates);
they apply from the next scoring run on, and past runs keep the weights they stored."""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

from flask_babel import gettext as _

from app.core.audit import acting_user_id
from app.core.errors import ServiceError
from app.extensions import db
from app.models import AuditEvent, ScoringSettings
from app.scoring.engine.graph import DEFAULT_KIND_WEIGHTS, KINDS
from app.scoring.engine.score import COMPONENTS, DEFAULT_SCORE_WEIGHTS

WEIGHT_MAX = 100.0


def get_settings() -> dict[str, dict[str, float]]:
    """The weights in force: the team's, over the defaults in code."""
    row = db.session.get(ScoringSettings, 1)
    return {
        "kind_weights": {**DEFAULT_KIND_WEIGHTS, **(row.kind_weights if row else {})},
        "score_weights": {**DEFAULT_SCORE_WEIGHTS, **(row.score_weights if row else {})},
    }


def save_settings(kind_weights: Mapping[str, Any], score_weights: Mapping[str, Any],
                  user=None) -> dict[str, list[float | None]]:
    """Save both sets of weights (a weight left out keeps its value) with one audit event
    in the same commit; → the changes ({name: [old, new]}), {} when nothing changed.
    Raises ServiceError, in the user's language, for an impossible weight."""
    kinds = _checked(kind_weights, KINDS)
    components = _checked(score_weights, COMPONENTS)
    if not any({**DEFAULT_SCORE_WEIGHTS, **components}.values()):
        raise ServiceError(_("At least one score weight must be above 0."))
    current = get_settings()
    changes = {
        name: [current[group].get(name), value]
        for group, wanted in (("kind_weights", kinds), ("score_weights", components))
        for name, value in wanted.items()
        if current[group].get(name) != value
    }
    if not changes:
        return {}
    user_id = user.id if user is not None else acting_user_id()
    row = db.session.get(ScoringSettings, 1) or ScoringSettings(id=1)
    row.kind_weights, row.score_weights = kinds, components
    row.updated_by_id = user_id
    db.session.add(row)
    # The settings have no id of their own (0); each changed weight is a [before, after].
    db.session.add(AuditEvent(user_id=user_id, entity_type="scoring_settings",
                              entity_id=0, action="update", changes=changes))
    db.session.commit()
    return changes


def _checked(weights: Mapping[str, Any], known: tuple[str, ...]) -> dict[str, float]:
    result = {}
    for name, value in weights.items():
        if name not in known:
            raise ServiceError(_("Unknown weight: %(name)s", name=name))
        try:
            number = float(value)
        except (TypeError, ValueError):
            raise ServiceError(_("The weight of %(name)s must be a number.", name=name)) from None
        if not math.isfinite(number) or not 0 <= number <= WEIGHT_MAX:
            raise ServiceError(_("The weight of %(name)s must be between 0 and 100.", name=name))
        result[name] = number
    return result
