"""Reading the influencer list (search, filters, sort, page) and its bulk actions.

Every filter is a plain column test or an EXISTS on an indexed child table, so a page costs
the same handful of queries at 100 influencers or 100 000: count, page, accounts, tags.
"""

from __future__ import annotations

from typing import Any

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import Select, and_, column, exists, false, or_, select, text
from sqlalchemy.orm import selectinload
from sqlalchemy.orm.exc import StaleDataError

from app.extensions import db
from app.models import Influencer, SocialAccount, Tag, User
from app.models.base import utcnow
from app.models.influencer import AGE_COLUMNS, STATUSES, influencer_tag
from app.services import ServiceError
from app.services.pagination import Page, paginate, parse_page

PER_PAGE = (25, 50, 100)
BULK_MAX = 500
COUNT_CAP = 500
SEARCH_CAP = 2000  # matches of a search gathered in one pass (see list_page)
SORT_COLUMNS = {
    "name": Influencer.display_name,
    "kind": Influencer.kind,
    "status": Influencer.status,
    "country": Influencer.country,
    "followers": Influencer.followers_total,
    "engagement": Influencer.engagement_rate,
    "owner": User.name,
    "created": Influencer.created_at,
    "updated": Influencer.updated_at,
}
SORT_LABELS = {
    "name": _l("Name (A→Z)"), "-name": _l("Name (Z→A)"),
    "-followers": _l("Most followers"), "followers": _l("Fewest followers"),
    "-engagement": _l("Highest engagement"), "engagement": _l("Lowest engagement"),
    "kind": _l("Kind (A→Z)"), "-kind": _l("Kind (Z→A)"),
    "status": _l("Status (A→Z)"), "-status": _l("Status (Z→A)"),
    "country": _l("Country (A→Z)"), "-country": _l("Country (Z→A)"),
    "owner": _l("Owner (A→Z)"), "-owner": _l("Owner (Z→A)"),
    "-created": _l("Newest"), "created": _l("Oldest"),
    "-updated": _l("Recently changed"), "updated": _l("Least recently changed"),
}


def team() -> list[tuple[int, str]]:
    """Every user (owners may have left the team since), for the owner filter and column."""
    return [(u.id, u.name) for u in db.session.execute(
        select(User.id, User.name).order_by(User.name, User.id))]


def active_team() -> list[tuple[int, str]]:
    return [(u.id, u.name) for u in db.session.execute(
        select(User.id, User.name).where(User.active.is_(True)).order_by(User.name, User.id))]


def tag_names() -> list[str]:
    return list(db.session.scalars(select(Tag.name).order_by(Tag.name)))


def _tag_ids(wanted: str, partial: bool) -> list[int]:
    """Tags are few: matched here, in Python, so that "Été" and "été" meet on every database
    (SQLite's lower() folds ASCII only)."""
    folded = wanted.casefold()
    found = []
    for tag_id, name in db.session.execute(select(Tag.id, Tag.name)):
        if (folded in name.casefold()) if partial else (name.casefold() == folded):
            found.append(tag_id)
    return found


def _tagged(tag_ids: list[int]):
    return exists().where(influencer_tag.c.influencer_id == Influencer.id,
                          influencer_tag.c.tag_id.in_(tag_ids))


def _contains(needle: str):
    """Substring test on the lower-cased search text, through a trigram index on both
    databases (see app/models/influencer.py). PostgreSQL: LIKE on the GIN index. SQLite:
    GLOB on the FTS5 trigram table; a needle holding GLOB wildcards (rare) scans the table
    with its wildcards bracketed."""
    if db.session.get_bind().dialect.name != "sqlite":
        return Influencer.search_text.contains(needle, autoescape=True)
    if any(c in needle for c in "*?["):
        escaped = "".join(f"[{c}]" if c in "*?[" else c for c in needle)
        return Influencer.search_text.op("GLOB")(f"*{escaped}*")
    matches = text("SELECT rowid FROM influencer_fts WHERE search_text GLOB :pattern"
                   ).bindparams(pattern=f"*{needle}*")
    return Influencer.id.in_(matches.columns(column("rowid")))


def _search(text: str):
    """Name, email and handles live lower-cased in search_text; tags are matched apart."""
    needle = text.strip().lstrip("@").lower()
    if not needle:
        return None
    condition = _contains(needle)
    tag_ids = _tag_ids(needle, partial=True)
    return or_(condition, _tagged(tag_ids)) if tag_ids else condition


def conditions(filters: dict[str, Any], user_id: int | None) -> list:
    """WHERE clauses for the cleaned filters (see FilterForm.clean)."""
    where = [Influencer.deleted_at.is_(None)]
    if "q" in filters and (found := _search(filters["q"])) is not None:
        where.append(found)
    for name in ("kind", "status", "country"):
        if name in filters:
            where.append(getattr(Influencer, name) == filters[name])
    if "platform" in filters:
        where.append(exists().where(SocialAccount.influencer_id == Influencer.id,
                                    SocialAccount.platform == filters["platform"]))
    if "owner" in filters:
        owner = filters["owner"]
        if owner == "none":
            where.append(Influencer.owner_id.is_(None))
        else:
            where.append(Influencer.owner_id == (user_id if owner == "me" else int(owner)))
    if "import_id" in filters:
        where.append(Influencer.import_id == filters["import_id"])
    if "tag" in filters:
        tag_ids = _tag_ids(filters["tag"], partial=False)
        where.append(_tagged(tag_ids) if tag_ids else false())
    where.extend(_ranges(filters))
    # Audience filters read the main account's latest snapshot, copied onto the row.
    if "women_min" in filters:
        where.append(Influencer.audience_female >= filters["women_min"])
    if "top_country" in filters:
        where.append(Influencer.audience_top_country == filters["top_country"])
    if "age_band" in filters and "age_min" in filters:
        column = getattr(Influencer, AGE_COLUMNS[filters["age_band"]])
        where.append(column >= filters["age_min"])
    return where


