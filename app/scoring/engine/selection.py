"""Ambassador selection: which influencers to sign, for a budget, to reach the most target
people.

Model — independent cascade over the relay graph. Each chosen influencer reaches its own
effective audience; an edge "A amplifies B" (a relationship A→B) lets an active B activate
A with the edge's probability, once; every activated influencer reaches its own effective
audience too. The spread of a set is the expected total effective audience of the activated
influencers (audiences are added: overlaps between audiences are not modelled).

Estimation — reverse-reachable (RR) sets, each drawn in its own live-edge world: for every
influencer v with an audience, `samples` RR sets hold who would have activated v in that
world, found by a reverse search that flips each edge's coin at most once. A set S reaches v
in a world iff it meets v's RR set, so the spread of S is Σ_v a_v × (share of v's RR sets
met by S). That is exactly the Monte-Carlo estimator with `samples` worlds per influencer,
but it is computed once, vectorised, and then every candidate set is scored against the
SAME worlds (common random numbers): marginal gains are consistent, the estimate is a
coverage function (monotone and submodular, so greedy's 1 − 1/e guarantee holds for the
sample), an influencer's own audience is counted exactly (each RR set holds its root), and
a seed gives the same answer every time. Audiences are counted in whole people, so the
arithmetic is exact integers and ties break by index, the same way in lazy and plain greedy.

Greedy — CELF (Leskovec et al., KDD 2007): a heap of upper bounds on marginal gains, only
re-evaluated when they reach the top. Run once by gain/cost and once by gain, each skipping
who no longer fits the budget and stopping at `max_count` or when nobody adds reach; the
better of the two is proposed: either one alone can be arbitrarily bad with costs, the
better one is within (1 − 1/e)/2 of the optimum in theory and close to it in the tests.
"""

from __future__ import annotations

import heapq
from collections.abc import Hashable, Iterable, Sequence
from dataclasses import dataclass

import numpy as np

MAX_SAMPLES = 200  # RR sets per influencer when the cascades are small
MAX_ENTRIES = 2_000_000  # RR-set memberships drawn (≈ 1 µs each) and kept in memory
PILOT_SETS = 200
MIN_SETS = 1_000


def relay_probability(weights: Sequence[float] | np.ndarray, rate: float = 0.1) -> np.ndarray:
    """Edge weights (≥ 0, adding up parallel edges) → relay probabilities 1 − e^(−rate·w):
    a follow (weight 1) relays about 10 % of the time, a repost habit (3) about 26 %."""
    w = np.nan_to_num(np.asarray(weights, dtype=float), nan=0.0, posinf=0.0, neginf=0.0)
    return -np.expm1(-rate * np.clip(w, 0.0, None))


@dataclass(frozen=True)
class CascadeSample:
    """Sampled RR sets, stored by influencer: the RR sets influencer v belongs to are
    `sets[starts[v]:starts[v + 1]]`. Set s stands for `weights[s] / scale` target people
    (whole-people integers, so sums are exact); `size` sets were drawn."""

    n: int
    scale: int
    starts: np.ndarray
    sets: np.ndarray
    weights: np.ndarray

    @property
    def size(self) -> int:
        return len(self.weights)

    def sets_of(self, node: int) -> np.ndarray:
        return self.sets[self.starts[node]:self.starts[node + 1]]

    def covered(self, nodes: Iterable[int]) -> np.ndarray:
        hit = np.zeros(self.size, dtype=bool)
        for node in nodes:
            hit[self.sets_of(node)] = True
        return hit

    def reach(self, nodes: Iterable[int]) -> float:
        """Expected target people reached by these influencers and their relays."""
        return int(self.weights[self.covered(nodes)].sum()) / self.scale


def _edges(n: int, amplifier, amplified, probability) -> tuple[np.ndarray, ...]:
    src = np.asarray(amplifier, dtype=np.int64).ravel()
    dst = np.asarray(amplified, dtype=np.int64).ravel()
    prob = np.nan_to_num(np.asarray(probability, dtype=float).ravel(), nan=0.0)
    if not len(src) == len(dst) == len(prob):
        raise ValueError("edge arrays differ in length")
    if len(src) and (min(src.min(), dst.min()) < 0 or max(src.max(), dst.max()) >= n):
        raise ValueError("edge endpoint out of range")
    prob = np.clip(prob, 0.0, 1.0)
    keep = (prob > 0) & (src != dst)  # a self-loop relays nobody new
    src, dst, prob = src[keep], dst[keep], prob[keep]
    # The reverse search from v looks for who activates v: the people v amplifies.
    order = np.argsort(src, kind="stable")
    indptr = np.concatenate(([0], np.cumsum(np.bincount(src, minlength=n))))
    return indptr, dst[order], prob[order]


