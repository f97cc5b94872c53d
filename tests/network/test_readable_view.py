"""What the readable network view reads from /network/graph.json: the communities of the
people on show with their run's labels and sizes, the people whose names are always drawn,
each person's handles for the search, and how many links of each kind are drawn; and the
palette of network.css, legible on white."""

from __future__ import annotations

import re
from pathlib import Path

from app.extensions import db as _db
from app.models import Community, InfluencerScore, ScoringRun
from app.network import graph_view as network_view
from tests.factories import make_influencer, make_relationship

CSS = Path(__file__).parents[2] / "app" / "static" / "css" / "network.css"


def _run(scores: dict, communities: dict[int, tuple[str, int]]) -> ScoringRun:
    """A finished run: person → (score, community), and its Community rows."""
    run = ScoringRun(status="done", progress=100)
    _db.session.add(run)
    _db.session.flush()
    for person, (value, community) in scores.items():
        _db.session.add(InfluencerScore(
            run_id=run.id, influencer_id=person.id, pagerank=0.1, core=1, betweenness=0.0,
            community=community, score=value, network_percentile=50.0))
    for number, (label, size) in communities.items():
        _db.session.add(Community(run_id=run.id, number=number, label=label, size=size))
    _db.session.commit()
    return run


def test_communities_come_with_the_runs_labels_and_sizes(viewer_client):
    a, b, c = (make_influencer(display_name=n) for n in ("Alba", "Bruno", "Chloé"))
    make_relationship(a, b)
    make_relationship(c, a, kind="mentions")
    _run({a: (80.0, 1), b: (60.0, 1), c: (40.0, 2)},
         {1: ("mode · beauté", 120), 2: ("sport", 1)})
    data = viewer_client.get("/network/graph.json").get_json()
    assert data["communities"] == [
        {"number": 1, "label": "mode · beauté", "size": 120, "shown": 2,
         "size_text": "120 people"},
        {"number": 2, "label": "sport", "size": 1, "shown": 1, "size_text": "1 person"}]
    nodes = {n["data"]["label"]: n["data"] for n in data["nodes"]}
    assert nodes["Chloé"]["community_label"] == "sport"
    assert nodes["Alba"]["score_text"] == "80.0"


def test_community_sizes_read_in_french(viewer_client):
    a, b = make_influencer(display_name="Alba"), make_influencer(display_name="Bruno")
    make_relationship(a, b)
    _run({a: (80.0, 1), b: (60.0, 3)}, {1: ("mode", 1_200)})  # no row for community 3
    viewer_client.user.locale = "fr"
    _db.session.commit()
    data = viewer_client.get("/network/graph.json").get_json()
    by_number = {c["number"]: c for c in data["communities"]}
    assert by_number[1]["size_text"].replace("\u202f", " ").replace("\xa0", " ") == (
        "1 200 personnes")
    assert by_number[3]["label"] == "Communauté 3" and by_number[3]["size"] == 1
    assert {n["data"]["label"]: n["data"]["score_text"] for n in data["nodes"]} == {
        "Alba": "80,0", "Bruno": "60,0"}


def test_no_communities_before_any_run(viewer_client):
    a, b = make_influencer(display_name="Alba"), make_influencer(display_name="Bruno")
    make_relationship(a, b)
    data = viewer_client.get("/network/graph.json").get_json()
    assert data["communities"] == []
    assert all(n["data"]["community"] is None and n["data"]["score_text"] == ""
               for n in data["nodes"])


def test_only_the_best_scored_people_are_always_labelled(viewer_client):
    people = [make_influencer(display_name=f"P{i:02}") for i in range(network_view.LABELLED + 5)]
    for a, b in zip(people, people[1:], strict=False):
        make_relationship(a, b)
    _run({p: (float(i), 1) for i, p in enumerate(people)}, {1: ("tout", len(people))})
    data = viewer_client.get("/network/graph.json?limit=50").get_json()
    labelled = {n["data"]["label"] for n in data["nodes"] if n["data"]["labelled"]}
    assert labelled == {p.display_name for p in people[5:]}  # the 15 best scores


