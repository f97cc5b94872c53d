"""End-to-end CSV import: file → database, against the bar of ≥ 20 000 rows/s.

    python -m bench.import                   # 100 000 rows, SQLite in a temporary folder
    python -m bench.import --rows 1000000    # and peak memory against the 300 MB bar
    DATABASE_URL=postgresql+psycopg://postgres@127.0.0.1:5432/test python -m bench.import
                                              # PostgreSQL: in a database `relais_bench`,
                                              # dropped and created on that server

Generates the French-Excel file of bench/import_parse.py (cp1252, `;`, 10 % duplicate
people, 2 % bad rows), creates the schema in a fresh database, then times
`imports.create_import` + `imports.run` (upsert, real run) and prints rows/s and the peak
memory of the importing process and its reading process together (bench/memory.py):
reading, lookups, writes and, for this big file into an empty database, the bulk load's
index builds (app/imports/bulk_load.py) all count.

Then the floor (up to 200 000 rows, or with --floor; --no-floor skips it): the same import
again into a second fresh database with its writes recorded, and those writes alone
replayed into a third (bench/import_floor.py). That is the database's own share of the
import: the fastest any importer could go on this machine with this schema.
"""

from __future__ import annotations

import argparse
import multiprocessing
import os
import resource
import tempfile
import time
from pathlib import Path

from bench.import_floor import recording, replay
from bench.import_parse import generate
from bench.list_page import make_database
from bench.memory import PeakMemory

BAR = 20_000


def _fresh_app(folder: Path):
    """An app on a fresh, empty database (PostgreSQL: `relais_bench`, made again), with
    the schema and the user who imports."""
    from app import create_app
    from app.config import TestConfig
    from app.extensions import db
    from app.models import User

    folder.mkdir()
    app = create_app(TestConfig(str(folder / "instance"),
                                make_database(os.environ.get("DATABASE_URL"), folder)))
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


def _import(app, path: Path) -> tuple[float, dict]:
    from app.extensions import db
    from app.imports import service as imports
    from app.models import User

    with app.app_context():
        user = db.session.get(User, 1)
        started = time.perf_counter()
        imp = imports.create_import(path, "influenceurs.csv", user)
        report = imports.run(imp, dry_run=False)
        return time.perf_counter() - started, report


def _floor(tmp: Path, path: Path, rows: int, elapsed: float) -> None:
    from sqlalchemy import select

    from app.extensions import db
    from app.imports import service as imports
    from app.models import Tag, User

    recorded = tmp / "writes.pickle"
    app = _fresh_app(tmp / "recorded")
    with recording(recorded):
        _import(app, path)
    with app.app_context():
        tags = [tuple(row) for row in db.session.execute(select(Tag.id, Tag.name))]
    _release(app)
    app = _fresh_app(tmp / "replayed")
    with app.app_context():
        # The import the recorded rows name (import_id 1, as in the recorded database).
        imports.create_import(path, "influenceurs.csv", db.session.get(User, 1))
        timings, written = replay(recorded, tags)
    _release(app)
    floor = sum(timings.values())
    print(f"the database's own share, replayed alone (bench/import_floor.py): {floor:.2f} s "
          f"for {written:,} rows in five tables")
    print("  " + ", ".join(f"{phase} {seconds:.2f} s" for phase, seconds in timings.items()))
    ceiling = rows / floor
    verdict = "reachable" if ceiling >= BAR else "UNREACHABLE on this machine"
    print(f"  → at most {ceiling:,.0f} rows/s on this machine with this schema, "
          f"{ceiling / BAR:.2f}× the bar ({verdict}); the rest of the import "
          f"(reading, parsing, de-duplicating, deciding): {elapsed - floor:.2f} s")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--floor", action=argparse.BooleanOptionalAction, default=None,
                        help="replay the import's writes alone (default: up to 200 000 rows)")
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
        app = _fresh_app(tmp / "measured")
        url = app.config["SQLALCHEMY_DATABASE_URI"]
        print(f"generated {args.rows:,} rows ({path.stat().st_size / 1e6:.1f} MB) "
              f"in {time.perf_counter() - started:.1f} s; database: {url.split('@')[-1]}")
        before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        with PeakMemory() as peak:
            elapsed, report = _import(app, path)
        own = max(peak.own, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)
        _release(app)
        rate = args.rows / elapsed
        print(f"imported {args.rows:,} rows in {elapsed:.2f} s: {rate:,.0f} rows/s, "
              f"{rate / BAR:.2f}× the {BAR:,} rows/s bar ({'OK' if rate >= BAR else 'UNDER'})")
        print(f"created {report['created']:,}, updated {report['updated']:,}, "
              f"unchanged {report['unchanged']:,}, rejected {report['rejected']:,}")
        print(f"peak memory: {peak.total:.0f} MB for the import's processes together "
              f"({'OK' if peak.total <= 300 else 'OVER'} the 300 MB bar), sampled every 20 ms; "
              f"the importing process {own:.0f} MB ({before:.0f} MB before the import "
              f"started: the interpreter, Flask, SQLAlchemy and the app), its reading "
              f"process {peak.children:.0f} MB")
        if args.floor or (args.floor is None and args.rows <= 200_000):
            _floor(tmp, path, args.rows, elapsed)


if __name__ == "__main__":
    main()
