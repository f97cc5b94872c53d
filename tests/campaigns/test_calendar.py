"""The editorial calendar page: month and week views, navigation in the URL, filters, the
"Not scheduled" list, localised names, hostile query strings and a constant query count."""

from __future__ import annotations

import re
from datetime import date, timedelta
from urllib.parse import urlencode

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from app.extensions import db as _db
from tests.factories import (
    make_brand,
    make_campaign,
    make_influencer,
    make_operation,
    make_participant,
    make_user,
)

CAL = "/campaigns/calendar"


def _page(client, **args) -> str:
    response = client.get(CAL + ("?" + urlencode(args) if args else ""))
    assert response.status_code == 200
    return response.get_data(as_text=True)


def _chip(operation) -> str:
    return f'href="/campaigns/{operation.campaign_id}/operations/{operation.id}"'


def _grid(page: str) -> str:
    return page[page.index('<table class="cal'):page.index("</table>")]


def _unscheduled(page: str) -> str:
    return page[page.index('id="unscheduled-title"'):]


def test_month_view_shows_the_whole_weeks_around_the_month(viewer_client):
    participant = make_participant()
    inside = make_operation(participant=participant, planned_on=date(2026, 11, 30))
    grid_start = make_operation(participant=participant, planned_on=date(2026, 10, 26))
    grid_end = make_operation(participant=participant, planned_on=date(2026, 12, 6))
    before = make_operation(participant=participant, planned_on=date(2026, 10, 25))
    after = make_operation(participant=participant, planned_on=date(2026, 12, 7))
    grid = _grid(_page(viewer_client, view="month", date="2026-11-14"))
    for shown in (inside, grid_start, grid_end):
        assert _chip(shown) in grid
    for hidden in (before, after):
        assert _chip(hidden) not in grid
    assert grid.count("<tr>") == 1 + 6  # the day names, then six weeks
    assert "November 2026" in _page(viewer_client, view="month", date="2026-11-14")


def test_week_view_has_seven_columns_starting_monday(viewer_client):
    participant = make_participant()
    monday = make_operation(participant=participant, planned_on=date(2026, 11, 16))
    sunday = make_operation(participant=participant, planned_on=date(2026, 11, 22))
    next_monday = make_operation(participant=participant, planned_on=date(2026, 11, 23))
    page = _page(viewer_client, view="week", date="2026-11-19")
    grid = _grid(page)
    headers = re.findall(r'<th scope="col"><abbr title="(\w+)"', grid)
    assert headers == ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday",
                       "Sunday"]
    assert grid.count("<td") == 7
    assert _chip(monday) in grid and _chip(sunday) in grid and _chip(next_monday) not in grid
    assert "Nov 16" in page and "22, 2026" in page


def test_navigation_lives_in_the_url(viewer_client):
    page = _page(viewer_client, view="month", date="2027-01-10")
    assert 'href="/campaigns/calendar?view=month&amp;date=2026-12-01"' in page
    assert 'href="/campaigns/calendar?view=month&amp;date=2027-02-01"' in page
    today = date.today().isoformat()
    assert f'href="/campaigns/calendar?view=month&amp;date={today}"' in page
    page = _page(viewer_client, view="week", date="2027-01-01")  # a Friday
    assert "date=2026-12-21" in page and "date=2027-01-04" in page


def test_navigation_keeps_the_filters(viewer_client):
    campaign = make_campaign()
    page = _page(viewer_client, view="week", date="2026-11-18", campaign=campaign.id,
                 platform="tiktok")
    nav = page[page.index('class="cal-nav"'):page.index('id="cal-title"')]
    assert nav.count(f"campaign={campaign.id}") == 3 and nav.count("platform=tiktok") == 3


@pytest.mark.slow
def test_filters_narrow_the_calendar(viewer_client):
    brand = make_brand()
    owner = make_user("member")
    campaign = make_campaign(brand=brand)
    mine = make_participant(campaign=campaign, influencer=make_influencer(
        display_name="Inès Girard", owner_id=owner.id))
    day = date(2026, 11, 10)
    tiktok = make_operation(participant=mine, platform="tiktok", planned_on=day)
    approved = make_operation(participant=mine, status="approved", planned_on=day)
    other = make_operation(planned_on=day)
    args = {"view": "week", "date": day.isoformat()}

    def shown(**filters):
        grid = _grid(_page(viewer_client, **args, **filters))
        return {o.id for o in (tiktok, approved, other) if _chip(o) in grid}

    assert shown() == {tiktok.id, approved.id, other.id}
    assert shown(campaign=campaign.id) == {tiktok.id, approved.id}
    assert shown(brand=brand.id) == {tiktok.id, approved.id}
    assert shown(platform="tiktok") == {tiktok.id}
    assert shown(status="approved") == {approved.id}
    assert shown(owner=owner.id) == {tiktok.id, approved.id}
    assert shown(influencer="inès") == {tiktok.id, approved.id}


