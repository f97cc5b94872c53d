"""What the network view draws: a bounded piece of the relay graph, as Cytoscape elements.

Two views: the top influencers (best scores of the latest run, or the
most followed before any run) and the edges between them, or one person's neighbourhood
(1 or 2 hops). Both stay small whatever the database holds — at most `MAX_NODES` people,
the strongest edges first, at most `MAX_EDGES` edges — so that the browser stays fluid
with 100 000 influencers: every query reads an index (the run's score index or the
followers sort index, the relationship source/target indexes) and is limited.

Sizes and colours come from the latest scoring run when there is one (score, community);
otherwise from the followers, with no community.
"""

from __future__ import annotations

import math
from collections import defaultdict
from dataclasses import dataclass

from flask_babel import gettext as _
from sqlalchemy import func, select

from app.extensions import db
from app.models import Influencer, InfluencerScore, Relationship
from app.models.network import RELATIONSHIP_KINDS
from app.scoring import rescoring as scoring

MAX_NODES = 200
MAX_EDGES = 1_500
NEIGHBOURS_PER_HOP = 60  # the strongest links of each person kept per hop


@dataclass(frozen=True)
class GraphRequest:
    center: int | None = None  # None: the top influencers
    hops: int = 1
    kinds: tuple[str, ...] = RELATIONSHIP_KINDS
    limit: int = 100


def parse_request(args) -> GraphRequest:
    """Query-string arguments, any of them missing or hostile → sensible bounds."""
    def number(name: str, default: int, low: int, high: int) -> int:
        try:
            value = int(str(args.get(name, default))[:9])
        except ValueError:
            return default
        return min(high, max(low, value))

    kinds = tuple(k for k in args.getlist("kind") if k in RELATIONSHIP_KINDS)
    return GraphRequest(
        center=number("center", 0, 0, 2**31 - 1) or None,
        hops=number("hops", 1, 1, 2),
        kinds=kinds or RELATIONSHIP_KINDS,
        limit=number("limit", 100, 10, MAX_NODES),
    )


def graph(request: GraphRequest) -> dict:
    session = db.session
    edges_query = select(Relationship.source_id, Relationship.target_id, Relationship.kind,
                         func.sum(Relationship.weight).label("weight")).where(
        Relationship.kind.in_(request.kinds), Relationship.source_id != Relationship.target_id)
    if request.center is None:
        ids = _top(request.limit)
    else:
        ids = _neighbourhood(request)
        if ids is None:
            return {}
    chosen = set(ids)
    rows = session.execute(
        edges_query.where(Relationship.source_id.in_(ids), Relationship.target_id.in_(ids))
        .group_by(Relationship.source_id, Relationship.target_id, Relationship.kind)
        .order_by(func.sum(Relationship.weight).desc()).limit(MAX_EDGES)).all() if ids else []
    people = {i: (name, followers) for i, name, followers in session.execute(
        select(Influencer.id, Influencer.display_name, Influencer.followers_total)
        .where(Influencer.id.in_(ids)))} if ids else {}
    scores = scoring.latest_scores(ids)
    degree: dict[int, int] = defaultdict(int)
    for source, target, _kind, _weight in rows:
        degree[source] += 1
        degree[target] += 1
    nodes = []
    for ident in ids:
        if ident not in people:
            continue
        name, followers = people[ident]
        score, community, label = scores.get(ident, (None, None, None))
        if community is not None and not label:
            label = _("Community %(number)s", number=community)
        size = 20 + (score * 0.5 if score is not None
                     else 4 * math.log10(1 + (followers or 0)))
        nodes.append({"data": {
            "id": str(ident), "label": name, "followers": followers or 0,
            "score": None if score is None else round(score, 1),
            "community": community, "community_label": label, "size": round(size, 1),
            "degree": degree[ident], "center": ident == request.center}})
    edges = [{"data": {"id": f"{s}-{t}-{k}", "source": str(s), "target": str(t), "kind": k,
                       "weight": round(float(w or 0), 3)}}
             for s, t, k, w in rows if s in chosen and t in chosen]
    return {"nodes": nodes, "edges": edges, "center": request.center,
            "hops": request.hops, "kinds": list(request.kinds),
            "truncated": len(rows) >= MAX_EDGES}


def _top(limit: int) -> list[int]:
    """The best scores of the latest run (its (run, score) index), or before any run the
    most followed people (the followers sort index)."""
    run = scoring.latest_run()
    if run is not None:
        return list(db.session.scalars(
            select(InfluencerScore.influencer_id)
            .join(Influencer, Influencer.id == InfluencerScore.influencer_id)
            .where(InfluencerScore.run_id == run.id, Influencer.deleted_at.is_(None))
            .order_by(InfluencerScore.score.desc(), InfluencerScore.influencer_id)
            .limit(limit)))
    return list(db.session.scalars(
        select(Influencer.id).where(Influencer.deleted_at.is_(None))
        .order_by(Influencer.followers_total.desc(), Influencer.id).limit(limit)))


def _neighbourhood(request: GraphRequest) -> list[int] | None:
    """The center, then up to NEIGHBOURS_PER_HOP strongest neighbours of each person per
    hop (either direction), within MAX_NODES; None when the center does not exist."""
    session = db.session
    center = session.scalar(select(Influencer.id).where(
        Influencer.id == request.center, Influencer.deleted_at.is_(None)))
    if center is None:
        return None
    ids, frontier = [center], [center]
    for _hop in range(request.hops):
        found: list[int] = []
        for column, other in ((Relationship.source_id, Relationship.target_id),
                              (Relationship.target_id, Relationship.source_id)):
            found += [i for (i,) in session.execute(
                select(other).where(column.in_(frontier), other != column,
                                    Relationship.kind.in_(request.kinds))
                .group_by(other).order_by(func.sum(Relationship.weight).desc(), other)
                .limit(NEIGHBOURS_PER_HOP * len(frontier)))]
        seen = set(ids)
        frontier = [i for i in dict.fromkeys(found) if i not in seen]
        frontier = frontier[:MAX_NODES - len(ids)]
        ids += frontier
        if not frontier or len(ids) >= MAX_NODES:
            break
    live = set(session.scalars(select(Influencer.id).where(
        Influencer.id.in_(ids), Influencer.deleted_at.is_(None))))
    return [i for i in ids if i in live]
