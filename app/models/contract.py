"""Ambassador contracts: the terms, their immutable rendered documents, and the signers
with the evidence of their signature.

A contract binds a brand and an influencer, for a campaign (from a participant) or as a
standing ambassadorship. Its operations and in-kind benefits are small ordered lists that
are always read and rendered whole, so they are JSON lists on the row (validated by the
service) rather than child tables. Money is in cents.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Date,
    Float,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, deferred, mapped_column, relationship, validates

from app.extensions import db
from app.models.base import SoftDeleteMixin, TimestampMixin, UTCDateTime, VersionedMixin, utcnow

CONTRACT_STATUSES = ("draft", "pending_approval", "approved", "sent", "signed", "active",
                     "completed", "terminated", "cancelled")
# The statuses in which a contract binds its parties (the 1 000 € HT threshold is met).
SIGNED_STATUSES = ("signed", "active", "completed")
BASES = ("duration", "operations")
PAY_KINDS = ("fixed", "per_operation", "in_kind", "mixed")
LANGUAGES = ("fr", "en")
# The words the content must carry (loi 2023-451 art. 5), and the foreign equivalents.
DISCLOSURES = ("publicite", "collaboration_commerciale")
FOREIGN_DISCLOSURES = ("none", "ftc", "asa")
USAGE_MEDIA = ("organic_social", "paid_social", "website", "newsletter", "print", "tv",
               "outdoor", "in_store")
SIGNER_ROLES = ("brand", "influencer", "representative", "agent")
SIGNING_METHODS = ("link", "scan")
# A draft rendering (a preview kept for the record), the approved contract, the signed one
# (the approved document plus the evidence page).
DOCUMENT_KINDS = ("draft", "contract", "signed")


class Contract(TimestampMixin, VersionedMixin, SoftDeleteMixin, db.Model):
    id: Mapped[int] = mapped_column(primary_key=True)
    # "RLS-2026-00042": shown on every page of the document; given at creation.
    number: Mapped[str] = mapped_column(String(30), unique=True)
    brand_id: Mapped[int] = mapped_column(ForeignKey("brand.id", ondelete="RESTRICT"),
                                          index=True)
    influencer_id: Mapped[int] = mapped_column(
        ForeignKey("influencer.id", ondelete="RESTRICT"), index=True)
    campaign_id: Mapped[int | None] = mapped_column(
        ForeignKey("campaign.id", ondelete="SET NULL"), index=True)
    participant_id: Mapped[int | None] = mapped_column(
        ForeignKey("participant.id", ondelete="SET NULL"), index=True)
    title: Mapped[str] = mapped_column(String(200))
    language: Mapped[str] = mapped_column(String(2), default="fr")
    template: Mapped[str] = mapped_column(String(60), default="ambassador")
    status: Mapped[str] = mapped_column(String(20), default="draft")
    objective: Mapped[str] = mapped_column(String(20), default="awareness")
    products: Mapped[str | None] = mapped_column(Text)  # purpose: products or services promoted

    # Term: start and end dates, or a number of operations with a deadline.
    basis: Mapped[str] = mapped_column(String(12), default="duration")
    starts_on: Mapped[date | None] = mapped_column(Date)
    ends_on: Mapped[date | None] = mapped_column(Date)
    deadline: Mapped[date | None] = mapped_column(Date)
    # [{"platform", "kind", "count", "date" (ISO) or null, "window" text, "mentions"}]
    operations: Mapped[list] = mapped_column(JSON, default=list)

    # Pay.
    pay_kind: Mapped[str] = mapped_column(String(16), default="fixed")
    currency: Mapped[str] = mapped_column(String(3), default="EUR")
    fixed_fee_cents: Mapped[int | None] = mapped_column(BigInteger)
    fee_per_operation_cents: Mapped[int | None] = mapped_column(BigInteger)
    # [{"description", "value_cents"}]: every in-kind benefit with its value (art. 8 I 3°).
    benefits: Mapped[list] = mapped_column(JSON, default=list)
    # Their total, kept in step with `benefits` (below): the campaigns' 1 000 € HT check
    # adds it to the agreed fees in SQL, which cannot sum inside a JSON list on both
    # databases.
    in_kind_cents: Mapped[int] = mapped_column(BigInteger, default=0, server_default="0")
    payment_terms: Mapped[str | None] = mapped_column(Text)
    payment_days: Mapped[int] = mapped_column(Integer, default=30)

    # Rights and obligations.
    exclusivity: Mapped[bool] = mapped_column(Boolean, default=False)
    exclusivity_competitors: Mapped[str | None] = mapped_column(Text)
    exclusivity_months: Mapped[int | None] = mapped_column(Integer)
    usage_media: Mapped[str | None] = mapped_column(String(200))  # comma-separated codes
    usage_territories: Mapped[str | None] = mapped_column(String(200))
    usage_months: Mapped[int | None] = mapped_column(Integer)
    paid_amplification: Mapped[bool] = mapped_column(Boolean, default=False)
    disclosure: Mapped[str] = mapped_column(String(30), default="collaboration_commerciale")
    retouched_images: Mapped[bool] = mapped_column(Boolean, default=False)
    virtual_images: Mapped[bool] = mapped_column(Boolean, default=False)
    foreign_disclosure: Mapped[str] = mapped_column(String(10), default="none")
    submission_days: Mapped[int] = mapped_column(Integer, default=5)  # draft sent N days before
    feedback_days: Mapped[int] = mapped_column(Integer, default=3)  # deemed approved after N
    termination_notice_days: Mapped[int] = mapped_column(Integer, default=30)
    confidentiality: Mapped[bool] = mapped_column(Boolean, default=True)
    jurisdiction: Mapped[str | None] = mapped_column(String(120))

    # Special cases: minors' legal representatives, non-EU influencers (art. 9).
    representatives: Mapped[list] = mapped_column(JSON, default=list)  # [{"name", "email"}]
    minor_authorisation: Mapped[str | None] = mapped_column(String(200))  # under 16
    eu_representative: Mapped[str | None] = mapped_column(Text)
    insurance: Mapped[str | None] = mapped_column(String(300))
    notes: Mapped[str | None] = mapped_column(Text)

    # Workflow trail.
    submitted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    review_comment: Mapped[str | None] = mapped_column(Text)  # a manager's requested changes
    approved_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    approved_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id",
                                                                  ondelete="SET NULL"))
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    signed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    ended_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    end_reason: Mapped[str | None] = mapped_column(Text)
    amendment: Mapped[int] = mapped_column(Integer, default=0)

    brand = relationship("Brand")
    influencer = relationship("Influencer")
    campaign = relationship("Campaign")
    participant = relationship("Participant")
    approved_by = relationship("User", foreign_keys=[approved_by_id])
    documents: Mapped[list[ContractDocument]] = relationship(
        back_populates="contract", order_by="ContractDocument.id",
        cascade="all, delete-orphan")
    signers: Mapped[list[ContractSigner]] = relationship(
        back_populates="contract", order_by="ContractSigner.id", cascade="all, delete-orphan")

    __table_args__ = (Index("ix_contract_status", "status", "brand_id"),)

    @validates("benefits")
    def _count_in_kind(self, _key: str, benefits: list | None) -> list | None:
        self.in_kind_cents = sum(int(b.get("value_cents") or 0) for b in benefits or []
                                 if isinstance(b, dict))
        return benefits

    def __repr__(self) -> str:
        return f"<Contract {self.id} {self.number} {self.status}>"


class ContractDocument(db.Model):
    """One rendered PDF, never changed once written: the SHA-256 identifies its bytes."""

    id: Mapped[int] = mapped_column(primary_key=True)
    contract_id: Mapped[int] = mapped_column(ForeignKey("contract.id", ondelete="CASCADE"),
                                             index=True)
    version: Mapped[int] = mapped_column(Integer)  # 1, 2, … per contract
    kind: Mapped[str] = mapped_column(String(10), default="contract")
    amendment: Mapped[int] = mapped_column(Integer, default=0)
    language: Mapped[str] = mapped_column(String(2))
    template_name: Mapped[str] = mapped_column(String(60))
    template_version: Mapped[str] = mapped_column(String(30))
    sha256: Mapped[str] = mapped_column(String(64))
    # For a signed document: the SHA-256 of the contract document it seals.
    source_sha256: Mapped[str | None] = mapped_column(String(64))
    size: Mapped[int] = mapped_column(Integer)
    pages: Mapped[int | None] = mapped_column(Integer)
    content: Mapped[bytes] = deferred(mapped_column(LargeBinary))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id",
                                                                 ondelete="SET NULL"))

    contract: Mapped[Contract] = relationship(back_populates="documents")
    created_by = relationship("User")

    __table_args__ = (UniqueConstraint("contract_id", "version",
                                       name="uq_contract_document_version"),)

    def __repr__(self) -> str:
        return f"<ContractDocument {self.contract_id} v{self.version} {self.kind}>"


class ContractSigner(db.Model):
    """One person who signs one document, and the evidence of how they did (eIDAS art. 25,
    Code civil art. 1366-1367). Only the SHA-256 of the single-use link's token is kept."""

    id: Mapped[int] = mapped_column(primary_key=True)
    contract_id: Mapped[int] = mapped_column(ForeignKey("contract.id", ondelete="CASCADE"),
                                             index=True)
    document_id: Mapped[int] = mapped_column(ForeignKey("contract_document.id",
                                                        ondelete="CASCADE"))
    role: Mapped[str] = mapped_column(String(16))
    name: Mapped[str] = mapped_column(String(200))
    email: Mapped[str | None] = mapped_column(String(254))
    token_hash: Mapped[str | None] = mapped_column(String(64), unique=True)
    expires_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    emailed: Mapped[bool] = mapped_column(Boolean, default=False)
    # How the link reached its signer: "email" (sent by Relais), "shown" (displayed once
    # to the member who sent it, to hand over) or "copied" (that member pressed Copy);
    # when, and by which member. Printed on the evidence page.
    delivery: Mapped[str | None] = mapped_column(String(10))
    delivered_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    delivered_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id",
                                                                   ondelete="SET NULL"))
    opened_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    signed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    method: Mapped[str | None] = mapped_column(String(10))  # link / scan
    ip_address: Mapped[str | None] = mapped_column(String(45))
    user_agent: Mapped[str | None] = mapped_column(String(400))
    consent_text: Mapped[str | None] = mapped_column(Text)
    document_sha256: Mapped[str | None] = mapped_column(String(64))
    # A scan: its own hash, and who uploaded it.
    scan_sha256: Mapped[str | None] = mapped_column(String(64))
    scan: Mapped[bytes | None] = deferred(mapped_column(LargeBinary))
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id",
                                                                  ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    contract: Mapped[Contract] = relationship(back_populates="signers")
    document: Mapped[ContractDocument] = relationship()
    delivered_by = relationship("User", foreign_keys=[delivered_by_id])

    def __repr__(self) -> str:
        return f"<ContractSigner {self.id} {self.role} signed={self.signed_at is not None}>"


class ContractBatch(db.Model):
    """One ZIP of a campaign's contracts, rendered in the background (progress polled by
    the page); the file lives in the instance folder until it is replaced."""

    id: Mapped[int] = mapped_column(primary_key=True)
    campaign_id: Mapped[int] = mapped_column(ForeignKey("campaign.id", ondelete="CASCADE"),
                                             index=True)
    status: Mapped[str] = mapped_column(String(10), default="queued")  # running/done/failed
    progress: Mapped[int] = mapped_column(Integer, default=0)
    total: Mapped[int] = mapped_column(Integer, default=0)
    path: Mapped[str | None] = mapped_column(String(500))
    size: Mapped[int | None] = mapped_column(BigInteger)
    seconds: Mapped[float | None] = mapped_column(Float)
    error: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # The job's lease (app/core/jobs_lease.py): touched at each contract while it runs.
    heartbeat_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id",
                                                                 ondelete="SET NULL"))

    def __repr__(self) -> str:
        return f"<ContractBatch {self.id} campaign={self.campaign_id} {self.status}>"
