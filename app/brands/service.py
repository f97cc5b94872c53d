"""Brands (advertisers): creation, editing with optimistic locking, trash and restore,
and what a contract still needs from their legal identity."""

from __future__ import annotations

import re
from typing import Any

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, or_, select, update

from app.brands.logo import Logo, stored_logo
from app.codes import SECTORS
from app.collation import sort_key
from app.core.audit import acting_user_id
from app.core.errors import NotFound, ServiceError, check_version, save_versioned
from app.core.pagination import Page, paginate
from app.extensions import db
from app.models import AuditEvent, Brand
from app.models.base import utcnow

# The columns a form may write; everything else (version, timestamps, trash) is ours.
FIELDS = (
    "name", "legal_name", "legal_form", "registration_number", "address", "email",
    "tax_country", "signatory_name", "signatory_title", "sector", "website", "notes",
)

# The legal identity a contract's "Parties" section needs.
CONTRACT_FIELDS = {
    "legal_name": _l("Legal name"),
    "legal_form": _l("Legal form"),
    "registration_number": _l("Registration number"),
    "address": _l("Address"),
    "email": _l("Email"),
    "tax_country": _l("Tax-residence country"),
    "signatory_name": _l("Signatory name"),
    "signatory_title": _l("Signatory title"),
}

# What French influencer law says of each restricted sector (app.codes.RESTRICTED_SECTORS):
# a brand or campaign in one of them shows it as a warning before any campaign.
SECTOR_RULES = {
    "alcohol": _l("Alcohol: promotion is restricted by the loi Évin (no association with "
                  "social, sporting or sexual success; health message required)."),
    "gambling": _l("Gambling and betting: allowed only on platforms that exclude under-18s; "
                   "sports-betting tips are banned."),
    "crypto": _l("Crypto-assets: only licensed (PSAN/MiCA) services may be promoted."),
    "finance": _l("Finance: unregulated financial products must not be promoted."),
    "aesthetic_surgery": _l("Aesthetic surgery: promoting cosmetic procedures is banned."),
    "tobacco_nicotine": _l("Tobacco and nicotine: promotion is banned."),
    "pharmaceuticals": _l("Medicines: promotion follows the public-health code (no "
                          "prescription medicines, approved claims only)."),
    "health": _l("Health: therapeutic abstention must never be promoted; health claims "
                 "follow their own rules."),
    "animals": _l("Animals: promoting the sale of animals whose keeping is not authorised "
                  "(protected or wild species) is banned."),
}

SORTS = {
    "name": Brand.sort_name, "sector": Brand.sector, "country": Brand.tax_country,
    "updated": Brand.updated_at,
}

_SEPARATORS = re.compile(r"[\s.\-]")
LA_POSTE_SIREN = "356000000"
LA_POSTE_HEAD = "35600000000048"


def _luhn_ok(digits: str) -> bool:
    total = 0
    for index, char in enumerate(reversed(digits)):
        n = int(char)
        if index % 2 == 1:
            n = n * 2 - 9 if n > 4 else n * 2
        total += n
    return total % 10 == 0


def normalise_registration(value: str | None, country: str | None) -> str | None:
    """French numbers are stored as bare digits; foreign ones as typed (trimmed)."""
    if not value or not value.strip():
        return None
    if country == "FR":
        return _SEPARATORS.sub("", value)
    return value.strip()


def registration_problem(value: str | None, country: str | None) -> str | None:
    """Why a registration number is refused, or None. Checked only for French companies:
    a SIREN has 9 digits, a SIRET 14, both with a Luhn check digit."""
    number = normalise_registration(value, country)
    if number is None or country != "FR":
        return None
    if not number.isascii() or not number.isdigit() or len(number) not in (9, 14):
        return _("A French registration number is a SIREN (9 digits) or a SIRET (14 digits).")
    # La Poste's establishments share one SIREN; their SIRETs (except the head office's)
    # use a digit-sum rule instead of Luhn.
    if len(number) == 14 and number.startswith(LA_POSTE_SIREN) and number != LA_POSTE_HEAD:
        valid = sum(int(c) for c in number) % 5 == 0
    else:
        valid = _luhn_ok(number)
    if not valid:
        return _("This SIREN/SIRET number is not valid (check digit); check for a typo.")
    return None


def _clean(data: dict[str, Any]) -> dict[str, Any]:
    values: dict[str, Any] = {}
    for key in FIELDS:
        value = data.get(key)
        if isinstance(value, str):
            value = value.strip() or None
        values[key] = value
    values["tax_country"] = (values["tax_country"] or "").upper() or None
    values["registration_number"] = normalise_registration(
        values["registration_number"], values["tax_country"]
    )
    if not values["name"]:
        raise ServiceError(_("A brand needs a name."))
    if values["sector"] is not None and values["sector"] not in SECTORS:
        raise ServiceError(_("Unknown sector: %(sector)s.", sector=values["sector"]))
    problem = registration_problem(values["registration_number"], values["tax_country"])
    if problem:
        raise ServiceError(problem)
    return values


