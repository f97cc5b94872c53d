"""With a platform chosen, the list's followers and engagement (filters, sort, column) are
that platform's, not the all-platform figures (app/influencers/platform_figures.py)."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from app.extensions import db as _db
from app.influencers import query as listing
from app.influencers.platform_figures import main_account, page_figures, platform_accounts
from app.models import Influencer
from tests.factories import make_influencer

ROW = re.compile(r'<a href="/influencers/(\d+)">([^<]+)</a>')


def names(response) -> list[str]:
    assert response.status_code == 200, response.status_code
    return [name for _id, name in ROW.findall(response.get_data(as_text=True))]


@pytest.fixture()
def creators(member_client):
    """Hugo: 3 641 on Instagram, but 80 000 over all his accounts."""
    return {
        "hugo": make_influencer(display_name="Hugo", accounts=[
            {"platform": "instagram", "handle": "hugo.insta", "followers": 3_641,
             "engagement_rate": 0.011},
            {"platform": "youtube", "handle": "hugotube", "followers": 76_359,
             "engagement_rate": 0.09}]),
        "ines": make_influencer(display_name="Inès", accounts=[
            {"platform": "instagram", "handle": "ines.insta", "followers": 12_000,
             "engagement_rate": 0.04}]),
        # Two Instagram accounts: the biggest is the one the list reads.
        "jade": make_influencer(display_name="Jade", accounts=[
            {"platform": "instagram", "handle": "jade.small", "followers": 900,
             "engagement_rate": 0.08},
            {"platform": "instagram", "handle": "jade.big", "followers": 7_000,
             "engagement_rate": 0.02}]),
        "kim": make_influencer(display_name="Kim", accounts=[
            {"platform": "tiktok", "handle": "kim.tok", "followers": 90_000}]),
    }


@pytest.mark.parametrize(("query", "expected"), [
    ({"platform": "instagram", "followers_min": "5000"}, ["Inès", "Jade"]),
    ({"platform": "instagram", "followers_max": "5000"}, ["Hugo"]),
    ({"platform": "youtube", "followers_min": "5000"}, ["Hugo"]),
    ({"platform": "instagram", "engagement_min": "3"}, ["Inès"]),
    ({"platform": "instagram", "engagement_max": "1,5"}, ["Hugo"]),
    ({"followers_min": "5000"}, ["Hugo", "Inès", "Jade", "Kim"]),  # no platform: totals
])
def test_filters_read_the_chosen_platform(member_client, creators, query, expected):
    assert names(member_client.get("/influencers/", query_string=query)) == expected


@pytest.mark.parametrize(("sort", "expected"), [
    ("-followers", ["Inès", "Jade", "Hugo"]),
    ("followers", ["Hugo", "Jade", "Inès"]),
    ("-engagement", ["Inès", "Jade", "Hugo"]),
])
def test_sort_reads_the_chosen_platform(member_client, creators, sort, expected):
    assert names(member_client.get(f"/influencers/?platform=instagram&sort={sort}")) == expected


def test_column_shows_the_chosen_platform(member_client, creators):
    html = member_client.get("/influencers/?platform=instagram").get_data(as_text=True)
    assert 'title="3,641"' in html and 'title="80,000"' not in html
    assert "Followers · Instagram" in html
    html = member_client.get("/influencers/").get_data(as_text=True)
    assert 'title="80,000"' in html


def test_selection_for_the_export(member_client, creators):
    """What an export of the list reads: the ids in the list's order, and each person's
    rows on the chosen platform."""
    filters = {"platform": "instagram", "followers_min": 1000, "sort": "-followers"}
    ids = list(_db.session.scalars(listing.selection(filters, None, "-followers",
                                                     Influencer.erased_at.is_(None))))
    assert ids == [creators["ines"].id, creators["jade"].id, creators["hugo"].id]
    hugo = _db.session.scalar(select(Influencer).where(Influencer.id == creators["hugo"].id))
    assert [a.handle for a in platform_accounts(hugo, "instagram")] == ["hugo.insta"]
    assert len(platform_accounts(hugo, None)) == 2
    jade = creators["jade"]
    assert main_account(jade, "instagram").handle == "jade.big"
    assert page_figures([jade], "instagram") == {jade.id: (7_000, 0.02)}
    assert page_figures([jade], "youtube") == {jade.id: (None, None)}
