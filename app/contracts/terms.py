"""Contracts' terms: created from a campaign participant (operations and fee pre-filled) or
as a standing ambassadorship for a brand and an influencer; edited while in draft; listed;
trashed and restored. The workflow is app/contracts/workflow.py.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date
from typing import Any

from flask_babel import force_locale
from flask_babel import gettext as _
from sqlalchemy import Select, func, or_, select
from sqlalchemy.orm import contains_eager, selectinload

from app.collation import sort_key
from app.core.errors import NotFound, ServiceError, save_versioned
from app.core.pagination import Page, paginate
from app.extensions import db
from app.forms import clean
from app.models import Brand, Campaign, Contract, Influencer, Participant
from app.models.base import utcnow
from app.models.campaign import CURRENCIES, OBJECTIVES, OPERATION_KINDS
from app.models.contract import (
    BASES,
    CONTRACT_STATUSES,
    DISCLOSURES,
    FOREIGN_DISCLOSURES,
    LANGUAGES,
    PAY_KINDS,
    USAGE_MEDIA,
)
from app.models.influencer import PLATFORMS

MONEY_MAX = 10**11  # one billion, in cents
TEXT_MAX = 5000
LIST_MAX = 50  # operations, benefits, representatives per contract
COUNT_MAX = 1000
DAYS_MAX = 365
MONTHS_MAX = 600
SORTS = {"number": Contract.number, "status": Contract.status, "updated": Contract.updated_at,
         "starts": Contract.starts_on}

TEXT_FIELDS = ("title", "products", "payment_terms", "exclusivity_competitors",
               "usage_territories", "jurisdiction", "minor_authorisation",
               "eu_representative", "insurance", "notes")
FIELDS = (*TEXT_FIELDS, "language", "objective", "basis", "starts_on", "ends_on", "deadline",
          "operations", "pay_kind", "currency", "fixed_fee_cents", "fee_per_operation_cents",
          "benefits", "payment_days", "exclusivity", "exclusivity_months", "usage_media",
          "usage_months", "paid_amplification", "disclosure", "retouched_images",
          "virtual_images", "foreign_disclosure", "submission_days", "feedback_days",
          "termination_notice_days", "confidentiality", "representatives")


def get_contract(contract_id: int, *, deleted: bool = False) -> Contract:
    contract = db.session.get(Contract, contract_id)
    if contract is None or contract.is_deleted != deleted:
        raise NotFound(_("This contract does not exist or was deleted."))
    return contract


# --- defaults ---------------------------------------------------------------------------

def _operations_of(participant: Participant) -> list[dict[str, Any]]:
    """The participant's operations grouped by platform and format, with their dates."""
    groups: dict[tuple[str, str], list] = {}
    for operation in participant.operations:
        groups.setdefault((operation.platform, operation.kind), []).append(operation.planned_on)
    result = []
    for (platform, kind), days in groups.items():
        known = sorted(d for d in days if d)
        window = ""
        if len(known) > 1:
            window = f"{known[0].isoformat()} – {known[-1].isoformat()}"
        result.append({"platform": platform, "kind": kind, "count": len(days),
                       "date": known[0].isoformat() if len(known) == 1 else None,
                       "window": window, "mentions": ""})
    return result


def _language(influencer: Influencer) -> str:
    languages = (influencer.languages or "").split(",")
    country = (influencer.tax_country or influencer.country or "FR").upper()
    return "fr" if "fr" in languages or country in ("FR", "BE", "CH", "LU", "MC") else "en"


def _payment_terms(language: str) -> str:
    """The default terms, in the contract's language (they are printed in it)."""
    with force_locale(language):
        return _("On invoice, by bank transfer.")


def defaults_for_participant(participant: Participant) -> dict[str, Any]:
    campaign = participant.campaign
    language = _language(participant.influencer)
    operations = _operations_of(participant)
    fee = participant.agreed_fee_cents or participant.proposed_fee_cents
    mentions = " ".join(filter(None, (campaign.hashtags, campaign.mentions)))
    for item in operations:
        item["mentions"] = mentions[:300]
    return {
        "brand_id": campaign.brand_id, "influencer_id": participant.influencer_id,
        "campaign_id": campaign.id, "participant_id": participant.id,
        "title": campaign.name, "objective": campaign.objective, "language": language,
        "basis": "operations" if operations else "duration",
        "starts_on": campaign.starts_on, "ends_on": campaign.ends_on,
        "deadline": campaign.ends_on, "operations": operations, "pay_kind": "fixed",
        "currency": campaign.currency, "fixed_fee_cents": fee,
        "payment_terms": _payment_terms(language),
    }


