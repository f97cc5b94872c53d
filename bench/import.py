"""End-to-end CSV import: file → database, at ≥ 20 000 rows/s (issue 3, item 11).

    python -m bench.import                   # 100 000 rows, SQLite in a temporary folder
    python -m bench.import --rows 1000000    # and peak memory against the 300 MB bar
    DATABASE_URL=postgresql+psycopg://postgres@127.0.0.1:5432/test python -m bench.import
                                              # PostgreSQL: in a database `relais_bench`,
                                              # dropped and created on that server

Generates the French-Excel file of bench/import_parse.py (cp1252, `;`, 10 % duplicate
people, 2 % bad rows), creates the schema in a fresh database, then times
`imports.create_import` + `imports.run` (upsert, real run) and prints rows/s and the
process's peak memory (ru_maxrss): parsing, lookups, writes and, for this big file into an
empty database, the bulk load's index builds (app/services/import_bulk.py) all count.
"""

from __future__ import annotations

import argparse
import multiprocessing
import os
import resource
import tempfile
import time
from pathlib import Path

from bench.import_parse import generate
from bench.list_page import make_database

BAR = 20_000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        url = make_database(os.environ.get("DATABASE_URL"), Path(tmp))
        from app import create_app
        from app.config import TestConfig
        from app.extensions import db
        from app.models import User
        from app.services import imports

        app = create_app(TestConfig(str(Path(tmp) / "instance"), url))
        path = Path(tmp) / "influenceurs.csv"
        started = time.perf_counter()
        # In another process: the generator's own memory is not the import's.
        writer = multiprocessing.get_context("spawn").Process(target=generate,
                                                              args=(path, args.rows))
        writer.start()
        writer.join()
        print(f"generated {args.rows:,} rows ({path.stat().st_size / 1e6:.1f} MB) "
              f"in {time.perf_counter() - started:.1f} s; database: {url.split('@')[-1]}")
        with app.app_context():
            db.drop_all()
            db.create_all()
            user = User(email="bench@exemple.fr", name="Bench", password_hash="x",
                        role="admin")
            db.session.add(user)
            db.session.commit()
            before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
            started = time.perf_counter()
            imp = imports.create_import(path, "influenceurs.csv", user)
            report = imports.run(imp, dry_run=False)
            elapsed = time.perf_counter() - started
            if not os.environ.get("DATABASE_URL"):
                db.session.remove()
                db.engine.dispose()
    rate = args.rows / elapsed
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"imported {args.rows:,} rows in {elapsed:.2f} s: {rate:,.0f} rows/s, "
          f"{rate / BAR:.2f}× the {BAR:,} rows/s bar ({'OK' if rate >= BAR else 'UNDER'})")
    print(f"created {report['created']:,}, updated {report['updated']:,}, "
          f"unchanged {report['unchanged']:,}, rejected {report['rejected']:,}")
    print(f"peak memory of the process (ru_maxrss): {peak:.0f} MB "
          f"({'OK' if peak <= 300 else 'OVER'} the 300 MB bar; {before:.0f} MB before the "
          "import started: the interpreter, Flask, SQLAlchemy and the app)")


if __name__ == "__main__":
    main()
