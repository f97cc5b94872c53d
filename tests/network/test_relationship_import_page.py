"""Relationships (the network's edges) imported from the web page /imports/relationships:
check and import, unknown people reported and never created, hostile uploads answered with a
clear message (never a 500, nothing written), the temporary copy always deleted."""

from __future__ import annotations

import io
import tempfile

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select
from werkzeug.datastructures import FileStorage
from werkzeug.test import encode_multipart

from app.extensions import db as _db
from app.models import AuditEvent, Influencer, Relationship, User
from app.network import relationship_import as network_import
from tests.factories import make_influencer

URL = "/imports/relationships"
FILE = (
    "Source;Cible;Type;Poids\r\n"
    "https://www.instagram.com/lea.mode/;https://www.tiktok.com/@hugo.run;partage;2\r\n"
    "lea@exemple.fr;https://www.youtube.com/@inescuisine;mention;0,5\r\n"
    "https://www.tiktok.com/@hugo.run;https://www.instagram.com/personne.inconnue;suit;\r\n"
).encode("cp1252")


@pytest.fixture()
def people(db):
    lea = make_influencer(display_name="Léa", email="lea@exemple.fr",
                          accounts=[{"platform": "instagram", "handle": "lea.mode"}])
    hugo = make_influencer(display_name="Hugo",
                           accounts=[{"platform": "tiktok", "handle": "hugo.run"}])
    ines = make_influencer(display_name="Inès",
                           accounts=[{"platform": "youtube", "handle": "inescuisine"}])
    return {"lea": lea.id, "hugo": hugo.id, "ines": ines.id}


@pytest.fixture()
def temporary_dir(tmp_path, monkeypatch):
    """Uploads land here, so a test can tell that none is left behind."""
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    return tmp_path


def send(client, content: bytes | None, name: str = "reseau.csv", button: str = "run",
         **fields: str):
    # Encoded in memory, as in tests/imports/test_wizard.py: the test client's own encoder
    # spools big bodies to a temporary file it never closes (a ResourceWarning).
    data: dict = {button: "1", **fields}
    if content is not None:
        data["file"] = FileStorage(io.BytesIO(content), filename=name, content_type="text/csv")
    boundary, body = encode_multipart(data)
    return client.post(URL, data=body, content_type=f"multipart/form-data; boundary={boundary}")


def edges() -> list[tuple]:
    _db.session.expire_all()
    return sorted(_db.session.execute(select(
        Relationship.source_id, Relationship.target_id, Relationship.kind, Relationship.weight,
        Relationship.origin)).all())


def network_events() -> list[AuditEvent]:
    _db.session.expire_all()
    return list(_db.session.scalars(select(AuditEvent).where(
        AuditEvent.entity_type == "relationships")))


def speak_french(client) -> None:
    _db.session.expire_all()
    _db.session.get(User, client.user.id).locale = "fr"
    _db.session.commit()


def count(model) -> int:
    _db.session.expire_all()
    return _db.session.scalar(select(func.count()).select_from(model))


def test_page_explains_the_columns_kinds_and_examples(member_client):
    response = member_client.get(URL)
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert 'type="file"' in page and 'enctype="multipart/form-data"' in page
    assert "Check only (dry run)" in page and 'name="run"' in page
    for text in ("Source platform", "Target platform", "cible", "poids", "Audience overlap",
                 "Same agency", "Source;Cible;Type;Poids", "source,target,kind,weight",
                 "flask network import FILE --json"):
        assert text in page, text
    assert "Result of" not in page  # no report before a file is sent


def test_page_in_french(member_client):
    speak_french(member_client)
    page = member_client.get(URL).get_data(as_text=True)
    assert "Importer des relations" in page and "Vérifier seulement" in page
    assert "Importer les relations" in page
    assert "Même agence" in page and "Audience commune" in page


def test_roles(client, viewer_client, people):
    assert viewer_client.get(URL).status_code == 403
    assert send(viewer_client, FILE).status_code == 403
    response = client.get(URL)
    assert response.status_code == 302 and "/login" in response.headers["Location"]
    assert edges() == []


def test_check_counts_and_writes_nothing(member_client, people, temporary_dir):
    response = send(member_client, FILE, button="check")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert "Result of the check" in page and "Nothing has been written" in page
    assert "Relationships to add" in page and "choose the file again" in page
    assert edges() == [] and network_events() == []
    assert list(temporary_dir.iterdir()) == []


def test_without_a_button_the_file_is_only_checked(member_client, people):
    response = send(member_client, FILE, button="nothing")
    assert response.status_code == 200 and "Result of the check" in response.get_data(True)
    assert edges() == []


