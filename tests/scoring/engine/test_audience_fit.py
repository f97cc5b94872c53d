"""Audience fit and effective reach (app/scoring/engine/fit.py): hand-computed values, unknown
dimensions estimated at a prior, and hostile shares that must never break the 0-1 bound."""

import math

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from app.scoring.engine.fit import (
    PRIOR_DEFAULT,
    Account,
    Fit,
    Target,
    audience_fit,
    effective_reach,
    median_priors,
    priors_for,
    with_priors,
)

AUDIENCE = {
    "country": {"FR": 0.6, "BE": 0.2, "US": 0.2},
    "gender": {"female": 0.7, "male": 0.28, "other": 0.02},
    "age": {"13-17": 0.1, "18-24": 0.3, "25-34": 0.4, "35-44": 0.2},
    "language": {"fr": 0.9, "en": 0.1},
    "interest": {"beauty": 0.5, "travel": 0.3},
}


def test_geometric_mean_of_the_targeted_dimensions():
    target = Target.of(countries="FR,BE", gender="female", gender_share=0.6,
                       age_bands=["18-24", "25-34"])
    fit = audience_fit(AUDIENCE, target)
    # country 0.6 + 0.2; women 0.7 ≥ 0.6 → 1; ages 0.3 + 0.4.
    assert fit.factors == pytest.approx({"country": 0.8, "gender": 1.0, "age": 0.7})
    assert fit.value == pytest.approx((0.8 * 1.0 * 0.7) ** (1 / 3))
    assert fit.joint == pytest.approx(0.8 * 1.0 * 0.7)  # on target on all three at once
    assert fit.unknown == () and not fit.estimated


def test_a_measured_good_match_scores_high():
    """70 % women, 78 % France, 62 % aged 25-44: the product said 34 %; the fit is 70 %."""
    shares = {"gender": {"female": 0.70, "male": 0.30}, "country": {"FR": 0.78, "BE": 0.22},
              "age": {"18-24": 0.2, "25-34": 0.40, "35-44": 0.22, "45-54": 0.18}}
    target = Target.of(gender="female", countries="FR", age_bands="25-34,35-44")
    fit = audience_fit(shares, target)
    assert fit.value == pytest.approx((0.70 * 0.78 * 0.62) ** (1 / 3))
    assert fit.value > 0.69 and fit.joint == pytest.approx(0.70 * 0.78 * 0.62)
    # One criterion at 0 is no fit, whatever the others.
    assert audience_fit({**shares, "country": {"US": 1.0}}, target).value == 0.0


def test_gender_below_the_minimum_share_scales_down():
    fit = audience_fit(AUDIENCE, Target.of(gender="female", gender_share=0.8))
    assert fit.value == pytest.approx(0.7 / 0.8)
    men = audience_fit(AUDIENCE, Target.of(gender="male"))
    assert men.value == pytest.approx(0.28)  # no minimum: the share itself
    assert audience_fit(AUDIENCE, Target.of(gender="male", gender_share=0)).value == 1


def test_languages_and_interests():
    target = Target.of(languages="fr", interests="Beauty, Travel, cooking")
    fit = audience_fit(AUDIENCE, target)
    assert fit.factors == pytest.approx({"language": 0.9, "interest": 0.8})
    assert fit.value == pytest.approx(0.72 ** 0.5) and fit.joint == pytest.approx(0.72)


def test_unknown_dimension_takes_its_prior_and_is_estimated():
    shares = {"country": {"FR": 0.5}}
    target = Target.of(countries=["fr"], age_bands=["18-24"], languages=["fr"])
    fit = audience_fit(shares, target, {"age": 0.4, "language": 0.8})
    assert fit.unknown == ("age", "language") and fit.estimated
    assert fit.factors == {"country": 0.5} and fit.priors == {"age": 0.4, "language": 0.8}
    assert fit.value == pytest.approx((0.5 * 0.4 * 0.8) ** (1 / 3))
    assert fit.joint == pytest.approx(0.5 * 0.4 * 0.8)
    # Without a prior for a dimension: an even chance, never a perfect match.
    fit = audience_fit(shares, target, {"age": 0.4})
    assert fit.priors == {"age": 0.4, "language": PRIOR_DEFAULT}
    # Only unusable values: as unknown as no value at all.
    fit = audience_fit({"age": {"18-24": None, "25-34": "n/a"}}, Target.of(age_bands="18-24"))
    assert (fit.value, fit.unknown) == (PRIOR_DEFAULT, ("age",))


def test_no_target_fits_everyone():
    assert audience_fit(AUDIENCE, Target()) == Fit(value=1.0)
    assert audience_fit({}, Target()).value == 1.0
    assert audience_fit(None, Target.of(countries="", languages=None)).value == 1.0
    assert not audience_fit(None, Target()).estimated


def test_no_audience_data_at_all_is_not_a_perfect_match():
    target = Target.of(countries="FR", gender="female")
    fit = audience_fit({}, target)
    assert fit.value == PRIOR_DEFAULT and fit.estimated
    assert set(fit.unknown) == {"country", "gender"}
    fit = audience_fit(None, target, {"country": 0.6, "gender": 0.6})
    assert fit.value == pytest.approx(0.6) and fit.joint == pytest.approx(0.36)
    # A measured audience better than the priors fits better than no data.
    measured = audience_fit({"country": {"FR": 0.8}, "gender": {"female": 0.7}}, target,
                            {"country": 0.6, "gender": 0.6})
    assert measured.value > fit.value and not measured.estimated


