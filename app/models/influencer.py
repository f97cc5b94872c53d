"""Influencers, their social accounts, audience snapshots, tags and relationship timeline."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (
    DDL,
    Boolean,
    Column,
    Date,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Table,
    Text,
    UniqueConstraint,
    event,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.codes import (  # noqa: F401 - the models' codes, re-exported
    AGE_BANDS,
    AUDIENCE_DIMENSIONS,
    CAMPAIGN_INTERACTION,
    DATA_SOURCES,
    GENDERS,
    INTERACTION_KINDS,
    KINDS,
    LAWFUL_BASES,
    PLATFORMS,
    STATUSES,
)
from app.collation import search_text, sort_key
from app.extensions import db
from app.models.base import (
    SoftDeleteMixin,
    TimestampMixin,
    UTCDateTime,
    VersionedMixin,
    keep_sort_name,
    sort_name_column,
    utcnow,
)

# Influencer columns holding the main account's share of each age band.
AGE_COLUMNS = {band: "audience_age_" + band.replace("-", "_").replace("+", "_plus")
               for band in AGE_BANDS}
_LIVE = text("deleted_at IS NULL")

influencer_tag = Table(
    "influencer_tag",
    db.Model.metadata,
    Column("influencer_id", ForeignKey("influencer.id", ondelete="CASCADE"), primary_key=True),
    Column("tag_id", ForeignKey("tag.id", ondelete="CASCADE"), primary_key=True),
    Index("ix_influencer_tag_tag_id", "tag_id", "influencer_id"),
)


class Tag(db.Model):
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(60), unique=True)

    def __repr__(self) -> str:
        return f"<Tag {self.name!r}>"


class Influencer(TimestampMixin, VersionedMixin, SoftDeleteMixin, db.Model):
    id: Mapped[int] = mapped_column(primary_key=True)
    display_name: Mapped[str] = mapped_column(String(200))
    sort_name: Mapped[str] = sort_name_column("display_name")  # French order (see base.py)
    legal_name: Mapped[str | None] = mapped_column(String(200))
    kind: Mapped[str] = mapped_column(String(20), default="other")
    email: Mapped[str | None] = mapped_column(String(254))
    phone: Mapped[str | None] = mapped_column(String(40))
    address: Mapped[str | None] = mapped_column(Text)
    city: Mapped[str | None] = mapped_column(String(120))
    country: Mapped[str | None] = mapped_column(String(2))
    tax_country: Mapped[str | None] = mapped_column(String(2))
    languages: Mapped[str | None] = mapped_column(String(60))  # "fr,en"
    date_of_birth: Mapped[date | None] = mapped_column(Date)
    agent_name: Mapped[str | None] = mapped_column(String(200))
    agent_email: Mapped[str | None] = mapped_column(String(254))
    owner_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    status: Mapped[str] = mapped_column(String(20), default="prospect")
    notes: Mapped[str | None] = mapped_column(Text)
    # GDPR (art. 13/14): where the data came from and on what basis it is processed.
    data_source: Mapped[str] = mapped_column(String(40), default="manual")
    data_source_detail: Mapped[str | None] = mapped_column(String(255))
    lawful_basis: Mapped[str] = mapped_column(String(30), default="legitimate_interest")
    informed_on: Mapped[date | None] = mapped_column(Date)
    consent_on: Mapped[date | None] = mapped_column(Date)
    erased_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # The import that created this record (so that reverting it removes it).
    import_id: Mapped[int | None] = mapped_column(
        ForeignKey("import.id", ondelete="SET NULL"), index=True)
    # Denormalised from the accounts so that list filters and sorts hit an index.
    followers_total: Mapped[int] = mapped_column(Integer, default=0)
    engagement_rate: Mapped[float | None] = mapped_column(Float)
    search_text: Mapped[str] = mapped_column(Text, default="")
    # The audience of the main account (most followers, latest snapshot), copied here so
    # the list's audience filters are column tests on one table: with EXISTS over the
    # share rows PostgreSQL's plans swing between hash joins (slow for common filters) and
    # nested loops (slow for rare ones). The share rows stay the source of truth.
    audience_female: Mapped[float | None] = mapped_column(Float)
    audience_top_country: Mapped[str | None] = mapped_column(String(2))
    audience_age_13_17: Mapped[float | None] = mapped_column(Float)
    audience_age_18_24: Mapped[float | None] = mapped_column(Float)
    audience_age_25_34: Mapped[float | None] = mapped_column(Float)
    audience_age_35_44: Mapped[float | None] = mapped_column(Float)
    audience_age_45_54: Mapped[float | None] = mapped_column(Float)
    audience_age_55_64: Mapped[float | None] = mapped_column(Float)
    audience_age_65_plus: Mapped[float | None] = mapped_column(Float)

    owner = relationship("User", foreign_keys=[owner_id])
    accounts: Mapped[list[SocialAccount]] = relationship(
        back_populates="influencer", cascade="all, delete-orphan", order_by="SocialAccount.id"
    )
    tags: Mapped[list[Tag]] = relationship(secondary=influencer_tag, order_by=Tag.name)

    __table_args__ = (
        # One partial index per sort column, on live rows, ending with the id tie-breaker:
        # a sorted page is read in index order on both SQLite and PostgreSQL.
        *(Index(f"ix_influencer_live_{name}", column, "id", sqlite_where=_LIVE,
                postgresql_where=_LIVE)
          for name, column in (("name", "sort_name"), ("followers", "followers_total"),
                               ("engagement", "engagement_rate"), ("created", "created_at"),
                               ("updated", "updated_at"), ("kind_sort", "kind"),
                               ("status_sort", "status"), ("country_sort", "country"))),
        Index("ix_influencer_audience_country", "audience_top_country", "followers_total",
              sqlite_where=_LIVE, postgresql_where=_LIVE),
        # Substring search (name, email, handles) through trigrams, PostgreSQL only.
        Index("ix_influencer_search_trgm", "search_text", postgresql_using="gin",
              postgresql_ops={"search_text": "gin_trgm_ops"}, info={"dialects": ["postgresql"]},
              ).ddl_if(dialect="postgresql"),
        Index("ix_influencer_kind", "kind", "followers_total"),
        Index("ix_influencer_country", "country", "followers_total"),
        Index("ix_influencer_owner", "owner_id", "followers_total"),
        Index("ix_influencer_email", "email"),
    )

    @property
    def tag_names(self) -> list[str]:
        return [t.name for t in self.tags]

    def __repr__(self) -> str:
        return f"<Influencer {self.id} {self.display_name!r}>"


class SocialAccount(TimestampMixin, VersionedMixin, db.Model):
    id: Mapped[int] = mapped_column(primary_key=True)
    influencer_id: Mapped[int] = mapped_column(ForeignKey("influencer.id", ondelete="CASCADE"))
    platform: Mapped[str] = mapped_column(String(20))
    handle: Mapped[str] = mapped_column(String(200))
    profile_url: Mapped[str | None] = mapped_column(String(500))
    followers: Mapped[int | None] = mapped_column(Integer)
    following: Mapped[int | None] = mapped_column(Integer)
    posts: Mapped[int | None] = mapped_column(Integer)
    avg_likes: Mapped[int | None] = mapped_column(Integer)
    avg_comments: Mapped[int | None] = mapped_column(Integer)
    avg_views: Mapped[int | None] = mapped_column(Integer)
    engagement_rate: Mapped[float | None] = mapped_column(Float)  # share, 0.032 = 3.2 %
    credibility: Mapped[float | None] = mapped_column(Float)  # share of real followers
    figures_on: Mapped[date | None] = mapped_column(Date)

    influencer: Mapped[Influencer] = relationship(back_populates="accounts")
    snapshots: Mapped[list[AudienceSnapshot]] = relationship(
        back_populates="account",
        cascade="all, delete-orphan",
        order_by="AudienceSnapshot.taken_on",
    )

    __table_args__ = (
        UniqueConstraint("platform", "handle"),
        Index("ix_social_account_influencer", "influencer_id", "platform"),
        Index("ix_social_account_handle", "handle"),
        Index("ix_social_account_platform", "platform", "influencer_id"),
        # The list's sorts by one platform's figures read its accounts in this order.
        Index("ix_social_account_platform_followers", "platform", "followers",
              "influencer_id"),
        Index("ix_social_account_platform_engagement", "platform", "engagement_rate",
              "influencer_id"),
    )

    def __repr__(self) -> str:
        return f"<SocialAccount {self.platform}:{self.handle}>"


class AudienceSnapshot(TimestampMixin, db.Model):
    """Who followed an account on a date. Snapshots are added, never overwritten."""

    id: Mapped[int] = mapped_column(primary_key=True)
    account_id: Mapped[int] = mapped_column(ForeignKey("social_account.id", ondelete="CASCADE"))
    influencer_id: Mapped[int] = mapped_column(ForeignKey("influencer.id", ondelete="CASCADE"))
    taken_on: Mapped[date] = mapped_column(Date)
    followers: Mapped[int | None] = mapped_column(Integer)
    credibility: Mapped[float | None] = mapped_column(Float)
    source: Mapped[str | None] = mapped_column(String(120))
    is_latest: Mapped[bool] = mapped_column(Boolean, default=True)

    account: Mapped[SocialAccount] = relationship(back_populates="snapshots")
    shares: Mapped[list[AudienceShare]] = relationship(
        back_populates="snapshot", cascade="all, delete-orphan", order_by="AudienceShare.rank"
    )

    __table_args__ = (Index("ix_audience_snapshot_account", "account_id", "taken_on"),)

    def by_dimension(self) -> dict[str, list[AudienceShare]]:
        grouped: dict[str, list[AudienceShare]] = {}
        for share in self.shares:
            grouped.setdefault(share.dimension, []).append(share)
        return grouped


class AudienceShare(db.Model):
    """One share (0-1) of one dimension of a snapshot, stored as a row so SQL can filter on
    it ("at least 40 % women"). `rank` 1 is the dimension's largest share ("top country");
    `is_latest` and `influencer_id` are copied from the snapshot for index-only filters."""

    id: Mapped[int] = mapped_column(primary_key=True)
    snapshot_id: Mapped[int] = mapped_column(
        ForeignKey("audience_snapshot.id", ondelete="CASCADE")
    )
    influencer_id: Mapped[int] = mapped_column(ForeignKey("influencer.id", ondelete="CASCADE"))
    dimension: Mapped[str] = mapped_column(String(12))
    key: Mapped[str] = mapped_column(String(60))
    share: Mapped[float] = mapped_column(Float)
    rank: Mapped[int] = mapped_column(Integer, default=1)
    is_latest: Mapped[bool] = mapped_column(Boolean, default=True)

    snapshot: Mapped[AudienceSnapshot] = relationship(back_populates="shares")

    __table_args__ = (
        Index("ix_audience_share_influencer", "influencer_id", "dimension", "key"),
        Index("ix_audience_share_snapshot", "snapshot_id"),
    )


class Interaction(TimestampMixin, db.Model):
    """One entry of the relationship timeline, with an optional follow-up date."""

    id: Mapped[int] = mapped_column(primary_key=True)
    influencer_id: Mapped[int] = mapped_column(ForeignKey("influencer.id", ondelete="CASCADE"))
    user_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    kind: Mapped[str] = mapped_column(String(20))
    occurred_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    summary: Mapped[str] = mapped_column(Text)
    follow_up_on: Mapped[date | None] = mapped_column(Date)
    follow_up_done: Mapped[bool] = mapped_column(Boolean, default=False)
    campaign_id: Mapped[int | None] = mapped_column(
        ForeignKey("campaign.id", ondelete="SET NULL"), index=True)

    user = relationship("User", foreign_keys=[user_id])
    campaign = relationship("Campaign")
    influencer: Mapped[Influencer] = relationship()

    __table_args__ = (
        Index("ix_interaction_influencer", "influencer_id", "occurred_at"),
        Index("ix_interaction_follow_up", "user_id", "follow_up_done", "follow_up_on"),
    )


keep_sort_name(Influencer.display_name)


# Substring search over `search_text` through trigrams on both databases (migration
# 0001 creates the same objects):
# - PostgreSQL: the pg_trgm extension (trusted: the database owner may create it) and the
#   GIN index declared above;
# - SQLite: an FTS5 trigram table over the column, kept in step by triggers.
event.listen(
    db.Model.metadata, "before_create",
    DDL("CREATE EXTENSION IF NOT EXISTS pg_trgm").execute_if(dialect="postgresql"),
)
SQLITE_SEARCH_DDL = (
    "CREATE VIRTUAL TABLE IF NOT EXISTS influencer_fts USING fts5(search_text, "
    "content='influencer', content_rowid='id', tokenize='trigram')",
    "INSERT INTO influencer_fts(influencer_fts) VALUES ('rebuild')",
    # Bulk loads (imports, demo data) pause the per-row trigger and index a batch at once
    # (app/core/search_index.py): a trigger insert costs ~130 µs a row.
    "CREATE TABLE IF NOT EXISTS influencer_fts_pause (paused INTEGER NOT NULL)",
    "CREATE TRIGGER influencer_fts_insert AFTER INSERT ON influencer "
    "WHEN NOT EXISTS (SELECT 1 FROM influencer_fts_pause) BEGIN "
    "INSERT INTO influencer_fts(rowid, search_text) VALUES (new.id, new.search_text); END",
    "CREATE TRIGGER influencer_fts_delete AFTER DELETE ON influencer BEGIN "
    "INSERT INTO influencer_fts(influencer_fts, rowid, search_text) "
    "VALUES ('delete', old.id, old.search_text); END",
    "CREATE TRIGGER influencer_fts_update AFTER UPDATE OF search_text ON influencer BEGIN "
    "INSERT INTO influencer_fts(influencer_fts, rowid, search_text) "
    "VALUES ('delete', old.id, old.search_text); "
    "INSERT INTO influencer_fts(rowid, search_text) VALUES (new.id, new.search_text); END",
)
for _statement in SQLITE_SEARCH_DDL:
    event.listen(Influencer.__table__, "after_create",
                 DDL(_statement).execute_if(dialect="sqlite"))
for _table in ("influencer_fts", "influencer_fts_pause"):
    event.listen(Influencer.__table__, "after_drop",
                 DDL(f"DROP TABLE IF EXISTS {_table}").execute_if(dialect="sqlite"))


# --- denormalised columns: the one place that computes them from the accounts ------------
# (the import's bulk writer computes the same values row by row: app/imports/people.py)

def refresh_denormalised(influencer: Influencer) -> None:
    """Followers, engagement and search text copied from the accounts so that the list
    filters and sorts on indexed columns of one table."""
    accounts = list(influencer.accounts)
    influencer.followers_total = sum(a.followers or 0 for a in accounts)
    rates = [a.engagement_rate for a in accounts if a.engagement_rate is not None]
    influencer.engagement_rate = max(rates) if rates else None
    words = [influencer.display_name, influencer.legal_name, influencer.email]
    words += [a.handle for a in accounts]
    # Folded (no case, no accents): a search for "musee" finds "Musée" and back.
    influencer.search_text = search_text(words)
    influencer.sort_name = sort_key(influencer.display_name)
    _copy_main_audience(influencer, accounts)


def _copy_main_audience(influencer: Influencer, accounts: list[SocialAccount]) -> None:
    """The list filters on the audience of the main account: the one with the most
    followers among those that have a snapshot, as of its latest snapshot."""
    latest = [(a.followers or 0, a.id or 0, s) for a in accounts for s in a.snapshots
              if s.is_latest]
    shares: dict[tuple[str, str], float] = {}
    top_country = None
    if latest:
        snapshot = max(latest, key=lambda t: (t[0], t[1]))[2]
        for share in snapshot.shares:
            shares[(share.dimension, share.key)] = share.share
            if share.dimension == "country" and share.rank == 1:
                top_country = share.key
    influencer.audience_female = shares.get(("gender", "female"))
    influencer.audience_top_country = top_country
    for band, column in AGE_COLUMNS.items():
        setattr(influencer, column, shares.get(("age", band)))


def mark_latest(snapshot: AudienceSnapshot, latest: bool) -> None:
    if snapshot.is_latest != latest:
        snapshot.is_latest = latest
    for share in snapshot.shares:
        if share.is_latest != latest:
            share.is_latest = latest
