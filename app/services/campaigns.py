"""Campaigns: creation, editing with optimistic locking and the status workflow, trash and
restore, and the compliance warnings (restricted sectors, the 1 000 € HT contract threshold).

Stored forms: target platforms, countries, age bands and languages are comma-separated
codes ("instagram,tiktok", "FR,BE", "18-24,25-34", "fr,en"); hashtags and mentions are
space-separated with their sign kept ("#Été2026 #ete", "@maison.x"). KPI targets are a
JSON object, KPI code → number, in the unit of `kpis.actual_for`: counts as whole numbers,
rates (engagement rates, ROI) as shares (0.05 = 5 %), money (CPE, CPM, EMV) in currency
units of the campaign (2.5 = 2,50 €), not cents.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from datetime import date
from typing import Any

from babel import Locale
from flask_babel import gettext as _
from sqlalchemy import String, and_, case, cast, extract, func, or_, select
from sqlalchemy.orm import aliased

from app.extensions import db
from app.forms import clean
from app.i18n import money
from app.i18n.labels import label
from app.models import Brand, Campaign, Contract, Influencer, Participant, User
from app.models.base import utcnow
from app.models.brand import SECTORS
from app.models.campaign import CAMPAIGN_STATUSES, CURRENCIES, OBJECTIVES
from app.models.contract import SIGNED_STATUSES
from app.models.influencer import AGE_BANDS, PLATFORMS
from app.services import NotFound, ServiceError, check_version, save_versioned
from app.services.brands import RESTRICTED_SECTORS

# The columns a form may write; everything else (version, timestamps, trash) is ours.
FIELDS = (
    "brand_id", "name", "objective", "status", "starts_on", "ends_on", "budget_cents",
    "currency", "description", "target_platforms", "target_countries", "target_gender",
    "target_gender_share", "target_age_bands", "target_languages", "target_interests",
    "kpi_targets", "hashtags", "mentions", "sector", "owner_id",
)
# The unit of each KPI target (see the module docstring).
KPI_UNITS = {
    "reach": "count", "impressions": "count", "engagements": "count", "conversions": "count",
    "engagement_rate_reach": "share", "engagement_rate_followers": "share", "roi": "share",
    "cpe": "money", "cpm": "money", "emv": "money",
}
# draft → planned → active → completed; cancelled from any status; cancelled is final.
NEXT_STATUS = {"draft": "planned", "planned": "active", "active": "completed"}
TARGET_GENDERS = ("female", "male")
# Loi 2023-451 art. 8 (décret 2025-1137): a written contract from 1 000 € HT a year.
CONTRACT_THRESHOLD_CENTS = 100_000
THRESHOLD_CURRENCY = "EUR"  # fees in other currencies are not converted
TAG_MAX = 100
TAGS_MAX = 50
_SPLIT = re.compile(r"[\s,;]+")
_HASHTAG = re.compile(r"\w+")
_MENTION = re.compile(r"[\w.]+")
FIRST_YEAR, LAST_YEAR = 2000, 2100


# --- parsing (pure; the form calls these too) ------------------------------------------

def parse_tags(text: str | list[str] | None, sign: str) -> list[str]:
    """"#Été2026, #ete ete" → ["#Été2026", "#ete"]: the sign added where missing, repeats
    (ignoring case) dropped. `sign` is "#" (hashtags: letters, digits, _) or "@" (mentions:
    also dots; lower-cased like stored handles). ServiceError on anything else."""
    pattern = _HASHTAG if sign == "#" else _MENTION
    words = text if isinstance(text, list) else _SPLIT.split(clean(text or ""))
    found: dict[str, str] = {}
    for word in words:
        bare = word.strip().lstrip(sign)
        if not bare:
            continue
        if sign == "@":
            bare = bare.lower()
        shown = sign + bare
        if len(bare) > TAG_MAX or not pattern.fullmatch(bare):
            if sign == "#":
                raise ServiceError(_("“%(tag)s” is not a hashtag: letters, digits and _ only, "
                                     "at most 100.", tag=shown[:40]))
            raise ServiceError(_("“%(tag)s” is not a handle: letters, digits, dots and _ "
                                 "only, at most 100.", tag=shown[:40]))
        found.setdefault(bare.casefold(), shown)
    if len(found) > TAGS_MAX:
        raise ServiceError(_("At most %(n)d hashtags or mentions.", n=TAGS_MAX))
    return list(found.values())


def parse_languages(text: str | list[str] | None) -> list[str]:
    """"fr, EN" → ["fr", "en"]: ISO 639-1 codes, checked against the CLDR list."""
    words = text if isinstance(text, list) else _SPLIT.split(clean(text or ""))
    known = Locale.parse("en").languages
    codes: list[str] = []
    for word in words:
        code = word.strip().lower()
        if not code:
            continue
        if len(code) != 2 or not code.isascii() or code not in known:
            raise ServiceError(_("“%(code)s” is not a two-letter language code (e.g. fr, en).",
                                 code=word.strip()[:20]))
        if code not in codes:
            codes.append(code)
    return codes


def _codes(values: Any, allowed: tuple[str, ...] | set[str], what: str) -> str | None:
    items = values if isinstance(values, list | tuple) else (values or "").split(",")
    kept: list[str] = []
    for item in items:
        item = str(item or "").strip()
        if not item:
            continue
        if item not in allowed:
            raise ServiceError(_("Unknown %(what)s: %(code)s.", what=what, code=item[:20]))
        if item not in kept:
            kept.append(item)
    return ",".join(kept) or None


def split_codes(value: str | None) -> list[str]:
    return [code for code in (value or "").split(",") if code]


def _countries() -> set[str]:
    return {code for code in Locale.parse("en").territories if len(code) == 2
            and code.isalpha()}


def _targets(targets: dict | None) -> dict | None:
    kept: dict[str, float] = {}
    for code, value in (targets or {}).items():
        if value is None or value == "":
            continue
        if code not in KPI_UNITS:
            raise ServiceError(_("Unknown KPI: %(code)s.", code=str(code)[:30]))
        if isinstance(value, bool) or not isinstance(value, int | float) \
                or not math.isfinite(value) or value < 0 or value > 1e12:
            raise ServiceError(_("The target for %(kpi)s is not a valid number.",
                                 kpi=label("kpi", code)))
        kept[code] = int(value) if KPI_UNITS[code] == "count" else value
    return kept or None


# --- writing ----------------------------------------------------------------------------

def transition_problem(old: str, new: str) -> str | None:
    """Why a campaign cannot go from `old` to `new`, or None."""
    if new == old or (new == "cancelled" and old != "cancelled") or NEXT_STATUS.get(old) == new:
        return None
    return _("A campaign cannot go from “%(old)s” to “%(new)s”: the steps are draft → "
             "planned → active → completed, and it can be cancelled at any time.",
             old=label("campaign_status", old), new=label("campaign_status", new))


def _date_problem(starts_on: date | None, ends_on: date | None) -> str | None:
    for day in (starts_on, ends_on):
        if day is not None and not FIRST_YEAR <= day.year <= LAST_YEAR:
            return _("Dates must be between %(first)d and %(last)d.",
                     first=FIRST_YEAR, last=LAST_YEAR)
    if starts_on and ends_on and ends_on < starts_on:
        return _("The campaign cannot end before it starts.")
    return None


def _clean(data: dict[str, Any], current: Campaign | None = None) -> dict[str, Any]:
    values: dict[str, Any] = {}
    for key in FIELDS:
        value = data.get(key)
        if isinstance(value, str):
            value = clean(value) or None
        values[key] = value
    if not values["name"]:
        raise ServiceError(_("A campaign needs a name."))
    values["name"] = values["name"][:200]
    for key, allowed, default in (("objective", OBJECTIVES, "awareness"),
                                  ("status", CAMPAIGN_STATUSES, "draft"),
                                  ("currency", CURRENCIES, "EUR")):
        values[key] = values[key] or default
        if values[key] not in allowed:
            raise ServiceError(_("Unknown value: %(value)s.", value=str(values[key])[:20]))
    if values["sector"] is not None and values["sector"] not in SECTORS:
        raise ServiceError(_("Unknown sector: %(sector)s.", sector=values["sector"][:40]))
    problem = _date_problem(values["starts_on"], values["ends_on"])
    if problem:
        raise ServiceError(problem)
    budget = values["budget_cents"]
    if budget is not None and (not isinstance(budget, int) or not 0 <= budget <= 10**11):
        raise ServiceError(_("The budget must be an amount between 0 and one billion."))
    _clean_audience(values)
    values["hashtags"] = " ".join(parse_tags(values["hashtags"], "#")) or None
    values["mentions"] = " ".join(parse_tags(values["mentions"], "@")) or None
    values["kpi_targets"] = _targets(values["kpi_targets"])
    values["description"] = (values["description"] or "")[:20000] or None
    _check_brand(values["brand_id"], current)
    _check_owner(values["owner_id"], current)
    return values


def _clean_audience(values: dict[str, Any]) -> None:
    if values["target_gender"] not in (None, *TARGET_GENDERS):
        raise ServiceError(_("Unknown gender target."))
    share = values["target_gender_share"]
    if share is not None and not (isinstance(share, int | float) and 0 <= share <= 1):
        raise ServiceError(_("A share is between 0 and 100 %."))
    if share is not None and values["target_gender"] is None:
        raise ServiceError(_("Choose the gender the minimum share is for."))
    countries = values["target_countries"]
    countries = ([c.upper() for c in countries if isinstance(c, str)]
                 if isinstance(countries, list) else (countries or "").upper())
    values["target_countries"] = _codes(countries, _countries(), _("country"))
    values["target_platforms"] = _codes(values["target_platforms"], PLATFORMS, _("platform"))
    values["target_age_bands"] = _codes(values["target_age_bands"], AGE_BANDS, _("age band"))
    values["target_languages"] = ",".join(parse_languages(values["target_languages"])) or None
    values["target_interests"] = (values["target_interests"] or "")[:2000] or None


def _check_brand(brand_id: Any, current: Campaign | None) -> None:
    if current is not None and brand_id == current.brand_id:
        return  # kept as is, even if the brand went to the trash since
    brand = db.session.get(Brand, brand_id) if isinstance(brand_id, int) else None
    if brand is None or brand.is_deleted:
        raise ServiceError(_("Choose a brand from the list."))


def _check_owner(owner_id: Any, current: Campaign | None) -> None:
    if owner_id is None or (current is not None and owner_id == current.owner_id):
        return
    user = db.session.get(User, owner_id) if isinstance(owner_id, int) else None
    if user is None or not user.active:
        raise ServiceError(_("This owner is not an active member of the team."))


def get_campaign(campaign_id: int, *, deleted: bool = False) -> Campaign:
    """A live campaign (or, with deleted=True, one in the trash); NotFound otherwise."""
    campaign = db.session.get(Campaign, campaign_id)
    if campaign is None or campaign.is_deleted != deleted:
        raise NotFound(_("This campaign does not exist or was deleted."))
    return campaign


def create_campaign(data: dict[str, Any]) -> Campaign:
    campaign = Campaign(**_clean(data))
    db.session.add(campaign)
    db.session.commit()
    return campaign


def update_campaign(campaign: Campaign, data: dict[str, Any],
                    expected_version: int | None) -> Campaign:
    """Save the form over `campaign` unless someone saved it since the form was opened;
    the status may only move along the workflow."""
    values = _clean(data, campaign)
    check_version(campaign, values, expected_version)
    problem = transition_problem(campaign.status, values["status"])
    if problem:
        raise ServiceError(problem)
    return save_versioned(campaign, values, expected_version)


def delete_campaign(campaign: Campaign) -> None:
    campaign.deleted_at = utcnow()
    db.session.commit()


def restore_campaign(campaign: Campaign) -> None:
    campaign.deleted_at = None
    db.session.commit()


# --- compliance -------------------------------------------------------------------------

def restricted_sector():
    """SQL: the campaign's or its brand's sector is banned or restricted (needs Brand)."""
    codes = list(RESTRICTED_SECTORS)
    return or_(Campaign.sector.in_(codes), Brand.sector.in_(codes))


def sector_warnings(campaign: Campaign) -> list[str]:
    messages = []
    brand_sector = campaign.brand.sector if campaign.brand else None
    if campaign.sector in RESTRICTED_SECTORS and campaign.sector != brand_sector:
        messages.append(_("This campaign is in a restricted sector. %(rule)s",
                          rule=RESTRICTED_SECTORS[campaign.sector]))
    if brand_sector in RESTRICTED_SECTORS:
        messages.append(_("The brand is in a restricted sector. %(rule)s",
                          rule=RESTRICTED_SECTORS[brand_sector]))
    return messages


def _year():
    """The calendar year a campaign's fees count in: of its start, or of its creation."""
    return func.coalesce(extract("year", Campaign.starts_on), extract("year", Campaign.created_at))


