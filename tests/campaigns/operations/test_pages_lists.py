"""Operation lists over HTTP: the tab's empty state and query count, the queues, the menu count."""

from __future__ import annotations

import re
from datetime import date, timedelta

from app.models.base import utcnow
from tests.factories import (
    make_campaign,
    make_influencer,
    make_operation,
    make_participant,
)


def test_operations_tab_empty_state(member_client, viewer_client):
    campaign = make_campaign()
    page = member_client.get(f"/campaigns/{campaign.id}/operations").get_data(as_text=True)
    assert "No operation planned yet" in page and "Plan an operation" in page
    page = viewer_client.get(f"/campaigns/{campaign.id}/operations").get_data(as_text=True)
    assert "No operation planned yet" in page and "Plan an operation" not in page


def _more_operations(participants, n):
    for i in range(n):
        make_operation(participant=participants[i % len(participants)], status="published",
                       likes=i, reach=100 + i, planned_on=date(2026, 11, 1 + i % 28))


def test_queries_of_the_operations_tab_do_not_grow(manager_client, count_page_statements):
    campaign = make_campaign()
    participants = [make_participant(campaign=campaign, influencer=make_influencer(
        accounts=[{"platform": "instagram", "handle": f"q{i}", "followers": 1000}]))
        for i in range(3)]
    _more_operations(participants, 3)
    few = count_page_statements(manager_client, f"/campaigns/{campaign.id}/operations")
    _more_operations(participants, 30)
    many = count_page_statements(manager_client, f"/campaigns/{campaign.id}/operations")
    assert many == few


def test_members_see_the_changes_requested(member_client):
    mine = make_operation(status="changes_requested", review_comment="Remove the price",
                          submitted_by_id=member_client.user.id)
    theirs = make_operation(status="changes_requested", review_comment="Add the tag")
    page = member_client.get("/campaigns/approvals").get_data(as_text=True)
    assert "Remove the price" in page and "Add the tag" in page
    page = member_client.get("/campaigns/approvals?list=changes&mine=1").get_data(as_text=True)
    assert f"/operations/{mine.id}" in page and f"/operations/{theirs.id}\"" not in page
    assert "Approve</button>" not in member_client.get(
        "/campaigns/approvals?list=approve").get_data(as_text=True)


def test_the_queue_runs_oldest_first_as_it_says(manager_client):
    now = utcnow()
    today = make_operation(status="submitted", submitted_at=now)
    # Waiting for three weeks, its submission time unknown (seeded, or older than the field):
    # older than today's, so not last.
    unknown = make_operation(status="submitted", created_at=now - timedelta(days=21))
    last_week = make_operation(status="submitted", submitted_at=now - timedelta(days=7),
                               created_at=now - timedelta(days=30))
    page = manager_client.get("/campaigns/approvals?list=approve").get_data(as_text=True)
    assert "3 operations wait for approval, oldest first." in page
    shown = [int(n) for n in re.findall(r'<h2 id="op-(\d+)-title"', page)]
    assert shown == [unknown.id, last_week.id, today.id]


def test_the_queue_is_paginated(manager_client, app, monkeypatch):
    monkeypatch.setitem(app.config, "RELAIS_PAGE_SIZE", 2)
    for _ in range(5):
        make_operation(status="submitted")
    page = manager_client.get("/campaigns/approvals").get_data(as_text=True)
    assert "Page 1 of 3" in page and "list=approve" in page
    assert manager_client.get("/campaigns/approvals?page=3").status_code == 200


def test_the_managers_menu_counts_what_waits(manager_client, member_client):
    make_operation(status="submitted")
    make_operation(status="submitted")
    menu = manager_client.get("/campaigns/approvals?list=changes").get_data(as_text=True)
    assert re.search(r"To approve <span[^>]*>2</span>", menu)
    assert "To approve" not in member_client.get("/campaigns/calendar").get_data(as_text=True)
