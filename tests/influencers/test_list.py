"""The influencer list: every filter, search, sort, pagination, bulk actions, hostile input,
and a constant number of queries per page."""

from __future__ import annotations

import re
from urllib.parse import urlencode

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select

from app.extensions import db as _db
from app.influencers import query as influencer_list
from app.models import AuditEvent, Influencer, Tag
from app.models.base import utcnow
from tests.factories import add_snapshot, make_influencer, make_user

ROW = re.compile(r'<a href="/influencers/(\d+)">([^<]+)</a>')


def names(response) -> list[str]:
    assert response.status_code == 200, response.status_code
    return [name for _id, name in ROW.findall(response.get_data(as_text=True))]


def tag(influencer: Influencer, *tag_names: str) -> None:
    for name in tag_names:
        found = _db.session.scalar(select(Tag).where(Tag.name == name)) or Tag(name=name)
        influencer.tags.append(found)
    _db.session.commit()


@pytest.fixture()
def people(member_client):
    """Three influencers that differ on every filter."""
    other = make_user("member", name="Zoé Owner")
    alice = make_influencer(
        display_name="Alice Martin", kind="instagrammer", status="engaged", country="FR",
        email="alice@studio-alice.fr", owner_id=member_client.user.id,
        accounts=[{"platform": "instagram", "handle": "alice.m", "followers": 50_000,
                   "engagement_rate": 0.03}],
    )
    bruno = make_influencer(
        display_name="Bruno Leroy", kind="youtuber", status="prospect", country="BE",
        accounts=[{"platform": "youtube", "handle": "brunotube", "followers": 500_000,
                   "engagement_rate": 0.012}],
    )
    chloe = make_influencer(
        display_name="Chloé Petit", kind="tiktoker", status="ambassador", country="CH",
        owner_id=other.id, email="chloe@example.fr",
        accounts=[{"platform": "tiktok", "handle": "chloe.p", "followers": 5_000,
                   "engagement_rate": 0.07},
                  {"platform": "instagram", "handle": "chloe.insta", "followers": 2_000}],
    )
    tag(alice, "beauté")
    tag(bruno, "sport")
    tag(chloe, "Écologie", "sport")
    add_snapshot(alice.accounts[0], {"gender": {"female": .7, "male": .28, "other": .02},
                                     "country": {"FR": .8, "BE": .1},
                                     "age": {"25-34": .45, "18-24": .3, "35-44": .25}})
    add_snapshot(bruno.accounts[0], {"gender": {"female": .3, "male": .69, "other": .01},
                                     "country": {"BE": .6, "FR": .3},
                                     "age": {"18-24": .5, "25-34": .3, "35-44": .2}})
    return {"alice": alice, "bruno": bruno, "chloe": chloe, "other": other}


ALL = ["Alice Martin", "Bruno Leroy", "Chloé Petit"]


@pytest.mark.parametrize(("query", "expected"), [
    ({}, ALL),
    ({"platform": "instagram"}, ["Alice Martin", "Chloé Petit"]),
    ({"platform": "youtube"}, ["Bruno Leroy"]),
    ({"kind": "tiktoker"}, ["Chloé Petit"]),
    ({"status": "engaged"}, ["Alice Martin"]),
    ({"country": "be"}, ["Bruno Leroy"]),
    ({"owner": "me"}, ["Alice Martin"]),
    ({"owner": "none"}, ["Bruno Leroy"]),
    ({"tag": "sport"}, ["Bruno Leroy", "Chloé Petit"]),
    ({"tag": "écologie"}, ["Chloé Petit"]),
    ({"tag": "unknown-tag"}, []),
    ({"followers_min": "10000"}, ["Alice Martin", "Bruno Leroy"]),
    ({"followers_max": "60000"}, ["Alice Martin", "Chloé Petit"]),
    ({"engagement_min": "2,5"}, ["Alice Martin", "Chloé Petit"]),
    ({"engagement_max": "2.5 %"}, ["Bruno Leroy"]),
    ({"women_min": "40"}, ["Alice Martin"]),
    ({"top_country": "BE"}, ["Bruno Leroy"]),
    ({"top_country": "fr"}, ["Alice Martin"]),
    ({"age_band": "18-24", "age_min": "40"}, ["Bruno Leroy"]),
    ({"age_band": "25-34", "age_min": "30"}, ["Alice Martin", "Bruno Leroy"]),
    ({"q": "alice"}, ["Alice Martin"]),
    ({"q": "@brunotube"}, ["Bruno Leroy"]),
    ({"q": "chloe.insta"}, ["Chloé Petit"]),
    ({"q": "example.fr"}, ["Chloé Petit"]),
    ({"q": "BEAUT"}, ["Alice Martin"]),
    ({"q": "%"}, []),
    ({"platform": "instagram", "country": "FR", "women_min": "50"}, ["Alice Martin"]),
])
def test_each_filter_filters(member_client, people, query, expected):
    assert sorted(names(member_client.get("/influencers/", query_string=query))) == expected


