"""Relationships from CSV (app/network/relationship_import.py): people are found, never
invented."""

from __future__ import annotations

import json

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select

from app.core.errors import ServiceError
from app.models import Relationship
from app.network.relationship_import import import_relationships
from tests.factories import make_influencer


@pytest.fixture()
def people(db):
    lea = make_influencer(display_name="Léa", email="Lea@Exemple.fr",
                          accounts=[{"platform": "instagram", "handle": "lea.mode"}])
    hugo = make_influencer(display_name="Hugo",
                           accounts=[{"platform": "tiktok", "handle": "hugo.run"}])
    ines = make_influencer(display_name="Inès",
                           accounts=[{"platform": "youtube", "handle": "inescuisine"}])
    return {"lea": lea, "hugo": hugo, "ines": ines}


def write(tmp_path, text: str, encoding: str = "utf-8"):
    path = tmp_path / "edges.csv"
    path.write_bytes(text.encode(encoding))
    return str(path)


def edges(db):
    return sorted(db.session.execute(
        select(Relationship.source_id, Relationship.target_id, Relationship.kind,
               Relationship.weight, Relationship.origin)).all())


def test_handles_urls_and_emails_are_resolved(db, tmp_path, people):
    path = write(tmp_path, (
        "source;target;kind;weight\n"
        "https://www.instagram.com/Lea.Mode/;https://www.tiktok.com/@hugo.run;reposts;2\n"
        "lea@exemple.fr;https://youtube.com/@InesCuisine;mention;\n"
        "https://www.tiktok.com/@hugo.run;lea@exemple.fr;collab;0,5\n"
    ))
    report = import_relationships(path)
    assert report == {"created": 3, "updated": 0, "unchanged": 0, "rejected": 0,
                      "rejected_rows": []}
    lea, hugo, ines = people["lea"].id, people["hugo"].id, people["ines"].id
    assert edges(db) == sorted([
        (lea, hugo, "reposts", 2.0, "import"), (lea, ines, "mentions", 1.0, "import"),
        (hugo, lea, "collaborated", 0.5, "import")])


def test_bare_handles_take_the_platform_column(db, tmp_path, people):
    path = write(tmp_path, "de,vers,réseau source,réseau cible,type\n"
                           "@lea.mode,hugo.run,Insta,TikTok,suit\n")
    report = import_relationships(path)
    assert report["created"] == 1 and report["rejected"] == 0
    assert edges(db)[0][:3] == (people["lea"].id, people["hugo"].id, "follows")


def test_a_bare_handle_without_a_platform_is_found_on_any_platform(db, tmp_path, people):
    path = write(tmp_path, "source,target\n@Lea.Mode,hugo.run\nInesCuisine,@lea.mode\n")
    report = import_relationships(path)
    assert (report["created"], report["rejected"]) == (2, 0), report["rejected_rows"]
    lea, hugo, ines = people["lea"].id, people["hugo"].id, people["ines"].id
    assert [edge[:2] for edge in edges(db)] == sorted([(lea, hugo), (ines, lea)])


def test_an_ambiguous_bare_handle_is_rejected_with_the_candidates_named(db, tmp_path, people):
    make_influencer(display_name="Marie Durand",
                    accounts=[{"platform": "tiktok", "handle": "marie"}])
    make_influencer(display_name="Marie Dupont",
                    accounts=[{"platform": "instagram", "handle": "marie"}])
    report = import_relationships(write(tmp_path, "source,target\n@marie,hugo.run\n"))
    assert (report["created"], report["rejected"]) == (0, 1)
    assert report["rejected_rows"][0] == {
        "line": 2, "column": "source", "value": "@marie",
        "reason": "@marie matches 2 accounts: Instagram (Marie Dupont), TikTok (Marie Durand)"}
    # With the platform given, the handle is that platform's: no ambiguity.
    report = import_relationships(write(tmp_path, "source,target,platform\n@marie,hugo.run,\n"
                                                  "@marie,lea.mode,Instagram\n"))
    assert (report["created"], report["rejected"]) == (1, 1)


def test_one_persons_accounts_sharing_a_handle_are_not_ambiguous(db, tmp_path, people):
    same = make_influencer(display_name="Nina", accounts=[
        {"platform": "instagram", "handle": "nina.art"},
        {"platform": "youtube", "handle": "nina.art"}])
    report = import_relationships(write(tmp_path, "source,target\nnina.art,@hugo.run\n"))
    assert report["created"] == 1 and edges(db)[0][:2] == (same.id, people["hugo"].id)


def test_a_trashed_persons_handle_neither_resolves_nor_makes_it_ambiguous(db, tmp_path,
                                                                          people):
    from app.models.base import utcnow

    gone = make_influencer(display_name="Old Hugo",
                           accounts=[{"platform": "x", "handle": "hugo.run"}])
    gone.deleted_at = utcnow()
    db.session.commit()
    report = import_relationships(write(tmp_path, "source,target\nlea.mode,hugo.run\n"))
    assert report["created"] == 1
    assert edges(db)[0][:2] == (people["lea"].id, people["hugo"].id)


