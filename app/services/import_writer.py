"""The database side of one import batch: who each row is, what it changes, bulk writes.

Called by app.services.imports for each batch of ~2 000 normalised rows. Per batch: one
query per identity key kind (accounts, profile addresses, e-mails, ids), a few to load the
matched people, then Core bulk inserts/updates (no ORM object per row: the per-object
audit listener is bypassed on purpose, the import writes one audit event per run and its
`ImportChange` rows are the detailed trail). A dry run goes through the same decisions and
counts, and writes nothing.

Rows of a person seen earlier in the file (`same_as`) are merged into that person's record
with the update rules; `Importer.person_of_line` remembers, per line, the influencer a
row became (4 bytes a line: memory stays flat). In a dry run people "created" in an
earlier batch do not exist, so a later duplicate of them counts as updated.
"""

from __future__ import annotations

from array import array
from collections import Counter
from datetime import date
from typing import Any

from sqlalchemy import bindparam, delete, func, insert, select, text, update

from app.extensions import db
from app.imports.handles import N_, HandleError, normalise_handle
from app.imports.rows import NormalisedRow, RowProblem
from app.models import (
    AudienceShare,
    AudienceSnapshot,
    Import,
    ImportChange,
    ImportProblem,
    Influencer,
    SocialAccount,
    Tag,
    influencer_tag,
)
from app.models.base import utcnow
from app.models.imports import VALUE_LIMIT
from app.models.influencer import AGE_COLUMNS
from app.services import search_index

PERSON_FIELDS = ("display_name", "legal_name", "email", "phone", "city", "country", "kind",
                 "status", "notes", "languages", "agent_name", "agent_email", "date_of_birth")
FIGURES = ("followers", "following", "posts", "avg_likes", "avg_comments", "avg_views",
           "engagement_rate", "credibility", "figures_on")
DENORMALISED = ("followers_total", "engagement_rate", "search_text", "audience_female",
                "audience_top_country", *AGE_COLUMNS.values())
SITES = ("blog", "podcast", "newsletter", "other")
_INF, _ACC, _SNAP, _SHARE = (Influencer.__table__, SocialAccount.__table__,
                             AudienceSnapshot.__table__, AudienceShare.__table__)


def _derived_url(key: tuple[str, str]) -> str | None:
    """The address handles.py makes from (platform, handle): no news in an import row."""
    try:
        return normalise_handle(key[1], key[0])[2]
    except HandleError:
        return None


def _same(old: Any, new: Any) -> bool:
    if isinstance(old, float) and isinstance(new, float | int):
        return abs(old - new) < 5e-7  # the export writes 6 decimals
    return old == new


def _blank(field: str, value: Any) -> bool:
    return value is None or value == "" or (field == "kind" and value == "other")


def _clean_shares(audience: dict[str, dict[str, float | None]]) -> dict[str, dict[str, float]]:
    """As influencers.add_snapshot keeps them: no empty or zero shares."""
    clean = {}
    for dimension, values in audience.items():
        kept = {str(k)[:60]: float(v) for k, v in values.items() if v}
        if kept:
            clean[dimension] = kept
    return clean


