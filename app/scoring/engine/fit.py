"""Audience fit: how well an account's audience matches a campaign's target, and the effective
reach that follows from it.

Per targeted dimension the *factor* is the share of the audience inside the target on that
dimension (countries FR and BE: 0.6 + 0.2 = 0.8). For gender with a wanted minimum share it is
the share over that minimum, capped at 1 (70 % women against "at least 60 %": 1).

Two figures are made of the factors f1 … fn:

- `value`, the fit the pages show and rank on, is their geometric mean (f1 × … × fn)^(1/n):
  the typical share on target per criterion. 70 % women, 78 % France and 62 % aged 25-44 give
  (0.70 × 0.78 × 0.62)^(1/3) = 69.7 %: a good match scores high. One criterion gives its own
  share, and a factor of 0 gives 0 (nobody in France does not fit a French campaign, whatever
  else fits). The plain product (33.9 % here) is not the fit: it falls with every criterion
  added, so a well-matched audience on three criteria ranked below a poor one on a single
  criterion, and the same person looked worse the more precisely a campaign was briefed.
- `joint`, the share of the audience on target on every dimension at once, is their product
  (the usual independence assumption): `effective_reach` multiplies followers by it, since it
  counts target people. An audience 50 % French and 50 % women holds about 25 % French women.

A targeted dimension the audience does not describe (no share, or only unusable values) is
not a perfect match: it is listed in `unknown`, and its factor is an explicit prior, the
typical value of the accounts that do describe it (`median_priors`: the median per platform
when enough of its accounts are measured, else across platforms), or PRIOR_DEFAULT (0.5, an
even chance) when nobody's is known. Such a fit is `estimated`, and the pages badge it. So a
person with no audience data gets the typical fit of the others, never 100 %, and a person
measured better than typical ranks above them at equal score.

Values from imports are distrusted: None, NaN, text and negative shares are ignored, shares
above 1 are clamped to 1, and a dimension whose exclusive shares add up to more than 1 is
rescaled to 1; both figures are always in [0, 1].
"""

from __future__ import annotations

import math
import statistics
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any, NamedTuple

# Dimensions where each follower has exactly one value, so shares over 1 in total are an
# error of the source and are rescaled; interests overlap (one follower has several).
EXCLUSIVE = ("gender", "age", "country", "language")
# The prior of a dimension nobody's audience describes: no information either way.
PRIOR_DEFAULT = 0.5
# A platform's own median is its prior from this many measured accounts on (fewer: the
# median across platforms, steadier than three or four people's).
PRIOR_MIN_ACCOUNTS = 5


def _key(value: Any) -> str:
    return str(value).strip().casefold()


def _keys(values: str | Iterable[str] | None) -> tuple[str, ...]:
    """Codes from a list or a comma-separated string ("FR, be" → ("fr", "be"))."""
    if values is None:
        return ()
    if isinstance(values, str):
        values = values.split(",")
    return tuple(dict.fromkeys(k for k in (_key(v) for v in values if v is not None) if k))


def _share(value: Any) -> float | None:
    """A usable share in [0, 1], or None for what cannot be one."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    if not math.isfinite(value) or value < 0:
        return None
    return min(float(value), 1.0)


@dataclass(frozen=True)
class Target:
    """A campaign's target audience. Empty lists (and no gender) target nobody in particular.

    `gender_share` is the minimum share of `gender` wanted (0.6 = "at least 60 % women");
    without it the gender fit is simply that gender's share."""

    countries: tuple[str, ...] = ()
    gender: str | None = None
    gender_share: float | None = None
    age_bands: tuple[str, ...] = ()
    languages: tuple[str, ...] = ()
    interests: tuple[str, ...] = ()

    @classmethod
    def of(cls, *, countries=None, gender=None, gender_share=None, age_bands=None,
           languages=None, interests=None) -> Target:
        """From lists or the campaign's comma-separated columns, normalised."""
        return cls(countries=_keys(countries), gender=_key(gender) if gender else None,
                   gender_share=_share(gender_share), age_bands=_keys(age_bands),
                   languages=_keys(languages), interests=_keys(interests))

    def dimensions(self) -> dict[str, tuple[str, ...]]:
        """Targeted dimension → targeted keys (normalised)."""
        wanted = {"country": self.countries, "gender": (self.gender,) if self.gender else (),
                  "age": self.age_bands, "language": self.languages,
                  "interest": self.interests}
        return {dim: _keys(keys) for dim, keys in wanted.items() if _keys(keys)}


@dataclass(frozen=True)
class Fit:
    """`value` in [0, 1], the geometric mean of the factors; `factors` per targeted and
    measured dimension; `unknown` lists the targeted dimensions the audience data does not
    describe, each estimated at its prior in `priors`; `joint` is the share on target on
    every dimension at once (the product; `value` when not given)."""

    value: float
    factors: dict[str, float] = field(default_factory=dict)
    unknown: tuple[str, ...] = ()
    priors: dict[str, float] = field(default_factory=dict)
    joint: float | None = None

    def __post_init__(self) -> None:
        if self.joint is None:
            object.__setattr__(self, "joint", self.value)

    @property
    def estimated(self) -> bool:
        """Some targeted dimension is not measured: the fit rests on a prior."""
        return bool(self.unknown)