def test_median_priors_per_platform_then_across():
    def measured(country):
        return audience_fit({"country": {"FR": country}}, Target.of(countries="FR"))

    accounts = [("instagram", measured(share)) for share in (0.9, 0.8, 0.7, 0.6, 0.5)]
    accounts += [("tiktok", measured(0.1)), ("tiktok", measured(0.3)),
                 ("tiktok", audience_fit({}, Target.of(countries="FR")))]
    priors = median_priors(accounts)
    assert priors[None] == pytest.approx({"country": 0.6})  # the 7 measured, any platform
    assert priors["instagram"] == pytest.approx({"country": 0.7})  # five: its own median
    assert priors["tiktok"] == {}  # two only: too few for a platform's own
    assert priors_for(priors, "tiktok") == pytest.approx({"country": 0.6})
    assert priors_for(priors, "instagram") == pytest.approx({"country": 0.7})
    assert median_priors([]) == {None: {}}
    unknown = with_priors(audience_fit({}, Target.of(countries="FR")),
                          priors_for(priors, "youtube"))
    assert unknown.value == pytest.approx(0.6) and unknown.estimated


def test_shares_that_do_not_sum_to_one():
    # Exclusive dimension over 100 %: rescaled (0.6 of 1.5).
    assert audience_fit({"country": {"FR": 0.9, "BE": 0.6}},
                        Target.of(countries="BE")).value == pytest.approx(0.4)
    # Under 100 %: the rest is outside the target.
    assert audience_fit({"country": {"FR": 0.3}},
                        Target.of(countries="FR")).value == pytest.approx(0.3)
    # Interests overlap: their sum is capped, not rescaled.
    assert audience_fit({"interest": {"sport": 0.6, "food": 0.7}},
                        Target.of(interests="sport,food")).value == 1.0
    assert audience_fit({"interest": {"sport": 0.6, "food": 0.7}},
                        Target.of(interests="sport")).value == pytest.approx(0.6)


def test_hostile_values_are_dropped_or_clamped():
    shares = {"country": {"FR": 3.0, "BE": -1, "US": float("nan"), None: 0.5, "DE": None},
              "gender": "not a mapping", None: {"x": 1}}
    fit = audience_fit(shares, Target.of(countries="FR,BE", gender="female"))
    assert fit.factors == {"country": 1.0}
    assert fit.unknown == ("gender",)
    weird = Target(countries=("fr",), gender="female", gender_share=float("nan"))
    assert audience_fit({"gender": {"female": 0.4}, "country": {"FR": 0.5}},
                        weird).joint == pytest.approx(0.2)
    assert audience_fit({}, Target.of(countries="FR"),
                        {"country": float("nan")}).priors == {"country": PRIOR_DEFAULT}


def test_target_of_normalises_campaign_columns():
    target = Target.of(countries=" fr, BE ,,fr", gender="Female", gender_share=1.7,
                       age_bands="18-24", languages=["FR", None], interests=None)
    assert target == Target(countries=("fr", "be"), gender="female", gender_share=1.0,
                            age_bands=("18-24",), languages=("fr",), interests=())


hostile = st.one_of(st.none(), st.floats(), st.integers(-10, 10), st.text(max_size=3),
                    st.booleans())
keys = st.one_of(st.sampled_from(["FR", "fr", "female", "male", "18-24", "65+", "sport"]),
                 st.text(max_size=3), st.none())
dimension = st.one_of(st.sampled_from(["country", "gender", "age", "language", "interest"]),
                      st.text(max_size=3))


@pytest.mark.slow
@given(shares=st.dictionaries(dimension, st.one_of(st.dictionaries(keys, hostile), hostile)),
       countries=st.lists(keys, max_size=3), gender=st.one_of(st.none(), keys),
       gender_share=hostile, ages=st.lists(keys, max_size=3),
       interests=st.lists(keys, max_size=3))
# One tiny prior: exp(log(x)) came back an ulp below x, under the product.
@example(shares={}, countries=["FR"], gender=None, gender_share=1.7134036032044923e-279,
         ages=[], interests=[])
def test_fit_is_always_between_zero_and_one(shares, countries, gender, gender_share, ages,
                                            interests):
    target = Target.of(countries=countries, gender=gender, gender_share=gender_share,
                       age_bands=ages, interests=interests)
    fit = audience_fit(shares, target, {"country": gender_share, "age": 0.3})
    assert 0.0 <= fit.joint <= fit.value <= 1.0
    assert all(0.0 <= f <= 1.0 for f in [*fit.factors.values(), *fit.priors.values()])
    assert not set(fit.factors) & set(fit.unknown)
    assert set(fit.priors) == set(fit.unknown)


def test_effective_reach_by_hand():
    accounts = [
        Account(1000, 0.8, 0.5),           # 400
        Account(2000, None, Fit(0.25)),    # credibility unknown → 1: 500
        Account(1000, 1.0, Fit(0.5, joint=0.1)),  # the joint share counts: 100
        (300, "garbage", None),            # both unknown → 300
        Account(None, 0.5, 0.5),           # no followers: nothing
        Account(-5, 1, 1),
        Account(float("inf"), 1, 1),
    ]
    assert effective_reach(accounts) == pytest.approx(1300)
    assert effective_reach([]) == 0


@pytest.mark.slow
@given(st.lists(st.tuples(hostile, hostile, hostile), max_size=6))
@example([(8.988465674311579e+307, None, None), (8.98846567431158e+307, None, None)])
def test_effective_reach_is_finite_and_non_negative(accounts):
    reach = effective_reach(accounts)
    assert math.isfinite(reach) and reach >= 0
