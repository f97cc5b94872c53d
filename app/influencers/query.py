"""Reading the influencer list (search, filters, sort, page); its bulk actions are in
bulk.py.

Every filter is a plain column test or an EXISTS on an indexed child table, so a page costs
the same handful of queries at 100 influencers or 100 000: count, page, accounts, tags, and
with a scoring run its communities and the page's scores. A search gathers its matches once,
capped, and the page is sorted among them (app/influencers/matches.py).

With a platform chosen, the followers and engagement filters and sorts read that
platform's account (the person's biggest there) rather than the all-platform figures
copied onto the influencer (app/influencers/platform_figures.py).

Scores are read from the latest finished scoring run only (app/influencers/latest_run.py):
its id is looked up once per page and handed down (`run_id`); callers that do not pass it
(the export) have it looked up when a score filter or sort needs it.
"""

from __future__ import annotations

from types import EllipsisType
from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy import Select, and_, asc, desc, exists, false, func, or_, select, union_all
from sqlalchemy.sql.elements import UnaryExpression
from sqlalchemy.sql.operators import custom_op

from app.collation import sort_key
from app.core import driver_sql
from app.core.pagination import Page, paginate, parse_page
from app.extensions import db
from app.influencers import list_rows, matches
from app.influencers.latest_run import as_int, latest_run_id
from app.influencers.platform_figures import platform_account
from app.models import Influencer, InfluencerScore, SocialAccount, User
from app.models.influencer import AGE_COLUMNS, influencer_tag

PER_PAGE = (25, 50, 100)
COUNT_CAP = 500
SEARCH_CAP = 500  # matches of a search gathered at most, in one pass (see list_page)
RANGE_WALK_MIN = 500  # SQLite: a range keeping as many is not read from its index
WALKED_SORTS = {"name", "kind", "status", "country", "created", "updated"}
# A minimum score kept by more people than this is checked row by row (see _min_score).
SCORE_LIST_MAX = 10_000
LATEST: EllipsisType = ...  # run_id not given: look the latest run up if it is needed
SORT_COLUMNS = {
    "name": Influencer.sort_name,  # French order: É with E (app/collation.py)
    "kind": Influencer.kind,
    "status": Influencer.status,
    "country": Influencer.country,
    "followers": Influencer.followers_total,
    "engagement": Influencer.engagement_rate,
    "owner": User.sort_name,
    "created": Influencer.created_at,
    "updated": Influencer.updated_at,
    "score": InfluencerScore.score,  # of the latest run (see ordered and _by_score)
}
SORT_LABELS = {
    "name": _l("Name (A→Z)"), "-name": _l("Name (Z→A)"),
    "-followers": _l("Most followers"), "followers": _l("Fewest followers"),
    "-engagement": _l("Highest engagement"), "engagement": _l("Lowest engagement"),
    "-score": _l("Best score"), "score": _l("Lowest score"),
    "kind": _l("Kind (A→Z)"), "-kind": _l("Kind (Z→A)"),
    "status": _l("Status (A→Z)"), "-status": _l("Status (Z→A)"),
    "country": _l("Country (A→Z)"), "-country": _l("Country (Z→A)"),
    "owner": _l("Owner (A→Z)"), "-owner": _l("Owner (Z→A)"),
    "-created": _l("Newest"), "created": _l("Oldest"),
    "-updated": _l("Recently changed"), "updated": _l("Least recently changed"),
}


def tag_names() -> list[str]:
    """In French order; tags are few, so sorted here rather than by a stored key."""
    names = [name for (name,) in driver_sql.fetch("SELECT name FROM tag")]  # every page's
    return sorted(names, key=lambda name: (sort_key(name), name))


def _tagged(tag_ids: list[int]):
    return exists().where(influencer_tag.c.influencer_id == Influencer.id,
                          influencer_tag.c.tag_id.in_(tag_ids))


def search(text: str):
    """The search as one condition (the exports); the list gathers its matches apart
    (matches.gather). Accent- and case-blind: see app/influencers/matches.py."""
    needle = matches.needle_of(text)
    if not needle:
        return None
    tag_ids = matches.tag_ids(needle, partial=True)
    return or_(matches.contains(needle), _tagged(tag_ids)) if tag_ids else matches.contains(needle)