def test_before_any_run_the_most_followed_are_labelled(viewer_client):
    people = [make_influencer(display_name=f"F{i:02}", accounts=[{
        "platform": "instagram", "handle": f"f{i}", "followers": 1_000 * (i + 1)}])
        for i in range(network_view.LABELLED + 2)]
    data = viewer_client.get("/network/graph.json?limit=50").get_json()
    unlabelled = {n["data"]["label"] for n in data["nodes"] if not n["data"]["labelled"]}
    assert unlabelled == {people[0].display_name, people[1].display_name}


def test_the_center_is_labelled_whatever_its_score(viewer_client):
    people = [make_influencer(display_name=f"N{i:02}") for i in range(network_view.LABELLED + 3)]
    hub = people[0]
    for other in people[1:]:
        make_relationship(other, hub)
    _run({p: (float(100 - i) if i else 1.0, 1) for i, p in enumerate(people)}, {})
    data = viewer_client.get(f"/network/graph.json?center={hub.id}").get_json()
    nodes = {n["data"]["label"]: n["data"] for n in data["nodes"]}
    assert nodes["N00"]["labelled"] and nodes["N00"]["center"]
    assert sum(n["labelled"] for n in nodes.values()) == network_view.LABELLED + 1


def test_handles_come_with_each_person_for_the_search(viewer_client):
    a = make_influencer(display_name="Alba", accounts=[
        {"platform": "instagram", "handle": "alba.style"},
        {"platform": "tiktok", "handle": "alba.style"},
        {"platform": "youtube", "handle": "AlbaTV"}])
    b = make_influencer(display_name="Bruno")
    make_relationship(a, b)
    data = viewer_client.get(f"/network/graph.json?center={a.id}").get_json()
    assert {n["data"]["label"]: n["data"]["handles"] for n in data["nodes"]} == {
        "Alba": ["alba.style", "AlbaTV"], "Bruno": []}


def test_links_are_counted_per_kind(viewer_client):
    a, b, c = (make_influencer(display_name=n) for n in "ABC")
    make_relationship(a, b, kind="reposts")
    make_relationship(a, c, kind="reposts")
    make_relationship(b, c, kind="mentions")
    everything = viewer_client.get(f"/network/graph.json?center={a.id}").get_json()
    assert everything["kind_counts"] == {
        "follows": 0, "mentions": 1, "reposts": 2, "collaborated": 0, "same_agency": 0,
        "audience_overlap": 0}
    reposts = viewer_client.get(f"/network/graph.json?center={a.id}&kind=reposts").get_json()
    assert reposts["kind_counts"] == {"reposts": 2} and reposts["kinds"] == ["reposts"]


def test_the_page_offers_the_legend_search_export_and_table(viewer_client):
    html = viewer_client.get("/network/").get_data(as_text=True)
    for needed in ("cytoscape-fcose.js", "layout-base.js", "cose-base.js",
                   'id="network-query"', 'id="network-png"', 'id="network-communities"',
                   'form="network-filters" name="kind" value="reposts"', 'id="network-people"'):
        assert needed in html
    assert html.index("cytoscape.min.js") < html.index("layout-base.js") < html.index(
        "cose-base.js") < html.index("cytoscape-fcose.js") < html.index("js/network.js")


def _contrast(hex_colour: str) -> float:
    """WCAG contrast ratio of a colour against white."""
    def channel(value: int) -> float:
        c = value / 255
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4
    r, g, b = (int(hex_colour[i:i + 2], 16) for i in (1, 3, 5))
    luminance = 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b)
    return 1.05 / (luminance + 0.05)


def test_the_palette_is_legible_on_white():
    colours = dict(re.findall(r"--((?:community|kind)-[\w-]+):\s*(#[0-9a-fA-F]{6})",
                              CSS.read_text()))
    assert len([n for n in colours if re.fullmatch(r"community-\d+", n)]) == 12
    assert {f"kind-{k}" for k in network_view.RELATIONSHIP_KINDS} <= set(colours)
    weak = {name: round(_contrast(c), 2) for name, c in colours.items() if _contrast(c) < 3}
    assert not weak, weak
    communities = [c.lower() for n, c in colours.items() if n.startswith("community-")]
    assert len(set(communities)) == len(communities)  # twelve different colours