class Person:
    """One influencer as this batch sees it: loaded (existing) or being created."""

    __slots__ = ("id", "new", "row", "import_id", "deleted", "values", "accounts", "tags",
                 "new_tags", "latest", "snapshots", "before", "account_before",
                 "new_accounts", "superseded", "changed", "version")

    def __init__(self, ident: int, new: bool) -> None:
        self.id = ident
        self.new = new
        self.row = 0
        self.import_id: int | None = None
        self.deleted = False
        self.values: dict[str, Any] = {}
        self.accounts: dict[tuple[str, str], dict[str, Any]] = {}
        self.tags: dict[str, str] = {}  # casefold → name
        self.new_tags: list[str] = []
        self.latest: dict[tuple[str, str], tuple[date, int, dict]] = {}  # per account
        self.snapshots: list[dict[str, Any]] = []
        self.before: dict[str, Any] = {}
        self.account_before: dict[int, dict[str, Any]] = {}
        self.new_accounts: list[tuple[str, str]] = []
        self.superseded: list[int] = []
        self.changed = False
        self.version = 1

    def merge(self, row: NormalisedRow, today: date) -> bool:
        """The update rules: blanks filled, newer figures win, tags added, a new audience
        snapshot when it differs from the latest. → whether anything changed."""
        changed = False
        for field in PERSON_FIELDS:
            value = row.person.get(field)
            current = self.values.get(field)
            if value is None or not _blank(field, current) or _same(current, value):
                continue
            self.before.setdefault(field, current)
            self.values[field] = value
            changed = True
        for spec in row.accounts:
            changed |= self._merge_account(spec, today)
        for tag in row.tags:
            if tag.casefold() not in self.tags:
                self.tags[tag.casefold()] = tag
                self.new_tags.append(tag)
                changed = True
        self.changed |= changed
        return changed

    def _merge_account(self, spec: dict[str, Any], today: date) -> bool:
        key = (spec["platform"], spec["handle"])
        account = self.accounts.get(key)
        if account is None:
            self.accounts[key] = {"platform": key[0], "handle": key[1],
                                  "profile_url": spec.get("profile_url"),
                                  **{f: spec.get(f) for f in FIGURES}}
            self.new_accounts.append(key)
            self._snapshot(key, spec, today)
            return True
        changed = False
        old_day, new_day = account.get("figures_on"), spec.get("figures_on")
        newer = not (old_day and new_day and new_day < old_day)
        saved = self.account_before.setdefault(account["id"], {}) if "id" in account else {}
        for field in ("profile_url", *FIGURES):
            value = spec.get(field)
            current = account.get(field)
            if value is None or _same(current, value):
                continue
            if field == "profile_url" and (current or _derived_url(key) == value):
                continue  # identity: only filled when blank, and when it says more
            if field != "profile_url" and not newer:
                continue
            saved.setdefault(field, current)
            account[field] = value
            changed = True
        return self._snapshot(key, spec, today) or changed

    def _snapshot(self, key: tuple[str, str], spec: dict[str, Any], today: date) -> bool:
        audience = _clean_shares(spec.get("audience") or {})
        if not audience:
            return False
        taken_on = spec.get("figures_on") or today
        latest = self.latest.get(key)
        if latest and latest[2] == audience:
            return False
        snapshot = {"key": key, "taken_on": taken_on, "shares": audience,
                    "followers": spec.get("followers"), "credibility": spec.get("credibility")}
        self.snapshots.append(snapshot)
        if latest is None or taken_on >= latest[0]:
            if latest and latest[1] > 0:
                self.superseded.append(latest[1])
            self.latest[key] = (taken_on, 0, audience)
            snapshot["is_latest"] = True
        else:
            snapshot["is_latest"] = False
        return True

    def denormalised(self) -> dict[str, Any]:
        """refresh_denormalised's values, computed from this state."""
        accounts = list(self.accounts.values())
        rates = [a["engagement_rate"] for a in accounts if a.get("engagement_rate") is not None]
        words = [self.values.get("display_name"), self.values.get("legal_name"),
                 self.values.get("email")] + [a["handle"] for a in accounts]
        found = {"followers_total": sum(a.get("followers") or 0 for a in accounts),
                 "engagement_rate": max(rates) if rates else None,
                 "search_text": " ".join(str(w).lower() for w in words if w)}
        with_audience = [(self.accounts[k].get("followers") or 0, self.accounts[k].get("id", 0),
                          v[2]) for k, v in self.latest.items() if k in self.accounts]
        shares = max(with_audience, key=lambda t: (t[0], t[1]))[2] if with_audience else {}
        found["audience_female"] = shares.get("gender", {}).get("female")
        countries = shares.get("country", {})
        found["audience_top_country"] = (
            sorted(countries.items(), key=lambda kv: (-kv[1], kv[0]))[0][0] if countries else None)
        ages = shares.get("age", {})
        for band, column in AGE_COLUMNS.items():
            found[column] = ages.get(band)
        return found