def _ranges(filters: dict[str, Any]) -> list:
    where = []
    if "followers_min" in filters:
        where.append(Influencer.followers_total >= filters["followers_min"])
    if "followers_max" in filters:
        where.append(Influencer.followers_total <= filters["followers_max"])
    # The form turns typed percentages into shares (2.5 % → 0.025), as stored.
    if "engagement_min" in filters:
        where.append(Influencer.engagement_rate >= filters["engagement_min"])
    if "engagement_max" in filters:
        where.append(Influencer.engagement_rate <= filters["engagement_max"])
    return where


def ordered(stmt: Select, sort: str) -> Select:
    descending = sort.startswith("-")
    column = SORT_COLUMNS.get(sort.lstrip("-"), Influencer.display_name)
    if column is User.name:
        stmt = stmt.outerjoin(User, User.id == Influencer.owner_id)
    # The id breaks ties, so pages never repeat or skip a row between two requests.
    if descending:
        return stmt.order_by(column.desc(), Influencer.id.desc())
    return stmt.order_by(column.asc(), Influencer.id.asc())


def list_page(filters: dict[str, Any], user_id: int | None, sort: str, number: Any,
              size: int, query_args: dict[str, Any], exact: bool = False) -> tuple[Page, bool]:
    """One page and whether its total is capped. Counting every match of a broad filter
    means visiting tens of thousands of rows; counting up to COUNT_CAP (or just past the
    page asked for) keeps the count as cheap as the page, and "more than 500" says enough."""
    where = and_(*conditions(filters, user_id))
    cap = max(COUNT_CAP, parse_page(number) * size) + 1  # one more than shown means "more"
    total = None
    if "q" in filters and not exact:
        # A substring search reads every row once; a rare word would be read twice (count,
        # then page in sort order). Its matches are taken in one pass instead, and the page
        # is sorted among them. A common word fills the cap early: the usual path is cheap.
        limit = max(SEARCH_CAP, cap)
        ids = list(db.session.scalars(select(Influencer.id).where(where).limit(limit)))
        if len(ids) < limit:
            where, exact, total = Influencer.id.in_(ids), True, len(ids)
    stmt = ordered(select(Influencer).where(where), sort).options(
        selectinload(Influencer.accounts), selectinload(Influencer.tags)
    )
    page = paginate(stmt if exact else stmt.limit(cap), number, size, query_args, total=total)
    return page, not exact and page.total >= cap


def any_influencer() -> bool:
    return db.session.scalar(
        select(Influencer.id).where(Influencer.deleted_at.is_(None)).limit(1)
    ) is not None


# --- bulk actions ------------------------------------------------------------------------

def parse_ids(values: list[str]) -> list[int]:
    ids = []
    for value in values[:BULK_MAX]:
        try:
            number = int(value)
        except (TypeError, ValueError):
            continue
        if 0 < number < 2**31:
            ids.append(number)
    return list(dict.fromkeys(ids))


def bulk_update(ids: list[int], action: str, value: str) -> int:
    """Apply one action to the live influencers among `ids`; returns how many were changed.
    Through the ORM, so the audit listener records every column change."""
    if not ids:
        raise ServiceError(_("Select at least one influencer."))
    influencers = list(db.session.scalars(
        select(Influencer).where(Influencer.id.in_(ids), Influencer.deleted_at.is_(None))
        .options(selectinload(Influencer.tags))
    ))
    if not influencers:
        raise ServiceError(_("None of the selected influencers exists any more."))
    if action == "status":
        if value not in STATUSES:
            raise ServiceError(_("Unknown status."))
        changed = [i for i in influencers if i.status != value]
        for influencer in changed:
            influencer.status = value
    elif action == "owner":
        changed = _set_owner(influencers, value)
    elif action == "tag":
        changed = _add_tag(influencers, value)
    else:
        raise ServiceError(_("Unknown action."))
    try:
        db.session.commit()
    except StaleDataError:
        db.session.rollback()
        raise ServiceError(_("Someone changed one of these influencers meanwhile; "
                             "nothing was saved. Please try again.")) from None
    return len(changed)


def _set_owner(influencers: list[Influencer], value: str) -> list[Influencer]:
    owner_id = None
    if value != "none":
        try:
            owner_id = int(value)
        except ValueError:
            owner_id = -1
        if not db.session.scalar(select(User.id).where(User.id == owner_id,
                                                       User.active.is_(True))):
            raise ServiceError(_("This owner is not an active member of the team."))
    changed = [i for i in influencers if i.owner_id != owner_id]
    for influencer in changed:
        influencer.owner_id = owner_id
    return changed


def _add_tag(influencers: list[Influencer], value: str) -> list[Influencer]:
    name = " ".join(value.replace("\x00", "").split())[:60]
    if not name:
        raise ServiceError(_("Type the tag to add."))
    tag = next((t for t in db.session.scalars(select(Tag))
                if t.name.casefold() == name.casefold()), None)
    if tag is None:
        tag = Tag(name=name)
        db.session.add(tag)
    changed = [i for i in influencers if tag not in i.tags]
    for influencer in changed:
        influencer.tags.append(tag)  # the audit listener logs tag changes too
        influencer.updated_at = utcnow()  # bumps the version: a tag change is a change
    return changed
