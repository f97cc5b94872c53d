"""The participants board: adding from a search or a list's address, moves (forms and JSON)."""

from __future__ import annotations

import re

import pytest
from flask_babel import force_locale
from sqlalchemy import func, select

from app.campaigns.participants import service
from app.extensions import db as _db
from app.i18n.labels import label
from app.models import Interaction, Participant
from app.models.base import utcnow
from app.models.campaign import STAGES
from app.models.influencer import CAMPAIGN_INTERACTION
from tests import factories


def participant_of(campaign, influencer) -> Participant | None:
    return _db.session.scalar(select(Participant).where(
        Participant.campaign_id == campaign.id, Participant.influencer_id == influencer.id))


# --- the page -----------------------------------------------------------------------------

def test_empty_campaign_invites_to_add(member_client, campaign, text_of, url):
    response = member_client.get(url(campaign))
    assert response.status_code == 200
    page = text_of(response)
    assert "No participant yet" in page
    assert "Add influencers" in page


def test_board_has_one_column_per_stage_declined_last(member_client, campaign, url):
    factories.make_participant(campaign=campaign, stage="negotiating")
    html = member_client.get(url(campaign)).get_data(as_text=True)
    columns = re.findall(r'class="board-column stage-(\w+)"', html)
    assert columns == list(STAGES)
    assert columns[-1] == "declined"


def test_card_shows_main_platform_followers_and_fee(member_client, campaign, text_of, url):
    influencer = factories.make_influencer(display_name="Manon Girard", accounts=[
        {"platform": "tiktok", "handle": "manon_tt", "followers": 900},
        {"platform": "instagram", "handle": "manon", "followers": 48_200}])
    factories.make_participant(campaign=campaign, influencer=influencer,
                               proposed_fee_cents=120_050)
    page = text_of(member_client.get(url(campaign)))
    assert "Manon Girard" in page
    assert "Instagram · 48.2 k followers" in page
    assert "Proposed: €1,200.50" in page


def test_unknown_and_trashed_campaigns_are_404(member_client, campaign, url):
    assert member_client.get("/campaigns/999999/participants").status_code == 404
    campaign.deleted_at = utcnow()
    _db.session.commit()
    assert member_client.get(url(campaign)).status_code == 404


def test_participant_of_another_campaign_is_404(member_client, campaign, url):
    other = factories.make_participant()
    response = member_client.post(url(campaign, f"/{other.id}/stage"),
                                  data={"stage": "contacted"})
    assert response.status_code == 404
    assert _db.session.get(Participant, other.id).stage == "shortlisted"


# --- adding from a search -----------------------------------------------------------------

def test_search_lists_candidates_and_marks_those_already_in(member_client, campaign, url):
    inside = factories.make_influencer(display_name="Léa Bonnet")
    factories.make_participant(campaign=campaign, influencer=inside)
    outside = factories.make_influencer(display_name="Léa Fournier")
    factories.make_influencer(display_name="Paul Durand")
    html = member_client.get(url(campaign, "?q=léa")).get_data(as_text=True)
    assert f'name="ids" value="{outside.id}"' in html
    assert f'name="ids" value="{inside.id}"' not in html
    assert "In the campaign" in html
    assert "Paul Durand" not in html


def test_add_picked_influencers(member_client, campaign, text_of, url):
    picked = [factories.make_influencer() for _ in range(3)]
    response = member_client.post(url(campaign, "/add"),
                                  data={"ids": [str(i.id) for i in picked]},
                                  follow_redirects=True)
    assert "3 influencers added to the campaign." in text_of(response)
    for influencer in picked:
        participant = participant_of(campaign, influencer)
        assert participant.stage == "shortlisted"
        assert participant.stage_changed_at is not None
    entries = _db.session.scalars(select(Interaction).where(
        Interaction.campaign_id == campaign.id)).all()
    assert sorted(e.influencer_id for e in entries) == sorted(i.id for i in picked)
    assert {e.summary for e in entries} == {"→ shortlisted"}
    assert {e.user_id for e in entries} == {member_client.user.id}


def test_add_skips_duplicates_trashed_and_do_not_contact(member_client, campaign, text_of, url):
    already = factories.make_influencer()
    factories.make_participant(campaign=campaign, influencer=already)
    trashed = factories.make_influencer(deleted_at=utcnow())
    refused = factories.make_influencer(display_name="Ne Pas Contacter", status="do_not_contact")
    fresh = factories.make_influencer()
    ids = [already.id, trashed.id, refused.id, fresh.id, 987654]
    response = member_client.post(url(campaign, "/add"), data={"ids": [str(i) for i in ids]},
                                  follow_redirects=True)
    page = text_of(response)
    assert "1 influencer added to the campaign." in page
    assert "1 was already in the campaign: skipped." in page
    assert "2 are in the trash or no longer exist: skipped." in page
    assert "Not added, marked “do not contact”: Ne Pas Contacter." in page
    assert participant_of(campaign, fresh) is not None
    assert participant_of(campaign, trashed) is None
    assert participant_of(campaign, refused) is None
    count = _db.session.scalar(select(func.count()).select_from(Participant)
                               .where(Participant.campaign_id == campaign.id))
    assert count == 2