class Importer:
    """The state of one run across batches: counts, and which line became whom."""

    def __init__(self, imp: Import, dry_run: bool, user_id: int | None) -> None:
        self.imp = imp
        self.mode = imp.mode
        self.dry_run = dry_run
        self.user_id = user_id
        self.counts: Counter[str] = Counter()
        self.person_of_line = array("i")
        self.detail = f"{imp.filename} (import #{imp.id})"[:255]
        self.today = date.today()
        self.postgresql = db.engine.dialect.name == "postgresql"

    # --- bookkeeping ---------------------------------------------------------------------

    def _remember(self, line: int, ident: int) -> None:
        lines = self.person_of_line
        if line >= len(lines):
            lines.extend(bytes(4 * max(line + 1 - len(lines), 65536)))  # zeros
        lines[line] = ident

    def _person_at(self, line: int) -> int:
        return self.person_of_line[line] if line < len(self.person_of_line) else 0

    # --- one batch -------------------------------------------------------------------------

    def process(self, items: list[NormalisedRow | list[RowProblem]]) -> None:
        problems: list[RowProblem] = []
        rows: list[NormalisedRow] = []
        for item in items:
            if isinstance(item, NormalisedRow):
                rows.append(item)
            else:
                problems.extend(item)
                self.counts["rejected"] += 1
        matches = self._matches(rows) if rows else {}
        people = self._load({i for found in matches.values() for i in found if i > 0}
                            | {self._person_at(r.same_as) for r in rows if r.same_as} - {0})
        created: dict[int, Person] = {}
        for row in rows:
            problem = self._apply(row, matches.get(row.line, set()), people, created)
            if problem is not None:
                problems.append(problem)
                self.counts["rejected"] += 1
        if not self.dry_run:
            self._write(created, [p for p in people.values() if p.changed])
        self._write_problems(problems)

    def _apply(self, row: NormalisedRow, found: set[int], people: dict[int, Person],
               created: dict[int, Person]) -> RowProblem | None:
        targets = set(found)
        if row.same_as and self._person_at(row.same_as):
            targets.add(self._person_at(row.same_as))
        if len(targets) > 1:
            shown = sorted(t for t in targets if t > 0)
            if len(shown) > 1:
                return _reject(row, N_("this row matches two different influencers "
                                       "(#%(first)d and #%(second)d)"),
                               first=shown[0], second=shown[1])
            return _reject(row, N_("this row matches two different influencers"))
        if not targets:
            if self.mode == "update":
                return _reject(row, N_("no matching influencer"))
            person = Person(-row.line, new=True)
            person.row = row.line
            person.merge(row, self.today)
            person.values["display_name"] = row.display_name()[:200]
            person.new_accounts.clear()  # all of a new person's accounts are new anyway
            created[-row.line] = person
            self._remember(row.line, -row.line)
            self.counts["created"] += 1
            return None
        target = targets.pop()
        person = people.get(target) or created.get(target)
        if person is None:  # dry run: created in an earlier batch, not written
            self._remember(row.line, target)
            self.counts["updated"] += 1
            return None
        if person.deleted:
            return _reject(row, N_("matches influencer #%(id)d, which is in the trash"),
                           id=person.id)
        if self.mode == "create" and not person.new and person.import_id != self.imp.id:
            return _reject(row, N_("already exists (influencer #%(id)d)"), id=person.id)
        self._remember(row.line, target)
        changed = person.merge(row, self.today)
        self.counts["updated" if changed else "unchanged"] += 1
        return None

    # --- reading --------------------------------------------------------------------------

    def _matches(self, rows: list[NormalisedRow]) -> dict[int, set[int]]:
        """line → the existing influencers its identity keys point at."""
        handles, emails, urls, ids = set(), set(), set(), set()
        for row in rows:
            for account in row.accounts:
                handles.add(account["handle"])
                if account["platform"] in SITES and account.get("profile_url"):
                    urls.add(str(account["profile_url"]).lower().rstrip("/"))
            if row.person.get("email"):
                emails.add(row.person["email"])
            if row.person.get("influencer_id"):
                ids.add(row.person["influencer_id"])
        session = db.session
        by_account = {(p, h): i for i, p, h in session.execute(
            select(_ACC.c.influencer_id, _ACC.c.platform, _ACC.c.handle)
            .where(_ACC.c.handle.in_(handles)))} if handles else {}
        by_email: dict[str, set[int]] = {}
        if emails:
            for i, email in session.execute(select(_INF.c.id, _INF.c.email)
                                            .where(_INF.c.email.in_(emails))):
                by_email.setdefault(email, set()).add(i)
        by_url: dict[str, set[int]] = {}
        if urls:
            lowered = func.rtrim(func.lower(_ACC.c.profile_url), "/")
            for i, url in session.execute(select(_ACC.c.influencer_id, lowered).where(
                    _ACC.c.platform.in_(SITES), lowered.in_(urls))):
                by_url.setdefault(url, set()).add(i)
        known_ids = set(session.scalars(select(_INF.c.id).where(_INF.c.id.in_(ids)))) \
            if ids else set()
        found: dict[int, set[int]] = {}
        for row in rows:
            hits: set[int] = set()
            for key in row.identity_keys():
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

    def _load(self, ids: set[int]) -> dict[int, Person]:
        """The matched people with their accounts, tags and latest audience snapshots."""
        ids = {i for i in ids if i > 0}
        if not ids:
            return {}
        session = db.session
        people: dict[int, Person] = {}
        columns = [_INF.c[c] for c in ("id", "deleted_at", "import_id", "version",
                                       *PERSON_FIELDS)]
        for found in session.execute(select(*columns).where(_INF.c.id.in_(ids))).mappings():
            person = Person(found["id"], new=False)
            person.deleted = found["deleted_at"] is not None
            person.import_id = found["import_id"]
            person.version = found["version"]
            person.values = {f: found[f] for f in PERSON_FIELDS}
            people[person.id] = person
        by_account: dict[int, tuple[Person, tuple[str, str]]] = {}
        account_columns = [_ACC.c[c] for c in ("id", "influencer_id", "platform", "handle",
                                               "profile_url", "version", *FIGURES)]
        for found in session.execute(select(*account_columns)
                                     .where(_ACC.c.influencer_id.in_(list(people)))
                                     .order_by(_ACC.c.id)).mappings():
            person = people[found["influencer_id"]]
            key = (found["platform"], found["handle"])
            person.accounts[key] = dict(found)
            by_account[found["id"]] = (person, key)
        for influencer_id, name in session.execute(
                select(influencer_tag.c.influencer_id, Tag.name)
                .join(Tag, Tag.id == influencer_tag.c.tag_id)
                .where(influencer_tag.c.influencer_id.in_(list(people)))):
            people[influencer_id].tags[name.casefold()] = name
        snapshots = {sid: (account_id, taken_on) for sid, account_id, taken_on in
                     session.execute(select(_SNAP.c.id, _SNAP.c.account_id, _SNAP.c.taken_on)
                                     .where(_SNAP.c.influencer_id.in_(list(people)),
                                            _SNAP.c.is_latest.is_(True)))}
        shares: dict[int, dict[str, dict[str, float]]] = {sid: {} for sid in snapshots}
        if snapshots:
            for sid, dimension, key, share in session.execute(
                    select(_SHARE.c.snapshot_id, _SHARE.c.dimension, _SHARE.c.key,
                           _SHARE.c.share).where(_SHARE.c.snapshot_id.in_(list(snapshots)))):
                shares[sid].setdefault(dimension, {})[key] = share
        for sid, (account_id, taken_on) in snapshots.items():
            if account_id in by_account:
                person, key = by_account[account_id]
                person.latest[key] = (taken_on, sid, shares[sid])
        return people

    # --- writing --------------------------------------------------------------------------

    def _allocate(self, table, count: int) -> list[int]:
        """Ids for `count` new rows, taken before inserting so children can point at them.
        SQLite: the caller holds the write lock (max(id) cannot move under us);
        PostgreSQL: from the table's sequence."""
        if not count:
            return []
        session = db.session
        if self.postgresql:
            sequence = f"SELECT nextval(pg_get_serial_sequence('\"{table.name}\"', 'id')) "
            query = text(sequence + "FROM generate_series(1, :n)")  # noqa: S608 - our table
            return list(session.scalars(query, {"n": count}))
        start = session.scalar(select(func.coalesce(func.max(table.c.id), 0)))
        return list(range(start + 1, start + 1 + count))

    def _write(self, created: dict[int, Person], changed: list[Person]) -> None:
        if not created and not changed:
            return
        session = db.session
        now = utcnow()
        # First write of the batch: on SQLite it takes the write lock before max(id).
        session.execute(update(Import.__table__).where(Import.__table__.c.id == self.imp.id)
                        .values(updated_at=now))
        new_people = list(created.values())
        for person, ident in zip(new_people, self._allocate(_INF, len(new_people)), strict=True):
            self._remember(person.row, ident)
            person.id = ident
        new_accounts = [(p, k) for p in new_people for k in p.accounts]
        new_accounts += [(p, k) for p in changed for k in p.new_accounts]
        for (person, key), ident in zip(new_accounts, self._allocate(_ACC, len(new_accounts)),
                                        strict=True):
            person.accounts[key]["id"] = ident
        self._insert_people(new_people, now)
        self._insert_accounts(new_accounts, now)
        self._insert_snapshots([*new_people, *changed], now)
        self._update_people(changed, now)
        self._link_tags(new_people, changed)
        self._record_changes([p for p in changed if p.import_id != self.imp.id])

    def _insert_people(self, people: list[Person], now) -> None:
        if not people:
            return
        rows = []
        for person in people:
            values = {f: person.values.get(f) for f in PERSON_FIELDS}
            values["kind"] = values["kind"] or "other"
            values["status"] = values["status"] or "prospect"
            person.values.update(values)
            rows.append({**values, **person.denormalised(), "id": person.id,
                         "owner_id": self.user_id, "created_by_id": self.user_id,
                         "data_source": "import", "data_source_detail": self.detail,
                         "lawful_basis": "legitimate_interest", "import_id": self.imp.id,
                         "address": None, "tax_country": None, "informed_on": None,
                         "consent_on": None, "erased_at": None, "deleted_at": None,
                         "version": 1, "created_at": now, "updated_at": now})
        with search_index.bulk_insert(db.session, [row["id"] for row in rows]):
            db.session.execute(insert(_INF), rows)

    def _insert_accounts(self, accounts: list[tuple[Person, tuple[str, str]]], now) -> None:
        if not accounts:
            return
        rows = []
        for person, key in accounts:
            account = person.accounts[key]
            rows.append({"id": account["id"], "influencer_id": person.id, "platform": key[0],
                         "handle": key[1], "profile_url": account.get("profile_url"),
                         **{f: account.get(f) for f in FIGURES}, "version": 1,
                         "created_at": now, "updated_at": now,
                         "created_by_id": self.user_id})
        db.session.execute(insert(_ACC), rows)

    def _insert_snapshots(self, people: list[Person], now) -> None:
        pending = [(p, s) for p in people for s in p.snapshots]
        if not pending:
            return
        ids = self._allocate(_SNAP, len(pending))
        rows, shares, superseded = [], [], []
        for (person, snapshot), ident in zip(pending, ids, strict=True):
            snapshot["id"] = ident
            latest = snapshot["is_latest"]
            rows.append({"id": ident, "account_id": person.accounts[snapshot["key"]]["id"],
                         "influencer_id": person.id, "taken_on": snapshot["taken_on"],
                         "followers": snapshot["followers"],
                         "credibility": snapshot["credibility"], "source": self.detail[:120],
                         "is_latest": latest, "created_at": now, "updated_at": now,
                         "created_by_id": self.user_id})
            for dimension, values in snapshot["shares"].items():
                ranked = sorted(values.items(), key=lambda kv: (-kv[1], kv[0]))
                shares += [{"snapshot_id": ident, "influencer_id": person.id,
                            "dimension": dimension, "key": key, "share": share, "rank": rank,
                            "is_latest": latest} for rank, (key, share) in enumerate(ranked, 1)]
        # Several snapshots of one account in a batch: only the last latest one stays so.
        seen: set[tuple[int, tuple[str, str]]] = set()
        for (person, snapshot), row in reversed(list(zip(pending, rows, strict=True))):
            if row["is_latest"]:
                if (person.id, snapshot["key"]) in seen:
                    row["is_latest"] = False
                    superseded.append(row["id"])
                seen.add((person.id, snapshot["key"]))
            superseded += person.superseded
            person.superseded = []
        session = db.session
        session.execute(insert(_SNAP), rows)
        session.execute(insert(_SHARE), shares)
        if superseded:
            session.execute(update(_SNAP).where(_SNAP.c.id.in_(superseded))
                            .values(is_latest=False))
            session.execute(update(_SHARE).where(_SHARE.c.snapshot_id.in_(superseded))
                            .values(is_latest=False))

    def _update_people(self, people: list[Person], now) -> None:
        if not people:
            return
        session = db.session
        rows = [{"b_id": p.id, **{f: p.values.get(f) for f in PERSON_FIELDS},
                 **p.denormalised(), "version": p.version + 1, "updated_at": now}
                for p in people]
        session.execute(update(_INF).where(_INF.c.id == bindparam("b_id")), rows)
        accounts = [{"b_id": a["id"], **{f: a.get(f) for f in ("profile_url", *FIGURES)},
                     "version": a.get("version", 1) + 1, "updated_at": now}
                    for p in people for a in p.accounts.values()
                    if a.get("id") in p.account_before and p.account_before[a["id"]]]
        if accounts:
            session.execute(update(_ACC).where(_ACC.c.id == bindparam("b_id")), accounts)

    def _link_tags(self, new_people: list[Person], changed: list[Person]) -> None:
        wanted = [(p, name) for p in new_people for name in p.tags.values()]
        wanted += [(p, name) for p in changed for name in p.new_tags]
        if not wanted:
            return
        session = db.session
        names = {name for _, name in wanted}

        def known() -> dict[str, int]:
            found = session.execute(select(Tag.id, Tag.name).where(
                Tag.name.in_(names) | func.lower(Tag.name).in_({n.lower() for n in names})))
            return {name.casefold(): ident for ident, name in found}

        ids = known()
        missing = {n.casefold(): n for n in names if n.casefold() not in ids}
        if missing:
            session.execute(insert(Tag.__table__), [{"name": n} for n in missing.values()])
            ids = known()
        links = {(p.id, ids[name.casefold()]) for p, name in wanted}
        session.execute(insert(influencer_tag), [{"influencer_id": i, "tag_id": t}
                                                 for i, t in links])

    def _record_changes(self, people: list[Person]) -> None:
        rows = []
        for person in people:
            accounts = {str(k): v for k, v in person.account_before.items() if v}
            created_ids = [person.accounts[k]["id"] for k in person.new_accounts]
            rows.append({
                "import_id": self.imp.id, "influencer_id": person.id, "action": "updated",
                "before": {"person": {k: _json(v) for k, v in person.before.items()},
                           "accounts": {k: {f: _json(v) for f, v in saved.items()}
                                        for k, saved in accounts.items()},
                           "tags_added": person.new_tags,
                           "snapshot_ids": [s["id"] for s in person.snapshots]},
                "created_account_ids": created_ids,
            })
        if rows:
            db.session.execute(insert(ImportChange.__table__), rows)

    def _write_problems(self, problems: list[RowProblem]) -> None:
        if problems:
            db.session.execute(insert(ImportProblem.__table__), [
                {"import_id": self.imp.id, "line": p.line, "column": p.column[:VALUE_LIMIT],
                 "value": p.value[:VALUE_LIMIT], "reason": p.reason[:VALUE_LIMIT]}
                for p in problems])


