"""Operations over HTTP: the tab, planning and editing, the approval workflow, the metrics form."""

from __future__ import annotations

import re
from datetime import date

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from app.extensions import db as _db
from app.models import Operation
from tests.factories import (
    make_campaign,
    make_influencer,
    make_operation,
    make_participant,
    make_user,
)

METRIC_FIELDS = ("impressions", "reach", "views", "likes", "comments", "shares", "saves",
                 "clicks", "conversions", "revenue", "cost")
URL = "https://www.tiktok.com/@lea/video/1"


def _url(operation, action: str = "") -> str:
    base = f"/campaigns/{operation.campaign_id}/operations/{operation.id}"
    return f"{base}/{action}" if action else base


def _reload(operation) -> Operation:
    _db.session.expire_all()
    return _db.session.get(Operation, operation.id)


def _flash(response) -> str:
    return re.sub(r"\s+", " ", response.get_data(as_text=True))


def _participant(**campaign):
    campaign = make_campaign(**campaign)
    influencer = make_influencer(display_name="Léa Martin", accounts=[
        {"platform": "tiktok", "handle": "lea", "followers": 40_000}])
    return make_participant(campaign=campaign, influencer=influencer, agreed_fee_cents=90_000)


# --- roles --------------------------------------------------------------------------------

WRITES = {  # action → (status the operation is in, form data)
    "submit": ("planned", {}),
    "approve": ("submitted", {}),
    "request-changes": ("submitted", {"comment": "Shorter, please."}),
    "publish": ("approved", {"published_url": URL, "published_on": date.today().isoformat()}),
    "metrics": ("published", {"likes": "12"}),
    "delete": ("planned", {}),
    "edit": ("planned", {"kind": "post", "platform": "tiktok"}),
}


@pytest.mark.parametrize("action", sorted(WRITES))
def test_a_viewer_changes_nothing(viewer_client, action):
    status, data = WRITES[action]
    operation = make_operation(status=status)
    before = operation.version
    response = viewer_client.post(_url(operation, action), data=data)
    assert response.status_code == 403
    assert _reload(operation).version == before


def test_a_viewer_cannot_plan(viewer_client):
    participant = _participant()
    response = viewer_client.post(f"/campaigns/{participant.campaign_id}/operations/new",
                                  data={"participant_id": participant.id, "kind": "post"})
    assert response.status_code == 403
    assert _db.session.query(Operation).count() == 0


@pytest.mark.parametrize("action", ["approve", "request-changes"])
def test_a_member_can_never_approve(member_client, action):
    operation = make_operation(status="submitted")
    response = member_client.post(_url(operation, action), data=WRITES[action][1])
    assert response.status_code == 403
    assert _reload(operation).status == "submitted"


def test_a_member_does_not_see_the_approve_button(member_client, manager_client):
    operation = make_operation(status="submitted")
    assert "Approve</button>" not in member_client.get(_url(operation)).get_data(as_text=True)
    assert "Waiting for a manager" in member_client.get(_url(operation)).get_data(as_text=True)
    page = manager_client.get(_url(operation)).get_data(as_text=True)
    assert "Approve</button>" in page and "Request changes</button>" in page


@pytest.mark.parametrize("client_name", ["manager_client", "admin_client"])
def test_managers_and_admins_approve(request, client_name):
    client = request.getfixturevalue(client_name)
    operation = make_operation(status="submitted")
    response = client.post(_url(operation, "approve"), data={"version": operation.version},
                           follow_redirects=True)
    assert "Operation approved" in _flash(response)
    operation = _reload(operation)
    assert operation.status == "approved" and operation.reviewed_by_id == client.user.id


