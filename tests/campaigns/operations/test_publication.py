"""Publishing an operation: its participant goes "live" (or the page says why not), and a
publication before the campaign starts or on a platform where the person has no account
is refused with a message, in English and in French, with nothing saved and nothing typed
lost."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from flask_babel import force_locale
from sqlalchemy import select

from app.campaigns.operations import service
from app.core.errors import ServiceError
from app.extensions import db as _db
from app.models import Interaction, Operation, Participant
from tests.factories import (
    make_campaign,
    make_influencer,
    make_operation,
    make_participant,
    make_user,
)

URL = "https://www.instagram.com/p/Cx1/"


@pytest.fixture(autouse=True)
def english(app):
    """Messages in English (outside a request, the app speaks French)."""
    with app.test_request_context(headers={"Accept-Language": "en"}):
        yield


def _approved(stage: str = "contracted", starts_on: date | None = None,
              platform: str = "instagram") -> Operation:
    """An approved operation of Léa's, who has an Instagram account only."""
    lea = make_influencer(display_name="Léa Martin", accounts=[
        {"platform": "instagram", "handle": "lea.mode", "followers": 52_000}])
    campaign = make_campaign(name="Exposition Monet", starts_on=starts_on)
    participant = make_participant(campaign=campaign, influencer=lea, stage=stage,
                                   agreed_fee_cents=90_000)
    return make_operation(participant, status="approved", platform=platform)


def _stage(operation: Operation) -> str:
    _db.session.expire_all()
    return _db.session.get(Participant, operation.participant_id).stage


# --- the participant follows the publication ------------------------------------------------

@pytest.mark.parametrize("stage", ["shortlisted", "negotiating", "contracted"])
def test_publishing_moves_the_participant_to_live(db, stage):
    operation = _approved(stage)
    after = service.publish(operation, make_user("member"), URL, date.today())
    assert after.moved and after.message == "Léa Martin moved to “Live”."
    assert _stage(operation) == "live"
    entry = _db.session.scalar(select(Interaction).where(
        Interaction.influencer_id == operation.participant.influencer_id))
    assert (entry.campaign_id, entry.summary) == (operation.campaign_id, f"{stage} → live")


@pytest.mark.parametrize("stage", ["live", "delivered", "paid"])
def test_publishing_never_moves_a_participant_back(db, stage):
    operation = _approved(stage)
    after = service.publish(operation, make_user("member"), URL, date.today())
    assert not after.moved and after.message is None
    assert _stage(operation) == stage


def test_a_declined_participant_stays_and_the_page_says_why(member_client):
    operation = _approved("declined")
    response = member_client.post(
        f"/campaigns/{operation.campaign_id}/operations/{operation.id}/publish",
        data={"published_url": URL, "published_on": date.today().isoformat(),
              "version": operation.version}, follow_redirects=True)
    page = response.get_data(as_text=True)
    assert "Operation marked published." in page
    assert "Léa Martin stays in “Declined”: move the card by hand" in page
    assert _stage(operation) == "declined"


def test_the_page_says_the_participant_went_live(member_client):
    operation = _approved("contracted")
    response = member_client.post(
        f"/campaigns/{operation.campaign_id}/operations/{operation.id}/publish",
        data={"published_url": URL, "published_on": date.today().isoformat(),
              "version": operation.version}, follow_redirects=True)
    assert 'class="flash flash-info">Léa Martin moved to “Live”.' in response.get_data(
        as_text=True)
    assert _stage(operation) == "live"


# --- refusals ----------------------------------------------------------------------------

def test_publishing_before_the_campaign_starts_is_refused(db):
    start = date.today() + timedelta(days=30)
    operation = _approved(starts_on=start)
    with pytest.raises(ServiceError, match=r"cannot be published before the campaign starts"):
        service.publish(operation, make_user("member"), URL, date.today())
    _db.session.rollback()
    assert _db.session.get(Operation, operation.id).status == "approved"
    assert _stage(operation) == "contracted"


def test_the_refusal_reads_as_french(db):
    operation = _approved(starts_on=date(2027, 3, 12))
    with force_locale("fr"), pytest.raises(ServiceError) as refused:
        service.publish(operation, make_user("member"), URL, date.today())
    assert str(refused.value) == ("L'opération ne peut pas être publiée avant le début de la "
                                  "campagne (le 12 mars 2027).")


def test_publishing_where_the_person_has_no_account_is_refused(db):
    operation = _approved(platform="tiktok")
    with pytest.raises(ServiceError) as refused:
        service.publish(operation, make_user("member"), URL, date.today())
    assert str(refused.value) == ("Léa Martin has no TikTok account: add it to their "
                                  "profile, or plan the operation on another platform.")
    with force_locale("fr"), pytest.raises(ServiceError) as refused:
        service.publish(operation, make_user("member"), URL, date.today())
    assert str(refused.value).startswith("Léa Martin n'a pas de compte TikTok : ajoutez-le")
    _db.session.rollback()
    assert _db.session.get(Operation, operation.id).status == "approved"


def test_a_refused_publication_keeps_what_was_typed(member_client):
    operation = _approved(starts_on=date.today() + timedelta(days=30))
    response = member_client.post(
        f"/campaigns/{operation.campaign_id}/operations/{operation.id}/publish",
        data={"published_url": URL, "published_on": date.today().isoformat(),
              "likes": "1 234", "version": operation.version})
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "cannot be published before the campaign starts" in page
    assert f'value="{URL}"' in page and 'name="likes" type="text" value="1 234"' in page
    _db.session.expire_all()
    saved = _db.session.get(Operation, operation.id)
    assert (saved.status, saved.published_url, saved.likes) == ("approved", None, None)


def test_the_page_says_beforehand_why_it_cannot_be_published(member_client):
    operation = _approved(platform="tiktok")
    page = member_client.get(f"/campaigns/{operation.campaign_id}/operations/{operation.id}")
    assert "⚠ Léa Martin has no TikTok account" in page.get_data(as_text=True)
