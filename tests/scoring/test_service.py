"""Rescoring on a small database: scores written in bulk, runs stored, campaign
collaborations derived, degenerate people scored, older runs' scores pruned."""

from __future__ import annotations

import math

import numpy as np
import pytest
from sqlalchemy import delete, func, select

from app.core.errors import ServiceError
from app.extensions import db
from app.models import (
    Community,
    Influencer,
    InfluencerScore,
    Relationship,
    ScoringRun,
    Tag,
)
from app.scoring import data as scoring_data
from app.scoring import rescoring as scoring
from app.scoring import weights
from tests import factories


def _relate(source, target, kind="follows", weight=1.0, origin="manual"):
    db.session.add(Relationship(source_id=source.id, target_id=target.id, kind=kind,
                                weight=weight, origin=origin))
    db.session.commit()


def _scores(run) -> dict[int, InfluencerScore]:
    return {row.influencer_id: row for row in db.session.scalars(
        select(InfluencerScore).where(InfluencerScore.run_id == run.id))}


@pytest.fixture()
def people(db):
    beauty = Tag(name="beauté")
    star = factories.make_influencer(
        display_name="Star", accounts=[{"platform": "instagram", "handle": "star",
                                        "followers": 250_000, "engagement_rate": 0.03,
                                        "credibility": 0.8}])
    star.tags.append(beauty)
    fans = [factories.make_influencer(
        accounts=[{"platform": "instagram", "handle": f"fan{i}", "followers": 2_000 + i,
                   "engagement_rate": 0.05}]) for i in range(4)]
    for fan in fans:
        fan.tags.append(beauty)
        _relate(fan, star, "reposts")
    nobody = factories.make_influencer(display_name="No accounts")
    zero = factories.make_influencer(
        display_name="Zero", accounts=[{"platform": "tiktok", "handle": "zero", "followers": 0}])
    gone = factories.make_influencer(display_name="Deleted")
    _relate(gone, star)
    from app.models.base import utcnow
    gone.deleted_at = utcnow()
    db.session.commit()
    return {"star": star, "fans": fans, "nobody": nobody, "zero": zero, "gone": gone}


def test_rescore_writes_a_score_for_every_live_influencer(people):
    progress = []
    run = scoring.rescore(progress=progress.append)
    assert progress[0] == 0 and progress[-1] == 100 and progress == sorted(progress)
    assert (run.status, run.nodes, run.edges) == ("done", 7, 4)
    assert run.seconds > 0 and {"read", "build", "pagerank", "core", "write"} <= set(run.timings)
    assert run.parameters["kind_weights"]["reposts"] == 3.0
    scores = _scores(run)
    assert people["gone"].id not in scores and len(scores) == 7
    star = scores[people["star"].id]
    assert max(scores.values(), key=lambda row: row.pagerank) is star
    assert star.core == 1 and star.reach == pytest.approx(math.log10(1 + 250_000 * 0.8))
    assert star.credibility == pytest.approx(0.8) and star.engagement == pytest.approx(1.0)
    nobody, zero = scores[people["nobody"].id], scores[people["zero"].id]
    assert nobody.reach is None and nobody.missing == "reach,engagement,credibility"
    assert zero.reach == 0.0 and zero.missing == "engagement,credibility"
    assert all(0 <= row.score <= 100 for row in scores.values())
    label = db.session.scalar(select(Community.label).where(
        Community.run_id == run.id, Community.number == star.community))
    assert label == "beauté"
    assert scoring.latest_run().id == run.id


def test_collaborations_are_derived_from_shared_signed_campaigns(db):
    a, b, c = (factories.make_influencer() for _ in range(3))
    campaign = factories.make_campaign()
    factories.make_participant(campaign, a, stage="contracted")
    factories.make_participant(campaign, b, stage="paid")
    factories.make_participant(campaign, c, stage="shortlisted")  # not signed: no edge
    run = scoring.rescore()
    assert run.edges == 2  # a→b and b→a
    scores = _scores(run)
    assert scores[a.id].core == scores[b.id].core == 1 and scores[c.id].core == 0
    assert scores[a.id].community == scores[b.id].community != scores[c.id].community


def test_rerun_keeps_the_latest_runs_scores_only(people):
    runs = [scoring.rescore() for _ in range(scoring.KEEP_RUNS + 1)]
    assert scoring.latest_run().id == runs[-1].id
    kept = set(db.session.scalars(select(InfluencerScore.run_id).distinct()))
    assert kept == {run.id for run in runs[1:]}
    assert db.session.scalar(select(func.count()).select_from(ScoringRun)) == len(runs)
    assert not db.session.scalar(select(func.count()).select_from(Community)
                                 .where(Community.run_id == runs[0].id))
    first, last = _scores(runs[1]), _scores(runs[-1])
    assert {k: v.score for k, v in first.items()} == {k: v.score for k, v in last.items()}


