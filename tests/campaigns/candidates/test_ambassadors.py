"""Proposing ambassadors (app/campaigns/candidates/ambassadors.py) on tiny data:
hand-computed reaches, the budget never exceeded, participants and unknown fees never
proposed, reproducible."""

from __future__ import annotations

import math

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from app.campaigns.candidates import ambassadors
from app.campaigns.candidates.fit import candidates
from app.core.errors import ServiceError
from app.extensions import db
from tests import factories
from tests.factories import make_person, make_platform_rates, make_relationship

# The CPM is 10 € per 1 000 followers: each estimated fee in cents equals the followers.
CPM = 1_000


@pytest.fixture()
def trio(db, english, scored):
    make_platform_rates(instagram=CPM)
    a = make_person("Ana", ("instagram", 10_000, None, None))
    b = make_person("Ben", ("instagram", 4_000, None, None))
    c = make_person("Cleo", ("instagram", 3_000, None, None))
    scored({a: (90.0, 1), b: (60.0, 2), c: (50.0, 2)}, labels={1: "mode"})
    return {"a": a, "b": b, "c": c, "campaign": factories.make_campaign()}


def _names(proposal):
    return [p.candidate.name for p in proposal.picks]


def test_two_cheap_picks_beat_one_that_does_not_fit(trio):
    proposal = ambassadors.propose(trio["campaign"], 7_000, 5)
    assert sorted(_names(proposal)) == ["Ben", "Cleo"]  # Ana (100 €) is over the budget
    assert proposal.reach == 7_000 and proposal.cost_cents == 7_000
    last = proposal.picks[-1]
    assert last.cumulative_reach == 7_000 and last.cumulative_cost_cents == 7_000
    assert [p.reach for p in proposal.picks] == [4_000, 3_000]
    # Ben opens community 2; Cleo is in the same one: it opens nothing new.
    assert [p.opens for p in proposal.picks] == [("Community 2",), ()]
    assert proposal.pool == 3 and proposal.selectable == 3 and proposal.links == 0


def test_the_budget_and_the_count_bound_the_proposal(trio):
    assert _names(ambassadors.propose(trio["campaign"], 10_000, 5)) == ["Ana"]
    assert _names(ambassadors.propose(trio["campaign"], 17_000, 5)) == ["Ana", "Ben", "Cleo"]
    assert _names(ambassadors.propose(trio["campaign"], 17_000, 1)) == ["Ana"]
    assert ambassadors.propose(trio["campaign"], 2_999, 5).picks == []


def test_relays_add_their_expected_audience(trio):
    make_relationship(trio["c"], trio["a"], "reposts")  # Cleo relays Ana: 1 − e^(−0.1 × 3) ≈ 26 %
    proposal = ambassadors.propose(trio["campaign"], 10_000, 1, samples=200)
    assert _names(proposal) == ["Ana"] and proposal.links == 1
    expected = 10_000 + (1 - math.exp(-0.3)) * 3_000
    assert proposal.reach == pytest.approx(expected, abs=4 * 3_000 * math.sqrt(0.26 * 0.74 / 200))
    assert proposal.reach > 10_000


def test_participants_and_unknown_fees_are_not_proposed(trio, scored):
    factories.make_participant(trio["campaign"], trio["a"])
    person_without_rate = make_person("Dora", ("youtube", 50_000, None, None))
    scored({trio["a"]: (90.0, 1), trio["b"]: (60.0, 2), trio["c"]: (50.0, 2),
            person_without_rate: (95.0, 3)})
    proposal = ambassadors.propose(trio["campaign"], 1_000_000, 10)
    assert sorted(_names(proposal)) == ["Ben", "Cleo"]
    assert proposal.pool == 3 and proposal.selectable == 2


