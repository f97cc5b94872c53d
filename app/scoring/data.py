"""What a scoring run reads: live people, the relay graph's edges, accounts and tags, as
numpy columns in a few bulk queries (app/scoring/rescoring.py runs the engine on them).

Never one ORM object or Python tuple per edge where it can be helped: PostgreSQL packs the
edges into one binary value; SQLite's rows become arrays through numpy in C.
"""

from __future__ import annotations

import itertools
import time
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import numpy as np

from app.extensions import db
from app.models.campaign import STAGES
from app.scoring.engine import graph as scoring_graph

# A shared campaign makes a collaboration once the deal is signed (stage "contracted" on).
COLLABORATION_STAGES = tuple(s for s in STAGES if s in ("contracted", "live", "delivered",
                                                         "paid"))


def fetch(sql: str) -> list[tuple]:
    """Driver tuples, no Row objects: SQL built from our own constants only."""
    cursor = db.session.connection().connection.dbapi_connection.cursor()
    try:
        cursor.execute(sql)
        return cursor.fetchall()
    finally:
        cursor.close()


def _quoted(values) -> str:
    return ", ".join(f"'{value}'" for value in values)


def edges_sql() -> str:
    codes = " ".join(f"WHEN '{kind}' THEN {code}"
                     for code, kind in enumerate(scoring_graph.KINDS))
    stages = _quoted(COLLABORATION_STAGES)
    collaborated = scoring_graph.KINDS.index("collaborated")
    # Campaign edges are derived afresh on every run (once per pair: the engine adds the
    # reverse), so stored rows of origin "campaign", if any, are not counted twice.
    relationships = (f"SELECT source_id, target_id, CASE kind {codes} ELSE -1 END AS code, "  # noqa: S608
                     "COALESCE(weight, 1.0) AS weight FROM relationship "
                     "WHERE origin <> 'campaign'")
    shared = (f"SELECT DISTINCT a.influencer_id, b.influencer_id, {collaborated}, 1.0 "  # noqa: S608
              "FROM participant a JOIN participant b ON b.campaign_id = a.campaign_id "
              "AND a.influencer_id < b.influencer_id "
              f"WHERE a.stage IN ({stages}) AND b.stage IN ({stages})")
    return f"{relationships} UNION ALL {shared}"  # only our own constants are formatted in


def _indices(ids: np.ndarray, values) -> tuple[np.ndarray, np.ndarray]:
    """Node index of each id in `values` (sorted `ids`), and which were found."""
    values = np.asarray(values, dtype=np.int64)
    position = np.searchsorted(ids, values)
    position = np.minimum(position, max(ids.size - 1, 0))
    found = (ids[position] == values) if ids.size else np.zeros(values.size, dtype=bool)
    return position, found


# One edge as PostgreSQL's binary send functions write it (big-endian).
EDGE_RECORD = np.dtype([("source", ">i8"), ("target", ">i8"), ("code", ">i4"),
                        ("weight", ">f8")])


def _postgresql() -> bool:
    return db.session.connection().dialect.name == "postgresql"


def _blob(sql: str, raw=None) -> bytes:
    """PostgreSQL: the one bytea value `sql` selects, fetched in binary (no hex to decode),
    over the session's connection or the driver connection `raw`."""
    raw = raw if raw is not None else db.session.connection().connection.dbapi_connection
    cursor = raw.cursor(binary=True)
    try:
        cursor.execute(sql)
        value = cursor.fetchone()[0]
        return bytes(value) if value is not None else b""
    finally:
        cursor.close()


def live_ids() -> np.ndarray:
    """The ids of the influencers not deleted, in order."""
    if _postgresql():
        return np.frombuffer(_blob("SELECT string_agg(int8send(id::int8), ''::bytea ORDER BY id) "
                                   "FROM influencer WHERE deleted_at IS NULL"),
                             dtype=">i8").astype(np.int64)
    return np.array([row[0] for row in fetch(
        "SELECT id FROM influencer WHERE deleted_at IS NULL ORDER BY id")], dtype=np.int64)