def test_import_adds_the_edges_and_reports_the_unknown_person(member_client, people,
                                                              temporary_dir):
    influencers = count(Influencer)
    response = send(member_client, FILE, name="réseau été.csv")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert "Result of the import" in page
    lea, hugo, ines = people["lea"], people["hugo"], people["ines"]
    assert edges() == sorted([(lea, hugo, "reposts", 2.0, "import"),
                              (lea, ines, "mentions", 0.5, "import")])
    # the unknown person: reported with its line, column, value and reason; never created
    assert count(Influencer) == influencers
    row = page[page.index("<tbody>", page.index("import-problems")):]
    assert '<td class="num">4</td><td>Cible</td>' in row
    assert "https://www.instagram.com/personne.inconnue" in row
    assert "unknown person" in row
    assert list(temporary_dir.iterdir()) == []
    [event] = network_events()
    assert (event.entity_type, event.action, event.user_id) == (
        "relationships", "create", member_client.user.id)
    assert event.changes["created"] == [None, 2] and event.changes["rejected"] == [None, 1]
    assert event.changes["file"] == [None, "réseau été.csv"]


def test_the_audit_log_shows_the_import(member_client, admin_client, people):
    send(member_client, FILE, name="réseau.csv")
    page = admin_client.get("/admin/audit").get_data(as_text=True)
    table = page[page.index('<table class="table audit">'):]  # not the filter's options
    row = table[table.index("Influence network"):]
    row = row[:row.index("</tr>")]
    assert "#0" not in row and "réseau.csv" in row and "Created" in row


def test_counts_are_shown(member_client, people):
    page = send(member_client, FILE).get_data(as_text=True)
    counts = page[page.index('class="import-counts"'):page.index("</dl>")]
    assert [c.split("<")[0] for c in counts.split('<dd class="num">')[1:]] == ["2", "0", "1"]


def test_a_second_import_finds_everything_known(member_client, people):
    send(member_client, FILE)
    page = send(member_client, FILE).get_data(as_text=True)
    counts = page[page.index('class="import-counts"'):page.index("</dl>")]
    assert [c.split("<")[0] for c in counts.split('<dd class="num">')[1:]] == ["0", "2", "1"]
    assert len(edges()) == 2


def test_nothing_rejected_says_so(member_client, people):
    content = FILE.rsplit(b"\r\n", 2)[0] + b"\r\n"  # without the unknown person's row
    page = send(member_client, content).get_data(as_text=True)
    assert "No row was rejected." in page and "import-problems" not in page


def test_reasons_in_the_users_language(member_client, people):
    make_influencer(display_name="Marie Durand",
                    accounts=[{"platform": "tiktok", "handle": "marie"}])
    make_influencer(display_name="Marie Dupont",
                    accounts=[{"platform": "other", "handle": "marie"}])
    speak_french(member_client)
    content = (b"source;cible;type;poids\n"
               b"https://instagram.com/lea.mode;https://instagram.com/inconnu;suit;1\n"
               b"https://instagram.com/lea.mode;https://tiktok.com/@hugo.run;adore;1\n"
               b"https://instagram.com/lea.mode;https://tiktok.com/@hugo.run;suit;-2\n"
               b"@marie;https://tiktok.com/@hugo.run;suit;1\n"
               b"hugo run;https://tiktok.com/@hugo.run;suit;1\n")
    page = send(member_client, content, button="check").get_data(as_text=True)
    assert "personne inconnue : https://instagram.com/inconnu" in page
    assert "type inconnu" in page and "pas un poids" in page
    assert "@marie correspond à 2 comptes : Autre (Marie Dupont), TikTok (Marie Durand)" in page
    assert "ne contient pas d" in page  # a handle with a space
    assert "unknown" not in page and "matches" not in page


def test_many_rejected_rows_are_capped_with_the_rest_counted(member_client, people):
    rows = ["source,target"] + [f"https://instagram.com/lea.mode,https://instagram.com/p{n}x"
                                for n in range(230)]
    page = send(member_client, "\n".join(rows).encode(), button="check").get_data(as_text=True)
    start = page.index("import-problems")
    table = page[start:page.index("</table>", start)]
    assert table.count("<tr>") == 1 + 200  # the header and the first 200 rows
    assert "30 more rejected rows are not shown" in page


def test_reading_overrides(member_client, people):
    # The cp1252 file read as UTF-16: refused with a reason naming the encoding
    response = send(member_client, FILE, encoding="utf-16", delimiter="semicolon")
    assert response.status_code == 400 and b"utf-16" in response.data
    # read with a comma: one column, no source and target columns
    response = send(member_client, FILE, delimiter="comma")
    assert response.status_code == 400 and b"source column and a target column" in response.data
    # the right overrides import it
    response = send(member_client, FILE, encoding="cp1252", delimiter="semicolon")
    assert response.status_code == 200 and len(edges()) == 2