@settings(max_examples=60, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(cell=st.text(st.characters(blacklist_categories=("Cc", "Cs")), max_size=40))
def test_any_handle_cell_gives_an_edge_or_a_reason(db, tmp_path, people, cell):
    cell = cell.replace('"', "").replace(",", "").replace("\n", "").replace("\r", "")
    report = import_relationships(write(tmp_path, f"source,target\n{cell},hugo.run\n"))
    assert report["created"] + report["rejected"] + report["unchanged"] <= 1
    assert all(row["reason"] for row in report["rejected_rows"])
    db.session.rollback()


def test_unknown_people_are_reported_not_invented(db, tmp_path, people):
    path = write(tmp_path, "source,target\n"
                           "https://instagram.com/lea.mode,https://instagram.com/nobody.here\n")
    before = db.session.scalar(select(func.count()).select_from(Relationship))
    report = import_relationships(path)
    assert report["created"] == 0 and report["rejected"] == 1
    problem = report["rejected_rows"][0]
    assert problem["line"] == 2 and "unknown person" in problem["reason"]
    assert "nobody.here" in problem["value"]
    assert db.session.scalar(select(func.count()).select_from(Relationship)) == before


@pytest.mark.parametrize(("row", "reason"), [
    ("https://instagram.com/lea.mode,https://instagram.com/lea.mode,follows,1",
     "cannot relay themselves"),
    ("https://instagram.com/lea.mode,https://tiktok.com/@hugo.run,loves,1", "unknown kind"),
    ("https://instagram.com/lea.mode,https://tiktok.com/@hugo.run,follows,-3", "not a weight"),
    ("https://instagram.com/lea.mode,https://tiktok.com/@hugo.run,follows,nan", "not a weight"),
    ("https://instagram.com/lea.mode,,follows,1", "missing"),
    ("hugo.run,https://tiktok.com/@hugo.run,follows,1", "cannot relay themselves"),
    ("@nobody.here,hugo.run,follows,1", "unknown person: @nobody.here"),
    ("lea mode,hugo.run,follows,1", "no spaces"),
    ("instagram.com,hugo.run,follows,1", "site's address"),
])
def test_bad_rows_are_rejected_with_a_reason(db, tmp_path, people, row, reason):
    report = import_relationships(write(tmp_path, "source,target,kind,weight\n" + row + "\n"))
    assert report["rejected"] == 1 and report["created"] == 0
    assert reason in report["rejected_rows"][0]["reason"]


def test_known_edges_are_unchanged_in_the_file_and_the_database(db, tmp_path, people):
    text = ("source,target,kind\n"
            "https://instagram.com/lea.mode,https://tiktok.com/@hugo.run,follows\n"
            "https://instagram.com/lea.mode,https://tiktok.com/@hugo.run,follows\n")
    first = import_relationships(write(tmp_path, text))
    assert (first["created"], first["unchanged"]) == (1, 1)
    second = import_relationships(write(tmp_path, text))
    assert (second["created"], second["unchanged"]) == (0, 2)
    assert len(edges(db)) == 1


def test_dry_run_writes_nothing(db, tmp_path, people):
    path = write(tmp_path, "source,target\n"
                           "https://instagram.com/lea.mode,https://tiktok.com/@hugo.run\n")
    report = import_relationships(path, dry_run=True)
    assert report["created"] == 1
    assert edges(db) == []


def test_missing_columns_are_a_clear_refusal(db, tmp_path, people):
    with pytest.raises(ServiceError, match="source column and a target column"):
        import_relationships(write(tmp_path, "name,followers\nLéa,12\n"))


def test_cp1252_semicolons_are_read(db, tmp_path, people):
    path = write(tmp_path, "Source;Cible;Type\nlea@exemple.fr;hugo.run;Même agence\n"
                           .replace("hugo.run", "https://www.tiktok.com/@hugo.run"), "cp1252")
    report = import_relationships(path)
    assert report["created"] == 1, report
    assert edges(db)[0][2] == "same_agency"


def test_cli_json_shape_and_exit_codes(runner, tmp_path, people):
    path = write(tmp_path, "source,target\n"
                           "https://instagram.com/lea.mode,https://tiktok.com/@hugo.run\n"
                           "https://instagram.com/lea.mode,https://instagram.com/ghost\n")
    result = runner.invoke(args=["network", "import", path, "--json"])
    assert result.exit_code == 0, result.output
    report = json.loads(result.output)
    assert set(report) == {"created", "updated", "unchanged", "rejected", "rejected_rows"}
    assert report["created"] == 1 and report["rejected"] == 1
    assert set(report["rejected_rows"][0]) == {"line", "column", "value", "reason"}
    missing = runner.invoke(args=["network", "import", str(tmp_path / "nope.csv")])
    assert missing.exit_code != 0 and "Traceback" not in missing.output
    assert missing.output.strip().startswith("Error:")
    empty = write(tmp_path, "")
    result = runner.invoke(args=["network", "import", empty])
    assert result.exit_code != 0 and result.output.count("\n") == 1


@settings(max_examples=40, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.binary(max_size=2000))
def test_hostile_files_never_crash(db, tmp_path, data):
    path = tmp_path / "hostile.csv"
    path.write_bytes(data)
    try:
        report = import_relationships(str(path))
    except ServiceError as error:
        assert str(error)
    else:
        assert report["created"] == 0
