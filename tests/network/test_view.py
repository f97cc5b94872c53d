"""The network view (app/network/graph_view.py): the page, and the bounded graph it
fetches — top influencers or one person's 1-2 hop neighbourhood, edge kinds filterable,
never a 500."""

from __future__ import annotations

import itertools
from urllib.parse import quote

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select

from app.extensions import db as _db
from app.models import Relationship
from app.network import graph_view as network_view
from tests.factories import make_influencer


def _link(source, target, kind="reposts", weight=1.0):
    _db.session.add(Relationship(source_id=source.id, target_id=target.id, kind=kind,
                                 weight=weight))
    _db.session.commit()


_handles = itertools.count()


def _chain(n: int):
    """a → b → c … with growing followers (the last one is the most followed)."""
    people = [make_influencer(display_name=f"P{i}", accounts=[{
        "platform": "instagram", "handle": f"chain{next(_handles)}", "followers": 1_000 * (i + 1)}])
        for i in range(n)]
    for a, b in zip(people, people[1:], strict=False):
        _link(a, b)
    return people


def test_page_for_everyone_who_can_read(viewer_client):
    page = viewer_client.get("/network/")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert 'id="network-graph"' in html and "cytoscape.min.js" in html
    assert "/network/graph.json" in html


def test_top_influencers_and_the_links_between_them(viewer_client):
    people = _chain(4)
    data = viewer_client.get("/network/graph.json?limit=10").get_json()
    assert [n["data"]["label"] for n in data["nodes"]] == ["P3", "P2", "P1", "P0"]
    assert {(e["data"]["source"], e["data"]["target"]) for e in data["edges"]} == {
        (str(a.id), str(b.id)) for a, b in zip(people, people[1:], strict=False)}
    assert all(n["data"]["size"] > 20 for n in data["nodes"])


def test_neighbourhood_one_and_two_hops(viewer_client):
    a, b, c, d = _chain(4)
    one = viewer_client.get(f"/network/graph.json?center={b.id}&hops=1").get_json()
    assert {n["data"]["label"] for n in one["nodes"]} == {"P0", "P1", "P2"}
    assert [n["data"]["center"] for n in one["nodes"]].count(True) == 1
    two = viewer_client.get(f"/network/graph.json?center={b.id}&hops=2").get_json()
    assert {n["data"]["label"] for n in two["nodes"]} == {"P0", "P1", "P2", "P3"}
    assert len(two["edges"]) == 3


def test_edge_kinds_filter(viewer_client):
    a, b, c = (make_influencer(display_name=n) for n in "ABC")
    _link(a, b, "reposts")
    _link(a, c, "follows")
    data = viewer_client.get(f"/network/graph.json?center={a.id}&kind=follows").get_json()
    assert {n["data"]["label"] for n in data["nodes"]} == {"A", "C"}
    assert [e["data"]["kind"] for e in data["edges"]] == ["follows"]


def test_parallel_edges_add_up_and_self_loops_are_left_out(viewer_client):
    a, b = make_influencer(display_name="A"), make_influencer(display_name="B")
    _link(a, b, weight=2)
    _link(a, b, weight=3)
    _link(a, a)
    data = viewer_client.get(f"/network/graph.json?center={a.id}").get_json()
    assert [(e["data"]["source"], e["data"]["weight"]) for e in data["edges"]] == [
        (str(a.id), 5.0)]


def test_unknown_or_trashed_center_is_a_404(viewer_client):
    from app.models.base import utcnow

    gone = make_influencer(display_name="Gone")
    gone.deleted_at = utcnow()
    _db.session.commit()
    for center in (gone.id, 999_999):
        assert viewer_client.get(f"/network/graph.json?center={center}").status_code == 404
        assert viewer_client.get(f"/network/?center={center}").status_code == 404


def test_the_graph_is_bounded(db, monkeypatch):
    monkeypatch.setattr(network_view, "NEIGHBOURS_PER_HOP", 3)
    hub = make_influencer(display_name="Hub")
    for i in range(10):
        _link(make_influencer(display_name=f"F{i}"), hub, weight=i + 1)
    data = network_view.graph(network_view.GraphRequest(center=hub.id, hops=1))
    assert len(data["nodes"]) == 4  # the hub and its three strongest links
    assert {n["data"]["label"] for n in data["nodes"]} == {"Hub", "F9", "F8", "F7"}


