"""Seeding a campaign's candidates: people with accounts and audience snapshots, a finished
scoring run with chosen scores and communities, platform CPMs, relay links."""

from __future__ import annotations

from datetime import date

from app.extensions import db
from app.models import Community, InfluencerScore, PlatformRate, Relationship, ScoringRun
from tests import factories


def person(name: str, *accounts, **kw):
    """accounts: (platform, followers, credibility, shares or None)."""
    influencer = factories.make_influencer(
        display_name=name, accounts=[
            {"platform": platform, "handle": f"{name.lower().replace(' ', '_')}_{platform}",
             "followers": followers, "credibility": credibility}
            for platform, followers, credibility, _shares in accounts], **kw)
    for account, (_platform, _f, _c, shares) in zip(influencer.accounts, accounts, strict=True):
        if shares:
            factories.add_snapshot(account, shares, taken_on=date(2026, 1, 1))
    return influencer


def scored(scores: dict, labels: dict[int, str] | None = None) -> ScoringRun:
    """A finished run: {influencer: (score, community)}; community labels by number."""
    run = ScoringRun(status="done", progress=100, nodes=len(scores))
    db.session.add(run)
    db.session.flush()
    for influencer, (score, community) in scores.items():
        db.session.add(InfluencerScore(
            run_id=run.id, influencer_id=influencer.id, pagerank=0.1, core=1, betweenness=0.0,
            community=community, score=score, network_percentile=50.0))
    sizes: dict[int, int] = {}
    for _score, community in scores.values():
        sizes[community] = sizes.get(community, 0) + 1
    for number, size in sizes.items():
        db.session.add(Community(run_id=run.id, number=number,
                                 label=(labels or {}).get(number, ""), size=size))
    db.session.commit()
    return run


def rates(**cents):
    for platform, cpm in cents.items():
        db.session.add(PlatformRate(platform=platform, cpm_cents=cpm, currency="EUR"))
    db.session.commit()


def relate(source, target, kind="reposts", weight=1.0):
    db.session.add(Relationship(source_id=source.id, target_id=target.id, kind=kind,
                                weight=weight, origin="manual"))
    db.session.commit()