def _counted():
    """Fees that count toward the threshold: agreed, not declined, in a live (not trashed,
    not cancelled) campaign in euros."""
    return and_(Campaign.deleted_at.is_(None), Campaign.status != "cancelled",
                Campaign.currency == THRESHOLD_CURRENCY, Participant.stage != "declined",
                Participant.agreed_fee_cents.is_not(None))


def _signed_contract(year):
    """SQL: a signed (or active, or completed) contract binds this fee's brand and
    influencer for its objective over a term that covers the fee's year."""
    first = extract("year", func.coalesce(Contract.starts_on, Contract.created_at))
    last = extract("year", func.coalesce(Contract.ends_on, Contract.deadline, Contract.starts_on,
                                         Contract.created_at))
    return (select(Contract.id)
            .where(Contract.brand_id == Campaign.brand_id,
                   Contract.influencer_id == Participant.influencer_id,
                   Contract.objective == Campaign.objective,
                   Contract.status.in_(SIGNED_STATUSES), Contract.deleted_at.is_(None),
                   first <= year, last >= year)
            .exists())


def _deal_groups(*columns, near: list[int] | None = None):
    """Fees per brand × influencer × objective × year, at or above the threshold. `near`:
    only the groups the campaigns of these ids may belong to (their brands and their
    participants), so a page or an overview does not add up every fee ever agreed."""
    year = _year()
    stmt = (select(Campaign.brand_id, Participant.influencer_id, Campaign.objective,
                   year.label("year"), func.sum(Participant.agreed_fee_cents).label("total"),
                   *columns)
            .join(Campaign, Campaign.id == Participant.campaign_id)
            .where(_counted(), ~_signed_contract(year))
            .group_by(Campaign.brand_id, Participant.influencer_id, Campaign.objective, year)
            .having(func.sum(Participant.agreed_fee_cents) >= CONTRACT_THRESHOLD_CENTS))
    if near is not None:
        theirs, their_campaign = aliased(Participant), aliased(Campaign)  # not correlated
        stmt = stmt.where(
            Participant.influencer_id.in_(
                select(theirs.influencer_id).where(theirs.campaign_id.in_(near))),
            Campaign.brand_id.in_(
                select(their_campaign.brand_id).where(their_campaign.id.in_(near))))
    return stmt


