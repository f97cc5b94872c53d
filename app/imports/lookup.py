"""Who the rows of an import batch are: the existing influencers their identity keys
(accounts, profile addresses of sites, e-mails, ids) point at, and those people loaded
with what the update rules need (values, accounts, tags, latest audience snapshots).

One query per identity key kind and a few per batch, whatever its size.
"""

from __future__ import annotations

import json
from datetime import date

from sqlalchemy import func, select

from app.core.bulk import among
from app.extensions import db
from app.imports.new_people import DENORMALISED, FIGURES, PERSON_FIELDS
from app.imports.parsing.rows import NormalisedRow
from app.imports.people import SITES, Person
from app.models import Influencer, SocialAccount

_INF, _ACC = Influencer.__table__, SocialAccount.__table__
# load_people's statements, below SQLAlchemy; `{among}`: see _Fetcher.
_PEOPLE_SQL = (f"SELECT id, deleted_at, import_id, version, {', '.join(PERSON_FIELDS)}, "  # noqa: S608
               f"{', '.join(DENORMALISED)} FROM influencer WHERE id {{among}}")
_ACCOUNT_NAMES = ("id", "influencer_id", "platform", "handle", "profile_url", "version",
                  *FIGURES)
_ACCOUNTS_SQL = (f"SELECT {', '.join(_ACCOUNT_NAMES)} FROM social_account "  # noqa: S608
                 "WHERE influencer_id {among} ORDER BY id")


# --- reading --------------------------------------------------------------------------

def find_matches(rows: list[NormalisedRow], by_keys: bool = True) -> dict[int, set[int]]:
    """line → the existing influencers its identity keys point at (`by_keys=False`: only
    the influencer ids the rows give)."""
    handles, emails, urls, ids = set(), set(), set(), set()
    for row in rows:
        if row.person.get("influencer_id"):
            ids.add(row.person["influencer_id"])
        if not by_keys:
            continue
        for account in row.accounts:
            handles.add(account["handle"])
            if account["platform"] in SITES and account.get("profile_url"):
                urls.add(str(account["profile_url"]).lower().rstrip("/"))
        if row.person.get("email"):
            emails.add(row.person["email"])
    if not by_keys and not ids:
        return {}
    session = db.session
    by_account = {(p, h): i for i, p, h in session.execute(
        select(_ACC.c.influencer_id, _ACC.c.platform, _ACC.c.handle)
        .where(among(_ACC.c.handle, handles))).all()} if handles else {}
    by_email: dict[str, set[int]] = {}
    if emails:
        for i, email in session.execute(select(_INF.c.id, _INF.c.email)
                                        .where(among(_INF.c.email, emails))).all():
            by_email.setdefault(email, set()).add(i)
    by_url: dict[str, set[int]] = {}
    if urls:
        lowered = func.rtrim(func.lower(_ACC.c.profile_url), "/")
        for i, url in session.execute(select(_ACC.c.influencer_id, lowered).where(
                _ACC.c.platform.in_(SITES), among(lowered, urls))):
            by_url.setdefault(url, set()).add(i)
    known_ids = set(session.scalars(select(_INF.c.id).where(among(_INF.c.id, ids)))) \
        if ids else set()
    found: dict[int, set[int]] = {}
    for row in rows:
        hits: set[int] = set()
        for key in row.identity_keys() if by_keys else ():
            if key[0] == "account":
                if key[1:] in by_account:
                    hits.add(by_account[key[1:]])
            elif key[0] == "email":
                hits |= by_email.get(key[1], set())
            else:
                hits |= by_url.get(key[1], set())
        if row.person.get("influencer_id") in known_ids:
            hits.add(row.person["influencer_id"])  # type: ignore[arg-type]
        if hits:
            found[row.line] = hits
    return found


def load_people(ids: set[int]) -> dict[int, Person]:
    """The matched people with their accounts, tags and latest audience snapshots.

    Five queries below SQLAlchemy (its statement building and result rows cost more than
    the queries for the ~200 people a batch of a big file loads): the driver's tuples,
    SQLite's dates turned into dates as SQLAlchemy would."""
    ids = {i for i in ids if i > 0}
    if not ids:
        return {}
    fetch = _Fetcher()
    people: dict[int, Person] = {}
    width = len(PERSON_FIELDS)
    for found in fetch(_PEOPLE_SQL, ids):
        person = Person(found[0], new=False)
        person.deleted = found[1] is not None
        person.import_id = found[2]
        person.version = found[3]
        values = dict(zip(PERSON_FIELDS, found[4:4 + width], strict=True))
        values["date_of_birth"] = fetch.day(values["date_of_birth"])
        person.values = values
        person.stored = dict(zip(DENORMALISED, found[4 + width:], strict=True))
        people[person.id] = person
    by_account: dict[int, tuple[Person, tuple[str, str]]] = {}
    for found in fetch(_ACCOUNTS_SQL, people):
        account = dict(zip(_ACCOUNT_NAMES, found, strict=True))
        account["figures_on"] = fetch.day(account["figures_on"])
        person = people[account["influencer_id"]]
        key = (account["platform"], account["handle"])
        person.accounts[key] = account
        by_account[account["id"]] = (person, key)
    for influencer_id, name in fetch(
            "SELECT l.influencer_id, t.name FROM influencer_tag l JOIN tag t ON t.id = l.tag_id "
            "WHERE l.influencer_id {among}", people):
        people[influencer_id].tags[name.casefold()] = name
    snapshots = {sid: (account_id, fetch.day(taken_on)) for sid, account_id, taken_on in fetch(
        "SELECT id, account_id, taken_on FROM audience_snapshot "
        "WHERE account_id {among} AND is_latest", by_account)} if by_account else {}
    shares: dict[int, dict[str, dict[str, float]]] = {sid: {} for sid in snapshots}
    if snapshots:
        for sid, dimension, key, share in fetch(
                "SELECT snapshot_id, dimension, key, share FROM audience_share "
                "WHERE snapshot_id {among}", snapshots):
            shares[sid].setdefault(dimension, {})[key] = share
    for sid, (account_id, taken_on) in snapshots.items():
        if account_id in by_account:
            person, key = by_account[account_id]
            person.latest[key] = (taken_on, sid, shares[sid])
    return people


class _Fetcher:
    """`fetch(sql, ids)`: the rows of `sql`, whose `{among}` becomes "is one of `ids`" (one
    parameter, as bulk.among), through the session's own connection and transaction."""

    def __init__(self) -> None:
        connection = db.session.connection()
        self.sqlite = connection.dialect.name == "sqlite"
        self.raw = connection.connection.dbapi_connection

    def __call__(self, sql: str, ids) -> list[tuple]:
        if self.sqlite:
            sql, parameter = (sql.format(among="IN (SELECT value FROM json_each(?))"),
                              json.dumps(list(ids)))
        else:
            sql, parameter = sql.format(among="= ANY(%s)"), list(ids)
        cursor = self.raw.cursor()
        try:
            cursor.execute(sql, (parameter,))
            return cursor.fetchall()
        finally:
            cursor.close()

    def day(self, value):
        """A stored date as a date (SQLite stores text)."""
        if self.sqlite and isinstance(value, str):
            return date.fromisoformat(value)
        return value
