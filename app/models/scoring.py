"""Scoring runs and their results: every run is kept with its parameters, sizes and
timings; the scores of the latest few runs are kept, the latest finished run is what the
app shows."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Float, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from app.extensions import db
from app.models.base import UTCDateTime, utcnow

# queued: asked for, waiting for the worker (the page polls it from that moment on)
RUN_STATUSES = ("queued", "running", "done", "failed")


class ScoringRun(db.Model):
    id: Mapped[int] = mapped_column(primary_key=True)
    started_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # The job's lease (app/core/jobs_lease.py): touched while it runs.
    heartbeat_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    status: Mapped[str] = mapped_column(String(20), default="running")
    progress: Mapped[int] = mapped_column(Integer, default=0)  # 0-100, polled by the page
    # kind weights, score weights, seed, betweenness samples, damping
    parameters: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    nodes: Mapped[int] = mapped_column(Integer, default=0)
    edges: Mapped[int] = mapped_column(Integer, default=0)
    seconds: Mapped[float | None] = mapped_column(Float)
    timings: Mapped[dict[str, float]] = mapped_column(JSON, default=dict)  # step → seconds
    error: Mapped[str | None] = mapped_column(Text)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))

    __table_args__ = (Index("ix_scoring_run_status", "status", "id"),)

    def __repr__(self) -> str:
        return f"<ScoringRun {self.id} {self.status} {self.nodes}n {self.edges}e>"


class InfluencerScore(db.Model):
    """One influencer's figures in one run. Percentiles are 0–100 among the run's known
    values; `missing` lists the components left out of the score ("engagement,credibility").

    Written 100 000 rows at a time, so the layout is lean (migration 0006): the key
    (influencer, run) serves the per-person lookups and the influencer's cascade, no
    surrogate id; `run_id` has no foreign key — on PostgreSQL its per-row check locked the
    run's row 100 000 times (~1 s a run) — runs are never deleted, and the service prunes
    every score whose run is not one of the latest kept."""

    influencer_id: Mapped[int] = mapped_column(
        ForeignKey("influencer.id", ondelete="CASCADE"), primary_key=True)
    run_id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    pagerank: Mapped[float] = mapped_column(Float)
    core: Mapped[int] = mapped_column(Integer)
    betweenness: Mapped[float] = mapped_column(Float)
    community: Mapped[int] = mapped_column(Integer)
    reach: Mapped[float | None] = mapped_column(Float)
    engagement: Mapped[float | None] = mapped_column(Float)
    credibility: Mapped[float | None] = mapped_column(Float)
    score: Mapped[float] = mapped_column(Float)
    network_percentile: Mapped[float] = mapped_column(Float)
    reach_percentile: Mapped[float | None] = mapped_column(Float)
    engagement_percentile: Mapped[float | None] = mapped_column(Float)
    credibility_percentile: Mapped[float | None] = mapped_column(Float)
    missing: Mapped[str | None] = mapped_column(String(60))

    __table_args__ = (
        Index("ix_influencer_score_score", "run_id", "score"),
        Index("ix_influencer_score_community", "run_id", "community"),
    )

    def __repr__(self) -> str:
        return (f"<InfluencerScore run={self.run_id} influencer={self.influencer_id} "
                f"{self.score:.1f}>")


class Community(db.Model):
    """A community of a run: number 1 is the largest; its label names its commonest tags."""

    id: Mapped[int] = mapped_column(primary_key=True)
    run_id: Mapped[int] = mapped_column(ForeignKey("scoring_run.id", ondelete="CASCADE"))
    number: Mapped[int] = mapped_column(Integer)
    label: Mapped[str] = mapped_column(String(200))
    size: Mapped[int] = mapped_column(Integer)

    __table_args__ = (UniqueConstraint("run_id", "number", name="uq_community_run_number"),)

    def __repr__(self) -> str:
        return f"<Community run={self.run_id} {self.number} {self.label!r} ({self.size})>"


class ScoringSettings(db.Model):
    """The team's weights, one row (id 1); absent keys fall back to the defaults in
    app.scoring.engine (graph.DEFAULT_KIND_WEIGHTS, score.DEFAULT_SCORE_WEIGHTS), so a new
    kind or component needs no migration."""

    id: Mapped[int] = mapped_column(primary_key=True)
    kind_weights: Mapped[dict[str, float]] = mapped_column(JSON, default=dict)
    score_weights: Mapped[dict[str, float]] = mapped_column(JSON, default=dict)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))

    def __repr__(self) -> str:
        return f"<ScoringSettings {self.kind_weights} {self.score_weights}>"
