"""The participants table: fees and notes, budget, removal, roles, query count, hostile input."""

from __future__ import annotations

import re

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select

from app.extensions import db as _db
from app.models import Interaction, Operation, Participant
from app.models.campaign import STAGES
from tests import factories

# --- table: fees and notes ----------------------------------------------------------------

def test_table_lists_fees_operations_and_notes_sorted(member_client, campaign, url):
    cheap = factories.make_participant(
        campaign=campaign, influencer=factories.make_influencer(display_name="Cheap"),
        agreed_fee_cents=10_000, notes="Aime le vélo")
    dear = factories.make_participant(
        campaign=campaign, influencer=factories.make_influencer(display_name="Dear"),
        agreed_fee_cents=90_000)
    factories.make_operation(participant=dear)
    factories.make_operation(participant=dear)
    html = member_client.get(url(campaign, "?view=table&sort=-agreed")).get_data(as_text=True)
    assert html.index("Dear") < html.index("Cheap")
    assert "Aime le vélo" in html
    assert 'value="900.00"' in html and 'value="100.00"' in html
    assert re.search(r'<td class="num">2</td>', html)
    html = member_client.get(url(campaign, "?view=table&sort=agreed")).get_data(as_text=True)
    assert html.index("Cheap") < html.index("Dear")
    assert f'id="participant-{cheap.id}"' in html


def test_save_fees_and_notes(member_client, campaign, url):
    participant = factories.make_participant(campaign=campaign)
    response = member_client.post(url(campaign, f"/{participant.id}/terms"), data={
        "proposed_fee_cents": "1 500", "agreed_fee_cents": "1 200,50 €",
        "notes": "  Veut un contrat  ", "version": participant.version})
    assert response.status_code == 302
    _db.session.refresh(participant)
    assert participant.proposed_fee_cents == 150_000
    assert participant.agreed_fee_cents == 120_050
    assert participant.notes == "Veut un contrat"


def test_stale_fees_get_the_conflict_page(member_client, campaign, text_of, url):
    participant = factories.make_participant(campaign=campaign, agreed_fee_cents=50_000)
    seen = participant.version
    participant.agreed_fee_cents = 70_000  # someone else saves first
    _db.session.commit()
    response = member_client.post(url(campaign, f"/{participant.id}/terms"), data={
        "agreed_fee_cents": "900", "notes": "", "version": seen})
    assert response.status_code == 409
    page = text_of(response)
    assert "Someone else saved" in page
    assert "€900.00" in page and "€700.00" in page
    _db.session.refresh(participant)
    assert participant.agreed_fee_cents == 70_000
    # "apply my changes anyway" re-posts against the version now saved
    again = member_client.post(url(campaign, f"/{participant.id}/terms"), data={
        "agreed_fee_cents": "900", "notes": "", "version": participant.version})
    assert again.status_code == 302
    _db.session.refresh(participant)
    assert participant.agreed_fee_cents == 90_000


def test_bad_fee_is_shown_beside_the_field(member_client, campaign, url):
    participant = factories.make_participant(campaign=campaign, agreed_fee_cents=50_000)
    response = member_client.post(url(campaign, f"/{participant.id}/terms"), data={
        "agreed_fee_cents": "beaucoup", "version": participant.version})
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert "Type an amount, e.g. 1 200,50." in html
    assert 'value="beaucoup"' in html  # what was typed is shown back
    assert 'aria-invalid="true"' in html
    _db.session.refresh(participant)
    assert participant.agreed_fee_cents == 50_000


# --- budget -------------------------------------------------------------------------------

def test_budget_shows_committed_and_proposed(member_client, campaign, text_of, url):
    factories.make_participant(campaign=campaign, agreed_fee_cents=100_000,
                               proposed_fee_cents=120_000)
    factories.make_participant(campaign=campaign, proposed_fee_cents=50_000)
    factories.make_participant(campaign=campaign, stage="declined", agreed_fee_cents=80_000)
    page = text_of(member_client.get(url(campaign)))
    assert "Committed (agreed fees) €1,000.00" in page
    assert "Proposed, not agreed yet €500.00" in page
    assert "Remaining €2,000.00" in page
    assert "Over budget" not in page


