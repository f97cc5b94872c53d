"""The influencer list's rows, prepared for the table: plain tuples of the texts each cell
shows, formatted once in Python.

A list page shows 25 to 100 rows of a dozen cells; written cell by cell in Jinja, each
row cost a URL build, a translated label, three Babel formatters and dozens of attribute
lookups through the template runtime. Here each row is built in one pass from the loaded
people and the page's lookups (labels, owners, figures, scores), and the template
(`templates/influencers/_list_table.html`) only places the texts, escaping them.
"""

from __future__ import annotations

from typing import Any, NamedTuple

from flask import url_for
from flask_babel import gettext as _
from jinja2.filters import do_urlencode
from sqlalchemy import select

from app.extensions import db
from app.i18n.formats import compact, number, percent
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
    they were added) and tags (by name): three plain SELECTs on primary and foreign keys."""
    if not ids:
        return []
    accounts: dict[int, list[LoadedAccount]] = {ident: [] for ident in ids}
    for owner, *account in db.session.execute(
            select(SocialAccount.influencer_id, SocialAccount.id, SocialAccount.platform,
                   SocialAccount.handle, SocialAccount.followers,
                   SocialAccount.engagement_rate)
            .where(SocialAccount.influencer_id.in_(ids)).order_by(SocialAccount.id)):
        accounts[owner].append(LoadedAccount(*account))
    tags: dict[int, list[LoadedTag]] = {ident: [] for ident in ids}
    for owner, name in db.session.execute(
            select(influencer_tag.c.influencer_id, Tag.name)
            .join(Tag, Tag.id == influencer_tag.c.tag_id)
            .where(influencer_tag.c.influencer_id.in_(ids)).order_by(Tag.name)):
        tags[owner].append(LoadedTag(name))
    found = {row[0]: Person(*row, accounts[row[0]], tags[row[0]]) for row in db.session.execute(
        select(Influencer.id, Influencer.display_name, Influencer.kind, Influencer.country,
               Influencer.status, Influencer.owner_id, Influencer.followers_total,
               Influencer.engagement_rate).where(Influencer.id.in_(ids)))}
    return [found[ident] for ident in ids if ident in found]


class Account(NamedTuple):
    platform: str  # the code, for the CSS class
    label: str
    handle: str


class TagLink(NamedTuple):
    name: str
    quoted: str  # for the ?tag= link


class Row(NamedTuple):
    id: int
    url: str
    name: str
    select_label: str  # the checkbox's "Select Marie Durand"
    kind: str
    accounts: list[Account]
    followers: str  # compact (12,4 k)
    followers_exact: str  # the cell's title (12 400)
    engagement: str
    score: str | None  # None: not scored in the latest run
    community: int | None
    community_name: str
    country: str
    status: str  # the code, for the CSS class
    status_label: str
    owner: str
    tags: list[TagLink]


def rows(people: list[Any], figures: dict[int, tuple], scores: dict[int, tuple],
         labels: dict[str, dict[str, str]], owners: dict[int, str]) -> list[Row]:
    """One Row per loaded person, in order. `figures`: id → (followers, engagement);
    `scores`: id → (score, community number, community name); `labels`: kind, status and
    platform labels in the reader's language; `owners`: user id → name."""
    prefix, _id, suffix = url_for("influencers.show", influencer_id=_ID).partition(str(_ID))
    kinds, statuses, platforms = labels["kind"], labels["status"], labels["platform"]
    quoted: dict[str, str] = {}  # tag name → its URL form; tags repeat down a page
    built = []
    for person in people:
        followers, engagement = figures[person.id]
        scored = scores.get(person.id)
        tags = []
        for tag in person.tags:
            if tag.name not in quoted:
                quoted[tag.name] = do_urlencode(tag.name)
            tags.append(TagLink(tag.name, quoted[tag.name]))
        built.append(Row(
            id=person.id, url=f"{prefix}{person.id}{suffix}", name=person.display_name,
            select_label=_("Select %(name)s", name=person.display_name),
            kind=kinds.get(person.kind, person.kind),
            accounts=[Account(a.platform, platforms.get(a.platform, a.platform), a.handle)
                      for a in person.accounts],
            followers=compact(followers), followers_exact=number(followers),
            engagement=percent(engagement),
            score=f"{scored[0]:.0f}" if scored else None,  # 0–100: no digit group
            community=scored[1] if scored else None,
            community_name=scored[2] if scored else "",
            country=person.country or "—", status=person.status,
            status_label=statuses.get(person.status, person.status),
            owner=owners.get(person.owner_id, "—") if person.owner_id else "—",
            tags=tags,
        ))
    return built
