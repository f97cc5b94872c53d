"""Whole backups: one .tar.gz holding the database copy (SQLite backup API file or
pg_dump custom format), the instance files a restore needs (imports still within
retention, under their paths relative to the instance folder), and a manifest (format
version, database kind, creation time, every file's size and SHA-256). `restore` brings
such an archive back on an empty database and instance folder, hashes verified first."""

from __future__ import annotations

import hashlib
import io
import json
import os
import shutil
import subprocess
import tarfile
import tempfile
from datetime import UTC, datetime
from pathlib import Path, PurePosixPath

from flask import current_app
from sqlalchemy import inspect, text
from sqlalchemy.exc import SQLAlchemyError

from app.core import backup
from app.core.errors import ServiceError
from app.extensions import db
from app.models.data_version import DataVersion

FORMAT = "relais-backup"
VERSION = 1
MANIFEST = "manifest.json"
FILES = "instance"  # archive folder holding the instance files


def _instance() -> Path:
    return Path(current_app.config.get("INSTANCE_PATH") or current_app.instance_path)


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def instance_files(skip: tuple[Path, ...] = ()) -> list[str]:
    """Instance files to keep, relative POSIX paths: everything but the SQLite files at
    the top (the database itself and the transient job queue) and `skip`."""
    root = _instance()
    if not root.is_dir():
        return []
    skipped = {path.resolve() for path in skip}
    found = []
    for path in sorted(root.rglob("*")):
        if not path.is_file() or path.is_symlink() or path.resolve() in skipped:
            continue
        relative = path.relative_to(root)
        if len(relative.parts) == 1 and ".sqlite3" in relative.name:
            continue
        found.append(relative.as_posix())
    return found


def write(file: str) -> dict:
    """Write the whole backup to `file` (never overwritten); returns the manifest."""
    target = Path(file)
    if target.exists():
        raise ServiceError(f"{file} already exists; choose a new file name.")
    if not target.parent.is_dir():
        raise ServiceError(f"The folder {target.parent} does not exist.")
    kind = db.engine.url.get_backend_name()
    partial = target.with_name(f".{target.name}.partial")
    with tempfile.TemporaryDirectory() as work:
        dump = Path(work) / ("database.sqlite3" if kind == "sqlite" else "database.dump")
        backup.backup_to(str(dump))
        root = _instance()
        paths = instance_files(skip=(target, partial))
        manifest = {
            "format": FORMAT, "version": VERSION, "database": kind,
            "created_at": datetime.now(UTC).isoformat(timespec="seconds"),
            "database_file": dump.name, "database_sha256": _sha256(dump),
            "files": [],
        }
        try:
            with tarfile.open(partial, "w:gz") as archive:
                archive.add(dump, arcname=dump.name)
                for relative in paths:
                    source = root / relative
                    if not source.is_file():  # deleted by retention meanwhile
                        continue
                    manifest["files"].append({"path": relative, "size": source.stat().st_size,
                                              "sha256": _sha256(source)})
                    archive.add(source, arcname=f"{FILES}/{relative}")
                data = json.dumps(manifest, indent=2).encode()
                info = tarfile.TarInfo(MANIFEST)
                info.size = len(data)
                archive.addfile(info, io.BytesIO(data))
            os.replace(partial, target)
        except OSError as error:
            raise ServiceError(f"cannot write {file}: {error.strerror or error}") from error
        finally:
            partial.unlink(missing_ok=True)
    return manifest


def _safe(relative: str) -> bool:
    path = PurePosixPath(relative)
    return bool(relative) and not path.is_absolute() and ".." not in path.parts


def _read_manifest(archive: tarfile.TarFile) -> dict:
    try:
        member = archive.extractfile(MANIFEST)
        manifest = json.loads(member.read()) if member else None
    except KeyError:
        manifest = None
    except ValueError as error:
        raise ServiceError("the archive's manifest is not valid JSON.") from error
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise ServiceError("not a Relais backup (no manifest).")
    if manifest.get("version") != VERSION:
        raise ServiceError(f"backup format version {manifest.get('version')} is not "
                           f"supported (this Relais reads version {VERSION}).")
    kind = db.engine.url.get_backend_name()
    if manifest.get("database") != kind:
        raise ServiceError(f"this backup holds a {manifest.get('database')} database; "
                           f"the target is {kind}.")
    files = manifest.get("files")
    if not isinstance(files, list) or not all(
            isinstance(f, dict) and isinstance(f.get("path"), str) and _safe(f["path"])
            and isinstance(f.get("sha256"), str) for f in files):
        raise ServiceError("the archive's manifest lists an unsafe or invalid file path.")
    if manifest.get("database_file") not in ("database.sqlite3", "database.dump") or \
            not isinstance(manifest.get("database_sha256"), str):
        raise ServiceError("the archive's manifest names no database file.")
    return manifest