def test_the_whole_workflow_over_http(member_client, manager_client):
    participant = _participant()
    response = member_client.post(
        f"/campaigns/{participant.campaign_id}/operations/new",
        data={"participant_id": participant.id, "kind": "reel", "platform": "",
              "planned_on": "2026-11-20", "brief": "Morning routine", "caption": "#publicité"})
    assert response.status_code == 302
    operation = _db.session.query(Operation).one()
    assert operation.platform == "tiktok"  # the main account's
    member_client.post(_url(operation, "submit"), data={"version": operation.version})
    assert _reload(operation).status == "submitted"
    assert _reload(operation).submitted_by_id == member_client.user.id
    manager_client.post(_url(operation, "approve"), data={"version": _reload(operation).version})
    assert _reload(operation).status == "approved"
    member_client.post(_url(operation, "publish"), data={
        "published_url": URL, "published_on": date.today().isoformat(), "likes": "1 200",
        "reach": "12,4 k", "comments": "", "cost": "450,50 €",
        "version": _reload(operation).version})
    operation = _reload(operation)
    assert operation.status == "published"
    assert (operation.likes, operation.reach, operation.comments) == (1200, 12400, None)
    assert operation.cost_cents == 45050 and operation.metrics_source == "manual"
    page = member_client.get(_url(operation)).get_data(as_text=True)
    assert f'href="{URL}"' in page and 'rel="noopener noreferrer nofollow"' in page


def test_an_illegal_transition_is_a_message_not_an_error(member_client, manager_client):
    operation = make_operation(status="planned")
    response = manager_client.post(_url(operation, "approve"), follow_redirects=True)
    assert response.status_code == 200
    assert "Only an operation submitted for approval can be approved" in _flash(response)
    response = member_client.post(_url(operation, "publish"), data={
        "published_url": URL, "published_on": date.today().isoformat()}, follow_redirects=True)
    assert "Only an approved operation can be marked published" in _flash(response)
    assert _reload(operation).status == "planned"


def test_requesting_changes_without_a_comment_is_refused(manager_client):
    operation = make_operation(status="submitted")
    response = manager_client.post(_url(operation, "request-changes"), data={"comment": "  "})
    assert response.status_code == 400
    assert "the comment is required" in _flash(response)
    assert _reload(operation).status == "submitted"


def test_a_stale_approval_is_refused(manager_client):
    operation = make_operation(status="submitted", caption="v1")
    seen = operation.version
    operation.caption = "v2 typed meanwhile"
    _db.session.commit()
    response = manager_client.post(_url(operation, "approve"), data={"version": seen},
                                   follow_redirects=True)
    assert "check it again" in _flash(response)
    assert _reload(operation).status == "submitted"


# --- publication and metrics -----------------------------------------------------------------

@pytest.mark.parametrize("address", ["javascript:alert(1)", "", "instagram.com/p/1",
                                     "https://" + "a" * 600 + ".com"])
def test_publish_refuses_bad_addresses(member_client, address):
    operation = make_operation(status="approved")
    response = member_client.post(_url(operation, "publish"), data={
        "published_url": address, "published_on": date.today().isoformat()})
    assert response.status_code == 400
    assert _reload(operation).status == "approved"
    assert 'href="javascript' not in response.get_data(as_text=True)


def test_publish_needs_a_date(member_client):
    operation = make_operation(status="approved")
    response = member_client.post(_url(operation, "publish"), data={"published_url": URL})
    assert response.status_code == 400 and "Give the date" in _flash(response)


def test_metrics_form_tells_empty_from_zero(member_client):
    operation = make_operation(status="published", likes=40, shares=3)
    data = {name: "" for name in METRIC_FIELDS} | {"likes": "0", "revenue": "0",
                                                   "version": operation.version}
    response = member_client.post(_url(operation, "metrics"), data=data)
    assert response.status_code == 302
    operation = _reload(operation)
    assert (operation.likes, operation.revenue_cents) == (0, 0)
    assert operation.shares is None and operation.reach is None
    assert operation.metrics_source == "manual" and operation.metrics_updated_at is not None


def test_metrics_wait_for_the_publication(member_client):
    operation = make_operation(status="approved")
    response = member_client.post(_url(operation, "metrics"), data={"likes": "5"},
                                  follow_redirects=True)
    assert "once the operation is published" in _flash(response)
    assert _reload(operation).likes is None