def test_owner_filter_by_id(member_client, people):
    response = member_client.get(f"/influencers/?owner={people['other'].id}")
    assert names(response) == ["Chloé Petit"]


@pytest.mark.parametrize(("sort", "expected"), [
    ("name", ALL),
    ("-name", ALL[::-1]),
    ("followers", ["Chloé Petit", "Alice Martin", "Bruno Leroy"]),
    ("-followers", ["Bruno Leroy", "Alice Martin", "Chloé Petit"]),
    ("-engagement", ["Chloé Petit", "Alice Martin", "Bruno Leroy"]),
    ("country", ["Bruno Leroy", "Chloé Petit", "Alice Martin"]),
    ("kind", ["Alice Martin", "Chloé Petit", "Bruno Leroy"]),  # by code, as stored
    ("-status", ["Bruno Leroy", "Alice Martin", "Chloé Petit"]),
    ("created", ALL),
    # the audience snapshots, added last, touched Alice then Bruno
    ("-updated", ["Bruno Leroy", "Alice Martin", "Chloé Petit"]),
])
def test_sort(member_client, people, sort, expected):
    assert names(member_client.get(f"/influencers/?sort={sort}")) == expected


def test_sort_by_owner_name(member_client, people):
    order = names(member_client.get("/influencers/?sort=owner"))
    assert order.index("Alice Martin") < order.index("Chloé Petit")  # "Member …" < "Zoé …"


def test_sort_links_keep_filters(member_client, people):
    html = member_client.get("/influencers/?status=engaged&sort=name").get_data(as_text=True)
    assert "status=engaged" in html and "sort=-name" in html


@pytest.mark.slow
def test_pagination_keeps_filters(member_client):
    for n in range(30):
        make_influencer(display_name=f"Person {n:02d}", status="contacted")
    make_influencer(display_name="Not contacted", status="prospect")
    first = member_client.get("/influencers/?status=contacted")
    assert names(first) == [f"Person {n:02d}" for n in range(25)]
    html = first.get_data(as_text=True)
    assert 'rel="next"' in html and "status=contacted" in html
    second = member_client.get("/influencers/?status=contacted&page=2")
    assert names(second) == [f"Person {n:02d}" for n in range(25, 30)]
    assert len(names(member_client.get("/influencers/?status=contacted&per_page=50"))) == 30


def test_count_is_capped_for_broad_filters(member_client, monkeypatch):
    monkeypatch.setattr(influencer_list, "COUNT_CAP", 3)  # the cap is at least one page
    for n in range(27):
        make_influencer(display_name=f"Person {n:02d}", status="contacted")
    html = member_client.get("/influencers/?status=contacted").get_data(as_text=True)
    assert "More than 25 influencers" in html and 'rel="next"' in html
    assert names(member_client.get("/influencers/?status=contacted&page=2")) == [
        "Person 25", "Person 26"]
    assert "27 influencers" in member_client.get("/influencers/").get_data(as_text=True)


def test_soft_deleted_are_not_listed(member_client):
    make_influencer(display_name="In the trash", deleted_at=utcnow())
    make_influencer(display_name="Alive")
    assert names(member_client.get("/influencers/")) == ["Alive"]
    assert names(member_client.get("/influencers/?q=trash")) == []


def test_empty_state_invites_members_to_add(member_client, viewer_client):
    html = member_client.get("/influencers/").get_data(as_text=True)
    assert "No influencers yet" in html and "/influencers/new" in html
    html = viewer_client.get("/influencers/").get_data(as_text=True)
    assert "No influencers yet" in html and "/influencers/new" not in html


def test_no_match_offers_clear_filters(member_client, people):
    html = member_client.get("/influencers/?q=nobody-has-this").get_data(as_text=True)
    assert "No influencer matches these filters" in html and "Clear filters" in html


@pytest.mark.parametrize("query", [
    "followers_min=abc", "page=-5", "sort=evil", "followers_max=" + "9" * 40,
    "platform=myspace", "engagement_min=nan", "women_min=inf", "age_min=30",
    "per_page=1000000", "country=France", "q=" + "x" * 500, "q=%27%3B--", "tag=%25",
    "owner=42abc", "page=99999999999999999999", "engagement_min=-1",
])
def test_invalid_parameters_are_ignored_with_a_message(member_client, people, query):
    response = member_client.get(f"/influencers/?{query}")
    assert response.status_code == 200
    assert len(names(response)) in (0, 3)


