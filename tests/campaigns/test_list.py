"""The campaign list: search, every filter, sort on every column, pagination (all in the
URL), empty states, the row figures and flags, hostile query strings, and a constant number
of queries per page."""

from __future__ import annotations

import re
from datetime import date
from urllib.parse import urlencode

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from app.extensions import db as _db
from tests.factories import make_brand, make_campaign, make_participant, make_user

ROW = re.compile(r'<a href="/campaigns/(\d+)">([^<]+)</a>')
A, B, C = "Rentrée beauté", "Noël gourmand", "Tournée des caves"


def names(response) -> list[str]:
    assert response.status_code == 200, response.status_code
    return [name for _id, name in ROW.findall(response.get_data(as_text=True))]


@pytest.fixture()
def three(member_client):
    """Three campaigns that differ on every filter and column."""
    other = make_user("member", name="Zoé Autre")
    sephora = make_brand(name="Sephora", sector="cosmetics")
    chocolat = make_brand(name="Maison Chocolat", sector="food")
    cave = make_brand(name="Château Lune", sector="alcohol")
    a = make_campaign(brand=sephora, name=A, status="active", objective="awareness",
                      owner_id=member_client.user.id, starts_on=date(2026, 9, 1),
                      ends_on=date(2026, 9, 30), budget_cents=1_500_000,
                      hashtags="#RentreeBeaute")
    make_participant(campaign=a, agreed_fee_cents=80_000, stage="live")
    make_participant(campaign=a, agreed_fee_cents=900_000, stage="declined")
    b = make_campaign(brand=chocolat, name=B, status="planned", objective="conversion",
                      owner_id=other.id, starts_on=date(2026, 12, 1),
                      ends_on=date(2026, 12, 24), budget_cents=100_000, hashtags="#Noel")
    make_participant(campaign=b, agreed_fee_cents=120_000)  # over budget, and ≥ 1 000 €
    c = make_campaign(brand=cave, name=C, status="draft", objective="event")
    return {"a": a, "b": b, "c": c, "other": other, "sephora": sephora}


@pytest.mark.parametrize(("query", "expected"), [
    ({}, [B, A, C]),
    ({"status": "active"}, [A]),
    ({"objective": "event"}, [C]),
    ({"owner": "me"}, [A]),
    ({"owner": "none"}, [C]),
    ({"date_from": "2026-09-15", "date_to": "2026-10-01"}, [A]),
    ({"date_from": "2026-12-20"}, [B]),
    ({"date_to": "2026-09-01"}, [A]),
    ({"date_to": "2026-08-31"}, []),
    ({"flagged": "1"}, [B, C]),
    ({"q": "sephora"}, [A]),
    ({"q": "noel"}, [B]),
    ({"q": "Tournée"}, [C]),
    ({"q": "CHÂTEAU"}, [C]),
    ({"q": "château lune"}, [C]),
    ({"q": "%"}, []),
    ({"status": "planned", "flagged": "1"}, [B]),
])
def test_each_filter_filters(member_client, three, query, expected):
    assert names(member_client.get("/campaigns/", query_string=query)) == expected


def test_brand_and_owner_filters_by_id(member_client, three):
    assert names(member_client.get(f"/campaigns/?brand={three['sephora'].id}")) == [A]
    assert names(member_client.get(f"/campaigns/?owner={three['other'].id}")) == [B]


@pytest.mark.parametrize(("sort", "expected"), [
    ("name", [B, A, C]),
    ("-name", [C, A, B]),
    ("brand", [C, B, A]),
    ("status", [C, B, A]),  # the workflow's order: draft, planned, active
    ("-status", [A, B, C]),
    ("objective", [A, B, C]),
    ("starts", [A, B, C]),  # no date last, both ways
    ("-starts", [B, A, C]),
    ("ends", [A, B, C]),
    ("budget", [B, A, C]),
    ("-budget", [A, B, C]),
    ("participants", [C, A, B]),  # the declined one is not counted
    ("-committed", [B, A, C]),
    ("owner", [A, B, C]),
])
def test_every_column_sorts(member_client, three, sort, expected):
    assert names(member_client.get(f"/campaigns/?sort={sort}")) == expected


def test_rows_show_figures_and_flags(member_client, three):
    page = member_client.get("/campaigns/?sort=name").get_data(as_text=True)
    rows = page.split("<tr>")[2:]
    b_row, a_row, c_row = rows
    assert "€1,000.00" in b_row and "over budget" in b_row and "€1,200.00" in b_row
    assert "Fees of 1 000 € or more without a signed contract" in b_row
    assert "Restricted sector" not in b_row
    assert "€15,000.00" in a_row and "€800.00" in a_row and "<meter" in a_row
    assert "compliance-flag" not in a_row
    assert "over budget" not in a_row
    assert "Restricted sector" in c_row and "Zoé Autre" not in c_row