def test_metrics_form_shows_errors_beside_the_fields(member_client):
    operation = make_operation(status="published", likes=7)
    response = member_client.post(_url(operation, "metrics"),
                                  data={"likes": "-3", "cost": "a lot"})
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "Type a whole number" in page and "Type an amount" in page
    assert 'value="-3"' in page  # what was typed is shown back
    assert _reload(operation).likes == 7


HOSTILE = st.text(max_size=40) | st.sampled_from(
    ["-1", "1e999", "nan", "inf", "0x10", "99999999999999999", "1,2,3", "12 k", "€", "\x00",
     "<script>", "' OR 1=1 --", "１２", "½"])


@pytest.mark.slow
@settings(max_examples=60, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.dictionaries(st.sampled_from(METRIC_FIELDS), HOSTILE, min_size=1))
def test_hostile_metrics_never_fail(member_client, data):
    operation = make_operation(status="published")
    response = member_client.post(_url(operation, "metrics"), data=data)
    assert response.status_code in (302, 400)
    stored = _reload(operation)
    for name in METRIC_FIELDS:
        column = name + "_cents" if name in ("revenue", "cost") else name
        value = getattr(stored, column)
        assert value is None or (isinstance(value, int) and value >= 0)


# --- planning and editing ------------------------------------------------------------------

def test_plan_form_lists_only_participants_not_declined(member_client):
    participant = _participant()
    make_participant(campaign=participant.campaign,
                     influencer=make_influencer(display_name="Nope Declined"), stage="declined")
    page = member_client.get(f"/campaigns/{participant.campaign_id}/operations/new")
    text = page.get_data(as_text=True)
    assert "Léa Martin (TikTok)" in text and "Nope Declined" not in text


def test_plan_warns_outside_the_campaign_dates(member_client):
    participant = _participant(starts_on=date(2026, 11, 1), ends_on=date(2026, 11, 30))
    response = member_client.post(
        f"/campaigns/{participant.campaign_id}/operations/new",
        data={"participant_id": participant.id, "kind": "post", "planned_on": "2026-12-15"},
        follow_redirects=True)
    assert "Operation planned" in _flash(response)
    assert "after the campaign ends" in _flash(response)


@pytest.mark.parametrize("data", [
    {"participant_id": "999999", "kind": "post"},
    {"participant_id": "abc", "kind": "post"},
    {"kind": "post"},
    {"participant_id": "{p}", "kind": "rocket"},
    {"participant_id": "{p}", "kind": "post", "platform": "myspace"},
    {"participant_id": "{p}", "kind": "post", "planned_on": "31/02/2026"},
    {"participant_id": "{p}", "kind": "post", "planned_on": "9999-01-01"},
    {"participant_id": "{p}", "kind": "post", "brief": "x" * 10_001},
])
def test_plan_refuses_bad_input_with_a_message(member_client, data):
    participant = _participant()
    data = {k: v.replace("{p}", str(participant.id)) for k, v in data.items()}
    response = member_client.post(f"/campaigns/{participant.campaign_id}/operations/new",
                                  data=data)
    assert response.status_code == 400
    assert _db.session.query(Operation).count() == 0


def test_editing_an_approved_caption_sends_it_back_and_says_so(member_client):
    participant = _participant()
    operation = make_operation(participant=participant, status="approved", caption="v1",
                               platform="tiktok")
    form = member_client.get(_url(operation, "edit")).get_data(as_text=True)
    assert "sends it back for approval" in form
    response = member_client.post(_url(operation, "edit"), data={
        "participant_id": participant.id, "kind": "post", "platform": "tiktok", "caption": "v2",
        "version": operation.version}, follow_redirects=True)
    assert "back in the approval queue" in _flash(response)
    assert _reload(operation).status == "submitted"


def test_a_submitted_operation_cannot_be_edited(member_client):
    operation = make_operation(status="submitted")
    response = member_client.get(_url(operation, "edit"), follow_redirects=True)
    assert "can no longer be edited" in _flash(response)