def test_add_with_nothing_picked_says_so(member_client, campaign, text_of, url):
    response = member_client.post(url(campaign, "/add"), data={"ids": ["x", "-3"]},
                                  follow_redirects=True)
    assert "Select at least one influencer." in text_of(response)


# --- adding from a filtered list ----------------------------------------------------------

@pytest.fixture()
def people(db):
    """Two Instagram people in France, one in Belgium, one on TikTok, one trashed, one not
    to be contacted."""
    insta = [{"platform": "instagram", "handle": None, "followers": 10_000}]

    def make(name, country, platform="instagram", **kw):
        accounts = [{**insta[0], "platform": platform, "handle": name.lower().replace(" ", "")}]
        return factories.make_influencer(display_name=name, country=country, accounts=accounts,
                                         **kw)

    return {
        "anna": make("Anna Roux", "FR"), "basile": make("Basile Leroy", "FR"),
        "chloe": make("Chloé Lambert", "BE"), "dina": make("Dina Morel", "FR", "tiktok"),
        "eric": make("Éric Trash", "FR", deleted_at=utcnow()),
        "fanny": make("Fanny Refus", "FR", status="do_not_contact"),
    }


LIST = "http://relais.example/influencers/?platform=instagram&country=FR&sort=-followers"


def test_preview_counts_what_a_list_address_would_add(member_client, campaign, people, text_of,
                                                       url):
    factories.make_participant(campaign=campaign, influencer=people["anna"])
    response = member_client.get(url(campaign), query_string={"address": LIST})
    page = text_of(response)
    assert "1 influencer will be added." in page
    assert "1 is already in the campaign." in page
    assert "1 is marked “do not contact” and will be skipped." in page
    assert "Basile Leroy" in page and "Chloé Lambert" not in page


def test_add_every_match_of_a_list_address(member_client, campaign, people, text_of, url):
    factories.make_participant(campaign=campaign, influencer=people["anna"])
    response = member_client.post(url(campaign, "/add-matching"), data={"address": LIST},
                                  follow_redirects=True)
    page = text_of(response)
    assert "1 influencer added to the campaign." in page
    assert "1 was already in the campaign: skipped." in page
    assert "Not added, marked “do not contact”: Fanny Refus." in page
    added = set(_db.session.scalars(select(Participant.influencer_id)
                                    .where(Participant.campaign_id == campaign.id)))
    assert added == {people["anna"].id, people["basile"].id}


@pytest.mark.parametrize("address", [
    "?platform=tiktok", "platform=tiktok", "/influencers/?platform=tiktok",
    "  https://relais.example/influencers?platform=tiktok&page=3  "])
def test_list_address_forms_accepted(member_client, campaign, people, address, url):
    member_client.post(url(campaign, "/add-matching"), data={"address": address})
    added = set(_db.session.scalars(select(Participant.influencer_id)
                                    .where(Participant.campaign_id == campaign.id)))
    assert added == {people["dina"].id}


@pytest.mark.parametrize(("address", "message"), [
    ("javascript:alert(1)", "This is not the address of the influencer list."),
    ("https://relais.example/brands/?q=x", "This is not the address of the influencer list."),
    ("https://relais.example/influencers/", "This address has no filter"),
    ("https://relais.example/influencers/?sort=name&per_page=50", "This address has no filter"),
    ("/influencers/?followers_min=lots", "Some filters of this address are not valid: "
                                         "Followers from: Type a whole number"),
    ("/influencers/?platform=myspace", "Some filters of this address are not valid"),
    ("", "Paste the address of the influencer list."),
    ("x" * 5000, "Field cannot be longer than 4000 characters."),
])
def test_bad_list_addresses_are_refused_clearly(member_client, campaign, people, address,
                                                message, text_of, url):
    response = member_client.post(url(campaign, "/add-matching"), data={"address": address},
                                  follow_redirects=True)
    assert response.status_code == 200
    assert message in text_of(response)
    assert not _db.session.scalar(select(func.count()).select_from(Participant))
    preview = member_client.get(url(campaign), query_string={"address": address})
    assert preview.status_code == 200


def test_too_many_matches_are_refused_with_a_clear_message(member_client, campaign, people,
                                                           monkeypatch, text_of, url):
    monkeypatch.setattr(service, "BULK_MAX", 2)
    response = member_client.post(url(campaign, "/add-matching"),
                                  data={"address": "/influencers/?country=FR"},
                                  follow_redirects=True)
    assert ("More than 2 influencers not yet in the campaign match these filters"
            in text_of(response))
    assert not _db.session.scalar(select(func.count()).select_from(Participant))
    preview = text_of(member_client.get(url(campaign),
                                        query_string={"address": "/influencers/?country=FR"}))
    assert "narrow them down" in preview