def conditions(filters: dict[str, Any], user_id: int | None,
               run_id: int | None | EllipsisType = LATEST, hide_ranges: bool = False) -> list:
    """WHERE clauses for the cleaned filters (see FilterForm.clean); `hide_ranges`: the
    followers and engagement ranges out of the planner's index choice (_range_plan)."""
    where = [Influencer.deleted_at.is_(None), *_scored(filters, run_id)]
    if "q" in filters and (found := search(filters["q"])) is not None:
        where.append(found)
    for name in ("kind", "status", "country"):
        if name in filters:
            where.append(getattr(Influencer, name) == filters[name])
    if "platform" in filters:
        account, on_platform = platform_account(filters["platform"])
        ranges = _ranges(filters, account)
        # An account there; with figures asked of it, the one whose figures the list shows.
        where.append(exists().where(on_platform, *ranges) if ranges
                     else exists().where(SocialAccount.influencer_id == Influencer.id,
                                         SocialAccount.platform == filters["platform"]))
    else:
        where.extend(_ranges(filters, None, hide_ranges))
    if "owner" in filters:
        owner = filters["owner"]
        if owner == "none":
            where.append(Influencer.owner_id.is_(None))
        else:
            where.append(Influencer.owner_id == (user_id if owner == "me" else int(owner)))
    if "import_id" in filters:
        where.append(Influencer.import_id == filters["import_id"])
    if "tag" in filters:
        tag_ids = matches.tag_ids(filters["tag"], partial=False)
        where.append(_tagged(tag_ids) if tag_ids else false())
    # Audience filters read the main account's latest snapshot, copied onto the row.
    if "women_min" in filters:
        where.append(Influencer.audience_female >= filters["women_min"])
    if "top_country" in filters:
        where.append(Influencer.audience_top_country == filters["top_country"])
    if "age_band" in filters and "age_min" in filters:
        column = getattr(Influencer, AGE_COLUMNS[filters["age_band"]])
        where.append(column >= filters["age_min"])
    return where


def _scored(filters: dict[str, Any], run_id: int | None | EllipsisType) -> list:
    """Community and minimum score in the latest run."""
    community, score_min = as_int(filters.get("community")), filters.get("score_min")
    if community is None and score_min is None:
        return []
    run_id = latest_run_id() if run_id is LATEST else run_id
    if run_id is None:
        return [false()]  # no run yet: nobody has a score or a community
    if community is None:
        return [_min_score(run_id, float(score_min))]
    # A community holds a small share of the people: read first, from its own index (with
    # the minimum score, if any). Not correlated: the score sort joins the scores too.
    tests = [InfluencerScore.run_id == run_id, InfluencerScore.community == community]
    if score_min is not None:
        tests.append(InfluencerScore.score >= float(score_min))
    return [Influencer.id.in_(select(InfluencerScore.influencer_id).where(*tests)
                              .correlate(None))]


def _min_score(run_id: int, score_min: float):
    """People with at least this score in the run. A high bar keeps few: their ids are read
    first, from the run's (run, score) index. A low bar keeps many: each row is checked in
    the list's own order (a scalar subquery on the scores' key, which neither database turns
    into a join) and a page fills after a few rows. The planners would choose well only with
    statistics that a new run has just made stale; a bounded count on the index chooses."""
    bar = (InfluencerScore.run_id == run_id, InfluencerScore.score >= score_min)
    # From the (run, score) index, in no order: an ORDER BY made PostgreSQL, without
    # statistics for a new run, fetch and sort every score above the bar (21 ms, not 7).
    kept = db.session.scalar(select(func.count()).select_from(
        select(InfluencerScore.score).where(*bar).limit(SCORE_LIST_MAX).subquery()))
    if kept < SCORE_LIST_MAX:
        return Influencer.id.in_(select(InfluencerScore.influencer_id).where(*bar)
                                 .correlate(None))
    own = (select(InfluencerScore.score)
           .where(InfluencerScore.run_id == run_id, InfluencerScore.influencer_id == Influencer.id)
           .correlate(Influencer).scalar_subquery())
    return own >= score_min


def _ranges(filters: dict[str, Any], account, hidden: bool = False) -> list:
    """The followers and engagement bounds, on one platform's `account` or, without one, on
    the all-platform figures (`hidden` from the planner's index choice: see _range_plan)."""
    followers, rate = ((account.followers, account.engagement_rate) if account is not None
                       else (Influencer.followers_total, Influencer.engagement_rate))
    if hidden:
        followers, rate = followers + 0, rate + 0
    where = []
    if "followers_min" in filters:
        where.append(followers >= filters["followers_min"])
    if "followers_max" in filters:
        where.append(followers <= filters["followers_max"])
    # The form turns typed percentages into shares (2.5 % → 0.025), as stored.
    if "engagement_min" in filters:
        where.append(rate >= filters["engagement_min"])
    if "engagement_max" in filters:
        where.append(rate <= filters["engagement_max"])
    return where


