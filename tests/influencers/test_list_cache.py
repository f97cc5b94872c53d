"""The influencer list keeps its pages until the data changes (app/influencers/list_cache.py):
a page seen again costs a few small reads, and every write, by this worker or another
process, shows on the next page."""

from __future__ import annotations

import csv
import os
import re
import subprocess
import sys

import pytest

from app.extensions import db as _db
from app.influencers import list_cache
from tests.factories import PASSWORD, make_influencer, make_user
from tests.influencers.test_list import names
from tests.workers import ROOT, login_form, post, request


def test_a_page_seen_again_is_kept_and_costs_few_statements(member_client, count_statements):
    for n in range(30):
        make_influencer(display_name=f"Person {n:02d}",
                        accounts=[{"platform": "instagram", "handle": f"p{n}", "followers": n}])
    url = "/influencers/?platform=instagram&sort=-followers"
    first = member_client.get(url).get_data(as_text=True)
    kept = list_cache.cache()
    hits = kept.hits
    statements = count_statements(lambda: member_client.get(url).get_data())
    assert kept.hits == hits + 2  # the page's context (team, tags, views) and its results
    # the user and the data token: the rest is kept until the next write
    assert statements <= 2, statements
    again = member_client.get(url).get_data(as_text=True)
    table = re.compile(r"<tbody.*?</tbody>", re.S)
    assert table.search(again).group(0) == table.search(first).group(0)
    assert names(member_client.get(url))[:2] == ["Person 29", "Person 28"]


def test_every_kind_of_write_shows_on_the_next_page(member_client):
    person = make_influencer(display_name="Avant")
    assert names(member_client.get("/influencers/")) == ["Avant"]
    response = member_client.post("/influencers/new", data={
        "display_name": "Nouvelle", "kind": "instagrammer", "status": "prospect",
        "data_source": "manual", "lawful_basis": "legitimate_interest"})
    assert response.status_code == 302
    assert names(member_client.get("/influencers/")) == ["Avant", "Nouvelle"]
    person.display_name = "Après"
    _db.session.commit()
    assert names(member_client.get("/influencers/")) == ["Après", "Nouvelle"]
    response = member_client.post(f"/influencers/{person.id}/delete",
                                  data={"version": person.version})
    assert response.status_code == 302
    assert names(member_client.get("/influencers/")) == ["Nouvelle"]


def test_kept_pages_are_per_reader_and_language(client_as):
    make_influencer(display_name="Lou", status="do_not_contact")
    french = client_as(make_user("member", locale="fr"))
    english = client_as(make_user("viewer", locale="en"))
    fr_page = french.get("/influencers/").get_data(as_text=True)
    en_page = english.get("/influencers/").get_data(as_text=True)
    assert "Ne pas contacter" in fr_page and "Do not contact" in en_page
    assert 'name="ids"' in fr_page and 'name="ids"' not in en_page  # members select rows
    assert "Ne pas contacter" in french.get("/influencers/").get_data(as_text=True)


def _csv(path, rows: list[str]) -> None:
    with open(path, "w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["display_name", "instagram"])
        writer.writerows([name, f"@{name.lower()}"] for name in rows)


@pytest.mark.slow
def test_two_workers_show_what_another_process_wrote(db, gunicorn, database_url, tmp_path):
    """Each gunicorn worker keeps its pages; an import run by the CLI in a third process
    (writing through the driver) must show on the next page, whichever worker answers."""
    member = make_user("member", locale="en")
    make_influencer(display_name="Already here")
    make_user("admin")
    cookie, token = login_form(gunicorn)
    answer = post(gunicorn, "/login", cookie, {"csrf_token": token, "email": member.email,
                                              "password": PASSWORD})
    assert answer[0] == 302
    cookie = answer[1].split(";")[0] or cookie
    for _ in range(6):  # both workers keep the page
        status, _cookie, page = request(gunicorn, "GET", "/influencers/", headers={
            "Cookie": cookie})
        assert status == 200 and "Already here" in page and "Imported" not in page
    path = tmp_path / "people.csv"
    _csv(path, ["Imported"])
    env = {**os.environ, "DATABASE_URL": database_url, "RELAIS_ENV": "development",
           "RELAIS_INSTANCE_PATH": str(tmp_path)}
    done = subprocess.run(  # noqa: S603 - fixed argv
        [sys.executable, "-m", "flask", "--app", "wsgi", "influencers", "import", str(path)],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=120, check=False)
    assert done.returncode == 0, done.stderr
    for _ in range(6):
        status, _cookie, page = request(gunicorn, "GET", "/influencers/", headers={
            "Cookie": cookie})
        assert status == 200 and "Imported" in page
