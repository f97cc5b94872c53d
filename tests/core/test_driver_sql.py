"""Statements written for the driver: the `IN` list works on SQLite and PostgreSQL alike."""

from __future__ import annotations

from app.core import driver_sql
from tests.factories import make_influencer


def test_among_finds_exactly_the_listed_ids(db):
    people = [make_influencer(display_name=f"Id {n}") for n in range(4)]
    wanted = [people[0].id, people[2].id, 2_000_000_000]
    connection = db.session.connection()
    among, values = driver_sql.among(connection, wanted)
    found = connection.exec_driver_sql(
        f"SELECT id FROM influencer WHERE id {among} ORDER BY id", values).scalars().all()  # noqa: S608
    assert found == [people[0].id, people[2].id]
    mark = driver_sql.placeholder(connection)
    one = connection.exec_driver_sql(
        f"SELECT display_name FROM influencer WHERE id = {mark} AND id {among}",  # noqa: S608
        (people[2].id, *values)).scalar()
    assert one == "Id 2"
