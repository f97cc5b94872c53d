"""End-to-end CSV import: file → database, against the bar of ≥ 20 000 rows/s.

    python -m bench.import                   # 100 000 rows, SQLite in a temporary folder
    python -m bench.import --rows 1000000    # and peak memory against the 300 MB bar
    DATABASE_URL=postgresql+psycopg://postgres@127.0.0.1:5432/test python -m bench.import
                                              # PostgreSQL: in a database `relais_bench`
                                              # (--database NAME), dropped and created

Generates the French-Excel file of bench/import_parse.py (cp1252, `;`, 10 % duplicate
people, 2 % bad rows), creates the schema in a fresh database, then times
`imports.create_import` + `imports.run` (upsert, real run) and prints rows/s and the peak
memory of the importing process and its reading process together (bench/memory.py):
reading, lookups, writes and, for this big file into an empty database, the bulk load's
index builds (app/imports/bulk_load.py) all count.

Then the floor (up to 200 000 rows, or with --floor; --no-floor skips it): the same import
again into a second fresh database with its writes recorded, and those writes alone
replayed into a third (bench/import_floor.py). That is the database's own share of the
import: the fastest any importer could go on this machine with this schema. The bench
prints import ÷ floor against issue 17's bar (at most 1.5×), and the CPU seconds of this
process for both: on a machine other processes share, wall times swing from one minute to
the next, CPU times much less (on SQLite the whole write path is this process's CPU).
Beside it, the same work spread perfectly over the machine's cores (`_bound`): what
overlapping the reading process, this process and the database server could reach at
most without doing less.
"""

from __future__ import annotations

import argparse
import contextlib
import multiprocessing
import os
import resource
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

from bench.import_floor import recording, replay
from bench.import_parse import generate
from bench.list_page import make_database
from bench.memory import PeakMemory

BAR = 20_000
FLOOR_BAR = 1.5  # issue 17: an import at most 1.5× what the database alone takes


def _fresh_app(folder: Path, database: str = "relais_bench"):
    """An app on a fresh, empty database (PostgreSQL: `database`, made again), with
    the schema and the user who imports."""
    from app import create_app
    from app.config import TestConfig
    from app.extensions import db
    from app.models import User

    folder.mkdir()
    app = create_app(TestConfig(str(folder / "instance"),
                                make_database(os.environ.get("DATABASE_URL"), folder,
                                              database)))
    with app.app_context():
        db.drop_all()
        db.create_all()
        db.session.add(User(email="bench@exemple.fr", name="Bench", password_hash="x",
                            role="admin"))
        db.session.commit()
    return app


def _release(app) -> None:
    from app.extensions import db

    with app.app_context():
        db.session.remove()
        db.engine.dispose()


@contextlib.contextmanager
def _waits() -> Iterator[list[float]]:
    """The seconds the importing process spends waiting for its reading process's next
    batch (app/imports/parsing/parse_ahead.py), in `[total]`."""
    from app.imports.parsing import parse_ahead

    read, waited = parse_ahead.read_message, [0.0]

    def timed(stream):
        started = time.perf_counter()
        try:
            return read(stream)
        finally:
            waited[0] += time.perf_counter() - started

    parse_ahead.read_message = timed
    try:
        yield waited
    finally:
        parse_ahead.read_message = read


def _server_cpu() -> float:
    """CPU seconds of this machine's PostgreSQL server processes (0 without one): summed
    from /proc, whoever owns them (a process that ended since is no longer counted)."""
    ticks = os.sysconf("SC_CLK_TCK")
    total = 0
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)
        except OSError:
            continue  # ended between the listing and the reading
        if fields[0].endswith("(postgres"):
            utime, stime = fields[1].split()[11:13]
            total += int(utime) + int(stime)
    return total / ticks


@contextlib.contextmanager
def _phases(server: bool) -> Iterator[dict[str, float]]:
    """When the import's end of load began (BulkLoad.finish: its reading is over):
    wall clock, this process's CPU, its children's (the reading process, reaped when it
    sent its last batch) and (`server`) the database server's CPU, in `["wall"]`,
    `["cpu"]`, `["children"]`, `["server"]`."""
    from app.imports.bulk_load import BulkLoad

    finish, marks = BulkLoad.finish, {}

    def marked(self):
        marks.update(_mark(server))
        return finish(self)

    BulkLoad.finish = marked
    try:
        yield marks
    finally:
        BulkLoad.finish = finish


def _mark(server: bool) -> dict[str, float]:
    """Now: wall clock, CPU of this process, of its reaped children and (`server`) of the
    database server."""
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return {"wall": time.perf_counter(), "cpu": time.process_time(),
            "children": children.ru_utime + children.ru_stime,
            "server": _server_cpu() if server else 0.0}


def _bound(started: dict[str, float], marks: dict[str, float], ended: dict[str, float]
           ) -> tuple[float, str]:
    """The fastest this import's work could go, spread perfectly over this machine's
    cores: its reading and batches (the reading process, this process and the database
    server until the end of the load began) shared by every core, none shorter than its
    own CPU time, then the end of the load as long as it took. → (seconds, the parts)."""
    cores = os.cpu_count() or 1
    reading = marks["children"] - started["children"]
    batches = marks["cpu"] - started["cpu"]
    server = marks["server"] - started["server"]
    end = ended["wall"] - marks["wall"]
    spread = max((reading + batches + server) / cores, reading, batches, server)
    parts = (f"reading process {reading:.2f} s + importing process {batches:.2f} s"
             + (f" + database server {server:.2f} s" if server else "")
             + f" of CPU on {cores} cores ≥ {spread:.2f} s, then the end of the load "
             f"{end:.2f} s")
    return spread + end, parts