def get_brand(brand_id: int, *, deleted: bool = False) -> Brand:
    """A live brand (or, with deleted=True, one in the trash); NotFound otherwise."""
    brand = db.session.get(Brand, brand_id)
    if brand is None or brand.is_deleted != deleted:
        raise NotFound(_("This brand does not exist or was deleted."))
    return brand


def create_brand(data: dict[str, Any], logo: Logo | None = None) -> Brand:
    brand = Brand(**_clean(data))
    db.session.add(brand)
    if logo is not None:
        db.session.flush()  # the brand's id, for the logo's UPDATE and its audit event
        _write_logo(brand, logo)
    db.session.commit()
    return brand


def update_brand(brand: Brand, data: dict[str, Any], expected_version: int | None,
                 logo: Logo | None = None) -> Brand:
    """Save the form (and a new logo, when one was uploaded) over `brand` unless someone
    saved it since the form was opened; both or neither are saved."""
    values = _clean(data)
    check_version(brand, values, expected_version)
    if logo is not None:
        _write_logo(brand, logo)
    return save_versioned(brand, values, expected_version)


def set_logo(brand: Brand, logo: Logo | None) -> None:
    """Replace the brand's logo, or remove it (None)."""
    if logo is not None or brand.logo_type is not None:
        _write_logo(brand, logo)
        db.session.commit()


def _write_logo(brand: Brand, logo: Logo | None) -> None:
    """Store `logo` (None: remove it) below the ORM, with an audit event that names the
    change ("PNG, 120 × 60 px") instead of copying the bytes into the trail. The version
    is left alone: a logo changes no field an open form shows, so it conflicts with none."""
    old = stored_logo(brand.logo, brand.logo_type).describe() if brand.logo_type else None
    db.session.execute(
        update(Brand).where(Brand.id == brand.id)
        .values(logo=logo.content if logo else None, logo_type=logo.mimetype if logo else None,
                updated_at=utcnow()),
        execution_options={"synchronize_session": False})
    db.session.expire(brand, ["logo", "logo_type", "updated_at"])
    db.session.add(AuditEvent(at=utcnow(), user_id=acting_user_id(), entity_type="brand",
                              entity_id=brand.id, action="update",
                              changes={"logo": [old, logo.describe() if logo else None]}))


def logo_of(brand_id: int) -> tuple[bytes, str]:
    """The brand's logo (trashed brands' too: their campaigns' reports still show it);
    NotFound when the brand or its logo does not exist."""
    row = db.session.execute(
        select(Brand.logo, Brand.logo_type).where(Brand.id == brand_id)).first()
    if row is None or row.logo is None or row.logo_type is None:
        raise NotFound(_("This brand has no logo."))
    return row.logo, row.logo_type


def delete_brand(brand: Brand) -> None:
    brand.deleted_at = utcnow()
    db.session.commit()


def restore_brand(brand: Brand) -> None:
    brand.deleted_at = None
    db.session.commit()


def list_brands(query: str = "", sort: str = "name", page: int = 1, size: int = 50,
                trash: bool = False, query_args: dict | None = None) -> Page:
    stmt = select(Brand).where(
        Brand.deleted_at.is_not(None) if trash else Brand.deleted_at.is_(None)
    )
    query = (query or "").strip()[:200]
    if query:
        needle = query.lower()
        stmt = stmt.where(or_(
            # The name's folded key: "musee" finds "Musée" (app/collation.py).
            Brand.sort_name.contains(sort_key(query), autoescape=True),
            func.lower(Brand.legal_name).contains(needle, autoescape=True),
        ))
    column = SORTS.get(sort.lstrip("-"), Brand.sort_name)
    order = column.desc() if sort.startswith("-") else column.asc()
    stmt = stmt.order_by(order, Brand.id)
    return paginate(stmt, page, size, query_args)


def missing_for_contract(brand: Brand) -> list[str]:
    """Labels of the legal fields a contract still needs."""
    return [str(label) for key, label in CONTRACT_FIELDS.items() if not getattr(brand, key)]


def sector_warning(brand: Brand) -> str | None:
    warning = SECTOR_RULES.get(brand.sector or "")
    return str(warning) if warning else None


def brand_choices(keep: int | None = None) -> list[tuple[int, str]]:
    """Live brands in French order (and `keep`, the brand a campaign already has, even
    trashed)."""
    live = Brand.deleted_at.is_(None)
    return [(b.id, b.name) for b in db.session.execute(
        select(Brand.id, Brand.name).where(or_(live, Brand.id == keep) if keep else live)
        .order_by(Brand.sort_name, Brand.id))]
