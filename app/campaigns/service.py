"""Campaigns: creation, editing with optimistic locking and the status workflow, trash and
restore (what French law has to say about a campaign is compliance.py's).

Stored forms: target platforms, countries, age bands and languages are comma-separated
codes ("instagram,tiktok", "FR,BE", "18-24,25-34", "fr,en"); hashtags and mentions are
space-separated with their sign kept ("#Été2026 #ete", "@maison.x"). KPI targets are a
JSON object, KPI code → number, in the unit of `app.campaigns.report.kpis.actual_for`:
counts as whole numbers, rates (engagement rates, ROI) as shares (0.05 = 5 %), money (CPE,
CPM, EMV) in currency units of the campaign (2.5 = 2,50 €), not cents.
"""

from __future__ import annotations

import math
import re
from datetime import date
from typing import Any

from babel import Locale
from flask_babel import gettext as _
from sqlalchemy import select

from app.codes import SECTORS
from app.collation import sort_key
from app.core.errors import NotFound, ServiceError, check_version, save_versioned
from app.extensions import db
from app.forms import clean
from app.i18n.labels import label
from app.models import AudienceShare, Brand, Campaign, User
from app.models.base import utcnow
from app.models.campaign import CAMPAIGN_STATUSES, CURRENCIES, KPI_UNITS, OBJECTIVES
from app.models.influencer import AGE_BANDS, PLATFORMS

# The columns a form may write; everything else (version, timestamps, trash) is ours.
FIELDS = (
    "brand_id", "name", "objective", "status", "starts_on", "ends_on", "budget_cents",
    "currency", "description", "target_platforms", "target_countries", "target_gender",
    "target_gender_share", "target_age_bands", "target_languages", "target_interests",
    "kpi_targets", "hashtags", "mentions", "sector", "owner_id",
)
# draft → planned → active → completed; cancelled from any status; cancelled is final.
NEXT_STATUS = {"draft": "planned", "planned": "active", "active": "completed"}
TARGET_GENDERS = ("female", "male")
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


# The interests offered as a campaign's target: those met in the audiences, read from at
# most this many audience rows (the vocabulary is small and its common words come first; a
# full scan would read every share of every snapshot). Any other interest can be typed.
INTEREST_SAMPLE = 20_000
INTEREST_SEPARATORS = re.compile(r"\s*[,;\n]\s*")


def known_interests() -> list[str]:
    sample = (select(AudienceShare.key).where(AudienceShare.dimension == "interest")
              .limit(INTEREST_SAMPLE).subquery())
    keys = db.session.scalars(select(sample.c.key).distinct()).all()
    return sorted(keys, key=sort_key)


def interests_text(text: str | None) -> str:
    """Interests typed with semicolons or one per line, given back separated by commas (the
    form's one separator): "cuisine; voyage" → "cuisine, voyage"."""
    return ", ".join(part for part in INTEREST_SEPARATORS.split(text or "") if part.strip())

