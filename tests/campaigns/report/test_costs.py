"""The report's one cost basis (app/campaigns/report/costs.py): committed, spent and the
cost the KPIs use, by hand; and, over random fees, typed costs and operations, the costs
per operation, participant and platform add up to that cost to the cent."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from app.campaigns.report.costs import CostLine, FeeLine, allocate, split
from app.campaigns.report.figures import grouped
from app.campaigns.report.kpis import OperationFigures
from app.models.campaign import STAGES


def test_split_gives_the_odd_cents_to_the_first_shares():
    assert split(100, 3) == [34, 33, 33]
    assert split(2, 3) == [1, 1, 0]
    assert split(0, 2) == [0, 0]
    assert split(120_000, 1) == [120_000]


def test_costs_by_hand():
    costs = allocate(
        [FeeLine(1, "contracted", agreed_fee_cents=100_000),  # 1 000 € over 3 operations
         FeeLine(2, "live", agreed_fee_cents=30_000),  # a typed 100 € leaves 200 € to op 5
         FeeLine(3, "paid", agreed_fee_cents=20_000),  # both operations typed: 80 € left over
         FeeLine(4, "negotiating", proposed_fee_cents=45_000),  # nothing agreed yet
         FeeLine(5, "contracted", agreed_fee_cents=45_000),  # no operation yet
         FeeLine(6, "declined", agreed_fee_cents=99_000)],  # declined: nothing counts
        [CostLine(1, 1), CostLine(2, 1), CostLine(3, 1),
         CostLine(4, 2, entered_cents=10_000), CostLine(5, 2),
         CostLine(6, 3, entered_cents=7_000), CostLine(7, 3, entered_cents=5_000),
         CostLine(8, 4), CostLine(9, 6)])
    assert [costs.by_operation[n] for n in (1, 2, 3)] == [33_334, 33_333, 33_333]
    assert (costs.by_operation[4], costs.by_operation[5]) == (10_000, 20_000)
    assert (costs.by_operation[6], costs.by_operation[7]) == (7_000, 5_000)
    assert costs.by_operation[8] is None and costs.by_operation[9] is None
    assert costs.by_participant == {1: 100_000, 2: 30_000, 3: 20_000, 4: None, 5: 45_000,
                                    6: None}
    assert costs.unallocated == {3: 8_000, 5: 45_000}
    assert costs.committed_cents == 195_000  # every agreed fee but the declined one
    assert costs.proposed_cents == 45_000
    assert costs.spent_cents == 20_000  # participant 3 is marked as paid
    assert costs.cost_cents == 195_000


def test_typed_costs_above_the_fee_cost_more_than_the_fee():
    costs = allocate([FeeLine(1, "live", agreed_fee_cents=10_000)],
                     [CostLine(1, 1, entered_cents=8_000), CostLine(2, 1, entered_cents=5_000),
                      CostLine(3, 1)])
    assert [costs.by_operation[n] for n in (1, 2, 3)] == [8_000, 5_000, 0]
    assert costs.cost_cents == 13_000 and costs.committed_cents == 10_000


def test_a_declined_participant_costs_only_what_was_typed():
    costs = allocate([FeeLine(1, "declined", agreed_fee_cents=10_000)],
                     [CostLine(1, 1, entered_cents=2_500), CostLine(2, 1)])
    assert costs.by_participant == {1: 2_500} and costs.committed_cents == 0


PARTICIPANT = st.tuples(st.sampled_from(STAGES),
                        st.one_of(st.none(), st.integers(0, 10**9)),  # agreed fee
                        st.one_of(st.none(), st.integers(0, 10**9)),  # proposed fee
                        st.lists(st.tuples(st.sampled_from(["instagram", "tiktok", "youtube"]),
                                           st.one_of(st.none(), st.integers(0, 10**8)),
                                           st.one_of(st.none(), st.integers(0, 10**6))),
                                 max_size=7))  # operations: platform, typed cost, likes


@settings(max_examples=300, deadline=None)
@given(st.lists(PARTICIPANT, max_size=8), st.randoms(use_true_random=False))
def test_every_breakdown_adds_up_to_the_cost_the_kpis_use(people, rng):
    fees, lines, figures = [], [], []
    for pid, (stage, agreed, proposed, operations) in enumerate(people, start=1):
        fees.append(FeeLine(pid, stage, agreed, proposed))
        for platform, typed, likes in operations:
            lines.append(CostLine(len(lines) + 1, pid, typed))
            figures.append((len(lines), pid, platform, likes))
    rng.shuffle(lines)  # the order operations come in does not matter
    costs = allocate(fees, lines)
    kpis = grouped([(op_id, pid, OperationFigures(platform=platform, likes=likes,
                                                  cost_cents=costs.by_operation[op_id]))
                    for op_id, pid, platform, likes in figures],
                   [fee.id for fee in fees], costs, per_operation=True)

    def total(items) -> int:
        return sum(k.cost_cents or 0 for k in items)

    cost = kpis.total.cost_cents or 0
    assert cost == costs.cost_cents
    assert total(kpis.by_participant.values()) == cost
    assert total(kpis.by_platform.values()) + kpis.unallocated_cents == cost
    assert total(kpis.by_operation.values()) + kpis.unallocated_cents == cost
    assert all(isinstance(c, int) for c in costs.by_operation.values() if c is not None)
    # The cost is never below what is committed, and what is spent is part of it.
    assert costs.committed_cents <= cost and costs.spent_cents <= cost
    # With no cost typed in, the cost the KPIs use is exactly the committed fees.
    if all(line.entered_cents is None for line in lines):
        assert cost == costs.committed_cents
    # CPE divides that same cost (unknown when no cost is known at all).
    if kpis.total.engagements and kpis.total.cost_cents is not None:
        assert kpis.total.cpe_cents == pytest.approx(cost / kpis.total.engagements)
