"""The operations service: workflow per role and status, editing, publication, metrics, queues."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from app.campaigns.operations import lists, service
from app.campaigns.operations.service import TRANSITIONS, NotAllowed, Stale
from app.core.errors import Conflict, ServiceError
from app.extensions import db as _db
from app.models.campaign import OPERATION_STATUSES
from tests.factories import (
    make_campaign,
    make_influencer,
    make_operation,
    make_participant,
    make_user,
)

ROLES = ("viewer", "member", "manager", "admin")
# The workflow's rule (service.TRANSITIONS): a member submits and publishes, a manager reviews.
WHO_MAY = {"submit": ("member", "manager", "admin"), "publish": ("member", "manager", "admin"),
           "approve": ("manager", "admin"), "request_changes": ("manager", "admin")}
URL = "https://www.instagram.com/p/Cx1/"


@pytest.fixture(autouse=True)
def english(app):
    """Messages in English (outside a request, the app speaks French)."""
    with app.test_request_context(headers={"Accept-Language": "en"}):
        yield


def _call(action, operation, user):
    if action == "request_changes":
        return service.request_changes(operation, user, "Add #publicité")
    if action == "publish":
        return service.publish(operation, user, URL, date.today())
    return getattr(service, action)(operation, user)


# --- the workflow: who may do what, from which status --------------------------------------

@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("action", sorted(TRANSITIONS))
def test_each_transition_per_role(db, publishable, action, role):
    step = TRANSITIONS[action]
    operation = publishable(make_operation(status=step.sources[0]))
    user = make_user(role)
    allowed = role in WHO_MAY[action]
    if allowed:
        _call(action, operation, user)
        assert operation.status == step.target
    else:
        with pytest.raises(NotAllowed):
            _call(action, operation, user)
        _db.session.rollback()
        assert _db.session.get(type(operation), operation.id).status == step.sources[0]


ILLEGAL = [(action, status) for action in sorted(TRANSITIONS) for status in OPERATION_STATUSES
           if status not in TRANSITIONS[action].sources]


@pytest.mark.parametrize(("action", "status"), ILLEGAL)
def test_illegal_transitions_are_refused_with_a_message(db, action, status):
    operation = make_operation(status=status)
    with pytest.raises(ServiceError) as refused:
        _call(action, operation, make_user("admin"))
    assert not isinstance(refused.value, NotAllowed)
    assert "this one is" in str(refused.value)
    _db.session.rollback()
    assert _db.session.get(type(operation), operation.id).status == status


def test_submit_then_approve_records_who_and_when(db):
    member, manager = make_user("member"), make_user("manager")
    operation = make_operation()
    service.submit(operation, member)
    assert (operation.status, operation.submitted_by_id) == ("submitted", member.id)
    assert operation.submitted_at is not None and operation.reviewed_at is None
    service.approve(operation, manager)
    assert (operation.status, operation.reviewed_by_id) == ("approved", manager.id)
    assert operation.reviewed_at is not None and operation.review_comment is None


@pytest.mark.parametrize("comment", [None, "", "   \n "])
def test_requesting_changes_needs_a_comment(db, comment):
    operation = make_operation(status="submitted")
    with pytest.raises(ServiceError, match="comment is required"):
        service.request_changes(operation, make_user("manager"), comment)
    assert operation.status == "submitted"


def test_changes_requested_then_submitted_again(db):
    member, manager = make_user("member"), make_user("manager")
    operation = make_operation(status="submitted")
    service.request_changes(operation, manager, "  Mention the brand first.  ")
    assert operation.status == "changes_requested"
    assert operation.review_comment == "Mention the brand first."
    assert operation.reviewed_by_id == manager.id
    service.submit(operation, member)
    assert operation.status == "submitted"


def test_a_too_long_comment_is_refused(db):
    operation = make_operation(status="submitted")
    with pytest.raises(ServiceError, match="too long"):
        service.request_changes(operation, make_user("manager"), "x" * 2001)


def test_a_step_on_a_stale_version_is_refused(db):
    operation = make_operation(status="submitted")
    seen = operation.version
    operation.brief = "changed by someone else"
    _db.session.commit()
    with pytest.raises(Stale):
        service.approve(operation, make_user("manager"), expected_version=seen)
    assert operation.status == "submitted"


def test_can_drives_the_buttons(db):
    member, manager, viewer = make_user("member"), make_user("manager"), make_user("viewer")
    submitted = make_operation(status="submitted")
    assert service.can("approve", submitted, manager)
    assert not service.can("approve", submitted, member)
    assert not service.can("edit", submitted, member)
    assert not service.can("submit", make_operation(), viewer)
    published = make_operation(status="published")
    assert service.can("metrics", published, member)
    assert not service.can("delete", published, manager)


# --- publication -------------------------------------------------------------------------

def test_publish_only_an_approved_operation(db, publishable):
    member = make_user("member")
    for status in ("planned", "submitted", "changes_requested"):
        operation = publishable(make_operation(status=status))
        with pytest.raises(ServiceError, match="Only an approved operation"):
            service.publish(operation, member, URL, date.today())
    operation = publishable(make_operation(status="approved"))
    service.publish(operation, member, f"  {URL} ", date.today())
    assert (operation.status, operation.published_url) == ("published", URL)
    assert operation.metrics_source is None  # no metric typed: nothing known yet


@pytest.mark.parametrize("url", [
    None, "", "javascript:alert(1)", "ftp://example.com/x", "https://", "www.instagram.com/p/1",
    "https://exa mple.com/", "https://example.com/" + "a" * 500, "data:text/html,hi",
])
def test_publish_refuses_bad_addresses(db, url):
    operation = make_operation(status="approved")
    with pytest.raises(ServiceError):
        service.publish(operation, make_user("member"), url, date.today())
    assert operation.status == "approved"


@pytest.mark.parametrize("day", [None, date.today() + timedelta(days=5), date(1969, 12, 31)])
def test_publish_refuses_bad_dates(db, day):
    operation = make_operation(status="approved")
    with pytest.raises(ServiceError):
        service.publish(operation, make_user("member"), URL, day)


def test_publish_with_metrics_in_one_step(db, publishable):
    operation = publishable(make_operation(status="approved"))
    metrics = {name: None for name in service.METRIC_COLUMNS}
    metrics.update(likes=0, reach=1200, revenue_cents=150_000)
    service.publish(operation, make_user("member"), URL, date.today(), metrics)
    assert (operation.likes, operation.reach, operation.comments) == (0, 1200, None)
    assert operation.revenue_cents == 150_000
    assert operation.metrics_source == "manual" and operation.metrics_updated_at is not None


# --- metrics typed in ---------------------------------------------------------------------

def test_metrics_only_for_published_operations(db):
    for status in ("planned", "submitted", "changes_requested", "approved"):
        with pytest.raises(ServiceError, match="once the operation is published"):
            service.record_metrics(make_operation(status=status), make_user("member"),
                                   {"likes": 3})


def test_metrics_keep_none_apart_from_zero(db):
    operation = make_operation(status="published", likes=50, shares=4)
    values = {name: None for name in service.METRIC_COLUMNS}
    values.update(likes=0, cost_cents=0)
    service.record_metrics(operation, make_user("member"), values)
    _db.session.expire_all()
    assert operation.likes == 0 and operation.cost_cents == 0
    assert operation.shares is None and operation.reach is None
    assert operation.metrics_source == "manual"


def test_clearing_every_metric_leaves_no_source(db):
    operation = make_operation(status="published", likes=5, metrics_source="import")
    service.record_metrics(operation, make_user("member"), {})
    assert operation.likes is None and operation.metrics_source is None


@pytest.mark.parametrize("value", [-1, 10**12, 1.5, True, "12"])
def test_metrics_refuse_what_is_not_a_count(db, value):
    operation = make_operation(status="published")
    with pytest.raises(ServiceError):
        service.record_metrics(operation, make_user("member"), {"likes": value})


# --- planning and editing ---------------------------------------------------------------

def _campaign_with_participant(**campaign):
    campaign = make_campaign(**campaign)
    influencer = make_influencer(accounts=[
        {"platform": "instagram", "handle": "small", "followers": 900},
        {"platform": "youtube", "handle": "big", "followers": 80_000},
    ])
    return campaign, make_participant(campaign=campaign, influencer=influencer)


def _data(participant, **kw):
    return {"participant_id": participant.id, "kind": "reel", "platform": "",
            "planned_on": None, "brief": None, "caption": None, **kw}


def test_plan_defaults_to_the_main_account_platform(db):
    campaign, participant = _campaign_with_participant()
    operation = service.plan_operation(campaign, _data(participant), make_user("member"))
    assert (operation.platform, operation.status, operation.campaign_id) == (
        "youtube", "planned", campaign.id)


def test_plan_refuses_a_participant_of_another_campaign_or_declined(db):
    campaign, _participant = _campaign_with_participant()
    stranger = make_participant()
    declined = make_participant(campaign=campaign, stage="declined")
    for who in (stranger, declined):
        with pytest.raises(ServiceError, match="participant"):
            service.plan_operation(campaign, _data(who), make_user("member"))


def test_plan_needs_a_platform_when_the_influencer_has_no_account(db):
    campaign = make_campaign()
    participant = make_participant(campaign=campaign, influencer=make_influencer())
    with pytest.raises(ServiceError, match="choose the platform"):
        service.plan_operation(campaign, _data(participant), make_user("member"))
    operation = service.plan_operation(campaign, _data(participant, platform="blog"),
                                       make_user("member"))
    assert operation.platform == "blog"


def test_a_date_outside_the_campaign_is_a_warning(db):
    campaign, participant = _campaign_with_participant(starts_on=date(2026, 11, 1),
                                                       ends_on=date(2026, 11, 30))
    operation = service.plan_operation(
        campaign, _data(participant, planned_on=date(2026, 12, 3)), make_user("member"))
    assert "after the campaign ends" in service.date_warning(campaign, operation.planned_on)
    assert "before the campaign starts" in service.date_warning(campaign, date(2026, 10, 1))
    assert service.date_warning(campaign, date(2026, 11, 30)) is None


def test_editing_the_caption_of_an_approved_operation_sends_it_back(db):
    campaign, participant = _campaign_with_participant()
    operation = make_operation(participant=participant, status="approved", caption="v1",
                               platform="youtube")
    member = make_user("member")
    sent_back = service.update_operation(
        operation, _data(participant, caption="v2", platform="youtube"), operation.version, member)
    assert sent_back and operation.status == "submitted"
    assert operation.submitted_by_id == member.id


def test_moving_an_approved_operation_keeps_its_approval(db):
    campaign, participant = _campaign_with_participant()
    operation = make_operation(participant=participant, status="approved", caption="v1",
                               brief="b", platform="youtube")
    sent_back = service.update_operation(
        operation, _data(participant, caption="v1", brief="b", platform="youtube",
                         planned_on=date(2026, 11, 20)), operation.version, make_user("member"))
    assert not sent_back and operation.status == "approved"
    assert operation.planned_on == date(2026, 11, 20)


@pytest.mark.parametrize("status", ["submitted", "published"])
def test_submitted_and_published_operations_are_not_edited(db, status):
    campaign, participant = _campaign_with_participant()
    operation = make_operation(participant=participant, status=status)
    with pytest.raises(ServiceError, match="can no longer be edited"):
        service.update_operation(operation, _data(participant), operation.version,
                                 make_user("member"))


def test_a_stale_edit_is_a_conflict(db):
    campaign, participant = _campaign_with_participant()
    operation = make_operation(participant=participant, caption="first")
    opened = operation.version
    service.update_operation(operation, _data(participant, caption="theirs"), opened,
                             make_user("member"))
    with pytest.raises(Conflict) as conflict:
        service.update_operation(operation, _data(participant, caption="mine"), opened,
                                 make_user("member"))
    assert conflict.value.submitted["caption"] == "mine"
    assert operation.caption == "theirs"


def test_a_published_operation_is_not_deleted(db):
    member = make_user("member")
    with pytest.raises(ServiceError, match="cannot be deleted"):
        service.delete_operation(make_operation(status="published"), member)
    operation = make_operation(status="approved")
    service.delete_operation(operation, member)
    assert _db.session.get(type(operation), operation.id) is None


# --- reads ---------------------------------------------------------------------------------

def test_operations_sort_with_unscheduled_last(db):
    campaign, participant = _campaign_with_participant()
    late = make_operation(participant=participant, planned_on=date(2026, 11, 20))
    early = make_operation(participant=participant, planned_on=date(2026, 11, 2))
    never = make_operation(participant=participant)
    for sort, expected in (("date", [early, late, never]), ("-date", [late, early, never])):
        page = lists.list_operations(campaign.id, {}, sort, 1, 50)
        assert [row[0].id for row in page.items] == [o.id for o in expected]


def test_status_sort_follows_the_workflow(db):
    campaign, participant = _campaign_with_participant()
    made = [make_operation(participant=participant, status=s)
            for s in ("published", "planned", "approved", "submitted")]
    page = lists.list_operations(campaign.id, {}, "status", 1, 50)
    assert [row[0].status for row in page.items] == [
        "planned", "submitted", "approved", "published"]
    assert len(made) == page.total


def test_queues_skip_trashed_campaigns_and_run_oldest_first(db):
    from app.models.base import utcnow
    newer = make_operation(status="submitted", submitted_at=utcnow())
    older = make_operation(status="submitted", submitted_at=utcnow() - timedelta(days=2))
    gone = make_operation(status="submitted")
    gone.campaign.deleted_at = utcnow()
    _db.session.commit()
    page = lists.approval_queue(1, 50)
    assert [row[0].id for row in page.items] == [older.id, newer.id]
    assert lists.waiting_count() == 2


def test_changes_requested_mine_only(db):
    me, other = make_user("member"), make_user("member")
    mine = make_operation(status="changes_requested", submitted_by_id=me.id)
    make_operation(status="changes_requested", submitted_by_id=other.id)
    assert lists.changes_requested(1, 50).total == 2
    assert [r[0].id for r in lists.changes_requested(1, 50, me.id).items] == [mine.id]
