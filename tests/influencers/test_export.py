"""CSV export (app/influencers/export.py) and `flask influencers export`: columns, one row
per account, exclusions, formats, formula injection, chunked streaming, the command."""

from __future__ import annotations

import csv
import io
from datetime import date

import pytest

from app.extensions import db as _db
from app.influencers import export as exports
from app.models import Influencer, Tag
from app.models.base import utcnow
from app.models.influencer import refresh_denormalised
from tests.factories import make_influencer, make_user


def export(filters=None, user_id=None, sort="name", delimiter=",", size=exports.CHUNK):
    """The export as text (BOM kept) and its rows as dicts."""
    out = io.StringIO(newline="")
    count = exports.write(out, filters or {}, user_id, sort, delimiter, size=size)
    text = out.getvalue()
    body = text.removeprefix(exports.BOM)
    reader = csv.DictReader(io.StringIO(body, newline=""),
                            delimiter=exports.DELIMITERS[delimiter])
    return text, list(reader), count


def tag(influencer, *names):
    for name in names:
        influencer.tags.append(Tag(name=name))
    _db.session.commit()


@pytest.fixture()
def alice(db):
    owner = make_user("member", name="Zoé Owner")
    person = make_influencer(
        display_name="Alice Martin", legal_name="Alice Marie Martin", kind="instagrammer",
        email="alice@studio.fr", phone="06 12 34 56 78", city="Lyon", country="FR",
        status="engaged", owner_id=owner.id, data_source="referral", lawful_basis="consent",
        accounts=[
            {"platform": "instagram", "handle": "alice.m",
             "profile_url": "https://instagram.com/alice.m", "followers": 50_000,
             "following": 300, "posts": 812, "engagement_rate": 0.032, "credibility": 0.87,
             "figures_on": date(2026, 10, 1)},
            {"platform": "tiktok", "handle": "alice.tt", "followers": 1_200},
        ],
    )
    tag(person, "mode", "beauté")
    return person


def test_header_is_stable_and_one_row_per_account(alice):
    text, rows, count = export()
    assert text.startswith(exports.BOM + ",".join(exports.COLUMNS) + "\r\n")
    assert (count.rows, count.influencers) == (2, 1)
    first, second = rows
    assert first == {
        "influencer_id": str(alice.id), "name": "Alice Martin", "legal_name": "Alice Marie Martin",
        "kind": "instagrammer", "email": "alice@studio.fr", "phone": "06 12 34 56 78",
        "city": "Lyon", "country": "FR", "status": "engaged", "owner": "Zoé Owner",
        "tags": "beauté, mode", "platform": "instagram", "handle": "alice.m",
        "profile_url": "https://instagram.com/alice.m", "followers": "50000",
        "following": "300", "posts": "812", "engagement_rate": "0.032", "credibility": "0.87",
        "figures_on": "2026-10-01", "data_source": "referral", "lawful_basis": "consent",
    }
    assert (second["influencer_id"], second["name"], second["platform"], second["handle"]) == (
        str(alice.id), "Alice Martin", "tiktok", "alice.tt")
    assert second["engagement_rate"] == second["figures_on"] == second["profile_url"] == ""


def test_influencer_without_accounts_gets_one_row(db):
    person = make_influencer(display_name="Sans Compte", country="BE")
    _text, rows, count = export()
    assert (count.rows, count.influencers) == (1, 1)
    (row,) = rows
    assert row["influencer_id"] == str(person.id) and row["name"] == "Sans Compte"
    assert all(row[c] == "" for c in ("platform", "handle", "profile_url", "followers",
                                      "following", "posts", "engagement_rate", "credibility",
                                      "figures_on", "owner", "tags"))


def test_deleted_and_erased_influencers_are_left_out(db):
    make_influencer(display_name="Kept")
    make_influencer(display_name="In the trash", deleted_at=utcnow())
    make_influencer(display_name="Erased", deleted_at=utcnow(), erased_at=utcnow())
    make_influencer(display_name="Erased, not trashed", erased_at=utcnow())
    assert [r["name"] for r in export()[1]] == ["Kept"]


@pytest.mark.parametrize(("value", "shown"), [
    (0.032, "0.032"), (0.030000000000000002, "0.03"), (0.00001, "0.00001"), (1.0, "1"),
    (0.0, "0"), (None, ""), (0.1234567, "0.123457"),
])
def test_shares_are_written_with_a_dot_never_in_scientific_notation(value, shown):
    assert exports.share(value) == shown


def test_formula_cells_are_neutralised(db):
    person = make_influencer(
        display_name='=HYPERLINK("http://evil.example","clic")', city="+33 Lyon",
        legal_name="-2+3", email="@evil", phone="\t=1",
        accounts=[{"platform": "instagram", "handle": "=cmd|' /C calc'!A0"}],
    )
    tag(person, "=SUM(A1)")
    (row,) = export()[1]
    assert row["name"] == '\'=HYPERLINK("http://evil.example","clic")'
    assert row["city"] == "'+33 Lyon"
    assert row["legal_name"] == "'-2+3"
    assert row["email"] == "'@evil"
    assert row["phone"] == "'\t=1"
    assert row["handle"] == "'=cmd|' /C calc'!A0"
    assert row["tags"] == "'=SUM(A1)"


