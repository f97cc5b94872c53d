"""What the network view draws: a bounded piece of the relay graph, as Cytoscape elements.

Two views: the top influencers (best scores of the latest run, or the
most followed before any run) and the edges between them, or one person's neighbourhood
(1 or 2 hops). Both stay small whatever the database holds — at most `MAX_NODES` people,
the strongest edges first, at most `MAX_EDGES` edges — so that the browser stays fluid
with 100 000 influencers: every query reads an index (the run's score index or the
followers sort index, the relationship source/target indexes) and is limited.

Sizes and colours come from the latest scoring run when there is one (score, community);
otherwise from the followers, with no community. The page's legend reads the communities on
show (the run's labels and sizes) and the links per kind; its search reads the handles.
"""

from __future__ import annotations

import math
from collections import defaultdict
from dataclasses import dataclass

from flask_babel import get_translations
from flask_babel import gettext as _
from sqlalchemy import func, select

from app.extensions import db
from app.i18n.formats import number
from app.models import (
    Community,
    Influencer,
    InfluencerScore,
    Relationship,
    ScoringRun,
    SocialAccount,
)
from app.models.network import RELATIONSHIP_KINDS
from app.scoring import rescoring as scoring

MAX_NODES = 200
MAX_EDGES = 1_500
NEIGHBOURS_PER_HOP = 60  # the strongest links of each person kept per hop
LABELLED = 15  # the best-scored people whose names the graph always shows


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
    """The view's Cytoscape elements, with what its legend and search read: the
    communities on show (label and size from the run's Community rows), each person's
    handles, and the people whose labels are always drawn (the LABELLED best scores)."""
    if request.center is None:
        ids = _top(request.limit)
    else:
        ids = _neighbourhood(request)
        if ids is None:
            return {}
    rows = _edge_rows(request, ids)
    chosen = set(ids)
    nodes = _nodes(ids, rows, request.center)
    edges = [{"data": {"id": f"{s}-{t}-{k}", "source": str(s), "target": str(t), "kind": k,
                       "weight": round(float(w or 0), 3)}}
             for s, t, k, w in rows if s in chosen and t in chosen]
    kind_counts = dict.fromkeys(request.kinds, 0)
    for edge in edges:
        kind_counts[edge["data"]["kind"]] += 1
    return {"nodes": nodes, "edges": edges, "center": request.center,
            "hops": request.hops, "kinds": list(request.kinds), "kind_counts": kind_counts,
            "communities": _communities(nodes), "truncated": len(rows) >= MAX_EDGES}


def _edge_rows(request: GraphRequest, ids: list[int]) -> list:
    """The edges between the chosen people, parallel ones of a kind added up, strongest
    first, at most MAX_EDGES."""
    if not ids:
        return []
    return db.session.execute(
        select(Relationship.source_id, Relationship.target_id, Relationship.kind,
               func.sum(Relationship.weight).label("weight"))
        .where(Relationship.kind.in_(request.kinds),
               Relationship.source_id != Relationship.target_id,
               Relationship.source_id.in_(ids), Relationship.target_id.in_(ids))
        .group_by(Relationship.source_id, Relationship.target_id, Relationship.kind)
        .order_by(func.sum(Relationship.weight).desc()).limit(MAX_EDGES)).all()


def _nodes(ids: list[int], rows: list, center: int | None) -> list[dict]:
    people = {i: (name, followers) for i, name, followers in db.session.execute(
        select(Influencer.id, Influencer.display_name, Influencer.followers_total)
        .where(Influencer.id.in_(ids)))} if ids else {}
    handles = _handles(ids)
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
        size = 20 + (score * 0.5 if score is not None
                     else 4 * math.log10(1 + (followers or 0)))
        nodes.append({"data": {
            "id": str(ident), "label": name, "handles": handles[ident],
            "followers": followers or 0,
            "score": None if score is None else round(score, 1),
            "score_text": number(score, 1) if score is not None else "",
            "community": community, "community_label": _community_label(community, label),
            "size": round(size, 1), "degree": degree[ident], "center": ident == center,
            "labelled": ident == center}})
    _mark_labelled(nodes)
    return nodes


def _handles(ids: list[int]) -> dict[int, list[str]]:
    """Each person's handles, the same handle on several platforms once: one query."""
    handles: dict[int, list[str]] = defaultdict(list)
    if ids:
        for ident, handle in db.session.execute(
                select(SocialAccount.influencer_id, SocialAccount.handle)
                .where(SocialAccount.influencer_id.in_(ids))
                .order_by(SocialAccount.influencer_id, SocialAccount.id)):
            if handle not in handles[ident]:
                handles[ident].append(handle)
    return handles


def _mark_labelled(nodes: list[dict]) -> None:
    """The LABELLED best-scored people (the most followed before any run) keep their
    label on show; the others show it on hover, selection or a search match."""
    ranked = sorted(nodes, key=lambda n: (n["data"]["score"] is not None,
                                          n["data"]["score"] or 0, n["data"]["followers"]),
                    reverse=True)
    for node in ranked[:LABELLED]:
        node["data"]["labelled"] = True


def _community_label(community: int | None, label: str | None) -> str | None:
    if community is None:
        return None
    return label or _("Community %(number)s", number=community)


def _people(count: int) -> str:
    """"1 200 people": ngettext() would put the count in ungrouped."""
    return get_translations().ungettext("%(num)s person", "%(num)s people", count) % {
        "num": number(count)}


def _communities(nodes: list[dict]) -> list[dict]:
    """The communities of the people on show, largest first: the latest run's label and
    size (its whole membership), and how many of them the graph shows."""
    shown: dict[int, int] = defaultdict(int)
    for node in nodes:
        if node["data"]["community"] is not None:
            shown[node["data"]["community"]] += 1
    if not shown:
        return []
    latest = (select(ScoringRun.id).where(ScoringRun.status == "done")
              .order_by(ScoringRun.id.desc()).limit(1).scalar_subquery())
    stored = {n: (label, size) for n, label, size in db.session.execute(
        select(Community.number, Community.label, Community.size)
        .where(Community.run_id == latest, Community.number.in_(list(shown))))}
    result = []
    for community, count in shown.items():
        label, size = stored.get(community, (None, count))
        result.append({"number": community, "label": _community_label(community, label),
                       "size": size, "shown": count,
                       "size_text": _people(size)})
    return sorted(result, key=lambda c: (-c["size"], c["number"]))


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