def _new_keys(keys: np.ndarray, seen: np.ndarray) -> np.ndarray:
    """The distinct keys not in `seen` (sorted), sorted. By sorting and searching: numpy's
    hash-based unique is several times slower on these arrays."""
    keys = np.sort(keys)
    if len(keys):
        keys = keys[np.concatenate(([True], keys[1:] != keys[:-1]))]
    at = np.searchsorted(seen, keys).clip(max=len(seen) - 1)
    return keys[seen[at] != keys] if len(seen) else keys


def sample_cascade(audience: Sequence[float] | np.ndarray, amplifier, amplified, probability,
                   *, samples: int | None = None, seed: int = 0) -> CascadeSample:
    """Draw the RR sets for `n = len(audience)` influencers; edge i says amplifier[i]
    relays amplified[i] with probability[i]; `samples` RR sets per influencer.

    Without `samples`, a pilot draw measures the RR sets' size and as many are drawn per
    influencer (up to MAX_SAMPLES) as MAX_ENTRIES allows. When even one per influencer does
    not fit — cascades reaching a large part of a big graph — it falls back to plain RIS:
    roots drawn in proportion to audience, each set standing for an equal share of the
    total audience (then one's own audience is estimated too, not exact)."""
    people = np.rint(np.nan_to_num(np.asarray(audience, dtype=float), nan=0.0,
                                   posinf=0.0, neginf=0.0)).clip(0, None).astype(np.int64)
    edges = _edges(len(people), amplifier, amplified, probability)
    rng = np.random.default_rng(seed)
    positive = np.flatnonzero(people > 0)
    if samples is None and len(positive):
        pilot = rng.choice(positive, size=PILOT_SETS)
        mean_size = len(_draw(len(people), edges, pilot, rng)[1]) / PILOT_SETS
        fits = int(MAX_ENTRIES / mean_size)
        if fits < len(positive):
            total = int(people.sum())
            roots = rng.choice(len(people), size=max(fits, MIN_SETS), p=people / total)
            starts, sets = _draw(len(people), edges, roots, rng)
            return CascadeSample(n=len(people), scale=len(roots), starts=starts, sets=sets,
                                 weights=np.full(len(roots), total, dtype=np.int64))
        samples = fits // len(positive)
    samples = min(MAX_SAMPLES, max(1, int(samples or 1)))
    roots = np.repeat(positive, samples)
    starts, sets = _draw(len(people), edges, roots, rng)
    return CascadeSample(n=len(people), scale=samples, starts=starts, sets=sets,
                         weights=people[roots])