@pytest.mark.parametrize("query", ["q=%00", "tag=a%00b", "page=%00"])
def test_nul_bytes_are_refused_cleanly(member_client, query):
    assert member_client.get(f"/influencers/?{query}").status_code == 400


def test_invalid_value_is_explained(member_client, people):
    html = member_client.get("/influencers/?followers_min=abc").get_data(as_text=True)
    assert "Please correct the fields marked below" in html
    assert sorted(names(member_client.get("/influencers/?followers_min=abc"))) == ALL


PARAMS = ("q", "platform", "kind", "status", "country", "owner", "tag", "followers_min",
          "followers_max", "engagement_min", "engagement_max", "women_min", "top_country",
          "age_band", "age_min", "sort", "page", "per_page")
# NUL is refused app-wide with a 400 (see app.security); everything else must give a page.
TEXT = st.text(alphabet=st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00"),
               max_size=30)


@pytest.mark.slow
@settings(max_examples=40, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.dictionaries(st.sampled_from(PARAMS), TEXT | st.sampled_from(
    ["-1", "1e999", "nan", "%", "_", "'", "0x10", "999999999999999999999", "-followers"])))
def test_hostile_query_strings_never_fail(member_client, query):
    response = member_client.get("/influencers/?" + urlencode(query))
    assert response.status_code == 200


def _crowd(start: int, n: int, owner_id: int) -> None:
    for i in range(start, start + n):
        person = make_influencer(
            display_name=f"Crowd {i:03d}", owner_id=owner_id,
            accounts=[{"platform": "instagram", "handle": f"crowd{i}", "followers": 1000 + i},
                      {"platform": "tiktok", "handle": f"crowd{i}", "followers": 10 * i}],
        )
        tag(person, "mode", f"tag{i % 7}")


@pytest.mark.slow
@pytest.mark.parametrize("query", ["per_page=100", "platform=tiktok&sort=-followers&per_page=100",
                                   "q=crowd&per_page=100"])
def test_queries_per_page_do_not_grow_with_rows(member_client, query, count_page_statements):
    _crowd(0, 5, member_client.user.id)
    few = count_page_statements(member_client, f"/influencers/?{query}")
    _crowd(5, 55, member_client.user.id)
    many = count_page_statements(member_client, f"/influencers/?{query}")
    assert many == few
    assert many <= 12  # the saved views of the sidebar: one query; the data token: one


# --- bulk actions ---------------------------------------------------------------------

def _bulk(client, ids, **data):
    return client.post("/influencers/bulk", data={"ids": [str(i) for i in ids], **data})


def test_bulk_set_status_is_audited(member_client, people):
    ids = [people["alice"].id, people["bruno"].id]
    response = _bulk(member_client, ids, action="status", status="contacted",
                     next="/influencers/?sort=-name")
    assert response.status_code == 302
    assert response.headers["Location"].endswith("/influencers/?sort=-name")
    page = member_client.get("/influencers/?sort=-name").get_data(as_text=True)
    assert "2 influencers updated" in page
    assert names(member_client.get("/influencers/?status=contacted")) == [
        "Alice Martin", "Bruno Leroy"]
    events = _db.session.scalars(select(AuditEvent).where(
        AuditEvent.entity_id.in_(ids), AuditEvent.action == "update")).all()
    assert {e.entity_id for e in events if "status" in e.changes} == set(ids)


def test_bulk_add_tag_creates_it(member_client, people):
    _bulk(member_client, [people["bruno"].id, people["chloe"].id], action="tag",
          tag=" Running  club ")
    assert names(member_client.get("/influencers/?tag=running club")) == [
        "Bruno Leroy", "Chloé Petit"]
    _bulk(member_client, [people["alice"].id], action="tag", tag="BEAUTÉ")
    assert _db.session.scalar(select(Tag).where(Tag.name == "BEAUTÉ")) is None


def test_bulk_set_owner(member_client, people):
    other = people["other"]
    _bulk(member_client, [people["alice"].id], action="owner", owner=str(other.id))
    assert names(member_client.get(f"/influencers/?owner={other.id}")) == [
        "Alice Martin", "Chloé Petit"]
    _bulk(member_client, [people["alice"].id], action="owner", owner="none")
    assert names(member_client.get("/influencers/?owner=none")) == [
        "Alice Martin", "Bruno Leroy"]


