"""GET /influencers/export.csv: who may export, the list's filters and sort, the file's
form (BOM, separator, attachment), streaming, hostile query strings, bounded queries."""

from __future__ import annotations

import csv
import io
import re
from datetime import date
from urllib.parse import urlencode

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select

from app.extensions import db as _db
from app.models import Tag
from app.models.base import utcnow
from tests.factories import make_influencer, make_user

URL = "/influencers/export.csv"
ROW = re.compile(r'<a href="/influencers/(\d+)">([^<]+)</a>')


def tag(influencer, *names):
    for name in names:
        found = _db.session.scalar(select(Tag).where(Tag.name == name)) or Tag(name=name)
        influencer.tags.append(found)
    _db.session.commit()


def read(response, delimiter=",") -> list[dict]:
    assert response.status_code == 200, response.status_code
    text = response.get_data().decode("utf-8-sig")
    return list(csv.DictReader(io.StringIO(text, newline=""), delimiter=delimiter))


def exported_names(client, query: str) -> list[str]:
    """Names in export order, one per influencer (accounts of one person are adjacent)."""
    names = [row["name"] for row in read(client.get(f"{URL}?{query}"))]
    return [n for i, n in enumerate(names) if i == 0 or names[i - 1] != n]


def listed_names(client, query: str) -> list[str]:
    response = client.get(f"/influencers/?{query}&per_page=100")
    assert response.status_code == 200
    return [name for _id, name in ROW.findall(response.get_data(as_text=True))]


@pytest.fixture()
def people(member_client):
    other = make_user("member", name="Zoé Owner")
    alice = make_influencer(
        display_name="Alice Martin", kind="instagrammer", status="engaged", country="FR",
        email="alice@studio-alice.fr", owner_id=member_client.user.id,
        accounts=[{"platform": "instagram", "handle": "alice.m", "followers": 50_000,
                   "engagement_rate": 0.03}])
    bruno = make_influencer(
        display_name="Bruno Leroy", kind="youtuber", status="prospect", country="BE",
        accounts=[{"platform": "youtube", "handle": "brunotube", "followers": 500_000,
                   "engagement_rate": 0.012}])
    chloe = make_influencer(
        display_name="Chloé Petit", kind="tiktoker", status="ambassador", country="CH",
        owner_id=other.id, email="chloe@example.fr",
        accounts=[{"platform": "tiktok", "handle": "chloe.p", "followers": 5_000,
                   "engagement_rate": 0.07},
                  {"platform": "instagram", "handle": "chloe.insta", "followers": 2_000}])
    make_influencer(display_name="Denis Sans Compte", country="FR", status="prospect")
    make_influencer(display_name="Éric Supprimé", deleted_at=utcnow())
    tag(alice, "beauté")
    tag(bruno, "sport")
    tag(chloe, "Écologie", "sport")
    return {"alice": alice, "bruno": bruno, "chloe": chloe, "other": other}


@pytest.mark.parametrize("query", [
    "", "platform=instagram", "kind=tiktoker", "status=prospect", "country=fr", "owner=me",
    "owner=none", "tag=sport", "q=chlo", "q=alice%40studio", "followers_min=10k",
    "engagement_min=2,5", "sort=-followers", "sort=owner", "sort=-engagement&status=prospect",
    "country=FRA&kind=nope", "owner=999&age_min=30",
])
def test_export_has_the_lists_people_in_the_lists_order(member_client, people, query):
    assert exported_names(member_client, query) == listed_names(member_client, query)


def test_export_file_form(member_client, people):
    response = member_client.get(URL)
    assert response.status_code == 200
    assert response.is_streamed
    assert response.mimetype == "text/csv"
    assert response.headers["Content-Disposition"] == (
        f'attachment; filename="relais-influencers-{date.today().isoformat()}.csv"')
    data = response.get_data()
    assert data.startswith(b"\xef\xbb\xbfinfluencer_id,name,legal_name,kind,")
    rows = read(response)
    assert len(rows) == 5  # Chloé has two accounts, Denis none, Éric is in the trash
    assert "Éric Supprimé" not in {r["name"] for r in rows}
    chloe = [r for r in rows if r["name"] == "Chloé Petit"]
    assert [r["platform"] for r in chloe] == ["tiktok", "instagram"]
    assert set(chloe[0]["tags"].split(", ")) == {"Écologie", "sport"}
    assert chloe[0]["owner"] == "Zoé Owner"
    assert chloe[0]["engagement_rate"] == "0.07"
    denis = next(r for r in rows if r["name"] == "Denis Sans Compte")
    assert denis["platform"] == denis["handle"] == denis["followers"] == ""


