"""The data token (app/core/data_version.py) moves with every committed write, however it
was sent (ORM, Core on another connection, straight to the driver), and only then."""

from __future__ import annotations

from sqlalchemy import insert, select

from app.core import data_version
from app.core.bulk import RawInserter
from app.extensions import db as _db
from app.models import Influencer, Tag
from tests.factories import make_influencer


def _token() -> int:
    value = data_version.token()
    _db.session.commit()  # read only: must not move it
    assert value is not None
    return value


def test_an_orm_write_moves_the_token_when_it_commits(db):
    before = _token()
    tag = Tag(name="mode")
    _db.session.add(tag)
    _db.session.flush()
    assert _token_elsewhere() == before  # not committed yet: other readers see the old one
    _db.session.commit()
    assert _token() != before


def _token_elsewhere() -> int:
    with _db.engine.connect() as conn:
        return conn.exec_driver_sql("SELECT token FROM data_version WHERE id = 1").scalar()


def test_reads_and_rolled_back_writes_leave_it(db):
    make_influencer(display_name="Lou")
    before = _token()
    _db.session.scalars(select(Influencer)).all()
    _db.session.commit()
    assert _token() == before
    _db.session.add(Tag(name="rolled back"))
    _db.session.flush()
    _db.session.rollback()
    assert _token() == before
    assert _token_elsewhere() == before


def test_writes_sent_to_the_driver_move_it(db):
    before = _token()
    RawInserter(_db.session).insert("tag", ("name",), [("raw",), ("copy",)])
    _db.session.commit()
    assert _token() != before


def test_a_write_on_another_connection_moves_it(db):
    before = _token()
    with _db.engine.begin() as conn:
        conn.execute(insert(Tag.__table__).values(name="core"))
    assert _token() != before


def test_every_write_gives_a_token_never_seen_before(db):
    seen = {_token()}
    for n in range(20):
        _db.session.add(Tag(name=f"t{n}"))
        _db.session.commit()
        seen.add(_token())
    assert len(seen) == 21
