"""Brands (advertisers): the clients campaigns and contracts are for."""

from __future__ import annotations

from sqlalchemy import Index, LargeBinary, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from app.extensions import db
from app.models.base import (
    SoftDeleteMixin,
    TimestampMixin,
    VersionedMixin,
    keep_sort_name,
    sort_name_column,
)


class Brand(TimestampMixin, VersionedMixin, SoftDeleteMixin, db.Model):
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200), index=True)
    sort_name: Mapped[str] = sort_name_column("name")  # French order (see base.py)
    legal_name: Mapped[str | None] = mapped_column(String(200))
    legal_form: Mapped[str | None] = mapped_column(String(80))
    registration_number: Mapped[str | None] = mapped_column(String(40))
    address: Mapped[str | None] = mapped_column(Text)
    email: Mapped[str | None] = mapped_column(String(254))
    tax_country: Mapped[str | None] = mapped_column(String(2))
    signatory_name: Mapped[str | None] = mapped_column(String(200))
    signatory_title: Mapped[str | None] = mapped_column(String(200))
    sector: Mapped[str | None] = mapped_column(String(40))
    website: Mapped[str | None] = mapped_column(String(500))
    notes: Mapped[str | None] = mapped_column(Text)
    # The logo on reports and contracts: PNG or JPEG bytes checked by content (an SVG is
    # rasterised to PNG on upload, so no script or external reference is ever stored).
    logo: Mapped[bytes | None] = mapped_column(LargeBinary, deferred=True)
    logo_type: Mapped[str | None] = mapped_column(String(20))

    __table_args__ = (Index("ix_brand_sort_name", "sort_name", "id"),)

    def __repr__(self) -> str:
        return f"<Brand {self.id} {self.name!r}>"


keep_sort_name(Brand.name)
