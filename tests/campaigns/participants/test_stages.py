"""Moving a participant to "contracted" with neither an agreed fee nor a contract asks for
confirmation first: the service asks, a page asks without JavaScript (and re-posts the
move), board.js gets the question as JSON. The board's card shows the participant's
account on the campaign's platforms."""

from __future__ import annotations

import pytest
from flask_babel import force_locale
from sqlalchemy import func, select

from app.campaigns.participants import service
from app.campaigns.participants.stages import NeedsConfirmation
from app.extensions import db as _db
from app.models import Interaction
from tests import factories

QUESTION = ("Léa Martin has no agreed fee and no contract yet. Move them to “Contracted” all "
            "the same?")


@pytest.fixture()
def lea(campaign):
    """Léa, negotiating: nothing agreed yet."""
    influencer = factories.make_influencer(display_name="Léa Martin", accounts=[
        {"platform": "instagram", "handle": "lea.mode", "followers": 52_000}])
    return factories.make_participant(campaign=campaign, influencer=influencer,
                                      stage="negotiating", proposed_fee_cents=80_000)


def _moves() -> int:
    return _db.session.scalar(select(func.count()).select_from(Interaction))


# --- the rule ------------------------------------------------------------------------------

def test_contracted_without_fee_or_contract_asks_first(app, lea):
    user = factories.make_user("member")
    with app.test_request_context(), force_locale("en"):
        with pytest.raises(NeedsConfirmation) as asked:
            service.change_stage(lea, "contracted", user, expected="negotiating")
        assert str(asked.value) == QUESTION
        assert (lea.stage, _moves()) == ("negotiating", 0)
        service.change_stage(lea, "contracted", user, expected="negotiating", confirmed=True)
    assert lea.stage == "contracted" and _moves() == 1


@pytest.mark.parametrize("what", ["agreed fee", "draft contract", "contract of the campaign"])
def test_an_agreed_fee_or_a_contract_needs_no_confirmation(app, campaign, lea, what):
    if what == "agreed fee":
        lea.agreed_fee_cents = 75_000
        _db.session.commit()
    elif what == "draft contract":
        factories.make_contract(influencer=lea.influencer, participant_id=lea.id)
    else:
        factories.make_contract(influencer=lea.influencer, campaign_id=campaign.id)
    with app.test_request_context(), force_locale("en"):
        service.change_stage(lea, "contracted", factories.make_user("member"))
    assert lea.stage == "contracted"


def test_a_cancelled_contract_does_not_count(app, lea):
    factories.make_contract(influencer=lea.influencer, participant_id=lea.id, status="cancelled")
    with app.test_request_context(), force_locale("en"), pytest.raises(NeedsConfirmation):
        service.change_stage(lea, "contracted", factories.make_user("member"))


def test_the_question_reads_as_french(app, lea):
    with app.test_request_context(), force_locale("fr"), pytest.raises(NeedsConfirmation) as asked:
        service.change_stage(lea, "contracted", factories.make_user("member"))
    assert str(asked.value) == ("Ni tarif convenu ni contrat pour Léa Martin pour l'instant. "
                                "Passer quand même à l'étape « Sous contrat » ?")


# --- over HTTP -----------------------------------------------------------------------------

def test_without_javascript_a_page_asks_then_the_move_is_made(member_client, campaign, lea,
                                                              url, text_of):
    move = url(campaign, f"/{lea.id}/stage")
    response = member_client.post(move, data={"stage": "contracted", "seen": "negotiating"})
    assert response.status_code == 200
    page = text_of(response)
    assert QUESTION in page and "Nothing has changed yet" in page
    html = response.get_data(as_text=True)
    form = html[html.index(f'action="{move}"'):]
    form = form[:form.index("</form>")]
    for hidden in ('name="confirm" value="1"', 'name="stage" value="contracted"',
                   'name="seen" value="negotiating"', 'name="csrf_token"'):
        assert hidden in form
    _db.session.refresh(lea)
    assert (lea.stage, _moves()) == ("negotiating", 0)
    response = member_client.post(move, data={"stage": "contracted", "seen": "negotiating",
                                              "confirm": "1"})
    assert response.status_code == 302
    _db.session.refresh(lea)
    assert (lea.stage, _moves()) == ("contracted", 1)


def test_the_board_script_gets_the_question_as_json(member_client, campaign, lea, url):
    response = member_client.post(url(campaign, f"/{lea.id}/stage"),
                                  data={"stage": "contracted", "seen": "negotiating"},
                                  headers={"Accept": "application/json"})
    assert response.status_code == 409
    assert response.get_json()["confirm"] == {"message": QUESTION, "field": "confirm",
                                              "value": "1"}
    _db.session.refresh(lea)
    assert lea.stage == "negotiating"


def test_the_board_card_shows_the_campaign_platform(member_client, url, text_of):
    campaign = factories.make_campaign(name="Nuit des musées", target_platforms="tiktok")
    influencer = factories.make_influencer(display_name="Hugo Run", accounts=[
        {"platform": "instagram", "handle": "hugo", "followers": 90_000},
        {"platform": "tiktok", "handle": "hugo.tt", "followers": 4_000}])
    factories.make_participant(campaign=campaign, influencer=influencer)
    page = text_of(member_client.get(url(campaign)))
    assert "Hugo Run TikTok · 4 k followers" in page
    assert "Instagram · 90" not in page
