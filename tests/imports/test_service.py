"""The database side of the CSV import: modes, de-duplication, update rules, dry run,
rejected rows, audience snapshots, data source, saved mappings and revert."""

from __future__ import annotations

from pathlib import Path

import pytest
from flask_babel import force_locale
from sqlalchemy import select

from app.core.errors import ServiceError
from app.extensions import db as _db
from app.imports import revert as import_revert
from app.imports import service as imports
from app.models import (
    AudienceShare,
    AudienceSnapshot,
    AuditEvent,
    Import,
    Influencer,
    SocialAccount,
    influencer_tag,
)
from tests.factories import make_influencer, make_user

FRENCH = ("Nom;Prénom;Réseau;Compte;Abonnés;Taux d'engagement;Pays;E-mail\r\n"
          "Dupont;Léa;Instagram;@lea_d;9,5 M;3,2 %;France;lea@exemple.fr\r\n"
          "Martin;Zoé;TikTok;zoe.m;12 400;1,5 %;Belgique;\r\n"
          "Roux;Hugo;YT;@hugo;beaucoup;2 %;France;\r\n"
          "Dupont;Léa;Insta;lea_d;9,6 M;3,3 %;France;\r\n")


def _file(tmp_path, text: str, encoding: str = "cp1252", name: str = "liste.csv"):
    path = tmp_path / name
    path.write_bytes(text.encode(encoding))
    return path


def _run(tmp_path, text, user, mode="upsert", dry_run=False, **kw):
    imp = imports.create_import(_file(tmp_path, text, **kw), "liste.csv", user, mode=mode)
    return imp, imports.run(imp, dry_run=dry_run)


def _tables():
    """Everything an import may touch, as comparable tuples."""
    snap = {}
    for model in (Influencer, SocialAccount, AudienceSnapshot, AudienceShare):
        table = model.__table__
        rows = _db.session.execute(select(table).order_by(table.c.id)).all()
        skip = {"updated_at", "version"}
        snap[table.name] = [tuple(v for k, v in r._mapping.items() if k not in skip)
                            for r in rows]
    snap["tags"] = sorted(_db.session.execute(select(influencer_tag)).all())
    return snap


def test_french_excel_file_creates_dedupes_and_reports(db, tmp_path):
    user = make_user("admin")
    imp, report = _run(tmp_path, FRENCH, user)
    assert report == {"created": 2, "updated": 1, "unchanged": 0, "rejected": 1,
                      "rejected_rows": [{"line": 4, "column": "Abonnés", "value": "beaucoup",
                                         "reason": "not a number"}]}
    lea = db.session.scalar(select(Influencer).where(Influencer.email == "lea@exemple.fr"))
    assert lea.display_name == "Léa Dupont" and lea.country == "FR"
    assert [(a.platform, a.handle, a.followers) for a in lea.accounts] == [
        ("instagram", "lea_d", 9_600_000)]  # the later row's figures win
    assert lea.followers_total == 9_600_000 and lea.engagement_rate == pytest.approx(0.033)
    assert lea.data_source == "import" and lea.import_id == imp.id
    assert lea.data_source_detail == f"liste.csv (import #{imp.id})"
    assert lea.owner_id == user.id and lea.lawful_basis == "legitimate_interest"
    assert "lea_d" in lea.search_text
    assert imp.status == "done" and imp.stored_path.endswith(f"{imp.id}.csv")
    events = list(db.session.scalars(select(AuditEvent)
                                     .where(AuditEvent.entity_type == "import")))
    assert [e.action for e in events] == ["create"]
    # (before, after) pairs, as every audit event's changes are shown
    assert events[0].changes["created"] == [None, 2]
    assert events[0].changes["file"] == [None, "liste.csv"]