@pytest.mark.slow
def test_query_count_does_not_grow_with_the_graph(db, count_statements):
    small = _chain(3)
    big = _chain(30)

    def run(center):
        return lambda: network_view.graph(network_view.GraphRequest(center=center.id, hops=2))

    assert count_statements(run(small[1])) == count_statements(run(big[1]))


def test_anonymous_visitors_are_sent_to_the_login_page(client, db):
    for path in ("/network/graph.json", "/network/"):
        response = client.get(path)
        assert response.status_code == 302
        assert response.headers["Location"] == f"/login?next={quote(path, safe='')}"


def test_a_viewer_reads_the_graph(viewer_client):
    assert viewer_client.get("/network/graph.json").status_code == 200


@pytest.mark.slow
@given(query=st.dictionaries(st.sampled_from(["center", "hops", "limit", "kind", "x"]),
                             st.text(max_size=30), max_size=4))
@settings(max_examples=40, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
def test_hostile_query_strings_never_fail(viewer_client, query):
    response = viewer_client.get("/network/graph.json", query_string=query)
    assert response.status_code in (200, 400, 404)
    page = viewer_client.get("/network/", query_string=query)
    assert page.status_code in (200, 400, 404)


def test_sizes_and_colours_come_from_the_latest_scoring_run(viewer_client):
    from app.scoring import rescoring as scoring

    a, b, c = _chain(3)
    scoring.rescore()
    data = viewer_client.get(f"/network/graph.json?center={b.id}").get_json()
    nodes = {n["data"]["label"]: n["data"] for n in data["nodes"]}
    assert all(n["score"] is not None and n["community"] is not None for n in nodes.values())
    assert all(n["size"] == round(20 + n["score"] * 0.5, 1) for n in nodes.values())
    assert all(n["community_label"] for n in nodes.values())


def test_rescore_button_runs_a_scoring_job_and_the_page_shows_the_run(member_client):
    from app.models import ScoringRun

    _chain(3)
    page = member_client.get("/network/").get_data(as_text=True)
    assert "No scoring run yet" in page and "/network/rescore" in page
    response = member_client.post("/network/rescore")  # jobs run inline in tests
    assert response.status_code == 302
    run = _db.session.scalar(select(ScoringRun).order_by(ScoringRun.id.desc()))
    assert run.status == "done" and run.progress == 100 and run.nodes == 3
    page = member_client.get("/network/").get_data(as_text=True)
    assert "3 people, 2 links" in page
    partial = member_client.get("/network/rescore/progress").get_data(as_text=True)
    assert "hx-trigger" not in partial  # nothing runs: the polling stops


def test_a_second_run_is_refused_while_one_is_in_progress(member_client):
    from app.models import ScoringRun

    _db.session.add(ScoringRun(status="running", progress=40))
    _db.session.commit()
    partial = member_client.get("/network/rescore/progress").get_data(as_text=True)
    assert 'value="40"' in partial and "hx-trigger" in partial
    response = member_client.post("/network/rescore", follow_redirects=True)
    assert "already in progress" in response.get_data(as_text=True)
    assert _db.session.scalar(select(func.count()).select_from(ScoringRun)) == 1


def test_viewer_cannot_rescore(viewer_client):
    assert viewer_client.post("/network/rescore").status_code == 403


def test_top_view_ranks_by_the_latest_scores_once_a_run_exists(viewer_client):
    from app.models import InfluencerScore, ScoringRun

    people = _chain(3)  # P2 has the most followers
    run = ScoringRun(status="done", progress=100)
    _db.session.add(run)
    _db.session.flush()
    for person, value in zip(people, (90.0, 10.0, 50.0), strict=True):
        _db.session.add(InfluencerScore(
            run_id=run.id, influencer_id=person.id, pagerank=0.1, core=1, betweenness=0.0,
            community=1, score=value, network_percentile=50.0))
    _db.session.commit()
    data = viewer_client.get("/network/graph.json?limit=10").get_json()
    assert [n["data"]["label"] for n in data["nodes"]] == ["P0", "P2", "P1"]
