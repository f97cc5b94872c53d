"""The influencer list's search: who matches a query, gathered once per page and capped
early (app/influencers/query.py pages and sorts among the ids gathered here).

Name, email and handles live folded (no case, no accents) in `search_text`, and the needle
is folded alike: "musee" finds "Musée", "Édith" finds "edith"; tags are matched apart, in
Python (they are few), and their people read from the tag links' index.

A substring search cannot use a trigram index under three characters, and the first
keystrokes of the live search match most people: a one- or two-character needle first
takes a prefix path, the names (`sort_name`, the folded name) and handles starting with it,
read along their indexes. When they fill the page asked for they are the list, said to be
capped ("more than"); only when they do not are the tags and then the substring search
asked for the rest, so that a count below the cap is exact.
"""

from __future__ import annotations

import itertools

from sqlalchemy import Select, column, func, select, table
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.orm import aliased
from sqlalchemy.sql.selectable import Join

from app.collation import fold
from app.extensions import db
from app.models import Influencer, SocialAccount, Tag
from app.models.influencer import influencer_tag

PREFIX_MAX = 2  # needles this short take the prefix path first
# Above every character: `text >= needle AND text < needle + AFTER` holds the texts starting
# with needle in a binary (SQLite) or "C" (PostgreSQL) collation: a range on the index. Under
# another collation it may hold others: `_starting` checks the prefix exactly too.
AFTER = "\U0010ffff"
GLOB_SPECIALS = "*?["
_FTS = table("influencer_fts", column("rowid"), column("search_text"))


class CrossJoin(Join):
    """An inner join whose left side SQLite must read first ("CROSS JOIN"): the FTS5
    table drives the substring search, whatever index the other filters offer (with a
    country filter, say, SQLite would otherwise run the trigram search once per person)."""

    inherit_cache = True


@compiles(CrossJoin, "sqlite")
def _cross_join(join: CrossJoin, compiler, from_linter=None, **kw) -> str:
    if from_linter is not None:
        from_linter.edges.update(itertools.product(join.left._from_objects,
                                                   join.right._from_objects))
    kw["from_linter"] = from_linter
    kw.pop("asfrom", None)
    return (f"{join.left._compiler_dispatch(compiler, asfrom=True, **kw)} CROSS JOIN "
            f"{join.right._compiler_dispatch(compiler, asfrom=True, **kw)} "
            f"ON {join.onclause._compiler_dispatch(compiler, **kw)}")


def needle_of(query: str) -> str:
    """What a query searches for: folded, without the "@" of a handle."""
    return fold(query.replace("\x00", "").strip().lstrip("@"))


def tag_ids(wanted: str, partial: bool) -> list[int]:
    """Tags are few: matched here, in Python, so that "Été", "été" and "ete" meet on every
    database (SQLite's lower() folds ASCII only, and neither folds accents)."""
    folded = fold(wanted)
    found = []
    for tag_id, name in db.session.execute(select(Tag.id, Tag.name)):
        if (folded in fold(name)) if partial else (fold(name) == folded):
            found.append(tag_id)
    return found


def contains(needle: str):
    """Substring test on the folded search text, as a condition on the influencer row
    (the exports' search). PostgreSQL: LIKE on the GIN trigram index. SQLite: GLOB on the
    FTS5 trigram table; a needle holding GLOB wildcards (rare) scans the table with its
    wildcards bracketed."""
    if db.session.get_bind().dialect.name != "sqlite":
        return Influencer.search_text.contains(needle, autoescape=True)
    if any(c in needle for c in GLOB_SPECIALS):
        return Influencer.search_text.op("GLOB")(f"*{_bracketed(needle)}*")
    matches = select(_FTS.c.rowid).where(_FTS.c.search_text.op("GLOB")(f"*{needle}*"))
    return Influencer.id.in_(matches)


def _bracketed(needle: str) -> str:
    return "".join(f"[{c}]" if c in GLOB_SPECIALS else c for c in needle)


def gather(needle: str, where: list, limit: int, enough: int) -> tuple[list[int], bool]:
    """Up to `limit` ids of the people matching `needle` (folded) among those `where`
    keeps, and whether there may be more than those. A short needle reads the names then
    the handles starting with it; when they are `enough` for the page asked for, they
    are the list ("more than"); else, and for longer needles, the tagged people then the
    substring matches complete it. Each statement stops at `limit` rows, and the next
    one runs only while the ids gathered fall short."""
    found: dict[int, None] = {}
    if len(needle) <= PREFIX_MAX:
        for step in (_name_prefix, _handle_prefix):
            found.update(dict.fromkeys(db.session.scalars(step(needle, where).limit(limit))))
            if len(found) >= limit:
                return list(found)[:limit], True
        if len(found) >= enough:
            return list(found), True
    for step in (_tagged, _substring):
        stmt = step(needle, where)
        if stmt is not None:
            found.update(dict.fromkeys(db.session.scalars(stmt.limit(limit))))
        if len(found) >= limit:
            return list(found)[:limit], True
    return list(found), False


def _starting(text_column, needle: str) -> tuple:
    """`text_column` starts with `needle`: the indexed range, and the exact test."""
    return (text_column >= needle, text_column < needle + AFTER,
            func.substr(text_column, 1, len(needle)) == needle)


def _name_prefix(needle: str, where: list) -> Select:
    """Names starting with the needle: a range on the live people's (sort_name, id) index,
    read in its order."""
    return (select(Influencer.id)
            .where(*where, *_starting(Influencer.sort_name, needle))
            .order_by(Influencer.sort_name, Influencer.id))


def _handle_prefix(needle: str, where: list) -> Select:
    """Handles (stored lower case, without "@") starting with the needle: a range on the
    accounts' handle index. An alias: `where` may hold an EXISTS on the accounts."""
    account = aliased(SocialAccount, name="prefix_account")
    return (select(account.influencer_id)
            .join(Influencer, Influencer.id == account.influencer_id)
            .where(*where, *_starting(account.handle, needle))
            .order_by(account.handle))


def _tagged(needle: str, where: list) -> Select | None:
    """The people of the tags whose name holds the needle, from the tag links' index."""
    wanted = tag_ids(needle, partial=True)
    if not wanted:
        return None
    links = influencer_tag.alias("search_tag")  # `where` may hold an EXISTS on the links
    return (select(links.c.influencer_id)
            .join(Influencer, Influencer.id == links.c.influencer_id)
            .where(*where, links.c.tag_id.in_(wanted)))


def _substring(needle: str, where: list) -> Select:
    """The folded search text holding the needle. Three characters or more: through the
    trigram index (SQLite: the FTS5 table drives the join, so the LIMIT stops it early).
    Shorter (no trigram to look up) or holding GLOB wildcards: a plain scan of the column,
    which stops as early."""
    if db.session.get_bind().dialect.name != "sqlite":
        test = (Influencer.search_text.contains(needle, autoescape=True)
                if len(needle) >= 3 else func.strpos(Influencer.search_text, needle) > 0)
        return select(Influencer.id).where(*where, test)
    if len(needle) < 3 or any(c in needle for c in GLOB_SPECIALS):
        return select(Influencer.id).where(*where, func.instr(Influencer.search_text, needle) > 0)
    return (select(Influencer.id)
            .select_from(CrossJoin(_FTS, Influencer.__table__, Influencer.id == _FTS.c.rowid))
            .where(_FTS.c.search_text.op("GLOB")(f"*{needle}*"), *where))
