"""app/campaigns/participants/service.py without HTTP: bulk adding (skips, one insert), stage
changes and their timeline entries, fees with optimistic locking, the budget, removal,
and reading a filtered list's address (app/campaigns/participants/forms.py)."""

from __future__ import annotations

import pytest
from flask_babel import force_locale
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select
from wtforms.validators import ValidationError

from app.campaigns.participants import service
from app.campaigns.participants.forms import list_filters
from app.core.errors import Conflict, ServiceError
from app.extensions import db as _db
from app.models import AuditEvent, Interaction, Participant
from app.models.base import utcnow
from tests import factories


@pytest.fixture(autouse=True)
def _request(app, db):
    # Messages are translated (English here); list_filters builds the list's URL.
    with app.test_request_context(), force_locale("en"):
        yield


@pytest.fixture()
def user(db):
    return factories.make_user("member")


@pytest.fixture()
def campaign(db):
    return factories.make_campaign(name="Rentrée", budget_cents=100_000)


def count(model) -> int:
    return _db.session.scalar(select(func.count()).select_from(model))


# --- adding --------------------------------------------------------------------------------

@pytest.mark.slow
def test_bulk_add_reads_once_and_inserts_once(campaign, user, statements):
    ids = [factories.make_influencer().id for _ in range(40)]
    _db.session.refresh(campaign)
    _db.session.refresh(user)
    with statements() as seen:
        result = service.add_influencers(campaign, ids, user)
    assert result.added == 40
    assert len(seen.starting("SELECT")) == 1
    assert len(seen.starting("INSERT INTO participant")) == 1
    assert len(seen.starting("INSERT INTO interaction")) == 1
    assert count(Participant) == 40 and count(Interaction) == 40
    audit = _db.session.scalar(select(AuditEvent).where(AuditEvent.entity_type == "campaign")
                               .order_by(AuditEvent.id.desc()).limit(1))
    assert (audit.entity_id, audit.user_id, audit.changes) == (
        campaign.id, user.id, {"participants": [None, "+40"]})
    assert {p.created_by_id for p in _db.session.scalars(select(Participant))} == {user.id}


def test_add_reports_every_kind_of_skip(campaign, user):
    already = factories.make_influencer()
    factories.make_participant(campaign=campaign, influencer=already)
    trashed = factories.make_influencer(deleted_at=utcnow())
    refused = factories.make_influencer(display_name="Refus", status="do_not_contact")
    fresh = factories.make_influencer()
    result = service.add_influencers(
        campaign, [already.id, trashed.id, refused.id, fresh.id, fresh.id, 424242], user)
    assert (result.added, result.already, result.gone) == (1, 1, 2)
    assert result.do_not_contact == ["Refus"]


def test_add_refuses_an_empty_pick_and_too_many(campaign, user, monkeypatch):
    with pytest.raises(ServiceError, match="Select at least one"):
        service.add_influencers(campaign, [], user)
    monkeypatch.setattr(service, "BULK_MAX", 2)
    with pytest.raises(ServiceError, match="At most 2"):
        service.add_influencers(campaign, [1, 2, 3], user)


def test_same_influencer_in_two_campaigns(campaign, user):
    influencer = factories.make_influencer()
    other = factories.make_campaign()
    assert service.add_influencers(campaign, [influencer.id], user).added == 1
    assert service.add_influencers(other, [influencer.id], user).added == 1
    assert service.add_influencers(other, [influencer.id], user).already == 1