def _import(app, path: Path) -> tuple[float, float, dict]:
    """→ (wall seconds, this process's CPU seconds, the run's report)."""
    from app.extensions import db
    from app.imports import service as imports
    from app.models import User

    with app.app_context():
        user = db.session.get(User, 1)
        started, cpu = time.perf_counter(), time.process_time()
        imp = imports.create_import(path, "influenceurs.csv", user)
        report = imports.run(imp, dry_run=False)
        return time.perf_counter() - started, time.process_time() - cpu, report


def _floor(tmp: Path, path: Path, rows: int, elapsed: float, database: str,
           bound: float | None) -> None:
    """Records the import again, replays its writes alone, prints the floor and the ratio."""
    from sqlalchemy import select

    from app.extensions import db
    from app.imports import service as imports
    from app.models import Tag, User

    recorded = tmp / "writes.pickle"
    app = _fresh_app(tmp / "recorded", database)
    with recording(recorded):
        _import(app, path)
    with app.app_context():
        tags = [tuple(row) for row in db.session.execute(select(Tag.id, Tag.name))]
    _release(app)
    app = _fresh_app(tmp / "replayed", database)
    with app.app_context():
        # The import the recorded rows name (import_id 1, as in the recorded database).
        imports.create_import(path, "influenceurs.csv", db.session.get(User, 1))
        cpu = time.process_time()
        timings, written = replay(recorded, tags)
        cpu = time.process_time() - cpu
    _release(app)
    floor = sum(timings.values())
    print(f"the database's own share, replayed alone (bench/import_floor.py): {floor:.2f} s "
          f"for {written:,} rows in five tables (CPU of this process {cpu:.2f} s)")
    print("  " + ", ".join(f"{phase} {seconds:.2f} s" for phase, seconds in timings.items()))
    ceiling = rows / floor
    verdict = "reachable" if ceiling >= BAR else "UNREACHABLE on this machine"
    print(f"  → at most {ceiling:,.0f} rows/s on this machine with this schema, "
          f"{ceiling / BAR:.2f}× the bar ({verdict}); the rest of the import "
          f"(reading, parsing, de-duplicating, deciding): {elapsed - floor:.2f} s")
    ratio = elapsed / floor
    print(f"import ÷ floor: {elapsed:.2f} s ÷ {floor:.2f} s = {ratio:.2f}× "
          f"({'OK' if ratio <= FLOOR_BAR else 'OVER'} the {FLOOR_BAR}× bar)")
    if bound:
        print(f"  the same work spread perfectly over the machine's cores: {bound:.2f} s ÷ "
              f"{floor:.2f} s = {bound / floor:.2f}× (what overlapping alone could reach)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--floor", action=argparse.BooleanOptionalAction, default=None,
                        help="replay the import's writes alone (default: up to 200 000 rows)")
    parser.add_argument("--database", default="relais_bench",
                        help="PostgreSQL: the database dropped and created for each step")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        tmp = Path(folder)
        path = tmp / "influenceurs.csv"
        started = time.perf_counter()
        # In another process: the generator's own memory is not the import's.
        writer = multiprocessing.get_context("spawn").Process(target=generate,
                                                              args=(path, args.rows))
        writer.start()
        writer.join()
        app = _fresh_app(tmp / "measured", args.database)
        url = app.config["SQLALCHEMY_DATABASE_URI"]
        print(f"generated {args.rows:,} rows ({path.stat().st_size / 1e6:.1f} MB) "
              f"in {time.perf_counter() - started:.1f} s; database: {url.split('@')[-1]}")
        before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        server = url.startswith("postgresql")  # its CPU is not this process's
        with PeakMemory() as peak, _waits() as waited, _phases(server) as marks:
            started = _mark(server)
            elapsed, cpu, report = _import(app, path)
            ended = _mark(server)
        own = max(peak.own, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)
        _release(app)
        rate = args.rows / elapsed
        print(f"imported {args.rows:,} rows in {elapsed:.2f} s (CPU of the importing process "
              f"{cpu:.2f} s): {rate:,.0f} rows/s, "
              f"{rate / BAR:.2f}× the {BAR:,} rows/s bar ({'OK' if rate >= BAR else 'UNDER'})")
        print(f"waiting for the reading process's batches: {waited[0]:.2f} s")
        print(f"created {report['created']:,}, updated {report['updated']:,}, "
              f"unchanged {report['unchanged']:,}, rejected {report['rejected']:,}")
        print(f"peak memory: {peak.total:.0f} MB for the import's processes together "
              f"({'OK' if peak.total <= 300 else 'OVER'} the 300 MB bar), sampled every 20 ms; "
              f"the importing process {own:.0f} MB ({before:.0f} MB before the import "
              f"started: the interpreter, Flask, SQLAlchemy and the app), its reading "
              f"process {peak.children:.0f} MB")
        bound = _bound(started, marks, ended) if marks else None
        if bound:
            print(f"this import's work spread perfectly over the machine: {bound[1]}: "
                  f"{bound[0]:.2f} s at best")
        if args.floor or (args.floor is None and args.rows <= 200_000):
            _floor(tmp, path, args.rows, elapsed, args.database, bound and bound[0])


if __name__ == "__main__":
    main()
