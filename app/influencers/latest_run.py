"""The latest finished scoring run, as the influencer list shows it: its id, its
communities offered in the filter, and the scores and communities of one page's people."""

from __future__ import annotations

from typing import Any

from flask_babel import get_translations
from flask_babel import gettext as _
from sqlalchemy import select

from app.core import driver_sql
from app.extensions import db
from app.i18n.formats import number as number_format
from app.models import Community, InfluencerScore

# Louvain leaves every isolated person in a community of their own: the filter offers the
# biggest ones (plus the one asked for), not tens of thousands of singletons.
COMMUNITY_CHOICES = 50


def as_int(value: Any) -> int | None:
    """A query argument as a 32-bit integer (an id or a community number), else None."""
    try:
        number = int(value)
    except (TypeError, ValueError):
        return None
    return number if -2**31 <= number < 2**31 else None


def latest_run_id() -> int | None:
    """The run the list shows (as app.scoring.rescoring.latest_run, without loading it)."""
    found = latest_run_key()
    return found[0] if found else None


def latest_run_key() -> tuple[int, Any] | None:
    """(id, finish time as the driver reads it) of the run the list shows: what tells it
    apart from any other run that had or will have its id (SQLite may give a deleted row's
    id again; a restored backup holds other runs). Every list page's: sent as written."""
    found = driver_sql.fetch(
        "SELECT id, finished_at FROM scoring_run WHERE status = {p} ORDER BY id DESC LIMIT 1",
        "done")
    return found[0] if found else None


def community_name(number: int, label: str | None) -> str:
    """A community's stored label (its commonest tags), else "Community N" in the user's
    language, as the network view and the profile say it."""
    return label or _("Community %(number)s", number=number)


def communities(run_id: int, wanted: Any = None) -> list[tuple[str, str]]:
    """The filter's choices: the run's COMMUNITY_CHOICES biggest communities, biggest
    first, as (number, "label · N people"); plus the `wanted` one (a community link from a
    row) when it is smaller, so that it can be chosen and shown."""
    stmt = select(Community.number, Community.label, Community.size).where(
        Community.run_id == run_id)
    rows = list(db.session.execute(stmt.order_by(Community.size.desc(), Community.number)
                                   .limit(COMMUNITY_CHOICES)))
    wanted = as_int(wanted)
    if wanted is not None and all(number != wanted for number, _label, _size in rows):
        rows += db.session.execute(stmt.where(Community.number == wanted)).all()
    # flask_babel.ngettext would put the raw count in the message; the counts here are
    # formatted ("1 234 personnes") as the templates show them. The catalogue is fetched
    # once, and Babel's (slow) formatting skipped below 1 000: no digit group to place.
    people = get_translations().ungettext
    return [(str(number), f"{community_name(number, label)} · " + people(
        "%(num)s person", "%(num)s people", size) % {
        "num": number_format(size) if size >= 1000 else str(size)})
        for number, label, size in rows]


def page_scores(run_id: int | None, ids: list[int]) -> dict[int, tuple[float, int, str]]:
    """influencer → (score, community number, community name) in the run, for one page's
    people: one query on the scores' (influencer, run) key, sent to the driver as written
    (app/core/driver_sql.py); each community named once."""
    if run_id is None or not ids:
        return {}
    connection = db.session.connection()
    among, values = driver_sql.among(connection, ids)
    rows = connection.exec_driver_sql(
        "SELECT score.influencer_id, score.score, score.community, community.label "  # noqa: S608 - placeholders only
        f"FROM {InfluencerScore.__table__.name} AS score "
        f"LEFT JOIN {Community.__table__.name} AS community ON community.run_id = score.run_id "
        "AND community.number = score.community "
        f"WHERE score.run_id = {driver_sql.placeholder(connection)} "
        f"AND score.influencer_id {among}", (run_id, *values))
    names: dict[int, str] = {}
    return {ident: (score, number, names.get(number) or names.setdefault(
        number, community_name(number, label))) for ident, score, number, label in rows}
