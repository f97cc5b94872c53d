"""campaign_kpis: the database side of the KPIs — fee shares as costs, followers of the
account an operation is on, platform rates, committed budget, constant query count."""

from __future__ import annotations

import pytest

from app.campaigns.report.figures import campaign_kpis
from app.models import PlatformRate
from tests.factories import make_campaign, make_influencer, make_operation, make_participant


def _influencer(followers_ig: int, followers_tt: int | None = None):
    accounts = [{"platform": "instagram", "handle": f"ig{followers_ig}",
                 "followers": followers_ig}]
    if followers_tt is not None:
        accounts.append({"platform": "tiktok", "handle": f"tt{followers_tt}",
                         "followers": followers_tt})
    return make_influencer(accounts=accounts)


def test_campaign_figures_by_hand(db):
    campaign = make_campaign(budget_cents=100_000)
    db.session.add(PlatformRate(platform="instagram", cpm_cents=800))
    db.session.commit()
    # Léa: agreed 600 €; the video's typed 100 € leaves 500 € of the fee to the reel.
    lea = make_participant(campaign, _influencer(20_000, 50_000), stage="live",
                           agreed_fee_cents=60_000)
    reel = make_operation(lea, platform="instagram", impressions=10_000, reach=8_000,
                          likes=400, comments=50, shares=30, saves=20, revenue_cents=90_000)
    video = make_operation(lea, platform="tiktok", impressions=40_000, likes=1_000,
                           cost_cents=10_000)  # a typed cost replaces a share
    # Hugo: agreed 200 €, no operation yet → the fee still costs the campaign.
    hugo = make_participant(campaign, _influencer(5_000), stage="contracted",
                            agreed_fee_cents=20_000)
    # Zoé declined: her proposed fee is neither committed nor proposed.
    make_participant(campaign, _influencer(1_000), stage="declined", proposed_fee_cents=9_900)
    # Inès: still negotiating at 150 € proposed.
    make_participant(campaign, _influencer(2_000), stage="negotiating",
                     proposed_fee_cents=15_000)

    result = campaign_kpis(campaign.id)
    reel_kpis = result.by_operation[reel.id]
    assert reel_kpis.cost_cents == 50_000  # 600 € − the video's 100 €
    assert reel_kpis.engagement_rate_followers == pytest.approx(500 / 20_000)
    assert reel_kpis.emv_cents == pytest.approx(8_000)
    assert reel_kpis.roi == pytest.approx((90_000 - 50_000) / 50_000)
    video_kpis = result.by_operation[video.id]
    assert video_kpis.cost_cents == 10_000
    assert video_kpis.engagement_rate_followers == pytest.approx(1_000 / 50_000)  # TikTok's
    assert video_kpis.missing_rates == {"tiktok"}

    assert result.by_participant[lea.id].cost_cents == 60_000  # her agreed fee
    assert result.by_participant[hugo.id].cost_cents == 20_000
    assert result.unallocated_cents == 20_000  # Hugo's fee: on no operation yet
    assert result.total.cost_cents == 80_000 == result.committed_cents  # 600 + 200 €
    # CPE on that same cost: 800 € / 1 500 engagements.
    assert result.total.cpe_cents == pytest.approx(80_000 / 1_500)
    assert result.spent_cents == 0  # nobody is marked as paid
    assert result.total.engagements == 1_500
    assert set(result.by_platform) == {"instagram", "tiktok"}
    assert result.committed_cents == 80_000  # Léa 600 € + Hugo 200 €
    assert result.proposed_cents == 15_000  # Inès; Zoé declined


def test_empty_campaign(db):
    result = campaign_kpis(make_campaign().id)
    assert result.total.operations == 0 and result.total.cost_cents is None
    assert result.committed_cents == 0 and result.by_participant == {}


@pytest.mark.slow
def test_query_count_does_not_grow_with_the_campaign(db, count_statements):
    small, big = make_campaign(), make_campaign()
    for campaign, people in ((small, 1), (big, 12)):
        for n in range(people):
            participant = make_participant(campaign, _influencer(1_000 * people + n),
                                           stage="live",
                                           agreed_fee_cents=10_000)
            for _ in range(3):
                make_operation(participant, impressions=1_000, likes=10)
    db.session.expire_all()
    assert count_statements(lambda: campaign_kpis(small.id)) == count_statements(
        lambda: campaign_kpis(big.id))


def test_rates_in_another_currency_are_not_applied(db):
    campaign = make_campaign(currency="USD")
    db.session.add(PlatformRate(platform="instagram", cpm_cents=800, currency="EUR"))
    db.session.commit()
    participant = make_participant(campaign, _influencer(7_000), stage="live")
    make_operation(participant, platform="instagram", impressions=10_000)
    total = campaign_kpis(campaign.id).total
    assert total.emv_cents is None and total.missing_rates == {"instagram"}