def test_add_matching_skips_and_caps(campaign, user, monkeypatch):
    names = ["Ana", "Bea", "Cyd", "Dan"]
    people = [factories.make_influencer(display_name=n, country="FR") for n in names]
    factories.make_influencer(display_name="Out", country="BE")
    factories.make_influencer(display_name="Nope", country="FR", status="do_not_contact")
    factories.make_participant(campaign=campaign, influencer=people[0])
    preview = service.preview_matching(campaign, {"country": "FR"}, user.id)
    assert (preview.new, preview.already, preview.do_not_contact) == (4, 1, 1)
    assert preview.sample == ["Bea", "Cyd", "Dan"]
    monkeypatch.setattr(service, "BULK_MAX", 3)
    assert service.preview_matching(campaign, {"country": "FR"}, user.id).too_many
    with pytest.raises(ServiceError, match="More than 3"):
        service.add_matching(campaign, {"country": "FR"}, user)
    monkeypatch.setattr(service, "BULK_MAX", 4)
    result = service.add_matching(campaign, {"country": "FR"}, user)
    assert (result.added, result.already, result.do_not_contact) == (3, 1, ["Nope"])


def test_add_matching_needs_a_filter(campaign, user):
    with pytest.raises(ServiceError, match="no filter"):
        service.add_matching(campaign, {}, user)


# --- stages --------------------------------------------------------------------------------

def test_stage_change_writes_a_campaign_entry(campaign, user):
    participant = factories.make_participant(campaign=campaign)
    service.change_stage(participant, "negotiating", user, expected="shortlisted")
    entry = _db.session.scalar(select(Interaction))
    assert (entry.kind, entry.campaign_id, entry.user_id, entry.influencer_id) == (
        "campaign", campaign.id, user.id, participant.influencer_id)
    assert entry.summary == "shortlisted → negotiating"
    assert participant.stage_changed_at == entry.occurred_at


def test_unknown_stage_and_stale_move_are_refused(campaign, user):
    participant = factories.make_participant(campaign=campaign, stage="contacted")
    with pytest.raises(ServiceError, match="Unknown stage"):
        service.change_stage(participant, "signed", user)
    with pytest.raises(service.MovedMeanwhile):
        service.change_stage(participant, "paid", user, expected="shortlisted")
    assert participant.stage == "contacted" and count(Interaction) == 0


def test_summaries_hold_stage_codes():
    assert service.stage_summary("contacted", "paid") == "contacted → paid"
    assert service.stage_summary(None, "shortlisted") == "→ shortlisted"
    assert service.stage_summary("live", None) == "live →"


def test_a_move_that_commits_over_the_budget_says_so(campaign, user):
    factories.make_participant(campaign=campaign, agreed_fee_cents=60_000)
    participant = factories.make_participant(campaign=campaign, stage="declined",
                                              agreed_fee_cents=50_000)
    assert service.change_stage(participant, "contracted", user) is True
    assert service.change_stage(participant, "declined", user) is False
    assert participant.agreed_fee_cents == 50_000  # declining keeps the fee
    assert service.budget_of(campaign).committed_cents == 60_000


# --- fees and budget -----------------------------------------------------------------------

def test_terms_with_a_stale_version_conflict(campaign, user):
    participant = factories.make_participant(campaign=campaign, notes="old")
    with pytest.raises(Conflict) as raised:
        service.update_terms(participant, {"notes": "mine"}, participant.version - 1, user)
    assert raised.value.submitted["notes"] == "mine"
    assert participant.notes == "old"
    with pytest.raises(Conflict):
        service.update_terms(participant, {"notes": "mine"}, None, user)


def test_terms_report_going_over_budget_only_when_it_happens(campaign, user):
    participant = factories.make_participant(campaign=campaign)
    values = {"agreed_fee_cents": 90_000, "proposed_fee_cents": None, "notes": " \x07ok "}
    assert service.update_terms(participant, values, participant.version, user) is False
    assert participant.notes == "ok"
    values["agreed_fee_cents"] = 120_000
    assert service.update_terms(participant, values, participant.version, user) is True
    values["agreed_fee_cents"] = 110_000  # lower, though still over: no new warning
    assert service.update_terms(participant, values, participant.version, user) is False


