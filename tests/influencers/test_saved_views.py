"""Saved views of the influencer list: saved from the list's query (page and unknown
parameters left out), listed mine then shared, the current one marked, deleted and renamed
by whom may, and bad input answered with a message, a 403 or a 404 — never a 500."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import func, select

from app.extensions import db as _db
from app.models import SavedView
from tests.factories import make_influencer, make_user

SIDEBAR = re.compile(r'<aside class="saved-views.*?</aside>', re.S)


def sidebar(response) -> str:
    assert response.status_code == 200, response.status_code
    return SIDEBAR.search(response.get_data(as_text=True)).group(0)


def save(client, name, query="status=engaged&sort=-followers", **data):
    return client.post("/influencers/views", data={"name": name, "query": query, **data})


def views() -> list[SavedView]:
    _db.session.expire_all()
    return list(_db.session.scalars(select(SavedView).order_by(SavedView.id)))


def flashed(client) -> str:
    return client.get("/influencers/").get_data(as_text=True)


def test_a_saved_view_keeps_the_filters_and_sort_without_the_page(member_client):
    response = save(member_client, "  Engagés   par audience ",
                    query="?status=engaged&page=3&sort=-followers&bogus=1&q=")
    (view,) = views()
    assert (view.name, view.query, view.shared) == ("Engagés par audience",
                                                     "sort=-followers&status=engaged", False)
    assert view.owner_id == member_client.user.id
    # saving opens it: the list with its query
    assert response.status_code == 302
    assert response.headers["Location"].endswith("/influencers/?sort=-followers&status=engaged")


def test_the_sidebar_lists_mine_then_shared_and_marks_the_current_one(member_client,
                                                                        client_as):
    make_influencer(display_name="Alice", status="engaged")
    colleague = make_user("member", name="Zoé Colleague")
    other = client_as(colleague)
    save(other, "Prospects FR", "status=prospect&country=FR", shared="y")
    save(other, "Private to Zoé", "status=paused")
    save(member_client, "Mes engagés", "sort=-followers&status=engaged")

    html = sidebar(member_client.get("/influencers/?status=engaged&sort=-followers&page=1"))
    assert html.index("Mes engagés") < html.index("Prospects FR")
    assert "Private to Zoé" not in html
    assert "Zoé Colleague" in html  # who shares it
    current = re.findall(r'<a class="view-link" href="([^"]+)" aria-current="page">([^<]+)<',
                         html)
    assert current == [("/influencers/?sort=-followers&amp;status=engaged", "Mes engagés")]
    # the save form saves what the page shows
    assert 'name="query" value="sort=-followers&amp;status=engaged"' in html
    # another page: nothing marked
    assert 'aria-current' not in sidebar(member_client.get("/influencers/?status=prospect"))


def test_a_shared_view_opens_the_same_rows_for_another_user(member_client, client_as):
    make_influencer(display_name="Alice Engaged", status="engaged")
    make_influencer(display_name="Bruno Prospect", status="prospect")
    save(member_client, "Engaged", "status=engaged", shared="y")
    viewer = client_as(make_user("viewer"))
    html = sidebar(viewer.get("/influencers/"))
    link = re.search(r'href="([^"]+)">Engaged<', html).group(1).replace("&amp;", "&")
    page = viewer.get(link).get_data(as_text=True)
    assert "Alice Engaged" in page and "Bruno Prospect" not in page


def test_a_viewer_saves_personal_views_but_cannot_share(viewer_client):
    assert save(viewer_client, "Mine").status_code == 302
    assert save(viewer_client, "Shared", shared="y").status_code == 403
    assert [(v.name, v.shared) for v in views()] == [("Mine", False)]


@pytest.mark.parametrize("name, message", [
    ("", "Give the view a name."),
    ("   ", "Give the view a name."),
    ("x" * 81, "Field cannot be longer than 80 characters."),
])
def test_a_bad_name_is_refused_with_a_message(member_client, name, message):
    response = save(member_client, name)
    assert response.status_code == 302
    assert views() == []
    assert message in flashed(member_client)


def test_a_duplicate_name_is_refused_case_blind(member_client, client_as):
    save(member_client, "Engagés")
    save(member_client, "ENGAGÉS", "status=prospect")
    assert "You already have a view named “ENGAGÉS”." in flashed(member_client)
    assert len(views()) == 1
    # another person may use the name for a personal view, not for a second shared one
    save(member_client, "Team", shared="y")
    other = client_as(make_user("member"))
    assert save(other, "Engagés").status_code == 302
    save(other, "team", shared="y")
    assert "The team already shares a view named “team”." in flashed(other)
    assert len(views()) == 3


def test_hostile_queries_and_names_never_crash(member_client):
    # a NUL anywhere is refused by the app before the view (a 400)
    assert save(member_client, "nul\x00name").status_code == 400
    assert save(member_client, "odd", "status=engaged&%ZZ=1&q=%00&sort").status_code == 302
    (view,) = views()
    assert view.query == "status=engaged"
    assert save(member_client, "long", "q=" + "a" * 5000).status_code == 302
    assert "too long to be saved" in flashed(member_client)
    assert member_client.post("/influencers/views", data={}).status_code == 302


def test_delete_own_view_and_only_managers_delete_others_shared(member_client, client_as):
    save(member_client, "Mine")
    save(member_client, "Ours", shared="y")
    mine, ours = views()
    other = client_as(make_user("member"))
    assert other.post(f"/influencers/views/{mine.id}/delete").status_code == 404  # personal
    assert other.post(f"/influencers/views/{ours.id}/delete").status_code == 403
    assert other.post("/influencers/views/999999/delete").status_code == 404
    assert len(views()) == 2
    manager = client_as(make_user("manager"))
    assert manager.post(f"/influencers/views/{mine.id}/delete").status_code == 404
    assert manager.post(f"/influencers/views/{ours.id}/delete").status_code == 302
    response = member_client.post(f"/influencers/views/{mine.id}/delete",
                                  data={"next": "https://evil.example/"})
    assert response.headers["Location"] == "/influencers/"
    assert views() == []


def test_rename_own_view_only(member_client, client_as):
    save(member_client, "Old", shared="y")
    save(member_client, "Other")
    view, _other = views()
    url = f"/influencers/views/{view.id}/rename"
    assert member_client.post(url, data={"name": "  New  name "}).status_code == 302
    assert views()[0].name == "New name"
    member_client.post(url, data={"name": "other"})
    assert "You already have a view named “other”." in flashed(member_client)
    member_client.post(url, data={"name": "y" * 81})
    assert views()[0].name == "New name"
    stranger = client_as(make_user("manager"))
    assert stranger.post(url, data={"name": "Taken over"}).status_code == 403
    assert stranger.post(f"/influencers/views/{_other.id}/rename",
                         data={"name": "x"}).status_code == 404
    assert views()[0].name == "New name"


def test_the_sidebar_costs_one_query_whatever_the_views(member_client, count_page_statements,
                                                         client_as):
    few = count_page_statements(member_client, "/influencers/")
    other = client_as(make_user("member"))
    for n in range(6):
        save(member_client, f"Mine {n}")
        save(other, f"Shared {n}", shared="y")
    assert _db.session.scalar(select(func.count()).select_from(SavedView)) == 12
    assert count_page_statements(member_client, "/influencers/") == few


def test_the_current_view_offers_rename_and_delete_to_whom_may(member_client, client_as):
    save(member_client, "Ours", "status=engaged", shared="y")
    (view,) = views()
    rename = f'action="/influencers/views/{view.id}/rename"'
    delete = f'action="/influencers/views/{view.id}/delete"'
    mine = sidebar(member_client.get("/influencers/?status=engaged"))
    assert rename in mine and delete in mine
    assert rename not in sidebar(member_client.get("/influencers/?status=prospect"))
    colleague = sidebar(client_as(make_user("member")).get("/influencers/?status=engaged"))
    assert 'aria-current="page"' in colleague and delete not in colleague
    manager = sidebar(client_as(make_user("manager")).get("/influencers/?status=engaged"))
    assert delete in manager and rename not in manager
