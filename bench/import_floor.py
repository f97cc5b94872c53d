"""The database's own share of an import: its writes recorded, then replayed alone.

`recording(path)` wraps `RawInserter.insert` and `.update` (app/core/bulk.py), through
which an import writes every row of the five tables it fills, and streams each call's
rows to a file. `replay(path, …)` then runs those same calls, in the same order, into a
fresh database, through the same code as the import's bulk load: `BulkLoad.start`
(indexes and triggers dropped), `RawInserter` (executemany on SQLite, COPY on
PostgreSQL), `BulkLoad.finish` (indexes, search index, key checks), the commit and
`after_commit` (VACUUM). Nothing is read, parsed, de-duplicated or decided: the time is
what the database alone takes to store what this import stores, the fastest any
importer could go on this machine with this schema. A lower bound: the few statements an
import sends outside `RawInserter` (its lookups, the rejected rows, the updates of
superseded snapshots, tags) are left out.
"""

from __future__ import annotations

import contextlib
import pickle
import time
from collections.abc import Iterator
from pathlib import Path


@contextlib.contextmanager
def recording(path: Path) -> Iterator[None]:
    """Streams every RawInserter insert and update made inside the block to `path`."""
    from app.core.bulk import RawInserter

    insert, update = RawInserter.insert, RawInserter.update
    with open(path, "wb") as file:

        def recorded(kind, original):
            def call(self, table, columns, rows):
                if rows:
                    pickle.dump((kind, table, tuple(columns), list(rows)), file,
                                protocol=pickle.HIGHEST_PROTOCOL)
                return original(self, table, columns, rows)
            return call

        RawInserter.insert = recorded("insert", insert)
        RawInserter.update = recorded("update", update)
        try:
            yield
        finally:
            RawInserter.insert, RawInserter.update = insert, update


def _calls(path: Path) -> Iterator[tuple[str, str, tuple[str, ...], list[tuple]]]:
    with open(path, "rb") as file:
        while True:
            try:
                yield pickle.load(file)  # noqa: S301 - the file this process just wrote
            except EOFError:
                return


def replay(path: Path, tags: list[tuple[int, str]]) -> tuple[dict[str, float], int]:
    """Replays the recorded calls in the app context's (fresh) database, as one bulk
    load. `tags`: the (id, name) rows the recorded import created (its tag links point at
    them); stored first, untimed. → (seconds per phase, rows written); reading the
    recording back from disk is not timed."""
    from sqlalchemy import insert

    from app.core.bulk import RawInserter
    from app.extensions import db
    from app.imports.bulk_load import BulkLoad
    from app.imports.writer import CACHE_KIB
    from app.models import Tag

    session = db.session
    if tags:
        session.execute(insert(Tag.__table__), [{"id": i, "name": n} for i, n in tags])
        session.commit()
    timings = {"start": 0.0, "inserts and updates": 0.0, "end of load": 0.0, "commit": 0.0,
               "after commit": 0.0}
    rows_written = 0
    step = time.perf_counter()
    bulk = BulkLoad(session)
    bulk.start()
    if session.get_bind().dialect.name == "sqlite":
        session.execute(db.text(f"PRAGMA cache_size={CACHE_KIB}"))  # as the import sets it
    timings["start"] = time.perf_counter() - step
    for kind, table, columns, rows in _calls(path):
        step = time.perf_counter()
        raw = RawInserter(session)
        (raw.insert if kind == "insert" else raw.update)(table, columns, rows)
        timings["inserts and updates"] += time.perf_counter() - step
        rows_written += len(rows)
    for phase, run in (("end of load", bulk.finish), ("commit", session.commit),
                       ("after commit", bulk.after_commit)):
        step = time.perf_counter()
        run()
        timings[phase] = time.perf_counter() - step
    return timings, rows_written
