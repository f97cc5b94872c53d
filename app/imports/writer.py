"""The database side of one import batch: who each row is, what it changes, bulk writes.

Called by app.imports.service for each batch of ~2 000 normalised rows. Per batch: the
matches and the matched people (app/imports/lookup.py), the update rules
(people.py), then bulk inserts (bulk.RawInserter) and Core updates (no ORM object
per row: the per-object audit listener is bypassed on purpose, the import writes one audit
event per run and its `ImportChange` rows are the detailed trail). A dry run goes through
the same decisions and counts, and writes nothing.

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

from sqlalchemy import bindparam, func, insert, select, text, update

from app.core.bulk import RawInserter
from app.core.text import N_
from app.extensions import db
from app.imports import changes
from app.imports.lookup import find_matches, load_people
from app.imports.new_people import (
    COUNTS,
    DENORMALISED,
    FIGURES,
    PERSON_FIELDS,
    PERSON_VALUES,
    Prepared,
    prepare,
    ranked,
)
from app.imports.parsing.rows import NormalisedRow, RowProblem
from app.imports.people import Person, same_value
from app.models import (
    AudienceShare,
    AudienceSnapshot,
    Import,
    ImportProblem,
    Influencer,
    SocialAccount,
    Tag,
)
from app.models.base import utcnow
from app.models.imports import VALUE_LIMIT

_INF, _ACC, _SNAP, _SHARE = (Influencer.__table__, SocialAccount.__table__,
                             AudienceSnapshot.__table__, AudienceShare.__table__)
# Column orders of the raw inserts (bulk.RawInserter takes tuples).
# Every NOT NULL column is given: a raw insert skips SQLAlchemy's client-side defaults.
_PEOPLE_COLUMNS = ("id", *PERSON_FIELDS, *DENORMALISED, "owner_id", "created_by_id",
                   "data_source_detail", "import_id", "created_at", "updated_at",
                   "data_source", "lawful_basis", "version")
_PEOPLE_CONSTANTS = ("import", "legitimate_interest", 1)
_PEOPLE_UPDATES = (*PERSON_FIELDS, *DENORMALISED, "version", "updated_at")
_ACCOUNT_UPDATES = ("profile_url", *COUNTS, "figures_on", "version", "updated_at")
_ACCOUNT_COLUMNS = ("id", "influencer_id", "platform", "handle", "profile_url", *FIGURES,
                    "created_at", "updated_at", "created_by_id", "version")
_SNAPSHOT_COLUMNS = ("id", "account_id", "influencer_id", "taken_on", "followers",
                     "credibility", "source", "is_latest", "created_at", "updated_at",
                     "created_by_id")
_SHARE_COLUMNS = ("snapshot_id", "influencer_id", "dimension", "key", "share", "rank",
                  "is_latest")
# SQLite's page cache while importing (the default is 2 MB): the growing indexes stay in
# memory. It also bounds the sorter that builds a bulk load's indexes: 32 MB imported 100 000
# rows as fast as 64 MB did; on 2026-12-07 a 1M-row import peaked at 301-303 MB with 32 MB
# (the same code as at 291 MB before), at 294 MB with 24 MB (bar 300 MB, bench/import.py).
CACHE_KIB = -24576


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
        self.tag_ids: dict[str, int] = {}
        # A bulk load (bulk_load.py): no secondary index to spare, updates set every
        # column in one statement.
        self.bulk = False
        # The tables were empty when the bulk load began: a row can only match people
        # this file created, which `same_as` names (bulk_load.KEEP_WHEN_EMPTY).
        self.only_own_people = False

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
        matches = find_matches(rows, by_keys=not self.only_own_people) if rows else {}
        people = load_people({i for found in matches.values() for i in found if i > 0}
                            | {self._person_at(r.same_as) for r in rows if r.same_as} - {0})
        created: dict[int, Person | NormalisedRow] = {}  # by -line
        for row in rows:
            problem = self._apply(row, matches.get(row.line, set()), people, created)
            if problem is not None:
                problems.append(problem)
                self.counts["rejected"] += 1
        if not self.dry_run:
            self._write(created, [p for p in people.values() if p.changed])
        self._write_problems(problems)

    def _apply(self, row: NormalisedRow, found: set[int], people: dict[int, Person],
               created: dict[int, Person | NormalisedRow]) -> RowProblem | None:
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
            # A first row stays a row until it is written (new_people.py), unless a later
            # row of the batch merges into it.
            created[-row.line] = row if row.texts else Person.create(row, self.today)
            self._remember(row.line, -row.line)
            self.counts["created"] += 1
            return None
        target = targets.pop()
        person = people.get(target) or created.get(target)
        if type(person) is NormalisedRow:  # created earlier in this batch, merged into now
            person = created[target] = Person.create(person, self.today)
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

    # --- writing --------------------------------------------------------------------------

    def _allocate(self, table, count: int) -> list[int]:
        """Ids for `count` new rows, taken before inserting so children can point at them.
        SQLite: the caller holds the write lock (max(id) cannot move under us);
        PostgreSQL: from the table's sequence."""
        if not count:
            return []
        session = db.session
        if self.postgresql:
            sequence = f"pg_get_serial_sequence('\"{table.name}\"', 'id')"
            if self.bulk:
                # The bulk load holds these tables' locks (bulk_load.py): no one else can
                # insert, so no one else takes their ids: one block, one statement.
                last = session.scalar(text(
                    f"SELECT setval({sequence}, nextval({sequence}) + :n - 1)"), {"n": count})
                return list(range(last - count + 1, last + 1))
            query = text(f"SELECT nextval({sequence}) FROM generate_series(1, :n)")  # noqa: S608
            return list(session.scalars(query, {"n": count}))
        start = session.scalar(select(func.coalesce(func.max(table.c.id), 0)))
        return list(range(start + 1, start + 1 + count))

    def _write(self, created: dict[int, Person | NormalisedRow], changed: list[Person]
               ) -> None:
        if not created and not changed:
            return
        session = db.session
        now = utcnow()
        self.raw = RawInserter(session)  # this batch's connection
        if self.raw.sqlite:
            self.raw.raw.execute(f"PRAGMA cache_size={CACHE_KIB}")
        # First write of the batch: on SQLite it takes the write lock before max(id).
        session.execute(update(Import.__table__).where(Import.__table__.c.id == self.imp.id)
                        .values(updated_at=now))
        # New people numbered in file order; most have their rows made from their row.
        new_people, ready = [], []
        for made, ident in zip(created.values(), self._allocate(_INF, len(created)),
                               strict=True):
            self._remember(made.row if type(made) is Person else made.line, ident)
            if type(made) is not Person and (rows := prepare(made, self.today)) is not None:
                ready.append((ident, rows))
                continue
            person = made if type(made) is Person else Person.create(made, self.today)
            person.id = ident
            new_people.append(person)
        new_accounts = [(p, k) for p in new_people for k in p.accounts]
        new_accounts += [(p, k) for p in changed for k in p.new_accounts]
        for (person, key), ident in zip(new_accounts, self._allocate(_ACC, len(new_accounts)),
                                        strict=True):
            person.accounts[key]["id"] = ident
        self._insert_people(new_people, ready, now)
        self._insert_accounts(new_accounts, now)
        self._insert_snapshots([*new_people, *changed], now)
        self._update_people(changed, now)
        tags = [(p.id, folded, name) for p in new_people for folded, name in p.tags.items()]
        tags += [(p.id, name.casefold(), name) for p in changed for name in p.new_tags]
        tags += self._write_ready(ready, now)
        self._link_tags(tags)
        changes.record(self.imp.id, [p for p in changed if p.import_id != self.imp.id],
                       self.user_id)

    def _insert_people(self, people: list[Person], ready: list[tuple[int, Prepared]], now
                       ) -> None:
        """One insert (one block of ids): `people` the long way, `ready` from their rows."""
        if not people and not ready:
            return
        raw = self.raw
        stamp, day, user = raw.ts(now), raw.day, self.user_id
        rows = []
        tail = (user, user, self.detail, self.imp.id, stamp, stamp, *_PEOPLE_CONSTANTS)
        for person in people:
            values = person.values
            values["kind"] = values.get("kind") or "other"
            values["status"] = values.get("status") or "prospect"
            rows.append((person.id, *map(values.get, PERSON_VALUES),
                         day(values.get("date_of_birth")), *person.denormalised_values(),
                         *tail))
        rows += [(ident, *made[0], *made[1], *tail) for ident, made in ready]
        raw.insert("influencer", _PEOPLE_COLUMNS, rows)

    def _insert_accounts(self, accounts: list[tuple[Person, tuple[str, str]]], now) -> None:
        raw = self.raw
        stamp, day, user = raw.ts(now), raw.day, self.user_id
        rows = []
        for person, key in accounts:
            account = person.accounts[key]
            rows.append((account["id"], person.id, key[0], key[1], account.get("profile_url"),
                         *map(account.get, COUNTS), day(account.get("figures_on")),
                         stamp, stamp, user, 1))
        raw.insert("social_account", _ACCOUNT_COLUMNS, rows)

    def _insert_snapshots(self, people: list[Person], now) -> None:
        pending = [(p, s) for p in people for s in p.snapshots]
        if not pending:
            return
        # Several snapshots of one account in a batch: only the last latest one stays so.
        seen: set[tuple[int, tuple[str, str]]] = set()
        superseded: list[int] = []
        for person, snapshot in reversed(pending):
            if snapshot["is_latest"]:
                if (person.id, snapshot["key"]) in seen:
                    snapshot["is_latest"] = False
                seen.add((person.id, snapshot["key"]))
        raw = self.raw
        stamp, day, user, source = raw.ts(now), raw.day, self.user_id, self.detail[:120]
        rows, shares = [], []
        for (person, snapshot), ident in zip(pending, self._allocate(_SNAP, len(pending)),
                                             strict=True):
            snapshot["id"] = ident
            latest, person_id = snapshot["is_latest"], person.id
            rows.append((ident, person.accounts[snapshot["key"]]["id"], person_id,
                         day(snapshot["taken_on"]), snapshot["followers"],
                         snapshot["credibility"], source, latest, stamp, stamp, user))
            shares += [(ident, person_id, dimension, *share, latest)
                       for dimension, values in snapshot["shares"].items()
                       for share in ranked(values)]
        for person in people:
            superseded += person.superseded
            person.superseded = []
        raw.insert("audience_snapshot", _SNAPSHOT_COLUMNS, rows)
        raw.insert("audience_share", _SHARE_COLUMNS, shares)
        if superseded:
            session = db.session
            session.execute(update(_SNAP).where(_SNAP.c.id.in_(superseded))
                            .values(is_latest=False))
            session.execute(update(_SHARE).where(_SHARE.c.snapshot_id.in_(superseded))
                            .values(is_latest=False))

    def _update_people(self, people: list[Person], now) -> None:
        if not people:
            return
        raw = self.raw
        stamp = raw.ts(now)
        accounts = [(*[a.get(f) for f in _ACCOUNT_UPDATES[:-3]], raw.day(a.get("figures_on")),
                     a.get("version", 1) + 1, stamp, a["id"])
                    for p in people for a in p.accounts.values()
                    if a.get("id") in p.account_before and p.account_before[a["id"]]]
        if self.bulk:
            # No secondary index to spare: every column of the person, one statement.
            raw.update("influencer", _PEOPLE_UPDATES, [
                (*[p.values.get(f) for f in PERSON_VALUES], raw.day(p.values.get(
                    "date_of_birth")), *p.denormalised_values(), p.version + 1, stamp, p.id)
                for p in people])
        else:
            # Only the columns that changed are set (each one set costs its indexes'
            # upkeep), so the rows are grouped by the columns they set: one executemany
            # per group.
            groups: dict[tuple[str, ...], list[dict[str, Any]]] = {}
            for p in people:
                values = {f: p.values.get(f) for f in p.before}
                values.update((f, v) for f, v in p.denormalised().items()
                              if not same_value(p.stored.get(f), v))
                row = {"b_id": p.id, **values, "version": p.version + 1, "updated_at": now}
                groups.setdefault(tuple(sorted(values)), []).append(row)
            for rows in groups.values():
                db.session.execute(update(_INF).where(_INF.c.id == bindparam("b_id")), rows)
        raw.update("social_account", _ACCOUNT_UPDATES, accounts)

    def _write_ready(self, ready: list[tuple[int, Prepared]], now
                     ) -> list[tuple[int, str, str]]:
        """The accounts, snapshots and shares of new people given as (id, their rows made by
        new_people.py), inserted (_insert_people wrote the people). → their tags, as
        (id, casefold, name)."""
        if not ready:
            return []
        raw = self.raw
        stamp, user = raw.ts(now), self.user_id
        accounts, tags, placed = [], [], []
        account_ids = self._allocate(_ACC, sum(len(rows[2]) for _ident, rows in ready))
        first = 0  # each person's first account, in account_ids
        for ident, (_values, _denormalised, made, snapshots, named) in ready:
            accounts += [(account_ids[first + index], ident, *account, stamp, stamp, user, 1)
                         for index, account in enumerate(made)]
            tags += [(ident, *tag) for tag in named]
            placed += [(ident, account_ids[first + snapshot[0]], snapshot)
                       for snapshot in snapshots]
            first += len(made)
        raw.insert("social_account", _ACCOUNT_COLUMNS, accounts)
        source, snapshots, shares = self.detail[:120], [], []
        for (person, account, snapshot), ident in zip(
                placed, self._allocate(_SNAP, len(placed)), strict=True):
            _index, taken_on, followers, credibility, ranked_shares = snapshot
            snapshots.append((ident, account, person, taken_on, followers, credibility, source,
                              True, stamp, stamp, user))
            shares += [(ident, person, *share, True) for share in ranked_shares]
        raw.insert("audience_snapshot", _SNAPSHOT_COLUMNS, snapshots)
        raw.insert("audience_share", _SHARE_COLUMNS, shares)
        return tags

    def _link_tags(self, tags: list[tuple[int, str, str]]) -> None:
        """Links people to tags, given as (influencer id, casefolded name, name); a tag
        no one has yet is created under its first name."""
        if not tags:
            return
        ids = self.tag_ids  # casefold → id, across batches (a file uses a few tags)
        missing: dict[str, str] = {}
        for _person, folded, name in tags:
            if folded not in ids:
                missing.setdefault(folded, name)
        if missing:
            session = db.session

            def known() -> dict[str, int]:
                names = list(missing.values())
                found = session.execute(select(Tag.id, Tag.name).where(
                    Tag.name.in_(names) | func.lower(Tag.name).in_({n.lower() for n in names})))
                return {name.casefold(): ident for ident, name in found}

            ids.update(known())
            new = [name for folded, name in missing.items() if folded not in ids]
            if new:
                session.execute(insert(Tag.__table__), [{"name": n} for n in new])
                ids.update(known())
        self.raw.insert("influencer_tag", ("influencer_id", "tag_id"),
                        sorted({(person, ids[folded]) for person, folded, _name in tags}))

    def _write_problems(self, problems: list[RowProblem]) -> None:
        if problems:
            db.session.execute(insert(ImportProblem.__table__), [
                {"import_id": self.imp.id, "line": p.line, "column": p.column[:VALUE_LIMIT],
                 "value": p.value[:VALUE_LIMIT], "reason": p.reason[:VALUE_LIMIT]}
                for p in problems])


def _reject(row: NormalisedRow, template: str, **params: object) -> RowProblem:
    reason = template % params if params else template
    return RowProblem(row.line, "", "", reason, template, params)