def _extract(archive: tarfile.TarFile, name: str, dest: Path, sha256: str) -> None:
    try:
        member = archive.extractfile(name)
    except KeyError:
        member = None
    if member is None:
        raise ServiceError(f"the archive lacks {name}.")
    dest.parent.mkdir(parents=True, exist_ok=True)
    with dest.open("wb") as out:
        shutil.copyfileobj(member, out)
    if _sha256(dest) != sha256:
        raise ServiceError(f"{name} is damaged (its SHA-256 does not match the manifest).")


def check_empty_target(manifest: dict) -> None:
    """Refuse to restore over anything: every table empty, none of the files present."""
    engine = db.engine
    try:
        _check_empty_tables(engine)
    except SQLAlchemyError as error:
        first = str(getattr(error, "orig", None) or error).strip().splitlines()[0]
        raise ServiceError(f"cannot read the target database: {first}") from error
    root = _instance()
    for entry in manifest["files"]:
        if (root / entry["path"]).exists():
            raise ServiceError(f"the instance folder already holds {entry['path']}; "
                               "restore only into an empty instance folder.")


def _check_empty_tables(engine) -> None:
    with engine.connect() as conn:
        existing = set(inspect(conn).get_table_names())
        # The application's own tables: not alembic_version, nor SQLite's search index
        # shadow tables, which hold settings rows from the start, nor the data token's one
        # row (app/core/data_version.py; the restore brings the backup's own).
        for table in sorted(existing & set(db.metadata.tables) - {DataVersion.__tablename__}):
            quoted = engine.dialect.identifier_preparer.quote(table)
            if conn.execute(text(f"SELECT 1 FROM {quoted} LIMIT 1")).first():  # noqa: S608
                raise ServiceError(f"the database is not empty (table {table} has rows); "
                                   "restore only into an empty database.")


def _restore_database(dump: Path, kind: str) -> None:
    db.session.remove()
    db.engine.dispose()
    url = db.engine.url
    if kind == "sqlite":
        backup.sqlite_copy(dump, url.database)
        return
    pg_restore = shutil.which("pg_restore")
    if pg_restore is None:
        raise ServiceError("pg_restore is not installed on this machine.")
    argv, env = backup.pg_restore_command(pg_restore, url, dump)
    result = subprocess.run(argv, env=env, capture_output=True, text=True,  # noqa: S603
                            check=False)
    if result.returncode != 0:
        lines = result.stderr.strip().splitlines() or ["pg_restore failed"]
        raise ServiceError(lines[-1])


def restore(file: str) -> dict:
    """Bring the backup `file` back on this (empty) database and instance folder."""
    try:
        archive = tarfile.open(file, "r:gz")  # noqa: SIM115 - closed below
    except FileNotFoundError as error:
        raise ServiceError(f"{file} does not exist.") from error
    except (tarfile.TarError, OSError, EOFError) as error:
        raise ServiceError(f"{file} is not a Relais backup archive.") from error
    try:
        with archive, tempfile.TemporaryDirectory() as work:
            manifest = _read_manifest(archive)
            check_empty_target(manifest)
            staged = Path(work)
            dump = staged / manifest["database_file"]
            _extract(archive, manifest["database_file"], dump, manifest["database_sha256"])
            for entry in manifest["files"]:
                _extract(archive, f"{FILES}/{entry['path']}", staged / FILES / entry["path"],
                         entry["sha256"])
            _restore_database(dump, manifest["database"])
            root = _instance()
            for entry in manifest["files"]:
                dest = root / entry["path"]
                dest.parent.mkdir(parents=True, exist_ok=True)
                shutil.copyfile(staged / FILES / entry["path"], dest)
    except (tarfile.TarError, EOFError, OSError) as error:
        raise ServiceError(f"{file} is damaged: {error}") from error
    return manifest
