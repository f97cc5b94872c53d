"""`flask influencers import`: the JSON shape, exit codes, hostile files."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import func, select

from app.models import Import, Influencer
from tests.factories import make_user

FRENCH = ("Nom;Prénom;Réseau;Compte;Abonnés;Taux d'engagement;Pays;E-mail\r\n"
          "Dupont;Léa;Instagram;@lea_d;9,5 M;3,2 %;France;lea@exemple.fr\r\n"
          "Roux;Hugo;YT;@hugo;beaucoup;2 %;France;\r\n")


def _count(db, model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def test_json_shape_and_exit_code(runner, db, tmp_path):
    make_user("admin")
    path = tmp_path / "liste.csv"
    path.write_bytes(FRENCH.encode("cp1252"))
    result = runner.invoke(args=["influencers", "import", str(path), "--json"])
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    assert report == {"created": 1, "updated": 0, "unchanged": 0, "rejected": 1,
                      "rejected_rows": [{"line": 3, "column": "Abonnés", "value": "beaucoup",
                                         "reason": "not a number"}]}
    dry = runner.invoke(args=["influencers", "import", str(path), "--json", "--dry-run",
                              "--mode", "create"])
    assert json.loads(dry.stdout)["rejected"] == 2
    human = runner.invoke(args=["influencers", "import", str(path), "--delimiter", ";"])
    assert "0 created, 0 updated, 1 unchanged, 1 rejected" in human.output


@pytest.mark.parametrize(("content", "message"), [
    (None, "cannot be opened"),
    (b"", "empty"),
    (b"\x00\x01\x02\xff" * 300, "not a text file"),
    (bytes(range(256)) * 50, "not a text file"),
])
def test_refused_files(runner, db, tmp_path, content, message):
    make_user("admin")
    path = tmp_path / "x.csv"
    if content is not None:
        path.write_bytes(content)
    result = runner.invoke(args=["influencers", "import", str(path), "--json"])
    assert result.exit_code == 1
    assert result.stderr.startswith("Error: ") and message in result.stderr
    assert result.stderr.count("\n") == 1 and "Traceback" not in result.output
    assert _count(db, Import) == 0 and _count(db, Influencer) == 0


def test_bad_options_and_folder(runner, db, tmp_path):
    make_user("admin")
    path = tmp_path / "x.csv"
    path.write_bytes(FRENCH.encode("cp1252"))
    for extra in (["--delimiter", "x"], ["--encoding", "nope"]):
        result = runner.invoke(args=["influencers", "import", str(path), *extra])
        assert result.exit_code == 1 and result.stderr.startswith("Error: ")
    folder = runner.invoke(args=["influencers", "import", str(tmp_path)])
    assert folder.exit_code == 1 and "folder" in folder.stderr
    nobody = runner.invoke(args=["influencers", "import", str(path), "--as", "x@y.fr"])
    assert nobody.exit_code == 1


def test_header_only_file_is_read(runner, db, tmp_path):
    make_user("admin")
    path = tmp_path / "x.csv"
    path.write_text("Nom;Compte\n", encoding="utf-8")
    result = runner.invoke(args=["influencers", "import", str(path), "--json"])
    assert result.exit_code == 0
    assert json.loads(result.stdout)["created"] == 0