def test_unknown_filter_values_are_ignored(viewer_client):
    operation = make_operation(planned_on=date(2026, 11, 10))
    grid = _grid(_page(viewer_client, date="2026-11-10", campaign="999999", status="lost",
                       owner="abc", brand="-1"))
    assert _chip(operation) in grid


def test_not_scheduled_operations_are_listed_below(viewer_client):
    participant = make_participant()
    undated = make_operation(participant=participant, kind="unboxing")
    dated = make_operation(participant=participant, planned_on=date(2026, 11, 3))
    page = _page(viewer_client, date="2026-11-03")
    assert _chip(undated) in _unscheduled(page) and _chip(undated) not in _grid(page)
    assert _chip(dated) not in _unscheduled(page)
    assert "Unboxing" in _unscheduled(page)
    page = _page(viewer_client, date="2026-11-03", campaign=make_campaign().id)
    assert "Every operation has a date." in page


def test_a_published_operation_shows_on_its_publication_date(viewer_client):
    participant = make_participant()
    late = make_operation(participant=participant, status="published",
                          planned_on=date(2026, 11, 3), published_on=date(2026, 11, 18))
    undated = make_operation(participant=participant, status="published",
                             published_on=date(2026, 11, 19))
    planned_week = _grid(_page(viewer_client, view="week", date="2026-11-03"))
    published_week = _grid(_page(viewer_client, view="week", date="2026-11-18"))
    assert _chip(late) not in planned_week and _chip(late) in published_week
    assert _chip(undated) in published_week
    page = _page(viewer_client, view="month", date="2026-11-01")
    assert _chip(undated) not in _unscheduled(page)
    cells = {cell.split("date=", 1)[1][:10]: cell for cell in _grid(page).split("<td")[1:]}
    assert _chip(late) in cells["2026-11-18"] and _chip(late) not in cells["2026-11-03"]


def test_trashed_campaigns_stay_out(viewer_client):
    operation = make_operation(planned_on=date(2026, 11, 3))
    operation.campaign.deleted_at = operation.created_at
    _db.session.commit()
    assert _chip(operation) not in _page(viewer_client, date="2026-11-03")


def test_chips_say_their_status_in_words(viewer_client):
    make_operation(status="changes_requested", planned_on=date(2026, 11, 3))
    grid = _grid(_page(viewer_client, date="2026-11-03"))
    assert "op-status-changes_requested" in grid and "Changes requested" in grid


def test_a_crowded_day_links_to_its_week(viewer_client):
    participant = make_participant()
    for _ in range(6):
        make_operation(participant=participant, planned_on=date(2026, 11, 12))
    grid = _grid(_page(viewer_client, date="2026-11-12"))
    assert "+ 2 more" in grid and "view=week&amp;date=2026-11-12" in grid


def test_month_and_day_names_in_french(db, client_as):
    user = make_user("viewer", locale="fr")
    client = client_as(user)
    page = _page(client, view="month", date="2026-11-10")
    assert "Novembre 2026" in page
    assert '<abbr title="lundi">' in page and '<abbr title="dimanche">' in page
    page = _page(client, view="week", date="2026-11-10")
    assert '<abbr title="lundi">lundi</abbr>' in page


@pytest.mark.slow
@settings(max_examples=50, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.dictionaries(
    st.sampled_from(["view", "date", "campaign", "brand", "platform", "status", "owner",
                     "influencer"]),
    st.text(max_size=30) | st.sampled_from(["0001-01-01", "9999-12-31", "2026-02-30", "-1",
                                            "99999999999999999999", "week", "%", "a\x00"])))
def test_hostile_query_strings_never_fail(viewer_client, query):
    response = viewer_client.get(CAL + "?" + urlencode(query))
    # A NUL anywhere is refused by the app as a whole (app.security), with a clear page.
    nul = any("\x00" in value for value in query.values())
    assert response.status_code == (400 if nul else 200)


def _spread(n: int, participants) -> None:
    for i in range(n):
        make_operation(participant=participants[i % len(participants)],
                       planned_on=date(2026, 11, 1) + timedelta(days=i % 30)
                       if i % 5 else None, status=("planned", "approved")[i % 2])


@pytest.mark.slow
@pytest.mark.parametrize("view", ["month", "week"])
def test_queries_do_not_grow_with_operations(manager_client, view, count_page_statements):
    participants = [make_participant() for _ in range(3)]
    _spread(4, participants)
    url = f"{CAL}?view={view}&date=2026-11-10"
    few = count_page_statements(manager_client, url)
    _spread(60, participants)
    many = count_page_statements(manager_client, url)
    assert many == few
    assert many <= 10