@pytest.mark.parametrize("data", [
    {"action": "status", "status": "evil"},
    {"action": "status", "status": ""},
    {"action": "owner", "owner": "99999"},
    {"action": "tag", "tag": "   "},
    {"action": "explode"},
])
def test_bulk_refuses_bad_values(member_client, people, data):
    response = _bulk(member_client, [people["alice"].id], **data)
    assert response.status_code == 302
    assert names(member_client.get("/influencers/?status=engaged")) == ["Alice Martin"]


@pytest.mark.parametrize("ids", [[], ["abc"], ["-1"], ["99999999"], ["9" * 30]])
def test_bulk_bad_ids(member_client, people, ids):
    response = member_client.post("/influencers/bulk", data={
        "ids": ids, "action": "status", "status": "former"}, follow_redirects=True)
    assert response.status_code == 200
    assert names(member_client.get("/influencers/?status=former")) == []


def test_bulk_skips_deleted(member_client, people):
    gone = make_influencer(display_name="Gone", deleted_at=utcnow())
    _bulk(member_client, [gone.id, people["bruno"].id], action="status", status="former")
    _db.session.expire_all()
    assert _db.session.get(Influencer, gone.id).status == "prospect"
    assert names(member_client.get("/influencers/?status=former")) == ["Bruno Leroy"]


@pytest.mark.parametrize("target", ["https://evil.example/", "//evil.example/", "/admin/"])
def test_bulk_never_redirects_elsewhere(member_client, people, target):
    response = _bulk(member_client, [people["alice"].id], action="status", status="former",
                     next=target)
    assert response.headers["Location"].endswith("/influencers/")


def test_viewer_cannot_bulk(viewer_client, people):
    assert _bulk(viewer_client, [people["alice"].id], action="status",
                 status="former").status_code == 403
    html = viewer_client.get("/influencers/").get_data(as_text=True)
    assert 'name="ids"' not in html and "Alice Martin" in html


def test_bulk_form_is_csrf_protected(app, member_client, people, monkeypatch):
    monkeypatch.setitem(app.config, "WTF_CSRF_ENABLED", True)
    response = _bulk(member_client, [people["alice"].id], action="status", status="former")
    assert response.status_code in (302, 400)
    _db.session.expire_all()
    assert _db.session.get(Influencer, people["alice"].id).status == "engaged"


@pytest.mark.parametrize("query", ["platform=instagram", "sort=-followers", "q=alice",
                                   "per_page=50", "page=2"])
def test_one_filter_leaves_the_others_valid(member_client, people, query):
    """Absent filters are "any", never "Not a valid choice"."""
    page = member_client.get(f"/influencers/?{query}").get_data(as_text=True)
    assert "Not a valid choice" not in page
    assert "Please correct the fields" not in page


@pytest.mark.parametrize("typed", ["10000", "10 000", "10k", "10,0 k"])
def test_follower_filters_read_numbers_as_people_type_them(member_client, people, typed):
    response = member_client.get("/influencers/", query_string={"followers_min": typed})
    assert sorted(names(response)) == ["Alice Martin", "Bruno Leroy"]


def test_filter_by_import_shows_the_people_it_created(member_client, people, db):
    from app.models import Import

    imp = Import(user_id=member_client.user.id, filename="list.csv", sha256="0" * 64,
                 size_bytes=1, encoding="utf-8", delimiter=";", mode="upsert", mapping={},
                 headers=[], headers_signature="x", status="done", stored_path="unused")
    db.session.add(imp)
    db.session.commit()
    people["bruno"].import_id = imp.id
    db.session.commit()
    response = member_client.get(f"/influencers/?import_id={imp.id}&sort=-created")
    assert names(response) == ["Bruno Leroy"]
    assert f'name="import_id" type="hidden" value="{imp.id}"' in response.get_data(as_text=True)
    not_an_id = names(member_client.get("/influencers/?import_id=abc"))
    assert sorted(not_an_id) == ["Alice Martin", "Bruno Leroy", "Chloé Petit"]  # no filter


def test_figures_sort_biggest_first_on_the_first_click(member_client):
    """Followers, engagement and score: the first click sorts descending, the next one
    ascending; names sort A→Z first."""
    make_influencer(display_name="Léa")
    _db.session.commit()
    page = member_client.get("/influencers/").get_data(as_text=True)
    for column in ("followers", "engagement", "score"):
        assert f"sort=-{column}" in page and f"sort={column}&" not in page
    assert "sort=name" in page.replace("&amp;", "&")
    sorted_desc = member_client.get("/influencers/?sort=-followers").get_data(as_text=True)
    assert 'aria-sort="descending"' in sorted_desc and "sort=followers" in sorted_desc
