"""What the dashboard shows: counts by status and platform, recent changes, follow-ups."""

from __future__ import annotations

from datetime import date

from sqlalchemy import func, select
from sqlalchemy.orm import joinedload

from app.extensions import db
from app.models import AuditEvent, Influencer, Interaction, SocialAccount, User


def summary(user: User) -> dict:
    live = Influencer.deleted_at.is_(None)
    by_status = dict(
        db.session.execute(
            select(Influencer.status, func.count()).where(live).group_by(Influencer.status)
        ).all()
    )
    by_platform = dict(
        db.session.execute(
            select(SocialAccount.platform, func.count(func.distinct(SocialAccount.influencer_id)))
            .join(Influencer, Influencer.id == SocialAccount.influencer_id)
            .where(live)
            .group_by(SocialAccount.platform)
            .order_by(func.count().desc())
        ).all()
    )
    recent = list(
        db.session.scalars(
            select(AuditEvent)
            .options(joinedload(AuditEvent.user))
            .order_by(AuditEvent.at.desc(), AuditEvent.id.desc())
            .limit(15)
        )
    )
    return {
        "names": influencer_names(recent),
        "total": sum(by_status.values()),
        "by_status": by_status,
        "by_platform": by_platform,
        "recent": recent,
        "follow_ups": my_follow_ups(user),
        "today": date.today(),
    }


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


def influencer_names(events: list[AuditEvent]) -> dict[int, str]:
    """Display names for the influencers a list of audit events is about (one query)."""
    ids = {e.influencer_id for e in events if e.influencer_id}
    if not ids:
        return {}
    rows = db.session.execute(
        select(Influencer.id, Influencer.display_name).where(Influencer.id.in_(ids))
    )
    return dict(rows.all())