def test_semicolon_variant_and_quoting(db):
    make_influencer(display_name='Le "Chef"; cuisine, etc.', city="Saint-Étienne")
    text, rows, _count = export(delimiter=";")
    assert text.startswith(exports.BOM + ";".join(exports.COLUMNS) + "\r\n")
    assert '"Le ""Chef""; cuisine, etc."' in text
    assert rows[0]["name"] == 'Le "Chef"; cuisine, etc.' and rows[0]["city"] == "Saint-Étienne"
    assert "\t" in export(delimiter="tab")[0]


def test_filters_and_sort_are_the_lists(db):
    for n, (name, country) in enumerate([("Bruno", "BE"), ("Alice", "FR"), ("Chloé", "FR")]):
        make_influencer(display_name=name, country=country,
                        accounts=[{"platform": "instagram", "handle": f"h{n}",
                                   "followers": 1000 * (n + 1)}])
    assert [r["name"] for r in export({"country": "FR"})[1]] == ["Alice", "Chloé"]
    assert [r["name"] for r in export(sort="-followers")[1]] == ["Chloé", "Alice", "Bruno"]
    assert [r["name"] for r in export({"q": "chlo"})[1]] == ["Chloé"]


def test_chunks_keep_order_and_every_row(db):
    for i in range(7):
        make_influencer(display_name=f"P{i}", accounts=[
            {"platform": "instagram", "handle": f"p{i}", "followers": i},
            {"platform": "x", "handle": f"p{i}", "followers": i}])
    _text, rows, count = export(sort="-followers", size=2)
    assert (count.rows, count.influencers) == (14, 7)
    assert [r["name"] for r in rows[::2]] == [f"P{i}" for i in reversed(range(7))]


def _crowd(start: int, stop: int) -> None:
    for i in range(start, stop):
        person = make_influencer(display_name=f"Crowd {i:03d}", accounts=[
            {"platform": "instagram", "handle": f"c{i}"},
            {"platform": "tiktok", "handle": f"c{i}"}])
        tag(person, f"t{i}")


@pytest.mark.slow
def test_queries_are_chunked_not_one_per_influencer(db, count_statements):
    _crowd(0, 5)
    few = count_statements(lambda: export())
    _crowd(5, 60)
    many = count_statements(lambda: export())
    assert many == few <= 6
    # Smaller chunks: a few queries per chunk, never per influencer.
    assert count_statements(lambda: export(size=20)) <= 2 + 3 * 3


@pytest.mark.slow
def test_stream_yields_utf8_bytes_with_bom_in_pieces(db):
    for i in range(1100):  # added in one commit: a factory call each would take seconds
        person = Influencer(display_name=f"Élodie {i:04d}")
        refresh_denormalised(person)
        _db.session.add(person)
    _db.session.commit()
    pieces = list(exports.stream({}, None))
    assert len(pieces) >= 3 and all(isinstance(p, bytes) for p in pieces)
    data = b"".join(pieces)
    assert data.startswith(b"\xef\xbb\xbfinfluencer_id,")
    assert data.decode("utf-8-sig").count("Élodie") == 1100


def test_filename_carries_the_date():
    assert exports.filename(date(2026, 11, 22)) == "relais-influencers-2026-11-22.csv"


# --- flask influencers export -------------------------------------------------------------

def test_cli_exports_every_influencer(runner, alice, tmp_path):
    make_influencer(display_name="Théo Noël")
    target = tmp_path / "export.csv"
    result = runner.invoke(args=["influencers", "export", str(target)])
    assert result.exit_code == 0, result.output
    assert result.output.strip() == f"Exported 3 rows (2 influencers) to {target}"
    assert target.read_bytes().startswith(b"\xef\xbb\xbf")
    with target.open(encoding="utf-8-sig", newline="") as back:
        rows = list(csv.DictReader(back))
    assert [r["name"] for r in rows] == ["Alice Martin", "Alice Martin", "Théo Noël"]
    assert rows[0]["tags"] == "beauté, mode"


@pytest.mark.parametrize(("option", "separator"), [(";", ";"), ("tab", "\t"), (",", ",")])
def test_cli_delimiter(runner, alice, tmp_path, option, separator):
    target = tmp_path / "export.csv"
    result = runner.invoke(args=["influencers", "export", str(target), "--delimiter", option])
    assert result.exit_code == 0, result.output
    header = target.read_text(encoding="utf-8-sig").splitlines()[0]
    assert header == separator.join(exports.COLUMNS)


def _one_line_failure(result) -> str:
    assert result.exit_code != 0
    lines = result.output.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("Error:"), result.output
    return lines[0]


def test_cli_refuses_a_directory(runner, db, tmp_path):
    line = _one_line_failure(runner.invoke(args=["influencers", "export", str(tmp_path)]))
    assert "directory" in line


def test_cli_refuses_an_unwritable_path(runner, db, tmp_path):
    target = tmp_path / "missing" / "export.csv"
    line = _one_line_failure(runner.invoke(args=["influencers", "export", str(target)]))
    assert "cannot write" in line and not target.exists()


def test_cli_refuses_an_unknown_delimiter(runner, db, tmp_path):
    target = tmp_path / "export.csv"
    result = runner.invoke(args=["influencers", "export", str(target), "--delimiter", "|"])
    assert result.exit_code != 0
    assert "Invalid value for '--delimiter'" in result.output and not target.exists()