@dataclass(frozen=True)
class Deal:
    """Fees from one brand to one influencer for one objective in one year."""

    brand_id: int
    influencer_id: int
    objective: str
    year: int
    total_cents: int
    campaign_ids: list[int]


def deals_needing_contract(brand_id: int | None = None,
                           campaign_id: int | None = None) -> list[Deal]:
    """Deals at or above 1 000 € HT that no signed contract covers."""
    ids = func.aggregate_strings(cast(Campaign.id, String), ",")
    stmt = _deal_groups(ids.label("ids"), near=None if campaign_id is None else [campaign_id])
    if brand_id is not None:
        stmt = stmt.where(Campaign.brand_id == brand_id)
    if campaign_id is not None:
        stmt = stmt.having(func.max(case((Campaign.id == campaign_id, 1), else_=0)) == 1)
    stmt = stmt.order_by(Campaign.brand_id, _year(), Participant.influencer_id,
                         Campaign.objective)
    return [Deal(row.brand_id, row.influencer_id, row.objective, int(row.year), int(row.total),
                 sorted(int(i) for i in row.ids.split(",")))
            for row in db.session.execute(stmt)]


def campaigns_in_deals(ids: list[int] | None = None):
    """SQL: ids of the campaigns (among `ids`, or all) taking part in a deal that needs a
    contract."""
    groups = _deal_groups(near=ids).subquery()
    stmt = (select(Campaign.id)
            .join(Participant, Participant.campaign_id == Campaign.id)
            .join(groups, and_(groups.c.brand_id == Campaign.brand_id,
                               groups.c.influencer_id == Participant.influencer_id,
                               groups.c.objective == Campaign.objective,
                               groups.c.year == _year()))
            .where(_counted()))
    return stmt if ids is None else stmt.where(Campaign.id.in_(ids))