# --- moving cards -------------------------------------------------------------------------

def test_move_writes_the_timeline_and_stamps_the_change(member_client, campaign, url):
    participant = factories.make_participant(campaign=campaign)
    response = member_client.post(url(campaign, f"/{participant.id}/stage"),
                                  data={"stage": "contacted", "seen": "shortlisted"})
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"#participant-{participant.id}")
    _db.session.refresh(participant)
    assert participant.stage == "contacted"
    assert participant.stage_changed_at is not None
    entry = _db.session.scalar(select(Interaction).where(
        Interaction.influencer_id == participant.influencer_id))
    assert entry.kind == CAMPAIGN_INTERACTION
    assert entry.campaign_id == campaign.id
    assert entry.user_id == member_client.user.id
    assert entry.summary == "shortlisted → contacted"


def test_move_shows_on_the_influencer_timeline_in_english(member_client, campaign, text_of, url):
    participant = factories.make_participant(campaign=campaign)
    member_client.post(url(campaign, f"/{participant.id}/stage"), data={"stage": "contacted"})
    page = text_of(member_client.get(f"/influencers/{participant.influencer_id}"))
    assert "Campaign Lancement été: Shortlisted → Contacted" in page


def test_move_shows_on_the_influencer_timeline_in_french(member_client, campaign, url):
    participant = factories.make_participant(campaign=campaign)
    member_client.post(url(campaign, f"/{participant.id}/stage"), data={"stage": "contacted"})
    member_client.user.locale = "fr"
    _db.session.commit()
    response = member_client.get(f"/influencers/{participant.influencer_id}")
    assert '<html lang="fr">' in response.get_data(as_text=True)
    with force_locale("fr"):
        before, after = label("stage", "shortlisted"), label("stage", "contacted")
    html = response.get_data(as_text=True)
    timeline = html[html.index('id="timeline"'):html.index('id="history"')]
    page = " ".join(re.sub(r"<[^>]+>", "", timeline).split())
    assert f"Campagne Lancement été : {before} → {after}" in page
    assert "shortlisted → contacted" not in page  # never the stored codes


def test_move_as_json_returns_the_new_board(member_client, campaign, url):
    participant = factories.make_participant(campaign=campaign)
    response = member_client.post(url(campaign, f"/{participant.id}/stage"),
                                  data={"stage": "negotiating", "seen": "shortlisted"},
                                  headers={"Accept": "application/json"})
    assert response.status_code == 200
    body = response.get_json()
    assert body["participant"] == participant.id
    assert "moved to “Negotiating”" in body["message"]
    column = body["board"].split('data-stage="negotiating"')[1].split("</section>")[0]
    assert f'id="participant-{participant.id}"' in column
    assert "Budget" in body["budget"]


UNKNOWN = "Unknown stage"
GENERIC = "could not be understood"  # a NUL byte is refused before any view


@pytest.mark.parametrize(("data", "message"), [
    ({"stage": "signed"}, UNKNOWN), ({"stage": ""}, UNKNOWN), ({}, UNKNOWN),
    ({"stage": ["x", "paid"]}, UNKNOWN), ({"stage": "contacted\x00"}, GENERIC)])
def test_invalid_stage_is_refused_with_400(member_client, campaign, data, message, text_of, url):
    participant = factories.make_participant(campaign=campaign)
    response = member_client.post(url(campaign, f"/{participant.id}/stage"), data=data)
    assert response.status_code == 400
    assert message in text_of(response)
    json = member_client.post(url(campaign, f"/{participant.id}/stage"), data=data,
                              headers={"Accept": "application/json"})
    assert json.status_code == 400
    assert json.get_json()["error"]["code"] == 400
    _db.session.refresh(participant)
    assert participant.stage == "shortlisted"
    assert not _db.session.scalar(select(func.count()).select_from(Interaction))


def test_card_moved_meanwhile_is_not_moved_twice(member_client, campaign, url):
    participant = factories.make_participant(campaign=campaign, stage="contacted")
    response = member_client.post(url(campaign, f"/{participant.id}/stage"),
                                  data={"stage": "contacted", "seen": "shortlisted"},
                                  headers={"Accept": "application/json"})
    assert response.status_code == 409
    assert "was moved to “Contacted” by someone else" in response.get_json()["error"]["message"]
    assert not _db.session.scalar(select(func.count()).select_from(Interaction))


def test_moving_to_the_same_stage_writes_nothing(member_client, campaign, url):
    participant = factories.make_participant(campaign=campaign)
    member_client.post(url(campaign, f"/{participant.id}/stage"), data={"stage": "shortlisted"})
    assert not _db.session.scalar(select(func.count()).select_from(Interaction))
