"""Fee estimates (app/campaigns/candidates/fees.py): the CPM-based amount with the floor of the
platform and follower tier under it, read from the admin settings; and only the amounts the
page showed are kept when the user confirms them."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest

from app.campaigns.candidates import fees
from app.campaigns.candidates import fit as campaign_fit
from app.campaigns.report import rates
from app.models.influencer import PLATFORMS
from app.models.rates import DEFAULT_FEE_FLOORS, FOLLOWER_TIERS
from tests import factories
from tests.factories import make_person, make_platform_rates

CPM = {"instagram": 800, "tiktok": 600}  # 8 € and 6 € per 1 000
FLOORS = {("instagram", "nano"): 5_000, ("instagram", "micro"): 20_000,
          ("instagram", "mid"): 100_000, ("tiktok", "nano"): 4_000}


def test_hand_fee_estimate_without_floors():
    assert fees.estimate_fee([("instagram", 12_345)], {"instagram": 1_000}) == 12_345
    assert fees.estimate_fee([("instagram", 1)], {"instagram": 1}) == 1  # rounded up
    assert fees.estimate_fee([("x", 10), ("instagram", 0)], {"x": 0}) is None
    assert fees.estimate_fee([], {"x": 100}) is None
    assert fees.estimate_fee([("x", 10), ("blog", 5)], {"x": 100}) is None


def test_the_floor_of_the_platform_and_tier_lifts_small_estimates():
    # 372 followers at 8 € per 1 000: 2,98 € from the CPM alone; the nano floor is 50 €.
    assert fees.estimate_fee([("instagram", 372)], CPM) == 298
    assert fees.estimate_fee([("instagram", 372)], CPM, FLOORS) == 5_000
    # 20 000 followers (micro): 160 € from the CPM, under the 200 € floor.
    assert fees.estimate_fee([("instagram", 20_000)], CPM, FLOORS) == 20_000
    # 200 000 (mid): 1 600 € from the CPM, above the 1 000 € floor, so the CPM stands.
    assert fees.estimate_fee([("instagram", 200_000)], CPM, FLOORS) == 160_000
    # A tier without a floor: the CPM alone (macro, 600 000 × 8 € / 1 000).
    assert fees.estimate_fee([("instagram", 600_000)], CPM, FLOORS) == 480_000
    # One post per account, each with its own floor: 50 € + max(6 € × 0.5, 40 €).
    assert fees.estimate_fee([("instagram", 372), ("tiktok", 500)], CPM, FLOORS) == 9_000
    # A floor is not a price: a platform without a CPM still makes the fee unknown.
    assert fees.estimate_fee([("youtube", 372)], CPM, {("youtube", "nano"): 9_000}) is None


@pytest.mark.parametrize(("followers", "tier"), [
    (1, "nano"), (9_999, "nano"), (10_000, "micro"), (99_999, "micro"), (100_000, "mid"),
    (499_999, "mid"), (500_000, "macro"), (999_999, "macro"), (1_000_000, "mega"),
    (50_000_000, "mega")])
def test_follower_tiers(followers, tier):
    assert rates.tier_of(followers) == tier


def test_candidates_show_floored_estimates(db, english, scored):
    make_platform_rates(**CPM)
    rates.save_floors(FLOORS, None)
    small = make_person("Small", ("instagram", 372, None, None))
    micro = make_person("Micro", ("instagram", 20_000, None, None))
    big = make_person("Big", ("instagram", 200_000, None, None))
    scored({small: (50.0, 1), micro: (60.0, 1), big: (70.0, 1)})
    campaign = factories.make_campaign()
    found = {c.name: (c.fee_cents, c.fee_source)
             for c in campaign_fit.candidates(campaign).items}
    assert found == {"Small": (5_000, "estimate"), "Micro": (20_000, "estimate"),
                     "Big": (160_000, "estimate")}
    assert campaign_fit.estimated_fees(campaign, [small.id, big.id]) == {
        small.id: 5_000, big.id: 160_000}
    # The fee filter reads the floored estimate: 2,98 € would have passed under 10 €.
    assert campaign_fit.candidates(campaign, max_fee_cents=1_000).items == []


def test_only_the_amounts_shown_are_confirmed():
    kept, changed = fees.confirmed({1: 5_000, 2: 7_000, 3: 9_000}, {1: 5_000, 2: 6_000, 4: 10})
    assert kept == {1: 5_000} and changed == 2  # 2's estimate moved; 4 has none any more
    assert fees.confirmed({1: 5_000}, {}) == ({}, 0)


def test_the_migration_seeds_the_documented_floors():
    path = Path(__file__).parents[3] / "migrations" / "versions" / "0009_fee_floors.py"
    spec = importlib.util.spec_from_file_location("fee_floors_migration", path)
    migration = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(migration)
    assert migration.TIERS == FOLLOWER_TIERS
    assert migration.FLOORS == DEFAULT_FEE_FLOORS
    for floors in DEFAULT_FEE_FLOORS.values():  # each tier asks at least the one below
        assert list(floors) == sorted(floors) and floors[0] > 0
    assert set(DEFAULT_FEE_FLOORS) == set(PLATFORMS)
