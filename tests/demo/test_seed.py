"""Demo data: counts, denormalised columns, unique handles, coherent audiences, a working
admin login, and a second run that adds to the first without clashing."""

from __future__ import annotations

import re
from collections import defaultdict

import pytest
from sqlalchemy import func, select

from app.codes import KINDS
from app.collation import fold, sort_key
from app.demo import seed as demo
from app.models import (
    AudienceShare,
    AudienceSnapshot,
    Brand,
    Influencer,
    Interaction,
    Relationship,
    SocialAccount,
    User,
)
from tests.factories import make_influencer

pytestmark = pytest.mark.slow  # each test seeds or migrates a whole database

LOGIN = re.compile(r"Admin login: (\S+) / (\S+)")


def _seed(runner, count: int):
    result = runner.invoke(args=["demo", "seed", "--influencers", str(count)])
    assert result.exit_code == 0, result.output
    return result.output


def test_seed_writes_a_coherent_demo(runner, client, db):
    assert demo.is_empty()
    output = _seed(runner, 200)
    assert "Seeded 200 influencers" in output
    assert not demo.is_empty()
    scalar = db.session.scalar
    assert scalar(select(func.count()).select_from(Influencer)) == 200
    assert scalar(select(func.count()).select_from(Brand)) >= 6
    assert scalar(select(func.count()).select_from(Relationship)) >= 200
    assert scalar(select(func.count()).select_from(Interaction)) > 0
    follow_ups = db.session.execute(select(Interaction.occurred_at, Interaction.follow_up_on)
                                    .where(Interaction.follow_up_on.is_not(None))).all()
    assert follow_ups and all(due >= at.date() for at, due in follow_ups)
    roles = set(db.session.scalars(select(User.role)))
    assert roles == {"admin", "manager", "member", "viewer"}

    # The admin can log in with the password printed once.
    email, password = LOGIN.search(output).groups()
    response = client.post("/login", data={"email": email, "password": password})
    assert response.status_code == 302 and "/login" not in response.headers["Location"]


def test_denormalised_columns_match_the_accounts(runner, db):
    _seed(runner, 200)
    for influencer in db.session.scalars(select(Influencer)):
        accounts = influencer.accounts
        assert accounts, influencer
        assert influencer.followers_total == sum(a.followers for a in accounts)
        assert influencer.engagement_rate == max(a.engagement_rate for a in accounts)
        for account in accounts:
            assert account.handle in influencer.search_text
        assert fold(influencer.display_name) in influencer.search_text  # accent-blind
        assert influencer.sort_name == sort_key(influencer.display_name)
        assert influencer.data_source and influencer.lawful_basis
        assert 0.6 <= accounts[0].credibility <= 0.98
    pairs = db.session.execute(select(SocialAccount.platform, SocialAccount.handle)).all()
    assert len(pairs) == len(set(pairs))
    kinds = set(db.session.scalars(select(Influencer.kind)))
    assert len(kinds) >= 6 and kinds <= set(KINDS)


def test_audiences_add_up_and_rank_from_the_largest(runner, db):
    _seed(runner, 200)
    shares = defaultdict(list)
    for share in db.session.scalars(select(AudienceShare)):
        shares[(share.snapshot_id, share.dimension)].append(share)
    assert {d for _s, d in shares} == {"gender", "age", "country", "interest"}
    for (_snapshot, dimension), rows in shares.items():
        total = sum(r.share for r in rows)
        if dimension in ("gender", "age"):
            assert abs(total - 1) < 0.002, (dimension, total)
        elif dimension == "country":  # the top three; the rest of the world is implied
            assert total <= 1.0001
        else:  # interests overlap: each share alone is a proportion
            assert all(0 < r.share <= 1 for r in rows)
        ranked = sorted(rows, key=lambda r: r.rank)
        assert [r.rank for r in ranked] == list(range(1, len(rows) + 1))
        assert [r.share for r in ranked] == sorted((r.share for r in rows), reverse=True)
    history = db.session.scalar(select(func.count()).select_from(AudienceSnapshot)
                                .where(AudienceSnapshot.is_latest.is_(False)))
    assert history >= 9  # at least three accounts show a year of growth
    stale = db.session.scalar(select(func.count()).select_from(AudienceShare).where(
        AudienceShare.is_latest.is_(False)))
    assert stale > 0


