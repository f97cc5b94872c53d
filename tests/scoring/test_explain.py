"""The profile's "why this score" panel: the latest finished run's figures, each component's
percentile, weight and contribution (adding up to the score), missing components, the
community link; the empty states; the run's own weights rather than today's settings."""

from __future__ import annotations

import re
from datetime import UTC, datetime

import pytest

from app.extensions import db as _db
from app.models import Community, InfluencerScore, ScoringRun
from app.models.network import Relationship
from app.scoring import explain as score_explain
from app.scoring import rescoring as scoring
from app.scoring import weights
from tests import factories


def make_run(status: str = "done", weights: dict | None = None, nodes: int = 40,
             **kw) -> ScoringRun:
    run = ScoringRun(status=status, nodes=nodes, edges=90,
                     parameters={"score_weights": weights} if weights is not None else {},
                     finished_at=kw.pop("finished_at", datetime(2026, 3, 14, 9, 30, tzinfo=UTC)),
                     **kw)
    _db.session.add(run)
    _db.session.commit()
    return run


def make_score(run: ScoringRun, influencer_id: int, **kw) -> InfluencerScore:
    values = {"pagerank": 0.0125, "core": 4, "betweenness": 0.0321, "community": 2,
              "reach": 5.12, "engagement": 1.4, "credibility": 0.82, "score": 0.0,
              "network_percentile": 80.0, "reach_percentile": 60.0,
              "engagement_percentile": 50.0, "credibility_percentile": 90.0, "missing": None}
    values.update(kw)
    row = InfluencerScore(run_id=run.id, influencer_id=influencer_id, **values)
    _db.session.add(row)
    _db.session.commit()
    return row


def contributions(html: str) -> dict[str, float]:
    """The contribution column as shown (English: "29.3")."""
    found = {}
    for name, body in re.findall(r'<tr class="component-(\w+)">(.*?)</tr>', html, re.S):
        cells = re.findall(r'<td class="num">([^<]*)</td>', body)
        found[name] = float(cells[-1])
    return found


def shown_score(html: str) -> float:
    return float(re.search(r'<span class="score-value">([\d.]+)</span>', html).group(1))


@pytest.mark.slow
def test_breakdown_adds_up_to_the_engines_score(viewer_client):
    # A real run on a tiny network: the panel's contributions must add up to the score the
    # engine stored (so the explanation weights and renormalises exactly as it does).
    people = [factories.make_influencer(accounts=[{
        "platform": "instagram", "handle": f"p{i}", "followers": 1000 * (i + 1) ** 2,
        "engagement_rate": 0.01 * (i % 4 + 1), "credibility": 0.5 + 0.05 * i}])
        for i in range(7)]
    people.append(factories.make_influencer())  # no account: reach and co. unknown
    for i, person in enumerate(people):
        target = people[(i * 3 + 1) % len(people)]
        if target.id != person.id:
            _db.session.add(Relationship(source_id=person.id, target_id=target.id,
                                         kind="mentions"))
    _db.session.commit()
    run = scoring.rescore()
    assert run.status == "done"
    for person in people:
        stored = _db.session.query(InfluencerScore).filter_by(
            run_id=run.id, influencer_id=person.id).one()
        explanation = score_explain.explain(person.id)
        exact = sum(c["contribution"] for c in explanation["components"])
        assert exact == pytest.approx(stored.score, abs=1e-6)
        html = viewer_client.get(f"/influencers/{person.id}").get_data(as_text=True)
        assert abs(sum(contributions(html).values()) - shown_score(html)) <= 0.1 + 1e-9
    # The account-less person: three components unknown, left out.
    html = viewer_client.get(f"/influencers/{people[-1].id}").get_data(as_text=True)
    assert html.count("not known — left out of the score") == 3


def test_components_percentiles_weights_and_contributions(viewer_client):
    person = factories.make_influencer(display_name="Inès")
    run = make_run(weights={"network": 2, "reach": 1, "engagement": 1, "credibility": 0})
    _db.session.add(Community(run_id=run.id, number=2, label="cuisine · voyage", size=17))
    # network 80×0.5 + reach 60×0.25 + engagement 50×0.25 + credibility ×0 = 67.5
    make_score(run, person.id, score=67.5)
    html = viewer_client.get(f"/influencers/{person.id}").get_data(as_text=True)
    assert "Why this score" in html and shown_score(html) == 67.5
    assert contributions(html) == {"network": 40.0, "reach": 15.0, "engagement": 12.5,
                                   "credibility": 0.0}
    network = re.search(r'<tr class="component-network">(.*?)</tr>', html, re.S).group(1)
    assert "PageRank 0.012500 · core 4" in network
    assert '<meter min="0" max="100" value="80.0"' in network and "> 80</td>" in network
    assert "2.00" in network and "(50%)" in network  # its weight and share of the weights
    assert "1.40× the median" in html and "82%" in html and "5.12" in html
    assert "0.0321" in html  # betweenness
    assert f'href="/network/?center={person.id}"' in html
    assert "cuisine · voyage" in html and "17 people" in html
    assert "3/14/26" in html and "among 40 scored influencers" in html