_DATES = {"date_of_birth", "figures_on"}


def _unjson(field: str, value: Any) -> Any:
    return date.fromisoformat(value) if field in _DATES and isinstance(value, str) else value


def undo_change(change: ImportChange) -> None:
    """Put back what one real run changed on one existing influencer (revert)."""
    from app.services.influencers import _mark_latest, refresh_denormalised

    session = db.session
    before = change.before or {}
    person = before.get("person") or {}
    if person:
        session.execute(update(_INF).where(_INF.c.id == change.influencer_id).values(
            {k: _unjson(k, v) for k, v in person.items()}))
    for account_id, saved in (before.get("accounts") or {}).items():
        session.execute(update(_ACC).where(_ACC.c.id == int(account_id)).values(
            {k: _unjson(k, v) for k, v in saved.items()}))
    if change.created_account_ids:
        session.execute(delete(_ACC).where(_ACC.c.id.in_(change.created_account_ids)))
    if before.get("snapshot_ids"):
        session.execute(delete(_SNAP).where(_SNAP.c.id.in_(before["snapshot_ids"])))
    added = {t.casefold() for t in before.get("tags_added") or []}
    if added:
        tag_ids = [i for i, name in session.execute(select(Tag.id, Tag.name).join(
            influencer_tag, influencer_tag.c.tag_id == Tag.id).where(
            influencer_tag.c.influencer_id == change.influencer_id)) if name.casefold() in added]
        session.execute(delete(influencer_tag).where(
            influencer_tag.c.influencer_id == change.influencer_id,
            influencer_tag.c.tag_id.in_(tag_ids)))
    session.expire_all()
    influencer = session.get(Influencer, change.influencer_id)
    if influencer is None:
        return
    for account in influencer.accounts:
        if account.snapshots:
            latest = max(account.snapshots, key=lambda s: (s.taken_on, s.id))
            for snapshot in account.snapshots:
                _mark_latest(snapshot, snapshot is latest)
    refresh_denormalised(influencer)
    session.flush()


def _json(value: Any) -> Any:
    return value.isoformat() if isinstance(value, date) else value


def _reject(row: NormalisedRow, template: str, **params: object) -> RowProblem:
    reason = template % params if params else template
    return RowProblem(row.line, "", "", reason, template, params)
