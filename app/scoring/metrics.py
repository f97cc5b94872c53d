"""Network figures per node, computed by python-igraph's C core (design/scoring.md).

`compute(graph)` returns arrays indexed like the graph's nodes and the seconds each step
took. Randomised steps (betweenness sources, community detection) are seeded, so the same
graph and seed give the same figures.
"""

from __future__ import annotations

import contextlib
import random
import time
from collections.abc import Iterator
from dataclasses import dataclass, field

import igraph
import numpy as np

from app.scoring.graph import undirected

DAMPING = 0.85
EXACT_BETWEENNESS_BELOW = 2_000  # nodes: exact betweenness under this, sampled above
BETWEENNESS_SAMPLES = 16  # sources: ~0.07 s each on a 100k-node, 1M-edge graph


@dataclass
class NetworkFigures:
    pagerank: np.ndarray
    core: np.ndarray
    betweenness: np.ndarray
    community: np.ndarray  # 1 = the largest community, 2 the next, …
    timings: dict[str, float] = field(default_factory=dict)


@contextlib.contextmanager
def _timed(timings: dict[str, float], step: str) -> Iterator[None]:
    started = time.perf_counter()
    yield
    timings[step] = round(time.perf_counter() - started, 4)


@contextlib.contextmanager
def seeded(seed: int) -> Iterator[None]:
    """igraph's random generator is process-wide: seed it for the block, then give it back
    Python's module-level generator (its default)."""
    igraph.set_random_number_generator(random.Random(seed))
    try:
        yield
    finally:
        igraph.set_random_number_generator(random)


def pagerank(graph: igraph.Graph, damping: float = DAMPING) -> np.ndarray:
    """Weighted PageRank; a dangling node's rank spreads over every node (as in
    networkx)."""
    if graph.vcount() == 0:
        return np.zeros(0)
    weights = "weight" if graph.ecount() else None
    return np.asarray(graph.pagerank(directed=True, damping=damping, weights=weights))


def core_numbers(projection: igraph.Graph) -> np.ndarray:
    """k-core number of each node in the undirected projection (no self-loops, no
    multi-edges there)."""
    if projection.vcount() == 0:
        return np.zeros(0, dtype=np.int64)
    return np.asarray(projection.coreness(mode="all"), dtype=np.int64)


def betweenness(projection: igraph.Graph, seed: int, samples: int = BETWEENNESS_SAMPLES,
                exact_below: int = EXACT_BETWEENNESS_BELOW) -> np.ndarray:
    """Normalised betweenness on the undirected, unweighted projection (share of the
    shortest paths between other pairs through the node, as networkx's normalized=True).
    Exact on small graphs; above, shortest paths from `samples` seeded random sources,
    scaled by n / samples."""
    n = projection.vcount()
    if n < 3 or projection.ecount() == 0:
        return np.zeros(n)
    if n < exact_below or samples >= n:
        raw = np.asarray(projection.betweenness(directed=False))
    else:
        sources = np.random.default_rng(seed).choice(n, size=samples, replace=False)
        # From sampled sources each unordered pair is seen from one end only: × 2 over the
        # pairs, then /2 as igraph counts undirected pairs once — i.e. n / samples.
        raw = np.asarray(projection.betweenness(directed=False, sources=sources.tolist()))
        raw *= n / samples
    return raw * 2.0 / ((n - 1) * (n - 2))


def communities(projection: igraph.Graph, seed: int) -> np.ndarray:
    """Communities (Leiden, the Louvain family) of the weighted undirected projection,
    numbered by size (1 = largest; ties by their smallest node): stable across runs."""
    n = projection.vcount()
    if n == 0:
        return np.zeros(0, dtype=np.int64)
    if projection.ecount() == 0:
        membership = np.arange(n)
    else:
        with seeded(seed):
            # Leiden (Louvain with its badly-connected communities fixed) on modularity:
            # faster than igraph's multilevel on 1M edges, and as good or better a split.
            membership = np.asarray(projection.community_leiden(
                objective_function="modularity", weights="weight", n_iterations=2).membership)
    return relabel_by_size(membership)


def relabel_by_size(membership: np.ndarray) -> np.ndarray:
    """Community numbers 1.. by decreasing size, ties broken by the smallest member."""
    membership = np.asarray(membership)
    labels, first, counts = np.unique(membership, return_index=True, return_counts=True)
    order = np.lexsort((first, -counts))  # by size descending, then first member
    number = np.empty(labels.size, dtype=np.int64)
    number[order] = np.arange(1, labels.size + 1)
    return number[np.searchsorted(labels, membership)]


def compute(graph: igraph.Graph, seed: int = 2026, damping: float = DAMPING,
            betweenness_samples: int = BETWEENNESS_SAMPLES,
            exact_betweenness_below: int = EXACT_BETWEENNESS_BELOW) -> NetworkFigures:
    timings: dict[str, float] = {}
    with _timed(timings, "pagerank"):
        ranks = pagerank(graph, damping)
    with _timed(timings, "projection"):
        projection = undirected(graph)
    with _timed(timings, "core"):
        cores = core_numbers(projection)
    with _timed(timings, "betweenness"):
        between = betweenness(projection, seed, betweenness_samples, exact_betweenness_below)
    with _timed(timings, "community"):
        groups = communities(projection, seed)
    return NetworkFigures(ranks, cores, between, groups, timings)
