"""SQLite inserts with their constant columns written into the statement
(app/core/bulk.py, `inline_constants`): whatever the rows, the table ends up holding
exactly what binding every value would have stored, and nothing a value holds is ever
read as SQL."""

from __future__ import annotations

import sqlite3

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from app.core.bulk import inline_constants

# What the import writes: blanks, flags, counts, shares, text of any kind (quotes, SQL,
# accents, emoji; no NUL and no lone surrogate, which no decoder yields).
VALUES = st.one_of(
    st.none(), st.booleans(), st.integers(min_value=-2**63, max_value=2**63 - 1),
    st.floats(allow_nan=False), st.sampled_from(["import", "2026-12-06 16:33:14.369855",
                                                 "x'); DROP TABLE t; --", "O'Hara", "",
                                                 "legitimate_interest"]),
    st.text(st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00"),
            max_size=20),
)
AFFINITIES = ("INTEGER", "REAL", "TEXT", "NUMERIC", "BLOB", "DATETIME", "BOOLEAN")


def _stored(rows: list[tuple], inline: bool) -> list[tuple]:
    width = len(rows[0])
    connection = sqlite3.connect(":memory:")
    columns = [f"c{i} {AFFINITIES[i % len(AFFINITIES)]}" for i in range(width)]
    connection.execute(f"CREATE TABLE t (n INTEGER PRIMARY KEY, {', '.join(columns)})")
    names = ", ".join(f"c{i}" for i in range(width))
    if inline:
        values, bound = inline_constants(rows)
    else:
        values, bound = ["?"] * width, rows
    statement = f"INSERT INTO t ({names}) VALUES ({', '.join(values)})"  # noqa: S608 - tested
    connection.executemany(statement, bound)
    typed = ", ".join(f"c{i}, typeof(c{i})" for i in range(width))
    found = connection.execute(f"SELECT {typed} FROM t ORDER BY n").fetchall()  # noqa: S608
    connection.close()
    return found


@pytest.mark.slow
@settings(max_examples=300, deadline=None)
@given(st.integers(min_value=1, max_value=6).flatmap(lambda width: st.lists(
    st.one_of(st.tuples(*[VALUES] * width),
              st.just(tuple([None, 1, "import", 0.5, True, "O'Hara"][:width]))),
    min_size=1, max_size=12)))
def test_the_table_holds_what_binding_every_value_stores(rows):
    assert _stored(rows, inline=True) == _stored(rows, inline=False)


def test_constant_columns_are_written_into_the_statement_and_others_bound():
    rows = [(1, None, "import", 2, "x'y"), (2, None, "import", 2, "x'y"),
            (3, None, "import", 2.0, "x'y")]
    values, bound = inline_constants(rows)
    # 2 and 2.0 are equal but not the same type; a quoted text is never inlined.
    assert values == ["?", "NULL", "'import'", "?", "?"]
    assert bound == [(1, 2, "x'y"), (2, 2, "x'y"), (3, 2.0, "x'y")]


def test_a_single_row_is_bound_whole():
    assert inline_constants([(1, "a")]) == (["?", "?"], [(1, "a")])