def _draw(n: int, edges: tuple[np.ndarray, ...], roots: np.ndarray,
          rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    """One RR set per root, level by level for all sets at once; (starts, sets) by node."""
    indptr, targets, probs = edges
    set_ids, nodes = np.arange(len(roots), dtype=np.int64), roots.astype(np.int64)
    found_sets, found_nodes = [set_ids], [nodes]
    seen = set_ids * n + nodes  # sorted: one root per set, sets in order
    while len(set_ids):
        degree = indptr[nodes + 1] - indptr[nodes]
        total = int(degree.sum())
        if total == 0:
            break
        offsets = np.repeat(indptr[nodes] - (np.cumsum(degree) - degree), degree)
        edge = offsets + np.arange(total)
        live = rng.random(total) < probs[edge]
        keys = _new_keys(np.repeat(set_ids, degree)[live] * n + targets[edge][live], seen)
        if not len(keys):
            break
        # Timsort merges the two sorted runs in linear time.
        seen = np.sort(np.concatenate((seen, keys)), kind="stable")
        set_ids, nodes = keys // n, keys % n
        found_sets.append(set_ids)
        found_nodes.append(nodes)
    members, sets = np.concatenate(found_nodes), np.concatenate(found_sets)
    order = np.argsort(members, kind="stable")
    starts = np.concatenate(([0], np.cumsum(np.bincount(members, minlength=n))))
    return starts, sets[order]


@dataclass(frozen=True)
class Pick:
    """One proposed ambassador: its index, cost, the target people it adds, the running
    total, and the communities no earlier pick belongs to."""

    index: int
    cost: int
    reach: float
    cumulative_reach: float
    opens: tuple[Hashable, ...]


@dataclass(frozen=True)
class Selection:
    picks: tuple[Pick, ...]
    reach: float
    cost: int
    strategy: str  # "ratio" (gain per cost) or "value" (gain), whichever reached more
    samples: int  # RR sets drawn


def _gain(sample: CascadeSample, covered: np.ndarray, node: int) -> int:
    ids = sample.sets_of(node)
    return int(sample.weights[ids[~covered[ids]]].sum())


def _all_gains(sample: CascadeSample, covered: np.ndarray) -> np.ndarray:
    open_weight = np.where(covered, 0, sample.weights)[sample.sets]
    totals = np.concatenate(([0], np.cumsum(open_weight)))
    return totals[sample.starts[1:]] - totals[sample.starts[:-1]]


def _key(gain: int, cost: int, by_ratio: bool) -> float:
    return gain / cost if by_ratio else float(gain)


def greedy(sample: CascadeSample, costs: Sequence[int], budget: int,
           max_count: int | None = None, *, by_ratio: bool, lazy: bool = True) -> list[int]:
    """Picks in order, by marginal gain per cost (`by_ratio`) or by marginal gain, within the
    budget and count. `lazy=False` re-evaluates everyone each round (for tests)."""
    cost = [int(c) for c in costs]
    limit = sample.n if max_count is None else max(0, int(max_count))
    covered = np.zeros(len(sample.weights), dtype=bool)
    remaining, picks = int(budget), []
    pool = [v for v in range(sample.n) if 0 < cost[v] <= remaining]
    gains = _all_gains(sample, covered)
    heap = [(-_key(int(gains[v]), cost[v], by_ratio), v, 0, int(gains[v])) for v in pool]
    heapq.heapify(heap)
    while heap and len(picks) < limit:
        if not lazy:  # plain greedy: every bound is refreshed before choosing
            heap = [(-_key(g, cost[v], by_ratio), v, len(picks), g) for v in
                    (e[1] for e in heap) for g in [_gain(sample, covered, v)]]
            heapq.heapify(heap)
        _, node, stamp, gain = heapq.heappop(heap)
        if cost[node] > remaining:
            continue  # the budget only shrinks: it will never fit again
        if stamp != len(picks):
            gain = _gain(sample, covered, node)
            heapq.heappush(heap, (-_key(gain, cost[node], by_ratio), node, len(picks), gain))
            continue
        if gain <= 0:
            break  # the best bound is exact and adds nobody: nobody else would either
        picks.append(node)
        covered[sample.sets_of(node)] = True
        remaining -= cost[node]
    return picks


def _communities(value) -> tuple:
    """One community, several, or none (None), in the order given."""
    if value is None:
        return ()
    if isinstance(value, str | bytes) or not isinstance(value, Iterable):
        return (value,)
    return tuple(dict.fromkeys(c for c in value if c is not None))


def select_ambassadors(costs: Sequence[int], audience: Sequence[float], amplifier, amplified,
                       probability, budget: int, *, max_count: int | None = None,
                       communities: Sequence | None = None, seed: int = 0,
                       samples: int | None = None) -> Selection:
    """Propose ambassadors among `len(costs)` candidates (costs in cents; a cost ≤ 0 or
    missing makes a candidate a relay only). `audience` is each candidate's direct effective
    audience; edges as in `sample_cascade`; `communities[i]` is candidate i's community (or
    several). The same inputs and seed give the same proposal."""
    cost = np.nan_to_num(np.asarray(costs, dtype=float), nan=0.0, posinf=0.0, neginf=0.0)
    cost = cost.astype(np.int64)
    if len(cost) != len(audience):
        raise ValueError("costs and audience differ in length")
    sample = sample_cascade(audience, amplifier, amplified, probability,
                            samples=samples, seed=seed)
    best: tuple[int, int, str, list[int]] | None = None
    for strategy in ("ratio", "value"):
        picks = greedy(sample, cost, budget, max_count, by_ratio=strategy == "ratio")
        total = int(sample.weights[sample.covered(picks)].sum())
        spent = int(cost[picks].sum()) if picks else 0
        if best is None or (total, -spent) > (best[0], -best[1]):
            best = (total, spent, strategy, picks)
    assert best is not None
    total, spent, strategy, picks = best
    return Selection(picks=_report(sample, cost, picks, communities), reach=total / sample.scale,
                     cost=spent, strategy=strategy, samples=sample.size)


def _report(sample: CascadeSample, cost: np.ndarray, picks: list[int],
            communities: Sequence | None) -> tuple[Pick, ...]:
    covered = np.zeros(len(sample.weights), dtype=bool)
    seen: set = set()
    rows, cumulative = [], 0
    for node in picks:
        gain = _gain(sample, covered, node)
        covered[sample.sets_of(node)] = True
        cumulative += gain
        mine = _communities(communities[node]) if communities is not None else ()
        opens = tuple(c for c in mine if c not in seen)
        seen.update(mine)
        rows.append(Pick(index=node, cost=int(cost[node]), reach=gain / sample.scale,
                         cumulative_reach=cumulative / sample.scale, opens=opens))
    return tuple(rows)
