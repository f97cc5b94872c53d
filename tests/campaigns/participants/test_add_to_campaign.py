"""“Add to a campaign” from the influencer list (ticked rows or every match of its filters)
and from a profile: the open campaigns offered, the stage they join at, the report naming
who was added, who already was in and who is not to be contacted; bad input answered with
a message (or 400, 403), never a 500."""

from __future__ import annotations

from html import unescape

import pytest
from sqlalchemy import select

from app.extensions import db as _db
from app.models import Influencer, Interaction, Participant, Tag
from app.models.base import utcnow
from tests import factories

CHOOSE = "/campaigns/add-influencers"
RUN = "/campaigns/add-influencers/run"


def participants(campaign) -> dict[str, str]:
    """Name → stage of the campaign's participants."""
    _db.session.expire_all()
    return {p.influencer.display_name: p.stage for p in _db.session.scalars(
        select(Participant).where(Participant.campaign_id == campaign.id))}


def ids(*people) -> list[str]:
    return [str(p.id) for p in people]


@pytest.fixture()
def cast(campaign):
    """In `campaign`: Alice already; outside: Bruno and Chloé (prospects), Denis (do not
    contact), Éva (in the trash)."""
    people = {name: factories.make_influencer(display_name=name, status=status, **kw)
              for name, status, kw in (("Alice Déjà", "engaged", {}),
                                       ("Bruno Neuf", "prospect", {}),
                                       ("Chloé Neuve", "prospect", {}),
                                       ("Denis Refus", "do_not_contact", {}),
                                       ("Éva Corbeille", "prospect", {"deleted_at": utcnow()}))}
    factories.make_participant(campaign=campaign, influencer=people["Alice Déjà"],
                               stage="negotiating")
    return people


def test_the_choice_lists_the_people_and_the_open_campaigns_only(member_client, campaign,
                                                                   cast, text_of):
    for name, status, deleted in (("Finie", "completed", None), ("Annulée", "cancelled", None),
                                  ("Jetée", "active", utcnow()), ("Prévue", "planned", None)):
        factories.make_campaign(name=name, status=status, deleted_at=deleted)
    response = member_client.post(CHOOSE, data={"ids": ids(*cast.values()) + ["x", "-1"]})
    assert response.status_code == 200
    page = text_of(response)
    assert "4 influencers chosen" in page  # Éva is in the trash
    assert "Alice Déjà, Bruno Neuf, Chloé Neuve, Denis Refus" in page
    html = response.get_data(as_text=True)
    assert "Lancement été" in html and "Prévue" in html
    assert "Finie" not in html and "Annulée" not in html and "Jetée" not in html
    # the stages one joins at: up to negotiating
    assert 'value="negotiating"' in html and 'value="contracted"' not in html


def test_add_at_a_stage_reports_added_already_and_do_not_contact_by_name(
        member_client, campaign, cast, text_of, url):
    response = member_client.post(RUN, data={
        "ids": ids(*cast.values()), "campaign": campaign.id, "stage": "contacted"},
        follow_redirects=True)
    assert response.request.path == url(campaign)
    page = text_of(response)
    assert ("2 influencers added to “Lancement été” at “Contacted”: Bruno Neuf, Chloé Neuve."
            in page)
    assert "1 was already in the campaign: Alice Déjà." in page
    assert "Not added, marked “do not contact”: Denis Refus." in page
    assert participants(campaign) == {"Alice Déjà": "negotiating", "Bruno Neuf": "contacted",
                                      "Chloé Neuve": "contacted"}
    summaries = _db.session.scalars(select(Interaction.summary).where(
        Interaction.influencer_id == cast["Bruno Neuf"].id).order_by(Interaction.id)).all()
    assert summaries == ["→ shortlisted", "shortlisted → contacted"]


def test_add_at_the_first_stage_and_again_is_all_duplicates(member_client, campaign, cast,
                                                             text_of):
    data = {"ids": ids(cast["Bruno Neuf"]), "campaign": campaign.id, "stage": "shortlisted"}
    member_client.post(RUN, data=data)
    assert participants(campaign)["Bruno Neuf"] == "shortlisted"
    page = text_of(member_client.post(RUN, data=data, follow_redirects=True))
    assert "1 was already in the campaign: Bruno Neuf." in page
    assert "Nobody was added." in page


def test_in_french_the_report_reads_french(client_as, campaign, cast, text_of):
    client = client_as(factories.make_user("member", locale="fr"))
    page = unescape(text_of(client.post(RUN, data={
        "ids": ids(*cast.values()), "campaign": campaign.id, "stage": "shortlisted"},
        follow_redirects=True)))
    assert ("2 influenceurs ajoutés à « Lancement été » à l'étape « Présélectionné » : "
            "Bruno Neuf, Chloé Neuve." in page)
    assert "1 figurait déjà dans la campagne : Alice Déjà." in page


@pytest.mark.parametrize("campaign_value", ["999999", "abc", "", "-1"])
def test_an_unknown_campaign_is_refused_with_the_form_again(member_client, campaign, cast,
                                                             campaign_value):
    response = member_client.post(RUN, data={"ids": ids(cast["Bruno Neuf"]),
                                             "campaign": campaign_value, "stage": "shortlisted"})
    assert response.status_code == 400
    assert "Bruno Neuf" in response.get_data(as_text=True)
    assert "Bruno Neuf" not in participants(campaign)


