"""The report's one cost basis: what is committed, what is spent, and the cost the KPIs use,
spread over operations in whole cents so that every breakdown adds up. Plain Python.

- *Committed*: the agreed fees of the participants not declined (the budget panel's
  figure too).
- *Spent*: the cost of the participants marked as paid (the "paid" stage).
- *Cost* (what CPE, CPM and ROI divide): each participant not declined costs their agreed
  fee, or the costs typed on their operations when these add up to more. An operation costs
  the cost typed on it; what is left of the fee is shared equally among the participant's
  other operations, the first operations (by id) taking the odd cents. A fee that no
  operation carries (no operation yet, or every operation has a typed cost) counts apart,
  as "not on an operation yet". A participant without an agreed fee (or declined) costs
  only the costs typed on their operations; their other operations have no known cost.

So the costs per operation plus the part not on an operation, the costs per participant
and the costs per platform all add up to the same total, to the cent.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

# Stage codes (app/models/campaign.py STAGES) this module reads.
DECLINED = "declined"
PAID = "paid"


@dataclass(frozen=True, slots=True)
class FeeLine:
    """What the costs need of one participant."""

    id: int
    stage: str
    agreed_fee_cents: int | None = None
    proposed_fee_cents: int | None = None


@dataclass(frozen=True, slots=True)
class CostLine:
    """What the costs need of one operation: its participant and the cost typed on it."""

    id: int
    participant_id: int
    entered_cents: int | None = None


@dataclass
class Costs:
    """The allocation: money in cents, None where a cost is not known."""

    by_operation: dict[int, int | None] = field(default_factory=dict)
    by_participant: dict[int, int | None] = field(default_factory=dict)
    unallocated: dict[int, int] = field(default_factory=dict)  # participant → fee left over
    committed_cents: int = 0
    proposed_cents: int = 0
    spent_cents: int = 0

    @property
    def cost_cents(self) -> int:
        """The cost the KPIs use (unknown costs count for nothing)."""
        return sum(c for c in self.by_participant.values() if c is not None)

    @property
    def unallocated_cents(self) -> int:
        return sum(self.unallocated.values())


def split(amount: int, parts: int) -> list[int]:
    """`amount` cents in `parts` shares that differ by one cent at most and add up to it
    exactly; the first shares take the odd cents."""
    base, odd = divmod(amount, parts)
    return [base + 1 if n < odd else base for n in range(parts)]


def _fee(line: FeeLine) -> int | None:
    return None if line.stage == DECLINED else line.agreed_fee_cents


def _participant(costs: Costs, line: FeeLine, operations: list[CostLine]) -> int | None:
    """Sets the costs of one participant's operations (by id) and the part of the fee no
    operation carries; → the participant's cost."""
    typed = [op.entered_cents for op in operations if op.entered_cents is not None]
    rest = [op for op in operations if op.entered_cents is None]
    for op in operations:
        costs.by_operation[op.id] = op.entered_cents
    fee = None if line.stage == DECLINED else line.agreed_fee_cents
    if fee is None:
        return sum(typed) if typed else None
    left = max(fee - sum(typed), 0)
    if rest:
        for op, share in zip(rest, split(left, len(rest)), strict=True):
            costs.by_operation[op.id] = share
    elif left:
        costs.unallocated[line.id] = left
    return sum(typed) + left


def allocate(participants: Iterable[FeeLine], operations: Iterable[CostLine]) -> Costs:
    """The costs of a campaign's participants and operations (see the module's rule).
    Every operation belongs to one of `participants`."""
    costs = Costs()
    ops_of: dict[int, list[CostLine]] = defaultdict(list)
    for op in sorted(operations, key=lambda o: o.id):
        ops_of[op.participant_id].append(op)
    for line in participants:
        cost = _participant(costs, line, ops_of.get(line.id, []))
        costs.by_participant[line.id] = cost
        if line.stage != DECLINED:
            costs.committed_cents += line.agreed_fee_cents or 0
            if line.agreed_fee_cents is None:
                costs.proposed_cents += line.proposed_fee_cents or 0
        if line.stage == PAID and cost is not None:
            costs.spent_cents += cost
    return costs