def test_dry_run_writes_nothing_but_counts(db, tmp_path):
    user = make_user("admin")
    imp, report = _run(tmp_path, FRENCH, user, dry_run=True)
    assert (report["created"], report["updated"], report["rejected"]) == (2, 1, 1)
    assert db.session.scalar(select(Influencer.id)) is None
    assert imp.status == "checked" and imp.rejected == 1
    assert imports.run(imp, dry_run=False)["created"] == 2  # then the real run


def test_against_database_modes(db, tmp_path):
    user = make_user("admin")
    existing = make_influencer(display_name="Léa", accounts=[
        {"platform": "instagram", "handle": "lea_d", "followers": 100}])
    _imp, report = _run(tmp_path, FRENCH, user, mode="create")
    assert report["created"] == 1 and report["rejected"] == 3
    reasons = {p["line"]: p["reason"] for p in report["rejected_rows"]}
    assert reasons[2] == f"already exists (influencer #{existing.id})"
    assert db.session.get(Influencer, existing.id).accounts[0].followers == 100


def test_update_mode_and_update_rules(db, tmp_path):
    user = make_user("admin")
    existing = make_influencer(display_name="Léa", country=None, accounts=[
        {"platform": "instagram", "handle": "lea_d", "followers": 100}])
    _imp, report = _run(tmp_path, FRENCH, user, mode="update")
    assert report["updated"] == 2 and report["created"] == 0
    assert {p["reason"] for p in report["rejected_rows"]} == {"no matching influencer",
                                                              "not a number"}
    db.session.expire_all()
    lea = db.session.get(Influencer, existing.id)
    assert lea.display_name == "Léa"  # identity kept
    assert lea.country == "FR" and lea.email == "lea@exemple.fr"  # blanks filled
    assert lea.accounts[0].followers == 9_600_000 and lea.followers_total == 9_600_000
    assert lea.data_source == "manual"


def test_same_file_twice_is_unchanged(db, tmp_path):
    user = make_user("admin")
    text = FRENCH.replace("9,5 M", "9,6 M").replace("3,2 %", "3,3 %")
    _run(tmp_path, text, user)
    _imp, report = _run(tmp_path, text, user)
    assert (report["created"], report["updated"], report["unchanged"]) == (0, 0, 3)


def test_a_row_with_one_bad_cell_writes_nothing(db, tmp_path):
    user = make_user("admin")
    _run(tmp_path, "Nom;Compte;Réseau;Abonnés\r\nHugo;@hugo;YouTube;beaucoup\r\n", user)
    assert db.session.scalar(select(SocialAccount.id)) is None
    assert db.session.scalar(select(Influencer.id)) is None


def test_row_matching_two_people_is_rejected(db, tmp_path):
    user = make_user("admin")
    a = make_influencer(email="a@exemple.fr")
    b = make_influencer(accounts=[{"platform": "tiktok", "handle": "bee"}])
    _imp, report = _run(tmp_path, "Nom;Compte;Réseau;E-mail\nX;bee;TikTok;a@exemple.fr\n", user)
    assert report["rejected_rows"][0]["reason"] == (
        f"this row matches two different influencers (#{a.id} and #{b.id})")


def test_audience_columns_make_a_snapshot(db, tmp_path):
    user = make_user("admin")
    text = ("Nom;Compte;Réseau;Abonnés;% Femmes;18-24;Date des statistiques\n"
            "Léa;lea_d;Instagram;1000;60 %;30 %;01/03/2025\n")
    _run(tmp_path, text, user)
    lea = db.session.scalar(select(Influencer))
    assert lea.audience_female == pytest.approx(0.6)
    assert lea.audience_age_18_24 == pytest.approx(0.3)
    snapshot = lea.accounts[0].snapshots[0]
    assert snapshot.is_latest and str(snapshot.taken_on) == "2025-03-01"
    later = text.replace("60 %", "70 %").replace("01/03/2025", "01/04/2025")
    _run(tmp_path, later, user)
    db.session.expire_all()
    lea = db.session.scalar(select(Influencer))
    flags = [(str(s.taken_on), s.is_latest) for s in lea.accounts[0].snapshots]
    assert flags == [("2025-03-01", False), ("2025-04-01", True)]
    assert lea.audience_female == pytest.approx(0.7)