def defaults_for_standing(brand: Brand, influencer: Influencer) -> dict[str, Any]:
    today = date.today()
    language = _language(influencer)
    return {
        "brand_id": brand.id, "influencer_id": influencer.id, "campaign_id": None,
        "participant_id": None, "title": _("Ambassadorship %(brand)s", brand=brand.name),
        "language": language, "basis": "duration", "starts_on": today,
        "ends_on": date(today.year + 1, today.month, min(today.day, 28)),
        "pay_kind": "fixed", "currency": "EUR", "payment_terms": _payment_terms(language),
    }


# --- cleaning -------------------------------------------------------------------------------

def _choice(values: dict, key: str, allowed: tuple[str, ...], default: str) -> None:
    values[key] = values.get(key) or default
    if values[key] not in allowed:
        raise ServiceError(_("Unknown value: %(value)s.", value=str(values[key])[:20]))


def _number(value: Any, low: int, high: int, message: str) -> int | None:
    if value is None or value == "":
        return None
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        raise ServiceError(message)
    return value


def _day(value: Any) -> date | None:
    if value in (None, ""):
        return None
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value)[:10])
    except ValueError:
        raise ServiceError(_("A date is not valid: %(value)s.", value=str(value)[:20])) from None


def _clean_operations(items: Any) -> list[dict[str, Any]]:
    result = []
    for item in (items or [])[:LIST_MAX + 1]:
        if not isinstance(item, dict):
            raise ServiceError(_("An operation could not be read."))
        platform, kind = item.get("platform") or None, item.get("kind") or None
        if not platform and not kind and not item.get("count"):
            continue  # an empty row of the form
        if platform not in PLATFORMS or kind not in OPERATION_KINDS:
            raise ServiceError(_("Every operation needs a known platform and format."))
        count = _number(item.get("count"), 1, COUNT_MAX,
                        _("The number of operations is between 1 and %(n)d.", n=COUNT_MAX))
        day = _day(item.get("date"))
        result.append({"platform": platform, "kind": kind, "count": count,
                       "date": day.isoformat() if day else None,
                       "window": clean(str(item.get("window") or ""))[:120],
                       "mentions": clean(str(item.get("mentions") or ""))[:300]})
    if len(result) > LIST_MAX:
        raise ServiceError(_("At most %(n)d lines.", n=LIST_MAX))
    return result


def _clean_benefits(items: Any) -> list[dict[str, Any]]:
    result = []
    for item in (items or [])[:LIST_MAX + 1]:
        if not isinstance(item, dict):
            raise ServiceError(_("An in-kind benefit could not be read."))
        description = clean(str(item.get("description") or ""))[:300]
        value = item.get("value_cents")
        if not description and value in (None, ""):
            continue
        if not description:
            raise ServiceError(_("Describe every in-kind benefit."))
        value = _number(value, 1, MONEY_MAX, _("Every in-kind benefit needs its value, "
                                                "between 0,01 and one billion."))
        if value is None:
            raise ServiceError(_("Every in-kind benefit needs its value (art. 8 of the "
                                 "law of 9 June 2023)."))
        result.append({"description": description, "value_cents": value})
    if len(result) > LIST_MAX:
        raise ServiceError(_("At most %(n)d lines.", n=LIST_MAX))
    return result


def _clean_people(items: Any) -> list[dict[str, str]]:
    from email_validator import EmailNotValidError, validate_email

    result = []
    for item in (items or [])[:LIST_MAX + 1]:
        if not isinstance(item, dict):
            raise ServiceError(_("A legal representative could not be read."))
        name = clean(str(item.get("name") or ""))[:200]
        email = clean(str(item.get("email") or ""))[:254]
        if not name and not email:
            continue
        try:
            email = validate_email(email, check_deliverability=False).normalized
        except EmailNotValidError:
            raise ServiceError(_("Give each legal representative a name and a valid email "
                                 "address.")) from None
        if not name:
            raise ServiceError(_("Give each legal representative a name and a valid email "
                                 "address."))
        result.append({"name": name, "email": email})
    return result[:LIST_MAX]