def edge_columns(raw=None) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Every edge a run reads, as columns: source id, target id, kind code, own weight
    (PostgreSQL: over the driver connection `raw` if given)."""
    if raw is not None or _postgresql():
        # The server packs each edge into 28 binary bytes and the edges into one bytea:
        # no Python tuple per edge (1.3M tuples took ~1.5 s of the read).
        sql = ("SELECT string_agg(int8send(source_id::int8) || int8send(target_id::int8) "  # noqa: S608
               "|| int4send(code::int4) || float8send(weight::float8), ''::bytea) "
               f"FROM ({edges_sql()}) e")  # our own constants only
        records = np.frombuffer(_blob(sql, raw), dtype=EDGE_RECORD)
        return (records["source"].astype(np.int64), records["target"].astype(np.int64),
                records["code"].astype(np.int64), records["weight"].astype(np.float64))
    rows = fetch(edges_sql())
    edges = np.fromiter(itertools.chain.from_iterable(rows), dtype=np.float64,
                        count=4 * len(rows)).reshape(-1, 4)
    return (edges[:, 0].astype(np.int64), edges[:, 1].astype(np.int64),
            edges[:, 2].astype(np.int64), edges[:, 3])


def _edges_apart(engine) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    with engine.connect() as connection:
        return edge_columns(connection.connection.dbapi_connection)


def _people() -> tuple[np.ndarray, list[tuple], list[tuple]]:
    """Live ids, accounts and tags (as columns)."""
    ids = live_ids()
    accounts = _columns(fetch("SELECT influencer_id, platform, followers, engagement_rate, "
                               "credibility FROM social_account"), 5)
    tags = _columns(fetch("SELECT it.influencer_id, t.name FROM influencer_tag it "
                           "JOIN tag t ON t.id = it.tag_id"), 2)
    return ids, accounts, tags


def read(timings: dict[str, float]) -> dict[str, Any]:
    """Everything a run needs, as arrays: live ids, edges, accounts and tags."""
    started = time.perf_counter()
    if _postgresql():
        # The server packs the edges (most of the read) on the other core, for a second
        # connection whose thread waits without the GIL, while this one fetches the rest.
        with ThreadPoolExecutor(max_workers=1) as pool:
            pending = pool.submit(_edges_apart, db.engine)
            ids, accounts, tags = _people()
            sources, targets, codes, weights = pending.result()
    else:
        sources, targets, codes, weights = edge_columns()
        ids, accounts, tags = _people()
    source, found_source = _indices(ids, sources)
    target, found_target = _indices(ids, targets)
    live = found_source & found_target
    owner, found = _indices(ids, accounts[0])
    tag_owner, tag_found = _indices(ids, tags[0])
    data = {
        "ids": ids,
        "edges": (source[live], target[live], codes[live], weights[live]),
        # numbers as float arrays (None → NaN, in C), names as object arrays
        "accounts": (owner[found], np.array(accounts[1], dtype=object)[found],
                     *(np.array(column, dtype=np.float64)[found] for column in accounts[2:])),
        "tags": (tag_owner[tag_found], np.array(tags[1], dtype=object)[tag_found]),
    }
    timings["read"] = round(time.perf_counter() - started, 4)
    return data


def _columns(rows: list[tuple], width: int) -> list[tuple]:
    """Rows as columns (one tuple per column; `width` empty ones when there is no row)."""
    return list(zip(*rows, strict=True)) if rows else [()] * width


def edges_among(ids) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """The edges a run reads whose two ends are both among `ids` (influencer ids), as
    columns (source id, target id, kind code, own weight): the relay graph of a campaign's
    candidates. Both databases push the filter into each branch of the union, where the
    relationship and participant indexes serve it."""
    wanted = ",".join(str(int(ident)) for ident in dict.fromkeys(ids))
    if not wanted:
        empty = np.zeros(0, dtype=np.int64)
        return empty, empty, empty, np.zeros(0)
    rows = fetch(f"SELECT * FROM ({edges_sql()}) e "  # noqa: S608 - integers and constants
                  f"WHERE e.source_id IN ({wanted}) AND e.target_id IN ({wanted})")
    edges = np.fromiter(itertools.chain.from_iterable(rows), dtype=np.float64,
                        count=4 * len(rows)).reshape(-1, 4)
    return (edges[:, 0].astype(np.int64), edges[:, 1].astype(np.int64),
            edges[:, 2].astype(np.int64), edges[:, 3])
