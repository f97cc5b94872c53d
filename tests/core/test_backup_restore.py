"""`flask backup FILE` writes one archive (database, instance files, manifest) and
`flask restore FILE` brings it back whole on an empty database and instance folder; it
refuses anything else with a one-line reason."""

from __future__ import annotations

import hashlib
import io
import json
import shutil
import tarfile
import threading
import uuid
from pathlib import Path

import psycopg
import pytest
from sqlalchemy import func, select
from sqlalchemy.exc import OperationalError

from app import config as app_config
from app import create_app
from app.extensions import db as _db
from app.models import Influencer, SocialAccount, User
from tests.factories import make_approved_contract, make_influencer, make_user

FILES = {"imports/41.csv": "pseudo;followers\nzoé;1200\n".encode(),
         "imports/41.xlsx": bytes(range(256)) * 4,
         "imports/archive/2026/7.csv": b"handle\nmarc\n"}


@pytest.fixture()
def instance_files(app):
    """Import files in the session app's instance folder, removed afterwards."""
    root = Path(app.instance_path)
    for relative, data in FILES.items():
        (root / relative).parent.mkdir(parents=True, exist_ok=True)
        (root / relative).write_bytes(data)
    yield root
    for relative in FILES:
        (root / relative).unlink(missing_ok=True)
    shutil.rmtree(root / "imports" / "archive", ignore_errors=True)


@pytest.fixture()
def fresh(db, tmp_path):
    """A factory of apps on a brand-new empty database and instance folder."""
    created: list[tuple[str, str]] = []
    apps = []

    def make(create_tables: bool = True):
        url = _db.engine.url
        n = len(apps)
        if url.get_backend_name() == "sqlite":
            target = f"sqlite:///{tmp_path / f'fresh{n}.sqlite3'}"
        else:
            name = f"relais_restore_{uuid.uuid4().hex[:8]}"
            admin = url.set(drivername="postgresql", database="postgres").render_as_string(False)
            with psycopg.connect(admin, autocommit=True) as conn:
                conn.execute(f'CREATE DATABASE "{name}"')
            created.append((admin, name))
            target = url.set(database=name).render_as_string(False)
        other = create_app(app_config.TestConfig(str(tmp_path / f"instance{n}"), target))
        if create_tables:
            with other.app_context():
                _db.create_all()
        apps.append(other)
        return other

    yield make
    for other in apps:
        with other.app_context():
            _db.session.remove()
            _db.engine.dispose()
    for admin, name in created:
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _tables(app) -> dict[str, list[tuple]]:
    with app.app_context(), _db.engine.connect() as conn:
        return {table.name: [tuple(row) for row in conn.execute(
            table.select().order_by(*table.primary_key.columns))]
            for table in _db.metadata.sorted_tables}


def _restore(other, archive, *args):
    with other.app_context():
        return other.test_cli_runner().invoke(args=["restore", str(archive), *args])


@pytest.mark.parametrize("create_tables", [True, False], ids=["migrated", "bare"])
def test_backup_restores_every_table_and_file(app, runner, instance_files, fresh, tmp_path,
                                              create_tables):
    if not create_tables and _db.engine.dialect.name == "sqlite":
        pytest.skip("a bare SQLite file is the same as a migrated one once overwritten")
    make_user("admin", email="chloe@agence.fr")
    make_influencer(display_name="Léa Dupré", accounts=[{"platform": "tiktok",
                                                          "handle": "lea", "followers": 9}])
    make_approved_contract()  # a stored PDF: binary columns survive
    archive = tmp_path / "relais-2026-12-07.tar.gz"
    result = runner.invoke(args=["backup", str(archive)])
    assert result.exit_code == 0, result.output
    with tarfile.open(archive) as tar:
        manifest = json.loads(tar.extractfile("manifest.json").read())
    listed = {entry["path"]: entry for entry in manifest["files"]}
    for relative, data in FILES.items():
        assert listed[relative] == {"path": relative, "size": len(data),
                                    "sha256": hashlib.sha256(data).hexdigest()}
    assert (manifest["version"], manifest["database"]) == (1, _db.engine.dialect.name)

    other = fresh(create_tables)
    result = _restore(other, archive, "--yes")
    assert result.exit_code == 0, result.output
    assert _tables(other) == _tables(app)
    restored = Path(other.instance_path)
    for relative in listed:
        assert (restored / relative).read_bytes() == (instance_files / relative).read_bytes()


def _writer(app, stop: threading.Event, errors: list) -> None:
    with app.app_context():
        n = 0
        while not stop.is_set():
            n += 1
            try:
                influencer = Influencer(display_name=f"Charge {n}")
                influencer.accounts.append(SocialAccount(platform="instagram",
                                                         handle=f"charge.{n}", followers=n))
                _db.session.add(influencer)
                _db.session.commit()
            except OperationalError:  # SQLite busy: try again
                _db.session.rollback()
            except Exception as error:  # noqa: BLE001 - reported to the test
                errors.append(error)
                return
        _db.session.remove()


def _influencers(app) -> int:
    with app.app_context():
        return _db.session.scalar(select(func.count()).select_from(Influencer))


