"""Bulk loading (app/imports/bulk_load.py): what it writes, its indexes, failures, progress."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select, text

from app.core.bulk import among
from app.extensions import db as _db
from app.imports import bulk_load as import_bulk
from app.imports import service as imports
from app.imports.writer import Importer
from app.models import (
    Import,
    Influencer,
    Tag,
)
from app.models.base import utcnow
from tests.factories import make_influencer, make_user


def _schema() -> list:
    """Every index and foreign key of the loaded tables, as the database describes them."""
    session = _db.session
    if session.get_bind().dialect.name == "postgresql":
        found = session.execute(text(
            "SELECT indexdef FROM pg_indexes WHERE tablename = ANY(:t) "
            "UNION ALL SELECT conrelid::regclass::text || ' ' || pg_get_constraintdef(oid) "
            "FROM pg_constraint WHERE contype = 'f' AND conrelid::regclass::text = ANY(:t)"),
            {"t": list(import_bulk.TABLES)}).scalars()
    else:
        found = session.execute(text(
            "SELECT coalesce(sql, name) FROM sqlite_master WHERE type IN ('index', 'trigger') "
            "AND tbl_name IN ('influencer', 'social_account', 'audience_snapshot', "
            "'audience_share', 'influencer_tag')")).scalars()
    return sorted(found)


@pytest.mark.slow
def test_bulk_load_writes_what_the_batch_path_writes(db, monkeypatch, small_batches,
                                                     by_batch_then_empty, import_csv,
                                                     imported_people, people_csv):
    user = make_user("admin")
    data = people_csv(300)
    by_batch, expected = by_batch_then_empty(data, user)
    calls = []
    real_start = import_bulk.BulkLoad.start
    monkeypatch.setattr(import_bulk.BulkLoad, "start",
                        lambda self: calls.append(1) or real_start(self))
    _imp, bulk = import_csv(data, user, name="encore.csv")
    assert calls == [1]  # the bulk path ran
    assert bulk == by_batch
    assert bulk["created"] > 150 and bulk["updated"] > 50 and bulk["rejected"] > 5
    assert imported_people() == expected


@pytest.mark.slow
def test_every_index_and_key_comes_back_and_search_finds_the_people(
        db, app, monkeypatch, member_client, import_csv, people_csv):
    user = make_user("admin")
    before = _schema()
    monkeypatch.setitem(app.config, "RELAIS_IMPORT_BULK_ROWS", 1)
    _imp, report = import_csv(people_csv(60), user)
    assert report["created"] > 30
    assert _schema() == before
    # The search index (SQLite's FTS table, PostgreSQL's trigram index) knows them.
    page = member_client.get("/influencers/?q=a_12").get_data(as_text=True)
    assert " lea_12</span>" in page and " lea_13</span>" not in page


def test_a_failed_bulk_load_leaves_nothing_and_keeps_the_indexes(db, app, monkeypatch,
                                                                 small_batches, import_csv,
                                                                 people_csv):
    user = make_user("admin")
    kept = make_influencer(display_name="Déjà là")
    _db.session.commit()
    before = _schema()
    monkeypatch.setitem(app.config, "RELAIS_IMPORT_BULK_ROWS", 1)
    real = Importer.process
    seen = []

    def breaks(self, items):
        seen.append(1)
        if len(seen) == 3:
            raise RuntimeError("disk full")
        real(self, items)

    monkeypatch.setattr(Importer, "process", breaks)
    with pytest.raises(RuntimeError):
        import_csv(people_csv(200), user)
    assert _db.session.scalar(select(func.count()).select_from(Influencer)) == 1
    assert _db.session.get(Influencer, kept.id).display_name == "Déjà là"
    assert _schema() == before
    imp = _db.session.scalars(select(Import)).one()
    assert imp.status == "failed" and imp.created == 0 and imp.updated == 0
    assert imports.live_progress(imp) == imp.progress  # no progress file left behind


@pytest.mark.slow
def test_progress_of_a_bulk_load_is_readable_while_it_runs(db, app, tmp_path, monkeypatch,
                                                           small_batches, import_csv, people_csv):
    user = make_user("admin")
    monkeypatch.setitem(app.config, "RELAIS_IMPORT_BULK_ROWS", 1)
    real = Importer.process
    seen: list[int] = []

    def watch(self, items):
        real(self, items)
        seen.append(imports.live_progress(self.imp))

    monkeypatch.setattr(Importer, "process", watch)
    imp, _report = import_csv(people_csv(200), user)
    # The first batch is read before any progress is written; the others see it move.
    assert seen[0] == 0 and seen[1] > 0 and seen == sorted(seen) and max(seen) <= 99
    assert imp.progress == 100 and imp.total_rows == 200
    assert not list((tmp_path.parent).glob("**/imports/*.progress"))


def test_when_bulk_loading_pays(db, app, tmp_path):
    session = _db.session
    assert not import_bulk.worth_it(session, 4_999, 5_000)  # small file
    assert import_bulk.worth_it(session, 5_000, 5_000)  # big file, empty tables
    for n in range(3):
        make_influencer(display_name=f"P{n}")
    session.commit()
    assert import_bulk.worth_it(session, 3, 1)
    assert not import_bulk.worth_it(session, 2, 1)  # more people than rows: keep indexes


def test_a_dry_run_never_bulk_loads(db, app, tmp_path, monkeypatch, people_csv):
    user = make_user("admin")
    monkeypatch.setitem(app.config, "RELAIS_IMPORT_BULK_ROWS", 1)
    monkeypatch.setattr(import_bulk.BulkLoad, "start",
                        lambda self: pytest.fail("a dry run dropped indexes"))
    path = tmp_path / "liste.csv"
    path.write_bytes(people_csv(40).encode("cp1252"))
    imp = imports.create_import(path, "liste.csv", user)
    report = imports.run(imp, dry_run=True)
    assert report["created"] > 0
    assert _db.session.scalar(select(func.count()).select_from(Influencer)) == 0


@settings(max_examples=40, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
# Text a file or a form can bring: no NUL (PostgreSQL refuses it), no lone surrogate (no
# decoder yields one, and neither database stores it).
@pytest.mark.slow
@given(wanted=st.lists(st.text(st.characters(blacklist_categories=("Cs",),
                                             blacklist_characters="\x00"), max_size=30),
                      max_size=40),
       ids=st.lists(st.integers(min_value=-2**31, max_value=2**31 - 1), max_size=40))
def test_among_matches_python_membership(db, wanted, ids):
    """One parameter for the whole list: quotes, brackets, unicode, empty lists."""
    session = _db.session
    try:
        names = sorted({w[:60] for w in wanted} - {""})  # no NUL: PostgreSQL text refuses it
        for name in names:
            session.add(Tag(name=name))
        session.flush()
        probe = [*wanted[::2], "absent", "'); DROP TABLE tag; --"]
        assert sorted(session.scalars(select(Tag.name).where(among(Tag.name, probe)))) == \
            sorted(n for n in names if n in probe)
        tag_ids = list(session.scalars(select(Tag.id)))
        chosen = tag_ids[::2] + ids
        assert sorted(session.scalars(select(Tag.id).where(among(Tag.id, chosen)))) == \
            sorted(i for i in tag_ids if i in chosen)
        assert list(session.scalars(select(Tag.id).where(among(Tag.id, [])))) == []
        assert list(session.scalars(select(Tag.id).where(among(Tag.name, [])))) == []
    finally:
        session.rollback()


def test_progress_page_shows_a_bulk_loads_progress_file(db, member_client):
    user = make_user("member")
    imp = Import(filename="liste.csv", stored_path="/nonexistent", size_bytes=10,
                 encoding="utf-8", delimiter=";", mode="upsert", user_id=user.id,
                 status="running", started_at=utcnow(), progress=3)
    _db.session.add(imp)
    _db.session.commit()
    assert "3 %" in member_client.get(f"/imports/{imp.id}/progress").get_data(as_text=True)
    imports.write_progress(imp.id, 42)  # what a bulk load writes instead of its row
    page = member_client.get(f"/imports/{imp.id}/progress").get_data(as_text=True)
    assert 'value="42"' in page and "42 %" in page
    listed = member_client.get("/imports/").get_data(as_text=True)
    assert "42 %" in listed
    imports.progress_path(imp.id).write_text("garbage", encoding="ascii")
    assert "3 %" in member_client.get(f"/imports/{imp.id}/progress").get_data(as_text=True)


def test_create_is_a_merge_into_an_empty_person():
    """Person.create (new people, the short way) leaves what merging the row into an empty
    record leaves: every file row of a rich file, an account named twice included."""
    from datetime import date

    from app.imports.parsing.mapping import suggest_mapping
    from app.imports.parsing.rows import ColumnPlan, NormalisedRow, normalise_row
    from app.imports.people import Person

    headers = ["Nom", "Instagram", "Abonnés Instagram", "TikTok", "Compte", "Réseau",
               "E-mail", "Tags", "% Femmes", "18-24", "Pays de l'audience", "Date"]
    plan = ColumnPlan(headers, suggest_mapping(headers))
    rows = [
        ["Léa", "@lea", "12 400", "@lea.tt", "lea", "Instagram", "lea@exemple.fr",
         "beauté, Mode, mode", "62 %", "30 %", "FR", "03/04/2025"],
        ["", "", "", "@zoe", "", "", "", "", "", "", "", ""],
        ["Hugo", "@hugo", "9,5 M", "", "", "", "", "tech", "", "", "BE", ""],
    ]
    today = date(2026, 11, 22)
    seen = 0
    parsed = [normalise_row(cells, plan, line) for line, cells in enumerate(rows, 2)]
    # The normaliser merges an account named twice in a row; create copes all the same.
    parsed.append(NormalisedRow(9, {"display_name": "X"}, [
        {"platform": "instagram", "handle": "x", "followers": 10},
        {"platform": "instagram", "handle": "x", "followers": 20,
         "figures_on": date(2025, 1, 1), "audience": {"gender": {"female": 0.5}}}], []))
    for row in parsed:
        assert isinstance(row, NormalisedRow), row
        line = row.line
        merged = Person(-line, new=True)
        merged.row = line
        merged.merge(row, today)
        merged.values["display_name"] = row.display_name()[:200]
        created = Person.create(row, today)
        for slot in ("id", "row", "values", "accounts", "tags", "latest", "snapshots"):
            assert getattr(created, slot) == getattr(merged, slot), slot
        assert created.denormalised() == merged.denormalised()
        seen += len(created.snapshots)
    assert seen >= 2  # audiences were part of it
    assert created.accounts[("instagram", "x")]["followers"] == 20
