"""KPI arithmetic (app/campaigns/report/kpis.py) against figures computed by hand: zero and
missing values included, engagement rates summed only where both sides are known, CPE, CPM
and ROI on the whole cost."""

from __future__ import annotations

import pytest

from app.campaigns.report.kpis import Kpis, OperationFigures, actual_for, against_targets, compute

# A reel: 10 000 impressions, 8 000 reach, 400 likes, 50 comments, 30 shares, 20 saves
# → 500 engagements; cost 250,00 € (25 000 cents); revenue 1 000,00 €; 20 000 followers;
# Instagram CPM 8,00 €.
REEL = OperationFigures(platform="instagram", impressions=10_000, reach=8_000, likes=400,
                        comments=50, shares=30, saves=20, revenue_cents=100_000,
                        cost_cents=25_000, followers=20_000, cpm_cents=800)
# A TikTok video: 40 000 impressions, no reach known, 1 000 likes, 0 comments, shares and
# saves unknown → 1 000 engagements; cost 150,00 €; no revenue known; TikTok has no CPM.
VIDEO = OperationFigures(platform="tiktok", impressions=40_000, likes=1_000, comments=0,
                         cost_cents=15_000, followers=50_000)
# Planned, nothing measured yet, but its share of the fee is known: 100,00 €.
PLANNED = OperationFigures(platform="instagram", cost_cents=10_000)


def test_one_operation_by_hand():
    k = compute([REEL])
    assert k.engagements == 500
    assert k.engagement_rate_reach == pytest.approx(500 / 8_000)  # 6.25 %
    assert k.engagement_rate_followers == pytest.approx(500 / 20_000)  # 2.5 %
    assert k.cpe_cents == pytest.approx(50)  # 250 € / 500 = 0,50 €
    assert k.cpm_cents == pytest.approx(2_500)  # 250 € / 10 000 × 1 000 = 25 €
    assert k.emv_cents == pytest.approx(8_000)  # 10 000 / 1 000 × 8 € = 80 €
    assert k.roi == pytest.approx(3.0)  # (1 000 − 250) / 250
    assert (k.operations, k.measured) == (1, 1)


def test_rates_count_operations_where_both_sides_are_known_costs_count_whole():
    k = compute([REEL, VIDEO, PLANNED])
    assert k.operations == 3 and k.measured == 2
    assert k.impressions == 50_000 and k.reach == 8_000 and k.engagements == 1_500
    assert k.cost_cents == 50_000  # 250 + 150 + 100 €
    # by reach: only the reel has a reach → 500 / 8 000, not 1 500 / 8 000
    assert k.engagement_rate_reach == pytest.approx(0.0625)
    # by followers: reel and video → 1 500 / 70 000
    assert k.engagement_rate_followers == pytest.approx(1_500 / 70_000)
    # CPE: the whole cost shown, planned operation included → 500 € / 1 500
    assert k.cpe_cents == pytest.approx(50_000 / 1_500)
    # CPM: 500 € / 50 000 impressions × 1 000 = 10 €
    assert k.cpm_cents == pytest.approx(1_000)
    # EMV: TikTok has no rate, so only the reel's 80 €, and TikTok is reported missing
    assert k.emv_cents == pytest.approx(8_000) and k.missing_rates == {"tiktok"}
    # ROI: the revenue known (1 000 €) against the whole cost (500 €)
    assert k.roi == pytest.approx(1.0)


def test_missing_is_not_zero():
    k = compute([PLANNED])
    assert k.engagements is None and k.impressions is None and k.reach is None
    assert k.engagement_rate_reach is None and k.cpe_cents is None and k.cpm_cents is None
    assert k.emv_cents is None and k.roi is None and k.measured == 0
    assert k.cost_cents == 10_000


def test_zero_denominators_give_no_ratio_instead_of_an_error():
    zero = OperationFigures(platform="instagram", impressions=0, reach=0, likes=0, comments=0,
                            shares=0, saves=0, cost_cents=0, revenue_cents=0, followers=0,
                            cpm_cents=800)
    k = compute([zero])
    assert k.engagements == 0 and k.impressions == 0
    assert k.engagement_rate_reach is None and k.engagement_rate_followers is None
    assert k.cpe_cents is None and k.cpm_cents is None and k.roi is None
    assert k.emv_cents == 0  # zero impressions are worth zero, not unknown
    assert k.measured == 1


def test_zero_cost_with_engagements_is_a_zero_cpe():
    gift = OperationFigures(platform="instagram", likes=300, cost_cents=0)
    assert compute([gift]).cpe_cents == 0


def test_a_loss_is_a_negative_roi():
    flop = OperationFigures(platform="youtube", revenue_cents=5_000, cost_cents=20_000)
    assert compute([flop]).roi == pytest.approx(-0.75)


def test_no_operation_at_all():
    k = compute([])
    assert k == Kpis()
    assert k.as_dict()["operations"] == 0 and k.as_dict()["cost"] is None


def test_as_dict_gives_currency_units_and_rounded_rates():
    d = compute([REEL, VIDEO]).as_dict()
    assert d["cost"] == 400.0 and d["cpe"] == round(40_000 / 1_500 / 100, 2) == 0.27
    assert d["emv"] == 80.0 and d["cpm"] == 8.0 and d["revenue"] == 1000.0
    assert d["engagement_rate_followers"] == round(1_500 / 70_000, 6)
    assert d["missing_rates"] == ["tiktok"]


def test_targets_higher_and_lower_is_better():
    k = compute([REEL])  # reach 8 000, CPE 0,50 €, CPM 25 €, ROI 3
    checks = {c.kpi: c for c in against_targets(k, {
        "reach": 10_000, "cpe": 0.60, "cpm": 20, "roi": 2, "conversions": 10})}
    assert checks["reach"].met is False and checks["reach"].progress == pytest.approx(0.8)
    assert checks["cpe"].met is True and checks["cpe"].progress is None  # lower is better
    assert checks["cpm"].met is False  # 25 € > 20 €
    assert checks["roi"].met is True
    assert checks["conversions"].actual is None and checks["conversions"].met is None


def test_actual_for_money_kpis_is_in_currency_units():
    k = compute([REEL])
    assert actual_for(k, "cpe") == pytest.approx(0.5)
    assert actual_for(k, "emv") == pytest.approx(80)
    assert actual_for(k, "engagement_rate_reach") == pytest.approx(0.0625)
    assert against_targets(k, None) == []


def test_cost_carried_by_no_operation_counts_in_the_cost_and_its_ratios():
    # A 200 € fee of a participant with no operation yet, beside the reel (250 €).
    k = compute([REEL], extra_cost_cents=20_000)
    assert k.cost_cents == 45_000 and k.operations == 1
    assert k.cpe_cents == pytest.approx(45_000 / 500)  # 0,90 €, not the reel's 0,50 €
    assert k.cpm_cents == pytest.approx(45_000 / 10_000 * 1_000)
    assert k.roi == pytest.approx((100_000 - 45_000) / 45_000)
    only_fee = compute([], extra_cost_cents=20_000)
    assert only_fee.cost_cents == 20_000 and only_fee.cpe_cents is None
