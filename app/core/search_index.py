"""SQLite's substring-search table (FTS5 trigram over influencer.search_text) during bulk
loads. The column holds the text already folded (no case, no accents: app/collation.py),
so the index and the folded needles meet as they are on both databases.

A trigger indexes every inserted influencer, which costs ~130 µs a row: fine for a form,
six times the whole budget of a 20 000 rows/s import. Bulk writers wrap their influencer
inserts in `bulk_insert(ids)`: the trigger is paused for this transaction only (the pause
row is never seen by other connections) and the batch is indexed in one statement. A bulk
load (app/imports/bulk_load.py) goes further: it drops the insert and update triggers
inside its transaction, marks the session `DEFERRED`, and `rebuild`s the whole index at
the end (~4 µs a row). PostgreSQL's trigram index needs none of this.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator, Sequence

from sqlalchemy import text
from sqlalchemy.orm import Session

# session.info key: a bulk load has dropped the triggers and rebuilds the index at the end.
DEFERRED = "relais_search_index_deferred"


def rebuild(session: Session) -> None:
    session.execute(text("INSERT INTO influencer_fts(influencer_fts) VALUES ('rebuild')"))


@contextlib.contextmanager
def bulk_insert(session: Session, ids: Sequence[int]) -> Iterator[None]:
    """Insert influencers with ids `ids` (a contiguous block) inside this block."""
    if session.get_bind().dialect.name != "sqlite" or not ids or session.info.get(DEFERRED):
        yield
        return
    session.execute(text("INSERT INTO influencer_fts_pause (paused) VALUES (1)"))
    yield
    session.execute(
        text("INSERT INTO influencer_fts(rowid, search_text) "
             "SELECT id, search_text FROM influencer WHERE id BETWEEN :first AND :last"),
        {"first": min(ids), "last": max(ids)},
    )
    # On an error the transaction rolls back, and the pause row with it.
    session.execute(text("DELETE FROM influencer_fts_pause"))