def _clean_terms(values: dict[str, Any]) -> None:
    if values["basis"] == "duration" and values["starts_on"] and values["ends_on"] \
            and values["ends_on"] < values["starts_on"]:
        raise ServiceError(_("The end date must come after the start date."))
    money = _("An amount is between 0 and one billion.")
    values["fixed_fee_cents"] = _number(values["fixed_fee_cents"], 0, MONEY_MAX, money)
    values["fee_per_operation_cents"] = _number(values["fee_per_operation_cents"], 0,
                                                MONEY_MAX, money)
    days = _("A number of days is between 0 and %(n)d.", n=DAYS_MAX)
    months = _("A number of months is between 0 and %(n)d.", n=MONTHS_MAX)
    for key, default in (("payment_days", 30), ("submission_days", 5), ("feedback_days", 3),
                         ("termination_notice_days", 30)):
        value = _number(values[key], 0, DAYS_MAX, days)
        values[key] = default if value is None else value
    for key in ("exclusivity_months", "usage_months"):
        values[key] = _number(values[key], 0, MONTHS_MAX, months)
    media = values["usage_media"]
    media = media if isinstance(media, list | tuple) else (media or "").split(",")
    unknown = [m for m in media if m and m not in USAGE_MEDIA]
    if unknown:
        raise ServiceError(_("Unknown value: %(value)s.", value=str(unknown[0])[:20]))
    values["usage_media"] = ",".join(m for m in USAGE_MEDIA if m in media) or None


def _clean(data: dict[str, Any]) -> dict[str, Any]:
    values: dict[str, Any] = {key: data.get(key) for key in FIELDS}
    for key in TEXT_FIELDS:
        values[key] = (clean(values[key]) or "")[:TEXT_MAX] or None if isinstance(
            values[key], str) else None
    if not values["title"]:
        raise ServiceError(_("A contract needs a title."))
    values["title"] = values["title"][:200]
    for key, allowed, default in (
            ("language", LANGUAGES, "fr"), ("objective", OBJECTIVES, "awareness"),
            ("basis", BASES, "duration"), ("pay_kind", PAY_KINDS, "fixed"),
            ("currency", CURRENCIES, "EUR"), ("disclosure", DISCLOSURES,
                                              "collaboration_commerciale"),
            ("foreign_disclosure", FOREIGN_DISCLOSURES, "none")):
        _choice(values, key, allowed, default)
    for key in ("starts_on", "ends_on", "deadline"):
        values[key] = _day(values[key])
    for key in ("exclusivity", "paid_amplification", "retouched_images", "virtual_images"):
        values[key] = bool(values[key])
    values["confidentiality"] = values["confidentiality"] is not False
    values["operations"] = _clean_operations(values["operations"])
    values["benefits"] = _clean_benefits(values["benefits"])
    values["representatives"] = _clean_people(values["representatives"])
    _clean_terms(values)
    # In-kind benefits typed under any kind of pay are kept: the law counts their value
    # with the fees (art. 8 I 3°), and the pay clause itemises them.
    return values


# --- writing --------------------------------------------------------------------------------

def _parties(data: dict[str, Any]) -> tuple[Brand, Influencer, Participant | None]:
    brand = db.session.get(Brand, data.get("brand_id")) if isinstance(
        data.get("brand_id"), int) else None
    if brand is None or brand.is_deleted:
        raise ServiceError(_("Choose a brand from the list."))
    influencer = db.session.get(Influencer, data.get("influencer_id")) if isinstance(
        data.get("influencer_id"), int) else None
    if influencer is None or influencer.is_deleted or influencer.erased_at is not None:
        raise ServiceError(_("Choose an influencer from the list."))
    participant = None
    if data.get("participant_id") is not None:
        participant = db.session.get(Participant, data["participant_id"]) if isinstance(
            data["participant_id"], int) else None
        if participant is None or participant.influencer_id != influencer.id \
                or participant.campaign.brand_id != brand.id:
            raise ServiceError(_("This participant is not in a campaign of this brand."))
    return brand, influencer, participant


