"""The report's tests: a small campaign whose report figures are computed by hand below
(the report service, pages, PDF, CSV and CLI).

Three participants, five operations: one with every metric at zero, one with none.

| op | who | platform  | date          | impr.  | reach  | engagements  | cost (cents)     | rev.  |
|----|-----|-----------|---------------|--------|--------|--------------|------------------|-------|
| 1  | Ana | instagram | 1 Mar publ.   | 10 000 | 8 000  | 400+50+30+20 | fee's rest 20 000| 50000 |
| 2  | Ana | tiktok    | 3 Mar planned | 20 000 | 15 000 | 900+100+0+0  | typed in 10 000  | —     |
| 3  | Ben | instagram | 2 Mar publ.   | 0      | 0      | 0+0+0+0      | fee share 10 000 | —     |
| 4  | Ben | instagram | 5 Mar planned | —      | —      | —            | fee share 10 000 | —     |
| 5  | Cléo| instagram | 3 Mar publ.   | —      | 2 000  | 100+10       | — (no fee)       | —     |

Ana's agreed fee is 300 €, Ben's 200 €; Cléo negotiates at 100 € proposed. Committed
500 €, spent 0 € (nobody is paid), the cost the KPIs use 500 € (Ana 300 + Ben 200: op 2's
typed 100 € leaves 200 € of Ana's fee to op 1).

Followers: Ana instagram 10 000 / tiktok 50 000, Ben instagram 20 000, Cléo instagram
5 000. Instagram CPM 10 € (1 000 cents); TikTok has no CPM.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import ClassVar

import pytest

from app.models import Campaign, Operation, Participant, PlatformRate
from tests import factories

TARGETS = {"reach": 20000, "cpe": 0.5, "engagement_rate_reach": 0.05, "roi": 1.0,
           "cpm": 10, "conversions": 5}


@dataclass
class SmallCampaign:
    campaign: Campaign
    ana: Participant
    ben: Participant
    cleo: Participant
    operations: list[Operation]

    # Hand-computed totals.
    expected: ClassVar[dict] = {
        "operations": 5, "measured": 4, "impressions": 30_000, "reach": 25_000,
        "engagements": 1_610, "revenue_cents": 50_000, "cost_cents": 50_000,
        "emv_cents": 10_000,
        "engagement_rate_reach": 1610 / 25000,  # ops 1, 2, 3, 5
        "engagement_rate_followers": 1610 / 85000,  # followers 10k + 50k + 20k + 5k
        "cpe_cents": 50000 / 1610,  # the whole cost over every engagement: 0,31 €
        "cpm_cents": 50000 / 30000 * 1000,  # 16,67 €
        "roi": (50000 - 50000) / 50000,  # the revenue typed in, the whole cost
        "conversions": None,
    }


@pytest.fixture()
def small_campaign(db):
    """Builds the campaign of the table above; names can be changed (hostile ones):
    `small_campaign(ana_name="</script>")`."""

    def build(name: str = "Printemps vélo", brand_name: str = "Cyclo Paris",
              ana_name: str = "Ana Lopez") -> SmallCampaign:
        db.session.add(PlatformRate(platform="instagram", cpm_cents=1000))
        db.session.commit()
        brand = factories.make_brand(name=brand_name)
        campaign = factories.make_campaign(
            brand=brand, name=name, budget_cents=100_000, currency="EUR", kpi_targets=TARGETS,
            starts_on=date(2026, 3, 1), ends_on=date(2026, 3, 31), status="active")
        ana = factories.make_participant(campaign, factories.make_influencer(
            display_name=ana_name, accounts=[
                {"platform": "instagram", "handle": "ana.velo", "followers": 10_000},
                {"platform": "tiktok", "handle": "ana.tiktok", "followers": 50_000}]),
            stage="contracted", agreed_fee_cents=30_000)
        ben = factories.make_participant(campaign, factories.make_influencer(
            display_name="Ben Martin",
            accounts=[{"platform": "instagram", "handle": "ben.m", "followers": 20_000}]),
            stage="live", agreed_fee_cents=20_000)
        cleo = factories.make_participant(campaign, factories.make_influencer(
            display_name="Cléo Durand",
            accounts=[{"platform": "instagram", "handle": "cleo.d", "followers": 5_000}]),
            stage="negotiating", proposed_fee_cents=10_000)
        ops = [
            factories.make_operation(ana, platform="instagram", status="published",
                                     published_on=date(2026, 3, 1),
                                     planned_on=date(2026, 2, 27), impressions=10_000,
                                     reach=8_000, likes=400, comments=50, shares=30, saves=20,
                                     revenue_cents=50_000),
            factories.make_operation(ana, platform="tiktok", kind="video",
                                     planned_on=date(2026, 3, 3), impressions=20_000,
                                     reach=15_000, likes=900, comments=100, shares=0, saves=0,
                                     cost_cents=10_000),
            factories.make_operation(ben, platform="instagram", status="published",
                                     published_on=date(2026, 3, 2), impressions=0, reach=0,
                                     likes=0, comments=0, shares=0, saves=0),
            factories.make_operation(ben, platform="instagram", planned_on=date(2026, 3, 5)),
            factories.make_operation(cleo, platform="instagram", status="published",
                                     published_on=date(2026, 3, 3), reach=2_000, likes=100,
                                     comments=10),
        ]
        return SmallCampaign(campaign, ana, ben, cleo, ops)

    return build


@pytest.fixture()
def small(small_campaign) -> SmallCampaign:
    """The campaign of the table above, as it is."""
    return small_campaign()


@pytest.fixture()
def grow(db):
    """Adds measured participants and operations to a campaign (the statement-count
    comparisons): `grow(campaign, participants=12, operations_each=4)`."""

    def grow(campaign: Campaign, participants: int, operations_each: int) -> None:
        for n in range(participants):
            participant = factories.make_participant(campaign, factories.make_influencer(
                accounts=[{"platform": "youtube", "handle": f"grow{campaign.id}x{n}",
                           "followers": 1000 + n}]), stage="live", agreed_fee_cents=5_000)
            for i in range(operations_each):
                db.session.add(Operation(
                    participant=participant, campaign_id=campaign.id, platform="youtube",
                    planned_on=date(2026, 3, 1 + (n + i) % 28), impressions=1000 * (i + 1),
                    reach=500 + i, likes=10 + i, comments=i))
            db.session.commit()

    return grow
