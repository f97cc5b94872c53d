"""Network figures per node, computed by python-igraph's C core.

`compute(graph)` returns arrays indexed like the graph's nodes and the seconds each step
took. Randomised steps (betweenness sources, community detection) are seeded, so the same
graph and seed give the same figures.
"""

from __future__ import annotations

import contextlib
import os
import random
import signal
import time
import warnings
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

import igraph
import numpy as np

from app.scoring.engine.graph import undirected

DAMPING = 0.85
EXACT_BETWEENNESS_BELOW = 2_000  # nodes: exact betweenness under this, sampled above
BETWEENNESS_SAMPLES = 16  # sources: ~0.07 s each on a 100k-node, 1M-edge graph
LEIDEN_ITERATIONS = 1
PARALLEL_ABOVE = 20_000  # nodes: from there betweenness runs in a child process (~20 ms to fork)


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
            # Leiden (Louvain with its badly-connected communities fixed) on modularity.
            # One iteration: on planted-partition (LFR) graphs a second one raised the
            # modularity by 0.1-1 % and found the planted communities no better (same NMI
            # within the seed's noise) for 40 % more time (bench/README.md, scoring).
            membership = np.asarray(projection.community_leiden(
                objective_function="modularity", weights="weight",
                n_iterations=LEIDEN_ITERATIONS).membership)
    return relabel_by_size(membership)


def relabel_by_size(membership: np.ndarray) -> np.ndarray:
    """Community numbers 1.. by decreasing size, ties broken by the smallest member."""
    membership = np.asarray(membership)
    labels, first, counts = np.unique(membership, return_index=True, return_counts=True)
    order = np.lexsort((first, -counts))  # by size descending, then first member
    number = np.empty(labels.size, dtype=np.int64)
    number[order] = np.arange(1, labels.size + 1)
    return number[np.searchsorted(labels, membership)]


class Forked:
    """`function()`, a float64 array of `size` values, computed in a forked child process
    while this one goes on. igraph's C routines hold the GIL, so a thread would only take
    turns with the caller; a child runs on the other core. The child shares the graph
    copy-on-write, sends back the raw bytes and its seconds through a pipe, and leaves with
    os._exit (no atexit handlers, no database connection closed under the parent)."""

    def __init__(self, function: Callable[[], np.ndarray], size: int) -> None:
        self.size = size
        read, write = os.pipe()
        with warnings.catch_warnings():  # Python ≥ 3.12 warns of fork beside other threads;
            warnings.simplefilter("ignore", DeprecationWarning)  # the child only computes
            self.pid = os.fork()
        if self.pid == 0:  # pragma: no cover - the child; its result is checked below
            code = 1
            try:
                os.close(read)
                started = time.perf_counter()
                values = np.ascontiguousarray(function(), dtype=np.float64)
                seconds = np.array([time.perf_counter() - started])
                with os.fdopen(write, "wb") as pipe:
                    pipe.write(seconds.tobytes() + values.tobytes())
                code = 0
            finally:
                os._exit(code)
        os.close(write)
        self.read = read

    def cancel(self) -> None:
        """Stop and reap the child (the caller failed before it collected the result)."""
        os.kill(self.pid, signal.SIGKILL)
        os.close(self.read)
        os.waitpid(self.pid, 0)

    def result(self) -> tuple[np.ndarray, float] | None:
        """The child's values and seconds; None if it failed (the caller computes them)."""
        with os.fdopen(self.read, "rb") as pipe:
            data = pipe.read()
        _, status = os.waitpid(self.pid, 0)
        if status != 0 or len(data) != 8 * (self.size + 1):
            return None
        values = np.frombuffer(data, dtype=np.float64)
        return values[1:].copy(), float(values[0])


def _can_fork() -> bool:
    return hasattr(os, "fork") and (os.cpu_count() or 1) > 1


def compute(graph: igraph.Graph, seed: int = 2026, damping: float = DAMPING,
            betweenness_samples: int = BETWEENNESS_SAMPLES,
            exact_betweenness_below: int = EXACT_BETWEENNESS_BELOW,
            parallel_above: int = PARALLEL_ABOVE) -> NetworkFigures:
    """Every figure. On graphs of `parallel_above` nodes or more, betweenness runs in a
    forked child beside k-core and the communities (its "betweenness" timing is then the
    child's own, overlapping theirs)."""
    timings: dict[str, float] = {}
    with _timed(timings, "pagerank"):
        ranks = pagerank(graph, damping)
    with _timed(timings, "projection"):
        projection = undirected(graph)

    def between() -> np.ndarray:
        return betweenness(projection, seed, betweenness_samples, exact_betweenness_below)

    child = Forked(between, graph.vcount()) \
        if graph.vcount() >= parallel_above and _can_fork() else None
    try:
        with _timed(timings, "core"):
            cores = core_numbers(projection)
        with _timed(timings, "community"):
            groups = communities(projection, seed)
    except BaseException:
        if child is not None:
            child.cancel()
        raise
    with _timed(timings, "betweenness_wait"):
        done = child.result() if child is not None else None
    if done is None:
        with _timed(timings, "betweenness"):
            values = between()
        del timings["betweenness_wait"]
    else:
        values, timings["betweenness"] = done[0], round(done[1], 4)
    return NetworkFigures(ranks, cores, values, groups, timings)