def create_contract(data: dict[str, Any], user) -> Contract:
    brand, influencer, participant = _parties(data)
    values = _clean(data)
    contract = Contract(brand=brand, influencer=influencer, participant=participant,
                        campaign_id=participant.campaign_id if participant else None,
                        number=f"tmp-{utcnow().timestamp()}", status="draft",
                        created_by_id=user.id if user is not None else None, **values)
    db.session.add(contract)
    db.session.flush()  # the id makes the number: unique without a counter to lock
    contract.number = f"RLS-{contract.created_at.year}-{contract.id:05d}"
    db.session.commit()
    return contract


def update_contract(contract: Contract, data: dict[str, Any],
                    expected_version: int | None) -> Contract:
    """Save the form over a draft unless someone saved it since the form was opened."""
    if contract.status != "draft":
        raise ServiceError(_("Only a draft can be edited: amend an approved or signed "
                             "contract to change it."))
    return save_versioned(contract, _clean(data), expected_version)


def delete_contract(contract: Contract) -> None:
    if contract.status not in ("draft", "cancelled"):
        raise ServiceError(_("Only a draft or a cancelled contract can go to the trash."))
    contract.deleted_at = utcnow()
    db.session.commit()


def restore_contract(contract: Contract) -> None:
    contract.deleted_at = None
    db.session.commit()


# --- reading --------------------------------------------------------------------------------

@dataclass(frozen=True)
class ListFilters:
    text: str = ""
    status: str = ""
    brand_id: int | None = None
    campaign_id: int | None = None
    influencer_id: int | None = None


def list_page(filters: ListFilters, sort: str, number: Any, size: int = 25,
              query_args: dict[str, Any] | None = None, *, deleted: bool = False) -> Page:
    """One page of contracts with their brand and influencer (joined: one query)."""
    stmt = (select(Contract).join(Brand, Brand.id == Contract.brand_id)
            .join(Influencer, Influencer.id == Contract.influencer_id)
            .options(contains_eager(Contract.brand), contains_eager(Contract.influencer))
            .where(Contract.deleted_at.is_not(None) if deleted
                   else Contract.deleted_at.is_(None)))
    if filters.text:
        needle = f"%{filters.text.lower()[:100]}%"
        stmt = stmt.where(or_(func.lower(Contract.number).like(needle),
                              func.lower(Contract.title).like(needle),
                              # Names folded: "edith" finds "Édith" (app/collation.py).
                              Brand.sort_name.contains(sort_key(filters.text[:100]),
                                                       autoescape=True),
                              Influencer.sort_name.contains(sort_key(filters.text[:100]),
                                                            autoescape=True)))
    if filters.status in CONTRACT_STATUSES:
        stmt = stmt.where(Contract.status == filters.status)
    for column, value in ((Contract.brand_id, filters.brand_id),
                          (Contract.campaign_id, filters.campaign_id),
                          (Contract.influencer_id, filters.influencer_id)):
        if value is not None:
            stmt = stmt.where(column == value)
    name = sort.lstrip("-")
    column = SORTS.get(name, Contract.updated_at)
    descending = sort.startswith("-") or name not in SORTS
    stmt = stmt.order_by(column.desc() if descending else column.asc(), Contract.id.desc())
    return paginate(stmt, number, size, query_args)


def status_counts() -> Counter:
    rows = db.session.execute(select(Contract.status, func.count())
                              .where(Contract.deleted_at.is_(None))
                              .group_by(Contract.status)).all()
    return Counter(dict(rows))


def live_contracts(campaign_id: int) -> Select:
    """The one query for a campaign's live contracts (not in the trash), oldest first."""
    return (select(Contract).where(Contract.campaign_id == campaign_id,
                                   Contract.deleted_at.is_(None)).order_by(Contract.id))


def campaign_contracts(campaign: Campaign) -> list[Contract]:
    """The live contracts of a campaign with their influencer (two queries whatever their
    number): the campaign overview and its participants table show them."""
    return list(db.session.scalars(
        live_contracts(campaign.id).options(selectinload(Contract.influencer))))


def participant_contracts(campaign: Campaign) -> dict[int, Contract]:
    """Participant id → its latest contract not cancelled."""
    return {contract.participant_id: contract for contract in campaign_contracts(campaign)
            if contract.participant_id is not None and contract.status != "cancelled"}
