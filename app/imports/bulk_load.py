"""Bulk loading: a big import into a small database builds its indexes once, at the end.

Each index of a table costs every inserted row a B-tree descent: the influencer table has
fifteen (a sort index per list column, filters, search), and kept up row by row they cost
~50 µs a row on SQLite, ten times the rest of the insert. Built once after the load, from
sorted keys, they cost ~8 µs a row. So an import that is large next to what the tables
already hold (the team's first load, a merge of another CRM) runs as one transaction that
drops the secondary indexes of the tables it fills (and, on PostgreSQL, the foreign keys
between them, whose per-row checks are queries) and creates them again before committing.
On SQLite it also drops the search index's triggers and rebuilds that index once at the
end, and turns foreign keys off for the transaction, checking them all once at the end.

Both databases have transactional DDL: other connections never see the tables without
their indexes, and a failed import rolls the indexes back with everything else. The cost
is paid by other writers: for the import's duration, SQLite's other writers wait (as they
do for any write) and PostgreSQL's readers of these tables wait for the commit. Dry runs
and imports smaller than the tables they go into keep the batch-by-batch path.
"""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass, field

from sqlalchemy import func, select, text
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from app.core import search_index
from app.core.bulk import vacuum
from app.core.sqlite import FOREIGN_KEYS_OFF, lean
from app.models import Influencer

log = logging.getLogger("relais.imports")

# The tables an import fills (app/imports/writer.py).
TABLES = ("influencer", "social_account", "audience_snapshot", "audience_share",
          "influencer_tag")
# The indexes the import reads through itself (app/imports/lookup.py): who a row
# is (handle, e-mail) and what a matched person holds. They are kept up row by row.
KEEP = ("ix_social_account_handle", "ix_social_account_platform", "ix_influencer_email",
        "ix_social_account_influencer", "ix_audience_snapshot_account",
        "ix_audience_share_snapshot")
# Into empty tables, only the people created earlier in the file can match a row, and the
# file's own de-duplication already names them (`same_as`): no lookup by handle or e-mail,
# only what loading those people reads (their accounts, snapshots and shares).
KEEP_WHEN_EMPTY = ("ix_social_account_influencer", "ix_audience_snapshot_account",
                   "ix_audience_share_snapshot")


def worth_it(session: Session, expected_rows: int, minimum: int) -> bool:
    """Whether rebuilding the indexes costs less than keeping them up: the file has at
    least `minimum` rows and at least as many as the influencers already there."""
    if expected_rows < minimum:
        return False
    existing = session.scalar(select(func.count()).select_from(Influencer.__table__)) or 0
    return existing <= expected_rows


