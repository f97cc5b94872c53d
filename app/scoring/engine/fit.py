"""Audience fit: how much of an account's audience is a campaign's target, and the effective
reach that follows from it.

The fit is the PRODUCT of the per-dimension fits, not their geometric mean: each factor is
the share of the audience inside the target on one dimension, so under the usual
independence assumption the product is the share of the audience inside the target on all of
them at once — which is what `effective_reach` multiplies followers by to count target
people. A geometric mean would say that an audience 50 % French and 50 % women is "50 % on
target" when only about 25 % are French women.

A targeted dimension the audience does not describe (no snapshot share, or only unusable
values) is neutral — factor 1, the identity of the product — and listed in `Fit.unknown`, so
the page can say "fit unknown for: age". Values from imports are distrusted: None, NaN,
text and negative shares are ignored, shares above 1 are clamped to 1, and a dimension whose
exclusive shares add up to more than 1 is rescaled to 1; the fit is always in [0, 1].
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any, NamedTuple

# Dimensions where each follower has exactly one value, so shares over 1 in total are an
# error of the source and are rescaled; interests overlap (one follower has several).
EXCLUSIVE = ("gender", "age", "country", "language")


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
    """`value` in [0, 1]; `factors` per targeted and known dimension; `unknown` lists the
    targeted dimensions the audience data does not describe (counted as neutral)."""

    value: float
    factors: dict[str, float] = field(default_factory=dict)
    unknown: tuple[str, ...] = ()


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


def audience_fit(shares: Mapping[str, Mapping[str, float]] | None, target: Target) -> Fit:
    """The fit of one audience (dimension → key → share 0-1) to a campaign's target."""
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
    value = math.prod(factors.values())
    return Fit(value=min(1.0, max(0.0, value)), factors=factors, unknown=tuple(unknown))


class Account(NamedTuple):
    """What effective reach needs of one account: its followers, the real-follower share of
    its audience (None when unknown) and its audience fit (a Fit or a number)."""

    followers: float | None
    credibility: float | None
    fit: Fit | float | None


def _number(value: Any, default: float) -> float:
    """A share, or `default` when it is missing or unusable (treated as unknown)."""
    share = _share(value.value if isinstance(value, Fit) else value)
    return default if share is None else share


def effective_reach(accounts: Iterable[Account | tuple]) -> float:
    """Expected target people reached: Σ followers × credibility (1 if unknown) × fit.
    Missing or hostile followers count 0; a missing or unusable credibility or fit is
    unknown and neutral (1)."""
    total = 0.0
    for followers, credibility, fit in accounts:
        if isinstance(followers, bool) or not isinstance(followers, int | float):
            continue
        if not math.isfinite(followers) or followers <= 0:
            continue
        total += float(followers) * _number(credibility, 1.0) * _number(fit, 1.0)
    return total
