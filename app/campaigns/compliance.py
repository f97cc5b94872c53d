"""What French influencer law has to say about a campaign: a restricted sector (its
brand's or its own), and the deals that need a written contract — fees and in-kind benefits
(from the participants' contracts) from one brand to one influencer for one objective
reaching 1 000 € HT in a year, with no signed contract.
"""

from __future__ import annotations

from dataclasses import dataclass

from flask_babel import gettext as _
from sqlalchemy import String, and_, case, cast, extract, func, or_, select
from sqlalchemy.orm import aliased

from app.brands.service import SECTOR_RULES
from app.extensions import db
from app.i18n.formats import money
from app.i18n.labels import label
from app.models import Brand, Campaign, Contract, Influencer, Participant
from app.models.contract import SIGNED_STATUSES

# Loi 2023-451 art. 8 (décret 2025-1137): a written contract from 1 000 € HT a year.
CONTRACT_THRESHOLD_CENTS = 100_000
THRESHOLD_CURRENCY = "EUR"  # fees in other currencies are not converted


def restricted_sector():
    """SQL: the campaign's or its brand's sector is banned or restricted (needs Brand)."""
    codes = list(SECTOR_RULES)
    return or_(Campaign.sector.in_(codes), Brand.sector.in_(codes))


def sector_warnings(campaign: Campaign) -> list[str]:
    messages = []
    brand_sector = campaign.brand.sector if campaign.brand else None
    if campaign.sector in SECTOR_RULES and campaign.sector != brand_sector:
        messages.append(_("This campaign is in a restricted sector. %(rule)s",
                          rule=SECTOR_RULES[campaign.sector]))
    if brand_sector in SECTOR_RULES:
        messages.append(_("The brand is in a restricted sector. %(rule)s",
                          rule=SECTOR_RULES[brand_sector]))
    return messages


def _year():
    """The calendar year a campaign's fees count in: of its start, or of its creation."""
    return func.coalesce(extract("year", Campaign.starts_on), extract("year", Campaign.created_at))


def _in_kind():
    """SQL: the value of the in-kind benefits in the participant's contracts (not
    cancelled, not trashed, in euros): the law counts it with the fees (art. 8 I 3°)."""
    theirs = aliased(Contract)
    return (select(func.coalesce(func.sum(theirs.in_kind_cents), 0))
            .where(theirs.participant_id == Participant.id, theirs.status != "cancelled",
                   theirs.deleted_at.is_(None), theirs.currency == THRESHOLD_CURRENCY)
            .correlate(Participant).scalar_subquery())


def _amount():
    """SQL: what one participant's deal is worth: the agreed fee plus the in-kind value."""
    return func.coalesce(Participant.agreed_fee_cents, 0) + _in_kind()


def _counted():
    """Deals that count toward the threshold: a fee agreed or a benefit in kind, not
    declined, in a live (not trashed, not cancelled) campaign in euros."""
    return and_(Campaign.deleted_at.is_(None), Campaign.status != "cancelled",
                Campaign.currency == THRESHOLD_CURRENCY, Participant.stage != "declined",
                or_(Participant.agreed_fee_cents.is_not(None), _in_kind() > 0))


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
                   year.label("year"), func.sum(_amount()).label("total"), *columns)
            .join(Campaign, Campaign.id == Participant.campaign_id)
            .where(_counted(), ~_signed_contract(year))
            .group_by(Campaign.brand_id, Participant.influencer_id, Campaign.objective, year)
            .having(func.sum(_amount()) >= CONTRACT_THRESHOLD_CENTS))
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
