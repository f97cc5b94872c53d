"""Bulk loads on each database: VACUUM, foreign keys, search, deduplication, index use."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select, text

from app.extensions import db as _db
from app.imports import bulk_load as import_bulk
from app.imports import lookup as import_lookup
from app.imports.writer import Importer
from app.models import (
    AudienceShare,
    Influencer,
    SocialAccount,
)
from tests.factories import make_influencer, make_user


def test_postgresql_vacuums_after_a_bulk_load_sqlite_has_nothing_to_do(db, app, monkeypatch,
                                                                       import_csv, people_csv):
    """A bulk load leaves PostgreSQL's visibility map empty until a VACUUM: the import runs
    one after its commit (index-only scans, the list's counts, need it)."""
    from sqlalchemy import event

    user = make_user("admin")
    monkeypatch.setitem(app.config, "RELAIS_IMPORT_BULK_ROWS", 1)
    engine = _db.engine
    sent: list[str] = []

    def record(conn, cursor, statement, *args):
        sent.append(statement)

    event.listen(engine, "before_cursor_execute", record)
    try:
        _imp, report = import_csv(people_csv(60), user)
    finally:
        event.remove(engine, "before_cursor_execute", record)
    assert report["created"] > 30
    vacuums = [s for s in sent if s.startswith("VACUUM")]
    if engine.dialect.name == "postgresql":
        assert vacuums == ["VACUUM " + ", ".join(import_bulk.TABLES)]
        vacuumed = _db.session.execute(text(
            "SELECT last_vacuum IS NOT NULL FROM pg_stat_user_tables "
            "WHERE relname = 'influencer'")).scalar()
        visible = _db.session.execute(text(
            "SELECT relallvisible FROM pg_class WHERE relname = 'influencer'")).scalar()
        assert vacuumed or visible > 0
    else:
        assert vacuums == []


def _foreign_keys_on_everywhere() -> bool:
    """SQLite: every pooled connection enforces foreign keys (PostgreSQL always does)."""
    engine = _db.engine
    if engine.dialect.name != "sqlite":
        return True
    connections = [engine.raw_connection() for _ in range(engine.pool.size())]
    try:
        return all(c.driver_connection.execute("PRAGMA foreign_keys").fetchone()[0] == 1
                   for c in connections)
    finally:
        for connection in connections:
            connection.close()


def test_sqlite_foreign_keys_are_checked_again_after_a_bulk_load(db, app, monkeypatch, import_csv,
                                                                 people_csv):
    """A SQLite bulk load turns foreign keys off for its transaction (one check of them
    all at the end instead of a lookup per row): they are on again afterwards, whether
    the load committed or failed, and a broken key fails the load."""
    user = make_user("admin")
    monkeypatch.setitem(app.config, "RELAIS_IMPORT_BULK_ROWS", 1)
    _imp, report = import_csv(people_csv(40), user)
    assert report["created"] > 20
    assert _foreign_keys_on_everywhere()
    real = Importer.process

    def orphan(self, items):  # a share of a snapshot that does not exist
        real(self, items)
        _db.session.execute(AudienceShare.__table__.insert().values(
            snapshot_id=10**9, influencer_id=10**9, dimension="age", key="18-24",
            share=0.5, rank=1, is_latest=True))

    monkeypatch.setattr(Importer, "process", orphan)
    before = _db.session.scalar(select(func.count()).select_from(Influencer))
    if _db.engine.dialect.name == "sqlite":
        with pytest.raises(RuntimeError, match="foreign key"):
            import_csv(people_csv(60, seed=8).replace("lea_", "zoe_"), user, name="b.csv")
    else:  # the constraint, added back at the end, refuses it
        with pytest.raises(Exception, match="foreign key|violates"):
            import_csv(people_csv(60, seed=8).replace("lea_", "zoe_"), user, name="b.csv")
    assert _db.session.scalar(select(func.count()).select_from(Influencer)) == before
    assert _foreign_keys_on_everywhere()
    # …and a plain write of a broken key is refused again.
    with pytest.raises(Exception, match="(?i)foreign key"):
        _db.session.execute(AudienceShare.__table__.insert().values(
            snapshot_id=10**9, influencer_id=10**9, dimension="age", key="18-24",
            share=0.5, rank=1, is_latest=True))
        _db.session.commit()
    _db.session.rollback()


@pytest.mark.slow
def test_search_finds_old_renamed_and_new_people_after_a_bulk_load(db, app, monkeypatch,
                                                                   member_client, import_csv,
                                                                   people_csv):
    """SQLite rebuilds its whole search index at the end of a bulk load: people already
    there stay findable, and one the file renames is found by the new name only."""
    user = make_user("admin")
    old = make_influencer(display_name="Ancienne Cliente")
    renamed = make_influencer(display_name="", email="lea7@exemple.fr")
    renamed.display_name = ""
    _db.session.commit()
    monkeypatch.setitem(app.config, "RELAIS_IMPORT_BULK_ROWS", 1)
    _imp, report = import_csv(people_csv(30), user)
    assert report["created"] > 10 and report["updated"] >= 1
    page = member_client.get("/influencers/?q=ancienne").get_data(as_text=True)
    assert "Ancienne Cliente" in page
    # Its e-mail matched lea_7: it now has that person's name and handle.
    page = member_client.get("/influencers/?q=lea_7").get_data(as_text=True)
    assert f"/influencers/{renamed.id}" in page
    assert f"/influencers/{old.id}" not in page


@pytest.mark.slow
def test_into_empty_tables_the_files_own_deduplication_finds_every_match(
        db, monkeypatch, small_batches, by_batch_then_empty, import_csv, imported_people):
    """Into empty tables a bulk load looks nobody up by handle or e-mail (only people
    this file created could match, and `same_as` names them) and keeps no lookup index:
    chains of keys across batches, a row naming two earlier people, a person named by an
    e-mail another row added, and an id given by the file end as on the batch path."""
    user = make_user("admin")
    lines = ["Nom;Réseau;Compte;E-mail;Abonnés;Tags\r\n"]
    for n in range(60):
        lines.append(f"P{n};Instagram;@p{n};p{n}@exemple.fr;{n + 1} 000;a\r\n")
    lines += [
        "Bis;TikTok;@p3_tt;p3@exemple.fr;5 000;b\r\n",  # P3 by e-mail, a new account
        "Ter;TikTok;@p3_tt;;6 000;c\r\n",  # P3 through the account the row above added
        "Conflit;Instagram;@p4;p5@exemple.fr;1;d\r\n",  # P4 and P5: refused
        "Autre;Instagram;@p70;p6@exemple.fr;2;e\r\n",  # P6 by e-mail, one more account
        "Encore;Instagram;@p70;;3;f\r\n",  # P6 again, through that account
        *[f"P{n} (suite);Instagram;@p{n};;{n + 2} 000;g\r\n" for n in range(0, 60, 7)],
    ]
    data = "".join(lines)
    by_batch, expected = by_batch_then_empty(data, user)
    looked_up = []
    real_find = import_lookup.find_matches
    monkeypatch.setattr("app.imports.writer.find_matches",
                        lambda rows, by_keys=True: looked_up.append(by_keys)
                        or real_find(rows, by_keys))
    _imp, bulk = import_csv(data, user, name="encore.csv")
    assert looked_up and not any(looked_up)  # no lookup by key into empty tables
    assert bulk == by_batch
    assert bulk["created"] == 60 and bulk["rejected"] == 1
    assert imported_people() == expected
    p6 = _db.session.scalar(select(SocialAccount.influencer_id).where(
        SocialAccount.handle == "p70"))
    assert p6 == _db.session.scalar(select(Influencer.id).where(
        Influencer.email == "p6@exemple.fr"))


def test_postgresql_lookups_during_a_bulk_load_use_the_indexes(db, app, monkeypatch, small_batches,
                                                               import_csv, people_csv):
    """The loaded tables' statistics describe them before the load: PostgreSQL turns
    sequential scans off for the load's lookups (each batch would otherwise scan the
    growing tables) and on again for the index builds and key checks at the end."""
    user = make_user("admin")
    monkeypatch.setitem(app.config, "RELAIS_IMPORT_BULK_ROWS", 1)
    postgresql = _db.engine.dialect.name == "postgresql"
    seen: list[str] = []
    real_process, real_finish = Importer.process, import_bulk.BulkLoad.finish

    def show() -> str:
        return _db.session.execute(text("SHOW enable_seqscan")).scalar() if postgresql \
            else "sqlite"

    def process(self, items):
        seen.append(show())
        real_process(self, items)

    def finish(self):
        real_finish(self)
        seen.append("finished " + show())

    monkeypatch.setattr(Importer, "process", process)
    monkeypatch.setattr(import_bulk.BulkLoad, "finish", finish)
    _imp, report = import_csv(people_csv(80), user)
    assert report["created"] > 40 and len(seen) > 3
    if postgresql:
        assert set(seen[:-1]) == {"off"} and seen[-1] == "finished on"
        # SET LOCAL: gone with the transaction.
        assert show() == "on"
    else:
        assert set(seen[:-1]) == {"sqlite"}
