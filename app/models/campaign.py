"""Campaigns: the participants' pipeline, their operations (deliverables) and metrics.

Money is stored in cents (integers): exact on both databases, and SQLite has no decimal
type. KPIs are never stored: app/campaigns/report/kpis.py computes them from the metrics.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (
    JSON,
    BigInteger,
    Date,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.extensions import db
from app.models.base import (
    SoftDeleteMixin,
    TimestampMixin,
    UTCDateTime,
    VersionedMixin,
    keep_sort_name,
    sort_name_column,
)

OBJECTIVES = ("awareness", "engagement", "traffic", "conversion", "ugc", "event")
CAMPAIGN_STATUSES = ("draft", "planned", "active", "completed", "cancelled")
STAGES = ("shortlisted", "contacted", "negotiating", "contracted", "live", "delivered", "paid",
          "declined")
# Stages whose fee counts as committed budget (everything but "declined").
COMMITTED_STAGES = STAGES[:-1]
OPERATION_KINDS = ("post", "story", "reel", "video", "live", "article", "event_appearance",
                   "unboxing", "contest", "takeover")
OPERATION_STATUSES = ("planned", "submitted", "changes_requested", "approved", "published")
CURRENCIES = ("EUR", "USD", "GBP", "CHF", "CAD")
# KPI targets a campaign may set, in the forms' order, and the unit of each: a count, a
# rate (a share: engagement rates, ROI) or money (cents; typed in currency units). The KPIs
# themselves are defined in app/campaigns/report/kpis.py.
KPI_UNITS = {
    "reach": "count", "impressions": "count", "engagements": "count",
    "engagement_rate_reach": "rate", "engagement_rate_followers": "rate", "cpe": "money",
    "cpm": "money", "emv": "money", "roi": "rate", "conversions": "count",
}
KPI_TARGETS = tuple(KPI_UNITS)


class Campaign(TimestampMixin, VersionedMixin, SoftDeleteMixin, db.Model):
    id: Mapped[int] = mapped_column(primary_key=True)
    brand_id: Mapped[int] = mapped_column(ForeignKey("brand.id", ondelete="RESTRICT"),
                                          index=True)
    name: Mapped[str] = mapped_column(String(200))
    sort_name: Mapped[str] = sort_name_column("name")  # French order (see base.py)
    objective: Mapped[str] = mapped_column(String(20), default="awareness")
    status: Mapped[str] = mapped_column(String(20), default="draft")
    starts_on: Mapped[date | None] = mapped_column(Date)
    ends_on: Mapped[date | None] = mapped_column(Date)
    budget_cents: Mapped[int | None] = mapped_column(BigInteger)
    currency: Mapped[str] = mapped_column(String(3), default="EUR")
    description: Mapped[str | None] = mapped_column(Text)
    # Target audience: comma-separated codes (platforms, ISO countries, age bands,
    # languages) and free interests; the gender target is a code and a minimum share.
    target_platforms: Mapped[str | None] = mapped_column(String(300))
    target_countries: Mapped[str | None] = mapped_column(String(300))
    target_gender: Mapped[str | None] = mapped_column(String(10))
    target_gender_share: Mapped[float | None]
    target_age_bands: Mapped[str | None] = mapped_column(String(100))
    target_languages: Mapped[str | None] = mapped_column(String(100))
    target_interests: Mapped[str | None] = mapped_column(Text)
    kpi_targets: Mapped[dict | None] = mapped_column(JSON)  # KPI code → number
    hashtags: Mapped[str | None] = mapped_column(Text)
    mentions: Mapped[str | None] = mapped_column(Text)
    # A campaign may be in a sector of its own (a brand's regulated product line).
    sector: Mapped[str | None] = mapped_column(String(40))
    owner_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))

    brand = relationship("Brand")
    owner = relationship("User", foreign_keys=[owner_id])
    participants: Mapped[list[Participant]] = relationship(
        back_populates="campaign", cascade="all, delete-orphan", order_by="Participant.id")

    __table_args__ = (Index("ix_campaign_status_dates", "status", "starts_on"),
                      Index("ix_campaign_sort_name", "sort_name", "id"))

    def __repr__(self) -> str:
        return f"<Campaign {self.id} {self.name!r}>"


keep_sort_name(Campaign.name)


class Participant(TimestampMixin, VersionedMixin, db.Model):
    """An influencer in a campaign, moving through the pipeline stages."""

    id: Mapped[int] = mapped_column(primary_key=True)
    campaign_id: Mapped[int] = mapped_column(ForeignKey("campaign.id", ondelete="CASCADE"))
    influencer_id: Mapped[int] = mapped_column(ForeignKey("influencer.id", ondelete="CASCADE"),
                                               index=True)
    stage: Mapped[str] = mapped_column(String(20), default="shortlisted")
    stage_changed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    proposed_fee_cents: Mapped[int | None] = mapped_column(BigInteger)
    agreed_fee_cents: Mapped[int | None] = mapped_column(BigInteger)
    notes: Mapped[str | None] = mapped_column(Text)

    campaign: Mapped[Campaign] = relationship(back_populates="participants")
    influencer = relationship("Influencer")
    operations: Mapped[list[Operation]] = relationship(
        back_populates="participant", cascade="all, delete-orphan",
        order_by="Operation.planned_on, Operation.id")

    __table_args__ = (
        UniqueConstraint("campaign_id", "influencer_id", name="uq_participant_campaign"),
        Index("ix_participant_stage", "campaign_id", "stage"),
    )

    def __repr__(self) -> str:
        return f"<Participant {self.id} campaign={self.campaign_id} {self.stage}>"


class Operation(TimestampMixin, VersionedMixin, db.Model):
    """A deliverable: planned, submitted for approval, approved by a manager, published,
    then measured."""

    id: Mapped[int] = mapped_column(primary_key=True)
    participant_id: Mapped[int] = mapped_column(
        ForeignKey("participant.id", ondelete="CASCADE"), index=True)
    # Copied from the participant: the calendar reads operations across campaigns.
    campaign_id: Mapped[int] = mapped_column(ForeignKey("campaign.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(20), default="post")
    platform: Mapped[str] = mapped_column(String(20))
    planned_on: Mapped[date | None] = mapped_column(Date)
    brief: Mapped[str | None] = mapped_column(Text)
    caption: Mapped[str | None] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(20), default="planned")
    submitted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    submitted_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("user.id", ondelete="SET NULL"))
    reviewed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    reviewed_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    review_comment: Mapped[str | None] = mapped_column(Text)
    published_url: Mapped[str | None] = mapped_column(String(500))
    published_on: Mapped[date | None] = mapped_column(Date)
    # Metrics (None = not known, which the KPIs tell apart from zero).
    impressions: Mapped[int | None] = mapped_column(BigInteger)
    reach: Mapped[int | None] = mapped_column(BigInteger)
    views: Mapped[int | None] = mapped_column(BigInteger)
    likes: Mapped[int | None] = mapped_column(BigInteger)
    comments: Mapped[int | None] = mapped_column(BigInteger)
    shares: Mapped[int | None] = mapped_column(BigInteger)
    saves: Mapped[int | None] = mapped_column(BigInteger)
    clicks: Mapped[int | None] = mapped_column(BigInteger)
    conversions: Mapped[int | None] = mapped_column(BigInteger)
    revenue_cents: Mapped[int | None] = mapped_column(BigInteger)
    cost_cents: Mapped[int | None] = mapped_column(BigInteger)
    metrics_source: Mapped[str | None] = mapped_column(String(20))  # manual / import
    metrics_updated_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    participant: Mapped[Participant] = relationship(back_populates="operations")
    campaign: Mapped[Campaign] = relationship()
    submitted_by = relationship("User", foreign_keys=[submitted_by_id])
    reviewed_by = relationship("User", foreign_keys=[reviewed_by_id])

    __table_args__ = (
        Index("ix_operation_calendar", "planned_on", "campaign_id"),
        Index("ix_operation_campaign_status", "campaign_id", "status"),
        Index("ix_operation_status", "status", "planned_on"),
    )

    def __repr__(self) -> str:
        return f"<Operation {self.id} {self.kind} {self.status}>"


class PlatformRate(TimestampMixin, db.Model):
    """Admin setting: the CPM (per 1 000 impressions) a platform's impressions are worth,
    for the earned media value."""

    platform: Mapped[str] = mapped_column(String(20), primary_key=True)
    cpm_cents: Mapped[int] = mapped_column(Integer)
    currency: Mapped[str] = mapped_column(String(3), default="EUR")

    def __repr__(self) -> str:
        return f"<PlatformRate {self.platform} {self.cpm_cents}>"