@dataclass(frozen=True)
class DealRow:
    deal: Deal
    influencer: str
    campaigns: list[tuple[int, str]]  # (id, name) of every campaign of the deal


def deal_rows(campaign: Campaign) -> list[DealRow]:
    """The campaign's deals needing a contract, with the names to show (3 queries)."""
    deals = deals_needing_contract(campaign_id=campaign.id)
    if not deals:
        return []
    people = dict(db.session.execute(
        select(Influencer.id, Influencer.display_name)
        .where(Influencer.id.in_({d.influencer_id for d in deals}))).all())
    titles = dict(db.session.execute(
        select(Campaign.id, Campaign.name)
        .where(Campaign.id.in_({i for d in deals for i in d.campaign_ids}))).all())
    return [DealRow(deal, people.get(deal.influencer_id, "?"),
                    [(i, titles.get(i, f"#{i}")) for i in deal.campaign_ids])
            for deal in deals]


def warnings(campaign: Campaign, deals: list[DealRow] | None = None) -> list[str]:
    """Everything compliance has to say about a campaign, in the user's language."""
    messages = sector_warnings(campaign)
    for row in deals if deals is not None else deal_rows(campaign):
        deal, name = row.deal, row.influencer
        messages.append(_(
            "%(influencer)s: %(total)s of fees from %(brand)s in %(year)d for the objective "
            "“%(objective)s”. From 1 000 € excluding VAT a written contract is mandatory "
            "(loi 2023-451, art. 8) and none is signed.",
            influencer=name, total=money(deal.total_cents, THRESHOLD_CURRENCY),
            brand=campaign.brand.name, year=deal.year,
            objective=label("objective", deal.objective)))
    return messages
