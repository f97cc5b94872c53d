"""The scoring engine (app/scoring/engine) against published and library reference values
(networkx is the reference implementation), degenerate graphs, reproducible communities
and the composite score. That the engine loads neither Flask nor the ORM is checked with
the other plain packages (tests/core/test_plain_packages.py)."""

from __future__ import annotations

import os
import subprocess
import sys
import time

import igraph
import networkx as nx
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from app.scoring.engine import metrics, score
from app.scoring.engine.graph import build_graph, from_networkx, to_networkx


def test_pagerank_matches_networkx_reference_values():
    # networkx's own test graph; its reference values are for alpha = 0.9.
    reference = nx.DiGraph([(1, 2), (1, 3), (3, 1), (3, 2), (3, 5), (4, 5), (4, 6), (5, 4),
                            (5, 6), (6, 4)])
    graph, nodes = from_networkx(reference)
    ranks = dict(zip(nodes, metrics.pagerank(graph, damping=0.9), strict=True))
    expected = [0.03721197, 0.05395735, 0.04150565, 0.37508082, 0.20599833, 0.28624589]
    for node, value in zip(range(1, 7), expected, strict=True):
        assert ranks[node] == pytest.approx(value, abs=1e-6)


def test_karate_club():
    graph, nodes = from_networkx(nx.karate_club_graph())
    assert nodes == list(range(34))
    figures = metrics.compute(graph)
    assert set(np.argsort(-figures.pagerank)[:3].tolist()) == {33, 0, 32}
    assert figures.core.max() == 4
    assert set(np.flatnonzero(figures.core == 4).tolist()) == {0, 1, 2, 3, 7, 8, 13, 30, 32, 33}
    assert int(np.argmax(figures.betweenness)) == 0
    reference = nx.betweenness_centrality(nx.karate_club_graph())
    assert figures.betweenness == pytest.approx([reference[i] for i in range(34)], abs=1e-9)
    assert 2 <= len(set(figures.community.tolist())) <= 6


def test_florentine_families_medici_have_the_highest_betweenness():
    graph, nodes = from_networkx(nx.florentine_families_graph())
    figures = metrics.compute(graph)
    assert nodes[int(np.argmax(figures.betweenness))] == "Medici"


@pytest.mark.slow
def test_engine_agrees_with_networkx_on_a_random_weighted_graph():
    rng = np.random.default_rng(5)
    n, m = 60, 400
    sources, targets = rng.integers(0, n, m), rng.integers(0, n, m)
    kinds = rng.choice(["follows", "mentions", "reposts", "collaborated"], m)
    weights = rng.uniform(0.5, 2.0, m)
    graph = build_graph(sources, targets, kinds, weights, None, n)
    reference = to_networkx(graph)
    assert reference.number_of_edges() == graph.ecount()
    expected = nx.pagerank(reference, alpha=0.85, weight="weight", tol=1e-12)
    assert metrics.pagerank(graph) == pytest.approx([expected[i] for i in range(n)], abs=1e-6)
    cores = nx.core_number(nx.Graph(reference.to_undirected()))
    assert metrics.core_numbers(graph.as_undirected()).tolist() == [cores[i] for i in range(n)]


def test_build_graph_sums_parallel_edges_drops_self_loops_and_doubles_collaborations():
    graph = build_graph([0, 0, 1, 2, 2], [1, 1, 1, 0, 3],
                        ["follows", "reposts", "mentions", "collaborated", "unknown"],
                        [1.0, 1.0, 5.0, 1.0, 1.0], {"collaborated": 2.0}, 4)
    edges = {(e.source, e.target): e["weight"] for e in graph.es}
    assert edges == {(0, 1): 1.0 + 3.0, (2, 0): 2.0, (0, 2): 2.0}


