"""A campaign's candidates (app/campaigns/candidates/fit.py) on tiny data whose fits, effective
reaches and fees are computed by hand."""

from __future__ import annotations

import math

import pytest

from app.campaigns.candidates import fit as campaign_fit
from app.extensions import db
from app.models.base import utcnow
from tests import factories
from tests.factories import make_person, make_platform_rates

# A: 10 000 followers, 80 % real; 50 % FR × 60 % women × 50 % aged 25-34 = 0.15 on target.
A_SHARES = {"country": {"FR": 0.5, "US": 0.5}, "gender": {"female": 0.6, "male": 0.4},
            "age": {"25-34": 0.5, "35-44": 0.5}}
# B's Instagram: only countries known (100 % FR), so gender and age are unknown (neutral).
B_INSTAGRAM = {"country": {"FR": 1.0}}
# B's TikTok: 20 % FR × 50 % women × 100 % 25-34 = 0.1.
B_TIKTOK = {"country": {"FR": 0.2, "BE": 0.8}, "gender": {"female": 0.5, "male": 0.5},
            "age": {"25-34": 1.0}}


@pytest.fixture()
def world(db, english, scored):
    a = make_person("Alice", ("instagram", 10_000, 0.8, A_SHARES))
    b = make_person("Bruno", ("instagram", 1_000, None, B_INSTAGRAM),
                    ("tiktok", 3_000, 0.5, B_TIKTOK))
    silent = make_person("Silent", ("instagram", 500, None, None))
    banned = make_person("Banned", ("instagram", 9_000, None, None), status="do_not_contact")
    trashed = make_person("Trashed", ("instagram", 9_000, None, None))
    trashed.deleted_at = utcnow()
    unscored = make_person("Unscored", ("instagram", 9_000, None, None))
    run = scored({a: (80.0, 1), b: (50.0, 2), silent: (10.0, 1), banned: (99.0, 1),
                  trashed: (98.0, 1)}, labels={1: "beauté"})
    campaign = factories.make_campaign(target_countries="FR", target_gender="female",
                                       target_age_bands="25-34")
    return {"a": a, "b": b, "silent": silent, "unscored": unscored, "run": run,
            "campaign": campaign}


def _by_name(result):
    return {c.name: c for c in result.items}


def test_fit_reach_and_rank_by_hand(world):
    result = campaign_fit.candidates(world["campaign"])
    assert result.targeted and result.run.id == world["run"].id
    found = _by_name(result)
    assert set(found) == {"Alice", "Bruno", "Silent"}  # active and scored only
    alice, bruno, silent = found["Alice"], found["Bruno"], found["Silent"]
    # Alice, fully measured: the fit is the geometric mean, the joint share the product.
    assert alice.fit.factors == pytest.approx({"country": 0.5, "gender": 0.6, "age": 0.5})
    assert alice.fit.value == pytest.approx(0.15 ** (1 / 3))
    assert alice.fit.joint == pytest.approx(0.15)
    assert alice.fit.unknown == () and not alice.fit.estimated
    assert alice.reach == pytest.approx(10_000 * 0.8 * 0.15)  # 1 200
    # Priors: the medians of the measured accounts (fewer than 5 per platform: all of them):
    # country of 0.5, 1.0, 0.2 → 0.5; gender of 0.6, 0.5 → 0.55; age of 0.5, 1.0 → 0.75.
    # Bruno's Instagram measures countries only: 1.0 × 0.55 × 0.75 = 0.4125 on target;
    # his TikTok 0.2 × 0.5 × 1.0 = 0.1. Reach 1 000 × 0.4125 + 3 000 × 0.5 × 0.1 = 562.5.
    assert bruno.reach == pytest.approx(562.5)
    assert bruno.fit.joint == pytest.approx(562.5 / 2_500)
    instagram, tiktok = 0.4125 ** (1 / 3), 0.1 ** (1 / 3)
    assert bruno.fit.value == pytest.approx((1_000 * instagram + 1_500 * tiktok) / 2_500)
    assert bruno.fit.estimated and set(bruno.fit.unknown) == {"gender", "age"}
    assert bruno.fit.priors == pytest.approx({"gender": 0.55, "age": 0.75})
    # Factors weighted by real audience: country (1 000 × 1 + 1 500 × 0.2) / 2 500.
    assert bruno.fit.factors["country"] == pytest.approx(0.52)
    assert bruno.fit.factors["gender"] == pytest.approx(0.5)  # the only account that knows
    # No audience data at all: every targeted dimension estimated, never a perfect match.
    assert silent.fit.estimated and set(silent.fit.unknown) == {"country", "gender", "age"}
    assert silent.fit.value == pytest.approx((0.5 * 0.55 * 0.75) ** (1 / 3))
    assert silent.reach == pytest.approx(500 * 0.5 * 0.55 * 0.75)
    # Rank by score × fit: Alice 80 × 0.53 = 42.5 > Bruno 50 × 0.58 = 28.8 > Silent 10 × 0.59.
    assert [c.name for c in result.items] == ["Alice", "Bruno", "Silent"]
    assert alice.community_label == "beauté" and bruno.community_label == "Community 2"