def test_run_weights_win_over_todays_settings(viewer_client):
    person = factories.make_influencer()
    run = make_run(weights={"network": 1, "reach": 0, "engagement": 0, "credibility": 0})
    make_score(run, person.id, score=80.0)
    weights.save_settings({}, {"network": 0, "reach": 1})  # changed after the run
    explanation = score_explain.explain(person.id)
    assert [c["contribution"] for c in explanation["components"]] == [80.0, 0.0, 0.0, 0.0]


def test_run_without_stored_weights_uses_the_defaults_merged(db):
    person = factories.make_influencer()
    run = make_run(weights={"reach": 0})  # the others: the engine's defaults
    make_score(run, person.id, score=0)
    shares = {c["name"]: c["share"] for c in score_explain.explain(person.id)["components"]}
    assert shares["reach"] == 0 and shares["network"] == pytest.approx(0.4 / 0.7)


def test_missing_components_are_left_out_and_weights_renormalised(viewer_client):
    person = factories.make_influencer()
    run = make_run(weights={"network": 0.4, "reach": 0.3, "engagement": 0.2,
                            "credibility": 0.1})
    make_score(run, person.id, score=80.0 * 0.4 / 0.7 + 60.0 * 0.3 / 0.7,
               engagement=None, credibility=None, engagement_percentile=None,
               credibility_percentile=None, missing="engagement,credibility")
    explanation = score_explain.explain(person.id)
    rows = {c["name"]: c for c in explanation["components"]}
    assert not rows["engagement"]["known"] and rows["engagement"]["contribution"] == 0
    assert rows["network"]["share"] == pytest.approx(4 / 7)
    assert sum(c["contribution"] for c in rows.values()) == pytest.approx(explanation["score"])
    html = viewer_client.get(f"/influencers/{person.id}").get_data(as_text=True)
    assert html.count("not known — left out of the score") == 2
    shown = contributions(html)
    assert set(shown) == {"network", "reach"}  # the missing rows show "—"
    assert abs(sum(shown.values()) - shown_score(html)) <= 0.1


def test_shown_contributions_round_to_the_shown_score(db):
    # Three equal thirds of 100/3: each rounds to 11.1, yet the shown ones must add to 33.3.
    person = factories.make_influencer()
    run = make_run(weights={"network": 1, "reach": 1, "engagement": 1, "credibility": 0})
    make_score(run, person.id, score=100 / 3, network_percentile=100 / 3,
               reach_percentile=100 / 3, engagement_percentile=100 / 3)
    rows = score_explain.explain(person.id)["components"]
    assert round(sum(c["shown"] for c in rows), 1) == 33.3
    assert all(abs(c["shown"] - c["contribution"]) < 0.1 for c in rows)


def test_no_run_yet_is_an_empty_state(viewer_client):
    person = factories.make_influencer()
    make_run(status="running", finished_at=None)  # not finished: not shown
    html = viewer_client.get(f"/influencers/{person.id}").get_data(as_text=True)
    assert "Not scored yet" in html and "no run has finished yet" in html
    assert "<code>flask network score</code>" in html and 'href="/network/"' in html
    assert "score-value" not in html


def test_person_not_in_the_latest_run(viewer_client):
    person = factories.make_influencer()
    older = make_run()
    make_score(older, person.id, score=55.0)
    make_run()  # the latest finished run does not hold this person (added since)
    html = viewer_client.get(f"/influencers/{person.id}").get_data(as_text=True)
    assert "Not scored yet" in html and "was not in the latest scoring run" in html
    assert "score-value" not in html


def test_latest_finished_run_is_shown_not_a_failed_one(viewer_client):
    person = factories.make_influencer()
    run = make_run()
    make_score(run, person.id, score=42.0)
    make_run(status="failed")
    html = viewer_client.get(f"/influencers/{person.id}").get_data(as_text=True)
    assert shown_score(html) == 42.0


def test_community_without_a_row_still_links(viewer_client):
    person = factories.make_influencer()
    run = make_run()
    make_score(run, person.id, score=10.0, community=7)
    html = viewer_client.get(f"/influencers/{person.id}").get_data(as_text=True)
    assert "Community 7" in html and f"/network/?center={person.id}" in html


def test_french(viewer_client):
    person = factories.make_influencer()
    make_score(make_run(), person.id, score=67.5)
    viewer_client.environ_base["HTTP_ACCEPT_LANGUAGE"] = "fr"
    viewer_client.user.locale = "fr"
    _db.session.commit()
    html = viewer_client.get(f"/influencers/{person.id}").get_data(as_text=True)
    assert "67,5" in html