@pytest.mark.parametrize(("sources", "targets", "n"), [
    ([], [], 0),  # empty
    ([], [], 1),  # one node
    ([0, 1, 1], [0, 1, 1], 3),  # only self-loops
    ([0, 0, 0], [1, 1, 1], 2),  # duplicate edges
    ([0, 1, 3, 4], [1, 0, 4, 5], 7),  # disconnected parts and an isolated node
])
def test_degenerate_graphs_give_sensible_figures(sources, targets, n):
    graph = build_graph(sources, targets, ["follows"] * len(sources), [1.0] * len(sources),
                        None, n)
    figures = metrics.compute(graph)
    for values in (figures.pagerank, figures.core, figures.betweenness, figures.community):
        assert len(values) == n
        assert np.isfinite(values).all()
    if n:
        assert figures.pagerank.sum() == pytest.approx(1.0)
        assert sorted(set(figures.community.tolist())) == list(
            range(1, len(set(figures.community.tolist())) + 1))


@pytest.mark.slow
def test_sampled_betweenness_is_seeded_and_close_on_a_larger_graph():
    graph = nx.barabasi_albert_graph(3000, 3, seed=1)
    ours, _ = from_networkx(graph)
    projection = ours.as_undirected()
    first = metrics.betweenness(projection, seed=7, samples=200)
    assert np.array_equal(first, metrics.betweenness(projection, seed=7, samples=200))
    exact = metrics.betweenness(projection, seed=7, samples=3000)
    top_exact = set(np.argsort(-exact)[:10].tolist())
    assert len(top_exact & set(np.argsort(-first)[:20].tolist())) >= 8


def test_communities_are_reproducible_and_numbered_by_size():
    graph, _ = from_networkx(nx.les_miserables_graph())
    first = metrics.compute(graph, seed=3).community
    assert np.array_equal(first, metrics.compute(graph, seed=3).community)
    sizes = np.bincount(first)[1:]
    assert (np.diff(sizes) <= 0).all()
    assert metrics.relabel_by_size(np.array([7, 7, 2, 9, 9, 9])).tolist() == [2, 2, 3, 1, 1, 1]


def test_reach_engagement_credibility():
    # accounts: node 0 has two, node 1 one with zero followers, node 2 unknown followers;
    # node 3 has none.
    owner = [0, 0, 1, 2]
    followers = [999, 9_999, 0, None]
    credibility = [None, 0.5, 0.9, None]
    reach = score.reach(owner, followers, credibility, 4)
    assert reach[0] == pytest.approx(3.0 + np.log10(1 + 9_999 * 0.5))
    assert reach[1] == 0.0
    assert np.isnan(reach[2]) and np.isnan(reach[3])
    cred = score.credibility(owner, followers, credibility, 4)
    assert cred[0] == pytest.approx(0.5) and cred[1] == pytest.approx(0.9)
    assert np.isnan(cred[2]) and np.isnan(cred[3])


def test_engagement_is_relative_to_platform_and_tier_and_capped():
    owner = [0, 1, 2, 3, 4]
    platforms = ["instagram", "instagram", "instagram", "tiktok", "instagram"]
    followers = [5_000, 6_000, 7_000, 5_000, 200_000]
    rates = [0.02, 0.04, 0.50, 0.10, None]
    values = score.engagement(owner, platforms, followers, rates, 6)
    assert values[0] == pytest.approx(0.5) and values[1] == pytest.approx(1.0)
    assert values[2] == score.ENGAGEMENT_CAP
    assert values[3] == pytest.approx(1.0)  # alone in its platform: its own median
    assert np.isnan(values[4]) and np.isnan(values[5])
    assert score.tier([9_999, 10_000, 99_999, 499_999, 999_999, 10**7]).tolist() == [
        0, 1, 1, 2, 3, 4]


def test_composite_renormalises_over_known_components():
    scores = score.composite(pagerank=[0.1, 0.2, 0.7], core=[1, 1, 2],
                             reach_values=[1.0, 2.0, np.nan],
                             engagement_values=[np.nan] * 3,
                             credibility_values=[np.nan] * 3)
    assert scores.missing == ["engagement,credibility", "engagement,credibility",
                              "reach,engagement,credibility"]
    assert scores.score[2] == pytest.approx(scores.percentiles["network"][2])
    # node 1: pagerank percentile 50, core 33.3 (tied with node 0) → network 41.7; reach 75
    assert scores.percentiles["network"][1] == pytest.approx((50.0 + 100.0 / 3) / 2)
    assert scores.score[1] == pytest.approx((0.4 * (50.0 + 100.0 / 3) / 2 + 0.3 * 75.0) / 0.7)
    assert ((scores.score >= 0) & (scores.score <= 100)).all()
    assert score.composite([], [], [], [], []).score.size == 0
    assert score.percentile_ranks([4, 4, 4]).tolist() == [50.0, 50.0, 50.0]


