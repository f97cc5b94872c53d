""""Why this score": one influencer's figures in the latest finished scoring run, broken
down the way app.scoring.engine.score.composite built the score.

The weights are the run's own (its stored parameters), not today's settings, so the
breakdown always adds up to the score that run stored.
"""

from __future__ import annotations

import math
from typing import Any

from sqlalchemy import and_, func, select

from app.extensions import db
from app.models import Community, InfluencerScore, ScoringRun
from app.scoring.engine.score import COMPONENTS, DEFAULT_SCORE_WEIGHTS


def explain(influencer_id: int) -> dict[str, Any] | None:
    """None when no run has finished yet; otherwise {"run": …, "scored": bool, …} with, when
    the influencer was in the run, the score, its components and its community."""
    latest = (select(func.max(ScoringRun.id)).where(ScoringRun.status == "done")
              .scalar_subquery())
    row = db.session.execute(
        select(ScoringRun, InfluencerScore, Community)
        .outerjoin(InfluencerScore, and_(InfluencerScore.run_id == ScoringRun.id,
                                         InfluencerScore.influencer_id == influencer_id))
        .outerjoin(Community, and_(Community.run_id == ScoringRun.id,
                                   Community.number == InfluencerScore.community))
        .where(ScoringRun.id == latest)).first()
    if row is None:
        return None
    run, figures, community = row
    when = run.finished_at or run.started_at
    result: dict[str, Any] = {"run": {"id": run.id, "finished_at": when, "nodes": run.nodes},
                              "scored": figures is not None}
    if figures is None:
        return result
    weights = run_weights(run.parameters)
    result.update(
        score=figures.score,
        components=components(figures, weights),
        pagerank=figures.pagerank, core=figures.core, betweenness=figures.betweenness,
        community={"number": figures.community,
                   "label": community.label if community else None,
                   "size": community.size if community else None},
    )
    return result


def run_weights(parameters: dict[str, Any] | None) -> dict[str, float]:
    """The score weights a run used: its stored ones over the defaults, as the engine
    merges them; the settings in force for an old run that stored none."""
    stored = (parameters or {}).get("score_weights")
    if not isinstance(stored, dict):
        from app.scoring.weights import get_settings

        stored = get_settings()["score_weights"]
    merged = {**DEFAULT_SCORE_WEIGHTS, **stored}
    return {name: _weight(merged.get(name)) for name in COMPONENTS}


def _weight(value: Any) -> float:
    try:
        number = float(value)
    except (TypeError, ValueError):
        return 0.0
    return max(number, 0.0) if math.isfinite(number) else 0.0


def components(figures: InfluencerScore, weights: dict[str, float]) -> list[dict[str, Any]]:
    """Per component: its raw figure, percentile, weight, share of the weight among the known
    components and contribution (percentile × share). Unknown components are left out and
    the other weights renormalised, exactly as composite() does, so the contributions add up
    to the score."""
    percentiles = {
        "network": figures.network_percentile,
        "reach": figures.reach_percentile,
        "engagement": figures.engagement_percentile,
        "credibility": figures.credibility_percentile,
    }
    raw = {"network": figures.pagerank, "reach": figures.reach,
           "engagement": figures.engagement, "credibility": figures.credibility}
    known = {name: _known(value) for name, value in percentiles.items()}
    weight_sum = sum(weights[name] for name in COMPONENTS if known[name])
    rows = []
    for name in COMPONENTS:
        share = weights[name] / weight_sum if known[name] and weight_sum > 0 else 0.0
        rows.append({
            "name": name, "known": known[name], "raw": raw[name] if known[name] else None,
            "percentile": percentiles[name] if known[name] else None,
            "weight": weights[name], "share": share,
            "contribution": percentiles[name] * share if known[name] else 0.0,
        })
    _round_to_total(rows)
    return rows


def _known(value: float | None) -> bool:
    return value is not None and math.isfinite(value)


def _round_to_total(rows: list[dict[str, Any]], digits: int = 1) -> None:
    """`shown`: each contribution rounded so that the shown ones add up to the rounded total
    (largest remainders), so the table never seems to miscount by a rounding."""
    scale = 10 ** digits
    exact = [row["contribution"] * scale for row in rows]
    target = round(sum(exact))
    floors = [math.floor(value) for value in exact]
    order = sorted(range(len(rows)), key=lambda i: exact[i] - floors[i], reverse=True)
    for i in order[:max(target - sum(floors), 0)]:
        floors[i] += 1
    for row, value in zip(rows, floors, strict=True):
        row["shown"] = value / scale

