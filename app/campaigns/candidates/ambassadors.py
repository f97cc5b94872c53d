"""Propose ambassadors for a campaign: who to sign, within a budget, to reach the most
target people directly and through relays.

The pool is the campaign's candidates (fit.py: the best scores of the latest run, with
their effective reach and fee). People already in the campaign are left out — their audience
is already the campaign's; people without a known or estimated fee may relay but are never
proposed, since nobody can say whether they fit the budget. The relay graph is the latest
relationships among the pool, weighted per kind as the scoring run weighs them, turned into
relay probabilities; the engine (app/scoring/engine/selection.py) is seeded, so the same
campaign, budget and count give the same proposal.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field

import numpy as np
from flask_babel import gettext as _

from app.campaigns.candidates.fit import POOL, Candidate, candidates
from app.campaigns.participants.service import budget_of
from app.core.errors import ServiceError
from app.models import Campaign
from app.scoring import data as scoring_data
from app.scoring import rescoring as scoring
from app.scoring import weights as scoring_weights
from app.scoring.engine import graph as scoring_graph
from app.scoring.engine.selection import relay_probability, select_ambassadors

MAX_COUNT = 50
SEED = scoring.SEED
# RR sets per candidate: 100 keeps 2 000 candidates well under 2 s (bench in the tests) with
# a sampling error on each pick's reach of a few percent.
SAMPLES = 100


@dataclass(frozen=True)
class ProposedPick:
    candidate: Candidate
    reach: float  # target people this pick adds (directly and through relays)
    cumulative_reach: float
    cost_cents: int
    cumulative_cost_cents: int
    opens: tuple[str, ...]  # labels of the communities no earlier pick belongs to


@dataclass
class Proposal:
    budget_cents: int
    max_count: int
    picks: list[ProposedPick] = field(default_factory=list)
    reach: float = 0.0
    cost_cents: int = 0
    pool: int = 0  # candidates considered (not in the campaign)
    selectable: int = 0  # with a known or estimated fee
    links: int = 0  # relay links among them
    strategy: str = ""
    samples: int = 0
    seconds: float = 0.0
    scored: bool = True  # a scoring run exists


def default_budget(campaign: Campaign) -> int | None:
    """What is left of the campaign's budget after the agreed fees (None: no budget)."""
    remaining = budget_of(campaign).remaining_cents
    return None if remaining is None else max(0, remaining)


def _checked(budget_cents, max_count) -> tuple[int, int]:
    if isinstance(budget_cents, bool) or not isinstance(budget_cents, int) or budget_cents < 0:
        raise ServiceError(_("Give a budget of zero or more."))
    if isinstance(max_count, bool) or not isinstance(max_count, int) or not (
            1 <= max_count <= MAX_COUNT):
        raise ServiceError(_("The number of ambassadors is between 1 and %(max)d.",
                             max=MAX_COUNT))
    return budget_cents, max_count


def relay_graph(people: list[Candidate]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(amplifier, amplified, probability) by index in `people`: the links among them with
    the run's kind weights (collaborations both ways, parallel links added up)."""
    ids = np.array(sorted(c.influencer_id for c in people), dtype=np.int64)
    index = {c.influencer_id: i for i, c in enumerate(people)}
    order = np.array([index[i] for i in ids.tolist()], dtype=np.int64)
    source, target, kinds, weights = scoring_data.edges_among(ids.tolist())
    src = order[np.searchsorted(ids, source)] if len(source) else source
    dst = order[np.searchsorted(ids, target)] if len(target) else target
    graph = scoring_graph.build_graph(src, dst, kinds, weights,
                                      scoring_weights.get_settings()["kind_weights"], len(people))
    pairs = np.array(graph.get_edgelist(), dtype=np.int64).reshape(-1, 2)
    probability = relay_probability(graph.es["weight"] if graph.ecount() else [])
    return pairs[:, 0], pairs[:, 1], probability


def propose(campaign: Campaign, budget_cents: int, max_count: int, *,
            samples: int = SAMPLES, limit: int = POOL) -> Proposal:
    """The proposal for this budget (cents, never exceeded) and count (1–MAX_COUNT)."""
    budget_cents, max_count = _checked(budget_cents, max_count)
    started = time.perf_counter()
    proposal = Proposal(budget_cents=budget_cents, max_count=max_count)
    found = candidates(campaign, limit=limit)
    proposal.scored = found.run is not None
    people = [c for c in found.items if c.stage is None]
    proposal.pool = len(people)
    proposal.selectable = sum(1 for c in people if c.fee_cents)
    if not people:
        proposal.seconds = round(time.perf_counter() - started, 3)
        return proposal
    amplifier, amplified, probability = relay_graph(people)
    proposal.links = len(amplifier)
    selection = select_ambassadors(
        [c.fee_cents or 0 for c in people], [c.reach for c in people], amplifier, amplified,
        probability, budget_cents, max_count=max_count,
        communities=[c.community for c in people], seed=SEED, samples=samples)
    labels = {c.community: c.community_label for c in people}
    spent = 0
    for pick in selection.picks:
        spent += pick.cost
        proposal.picks.append(ProposedPick(
            candidate=people[pick.index], reach=pick.reach,
            cumulative_reach=pick.cumulative_reach, cost_cents=pick.cost,
            cumulative_cost_cents=spent,
            opens=tuple(labels.get(number) or str(number) for number in pick.opens)))
    proposal.reach, proposal.cost_cents = selection.reach, selection.cost
    proposal.strategy, proposal.samples = selection.strategy, selection.samples
    proposal.seconds = round(time.perf_counter() - started, 3)
    return proposal
