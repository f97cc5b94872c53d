"""The influencer list's rows: the page's people read as plain tuples (`people`), and the
table's rows written as HTML in Python (`rows`, from the format strings below).

A list page shows 25 to 100 rows of a dozen cells; written cell by cell in Jinja, each
row cost a URL build, a translated label, three Babel formatters, dozens of attribute
lookups through the template runtime and a Markup object per value. Here each row is
built in one pass from the loaded people and the page's lookups (labels, owners, figures,
scores), every value escaped as Jinja would, and the template
(`templates/influencers/_list_table.html`) places the rows in its table.
"""

from __future__ import annotations

from typing import Any, NamedTuple

from flask import url_for
from flask_babel import gettext as _
from jinja2.filters import do_urlencode
from markupsafe import Markup

from app.core import driver_sql
from app.extensions import db
from app.i18n.formats import compact, number, percent
from app.i18n.french import elide
from app.models import Influencer, SocialAccount, Tag
from app.models.influencer import influencer_tag

_ID = 987_654_321  # stands for the row's id in the profile URL built once per page


class LoadedAccount(NamedTuple):
    """What the list reads of a social account (platform_figures reads it too)."""
    id: int
    platform: str
    handle: str
    followers: int | None
    engagement_rate: float | None


class LoadedTag(NamedTuple):
    name: str


class Person(NamedTuple):
    """What the list reads of an influencer: plain values, no ORM instance to build."""
    id: int
    display_name: str
    kind: str
    country: str | None
    status: str
    owner_id: int | None
    followers_total: int | None
    engagement_rate: float | None
    accounts: list[LoadedAccount]
    tags: list[LoadedTag]


def people(ids: list[int]) -> list[Person]:
    """The people of a page, in the order of `ids`, with their accounts (in the order
    they were added) and tags (by name): three SELECTs on primary and foreign keys, sent
    to the driver as written (SQLAlchemy's compiling of three `IN` lists cost a page
    0.7 ms, four times the queries themselves)."""
    if not ids:
        return []
    connection = db.session.connection()
    among, values = driver_sql.among(connection, ids)
    accounts: dict[int, list[LoadedAccount]] = {ident: [] for ident in ids}
    # (Only placeholders are written into the statements: `among`.)
    for owner, *account in connection.exec_driver_sql(
            "SELECT influencer_id, id, platform, handle, followers, engagement_rate "  # noqa: S608
            f"FROM {SocialAccount.__table__.name} WHERE influencer_id {among} ORDER BY id",
            values):
        accounts[owner].append(LoadedAccount(*account))
    tags: dict[int, list[LoadedTag]] = {ident: [] for ident in ids}
    for owner, name in connection.exec_driver_sql(
            f"SELECT link.influencer_id, tag.name FROM {influencer_tag.name} AS link "  # noqa: S608
            f"JOIN {Tag.__table__.name} AS tag ON tag.id = link.tag_id "
            f"WHERE link.influencer_id {among} ORDER BY tag.name", values):
        tags[owner].append(LoadedTag(name))
    found = {row[0]: Person(*row, accounts[row[0]], tags[row[0]])
             for row in connection.exec_driver_sql(
                 "SELECT id, display_name, kind, country, status, owner_id, followers_total, "  # noqa: S608
                 f"engagement_rate FROM {Influencer.__table__.name} WHERE id {among}", values)}
    return [found[ident] for ident in ids if ident in found]


# One row of the table (templates/influencers/_list_table.html places them in its <tbody>).
# Every {field} is escaped by `_html` below, or built from escaped parts.
ROW = ('<tr>{check}<td><a href="{url}">{name}</a></td><td>{kind}</td>'
       '<td class="platforms">{accounts}</td>'
       '<td class="num" title="{followers_exact}">{followers}</td>'
       '<td class="num">{engagement}</td>{score}'
       '<td>{country}</td><td><span class="pill status-{status}">{status_label}</span></td>'
       '<td>{owner}</td><td>{tags}</td></tr>\n')
CHECK = '<td><input type="checkbox" name="ids" value="{id}" aria-label="{label}"></td>'
ACCOUNT = ('<span class="pill platform platform-{platform}" title="{label}">'
           '<abbr class="platform-name">{label}</abbr> {handle}</span>')
SCORED = ('<td class="num score">{score}</td><td class="community"><a class="pill community" '
          'href="{url}{number}">{name}</a></td>')
UNSCORED = '<td class="num score">—</td><td class="community">—</td>'
TAG = '<a class="pill tag" href="{url}{quoted}">{name}</a>'
_ESCAPES = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&#34;", "'": "&#39;"})


def _html(value: Any) -> str:
    """`value` as HTML text, as Jinja's autoescape writes it (markupsafe's entities), without
    a Markup object a value: a page of rows escapes about 400."""
    return str(value).translate(_ESCAPES)


def rows(people: list[Any], figures: dict[int, tuple], scores: dict[int, tuple],
         labels: dict[str, dict[str, str]], owners: dict[int, str], bulk: bool) -> Markup:
    """The table's rows for the loaded `people`, in order. `figures`: id → (followers,
    engagement); `scores`: id → (score, community number, community name); `labels`:
    kind, status and platform labels in the reader's language; `owners`: user id → name;
    `bulk`: with the checkbox of the bulk actions."""
    prefix, _id, suffix = url_for("influencers.show", influencer_id=_ID).partition(str(_ID))
    tag_url = _html(url_for("influencers.index") + "?tag=")
    community_url = _html(url_for("influencers.index", sort="-score") + "&community=")
    kinds, statuses, platforms = labels["kind"], labels["status"], labels["platform"]
    tags_html: dict[str, str] = {}  # tag name → its link; tags repeat down a page
    # The checkbox's label translated once, its placeholder kept: elided and filled per row.
    select = _("Select %(name)s", name="%(name)s")
    html = []
    for person in people:
        name = _html(person.display_name)
        followers, engagement = figures[person.id]
        scored = scores.get(person.id)
        for tag in person.tags:
            if tag.name not in tags_html:
                tags_html[tag.name] = TAG.format(url=tag_url, quoted=_html(do_urlencode(
                    tag.name)), name=_html(tag.name))
        check = CHECK.format(id=person.id, label=_html(
            elide(select, {"name": person.display_name}) % {"name": person.display_name})
        ) if bulk else ""
        html.append(ROW.format(
            check=check,
            url=_html(f"{prefix}{person.id}{suffix}"), name=name,
            kind=_html(kinds.get(person.kind, person.kind)),
            accounts="".join(ACCOUNT.format(
                platform=_html(a.platform), label=_html(platforms.get(a.platform, a.platform)),
                handle=_html(a.handle)) for a in person.accounts),
            followers=_html(compact(followers)), followers_exact=_html(number(followers)),
            engagement=_html(percent(engagement)),
            score=SCORED.format(score=f"{scored[0]:.0f}", url=community_url, number=scored[1],
                                name=_html(scored[2])) if scored else UNSCORED,
            country=_html(person.country or "—"), status=_html(person.status),
            status_label=_html(statuses.get(person.status, person.status)),
            owner=_html(owners.get(person.owner_id, "—") if person.owner_id else "—"),
            tags="".join(tags_html[tag.name] for tag in person.tags)))
    return Markup("".join(html))  # noqa: S704 - every value escaped by _html