def test_budget_counts_agreed_and_proposed_fees_of_live_participants(campaign):
    factories.make_participant(campaign=campaign, agreed_fee_cents=30_000,
                               proposed_fee_cents=40_000)
    factories.make_participant(campaign=campaign, proposed_fee_cents=20_000)
    factories.make_participant(campaign=campaign, stage="declined", agreed_fee_cents=99_000,
                               proposed_fee_cents=99_000)
    factories.make_participant(campaign=campaign)
    budget = service.budget_of(campaign)
    assert (budget.committed_cents, budget.proposed_cents) == (30_000, 20_000)
    assert budget.remaining_cents == 70_000 and not budget.over
    assert service.budget_of(campaign, service.cards(campaign)) == budget
    campaign.budget_cents = None
    assert service.budget_of(campaign).remaining_cents is None
    assert not service.budget_of(campaign).over


def test_cards_pick_the_biggest_account_and_count_operations(campaign):
    influencer = factories.make_influencer(accounts=[
        {"platform": "youtube", "handle": "a", "followers": None},
        {"platform": "tiktok", "handle": "b", "followers": 5_000},
        {"platform": "instagram", "handle": "c", "followers": 700}])
    participant = factories.make_participant(campaign=campaign, influencer=influencer)
    factories.make_operation(participant=participant)
    bare = factories.make_participant(campaign=campaign)
    cards = {c.participant.id: c for c in service.cards(campaign)}
    assert (cards[participant.id].platform, cards[participant.id].followers) == ("tiktok", 5000)
    assert cards[participant.id].operations == 1
    assert (cards[bare.id].platform, cards[bare.id].operations) == (None, 0)


# --- removal -------------------------------------------------------------------------------

def test_remove_refused_when_an_operation_is_published(campaign, user):
    participant = factories.make_participant(campaign=campaign)
    factories.make_operation(participant=participant, status="approved")
    factories.make_operation(participant=participant, status="published")
    with pytest.raises(ServiceError, match="published operations"):
        service.remove(participant, user)
    assert count(Participant) == 1


def test_remove_writes_the_timeline(campaign, user):
    participant = factories.make_participant(campaign=campaign, stage="negotiating")
    service.remove(participant, user)
    assert count(Participant) == 0
    assert _db.session.scalar(select(Interaction.summary)) == "negotiating →"


# --- a filtered list's address -------------------------------------------------------------

@pytest.mark.parametrize(("address", "expected"), [
    ("https://relais.example/influencers/?platform=instagram&country=fr&sort=-followers",
     {"platform": "instagram", "country": "FR"}),
    ("/influencers/?followers_min=10+k&tag=beaut%C3%A9&page=4",
     {"followers_min": 10_000, "tag": "beauté"}),
    ("?engagement_min=2,5", {"engagement_min": 0.025}),
    ("q=manon&per_page=100", {"q": "manon"}),
])
def test_list_filters_read_the_address(address, expected):
    assert list_filters(address) == expected


@pytest.mark.parametrize("address", [
    "ftp://relais.example/influencers/?country=FR", "javascript:alert(1)",
    "https://relais.example/campaigns/?status=active", "/influencers/",
    "/influencers/?country=France", "/influencers/?age_min=30", "/influencers/?sort=name",
    "https://[::1/influencers/?country=FR",
])
def test_list_filters_refuse_what_is_not_a_filtered_list(address):
    with pytest.raises(ValidationError):
        list_filters(address)


@pytest.mark.slow
@settings(max_examples=150, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.one_of(st.text(max_size=300),
                 st.builds("{}/influencers/?{}".format,
                           st.sampled_from(["", "http://x", "https://[::1]:8000", "//h"]),
                           st.text(max_size=200))))
def test_any_pasted_text_is_read_or_refused_cleanly(address):
    try:
        filters = list_filters(address)
    except ValidationError as error:
        assert str(error)
    else:
        assert filters and not {"sort", "per_page"} & set(filters)