def test_target_platforms_count_only_those_accounts(world):
    world["campaign"].target_platforms = "tiktok"
    db.session.commit()
    result = campaign_fit.candidates(world["campaign"])
    assert [c.name for c in result.items] == ["Bruno"]  # nobody else is on TikTok
    bruno = result.items[0]
    assert bruno.reach == pytest.approx(150) and bruno.fit.joint == pytest.approx(0.1)
    assert bruno.platforms == ("tiktok",) and bruno.followers == 3_000
    # The platform filter overrides the campaign's platforms; on Instagram the priors are
    # Alice's (the only measured gender and age there): 1.0 × 0.6 × 0.5.
    on_instagram = campaign_fit.candidates(world["campaign"], platform="instagram")
    assert _by_name(on_instagram)["Bruno"].reach == pytest.approx(1_000 * 0.3)


def test_no_target_is_neutral(world):
    campaign = factories.make_campaign()
    result = campaign_fit.candidates(campaign)
    assert not result.targeted
    assert all(c.fit.value == 1.0 and not c.fit.unknown for c in result.items)
    assert [c.name for c in result.items] == ["Alice", "Bruno", "Silent"]  # by score
    assert _by_name(result)["Bruno"].reach == pytest.approx(1_000 + 1_500)


def test_fees_known_estimated_or_unknown(world):
    make_platform_rates(instagram=1_000)  # 10 € per 1 000 followers
    campaign = world["campaign"]
    factories.make_participant(campaign, world["silent"], proposed_fee_cents=7_000,
                               agreed_fee_cents=6_500)
    found = _by_name(campaign_fit.candidates(campaign))
    assert (found["Alice"].fee_cents, found["Alice"].fee_source) == (10_000, "estimate")
    assert found["Bruno"].fee_source == "unknown"  # TikTok has no CPM: no partial sum
    assert (found["Silent"].fee_cents, found["Silent"].fee_source) == (6_500, "agreed")
    assert found["Silent"].stage == "shortlisted"
    make_platform_rates(tiktok=500)
    found = _by_name(campaign_fit.candidates(campaign))
    assert found["Bruno"].fee_cents == 1_000 + 1_500
    # Max fee: only those known or estimated within it.
    cheap = campaign_fit.candidates(campaign, max_fee_cents=6_500)
    assert [c.name for c in cheap.items] == ["Bruno", "Silent"]


def test_no_estimate_in_another_currency(world):
    make_platform_rates(instagram=1_000)
    usd = factories.make_campaign(currency="USD", target_countries="FR")
    result = campaign_fit.candidates(usd)
    assert not result.estimates
    assert {c.fee_source for c in result.items} == {"unknown"}
    assert campaign_fit.candidates(usd, max_fee_cents=10**9).items == []


def test_pool_is_the_best_scores_and_filters(world):
    result = campaign_fit.candidates(world["campaign"], limit=1)
    assert result.capped and [c.name for c in result.items] == ["Alice"]
    by_community = campaign_fit.candidates(world["campaign"], community=2)
    assert [c.name for c in by_community.items] == ["Bruno"]
    assert campaign_fit.community_choices(world["run"]) == [(1, "beauté"), (2, "Community 2")]


