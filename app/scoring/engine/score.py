"""Per-influencer figures beyond the network, and the composite 0–100 score.

Everything takes and returns numpy arrays indexed by node (0..n-1); accounts come as
parallel arrays with their owner's node index. NaN means "unknown": an unknown component
is left out of the score and the other weights are renormalised.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np

COMPONENTS = ("network", "reach", "engagement", "credibility")
DEFAULT_SCORE_WEIGHTS = {"network": 0.4, "reach": 0.3, "engagement": 0.2, "credibility": 0.1}
TIER_BOUNDS = (10_000, 100_000, 500_000, 1_000_000)  # nano < 10k < micro < … < mega
ENGAGEMENT_CAP = 3.0


def _floats(values) -> np.ndarray:
    """A float array with None as NaN (numpy's own float conversion does that, in C)."""
    return np.array(values, dtype=np.float64) if isinstance(values, list) \
        else np.asarray(values, dtype=np.float64)


def _per_node_sum(owner: np.ndarray, values: np.ndarray, n: int) -> np.ndarray:
    return np.bincount(owner, weights=values, minlength=n)[:n]


def reach(owner, followers, credibility, n: int) -> np.ndarray:
    """Σ over accounts of log10(1 + followers × credibility), credibility 1 when unknown;
    NaN for people with no account whose followers are known."""
    owner = np.asarray(owner, dtype=np.int64)
    followers, credibility = _floats(followers), _floats(credibility)
    known = np.isfinite(followers) & (followers >= 0)
    share = np.clip(np.where(np.isfinite(credibility), credibility, 1.0), 0.0, 1.0)
    terms = np.log10(1.0 + np.where(known, followers, 0.0) * share)
    total = _per_node_sum(owner, terms, n)
    counted = _per_node_sum(owner, known.astype(np.float64), n)
    return np.where(counted > 0, total, np.nan)


def tier(followers) -> np.ndarray:
    """0 nano, 1 micro, 2 mid, 3 macro, 4 mega."""
    return np.searchsorted(TIER_BOUNDS, _floats(followers), side="right")


def _weighted_mean(owner, values, followers, n: int) -> np.ndarray:
    """Per node, the followers-weighted mean of the known `values` (a plain mean when none
    of those accounts has followers); NaN when no value is known."""
    known = np.isfinite(values)
    weight = np.where(np.isfinite(followers) & (followers > 0), followers, 0.0)
    weighted = _per_node_sum(owner[known], values[known] * weight[known], n)
    weight_sum = _per_node_sum(owner[known], weight[known], n)
    plain = _per_node_sum(owner[known], values[known], n)
    count = _per_node_sum(owner[known], np.ones(int(known.sum())), n)
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(weight_sum > 0, weighted / weight_sum,
                        np.where(count > 0, plain / count, np.nan))


def engagement(owner, platforms: Sequence[str], followers, rate, n: int,
               cap: float = ENGAGEMENT_CAP) -> np.ndarray:
    """Each account's engagement rate over the median rate of its platform and follower
    tier, capped at `cap`; per person the followers-weighted mean. NaN when unknown."""
    owner = np.asarray(owner, dtype=np.int64)
    followers, rate = _floats(followers), _floats(rate)
    _, platform_code = np.unique(np.asarray(platforms, dtype=object).astype(str),
                                 return_inverse=True) if len(platforms) else (None, np.zeros(0))
    group = np.asarray(platform_code, dtype=np.int64) * 10 + tier(np.nan_to_num(followers))
    known = np.isfinite(rate) & (rate >= 0)
    relative = np.full(rate.shape, np.nan)
    for value in np.unique(group[known]):
        members = known & (group == value)
        median = float(np.median(rate[members]))
        if median > 0:
            relative[members] = np.minimum(rate[members] / median, cap)
    return _weighted_mean(owner, relative, followers, n)


def credibility(owner, followers, credibility, n: int) -> np.ndarray:
    """Followers-weighted mean of the accounts' credibility (share of real followers)."""
    owner = np.asarray(owner, dtype=np.int64)
    return _weighted_mean(owner, _floats(credibility), _floats(followers), n)


def average_ranks(values: np.ndarray) -> np.ndarray:
    """1-based ranks, ties sharing their mean rank (scipy.stats.rankdata's "average"; scipy
    is not imported for it: scipy.stats alone costs every web worker 90 MB and 0.6 s)."""
    order = np.argsort(values, kind="stable")
    ordered = values[order]
    first = np.concatenate(([True], ordered[1:] != ordered[:-1]))  # a new tie group
    starts = np.flatnonzero(first)
    ends = np.append(starts[1:], len(values))
    ranks = np.empty(len(values))
    ranks[order] = ((starts + ends + 1) / 2.0)[np.cumsum(first) - 1]
    return ranks


def percentile_ranks(values) -> np.ndarray:
    """0–100 percentile rank among the known values (ties share the mean rank: all equal →
    50); NaN stays NaN."""
    values = _floats(values)
    result = np.full(values.shape, np.nan)
    known = np.isfinite(values)
    if known.any():
        result[known] = (average_ranks(values[known]) - 0.5) / known.sum() * 100.0
    return result


@dataclass
class Scores:
    score: np.ndarray  # 0–100
    percentiles: dict[str, np.ndarray]  # per component, NaN when unknown
    missing: list[str | None]  # per node: "engagement,credibility" or None


def composite(pagerank, core, reach_values, engagement_values, credibility_values,
              weights: Mapping[str, float] | None = None) -> Scores:
    """Weighted mean of the components' percentile ranks; network = the mean of the
    pagerank and core percentiles. Unknown components are left out, weights renormalised."""
    weights = {**DEFAULT_SCORE_WEIGHTS, **(weights or {})}
    percentiles = {
        "network": (percentile_ranks(pagerank) + percentile_ranks(core)) / 2.0,
        "reach": percentile_ranks(reach_values),
        "engagement": percentile_ranks(engagement_values),
        "credibility": percentile_ranks(credibility_values),
    }
    n = len(percentiles["network"])
    total, weight_sum = np.zeros(n), np.zeros(n)
    for name in COMPONENTS:
        known = np.isfinite(percentiles[name])
        weight = max(float(weights.get(name, 0.0)), 0.0)
        total += np.where(known, percentiles[name], 0.0) * weight
        weight_sum += known * weight
    with np.errstate(invalid="ignore", divide="ignore"):
        score = np.where(weight_sum > 0, total / weight_sum, 0.0)
    return Scores(np.clip(score, 0.0, 100.0), percentiles, _missing(percentiles, n))


def _missing(percentiles: Mapping[str, np.ndarray], n: int) -> list[str | None]:
    """Per node, the unknown components ("engagement,credibility") or None: each node's
    pattern as a bit mask, looked up in the table of every pattern (a join per node cost
    ~0.3 s on 100 000 people)."""
    mask = np.zeros(n, dtype=np.int64)
    for bit, name in enumerate(COMPONENTS):
        mask |= (~np.isfinite(percentiles[name])).astype(np.int64) << bit
    table = np.array([",".join(name for bit, name in enumerate(COMPONENTS) if pattern >> bit & 1)
                      or None for pattern in range(1 << len(COMPONENTS))], dtype=object)
    return table[mask].tolist()


def community_labels(community, tag_owner, tag_names: Sequence[str], top: int = 2,
                     fallback: str = "Communauté {number}") -> dict[int, tuple[str, int]]:
    """Per community number: (label, size). The label is its members' `top` most common
    tags ("beauté · mode"; ties by name), else `fallback`."""
    community = np.asarray(community, dtype=np.int64)
    numbers, sizes = np.unique(community, return_counts=True)
    counters: dict[int, Counter] = {int(number): Counter() for number in numbers}
    owner_community = community[np.asarray(tag_owner, dtype=np.int64)] \
        if len(tag_names) else np.zeros(0, dtype=np.int64)
    for number, name in zip(owner_community.tolist(), tag_names, strict=True):
        counters[number][name] += 1
    labels = {}
    for number, size in zip(numbers.tolist(), sizes.tolist(), strict=True):
        common = sorted(counters[number].items(), key=lambda item: (-item[1], item[0]))[:top]
        label = " · ".join(name for name, _ in common) or fallback.format(number=number)
        labels[number] = (label, size)
    return labels