def test_community_labels_use_the_commonest_tags():
    labels = score.community_labels([1, 1, 1, 2], [0, 1, 2, 0, 1], ["mode", "mode", "beauté",
                                                                  "beauté", "zen"])
    assert labels == {1: ("beauté · mode", 3), 2: ("Communauté 2", 1)}


def test_communities_recover_a_planted_partition():
    # One Leiden iteration (metrics.LEIDEN_ITERATIONS): the planted groups must still be
    # found, as by more iterations.
    planted = nx.planted_partition_graph(8, 60, 0.2, 0.01, seed=4)
    graph, nodes = from_networkx(planted)
    found = metrics.communities(graph.as_undirected(mode="collapse",
                                                    combine_edges={"weight": "sum"}), seed=1)
    truth = [node // 60 for node in nodes]
    assert igraph.compare_communities(truth, found.tolist(), method="nmi") >= 0.95
    assert len(set(found.tolist())) == 8


@pytest.mark.slow
def test_betweenness_in_a_child_process_equals_the_serial_one():
    graph, _ = from_networkx(nx.barabasi_albert_graph(3000, 3, seed=2))
    serial = metrics.compute(graph, seed=5, parallel_above=10**9)
    forked = metrics.compute(graph, seed=5, parallel_above=0)
    assert "betweenness_wait" in forked.timings and "betweenness_wait" not in serial.timings
    assert np.array_equal(serial.betweenness, forked.betweenness)
    assert np.array_equal(serial.core, forked.core)
    assert np.array_equal(serial.community, forked.community)
    assert serial.pagerank == pytest.approx(forked.pagerank, abs=1e-12)  # PRPACK's last bits


def test_a_failed_child_gives_no_result_so_the_caller_computes_it():
    def slow():
        time.sleep(0.05)
        return np.arange(5.0)

    values, seconds = metrics.Forked(slow, 5).result()
    assert values.tolist() == [0.0, 1.0, 2.0, 3.0, 4.0]
    assert 0.05 <= seconds < 5  # the child's own time, the sleep included
    assert metrics.Forked(lambda: np.zeros(3), 5).result() is None  # wrong size
    assert metrics.Forked(lambda: 1 / 0, 5).result() is None


def test_missing_components_for_every_pattern():
    unknown = np.array([[pattern >> bit & 1 for bit in range(4)] for pattern in range(16)],
                       dtype=bool)
    values = [np.where(unknown[:, bit], np.nan, np.arange(16.0)) for bit in range(4)]
    result = score.composite(values[0], np.ones(16), values[1], values[2], values[3])
    expected = [",".join(name for name, gone in zip(score.COMPONENTS, row, strict=True) if gone)
                or None for row in unknown.tolist()]
    assert result.missing == expected  # network is unknown with its pagerank


@pytest.mark.slow
@settings(max_examples=200, deadline=None)
@given(st.lists(st.one_of(st.integers(-5, 5), st.floats(-1e6, 1e6, allow_nan=False)),
                max_size=60))
def test_average_ranks_agree_with_scipy(values):
    """Ours (numpy) against scipy.stats.rankdata's "average" method, ties included."""
    from scipy.stats import rankdata

    array = np.asarray(values, dtype=float)
    assert score.average_ranks(array).tolist() == pytest.approx(rankdata(array).tolist())


@pytest.mark.slow
def test_the_app_does_not_load_scipy():
    """scipy.stats costs every process 90 MB: the app must not import it."""
    code = ("import sys; from app import create_app; create_app(); "
            "print('scipy' in sys.modules)")
    found = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,  # noqa: S603
                           check=True, env={**os.environ, "RELAIS_ENV": "development"})
    assert found.stdout.strip() == "False"