@pytest.mark.slow
def test_a_backup_taken_under_write_load_restores_consistently(app, runner, fresh, tmp_path):
    stop, errors = threading.Event(), []
    thread = threading.Thread(target=_writer, args=(app, stop, errors))
    thread.start()
    try:
        while _influencers(app) < 20:
            stop.wait(0.01)
        before = _influencers(app)
        archive = tmp_path / "under-load.tar.gz"
        result = runner.invoke(args=["backup", str(archive)])
        after = _influencers(app)
    finally:
        stop.set()
        thread.join()
    assert not errors
    assert result.exit_code == 0, result.output
    other = fresh()
    assert _restore(other, archive, "--yes").exit_code == 0
    with other.app_context():
        count = _influencers(other)
        accounts = _db.session.execute(
            select(SocialAccount.influencer_id, Influencer.id)
            .outerjoin(Influencer, Influencer.id == SocialAccount.influencer_id)).all()
        per_influencer = _db.session.execute(
            select(func.count(SocialAccount.id)).select_from(Influencer)
            .outerjoin(SocialAccount).group_by(Influencer.id)).scalars().all()
    assert before <= count <= after
    assert all(influencer_id is not None for _, influencer_id in accounts)  # foreign keys hold
    assert len(accounts) == count and set(per_influencer) == {1}  # whole transactions only


def _archive(tmp_path, manifest: dict | None, members: dict[str, bytes] | None = None) -> Path:
    path = tmp_path / f"crafted-{uuid.uuid4().hex[:6]}.tar.gz"
    with tarfile.open(path, "w:gz") as tar:
        items = dict(members or {})
        if manifest is not None:
            items["manifest.json"] = json.dumps(manifest).encode()
        for name, data in items.items():
            info = tarfile.TarInfo(name)
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))
    return path


def _refused(result, reason: str) -> None:
    assert result.exit_code != 0
    assert reason in result.output
    assert "Traceback" not in result.output
    assert len(result.output.strip().splitlines()) == 1


def test_restore_refuses_a_database_with_rows(runner, db, tmp_path):
    make_user("admin")
    archive = tmp_path / "b.tar.gz"
    assert runner.invoke(args=["backup", str(archive)]).exit_code == 0
    _refused(runner.invoke(args=["restore", str(archive), "--yes"]), "database is not empty")
    assert _db.session.scalar(select(func.count()).select_from(User)) == 1


def test_restore_refuses_an_instance_folder_holding_the_files(runner, instance_files, fresh,
                                                               tmp_path):
    archive = tmp_path / "b.tar.gz"
    assert runner.invoke(args=["backup", str(archive)]).exit_code == 0
    other = fresh()
    present = Path(other.instance_path) / "imports" / "41.csv"
    present.parent.mkdir(parents=True)
    present.write_bytes(b"newer")
    _refused(_restore(other, archive, "--yes"), "instance folder already holds imports/41.csv")
    assert present.read_bytes() == b"newer"


def test_restore_refuses_bad_archives(db, fresh, tmp_path):
    other = fresh()
    kind = _db.engine.dialect.name
    garbage = tmp_path / "garbage.tar.gz"
    garbage.write_bytes(b"not an archive at all")
    _refused(_restore(other, garbage, "--yes"), "is not a Relais backup archive")
    _refused(_restore(other, tmp_path / "missing.tar.gz", "--yes"), "does not exist")
    _refused(_restore(other, _archive(tmp_path, None, {"x": b"1"}), "--yes"),
             "not a Relais backup")
    good = {"format": "relais-backup", "version": 1, "database": kind, "created_at": "now",
            "database_file": "database.dump", "database_sha256": "0" * 64, "files": []}
    _refused(_restore(other, _archive(tmp_path, {**good, "version": 99}), "--yes"),
             "version 99 is not supported")
    _refused(_restore(other, _archive(tmp_path, {**good, "database": "oracle"}), "--yes"),
             "holds a oracle database")
    unsafe = {**good, "files": [{"path": "../../etc/passwd", "size": 1, "sha256": "0"}]}
    _refused(_restore(other, _archive(tmp_path, unsafe), "--yes"), "unsafe or invalid")
    no_hash = {**good, "files": [{"path": "imports/1.csv", "size": 1}]}
    _refused(_restore(other, _archive(tmp_path, no_hash), "--yes"), "unsafe or invalid")
    _refused(_restore(other, _archive(tmp_path, {**good, "database_file": "/etc/x"}), "--yes"),
             "names no database file")
    _refused(_restore(other, _archive(tmp_path, good, {"database.dump": b"x"}), "--yes"),
             "database.dump is damaged")
    _refused(_restore(other, _archive(tmp_path, good), "--yes"), "lacks database.dump")


def test_a_damaged_file_restores_nothing(runner, instance_files, fresh, tmp_path):
    make_user("admin")
    archive = tmp_path / "b.tar.gz"
    assert runner.invoke(args=["backup", str(archive)]).exit_code == 0
    with tarfile.open(archive) as tar:
        members = {m.name: tar.extractfile(m).read() for m in tar.getmembers()}
    members["instance/imports/41.csv"] = b"tampered"
    manifest = json.loads(members.pop("manifest.json"))
    other = fresh()
    _refused(_restore(other, _archive(tmp_path, manifest, members), "--yes"),
             "instance/imports/41.csv is damaged")
    with other.app_context():
        assert _db.session.scalar(select(func.count()).select_from(User)) == 0
    assert not (Path(other.instance_path) / "imports").exists()


def test_restore_asks_before_writing(db, fresh, tmp_path, runner):
    archive = tmp_path / "b.tar.gz"
    assert runner.invoke(args=["backup", str(archive)]).exit_code == 0
    other = fresh()
    with other.app_context():
        result = other.test_cli_runner().invoke(args=["restore", str(archive)], input="n\n")
    assert result.exit_code != 0
    assert "Aborted" in result.output
