"""Consistent backups of the whole database while the app keeps running."""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
from pathlib import Path

from flask_babel import gettext as _
from sqlalchemy.engine import URL

from app.core.errors import ServiceError
from app.extensions import db


def pg_dump_command(pg_dump: str, url, target: Path) -> tuple[list[str], dict[str, str]]:
    """pg_dump's argv and environment: the password goes in PGPASSWORD, never on the
    command line, which every user of the machine can read with `ps`."""
    env = dict(os.environ)
    if url.password:
        env["PGPASSWORD"] = str(url.password)
    dsn = URL.create("postgresql", username=url.username, host=url.host, port=url.port,
                     database=url.database, query=url.query).render_as_string(hide_password=False)
    return [pg_dump, "--format=custom", f"--file={target}", dsn], env


def pg_restore_command(pg_restore: str, url, dump: Path) -> tuple[list[str], dict[str, str]]:
    """pg_restore's argv and environment, the password in PGPASSWORD as for pg_dump. The
    target holds no rows (checked first), so --clean only drops empty tables."""
    argv, env = pg_dump_command(pg_restore, url, dump)
    dsn = argv[-1]
    return [pg_restore, "--no-owner", "--clean", "--if-exists", "--single-transaction",
            f"--dbname={dsn}", str(dump)], env


def sqlite_copy(source_file, dest_file) -> None:
    """Copy one SQLite database over another with the online backup API: a consistent
    snapshot, WAL included, whoever else is writing to the source."""
    source = sqlite3.connect(source_file)
    try:
        dest = sqlite3.connect(dest_file)
        with dest:
            source.backup(dest)
        dest.close()
    finally:
        source.close()


def backup_to(file: str) -> Path:
    target = Path(file)
    if target.exists():
        raise ServiceError(_("%(file)s already exists; choose a new file name.", file=file))
    if not target.parent.exists():
        raise ServiceError(_("The folder %(dir)s does not exist.", dir=str(target.parent)))
    url = db.engine.url
    if url.get_backend_name() == "sqlite":
        sqlite_copy(url.database, target)
        return target
    if url.get_backend_name() == "postgresql":
        pg_dump = shutil.which("pg_dump")
        if pg_dump is None:
            raise ServiceError(_("pg_dump is not installed on this machine."))
        argv, env = pg_dump_command(pg_dump, url, target)
        result = subprocess.run(  # noqa: S603 - fixed argv, no shell
            argv, env=env, capture_output=True, text=True, check=False,
        )
        if result.returncode != 0:
            target.unlink(missing_ok=True)
            lines = result.stderr.strip().splitlines() or ["pg_dump failed"]
            raise ServiceError(lines[-1])
        return target
    raise ServiceError(_("Backups of %(db)s are not supported.", db=url.get_backend_name()))
