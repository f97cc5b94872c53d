"""An operation's platform follows its campaign's platforms: the form offers only those, the
service refuses any other with a message, and "the participant's main platform" is their
biggest account among them. A campaign that names no platform allows every one."""

from __future__ import annotations

import re

import pytest
from flask_babel import force_locale

from app.campaigns.operations import service
from app.core.errors import ServiceError
from app.extensions import db as _db
from app.models import Operation
from tests.factories import make_campaign, make_influencer, make_operation, make_participant

NEW = "/campaigns/{}/operations/new"


@pytest.fixture()
def tiktok_campaign(db):
    """A TikTok and YouTube campaign; Léa is far bigger on Instagram than on TikTok."""
    campaign = make_campaign(name="Nuit des musées", target_platforms="tiktok,youtube")
    lea = make_influencer(display_name="Léa Martin", accounts=[
        {"platform": "instagram", "handle": "lea.mode", "followers": 90_000},
        {"platform": "tiktok", "handle": "lea.tt", "followers": 4_000}])
    return campaign, make_participant(campaign=campaign, influencer=lea)


def _data(participant, platform: str) -> dict:
    return {"participant_id": participant.id, "kind": "video", "platform": platform,
            "planned_on": None, "brief": None, "caption": None}


def test_a_platform_outside_the_campaign_is_refused(app, tiktok_campaign, member_client):
    campaign, participant = tiktok_campaign
    with app.test_request_context(headers={"Accept-Language": "en"}):
        with pytest.raises(ServiceError) as refused:
            service.plan_operation(campaign, _data(participant, "instagram"),
                                   member_client.user)
        assert str(refused.value) == ("Instagram is not one of the campaign's platforms "
                                      "(TikTok, YouTube).")
        with force_locale("fr"), pytest.raises(ServiceError) as refused:
            service.plan_operation(campaign, _data(participant, "instagram"),
                                   member_client.user)
        assert str(refused.value) == ("Instagram ne fait pas partie des plateformes de la "
                                      "campagne (TikTok, YouTube).")
    response = member_client.post(NEW.format(campaign.id), data={
        "participant_id": participant.id, "kind": "video", "platform": "instagram"})
    assert response.status_code == 400
    assert "is not one of the campaign&#39;s platforms" in response.get_data(as_text=True)
    assert _db.session.query(Operation).count() == 0


def test_the_form_offers_only_the_campaign_platforms(tiktok_campaign, member_client):
    campaign, participant = tiktok_campaign
    page = member_client.get(NEW.format(campaign.id)).get_data(as_text=True)
    select = page[page.index('name="platform"'):]
    select = select[:select.index("</select>")]
    assert re.findall(r'<option value="(\w*)"', select) == ["", "tiktok", "youtube"]
    assert "Léa Martin (TikTok)" in page  # her main platform among the campaign's


def test_the_main_platform_is_taken_among_the_campaign_platforms(tiktok_campaign,
                                                                 member_client):
    campaign, participant = tiktok_campaign
    response = member_client.post(NEW.format(campaign.id), data={
        "participant_id": participant.id, "kind": "video", "platform": ""})
    assert response.status_code == 302
    assert _db.session.query(Operation).one().platform == "tiktok"


def test_an_operation_keeps_the_platform_it_already_has(tiktok_campaign, member_client):
    campaign, participant = tiktok_campaign
    operation = make_operation(participant, platform="instagram")  # before the campaign changed
    response = member_client.post(
        f"/campaigns/{campaign.id}/operations/{operation.id}/edit",
        data={"participant_id": participant.id, "kind": "reel", "platform": "instagram",
              "version": operation.version})
    assert response.status_code == 302
    _db.session.expire_all()
    assert _db.session.get(Operation, operation.id).kind == "reel"


def test_a_campaign_without_platforms_allows_every_one(member_client):
    campaign = make_campaign()
    participant = make_participant(campaign=campaign, influencer=make_influencer(accounts=[
        {"platform": "twitch", "handle": "zed", "followers": 10}]))
    response = member_client.post(NEW.format(campaign.id), data={
        "participant_id": participant.id, "kind": "live", "platform": ""})
    assert response.status_code == 302
    assert _db.session.query(Operation).one().platform == "twitch"
