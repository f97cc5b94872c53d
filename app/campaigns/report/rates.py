"""The CPM per platform (admin settings): what 1 000 impressions on a platform are worth, for
the earned media value. A platform without a rate has no EMV (the KPIs list it as missing).

Rates are in euros (cents), whatever a campaign's currency. Saving compares a stamp of the
rates the form was opened with, so two admins cannot silently overwrite each other.
"""

from __future__ import annotations

import hashlib

from sqlalchemy import delete, select

from app.core.audit import acting_user_id
from app.core.errors import ServiceError
from app.core.text import N_
from app.extensions import db
from app.models import AuditEvent, PlatformRate
from app.models.influencer import PLATFORMS

RATE_CURRENCY = "EUR"
CPM_MAX_CENTS = 1_000_000  # 10 000 € per 1 000 impressions: beyond any real price


class StaleRates(ServiceError):
    """The rates changed since the form was opened; nothing was saved."""

    def __init__(self, current: dict[str, int]) -> None:
        super().__init__(N_("Someone changed the rates in the meantime; nothing was saved."))
        self.current = current


def current_rates() -> dict[str, int]:
    """platform → CPM in cents, for the platforms that have one."""
    return dict(db.session.execute(
        select(PlatformRate.platform, PlatformRate.cpm_cents).order_by(PlatformRate.platform)
    ).all())


def stamp(rates: dict[str, int]) -> str:
    """A short fingerprint of a set of rates (the form carries the one it was opened with)."""
    text = ";".join(f"{platform}={cents}" for platform, cents in sorted(rates.items()))
    return hashlib.sha256(text.encode()).hexdigest()[:16]


def save_rates(wanted: dict[str, int | None], opened_with: str | None) -> dict[str, list]:
    """Set every platform's CPM (None: no rate); → the changes ({platform: [old, new]}).

    Raises StaleRates when the rates are no longer those the form showed (`opened_with`),
    ServiceError for an unknown platform or an impossible amount. Commits, with one audit
    event for the whole settings page when something changed.
    """
    current = current_rates()
    if opened_with is not None and opened_with != stamp(current):
        raise StaleRates(current)
    for platform, cents in wanted.items():
        if platform not in PLATFORMS:
            raise ServiceError(N_("Unknown platform."))
        if cents is not None and not 0 <= cents <= CPM_MAX_CENTS:
            raise ServiceError(N_("A CPM is between 0 and 10 000 €."))
    changes = {platform: [current.get(platform), cents] for platform, cents in wanted.items()
               if current.get(platform) != cents}
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
    # The settings have no id of their own (0); each changed platform is a [before, after].
    db.session.add(AuditEvent(user_id=acting_user_id(), entity_type="platform_rate",
                              entity_id=0, action="update", changes=changes))
    db.session.commit()
    return changes
