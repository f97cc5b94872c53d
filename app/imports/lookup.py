"""Who the rows of an import batch are: the existing influencers their identity keys
(accounts, profile addresses of sites, e-mails, ids) point at, and those people loaded
with what the update rules need (values, accounts, tags, latest audience snapshots).

One query per identity key kind and a few per batch, whatever its size.
"""

from __future__ import annotations

from sqlalchemy import func, select

from app.core.bulk import among
from app.extensions import db
from app.imports.parsing.rows import NormalisedRow
from app.imports.people import DENORMALISED, FIGURES, PERSON_FIELDS, SITES, Person
from app.models import (
    AudienceShare,
    AudienceSnapshot,
    Influencer,
    SocialAccount,
    Tag,
    influencer_tag,
)

_INF, _ACC, _SNAP, _SHARE = (Influencer.__table__, SocialAccount.__table__,
                             AudienceSnapshot.__table__, AudienceShare.__table__)


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
    """The matched people with their accounts, tags and latest audience snapshots."""
    ids = {i for i in ids if i > 0}
    if not ids:
        return {}
    session = db.session
    people: dict[int, Person] = {}
    columns = [_INF.c[c] for c in ("id", "deleted_at", "import_id", "version",
                                   *PERSON_FIELDS, *DENORMALISED)]
    for found in session.execute(select(*columns).where(among(_INF.c.id, ids))).mappings().all():
        person = Person(found["id"], new=False)
        person.deleted = found["deleted_at"] is not None
        person.import_id = found["import_id"]
        person.version = found["version"]
        person.values = {f: found[f] for f in PERSON_FIELDS}
        person.stored = {f: found[f] for f in DENORMALISED}
        people[person.id] = person
    by_account: dict[int, tuple[Person, tuple[str, str]]] = {}
    account_columns = [_ACC.c[c] for c in ("id", "influencer_id", "platform", "handle",
                                           "profile_url", "version", *FIGURES)]
    for found in session.execute(select(*account_columns)
                                 .where(among(_ACC.c.influencer_id, people))
                                 .order_by(_ACC.c.id)).mappings().all():
        person = people[found["influencer_id"]]
        key = (found["platform"], found["handle"])
        person.accounts[key] = dict(found)
        by_account[found["id"]] = (person, key)
    for influencer_id, name in session.execute(
            select(influencer_tag.c.influencer_id, Tag.name)
            .join(Tag, Tag.id == influencer_tag.c.tag_id)
            .where(among(influencer_tag.c.influencer_id, people))).all():
        people[influencer_id].tags[name.casefold()] = name
    snapshots = {sid: (account_id, taken_on) for sid, account_id, taken_on in
                 session.execute(select(_SNAP.c.id, _SNAP.c.account_id, _SNAP.c.taken_on)
                                 .where(among(_SNAP.c.account_id, by_account),
                                        _SNAP.c.is_latest.is_(True))).all()} if by_account else {}
    shares: dict[int, dict[str, dict[str, float]]] = {sid: {} for sid in snapshots}
    if snapshots:
        for sid, dimension, key, share in session.execute(
                select(_SHARE.c.snapshot_id, _SHARE.c.dimension, _SHARE.c.key,
                       _SHARE.c.share).where(among(_SHARE.c.snapshot_id, snapshots))).all():
            shares[sid].setdefault(dimension, {})[key] = share
    for sid, (account_id, taken_on) in snapshots.items():
        if account_id in by_account:
            person, key = by_account[account_id]
            person.latest[key] = (taken_on, sid, shares[sid])
    return people
