"""Bulk inserts below the ORM: rows as tuples, straight to the database driver.

SQLAlchemy's executemany spends ~8 µs a row turning dictionaries into parameters; for the
demo seeder and the CSV import that is more than the database's own work. `RawInserter`
writes tuples in the table's column order: COPY on PostgreSQL, the driver's executemany
on SQLite (with the search-index trigger paused, see search_index.py), SQLAlchemy's
executemany anywhere else. Values must already be what the driver takes: `ts()` and
`day()` turn datetimes and dates into SQLite's stored text (PostgreSQL takes the objects).
"""

from __future__ import annotations

import contextlib
import json
from collections.abc import Iterable, Sequence
from datetime import date, datetime

from sqlalchemy import (
    ARRAY,
    ColumnElement,
    Integer,
    String,
    any_,
    bindparam,
    func,
    insert,
    literal_column,
    select,
    text,
    update,
)
from sqlalchemy.orm import Session

from app.extensions import db
from app.services import search_index


class RawInserter:
    def __init__(self, session: Session) -> None:
        connection = session.connection()
        self.session = session
        self.dialect = connection.dialect.name
        self.raw = connection.connection.dbapi_connection
        self.sqlite = self.dialect == "sqlite"
        self.postgresql = self.dialect == "postgresql"

    def ts(self, value: datetime | None):
        """A timestamp as the driver takes it (SQLAlchemy's SQLite text format)."""
        if value is None or not self.sqlite:
            return value
        return value.strftime("%Y-%m-%d %H:%M:%S.%f")

    def day(self, value: date | None):
        return value.isoformat() if value is not None and self.sqlite else value

    def insert(self, table: str, columns: Sequence[str], rows: Sequence[tuple]) -> None:
        """Insert `rows` (tuples in `columns` order) into `table`. For `influencer`, the
        first column must be the id and the ids one contiguous block (search index)."""
        if not rows:
            return
        names = ", ".join(columns)
        if self.postgresql:
            with self.raw.cursor() as cursor, cursor.copy(
                    f"COPY {table} ({names}) FROM STDIN") as copy:  # our own table names
                for row in rows:
                    copy.write_row(row)
        elif self.sqlite:
            marks = ", ".join("?" * len(columns))
            sql = f"INSERT INTO {table} ({names}) VALUES ({marks})"  # noqa: S608 - ours
            ids = [row[0] for row in rows] if table == "influencer" else []
            with search_index.bulk_insert(self.session, ids):
                self.raw.cursor().executemany(sql, rows)
        else:
            self.session.execute(insert(db.metadata.tables[table]),
                                 [dict(zip(columns, row, strict=True)) for row in rows])

    def update(self, table: str, columns: Sequence[str], rows: Sequence[tuple]) -> None:
        """`UPDATE table SET columns… WHERE id = ?` for each row: the values in `columns`
        order, then the id. One prepared statement for every row, below SQLAlchemy."""
        if not rows:
            return
        if not (self.sqlite or self.postgresql):
            named = [{**dict(zip(columns, row, strict=False)), "b_id": row[-1]}
                     for row in rows]
            target = db.metadata.tables[table]
            self.session.execute(update(target).where(target.c.id == bindparam("b_id")),
                                 named)
            return
        mark = "?" if self.sqlite else "%s"
        sets = ", ".join(f"{name} = {mark}" for name in columns)
        sql = f"UPDATE {table} SET {sets} WHERE id = {mark}"  # noqa: S608 - our own names
        with contextlib.closing(self.raw.cursor()) as cursor:
            cursor.executemany(sql, rows)


def among(column, values: Iterable) -> ColumnElement[bool]:
    """`column IN values` with the values as one parameter: a JSON array read by SQLite's
    json_each, an array on PostgreSQL. SQLAlchemy's expanding IN renders one placeholder
    per value, which costs an import more than the lookup itself (2 000 values a batch)."""
    values = list(values)
    if db.session.get_bind().dialect.name == "postgresql":
        kind = Integer if isinstance(column.type, Integer) else String
        return column == any_(bindparam(None, values, type_=ARRAY(kind)))
    listed = select(literal_column("value")).select_from(
        func.json_each(bindparam(None, json.dumps(values), type_=String)))
    return column.in_(listed.scalar_subquery())


def vacuum(tables: Sequence[str], analyze: bool = False) -> None:
    """PostgreSQL: VACUUM (and ANALYZE) `tables` outside any transaction, as autovacuum
    would some minutes after a bulk load: it sets the visibility map, so index-only scans
    need no heap visits. Other databases: nothing to do."""
    if db.engine.dialect.name != "postgresql":
        return
    with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
        connection.execute(text(("VACUUM ANALYZE " if analyze else "VACUUM ")
                                + ", ".join(tables)))