@dataclass
class BulkLoad:
    """The DDL dropped by `start`, run again by `finish` (same transaction)."""

    session: Session
    recreate: list[str] = field(default_factory=list)
    # No influencer existed when the load began (checked under the load's lock).
    empty: bool = False

    def start(self) -> None:
        dialect = self.session.get_bind().dialect.name
        if dialect == "sqlite":
            self._start_sqlite()
        elif dialect == "postgresql":
            self._start_postgresql()

    def _kept(self) -> tuple[str, ...]:
        """Decide (now that the tables are locked) which indexes the load keeps up."""
        self.empty = self.session.scalar(select(Influencer.id).limit(1)) is None
        return KEEP_WHEN_EMPTY if self.empty else KEEP

    def finish(self) -> None:
        if self.session.get_bind().dialect.name == "postgresql":
            self.session.execute(text("SET LOCAL enable_seqscan = on"))
        for statement in self.recreate:
            self.session.execute(text(statement))
        self.recreate = []
        if self.session.info.pop(search_index.DEFERRED, False):
            search_index.rebuild(self.session)
            for table in TABLES:  # the keys the load did not check row by row
                problem = self.session.execute(
                    text(f"PRAGMA foreign_key_check({table})")).first()
                if problem is not None:
                    raise RuntimeError(f"a bulk load broke a foreign key: {tuple(problem)}")

    def after_commit(self) -> None:
        """PostgreSQL: VACUUM the loaded tables (outside any transaction), as autovacuum
        would some minutes later: until then the visibility map is empty, index-only scans
        visit the heap, and the unfiltered list took 69 ms instead of 39 (100 000 rows;
        0.5 s of VACUUM). SQLite has nothing to do."""
        try:
            vacuum(TABLES)
        except SQLAlchemyError:  # the import is committed: a slower list is all it costs
            log.warning("VACUUM after a bulk load failed", exc_info=True)

    def forget(self) -> None:
        """After a failure (the transaction rolled back): bulk inserts index again."""
        self.session.info.pop(search_index.DEFERRED, None)

    def _start_sqlite(self) -> None:
        session = self.session
        # Foreign keys cost every inserted row a lookup per key; the ids are the import's
        # own, and `finish` checks them all at once. The pragma only takes effect outside
        # a transaction; the connection turns them back on when it returns to the pool
        # (app/__init__.py), after the commit or the rollback.
        pooled = session.connection().connection
        lean(pooled)  # its pages are not kept in this process's memory
        if not pooled.dbapi_connection.in_transaction:
            pooled.dbapi_connection.execute("PRAGMA foreign_keys=OFF")
            pooled.info[FOREIGN_KEYS_OFF] = True
        # Python's sqlite3 opens a transaction before INSERT, UPDATE and DELETE only: a DROP
        # INDEX with none open would be committed at once, visible to every reader, and
        # not rolled back on failure. A statement that writes nothing opens it first.
        session.execute(text("DELETE FROM influencer_fts_pause WHERE 0"))
        if not pooled.dbapi_connection.in_transaction:
            raise RuntimeError("a bulk load needs a transaction to drop indexes in")
        # The search index: its triggers (~130 µs a row inserted or renamed) are dropped
        # and the whole index rebuilt by `finish` (~4 µs a row).
        for name, sql in session.execute(text(
                "SELECT name, sql FROM sqlite_master WHERE type = 'trigger' "
                "AND name IN ('influencer_fts_insert', 'influencer_fts_update')")).all():
            session.execute(text(f'DROP TRIGGER "{name}"'))
            self.recreate.append(sql)
        session.info[search_index.DEFERRED] = True
        found = session.execute(text(
            "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL "
            "AND tbl_name IN (SELECT value FROM json_each(:tables))"),
            {"tables": json.dumps(TABLES)}).all()
        kept = self._kept()  # the opening write holds SQLite's write lock
        for name, sql in found:
            if name in kept:
                continue
            session.execute(text(f'DROP INDEX "{name}"'))
            self.recreate.append(sql)

    def _start_postgresql(self) -> None:
        session = self.session
        tables = list(TABLES)
        # Foreign keys between the loaded tables (not those to users or imports: dropping
        # those would lock tables the rest of the app writes to).
        keys = session.execute(text(
            "SELECT c.conrelid::regclass::text, c.conname, pg_get_constraintdef(c.oid) "
            "FROM pg_constraint c WHERE c.contype = 'f' "
            "AND c.conrelid::regclass::text = ANY(:tables) "
            "AND c.confrelid::regclass::text = ANY(:tables)"), {"tables": tables}).all()
        # Indexes that back no constraint (primary keys and unique constraints stay).
        indexes = session.execute(text(
            "SELECT i.indexrelid::regclass::text, pg_get_indexdef(i.indexrelid) "
            "FROM pg_index i WHERE i.indrelid::regclass::text = ANY(:tables) "
            "AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = i.indexrelid)"),
            {"tables": tables}).all()
        session.execute(text("SET LOCAL maintenance_work_mem = '256MB'"))
        # The tables' statistics describe them before the load (often empty): the planner
        # would scan a growing table for each batch's lookups rather than use its index.
        session.execute(text("SET LOCAL enable_seqscan = off"))
        for table, name, _definition in keys:
            session.execute(text(f'ALTER TABLE {table} DROP CONSTRAINT "{name}"'))
        # No one else inserts into these tables until the commit, so no one else takes their
        # ids: the writer takes each batch's ids as one block of their sequences.
        session.execute(text("LOCK TABLE influencer, social_account, audience_snapshot "
                             "IN SHARE ROW EXCLUSIVE MODE"))
        kept = self._kept()  # no one else can add an influencer until the commit
        for name, definition in indexes:
            if name in kept:
                continue
            session.execute(text(f"DROP INDEX {name}"))
            self.recreate.append(definition)
        self.recreate += [f'ALTER TABLE {table} ADD CONSTRAINT "{name}" {definition}'
                          for table, name, definition in keys]
        self.recreate += [f"ANALYZE {table}" for table in tables]