def test_the_proposal_uses_the_candidates_fit(db, english, scored):
    """Same fit as the candidates page: a person without audience data is estimated at the
    others' median (here 50 % French), not counted as 100 % on target, so the measured
    90 % French one is the better buy at the same fee."""
    make_platform_rates(instagram=CPM)
    unknown = make_person("Ana", ("instagram", 10_000, None, None))
    good = make_person("Ben", ("instagram", 10_000, None, {"country": {"FR": 0.9}}))
    others = [make_person(name, ("instagram", 10_000, None, {"country": {"FR": share}}))
              for name, share in (("Cleo", 0.3), ("Dora", 0.5))]
    scored({unknown: (95.0, 1), good: (60.0, 2), others[0]: (50.0, 3), others[1]: (40.0, 4)})
    campaign = factories.make_campaign(target_countries="FR")
    proposal = ambassadors.propose(campaign, 10_000, 1)
    assert _names(proposal) == ["Ben"] and proposal.reach == pytest.approx(9_000)
    fits = {c.name: c for c in candidates(campaign).items}
    assert fits["Ana"].fit.estimated and fits["Ana"].reach == pytest.approx(5_000)
    assert proposal.picks[0].candidate == fits["Ben"]
    everyone = ambassadors.propose(campaign, 40_000, 4)
    assert {p.candidate.name: p.candidate.fit for p in everyone.picks} == {
        name: c.fit for name, c in fits.items()}


def test_same_input_same_proposal(trio):
    make_relationship(trio["b"], trio["a"], "follows")
    make_relationship(trio["c"], trio["b"], "mentions")
    first = ambassadors.propose(trio["campaign"], 15_000, 3)
    again = ambassadors.propose(trio["campaign"], 15_000, 3)
    assert [(p.candidate.influencer_id, p.reach) for p in first.picks] == [
        (p.candidate.influencer_id, p.reach) for p in again.picks]


def test_relay_graph_maps_ids_to_the_pool_order(trio):
    make_relationship(trio["c"], trio["a"], "reposts")
    make_relationship(trio["a"], trio["b"], "collaborated")  # both ways
    people = candidates(trio["campaign"]).items  # Ana, Ben, Cleo by score
    amplifier, amplified, probability = ambassadors.relay_graph(people[::-1])  # Cleo, Ben, Ana
    links = {(int(s), int(t)): round(float(p), 4)
             for s, t, p in zip(amplifier, amplified, probability, strict=True)}
    assert links == {(0, 2): round(1 - math.exp(-0.3), 4), (2, 1): round(1 - math.exp(-0.2), 4),
                     (1, 2): round(1 - math.exp(-0.2), 4)}


def test_default_budget_is_what_is_left(trio):
    campaign = trio["campaign"]
    assert ambassadors.default_budget(campaign) is None
    campaign.budget_cents = 50_000
    factories.make_participant(campaign, trio["a"], agreed_fee_cents=20_000)
    assert ambassadors.default_budget(campaign) == 30_000
    factories.make_participant(campaign, trio["b"], agreed_fee_cents=40_000)
    assert ambassadors.default_budget(campaign) == 0


@pytest.mark.parametrize(("budget", "count"), [(-1, 3), (100, 0), (100, 51), (None, 3),
                                                (100, None), (1.5, 3), (True, 3)])
def test_impossible_requests_are_refused(trio, budget, count):
    with pytest.raises(ServiceError):
        ambassadors.propose(trio["campaign"], budget, count)


def test_no_scoring_run(db, english):
    proposal = ambassadors.propose(factories.make_campaign(), 10_000, 3)
    assert not proposal.scored and proposal.picks == []


@pytest.fixture()
def network(db, english, scored):
    make_platform_rates(instagram=CPM, tiktok=CPM // 2)
    people = [make_person(f"P{i}", ("instagram", 1_000 + 937 * i % 9_000, 0.9, None),
                          ("tiktok", 500 * (i % 4), None, None)) for i in range(12)]
    scored({p: (90.0 - i, i % 3) for i, p in enumerate(people)})
    for i in range(12):
        make_relationship(people[i], people[(i * 5 + 1) % 12],
                          ("follows", "reposts", "mentions")[i % 3])
    return factories.make_campaign()


@settings(max_examples=25, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(budget=st.integers(0, 40_000), count=st.integers(1, 50))
def test_budget_is_never_exceeded(network, budget, count):
    proposal = ambassadors.propose(network, budget, count, samples=20)
    costs = [p.cost_cents for p in proposal.picks]
    assert sum(costs) == proposal.cost_cents <= budget
    assert len(proposal.picks) <= count
    assert all(p.candidate.fee_cents == p.cost_cents > 0 for p in proposal.picks)
    assert len({p.candidate.influencer_id for p in proposal.picks}) == len(proposal.picks)
    if proposal.picks:
        assert proposal.picks[-1].cumulative_cost_cents == proposal.cost_cents
    db.session.rollback()
