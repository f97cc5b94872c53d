"""What the dashboard shows: counts by status and platform, recent changes, follow-ups,
and on a new install the first steps still to take."""

from __future__ import annotations

import time
from datetime import date

from sqlalchemy import exists, func, select
from sqlalchemy.orm import joinedload

from app.core.audit_query import latest_actions
from app.extensions import db
from app.models import (
    AuditEvent,
    Brand,
    Campaign,
    Influencer,
    Interaction,
    SocialAccount,
    User,
)

# Counting 100 000 influencers and their accounts takes 50-400 ms: the counts are kept per
# process and recomputed when the audit trail shows a change (its last event is one
# primary-key read) or after COUNTS_TTL seconds (bulk loads write no audit event).
COUNTS_TTL = 300.0
_counts_cache: dict[tuple, tuple[float, tuple[dict, dict]]] = {}


def counts() -> tuple[dict[str, int], dict[str, int]]:
    """Live influencers by status, and by platform (each influencer once per platform)."""
    last = db.session.execute(
        select(AuditEvent.id, AuditEvent.at).order_by(AuditEvent.id.desc()).limit(1)
    ).first()
    key = (str(db.engine.url), tuple(last) if last else None)
    cached = _counts_cache.get(key)
    if cached and time.monotonic() - cached[0] < COUNTS_TTL:
        return cached[1]
    value = (_by_status(), _by_platform())
    _counts_cache.clear()
    _counts_cache[key] = (time.monotonic(), value)
    return value


def _by_status() -> dict[str, int]:
    return dict(db.session.execute(
        select(Influencer.status, func.count())
        .where(Influencer.deleted_at.is_(None)).group_by(Influencer.status)
    ).all())


def _by_platform() -> dict[str, int]:
    # NOT IN over the (small) trash rather than a join over every live influencer.
    trashed = select(Influencer.id).where(Influencer.deleted_at.is_not(None))
    rows = db.session.execute(
        select(SocialAccount.platform, func.count(func.distinct(SocialAccount.influencer_id)))
        .where(SocialAccount.influencer_id.not_in(trashed))
        .group_by(SocialAccount.platform)
    ).all()
    return dict(sorted(rows, key=lambda row: -row[1]))


def summary(user: User) -> dict:
    by_status, by_platform = counts()
    recent, totals = latest_actions(15)
    return {
        "audit_totals": totals,
        "total": sum(by_status.values()),
        "by_status": by_status,
        "by_platform": by_platform,
        "recent": recent,
        "follow_ups": my_follow_ups(user),
        "today": date.today(),
        "first_steps": first_steps() if user.has_role("member") else None,
    }


FIRST_STEPS = ("brand", "influencers", "campaign", "team")


def first_steps() -> dict[str, bool] | None:
    """Which of the first steps are done (a brand, influencers, a campaign, a second active
    user), or None once all are: one statement of four index lookups."""
    live = {model: exists().where(model.deleted_at.is_(None))
            for model in (Brand, Influencer, Campaign)}
    colleagues = (select(func.count()).select_from(
        select(User.id).where(User.active.is_(True)).limit(2).subquery()).scalar_subquery())
    row = db.session.execute(select(live[Brand], live[Influencer], live[Campaign],
                                    colleagues)).one()
    done = dict(zip(FIRST_STEPS, (bool(row[0]), bool(row[1]), bool(row[2]), row[3] >= 2),
                    strict=True))
    return None if all(done.values()) else done


def my_follow_ups(user: User, limit: int = 20) -> list[Interaction]:
    return list(
        db.session.scalars(
            select(Interaction)
            .join(Influencer, Influencer.id == Interaction.influencer_id)
            .options(joinedload(Interaction.influencer))
            .where(
                Interaction.user_id == user.id,
                Interaction.follow_up_on.is_not(None),
                Interaction.follow_up_done.is_(False),
                Influencer.deleted_at.is_(None),
            )
            .order_by(Interaction.follow_up_on)
            .limit(limit)
        )
    )
