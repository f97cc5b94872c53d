"""Demo campaigns: one per state a team meets (completed with its figures, running, planned,
draft), with participants along the pipeline, operations through the approval workflow,
metrics on what was published, and the platform CPMs the EMV needs.

Written with Core inserts (no audit events: demo rows are nobody's change), seeded by the
demo's `random.Random`, and only when there is no campaign yet.
"""

from __future__ import annotations

import random
from datetime import UTC, date, datetime, timedelta

from sqlalchemy import func, insert, select

from app.extensions import db
from app.models import (
    Brand,
    Campaign,
    Influencer,
    Operation,
    Participant,
    PlatformRate,
    SocialAccount,
)
from app.models.campaign import OPERATION_KINDS

# CPM per 1 000 impressions, in euro cents: ballpark market rates for French creators.
PLATFORM_CPM = {"instagram": 800, "tiktok": 600, "youtube": 1200, "x": 400, "facebook": 500,
                "linkedin": 1500, "snapchat": 500, "twitch": 900, "pinterest": 450,
                "threads": 400, "bluesky": 300, "blog": 1000, "podcast": 1800,
                "newsletter": 2000}

# name, brand index, objective, status, start (days from today), length (days), budget €,
# participants, hashtags
CAMPAIGNS = (
    ("Nuit des musées 2026", 0, "awareness", "completed", -150, 30, 12_000, 10,
     "#NuitDesMusées #ArtsLumière"),
    ("Collection Printemps Bellefleur", 1, "conversion", "active", -20, 45, 25_000, 14,
     "#Bellefleur #RoutineNaturelle"),
    ("Marathon de Lille · Élan Run", 2, "engagement", "planned", 25, 30, 18_000, 12,
     "#ÉlanRun #MarathonLille"),
    ("Vergers en fête", 3, "ugc", "draft", 60, 21, 6_000, 6, "#VergersDeSologne"),
)
STAGE_MIX = {
    "completed": ("paid", "paid", "paid", "delivered", "paid", "declined"),
    "active": ("live", "contracted", "live", "delivered", "negotiating", "declined", "live"),
    "planned": ("contracted", "negotiating", "contacted", "shortlisted", "contracted"),
    "draft": ("shortlisted", "shortlisted", "contacted"),
}


def seed_campaigns(rng: random.Random, owners: list[int]) -> int:
    """→ the number of campaigns created (0 when some exist or nobody has accounts)."""
    session = db.session
    if session.scalar(select(func.count()).select_from(Campaign)):
        return 0
    _ensure_rates()
    brands = list(session.scalars(select(Brand.id).where(Brand.deleted_at.is_(None))
                                  .order_by(Brand.id)))
    # The most followed people with an account, to make the demo campaigns look real.
    people = session.execute(
        select(Influencer.id, SocialAccount.platform, SocialAccount.followers,
               SocialAccount.engagement_rate)
        .join(SocialAccount, SocialAccount.influencer_id == Influencer.id)
        .where(Influencer.deleted_at.is_(None), Influencer.status != "do_not_contact",
               SocialAccount.followers > 5_000)
        .order_by(Influencer.id).limit(400)).all()
    if not brands or not people:
        return 0
    by_person: dict[int, tuple[str, int, float]] = {}
    for ident, platform, followers, rate in people:
        by_person.setdefault(ident, (platform, followers or 0, rate or 0.03))
    pool = list(by_person)
    rng.shuffle(pool)
    today = date.today()
    now = datetime.now(UTC)
    created = 0
    for (name, brand, objective, status, start, length, budget, size,
         hashtags) in CAMPAIGNS:
        starts = today + timedelta(days=start)
        campaign_id = session.execute(insert(Campaign.__table__).values(
            brand_id=brands[brand % len(brands)], name=name, objective=objective,
            status=status, starts_on=starts, ends_on=starts + timedelta(days=length),
            budget_cents=budget * 100, currency="EUR", hashtags=hashtags,
            target_platforms="instagram,tiktok,youtube", target_countries="FR,BE",
            owner_id=rng.choice(owners) if owners else None, version=1,
            kpi_targets={"reach": size * 40_000, "engagement_rate_reach": 0.05, "cpe": 0.4},
            created_at=now, updated_at=now)).inserted_primary_key[0]
        chosen, pool = pool[:size], pool[size:] + pool[:size]
        for n, person in enumerate(chosen):
            stages = STAGE_MIX[status]
            stage = stages[n % len(stages)]
            _participant(rng, campaign_id, person, stage, by_person[person], starts, length,
                         status, now)
        created += 1
    session.commit()
    return created