@pytest.mark.parametrize("status, deleted", [("completed", False), ("cancelled", False),
                                             ("active", True)])
def test_a_closed_or_trashed_campaign_takes_nobody(member_client, cast, status, deleted):
    closed = factories.make_campaign(status=status, deleted_at=utcnow() if deleted else None)
    response = member_client.post(RUN, data={"ids": ids(cast["Bruno Neuf"]),
                                             "campaign": closed.id, "stage": "shortlisted"})
    assert response.status_code == 400
    assert participants(closed) == {}


@pytest.mark.parametrize("stage", ["contracted", "paid", "bogus", ""])
def test_a_stage_past_negotiating_or_unknown_is_refused(member_client, campaign, cast, stage):
    response = member_client.post(RUN, data={"ids": ids(cast["Bruno Neuf"]),
                                             "campaign": campaign.id, "stage": stage})
    assert response.status_code == 400
    assert "Bruno Neuf" not in participants(campaign)


@pytest.mark.parametrize("url", [CHOOSE, RUN])
@pytest.mark.parametrize("posted", [[], ["x", "-3", "99999999999", "987654"]])
def test_an_empty_or_foreign_selection_says_so(member_client, campaign, cast, text_of, url,
                                               posted):
    response = member_client.post(url, data={"ids": posted + ids(cast["Éva Corbeille"]),
                                             "campaign": campaign.id, "stage": "shortlisted",
                                             "next": "/influencers/?status=prospect"},
                                  follow_redirects=True)
    assert response.request.full_path == "/influencers/?status=prospect"
    assert "Select at least one influencer." in text_of(response)


def test_every_match_of_the_list_filters(member_client, campaign, cast, text_of):
    response = member_client.post(CHOOSE, data={"all_matching": "1",
                                                "query": "status=prospect&sort=name&page=2"})
    assert "2 influencers chosen" in text_of(response)  # Bruno, Chloé (Éva is trashed)
    html = response.get_data(as_text=True)
    assert all(f'name="ids" value="{cast[n].id}"' in html for n in ("Bruno Neuf",
                                                                     "Chloé Neuve"))


@pytest.mark.parametrize("query, message", [
    ("sort=name", "needs at least one filter"),
    ("followers_min=lots", "The list’s filters are not valid"),
    ("status=former", "No influencer matches these filters any more."),
])
def test_every_match_refuses_no_filter_or_a_bad_one(member_client, cast, text_of, query,
                                                     message):
    response = member_client.post(CHOOSE, data={"all_matching": "1", "query": query},
                                  follow_redirects=True)
    assert response.request.path == "/influencers/"
    assert message in text_of(response)


def test_from_a_profile_the_button_links_to_the_choice(member_client, campaign, cast, text_of):
    bruno = cast["Bruno Neuf"]
    profile = member_client.get(f"/influencers/{bruno.id}").get_data(as_text=True)
    link = f"{CHOOSE}?ids={bruno.id}&amp;next=/influencers/{bruno.id}"
    assert link in profile
    response = member_client.get(link.replace("&amp;", "&"))
    assert response.status_code == 200
    assert "1 influencer chosen" in text_of(response)
    assert f'href="/influencers/{bruno.id}"' in response.get_data(as_text=True)  # Cancel
    evil = member_client.get(f"{CHOOSE}?ids={bruno.id}&next=https://evil.example/")
    html = evil.get_data(as_text=True)
    form = html[html.index('action="/campaigns/add-influencers/run"'):]
    assert '<input type="hidden" name="next" value="/influencers/">' in form
    assert "evil.example" not in form


def test_no_open_campaign_says_so(member_client, campaign, cast, text_of):
    campaign.status = "completed"
    _db.session.commit()
    page = text_of(member_client.get(f"{CHOOSE}?ids={cast['Bruno Neuf'].id}"))
    assert "No open campaign" in page


def test_viewers_cannot_add(viewer_client, campaign, cast):
    assert viewer_client.get(f"{CHOOSE}?ids={cast['Bruno Neuf'].id}").status_code == 403
    assert viewer_client.post(RUN, data={"ids": ids(cast["Bruno Neuf"]),
                                         "campaign": campaign.id,
                                         "stage": "shortlisted"}).status_code == 403
    assert "Bruno Neuf" not in participants(campaign)


def test_the_list_offers_the_button_and_every_match_to_members(member_client, viewer_client,
                                                                 cast):
    html = member_client.get("/influencers/?status=prospect").get_data(as_text=True)
    assert f'formaction="{CHOOSE}"' in html
    assert 'name="all_matching"' in html and 'name="query" value="status=prospect"' in html
    unfiltered = member_client.get("/influencers/").get_data(as_text=True)
    assert 'name="all_matching"' not in unfiltered
    assert CHOOSE not in viewer_client.get("/influencers/?status=prospect").get_data(
        as_text=True)


def test_other_bulk_actions_honour_every_match(member_client, cast):
    response = member_client.post("/influencers/bulk", data={
        "all_matching": "1", "query": "status=prospect", "action": "tag", "tag": "rentrée"})
    assert response.status_code == 302
    tagged = _db.session.scalars(select(Influencer.display_name).join(Influencer.tags)
                                 .where(Tag.name == "rentrée").order_by(Influencer.id)).all()
    assert tagged == ["Bruno Neuf", "Chloé Neuve"]