def test_semicolon_variant(member_client, people):
    response = member_client.get(URL + "?" + urlencode({"delimiter": ";", "country": "CH"}))
    assert response.get_data().startswith(b"\xef\xbb\xbfinfluencer_id;name;")
    assert [r["handle"] for r in read(response, ";")] == ["chloe.p", "chloe.insta"]


def test_formula_names_are_neutralised(member_client):
    make_influencer(display_name='=HYPERLINK("http://evil.example","clic")')
    (row,) = read(member_client.get(URL))
    assert row["name"] == '\'=HYPERLINK("http://evil.example","clic")'


def test_unknown_separator_is_refused_with_a_message(member_client, people):
    response = member_client.get(URL + "?delimiter=|", follow_redirects=True)
    assert response.status_code == 200
    assert "Unknown CSV separator" in response.get_data(as_text=True)


def test_anonymous_goes_to_login_and_viewer_may_not_export(client, viewer_client, people):
    response = client.get(URL)
    assert response.status_code == 302 and "/login" in response.headers["Location"]
    assert viewer_client.get(URL).status_code == 403


def test_list_links_to_the_export_with_its_filters(member_client, viewer_client, people):
    page = member_client.get("/influencers/?country=FR&sort=-followers&q=")
    html = page.get_data(as_text=True)
    links = re.findall(r'href="(/influencers/export\.csv[^"]*)"', html)
    assert len(links) == 2
    plain, semicolon = (link.replace("&amp;", "&") for link in links)
    assert "country=FR" in plain and "sort=-followers" in plain and "delimiter" not in plain
    assert "delimiter=;" in semicolon and "country=FR" in semicolon
    assert exported_names(member_client, plain.split("?", 1)[1]) == [
        "Alice Martin", "Denis Sans Compte"]
    assert "export.csv" not in viewer_client.get("/influencers/").get_data(as_text=True)


QUERY_KEYS = st.sampled_from([
    "q", "platform", "kind", "status", "country", "owner", "tag", "followers_min",
    "followers_max", "engagement_min", "engagement_max", "women_min", "top_country",
    "age_band", "age_min", "sort", "per_page", "page", "delimiter",
])


@pytest.mark.slow
@settings(max_examples=40, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(query=st.dictionaries(QUERY_KEYS, st.text(max_size=30), max_size=5))
def test_hostile_query_strings_never_fail(member_client, query):
    response = member_client.get(URL + "?" + urlencode(query))
    # 302: unknown separator (message on the list); 400: a NUL character, refused app-wide.
    assert response.status_code in (200, 302, 400)
    response.get_data()  # the body is produced while streaming: it must not fail either


def _crowd(start: int, stop: int) -> None:
    for i in range(start, stop):
        person = make_influencer(
            display_name=f"Crowd {i:03d}",
            accounts=[{"platform": "instagram", "handle": f"crowd{i}", "followers": 1000 + i},
                      {"platform": "tiktok", "handle": f"crowd{i}", "followers": 10 * i}])
        tag(person, "mode", f"tag{i % 7}")


@pytest.mark.slow
@pytest.mark.parametrize("query", ["", "platform=tiktok&sort=-followers", "q=crowd"])
def test_exporting_60_influencers_costs_a_bounded_number_of_queries(member_client, query,
                                                                    count_page_statements):
    _crowd(0, 5)
    few = count_page_statements(member_client, f"{URL}?{query}")
    _crowd(5, 60)
    many = count_page_statements(member_client, f"{URL}?{query}")
    assert many == few
    assert many <= 12
    # two accounts each; with a platform chosen, that platform's account only
    rows = read(member_client.get(f"{URL}?{query}"))
    assert len(rows) == (60 if "platform" in query else 120)
