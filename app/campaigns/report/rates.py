"""The admin pricing settings: the CPM per platform — what 1 000 impressions on a platform are
worth, for the earned media value (a platform without a rate has no EMV: the KPIs list it as
missing) and for the candidates' fee estimates — and the minimum fee per platform and follower
tier (app/models/rates.py), the floor under those estimates.

Amounts are in euros (cents), whatever a campaign's currency. Saving compares a stamp of the
settings the form was opened with, so two admins cannot silently overwrite each other; each
save that changes something writes one audit event ({key: [before, after]}).
"""

from __future__ import annotations

import bisect
import hashlib

from sqlalchemy import delete, select

from app.core.audit import acting_user_id
from app.core.errors import ServiceError
from app.core.text import N_
from app.extensions import db
from app.models import AuditEvent, FeeFloor, PlatformRate
from app.models.influencer import PLATFORMS
from app.models.rates import FOLLOWER_TIERS
from app.scoring.engine.score import TIER_BOUNDS

RATE_CURRENCY = "EUR"
CPM_MAX_CENTS = 1_000_000  # 10 000 € per 1 000 impressions: beyond any real price
FLOOR_MAX_CENTS = 10_000_000  # 100 000 € for one post: beyond any real minimum


class StaleRates(ServiceError):
    """The rates changed since the form was opened; nothing was saved."""

    def __init__(self, current: dict) -> None:
        super().__init__(N_("Someone changed the rates in the meantime; nothing was saved."))
        self.current = current


def current_rates() -> dict[str, int]:
    """platform → CPM in cents, for the platforms that have one."""
    return dict(db.session.execute(
        select(PlatformRate.platform, PlatformRate.cpm_cents).order_by(PlatformRate.platform)
    ).all())


def current_floors() -> dict[tuple[str, str], int]:
    """(platform, tier) → the minimum fee for one post in cents, where one is set."""
    rows = db.session.execute(select(FeeFloor.platform, FeeFloor.tier, FeeFloor.floor_cents))
    return {(platform, tier): cents for platform, tier, cents in rows}


def tier_of(followers: int) -> str:
    """The follower tier of an account, as the scoring counts them."""
    return FOLLOWER_TIERS[bisect.bisect_right(TIER_BOUNDS, followers)]


def _key_text(key: str | tuple[str, ...]) -> str:
    return key if isinstance(key, str) else ":".join(key)


def stamp(values: dict) -> str:
    """A short fingerprint of a set of rates or floors (a form carries the one it showed)."""
    text = ";".join(f"{_key_text(key)}={cents}" for key, cents in
                    sorted(values.items(), key=lambda item: _key_text(item[0])))
    return hashlib.sha256(text.encode()).hexdigest()[:16]


def _changes(current: dict, wanted: dict, opened_with: str | None) -> dict:
    """{key: [old, new]} of what differs; StaleRates if `current` is not what was shown."""
    if opened_with is not None and opened_with != stamp(current):
        raise StaleRates(current)
    return {key: [current.get(key), cents] for key, cents in wanted.items()
            if current.get(key) != cents}


def _audit(entity_type: str, changes: dict) -> None:
    """The settings have no id of their own (0); each changed key is a [before, after]."""
    db.session.add(AuditEvent(user_id=acting_user_id(), entity_type=entity_type, entity_id=0,
                              action="update",
                              changes={_key_text(key): pair for key, pair in changes.items()}))
    db.session.commit()


def save_rates(wanted: dict[str, int | None], opened_with: str | None) -> dict[str, list]:
    """Set every platform's CPM (None: no rate); → the changes ({platform: [old, new]}).

    Raises StaleRates when the rates are no longer those the form showed (`opened_with`),
    ServiceError for an unknown platform or an impossible amount. Commits, with one audit
    event for the whole settings page when something changed.
    """
    for platform, cents in wanted.items():
        if platform not in PLATFORMS:
            raise ServiceError(N_("Unknown platform."))
        if cents is not None and not 0 <= cents <= CPM_MAX_CENTS:
            raise ServiceError(N_("A CPM is between 0 and 10 000 €."))
    changes = _changes(current_rates(), wanted, opened_with)
    if not changes:
        return {}
    rows = {rate.platform: rate for rate in db.session.scalars(select(PlatformRate))}
    for platform, (_old, cents) in changes.items():
        if cents is None:
            db.session.execute(delete(PlatformRate).where(PlatformRate.platform == platform))
        elif platform in rows:
            rows[platform].cpm_cents = cents
            rows[platform].currency = RATE_CURRENCY
        else:
            db.session.add(PlatformRate(platform=platform, cpm_cents=cents,
                                        currency=RATE_CURRENCY))
    _audit("platform_rate", changes)
    return changes


def save_floors(wanted: dict[tuple[str, str], int | None], opened_with: str | None
                ) -> dict[tuple[str, str], list]:
    """Set the minimum fee of each (platform, tier) (None: no floor); → the changes.

    Raises StaleRates when the floors are no longer those the form showed, ServiceError for
    an unknown platform or tier or an impossible amount. Commits, with one audit event
    ("fee_floor", keys "platform:tier") when something changed.
    """
    for (platform, tier), cents in wanted.items():
        if platform not in PLATFORMS or tier not in FOLLOWER_TIERS:
            raise ServiceError(N_("Unknown platform or follower tier."))
        if cents is not None and not 0 <= cents <= FLOOR_MAX_CENTS:
            raise ServiceError(N_("A minimum fee is between 0 and 100 000 €."))
    changes = _changes(current_floors(), wanted, opened_with)
    if not changes:
        return {}
    rows = {(f.platform, f.tier): f for f in db.session.scalars(select(FeeFloor))}
    for (platform, tier), (_old, cents) in changes.items():
        if cents is None:
            db.session.delete(rows[(platform, tier)])
        elif (platform, tier) in rows:
            rows[(platform, tier)].floor_cents = cents
            rows[(platform, tier)].currency = RATE_CURRENCY
        else:
            db.session.add(FeeFloor(platform=platform, tier=tier, floor_cents=cents,
                                    currency=RATE_CURRENCY))
    _audit("fee_floor", changes)
    return changes
