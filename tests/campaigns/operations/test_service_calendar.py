"""The operations calendar's ranges (month and week grids, clamping) and what it reads."""

from __future__ import annotations

from datetime import date

import pytest

from app.campaigns.operations import lists
from tests.factories import (
    make_brand,
    make_campaign,
    make_influencer,
    make_operation,
    make_participant,
    make_user,
)

# --- the calendar's ranges -----------------------------------------------------------------

def test_month_grid_runs_monday_to_sunday_around_the_month():
    span = lists.calendar_range("month", date(2026, 11, 17))  # November 1st is a Sunday
    assert (span.start, span.end) == (date(2026, 10, 26), date(2026, 12, 6))
    assert span.anchor == date(2026, 11, 1)
    assert len(span.weeks) == 6 and all(len(w) == 7 for w in span.weeks)
    assert all(week[0].weekday() == 0 for week in span.weeks)
    assert (span.previous, span.next) == (date(2026, 10, 1), date(2026, 12, 1))
    assert span.in_month(date(2026, 11, 30)) and not span.in_month(date(2026, 12, 1))


def test_a_month_starting_on_monday_and_a_four_week_february():
    june = lists.calendar_range("month", date(2026, 6, 30))  # June 1st, 2026: a Monday
    assert june.start == date(2026, 6, 1) and june.end == date(2026, 7, 5)
    february = lists.calendar_range("month", date(2027, 2, 14))  # Monday 1st to Sunday 28th
    assert (february.start, february.end) == (date(2027, 2, 1), date(2027, 2, 28))
    assert len(february.weeks) == 4


def test_month_navigation_crosses_years():
    span = lists.calendar_range("month", date(2027, 1, 31))
    assert (span.previous, span.next) == (date(2026, 12, 1), date(2027, 2, 1))


@pytest.mark.parametrize("anchor", [date(2026, 11, 16), date(2026, 11, 19), date(2026, 11, 22)])
def test_week_starts_on_monday(anchor):
    span = lists.calendar_range("week", anchor)
    assert (span.start, span.end) == (date(2026, 11, 16), date(2026, 11, 22))
    assert (span.previous, span.next) == (date(2026, 11, 9), date(2026, 11, 23))
    assert len(span.weeks) == 1


@pytest.mark.parametrize("anchor", [date.min, date.max, date(1970, 1, 1), date(2100, 12, 31)])
def test_extreme_dates_are_clamped(anchor):
    for view in ("month", "week", "nonsense"):
        span = lists.calendar_range(view, anchor)
        assert span.start <= span.end and span.previous < span.next


def test_calendar_reads_the_range_inclusive_and_filters(db):
    brand = make_brand()
    campaign = make_campaign(brand=brand)
    owner = make_user("member")
    influencer = make_influencer(display_name="Zoé Lambert", owner_id=owner.id)
    participant = make_participant(campaign=campaign, influencer=influencer)
    first = make_operation(participant=participant, planned_on=date(2026, 10, 26),
                           platform="tiktok")
    last = make_operation(participant=participant, planned_on=date(2026, 12, 6),
                          status="approved")
    make_operation(participant=participant, planned_on=date(2026, 12, 7))
    other = make_operation(planned_on=date(2026, 11, 10))
    unscheduled = make_operation(participant=participant)

    def ids(filters):
        found = lists.calendar_operations(date(2026, 10, 26), date(2026, 12, 6), filters)
        return {row.id for rows in found.by_day.values() for row in rows}

    assert ids({}) == {first.id, last.id, other.id}
    assert ids({"campaign": campaign.id}) == {first.id, last.id}
    assert ids({"brand": brand.id}) == {first.id, last.id}
    assert ids({"platform": "tiktok"}) == {first.id}
    assert ids({"status": "approved"}) == {last.id}
    assert ids({"owner": owner.id}) == {first.id, last.id}
    assert ids({"influencer": "zoé"}) == {first.id, last.id}
    assert ids({"influencer": "%"}) == set()
    rows, more = lists.unscheduled_operations({"campaign": campaign.id})
    assert [r.id for r in rows] == [unscheduled.id] and not more


def test_calendar_says_when_it_shows_only_part(db):
    participant = make_participant()
    for day in range(1, 6):
        make_operation(participant=participant, planned_on=date(2026, 11, day))
    found = lists.calendar_operations(date(2026, 11, 1), date(2026, 11, 30), {}, limit=3)
    assert found.truncated and found.count == 3