def test_refusals_are_translated(member_client, people):
    speak_french(member_client)
    response = send(member_client, b"nom;abonnes\nLea;12\n")
    assert response.status_code == 400
    assert "colonne source et une colonne cible" in response.get_data(as_text=True)
    response = send(member_client, b"\n \n")
    assert "Le fichier est vide." in response.get_data(as_text=True)


@pytest.mark.parametrize(("content", "name", "fields", "message"), [
    (None, "", {}, b"Choose a file to import."),
    (b"", "empty.csv", {}, b"The file is empty."),
    (b"   \r\n\r\n", "blank.csv", {}, b"The file is empty."),
    (b"\x00\x01\x02\x89PNG\r\n\x1a\n" * 50, "image.csv", {}, b"not a text file"),
    (FILE, "program.exe", {}, b"Only .csv or .txt files"),
    (b"source;target\n" + b"x" * 5_000_000 + b";y\n", "huge.csv", {}, b"Line 2 is too long"),
    (b'source;target\n"never closed;x\n', "quote.csv", {}, b"never closed"),
    ("source;cible\nlé;à\n".encode("cp1252"), "latin.csv", {"encoding": "utf-8"},
     b"cannot be read as utf-8"),
    (FILE, "reseau.csv", {"encoding": "rot13"}, b"Not a valid choice"),
    (FILE, "reseau.csv", {"delimiter": "x"}, b"Not a valid choice"),
])
def test_refused_uploads_say_why_and_write_nothing(member_client, people, temporary_dir,
                                                    content, name, fields, message):
    response = send(member_client, content, name=name, **fields)
    assert response.status_code == 400
    assert b'class="errors"' in response.data and message in response.data, response.data[-3000:]
    assert edges() == [] and network_events() == []
    assert list(temporary_dir.iterdir()) == []


def test_header_only_is_an_empty_report(member_client, people):
    response = send(member_client, b"Source;Cible;Type;Poids\r\n")
    assert response.status_code == 200
    assert b"No row was rejected." in response.data and edges() == []


def test_hostile_cells_are_shown_escaped(member_client, people):
    content = (b"source;target\n<script>alert(1)</script>;=HYPERLINK(\"http://x\")\n")
    page = send(member_client, content).get_data(as_text=True)
    assert "<script>alert(1)</script>" not in page and "&lt;script&gt;" in page


def test_size_limit_has_a_friendly_page(app, member_client, people, monkeypatch):
    monkeypatch.setitem(app.config, "MAX_CONTENT_LENGTH", 2048)
    response = send(member_client, FILE * 100)
    assert response.status_code == 413 and b"too large" in response.data
    assert edges() == []


def test_csrf_is_checked(app, member_client, people, monkeypatch):
    monkeypatch.setitem(app.config, "WTF_CSRF_ENABLED", True)
    response = send(member_client, FILE)
    assert response.status_code == 400
    assert edges() == []


def test_a_failure_halfway_leaves_nothing_written(member_client, people, temporary_dir,
                                                  monkeypatch):
    """The first batch is written, the second one fails: the whole file is rolled back."""
    monkeypatch.setattr(network_import, "BATCH", 1)
    resolve = network_import.Batch.resolve
    calls = []

    def failing(batch):
        calls.append(1)
        if len(calls) == 2:
            raise RuntimeError("the database went away")
        return resolve(batch)

    monkeypatch.setattr(network_import.Batch, "resolve", failing)
    response = send(member_client, FILE)
    assert response.status_code == 500 and b"database went away" not in response.data
    assert len(calls) == 2
    assert edges() == [] and network_events() == []
    assert list(temporary_dir.iterdir()) == []


def test_links_from_the_imports_pages(member_client):
    for url in ("/imports/", "/imports/new"):
        assert f'href="{URL}"'.encode() in member_client.get(url).data, url


@settings(max_examples=30, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(content=st.one_of(
    st.binary(max_size=3000),
    st.lists(st.lists(st.sampled_from(["source", "cible", "type", "poids", "@lea.mode",
                                       "https://www.tiktok.com/@hugo.run", "suit", "2,5",
                                       "-1", "nan", '"', ";", "\r", "\n", "é", ""]),
                      max_size=6), max_size=12)
    .map(lambda rows: "\n".join(";".join(r) for r in rows).encode("cp1252")),
))
@pytest.mark.slow
def test_random_uploads_never_give_a_server_error(member_client, people, content):
    before = (count(Influencer), len(edges()))
    response = send(member_client, content)
    assert response.status_code in {200, 400}
    if response.status_code == 400:
        assert b'class="errors"' in response.data
    assert (count(Influencer), len(edges())) == before