def test_two_people_editing_get_a_conflict_page(member_client, client_as):
    participant = _participant()
    operation = make_operation(participant=participant, caption="original", platform="tiktok")
    colleague = make_user("member")
    other = client_as(colleague)
    opened = operation.version
    base = {"participant_id": participant.id, "kind": "post", "platform": "tiktok",
            "version": opened}
    first = other.post(_url(operation, "edit"), data={**base, "caption": "theirs"})
    assert first.status_code == 302
    response = member_client.post(_url(operation, "edit"), data={**base, "caption": "mine"})
    assert response.status_code == 409
    page = response.get_data(as_text=True)
    assert "mine" in page and "theirs" in page and "Apply my changes anyway" in page
    assert _reload(operation).caption == "theirs"


def test_delete_a_planned_operation_not_a_published_one(member_client):
    planned, published = make_operation(), make_operation(status="published")
    planned_id, published_url = planned.id, _url(published, "delete")
    assert member_client.post(_url(planned, "delete")).status_code == 302
    _db.session.expunge_all()
    assert _db.session.get(Operation, planned_id) is None
    response = member_client.post(published_url, follow_redirects=True)
    assert "cannot be deleted" in _flash(response)
    assert _reload(published) is not None


def test_an_operation_is_reached_only_through_its_campaign(member_client):
    operation = make_operation()
    elsewhere = make_campaign()
    assert member_client.get(f"/campaigns/{elsewhere.id}/operations/{operation.id}"
                             ).status_code == 404
    assert member_client.post(f"/campaigns/{elsewhere.id}/operations/{operation.id}/submit"
                              ).status_code == 404
    assert _reload(operation).status == "planned"


# --- the operations tab ----------------------------------------------------------------------

def test_operations_tab_shows_kpis_when_measured(member_client):
    participant = _participant()
    measured = make_operation(participant=participant, status="published", likes=300,
                              comments=100, reach=10_000, planned_on=date(2026, 11, 3))
    make_operation(participant=participant, planned_on=date(2026, 11, 4))
    page = member_client.get(f"/campaigns/{participant.campaign_id}/operations")
    text = page.get_data(as_text=True)
    assert page.status_code == 200
    assert "4%" in text  # 400 engagements / 10 000 reach
    assert f"/operations/{measured.id}" in text and "Published" in text


def test_operations_tab_filters_and_sorts(member_client):
    participant = _participant()
    reel = make_operation(participant=participant, kind="reel", planned_on=date(2026, 11, 9))
    story = make_operation(participant=participant, kind="story", status="approved",
                           planned_on=date(2026, 11, 1))
    base = f"/campaigns/{participant.campaign_id}/operations"
    text = member_client.get(base + "?status=approved").get_data(as_text=True)
    assert f"/operations/{story.id}" in text and f"/operations/{reel.id}\"" not in text
    text = member_client.get(base + "?sort=-date").get_data(as_text=True)
    assert text.index(f"/operations/{reel.id}") < text.index(f"/operations/{story.id}")
    assert member_client.get(base + "?status=bogus&sort=evil&page=-4").status_code == 200


# --- the approval queues ------------------------------------------------------------------

def test_managers_see_the_queue_and_approve_from_it(manager_client):
    operation = make_operation(status="submitted", caption="Ready #publicité")
    page = manager_client.get("/campaigns/approvals").get_data(as_text=True)
    assert "Ready #publicité" in page and "1 operation waits for approval" in page
    response = manager_client.post(_url(operation, "approve"),
                                   data={"version": operation.version,
                                         "next": "/campaigns/approvals"})
    assert response.headers["Location"].endswith("/campaigns/approvals")
    assert _reload(operation).status == "approved"


def test_the_next_address_is_never_followed_off_site(manager_client):
    operation = make_operation(status="submitted")
    response = manager_client.post(_url(operation, "approve"),
                                   data={"version": operation.version,
                                         "next": "https://evil.example/"})
    assert "evil" not in response.headers["Location"]