def _range_plan(filters: dict[str, Any], sort: str) -> str | None:
    """SQLite without STAT4 cannot estimate a range. With a followers or engagement range
    and a page sorted on another indexed column, the sort's index is best when the range
    keeps many people (a page fills after a few hundred rows), the range's when it keeps
    few (no walk over every row). A count bounded by RANGE_WALK_MIN tells which: "ranges"
    or "sort" is hidden from the planner (conditions, ordered); None leaves it be."""
    ranges = _ranges(filters, None)
    if (not ranges or sort.lstrip("-") not in WALKED_SORTS or "platform" in filters
            or db.session.get_bind().dialect.name != "sqlite"):
        return None
    kept = db.session.scalar(select(func.count()).select_from(
        select(Influencer.id).where(Influencer.deleted_at.is_(None), *ranges)
        .limit(RANGE_WALK_MIN).subquery()))
    return "ranges" if kept >= RANGE_WALK_MIN else "sort"


def selection(filters: dict[str, Any], user_id: int | None, sort: str, *where) -> Select:
    """The ids of the people the list shows for these filters, in its order (for the
    exports: with a platform chosen, its figures filter and sort)."""
    return ordered(select(Influencer.id).where(*conditions(filters, user_id), *where), sort,
                   platform=filters.get("platform"))


def ordered(stmt: Select, sort: str, run_id: int | None | EllipsisType = LATEST,
            platform: str | None = None, hide_sort: bool = False,
            cap: int | None = None) -> Select:
    """`stmt` in the list's order. By score (the export; the list pages with _by_score, in
    the same order): the latest run outer-joined, people without a score last both ways.
    With a `platform`, by its account's followers or engagement, the unknown last."""
    descending = sort.startswith("-")
    key = sort.lstrip("-")
    if platform is not None and key in ("followers", "engagement"):
        account, on_platform = platform_account(platform)
        column = account.followers if key == "followers" else account.engagement_rate
        direction = desc if descending else asc
        if descending and cap and db.session.get_bind().dialect.name == "postgresql":
            return _known_first(stmt, account, on_platform, column, cap)
        return stmt.join(account, on_platform).order_by(
            direction(column).nulls_last(), direction(account.influencer_id))
    column = SORT_COLUMNS.get(key, Influencer.sort_name)
    if column is User.sort_name:
        stmt = stmt.outerjoin(User, User.id == Influencer.owner_id)
    direction = desc if descending else asc
    if column is InfluencerScore.score:
        run_id = latest_run_id() if run_id is LATEST else run_id
        if run_id is None:  # nothing scored yet: the default order rather than an error
            return ordered(stmt, "name", None)
        stmt = stmt.outerjoin(InfluencerScore, _in_run(run_id))
        return stmt.order_by(direction(column).nulls_last(), direction(Influencer.id))
    if hide_sort:  # SQLite's unary "+": the same order, not read from the column's index
        column = UnaryExpression(column, operator=custom_op("+"))
    # The id breaks ties, so pages never repeat or skip a row between two requests.
    return stmt.order_by(direction(column), direction(Influencer.id))


def _known_first(stmt: Select, account, on_platform, column, cap: int) -> Select:
    """PostgreSQL reads `DESC NULLS LAST` from no ascending index: it sorted all of a
    platform's accounts for each page. The known figures are read backwards along the
    (platform, figure, influencer) index (`NULLS FIRST`: the same order without the
    unknown), the unknown apart, at most `cap` of each: the page sorts those few. `stmt`:
    the list page's select (its columns kept), whose WHERE the two reads apply."""
    def branch(test, *order):
        return (select(account.influencer_id.label("id"), column.label("figure"))
                .select_from(Influencer).join(account, on_platform)
                .where(stmt.whereclause, test).order_by(*order).limit(cap))

    ranked = union_all(
        branch(column.is_not(None), column.desc().nulls_first(), account.influencer_id.desc()),
        branch(column.is_(None), account.influencer_id.desc())).subquery("ranked")
    return select(*stmt.selected_columns).join(ranked, ranked.c.id == Influencer.id).order_by(
        ranked.c.figure.desc().nulls_last(), ranked.c.id.desc())


