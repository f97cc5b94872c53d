"""The candidates' tests: a finished scoring run with chosen scores and communities, and an
English request context for the services' messages."""

from __future__ import annotations

import pytest
from flask_babel import force_locale

from app.models import Community, InfluencerScore, ScoringRun


@pytest.fixture()
def english(app, db):
    with app.test_request_context(), force_locale("en"):
        yield


@pytest.fixture()
def scored(db):
    """Writes a finished run: `scored({influencer: (score, community)}, labels={1: "mode"})`,
    communities labelled by number."""

    def scored(scores: dict, labels: dict[int, str] | None = None) -> ScoringRun:
        run = ScoringRun(status="done", progress=100, nodes=len(scores))
        db.session.add(run)
        db.session.flush()
        for influencer, (score, community) in scores.items():
            db.session.add(InfluencerScore(
                run_id=run.id, influencer_id=influencer.id, pagerank=0.1, core=1,
                betweenness=0.0, community=community, score=score, network_percentile=50.0))
        sizes: dict[int, int] = {}
        for _score, community in scores.values():
            sizes[community] = sizes.get(community, 0) + 1
        for number, size in sizes.items():
            db.session.add(Community(run_id=run.id, number=number,
                                     label=(labels or {}).get(number, ""), size=size))
        db.session.commit()
        return run

    return scored
