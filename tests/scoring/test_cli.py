"""`flask network score [--json]`: rescoring from the command line, one JSON object or a
short summary; non-zero with a one-line reason on failure."""

from __future__ import annotations

import json

from sqlalchemy import select

from app.extensions import db
from app.models import Relationship, ScoringRun
from app.scoring import rescoring as scoring
from tests import factories


def _network():
    hub = factories.make_influencer(display_name="Hub", accounts=[
        {"platform": "instagram", "handle": "hub", "followers": 50_000}])
    for _ in range(12):
        fan = factories.make_influencer()
        db.session.add(Relationship(source_id=fan.id, target_id=hub.id, kind="mentions"))
    db.session.commit()
    return hub


def test_json_shape(runner):
    hub = _network()
    result = runner.invoke(args=["network", "score", "--json"])
    assert result.exit_code == 0, result.output
    report = json.loads(result.output)
    assert (report["nodes"], report["edges"]) == (13, 12)
    run = db.session.scalars(select(ScoringRun)).one()
    assert run.status == "done" and report["seconds"] == run.seconds  # the run's, as stored
    assert len(report["top"]) == 10
    first = report["top"][0]
    assert set(first) == {"influencer_id", "name", "score", "pagerank", "core", "community"}
    assert (first["influencer_id"], first["name"], first["core"]) == (hub.id, "Hub", 1)
    assert first["community"] == "Community 1"  # no common tag: the English fallback
    scores = [row["score"] for row in report["top"]]
    assert scores == sorted(scores, reverse=True)


def test_summary(runner):
    _network()
    result = runner.invoke(args=["network", "score"])
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0].startswith("Scored 13 influencers over 12 edges in ")
    assert lines[1].startswith("  1. Hub — ")


def test_failure_exits_non_zero_with_one_line(runner, monkeypatch):
    def broken(*_args, **_kwargs):
        raise RuntimeError("engine exploded\nwith a traceback-like tail")

    monkeypatch.setattr(scoring.metrics, "compute", broken)
    result = runner.invoke(args=["network", "score", "--json"])
    assert result.exit_code == 1
    assert result.output.strip() == "Error: scoring failed: RuntimeError: engine exploded"