def test_revert_puts_everything_back(db, tmp_path):
    user = make_user("admin")
    make_influencer(display_name="Léa", accounts=[
        {"platform": "instagram", "handle": "lea_d", "followers": 100}])
    before = _tables()
    imp, report = _run(tmp_path, FRENCH, user)
    assert report["created"] == 1 and report["updated"] == 2
    assert _tables() != before
    import_revert.revert(imp, user)
    db.session.expire_all()
    assert _tables() == before
    assert imp.status == "reverted"
    with pytest.raises(ServiceError):
        import_revert.revert(imp, user)


def test_dry_run_cannot_be_reverted(db, tmp_path):
    user = make_user("admin")
    imp, _report = _run(tmp_path, FRENCH, user, dry_run=True)
    with pytest.raises(ServiceError):
        import_revert.revert(imp, user)


def test_unreadable_file_writes_nothing(db, tmp_path):
    user = make_user("admin")
    path = tmp_path / "x.csv"
    path.write_bytes(b"\x00\x01\x02" * 100)
    with force_locale("en"), pytest.raises(ServiceError, match="not a text file"):
        imports.create_import(path, "x.csv", user)
    # outside a request the refusal is in the default language, French
    with pytest.raises(ServiceError, match="pas un fichier texte"):
        imports.create_import(path, "x.csv", user)
    assert db.session.scalar(select(Import.id)) is None


def test_saved_mapping_is_offered_again(db, tmp_path):
    user = make_user("admin")
    imp = imports.create_import(_file(tmp_path, FRENCH), "a.csv", user)
    mapping = dict(imp.mapping)
    mapping["6"] = None  # ignore "Pays"
    imports.set_mapping(imp, mapping, user)
    again = imports.create_import(_file(tmp_path, FRENCH.replace("Pays", "PAYS")), "b.csv", user)
    assert again.mapping["6"] is None


def test_rejected_rows_csv(db, tmp_path):
    user = make_user("admin")
    imp, _report = _run(tmp_path, "Nom;Compte;Réseau;Abonnés\nX;@x;YouTube;=1+1\n", user)
    data = b"".join(imports.rejected_rows_csv(imp.id)).decode("utf-8")
    assert data.startswith("\ufeffline,column,value,reason")
    assert "'=1+1" in data


def test_uploads_are_kept_in_the_configured_instance_folder(app, tmp_path):
    """The app's instance folder is the config's (tests and benchmarks never write into
    the checkout's instance/ and never see each other's uploaded files)."""
    from app.imports.service import imports_folder

    with app.app_context():
        folder = imports_folder()
    assert folder.parent == Path(app.config["INSTANCE_PATH"])
    assert Path(app.instance_path) == Path(app.config["INSTANCE_PATH"])
    checkout = Path(__file__).resolve().parents[2] / "instance"
    assert folder.parent != checkout


def test_revert_refused_when_someone_it_created_has_a_contract(db, tmp_path):
    from app.contracts.terms import create_contract
    from tests.factories import make_brand

    user = make_user("admin")
    imp, report = _run(tmp_path, FRENCH, user)
    created = db.session.scalars(select(Influencer).where(Influencer.import_id == imp.id)).all()
    assert report["created"] == len(created) >= 1
    create_contract({"brand_id": make_brand().id, "influencer_id": created[0].id,
                     "title": "Ambassade"}, user)
    with force_locale("en"), pytest.raises(ServiceError, match="has a contract"):
        import_revert.revert(imp, user)
    db.session.rollback()
    assert db.session.get(Influencer, created[0].id) is not None
    assert db.session.get(Import, imp.id).status == "done"
