"""A new influencer's database rows, made straight from its only row.

Most rows of a big file are new people named once. Their rows (the influencer's values
and denormalised columns, its accounts, audience snapshots and ranked shares, its tags)
depend on that row alone: the writer (writer.py) makes them here as tuples, adds the ids
it allocates and the import's own columns, and skips the `Person` record of people.py,
whose rules these rows follow exactly. A row that a later row of its batch merges into,
or that names one account twice, takes the long way (`Person.create`).

Dates are ISO text: SQLite stores them so, PostgreSQL's COPY reads them.
"""

from __future__ import annotations

from datetime import date
from operator import itemgetter

from app.codes import AGE_BANDS
from app.imports.parsing.rows import NormalisedRow
from app.models.influencer import AGE_COLUMNS

PERSON_VALUES = ("display_name", "legal_name", "email", "phone", "city", "country", "kind",
                 "status", "notes", "languages", "agent_name", "agent_email")
PERSON_FIELDS = (*PERSON_VALUES, "date_of_birth")
COUNTS = ("followers", "following", "posts", "avg_likes", "avg_comments", "avg_views",
          "engagement_rate", "credibility")
FIGURES = (*COUNTS, "figures_on")
DENORMALISED = ("followers_total", "engagement_rate", "search_text", "sort_name",
                "audience_female", "audience_top_country", *AGE_COLUMNS.values())
_KIND, _STATUS = PERSON_VALUES.index("kind"), PERSON_VALUES.index("status")
_BY_SHARE = itemgetter(1)

# (values in PERSON_FIELDS order, denormalised values in DENORMALISED order,
#  accounts as (platform, handle, profile_url, *COUNTS, figures_on),
#  snapshots as (account's index, taken_on, followers, credibility,
#                shares as [(dimension, key, share, rank)]),
#  tags as (casefolded name, name))
Prepared = tuple[tuple, tuple, tuple[tuple, ...], tuple[tuple, ...], tuple[tuple[str, str], ...]]


def clean_shares(audience: dict[str, dict[str, float | None]]) -> dict[str, dict[str, float]]:
    """As app.influencers.service.add_snapshot keeps them: no empty or zero shares."""
    clean = {}
    for dimension, values in audience.items():
        kept = {str(k)[:60]: float(v) for k, v in values.items() if v}
        if kept:
            clean[dimension] = kept
    return clean


def ranked(values: dict[str, float]) -> list[tuple[str, float, int]]:
    """One dimension's shares as (key, share, rank): largest first, ties by key."""
    if len(values) == 1:  # the common case (a gender share, a top country)
        return [(key, share, 1) for key, share in values.items()]
    # Two sorts in C, the second one stable.
    return [(key, share, rank) for rank, (key, share) in enumerate(
        sorted(sorted(values.items()), key=_BY_SHARE, reverse=True), 1)]


def audience_columns(shares: dict[str, dict[str, float]]) -> tuple:
    """The influencer's audience columns from its main account's latest shares: the
    female share, the top country (ties by code), each age band's share."""
    countries = shares.get("country")
    if countries and len(countries) == 1:
        top = next(iter(countries))
    else:
        top = min(countries.items(), key=lambda kv: (-kv[1], kv[0]))[0] if countries else None
    ages = shares.get("age", {})
    return (shares.get("gender", {}).get("female"), top, *map(ages.get, AGE_BANDS))


def prepare(row: NormalisedRow, today: date) -> Prepared | None:
    """The rows of a new influencer made from `row`, whose search text and sort key the
    reading process folded (`row.texts`, parsing/batches.py), as Person.create and the
    writer make them; None for a row naming one account twice (the long way merges them)."""
    given = row.person
    values = list(map(given.get, PERSON_VALUES))
    values[0] = row.display_name()[:200]
    values[_KIND] = values[_KIND] or "other"
    values[_STATUS] = values[_STATUS] or "prospect"
    born = given.get("date_of_birth")
    values.append(born.isoformat() if born else None)
    accounts, snapshots, keys = [], [], set()
    followers, rate, main = 0, None, None  # main: the audience the columns show
    for index, spec in enumerate(row.accounts):
        key = (spec["platform"], spec["handle"])
        if key in keys:
            return None
        keys.add(key)
        counted = spec.get("followers") or 0
        followers += counted
        found_rate = spec.get("engagement_rate")
        if found_rate is not None and (rate is None or found_rate > rate):
            rate = found_rate
        day = spec.get("figures_on")
        accounts.append((*key, spec.get("profile_url"), *map(spec.get, COUNTS),
                         day.isoformat() if day else None))
        audience = clean_shares(spec.get("audience") or {})
        if not audience:
            continue
        # The most followed account's audience; on a tie, the later account's (its id
        # is the larger one, as Person.denormalised_values breaks ties).
        if main is None or counted >= main[0]:
            main = (counted, audience)
        shares = [(dimension, *share) for dimension, kept in audience.items()
                  for share in ranked(kept)]
        snapshots.append((index, (day or today).isoformat(), spec.get("followers"),
                          spec.get("credibility"), shares))
    searched, sort_name = row.texts
    denormalised = (followers, rate, searched, sort_name,
                    *audience_columns(main[1] if main else {}))
    tags: dict[str, str] = {}
    for tag in row.tags:
        tags.setdefault(tag.casefold(), tag)
    return tuple(values), denormalised, tuple(accounts), tuple(snapshots), tuple(tags.items())
