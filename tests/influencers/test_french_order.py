"""Names in French order (É with E, not after Z) in the list and the drop-downs, and a
search blind to accents both ways, for names, handles, emails and tags."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from app.auth import users
from app.brands.service import brand_choices, list_brands
from app.campaigns.operations.lists import campaign_choices
from app.extensions import db as _db
from app.models import Influencer, Tag
from tests.factories import make_brand, make_campaign, make_influencer, make_user

ROW = re.compile(r'<a href="/influencers/(\d+)">([^<]+)</a>')
FRENCH = ["Édith", "Émile", "Eve", "Zoé"]


def names(response) -> list[str]:
    assert response.status_code == 200, response.status_code
    return [name for _id, name in ROW.findall(response.get_data(as_text=True))]


@pytest.fixture()
def french_names(member_client):
    for name in ("Zoé", "Émile", "Eve", "Édith"):
        make_influencer(display_name=name)


@pytest.mark.parametrize(("sort", "expected"), [("name", FRENCH), ("-name", FRENCH[::-1])])
def test_list_sorts_names_in_french_order(member_client, french_names, sort, expected):
    assert names(member_client.get(f"/influencers/?sort={sort}")) == expected


def test_equal_keys_keep_a_stable_order(member_client):
    first = make_influencer(display_name="edith")
    make_influencer(display_name="Édith")
    make_influencer(display_name="EDITH")
    order = names(member_client.get("/influencers/?sort=name"))
    assert order == ["edith", "Édith", "EDITH"] and first.sort_name == "edith"


@pytest.fixture()
def accented(member_client):
    """One person per searchable field, accented on one side or the other."""
    people = {
        "name": make_influencer(display_name="Musée Grévin"),
        "plain_name": make_influencer(display_name="Edith Nom"),
        "handle": make_influencer(display_name="H1", accounts=[
            {"platform": "youtube", "handle": "cafédelagare", "followers": 10}]),
        "email": make_influencer(display_name="E1", email="contact@théâtre.fr"),
        "plain_email": make_influencer(display_name="E2", email="accueil@chateau.fr"),
        "tag": make_influencer(display_name="T1"),
    }
    people["tag"].tags.append(Tag(name="Écologie"))
    _db.session.commit()
    return people


@pytest.mark.parametrize(("query", "expected"), [
    ("musee", ["Musée Grévin"]),  # name: plain finds accented
    ("GREVIN", ["Musée Grévin"]),
    ("Édith", ["Edith Nom"]),  # name: accented finds plain
    ("cafedelagare", ["H1"]),  # handle
    ("@CAFÉDE", ["H1"]),
    ("theatre.fr", ["E1"]),  # email
    ("château", ["E2"]),
    ("ecolo", ["T1"]),  # tag
    ("ÉCOLOGIE", ["T1"]),
])
def test_search_ignores_accents_both_ways(member_client, accented, query, expected):
    assert names(member_client.get("/influencers/", query_string={"q": query})) == expected


def test_tag_filter_ignores_accents(member_client, accented):
    assert names(member_client.get("/influencers/?tag=ecologie")) == ["T1"]


def test_search_reads_the_search_index(member_client, accented, statements):
    """The folded needle goes through the trigram index (FTS5 on SQLite): no full scan."""
    with statements() as seen:
        assert names(member_client.get("/influencers/?q=musee")) == ["Musée Grévin"]
    if _db.engine.dialect.name == "sqlite":
        assert any("influencer_fts" in s for s in seen.starting("SELECT"))


def test_renaming_moves_a_person_in_the_order(member_client, french_names):
    person = _db.session.scalar(select(Influencer).where(Influencer.display_name == "Zoé"))
    person.display_name = "Éa"
    _db.session.commit()
    assert names(member_client.get("/influencers/?sort=name")) == ["Éa", *FRENCH[:3]]


def test_drop_downs_list_in_french_order(db):
    for name in ("Zèbre", "Écureuil", "abeille", "Evian"):
        brand = make_brand(name=name)
    assert [name for _id, name in brand_choices()] == ["abeille", "Écureuil", "Evian", "Zèbre"]
    for name in ("Zoo", "Été indien", "Expo"):
        make_campaign(brand=brand, name=name)
    assert [name for _id, name in campaign_choices()] == ["Été indien", "Expo", "Zoo"]
    for name in ("Zoé Z", "Émile E", "Eve E"):
        make_user(name=name)
    team = [name for _id, name in users.team()]
    assert team == ["Émile E", "Eve E", "Zoé Z"]
    assert [b.name for b in list_brands(sort="-name").items] == [
        "Zèbre", "Evian", "Écureuil", "abeille"]
    assert [b.name for b in list_brands(query="ecureuil").items] == ["Écureuil"]


def test_owner_drop_down_on_the_list_page(member_client):
    for name in ("Zoé Z", "Émile E"):
        make_user(name=name)
    html = member_client.get("/influencers/").get_data(as_text=True)
    assert html.index(">Émile E<") < html.index(">Zoé Z<")