def test_over_budget_is_warned_on_the_page(member_client, campaign, text_of, url):
    factories.make_participant(campaign=campaign, agreed_fee_cents=250_000)
    factories.make_participant(campaign=campaign, agreed_fee_cents=100_000)
    page = text_of(member_client.get(url(campaign)))
    assert "Over budget: the agreed fees exceed the campaign budget by €500.00." in page


def test_agreeing_a_fee_over_budget_flashes_a_warning(member_client, campaign, text_of, url):
    factories.make_participant(campaign=campaign, agreed_fee_cents=250_000)
    participant = factories.make_participant(campaign=campaign)
    response = member_client.post(url(campaign, f"/{participant.id}/terms"), data={
        "agreed_fee_cents": "600", "version": participant.version}, follow_redirects=True)
    assert ("The agreed fees now exceed the campaign budget by €100.00."
            in text_of(response))
    under = factories.make_participant(campaign=factories.make_campaign(budget_cents=10**9))
    response = member_client.post(f"/campaigns/{under.campaign_id}/participants/{under.id}/terms",
                                  data={"agreed_fee_cents": "600", "version": under.version},
                                  follow_redirects=True)
    assert "exceed" not in text_of(response)


def test_declining_keeps_the_fee_but_frees_the_budget(member_client, campaign, text_of, url):
    participant = factories.make_participant(campaign=campaign, agreed_fee_cents=400_000)
    assert "Over budget" in text_of(member_client.get(url(campaign)))
    member_client.post(url(campaign, f"/{participant.id}/stage"), data={"stage": "declined"})
    _db.session.refresh(participant)
    assert participant.agreed_fee_cents == 400_000
    page = text_of(member_client.get(url(campaign)))
    assert "Over budget" not in page
    assert "Committed (agreed fees) €0.00" in page
    # and back: the move that commits it again warns
    response = member_client.post(url(campaign, f"/{participant.id}/stage"),
                                  data={"stage": "negotiating"}, follow_redirects=True)
    assert "now exceed the campaign budget by €1,000.00" in text_of(response)


# --- removing -----------------------------------------------------------------------------

def test_remove_participant(member_client, campaign, text_of, url):
    participant = factories.make_participant(campaign=campaign, stage="contacted")
    factories.make_operation(participant=participant)
    participant_id, influencer_id = participant.id, participant.influencer_id
    response = member_client.post(url(campaign, f"/{participant_id}/delete"),
                                  follow_redirects=True)
    assert "removed from the campaign" in text_of(response)
    _db.session.expire_all()
    assert _db.session.get(Participant, participant_id) is None
    assert not _db.session.scalar(select(func.count()).select_from(Operation))
    entry = _db.session.scalar(select(Interaction).where(
        Interaction.influencer_id == influencer_id))
    assert entry.summary == "contacted →"
    timeline = text_of(member_client.get(f"/influencers/{influencer_id}"))
    assert "Removed from the campaign Lancement été (was Contacted)." in timeline


def test_remove_refused_with_published_operations(member_client, campaign, text_of, url):
    participant = factories.make_participant(campaign=campaign, stage="live")
    factories.make_operation(participant=participant, status="published")
    response = member_client.post(url(campaign, f"/{participant.id}/delete"),
                                  follow_redirects=True)
    assert "has published operations" in text_of(response)
    assert _db.session.get(Participant, participant.id) is not None


# --- roles --------------------------------------------------------------------------------

WRITES = ["/add", "/add-matching", "/{p}/stage", "/{p}/terms", "/{p}/delete"]


@pytest.mark.parametrize("path", WRITES)
def test_viewer_gets_403_on_every_write(viewer_client, campaign, path, url):
    participant = factories.make_participant(campaign=campaign, agreed_fee_cents=100)
    response = viewer_client.post(url(campaign, path.format(p=participant.id)), data={
        "ids": [str(factories.make_influencer().id)], "address": "?country=FR",
        "stage": "contacted", "agreed_fee_cents": "5", "version": participant.version})
    assert response.status_code == 403
    _db.session.refresh(participant)
    assert (participant.stage, participant.agreed_fee_cents) == ("shortlisted", 100)
    assert _db.session.scalar(select(func.count()).select_from(Participant)) == 1


