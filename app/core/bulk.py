"""Bulk inserts below the ORM: rows as tuples, straight to the database driver.

SQLAlchemy's executemany spends ~8 µs a row turning dictionaries into parameters; for the
demo seeder and the CSV import that is more than the database's own work. `RawInserter`
writes tuples in the table's column order: COPY on PostgreSQL, the driver's executemany
on SQLite (with the search-index trigger paused, see search_index.py, and the columns that
hold one value in every row written into the statement), SQLAlchemy's executemany
anywhere else. Values must already be what the driver takes: `ts()` and
`day()` turn datetimes and dates into SQLite's stored text (PostgreSQL takes the objects).
"""

from __future__ import annotations

import contextlib
import json
import math
import re
from collections.abc import Iterable, Sequence
from datetime import date, datetime
from operator import itemgetter

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

from app.core import search_index
from app.extensions import db


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
            ids = [row[0] for row in rows] if table == "influencer" else []
            values, bound = inline_constants(rows)
            sql = f"INSERT INTO {table} ({names}) VALUES ({', '.join(values)})"  # noqa: S608
            with search_index.bulk_insert(self.session, ids):
                self.raw.cursor().executemany(sql, bound)
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


# A value written into the statement as it is: no quote, backslash or control character.
_PLAIN = re.compile(r"[A-Za-z0-9_ .:@+-]{0,64}")


def _literal(value) -> str | None:
    """`value` as an SQLite literal, or None when it must be bound."""
    if value is None:
        return "NULL"
    if type(value) is bool:
        return "1" if value else "0"
    if type(value) is int and -2**63 <= value < 2**63:  # beyond, binding refuses it
        return str(value)
    if type(value) is float and math.isfinite(value):
        return repr(value)
    if type(value) is str and _PLAIN.fullmatch(value):
        return f"'{value}'"
    return None


def inline_constants(rows: Sequence[tuple]) -> tuple[list[str], Sequence[tuple]]:
    """The VALUES of an insert: a column holding one value (same type) in every row is
    written into the statement; the others are bound (`?`). → (the VALUES items, the rows
    with the bound columns only). Python's sqlite3 binds a parameter in ~0.4 µs, None
    included: an import's influencer rows carry 19 constant columns of 35 (the import,
    its user and time, blanks), which the statement compiled once costs nothing."""
    width = len(rows[0])
    if len(rows) < 2:
        return ["?"] * width, rows
    items: list[str] = []
    bound: list[int] = []
    ends = rows[0], rows[len(rows) // 2], rows[-1]
    for index in range(width):
        first = ends[0][index]
        literal = None
        # Only a column equal at both ends and in the middle is read whole.
        if ends[1][index] == first and ends[2][index] == first:
            literal = _literal(first)
            if literal is not None:
                column = list(map(itemgetter(index), rows))
                if column.count(first) != len(column) or len(set(map(type, column))) != 1:
                    literal = None
        if literal is not None:
            items.append(literal)
        else:
            items.append("?")
            bound.append(index)
    if len(bound) == width:
        return items, rows
    if len(bound) == 1:
        only = bound[0]
        return items, [(row[only],) for row in rows]
    pick = itemgetter(*bound) if bound else (lambda _row: ())
    return items, list(map(pick, rows))


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