def test_no_run_yet(db, english):
    make_person("Alice", ("instagram", 10_000, 0.8, A_SHARES))
    result = campaign_fit.candidates(factories.make_campaign(target_countries="FR"))
    assert result.run is None and result.items == []


@pytest.mark.slow
def test_statements_do_not_grow_with_people(world, count_statements, scored):
    campaign = world["campaign"]

    def load():
        assert campaign_fit.candidates(campaign).items

    db.session.refresh(campaign)  # counted: the loading, not the campaign's refresh
    few = count_statements(load)
    assert few <= 8  # run, pool, accounts, shares, participants, labels, rates, floors
    extras = {make_person(f"Extra {i}", ("instagram", 100 + i, 0.9, A_SHARES),
                          ("tiktok", 50, None, B_TIKTOK)): (20.0 + i, 3 + i % 2)
              for i in range(15)}
    factories.make_participant(campaign, next(iter(extras)))
    scored({world["a"]: (80.0, 1), world["b"]: (50.0, 2), **extras})
    assert len(campaign_fit.candidates(campaign).items) == 17
    db.session.refresh(campaign)
    assert count_statements(load) == few


# The museum campaign of the report: women, France, aged 25-44.
MEASURED = {"gender": {"female": 0.70, "male": 0.30}, "country": {"FR": 0.78, "BE": 0.22},
            "age": {"18-24": 0.20, "25-34": 0.40, "35-44": 0.22, "45-54": 0.18}}


def _audience(women: float, france: float, aged: float) -> dict:
    return {"gender": {"female": women, "male": 1 - women},
            "country": {"FR": france, "US": 1 - france},
            "age": {"25-34": aged, "55-64": 1 - aged}}


def test_unknown_is_not_a_perfect_match(db, english, scored):
    """Twelve people without audience data, scored higher, once ranked first at "100 %";
    the person measured at 70 % women, 78 % France, 62 % aged 25-44 now ranks above them,
    and they are estimated at the typical fit of the measured candidates."""
    measured = make_person("Mesurée", ("instagram", 12_000, 0.9, MEASURED))
    others = [make_person(f"Other {i}", ("instagram", 8_000, 0.9, _audience(*shares)))
              for i, shares in enumerate([(0.5, 0.4, 0.3), (0.45, 0.3, 0.35), (0.55, 0.6, 0.4)])]
    silent = [make_person(f"Silent {i:02d}", ("instagram", 20_000, None, None))
              for i in range(12)]
    scored({measured: (60.0, 1), **{p: (50.0, 1) for p in others},
            **{p: (70.0 + i, 1) for i, p in enumerate(silent)}})
    campaign = factories.make_campaign(target_gender="female", target_countries="FR",
                                       target_age_bands="25-34,35-44")
    result = campaign_fit.candidates(campaign)
    found = _by_name(result)
    her = found["Mesurée"]
    assert her.fit.value == pytest.approx((0.70 * 0.78 * 0.62) ** (1 / 3))  # 69.7 %
    assert not her.fit.estimated
    assert result.items[0].name == "Mesurée"  # 60 × 0.697 = 41.8, above every silent one
    # The priors: the medians of the four measured (fewer than 5 per platform: overall).
    priors = {"gender": (0.5 + 0.55) / 2, "country": (0.4 + 0.6) / 2,
              "age": (0.35 + 0.4) / 2}
    for person in silent:
        fit = found[person.display_name].fit
        assert fit.estimated and set(fit.unknown) == {"gender", "country", "age"}
        assert fit.priors == pytest.approx(priors)
        assert fit.value == pytest.approx(math.prod(priors.values()) ** (1 / 3))
        assert fit.value < 0.5 and found[person.display_name].reach == pytest.approx(
            20_000 * math.prod(priors.values()))
    assert [c.name for c in result.items[1:13]] == [f"Silent {i:02d}" for i in range(11, -1, -1)]
