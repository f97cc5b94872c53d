"""Importing an export (app/influencers/export.py) changes nothing: every person, account
and audience comes back unchanged."""

from __future__ import annotations

from app.imports import service as imports
from app.influencers import export as exports
from tests.factories import add_snapshot, make_influencer, make_user


def test_export_imports_back_unchanged(db, tmp_path):
    user = make_user("admin")
    people = [
        make_influencer(display_name="Léa Dupont", email="lea@exemple.fr", country="FR",
                        kind="instagrammer", accounts=[
                            {"platform": "instagram", "handle": "lea_d", "followers": 9_500_000,
                             "engagement_rate": 0.032},
                            {"platform": "tiktok", "handle": "lea.tt", "followers": 12_400}]),
        make_influencer(display_name="=cmd|' /C calc'!A0", accounts=[
            {"platform": "youtube", "handle": "hugo", "followers": 1200, "credibility": 0.81}]),
        make_influencer(display_name="Sans compte", email="sans@exemple.fr", city="Lyon"),
    ]
    add_snapshot(people[0].accounts[0], {"gender": {"female": 0.6, "male": 0.4}})
    path = tmp_path / "export.csv"
    with open(path, "w", encoding="utf-8", newline="") as out:
        exports.write(out, delimiter=";")
    imp = imports.create_import(path, "export.csv", user)
    report = imports.run(imp, dry_run=False)
    assert report == {"created": 0, "updated": 0, "unchanged": 4, "rejected": 0,
                      "rejected_rows": []}