def test_sort_and_filters_survive_pagination(app, member_client, monkeypatch):
    monkeypatch.setitem(app.config, "RELAIS_PAGE_SIZE", 2)
    for i in range(5):
        make_campaign(name=f"Camp {i}", status="active" if i != 2 else "draft")
    first = member_client.get("/campaigns/?status=active&sort=-name")
    assert names(first) == ["Camp 4", "Camp 3"]
    next_link = re.search(r'<a rel="next" href="([^"]+)"', first.get_data(as_text=True))
    url = next_link.group(1).replace("&amp;", "&")
    assert "status=active" in url and "sort=-name" in url and "page=2" in url
    assert names(member_client.get(url)) == ["Camp 1", "Camp 0"]


def test_sort_links_keep_the_filters(member_client, three):
    page = member_client.get("/campaigns/?status=active&q=beaut").get_data(as_text=True)
    link = re.search(r'href="(/campaigns/\?[^"]*sort=-budget[^"]*)"', page).group(1)
    assert "status=active" in link and "q=beaut" in link


def test_empty_list_invites_members_to_create(member_client):
    page = member_client.get("/campaigns/").get_data(as_text=True)
    assert "No campaigns yet" in page and "Create the first campaign" in page


def test_empty_list_for_a_viewer_has_no_button(viewer_client):
    page = viewer_client.get("/campaigns/").get_data(as_text=True)
    assert "No campaigns yet" in page and "Create the first campaign" not in page
    assert "New campaign" not in page


def test_no_match_offers_to_clear_the_filters(member_client, three):
    page = member_client.get("/campaigns/?q=nothing-like-this").get_data(as_text=True)
    assert "No campaign matches these filters" in page and "Clear filters" in page


def test_invalid_filter_is_explained_and_ignored(member_client, three):
    response = member_client.get("/campaigns/?date_from=someday&status=active")
    page = response.get_data(as_text=True)
    assert "Some filters were not understood" in page and "Not a valid date value" in page
    assert names(response) == [A]


@pytest.mark.parametrize("query", [
    "sort=evil", "sort=-", "page=-4", "page=abc", "page=99999999999999999999",
    "brand=abc", "brand=999999", "owner=42abc", "status=archived", "date_to=2026-13-01",
    "date_from=2026-10-01&date_to=2026-09-01", "q=" + "x" * 5000, "q=%27%3B--", "q=_",
    "flagged=yes",
])
def test_hostile_list_parameters_never_fail(member_client, three, query):
    assert member_client.get(f"/campaigns/?{query}").status_code == 200


def test_nul_byte_is_a_clear_400(member_client):
    assert member_client.get("/campaigns/?q=a%00b").status_code == 400


PARAMS = ("q", "status", "objective", "brand", "owner", "date_from", "date_to", "flagged",
          "sort", "page")
TEXT = st.text(alphabet=st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00"),
               max_size=30)


@pytest.mark.slow
@settings(max_examples=40, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.dictionaries(st.sampled_from(PARAMS), TEXT | st.sampled_from(
    ["-1", "1e999", "nan", "%", "_", "'", "0x10", "999999999999999999999", "-budget",
     "2026-02-30", "me", "none"])))
def test_hostile_query_strings_never_fail(member_client, query):
    response = member_client.get("/campaigns/?" + urlencode(query))
    assert response.status_code == 200


def test_trash_lists_only_deleted_campaigns(member_client, three):
    make_campaign(name="Binned", deleted_at=_db.func.now())
    assert names(member_client.get("/campaigns/")) == [B, A, C]
    page = member_client.get("/campaigns/trash").get_data(as_text=True)
    assert "Binned" in page and "Restore" in page and A not in page


# --- queries per page -------------------------------------------------------------------

def _crowd(start: int, n: int, owner_id: int) -> None:
    brand = make_brand(name=f"Crowd brand {start}", sector="alcohol")
    for i in range(start, start + n):
        campaign = make_campaign(brand=brand, name=f"Crowd {i:03d}", owner_id=owner_id,
                                 budget_cents=100_000 + i, starts_on=date(2026, 1, 1))
        make_participant(campaign=campaign, agreed_fee_cents=60_000)
        make_participant(campaign=campaign, proposed_fee_cents=1_000, stage="declined")


@pytest.mark.slow
@pytest.mark.parametrize("query", ["", "sort=-participants&flagged=1", "q=crowd&sort=owner",
                                   "sort=brand&date_from=2026-01-01"])
def test_queries_per_page_do_not_grow_with_rows(member_client, query, count_page_statements):
    _crowd(0, 3, member_client.user.id)
    few = count_page_statements(member_client, f"/campaigns/?{query}")
    _crowd(3, 27, member_client.user.id)
    many = count_page_statements(member_client, f"/campaigns/?{query}")
    assert len(names(member_client.get(f"/campaigns/?{query}"))) == 30
    assert many == few
    assert many <= 8


def test_new_campaign_from_a_brand_list_preselects_the_brand(member_client, three):
    page = member_client.get(f"/campaigns/?brand={three['sephora'].id}").get_data(as_text=True)
    assert f'href="/campaigns/new?brand={three["sephora"].id}"' in page
    assert 'href="/campaigns/new"' in member_client.get("/campaigns/").get_data(as_text=True)