def test_seeding_twice_adds_without_clashing(runner, db):
    _seed(runner, 50)
    output = _seed(runner, 30)
    assert "Admin login" not in output  # the admin exists: no new password
    assert db.session.scalar(select(func.count()).select_from(Influencer)) == 80
    assert db.session.scalar(select(func.count()).select_from(Brand)) == 6
    # The new rows got fresh ids: a record added by hand afterwards does not collide.
    seeded = db.session.scalar(select(func.max(Influencer.id)))
    typed = make_influencer(display_name="Typed in")
    assert typed.id > seeded
    assert db.session.scalar(select(func.count()).select_from(Influencer)) == 81


def test_if_empty_does_nothing_on_a_used_database(runner, db):
    _seed(runner, 10)
    result = runner.invoke(args=["demo", "seed", "--influencers", "10", "--if-empty"])
    assert result.exit_code == 0 and "not seeded" in result.output
    assert db.session.scalar(select(func.count()).select_from(Influencer)) == 10


def test_same_seed_same_people(app, db):
    first = demo.seed(20, seed=7)
    names = list(db.session.scalars(select(Influencer.display_name).order_by(Influencer.id)))
    assert first["influencers"] == 20 and len(set(names)) > 10


def test_demo_campaigns_cover_the_workflow_and_have_figures(runner, db):
    from app.campaigns.report.figures import campaign_kpis
    from app.models import Campaign, Operation, Participant, PlatformRate

    _seed(runner, 300)
    campaigns = list(db.session.scalars(select(Campaign).order_by(Campaign.id)))
    assert {c.status for c in campaigns} == {"completed", "active", "planned", "draft"}
    assert db.session.scalar(select(func.count()).select_from(PlatformRate)) >= 10
    stages = set(db.session.scalars(select(Participant.stage)))
    assert {"paid", "live", "contracted", "shortlisted", "declined"} <= stages
    statuses = set(db.session.scalars(select(Operation.status)))
    assert {"published", "planned"} <= statuses
    for op in db.session.scalars(select(Operation)):
        assert op.campaign_id == op.participant.campaign_id
        if op.status == "published":
            assert op.reach and op.impressions >= op.reach and op.published_url
        else:
            assert op.reach is None
    completed = next(c for c in campaigns if c.status == "completed")
    total = campaign_kpis(completed.id).total
    assert total.engagement_rate_reach and total.emv_cents and total.cost_cents
    # seeding again adds influencers but no second set of campaigns
    _seed(runner, 10)
    assert db.session.scalar(select(func.count()).select_from(Campaign)) == len(campaigns)


def test_the_demo_has_contracts_in_several_states_with_real_documents(runner, db):
    from app.models import Contract, ContractDocument

    output = _seed(runner, 200)
    statuses = dict(db.session.execute(
        select(Contract.status, func.count()).group_by(Contract.status)).all())
    assert {"draft", "pending_approval", "approved", "sent", "signed", "active",
            "completed"} <= set(statuses), (statuses, output)
    signed = db.session.scalars(select(ContractDocument).where(
        ContractDocument.kind == "signed")).all()
    assert len(signed) == 3  # signed, active, completed
    assert all(d.content.startswith(b"%PDF-") and d.source_sha256 for d in signed)


def test_the_demo_ships_with_a_first_scoring_run(runner, db, client_as):
    """`flask demo seed` scores what it seeded: candidates and ambassadors are not empty on
    first launch (before, both pages said "No scores yet" until someone rescored)."""
    from app.models import Campaign, InfluencerScore, ScoringRun
    from app.scoring import rescoring
    from tests.factories import make_user

    output = _seed(runner, 200)
    run = rescoring.latest_run()
    assert run is not None and f"scoring run {run.id}" in output
    assert (run.status, run.nodes, run.progress) == ("done", 200, 100)
    assert db.session.scalar(select(func.count()).select_from(InfluencerScore)
                             .where(InfluencerScore.run_id == run.id)) == 200
    assert db.session.scalar(select(func.count()).select_from(ScoringRun)) == 1
    campaign = db.session.scalar(select(Campaign).where(Campaign.status == "planned")
                                 .order_by(Campaign.id))
    member = client_as(make_user("member"))
    for page in ("candidates", "ambassadors?budget=5000&max_count=5"):
        html = member.get(f"/campaigns/{campaign.id}/{page}").get_data(as_text=True)
        assert "No scores yet" not in html, page
        assert len(set(re.findall(r'href="/influencers/(\d+)"', html))) >= 5, page