def test_viewer_reads_without_any_control(viewer_client, campaign, url):
    factories.make_participant(campaign=campaign)
    for view in ("board", "table"):
        html = viewer_client.get(url(campaign, f"?view={view}")).get_data(as_text=True)
        assert 'method="post"' not in html.split("</header>")[1]
        assert "Add influencers" not in html


def test_anonymous_is_sent_to_login(client, campaign, url):
    response = client.get(url(campaign))
    assert response.status_code == 302 and "/login" in response.headers["Location"]


# --- performance --------------------------------------------------------------------------

def _fill(campaign, count: int) -> None:
    for n in range(count):
        influencer = factories.make_influencer(accounts=[
            {"platform": "instagram", "handle": f"p{campaign.id}_{n}", "followers": n * 10}])
        participant = factories.make_participant(campaign=campaign, influencer=influencer,
                                                 stage=STAGES[n % len(STAGES)],
                                                 agreed_fee_cents=n * 100)
        factories.make_operation(participant=participant)


@pytest.mark.slow
@pytest.mark.parametrize("view", ["board", "table"])
def test_query_count_does_not_grow_with_participants(member_client, view, count_page_statements,
                                                    url):
    few, many = factories.make_campaign(), factories.make_campaign()
    _fill(few, 3)
    _fill(many, 30)
    assert (count_page_statements(member_client, url(few, f"?view={view}"))
            == count_page_statements(member_client, url(many, f"?view={view}")))


# --- hostile input ------------------------------------------------------------------------

HOSTILE = st.one_of(
    st.text(max_size=60),
    st.sampled_from(["-5", "1e9", "9" * 30, "NaN", "∞", "1,2,3", "€€", "0x10", "12 k€",
                     "<script>alert(1)</script>", "'; DROP TABLE participant; --", "\x00",
                     "1 000 000 000 000", "١٢٣"]),
)


@pytest.mark.slow
@settings(max_examples=60, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(proposed=HOSTILE, agreed=HOSTILE, notes=st.text(max_size=200), stage=HOSTILE)
def test_hostile_fee_and_stage_input_never_breaks(member_client, campaign, proposed, agreed,
                                                  notes, stage, url):
    participant = _db.session.scalar(select(Participant).where(
        Participant.campaign_id == campaign.id)) or factories.make_participant(campaign=campaign)
    terms = member_client.post(url(campaign, f"/{participant.id}/terms"), data={
        "proposed_fee_cents": proposed, "agreed_fee_cents": agreed, "notes": notes,
        "version": participant.version})
    assert terms.status_code in (302, 400), terms.status_code
    move = member_client.post(url(campaign, f"/{participant.id}/stage"), data={"stage": stage})
    assert move.status_code in (302, 400), move.status_code
    _db.session.expire_all()
    saved = _db.session.get(Participant, participant.id)
    assert saved.stage in STAGES
    for fee in (saved.proposed_fee_cents, saved.agreed_fee_cents):
        assert fee is None or 0 <= fee <= 100_000_000_000
    assert "\x00" not in (saved.notes or "")


@pytest.mark.parametrize("query", [
    {"view": "kanban", "sort": "-password"}, {"view": "table", "sort": "--notes"},
    {"q": "x" * 500}, {"q": "*?[", "page": "-4"}, {"q": "%_\\", "platform": "myspace"},
    {"address": "https://[::1"}, {"address": "?" + "&".join(["tag=a"] * 300)},
    {"address": "/influencers/?owner=99999999999999999999"},
])
def test_odd_query_strings_still_show_the_page(member_client, campaign, query, url):
    factories.make_participant(campaign=campaign)
    assert member_client.get(url(campaign), query_string=query).status_code == 200