def _in_run(run_id: int):
    return and_(InfluencerScore.run_id == run_id, InfluencerScore.influencer_id == Influencer.id)


def list_page(filters: dict[str, Any], user_id: int | None, sort: str, number: Any,
              size: int, query_args: dict[str, Any], exact: bool = False,
              run_id: int | None | EllipsisType = LATEST) -> tuple[Page, bool]:
    """One page and whether its total is capped. Counting every match of a broad filter
    means visiting tens of thousands of rows; counting up to COUNT_CAP (or just past the
    page asked for) keeps the count as cheap as the page, and "more than 500" says enough."""
    by_score = sort.lstrip("-") == "score"
    if run_id is LATEST and (by_score or {"community", "score_min"} & set(filters)):
        run_id = latest_run_id()
    cap = max(COUNT_CAP, parse_page(number) * size) + 1  # one more than shown means "more"
    needle = matches.needle_of(filters["q"]) if "q" in filters and not exact else ""
    total, capped, plan = None, None, None if needle else _range_plan(filters, sort)
    if needle:
        # The matches are gathered once, capped (matches.gather), and the page is sorted
        # among them: no statement runs the search again, not even to count.
        others = conditions({k: v for k, v in filters.items() if k != "q"}, user_id, run_id)
        ids, capped = matches.gather(needle, others, max(SEARCH_CAP, cap),
                                     parse_page(number) * size)
        where, exact, total = Influencer.id.in_(ids), True, min(len(ids), cap)
    else:
        where = and_(*conditions(filters, user_id, run_id, plan == "ranges"))
    if total is None and exact and not set(filters) - {"sort", "per_page"}:
        total = live_total()  # the whole list
    if by_score and run_id is not None:
        page = _by_score(where, run_id, sort.startswith("-"), number, size, query_args,
                         total, None if exact else cap)
    else:
        stmt = ordered(select(Influencer.id).where(where), sort, run_id,
                       filters.get("platform"), hide_sort=plan == "sort",
                       cap=None if exact else cap)
        page = paginate(stmt if exact else stmt.limit(cap), number, size, query_args,
                        total=total)
        page.items = list_rows.people(page.items)  # plain tuples: nothing for the ORM to build
    return page, capped if capped is not None else not exact and page.total >= cap


def _by_score(where, run_id: int, descending: bool, number: Any, size: int,
              query_args: dict[str, Any], total: int | None, cap: int | None) -> Page:
    """Scores first (best or lowest), then the people the run did not score, by id.
    Sorting an outer join would read every influencer for each page; walking the run's
    (run, score) index reads a page's worth. The unscored are read only on the pages where
    the scored ones run out (one statement more; two past them: how many came before)."""
    if total is None:
        matches = select(Influencer.id).where(where)
        total = db.session.scalar(select(func.count()).select_from(
            (matches if cap is None else matches.limit(cap)).subquery())) or 0
    direction = desc if descending else asc
    scored = (select(Influencer.id).join(InfluencerScore, _in_run(run_id)).where(where)
              .order_by(direction(InfluencerScore.score),
                        direction(InfluencerScore.influencer_id)))
    page = paginate(scored, number, size, query_args, total=total)
    ids = list(page.items)
    if len(ids) < page.size:
        skip = 0
        if not ids and page.number > 1:  # past the scored ones: how far past?
            skip = (page.number - 1) * page.size - (db.session.scalar(
                select(func.count()).select_from(scored.order_by(None).subquery())) or 0)
        ids += db.session.scalars(
            select(Influencer.id).where(where, ~exists().where(_in_run(run_id)))
            .order_by(direction(Influencer.id)).limit(page.size - len(ids))
            .offset(max(skip, 0))).all()
    page.items = list_rows.people(ids)
    return page


def live_total() -> int:
    """Everyone out of the trash. SQLite counts a whole table from its b-tree pages in
    microseconds, but under a WHERE it visits every entry (3 ms at 100 000): the trash (few
    rows, indexed) is counted apart and taken away."""
    trashed = select(func.count()).where(Influencer.deleted_at.is_not(None)).scalar_subquery()
    everyone = select(func.count()).select_from(Influencer).scalar_subquery()
    return db.session.scalar(select(everyone - trashed)) or 0


def any_influencer() -> bool:
    return db.session.scalar(
        select(Influencer.id).where(Influencer.deleted_at.is_(None)).limit(1)
    ) is not None
