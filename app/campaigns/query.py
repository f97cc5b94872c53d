"""Reading the campaign list: search, filters, sort and page, in a constant number of
queries (the count, the page with its brand, owner and participant figures from one grouped
subquery, and the compliance flags of the page's campaigns)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import and_, case, func, or_, select
from sqlalchemy.orm import aliased

from app.campaigns.compliance import campaigns_in_deals, restricted_sector
from app.codes import RESTRICTED_SECTORS
from app.collation import sort_key
from app.core.pagination import Page, paginate
from app.extensions import db
from app.models import Brand, Campaign, Participant, User
from app.models.campaign import CAMPAIGN_STATUSES

SORTS = ("name", "brand", "status", "objective", "starts", "ends", "budget", "participants",
         "committed", "owner", "updated")


@dataclass
class Row:
    campaign: Campaign
    brand: Brand
    owner_name: str | None
    participants: int
    committed_cents: int
    sector_flag: bool = False
    deal_flag: bool = False

    @property
    def flagged(self) -> bool:
        return self.sector_flag or self.deal_flag

    @property
    def over_budget(self) -> bool:
        budget = self.campaign.budget_cents
        return budget is not None and self.committed_cents > budget


def _figures(ids: list[int] | None = None):
    """Per campaign (of `ids`, or all): participants not declined, and their agreed fees
    (committed)."""
    stmt = (select(Participant.campaign_id.label("campaign_id"),
                   func.count().label("participants"),
                   func.coalesce(func.sum(Participant.agreed_fee_cents), 0).label("committed"))
            .where(Participant.stage != "declined")
            .group_by(Participant.campaign_id))
    if ids is not None:
        stmt = stmt.where(Participant.campaign_id.in_(ids))
    return stmt.subquery()


def _search(query: str):
    needle = query.strip()[:200]
    if not needle:
        return None
    lowered, folded = needle.lower(), sort_key(needle)
    # Names through their folded keys ("musee" finds "Musée" and back); SQLite's lower()
    # folds ASCII only, so hashtags are also tried as typed ("Été").
    return or_(Campaign.sort_name.contains(folded, autoescape=True),
               Brand.sort_name.contains(folded, autoescape=True),
               func.lower(Campaign.hashtags).contains(lowered, autoescape=True),
               Campaign.hashtags.contains(needle, autoescape=True))


def conditions(filters: dict[str, Any], user_id: int | None, trash: bool = False) -> list:
    where = [Campaign.deleted_at.is_not(None) if trash else Campaign.deleted_at.is_(None)]
    if "q" in filters and (found := _search(filters["q"])) is not None:
        where.append(found)
    for name in ("status", "objective"):
        if name in filters:
            where.append(getattr(Campaign, name) == filters[name])
    if "brand" in filters:
        where.append(Campaign.brand_id == filters["brand"])
    if "owner" in filters:
        owner = filters["owner"]
        if owner == "none":
            where.append(Campaign.owner_id.is_(None))
        else:
            where.append(Campaign.owner_id == (user_id if owner == "me" else int(owner)))
    where.extend(_period(filters.get("date_from"), filters.get("date_to")))
    if filters.get("flagged"):
        where.append(or_(restricted_sector(), Campaign.id.in_(campaigns_in_deals())))
    return where


def _period(start: date | None, end: date | None) -> list:
    """Campaigns whose dates overlap the period; an open end counts as open."""
    if start is None and end is None:
        return []
    where = [or_(Campaign.starts_on.is_not(None), Campaign.ends_on.is_not(None))]
    if end is not None:
        where.append(or_(Campaign.starts_on.is_(None), Campaign.starts_on <= end))
    if start is not None:
        where.append(or_(Campaign.ends_on.is_(None), Campaign.ends_on >= start))
    return where


def _sort_column(key: str, figures, owner):
    return {
        # Names in French order: their stored keys (app/collation.py).
        "name": Campaign.sort_name, "brand": Brand.sort_name,
        # The workflow's order, not the alphabet's.
        "status": case({s: i for i, s in enumerate(CAMPAIGN_STATUSES)}, value=Campaign.status),
        "objective": Campaign.objective, "starts": Campaign.starts_on,
        "ends": Campaign.ends_on, "budget": Campaign.budget_cents,
        "participants": func.coalesce(figures.c.participants, 0),
        "committed": func.coalesce(figures.c.committed, 0),
        "owner": owner.sort_name, "updated": Campaign.updated_at,
    }.get(key, Campaign.sort_name)


def list_page(filters: dict[str, Any], user_id: int | None, sort: str, number: Any,
              size: int, query_args: dict[str, Any], trash: bool = False) -> Page:
    """A page of `Row`s. The participant figures are grouped over every campaign only when
    the page is sorted by them; otherwise over the page's campaigns alone."""
    owner = aliased(User)
    key = sort.lstrip("-")
    by_figures = key in ("participants", "committed")
    figures = _figures()
    columns = (figures.c.participants, figures.c.committed) if by_figures else ()
    stmt = (select(Campaign, Brand, owner.name, *columns)
            .join(Brand, Brand.id == Campaign.brand_id)
            .outerjoin(owner, owner.id == Campaign.owner_id)
            .where(and_(*conditions(filters, user_id, trash))))
    if by_figures:
        stmt = stmt.outerjoin(figures, figures.c.campaign_id == Campaign.id)
    column = _sort_column(key, figures, owner)
    if sort.startswith("-"):
        stmt = stmt.order_by(column.desc().nulls_last(), Campaign.id.desc())
    else:
        stmt = stmt.order_by(column.asc().nulls_last(), Campaign.id.asc())
    page = paginate(stmt, number, size, query_args, scalars=False)
    ids = [row[0].id for row in page.items]
    if not ids:
        return page
    in_deals = set(db.session.scalars(campaigns_in_deals(ids)))
    if by_figures:
        counts = {row[0].id: (row[3] or 0, row[4] or 0) for row in page.items}
    else:
        counts = {campaign_id: (n, committed) for campaign_id, n, committed
                  in db.session.execute(select(_figures(ids)))}
    page.items = [
        Row(campaign, brand, owner_name, *(int(v) for v in counts.get(campaign.id, (0, 0))),
            sector_flag=campaign.sector in RESTRICTED_SECTORS
            or brand.sector in RESTRICTED_SECTORS,
            deal_flag=campaign.id in in_deals)
        for campaign, brand, owner_name, *_figures_columns in page.items
    ]
    return page


def any_campaign(trash: bool = False) -> bool:
    deleted = Campaign.deleted_at.is_not(None) if trash else Campaign.deleted_at.is_(None)
    return db.session.scalar(select(Campaign.id).where(deleted).limit(1)) is not None
