"""Bulk loading: a big import into a small database builds its indexes once, at the end.

Each index of a table costs every inserted row a B-tree descent: the influencer table has
fifteen (a sort index per list column, filters, search), and kept up row by row they cost
~50 µs a row on SQLite, ten times the rest of the insert. Built once after the load, from
sorted keys, they cost ~8 µs a row. So an import that is large next to what the tables
already hold (the team's first load, a merge of another CRM) runs as one transaction that
drops the secondary indexes of the tables it fills (and, on PostgreSQL, the foreign keys
between them, whose per-row checks are queries) and creates them again before committing.

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

from app.models import Influencer
from app.services.bulk import vacuum

log = logging.getLogger("relais.imports")

# The tables an import fills (app/services/import_writer.py).
TABLES = ("influencer", "social_account", "audience_snapshot", "audience_share",
          "influencer_tag")
# The indexes the import reads through itself (app/services/import_lookup.py): who a row
# is (handle, e-mail) and what a matched person holds. They are kept up row by row.
KEEP = ("ix_social_account_handle", "ix_social_account_platform", "ix_influencer_email",
        "ix_social_account_influencer", "ix_audience_snapshot_account",
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

    def start(self) -> None:
        dialect = self.session.get_bind().dialect.name
        if dialect == "sqlite":
            self._start_sqlite()
        elif dialect == "postgresql":
            self._start_postgresql()

    def finish(self) -> None:
        for statement in self.recreate:
            self.session.execute(text(statement))
        self.recreate = []

    def after_commit(self) -> None:
        """PostgreSQL: VACUUM the loaded tables (outside any transaction), as autovacuum
        would some minutes later: until then the visibility map is empty, index-only scans
        visit the heap, and the unfiltered list took 69 ms instead of 39 (100 000 rows;
        0.5 s of VACUUM). SQLite has nothing to do."""
        try:
            vacuum(TABLES)
        except SQLAlchemyError:  # the import is committed: a slower list is all it costs
            log.warning("VACUUM after a bulk load failed", exc_info=True)

    def _start_sqlite(self) -> None:
        # Python's sqlite3 opens a transaction before INSERT, UPDATE and DELETE only: a DROP
        # INDEX with none open would be committed at once, visible to every reader, and
        # not rolled back on failure. A statement that writes nothing opens it first.
        self.session.execute(text("DELETE FROM influencer_fts_pause WHERE 0"))
        if not self.session.connection().connection.dbapi_connection.in_transaction:
            raise RuntimeError("a bulk load needs a transaction to drop indexes in")
        found = self.session.execute(text(
            "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL "
            "AND tbl_name IN (SELECT value FROM json_each(:tables))"),
            {"tables": json.dumps(TABLES)}).all()
        for name, sql in found:
            if name in KEEP:
                continue
            self.session.execute(text(f'DROP INDEX "{name}"'))
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
        for table, name, _definition in keys:
            session.execute(text(f'ALTER TABLE {table} DROP CONSTRAINT "{name}"'))
        for name, definition in indexes:
            if name in KEEP:
                continue
            session.execute(text(f"DROP INDEX {name}"))
            self.recreate.append(definition)
        self.recreate += [f'ALTER TABLE {table} ADD CONSTRAINT "{name}" {definition}'
                          for table, name, definition in keys]
        self.recreate += [f"ANALYZE {table}" for table in tables]