def _ensure_rates() -> None:
    known = set(db.session.scalars(select(PlatformRate.platform)))
    now = datetime.now(UTC)
    rows = [{"platform": p, "cpm_cents": c, "currency": "EUR", "created_at": now,
             "updated_at": now} for p, c in PLATFORM_CPM.items() if p not in known]
    if rows:
        db.session.execute(insert(PlatformRate.__table__), rows)


def _participant(rng: random.Random, campaign_id: int, person: int, stage: str,
                 account: tuple[str, int, float], starts: date, length: int, status: str,
                 now: datetime) -> None:
    platform, followers, rate = account
    proposed = max(150, round(followers / 100 * rng.uniform(0.6, 1.4), -1)) * 100
    agreed = (round(proposed * rng.uniform(0.8, 1.0), -2)
              if stage in {"contracted", "live", "delivered", "paid"} else None)
    participant_id = db.session.execute(insert(Participant.__table__).values(
        campaign_id=campaign_id, influencer_id=person, stage=stage, stage_changed_at=now,
        proposed_fee_cents=int(proposed), agreed_fee_cents=int(agreed) if agreed else None,
        version=1, created_at=now, updated_at=now)).inserted_primary_key[0]
    if stage in {"shortlisted", "contacted", "declined"}:
        return
    for k in range(rng.randint(1, 3)):
        planned = starts + timedelta(days=rng.randrange(max(1, length)))
        op_status = _operation_status(rng, status, stage)
        values = dict(participant_id=participant_id, campaign_id=campaign_id,
                      kind=rng.choice(OPERATION_KINDS[:5]), platform=platform,
                      planned_on=planned, status=op_status, version=1, created_at=now,
                      updated_at=now, brief="Présenter la campagne avec le mot-dièse officiel.",
                      caption=f"Partenariat rémunéré · opération {k + 1}")
        if op_status == "published":
            values.update(_metrics(rng, followers, rate), published_on=planned,
                          published_url=f"https://www.instagram.com/p/demo{participant_id}{k}/",
                          metrics_source="manual", metrics_updated_at=now)
        db.session.execute(insert(Operation.__table__).values(**values))


def _operation_status(rng: random.Random, campaign_status: str, stage: str) -> str:
    if campaign_status == "completed" or stage in {"delivered", "paid"}:
        return "published"
    if campaign_status == "active" and stage == "live":
        return rng.choice(("published", "published", "approved", "submitted"))
    if stage == "contracted":
        return rng.choice(("planned", "submitted", "changes_requested", "approved"))
    return "planned"


def _metrics(rng: random.Random, followers: int, rate: float) -> dict[str, int]:
    reach = int(followers * rng.uniform(0.15, 0.45))
    engaged = int(reach * rate * rng.uniform(0.8, 2.2))
    likes = int(engaged * 0.82)
    comments = int(engaged * 0.06)
    return {"reach": reach, "impressions": int(reach * rng.uniform(1.2, 1.7)),
            "views": int(reach * rng.uniform(0.5, 1.1)), "likes": likes, "comments": comments,
            "shares": int(engaged * 0.05), "saves": engaged - likes - comments - int(
                engaged * 0.05), "clicks": int(reach * rng.uniform(0.002, 0.01)),
            "conversions": int(reach * rng.uniform(0.0002, 0.001)),
            "revenue_cents": int(reach * rng.uniform(0.5, 4)) * 100}