def test_empty_database_gives_an_empty_run(db):
    run = scoring.rescore()
    assert (run.status, run.nodes, run.edges) == ("done", 0, 0)
    assert scoring.top(run) == []


def test_a_failure_is_stored_on_the_run(people, monkeypatch):
    def broken(*_args, **_kwargs):
        raise RuntimeError("engine exploded")

    monkeypatch.setattr(scoring.metrics, "compute", broken)
    with pytest.raises(RuntimeError):
        scoring.rescore()
    run = db.session.scalar(select(ScoringRun).order_by(ScoringRun.id.desc()))
    assert run.status == "failed" and "engine exploded" in run.error
    assert scoring.latest_run() is None
    assert not db.session.scalar(select(func.count()).select_from(InfluencerScore))


def test_settings_weights_change_the_scores(people):
    weights.save_settings({"reposts": 0},
                          {"network": 0, "reach": 1, "engagement": 0, "credibility": 0})
    assert weights.get_settings()["kind_weights"]["reposts"] == 0.0
    run = scoring.rescore()
    assert run.edges == 0  # reposts weigh nothing now; the other edge is a deleted person's
    scores = _scores(run)
    assert scores[people["star"].id].score == pytest.approx(
        scores[people["star"].id].reach_percentile)


@pytest.mark.parametrize(("kinds", "components"), [
    ({"nope": 1}, {}), ({"follows": "abc"}, {}), ({"follows": -1}, {}),
    ({}, {"network": 0, "reach": 0, "engagement": 0, "credibility": 0}),
    ({}, {"network": float("nan")}),
])
def test_bad_settings_are_refused(db, kinds, components):
    with pytest.raises(ServiceError):
        weights.save_settings(kinds, components)


def test_edge_columns_read_every_edge_as_the_plain_query_does(people):
    # PostgreSQL reads the edges packed in one binary value: the same edges and values as
    # the plain rows (an unknown kind as -1).
    star, fan = people["star"], people["fans"][0]
    _relate(star, fan, "mentions")
    _relate(fan, people["zero"], "unknown-kind", weight=2.5)
    a, b = factories.make_influencer(), factories.make_influencer()
    campaign = factories.make_campaign()
    factories.make_participant(campaign, a, stage="live")
    factories.make_participant(campaign, b, stage="delivered")
    db.session.commit()
    rows = sorted(scoring_data.fetch(scoring_data.edges_sql()))
    columns = scoring_data.edge_columns()
    assert all(column.size == len(rows) for column in columns)
    assert columns[0].dtype == columns[2].dtype == np.int64
    assert sorted(zip(*(column.tolist() for column in columns), strict=True)) == [
        (int(s), int(t), int(k), float(w)) for s, t, k, w in rows]
    assert (star.id, fan.id, 1, 1.0) in zip(*(c.tolist() for c in columns), strict=True)
    assert (min(a.id, b.id), max(a.id, b.id), 3, 1.0) in zip(*(c.tolist() for c in columns),
                                                             strict=True)
    assert scoring_data.live_ids().tolist() == sorted(
        person.id for person in (star, *people["fans"], people["nobody"], people["zero"], a, b))


def test_prune_also_drops_scores_whose_run_is_gone(people):
    run = scoring.rescore()
    # run_id has no foreign key (migration 0006): scores of a run deleted by hand stay
    # until the next run prunes them.
    db.session.add(InfluencerScore(run_id=run.id + 1000, influencer_id=people["star"].id,
                                   pagerank=0.1, core=0, betweenness=0.0, community=1,
                                   score=1.0, network_percentile=1.0))
    db.session.commit()
    latest = scoring.rescore()
    kept = set(db.session.scalars(select(InfluencerScore.run_id).distinct()))
    assert kept == {run.id, latest.id}


def test_deleting_an_influencer_deletes_their_scores(people):
    run = scoring.rescore()
    fan = people["fans"][0].id
    db.session.execute(delete(Relationship).where(Relationship.source_id == fan))
    db.session.execute(delete(Influencer).where(Influencer.id == fan))
    db.session.commit()
    scores = _scores(run)
    assert fan not in scores and len(scores) == 6


def test_write_stores_unknown_values_as_null_with_either_database(people):
    run = scoring.rescore()
    nobody = db.session.execute(
        select(InfluencerScore.reach, InfluencerScore.engagement_percentile,
               InfluencerScore.missing, InfluencerScore.core)
        .where(InfluencerScore.run_id == run.id,
               InfluencerScore.influencer_id == people["nobody"].id)).one()
    assert tuple(nobody) == (None, None, "reach,engagement,credibility", 0)