def _clean(shares: Any) -> dict[str, float]:
    """One dimension's shares, keys normalised, unusable values dropped, duplicates added."""
    if not isinstance(shares, Mapping):
        return {}
    clean: dict[str, float] = {}
    for key, value in shares.items():
        share = _share(value)
        if key is not None and share is not None and _key(key):
            clean[_key(key)] = clean.get(_key(key), 0.0) + share
    return clean


def _dimension_fit(dimension: str, shares: dict[str, float], keys: tuple[str, ...],
                   minimum: float | None) -> float:
    total = sum(shares.values())
    inside = sum(shares.get(k, 0.0) for k in keys)
    if dimension in EXCLUSIVE and total > 1:
        inside /= total
    inside = min(inside, 1.0)
    if dimension == "gender" and minimum is not None:
        return 1.0 if minimum <= 0 else min(1.0, inside / minimum)
    return inside


def _prior(priors: Mapping[str, float] | None, dimension: str) -> float:
    share = _share(priors.get(dimension)) if isinstance(priors, Mapping) else None
    return PRIOR_DEFAULT if share is None else share


def _geometric_mean(values: list[float]) -> float:
    if min(values) <= 0:
        return 0.0
    return math.exp(sum(math.log(v) for v in values) / len(values))


def with_priors(fit: Fit, priors: Mapping[str, float] | None) -> Fit:
    """The fit with its unknown dimensions estimated at `priors` (dimension → share; a
    dimension without one gets PRIOR_DEFAULT) and `value` and `joint` computed again."""
    used = {dimension: _prior(priors, dimension) for dimension in fit.unknown}
    every = [*fit.factors.values(), *used.values()]
    if not every:  # no targeted dimension: everyone fits
        return Fit(value=1.0)
    joint = min(1.0, max(0.0, math.prod(every)))
    # A geometric mean of shares is never below their product; exp(log) rounding can put it
    # an ulp below for one tiny share (1.7e-279), so the product bounds it.
    value = min(1.0, max(joint, _geometric_mean(every)))
    return Fit(value=value, factors=dict(fit.factors), unknown=fit.unknown, priors=used,
               joint=joint)


def audience_fit(shares: Mapping[str, Mapping[str, float]] | None, target: Target,
                 priors: Mapping[str, float] | None = None) -> Fit:
    """The fit of one audience (dimension → key → share 0-1) to a campaign's target, its
    unknown dimensions estimated at `priors` (see `with_priors`)."""
    audience = {_key(dim): _clean(values)
                for dim, values in (shares.items() if isinstance(shares, Mapping) else ())
                if dim is not None}
    factors: dict[str, float] = {}
    unknown: list[str] = []
    for dimension, keys in target.dimensions().items():
        known = audience.get(dimension, {})
        if sum(known.values()) <= 0:
            unknown.append(dimension)
            continue
        factors[dimension] = _dimension_fit(dimension, known, keys, _share(target.gender_share))
    return with_priors(Fit(value=1.0, factors=factors, unknown=tuple(unknown)), priors)


def median_priors(measured: Iterable[tuple[str, Fit]],
                  minimum: int = PRIOR_MIN_ACCOUNTS) -> dict[str | None, dict[str, float]]:
    """The priors of unknown dimensions from the accounts that measure them, given as
    (platform, fit): platform → dimension → the median factor of that platform's accounts,
    where at least `minimum` of them measure it; and under None, across all platforms."""
    by_platform: dict[str, dict[str, list[float]]] = defaultdict(lambda: defaultdict(list))
    overall: dict[str, list[float]] = defaultdict(list)
    for platform, fit in measured:
        for dimension, factor in fit.factors.items():
            by_platform[platform][dimension].append(factor)
            overall[dimension].append(factor)
    priors: dict[str | None, dict[str, float]] = {
        None: {dim: statistics.median(values) for dim, values in overall.items()}}
    for platform, dimensions in by_platform.items():
        priors[platform] = {dim: statistics.median(values)
                            for dim, values in dimensions.items() if len(values) >= minimum}
    return priors


def priors_for(priors: Mapping[str | None, Mapping[str, float]], platform: str | None
               ) -> dict[str, float]:
    """One platform's priors: its own medians, else those across platforms."""
    return {**priors.get(None, {}), **(priors.get(platform, {}) if platform else {})}


class Account(NamedTuple):
    """What effective reach needs of one account: its followers, the real-follower share of
    its audience (None when unknown) and its audience fit (a Fit, whose `joint` share
    counts, or a number)."""

    followers: float | None
    credibility: float | None
    fit: Fit | float | None


def _number(value: Any, default: float) -> float:
    """A share, or `default` when it is missing or unusable (treated as unknown)."""
    share = _share(value.joint if isinstance(value, Fit) else value)
    return default if share is None else share


# More followers than this is not a count (there are about 8 × 10⁹ people): such a value
# counts as hostile. Two accounts of 9 × 10³⁰⁷ "followers" made the sum infinite.
FOLLOWERS_CEILING = 1e12


def effective_reach(accounts: Iterable[Account | tuple]) -> float:
    """Expected target people reached: Σ followers × credibility (1 if unknown) × the joint
    share on target. Missing or hostile followers count 0; a missing or unusable credibility
    is neutral (1), and so is a missing fit (the caller passes one where a target exists)."""
    total = 0.0
    for followers, credibility, fit in accounts:
        if isinstance(followers, bool) or not isinstance(followers, int | float):
            continue
        if not math.isfinite(followers) or not 0 < followers <= FOLLOWERS_CEILING:
            continue
        total += float(followers) * _number(credibility, 1.0) * _number(fit, 1.0)
    return total
