"""The candidates and "propose ambassadors" pages: roles, empty states, filters, adding the
chosen people, hostile input, both languages."""

from __future__ import annotations

import re

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select

from app.extensions import db
from app.models import Participant
from tests import factories
from tests.factories import make_person, make_platform_rates, make_relationship

SHARES = {"country": {"FR": 0.5, "US": 0.5}}


@pytest.fixture()
def world(db, scored):
    make_platform_rates(instagram=1_000)  # estimated fee in cents = followers
    big = make_person("Big Star", ("instagram", 20_000, None, SHARES))
    mid = make_person("Mid Level", ("instagram", 6_000, None, {"country": {"FR": 1.0}}))
    small = make_person("Small Fry", ("instagram", 2_000, None, SHARES))
    odd = make_person("Odd Blog", ("blog", 9_000, None, None))  # no CPM for blogs: fee unknown
    make_relationship(small, big, "reposts")
    scored({big: (90.0, 1), mid: (70.0, 2), small: (40.0, 1), odd: (30.0, 3)},
           labels={1: "mode"})
    campaign = factories.make_campaign(target_countries="FR", budget_cents=25_000)
    return {"big": big, "mid": mid, "small": small, "odd": odd, "campaign": campaign}


def url(campaign, tail=""):
    return f"/campaigns/{campaign.id}{tail}"


def text(response) -> str:
    return response.get_data(as_text=True)


def participants(campaign) -> set[int]:
    db.session.expire_all()
    return set(db.session.scalars(select(Participant.influencer_id).where(
        Participant.campaign_id == campaign.id)))


def names_in_order(page: str) -> list[str]:
    return re.findall(r'<a href="/influencers/\d+">([^<]+)</a>', page)


# --- candidates ---------------------------------------------------------------------------

def test_candidates_ranked_by_score_times_fit(viewer_client, world):
    page = text(viewer_client.get(url(world["campaign"], "/candidates")))
    # Mid 70 × 100 % = 70 > Big 90 × 50 % = 45 > Small 40 × 50 % = 20 > Odd 30 × 50 % = 15:
    # Odd Blog has no audience data, estimated at the median of the others (50 % French).
    assert names_in_order(page) == ["Mid Level", "Big Star", "Small Fry", "Odd Blog"]
    odd = page[page.index(f'id="candidate-{world["odd"].id}"'):]
    odd = odd[:odd.index("</tr>")]
    assert "<summary>50% " in odd and 'class="fit-estimated"' in odd
    assert "Countries: 50%, estimated: not measured, typical of the other candidates" in odd
    assert page.count('class="fit-estimated"') == 1  # the measured ones are not estimated
    assert "the median of the candidates whose data gives it" in page
    assert "Community 2" in page and "mode" in page
    assert 'name="ids"' not in page and "Add the selected" not in page  # viewers read only


def test_max_fee_filter_hides_unknown_and_dear(member_client, world):
    page = text(member_client.get(url(world["campaign"], "/candidates?max_fee=100")))
    assert names_in_order(page) == ["Mid Level", "Small Fry"]  # 60 € and 20 €; Odd unknown
    assert "People whose fee is unknown are hidden" in page
    bad = member_client.get(url(world["campaign"], "/candidates?max_fee=lots&community=999"))
    assert bad.status_code == 200
    assert "Type an amount" in text(bad) and "Not a valid choice" in text(bad)
    assert len(names_in_order(text(bad))) == 4  # invalid filters are not applied


def test_platform_and_community_filters(member_client, world):
    page = text(member_client.get(url(world["campaign"], "/candidates?platform=blog")))
    assert names_in_order(page) == ["Odd Blog"]
    page = text(member_client.get(url(world["campaign"], "/candidates?community=1")))
    assert names_in_order(page) == ["Big Star", "Small Fry"]


def test_member_adds_the_selected_and_keeps_the_filters(member_client, world):
    campaign = world["campaign"]
    response = member_client.post(url(campaign, "/candidates/add"), data={
        "ids": [world["mid"].id, world["small"].id], "max_fee": "100", "page": "1"})
    assert response.status_code == 302
    assert response.headers["Location"].endswith(
        f"/campaigns/{campaign.id}/candidates?max_fee=100&page=1")
    assert participants(campaign) == {world["mid"].id, world["small"].id}
    stages = set(db.session.scalars(select(Participant.stage).where(
        Participant.campaign_id == campaign.id)))
    assert stages == {"shortlisted"}
    page = text(member_client.get(response.headers["Location"]))
    assert "2 influencers added to the campaign." in page
    assert page.count("In the campaign") == 2  # the marker replaces their checkbox


def proposed_fees(campaign) -> dict[int, int | None]:
    db.session.expire_all()
    return dict(db.session.execute(select(Participant.influencer_id,
                                          Participant.proposed_fee_cents)
                                   .where(Participant.campaign_id == campaign.id)).all())


def test_estimates_are_not_proposed_fees_unless_confirmed(member_client, world):
    """Adding people leaves their proposed fee empty: the page's estimate is a guide."""
    campaign = world["campaign"]
    page = text(member_client.get(url(campaign, "/candidates")))
    assert 'name="use_estimates" value="1">' in page  # offered, not ticked
    assert "Use the estimated fee (≈) as their proposed fee" in page
    assert f'name="fee_{world["mid"].id}" value="6000"' in page  # the amount shown
    assert "≈ €60.00" in page
    member_client.post(url(campaign, "/candidates/add"), data={
        "ids": [world["mid"].id, world["odd"].id], f"fee_{world['mid'].id}": "6000",
        "proposed_fee_cents": "1"})
    assert proposed_fees(campaign) == {world["mid"].id: None, world["odd"].id: None}
    page = text(member_client.get(url(campaign, "/candidates")))
    assert 'class="fee-source fee-proposed"' not in page


def test_confirmed_estimates_become_proposed_fees(member_client, world):
    """Ticked, the amount the page showed is kept (computed again, never taken from the
    form); without an estimate (a blog, no CPM) it stays empty."""
    campaign = world["campaign"]
    member_client.post(url(campaign, "/candidates/add"), data={
        "ids": [world["mid"].id, world["odd"].id], "use_estimates": "1",
        f"fee_{world['mid'].id}": "6000", f"fee_{world['odd'].id}": "1"})
    assert proposed_fees(campaign) == {world["mid"].id: 6_000, world["odd"].id: None}
    page = text(member_client.get(url(campaign, "/candidates")))
    assert page.count('class="fee-source fee-proposed"') == 1  # Mid's fee, now proposed


def test_an_estimate_changed_since_shown_is_not_kept(member_client, world):
    campaign = world["campaign"]
    response = member_client.post(url(campaign, "/candidates/add"), data={
        "ids": [world["mid"].id, world["small"].id], "use_estimates": "1",
        f"fee_{world['mid'].id}": "5000", f"fee_{world['small'].id}": "2000"},
        follow_redirects=True)
    assert proposed_fees(campaign) == {world["mid"].id: None, world["small"].id: 2_000}
    assert "The estimate of 1 person changed since the page was shown" in text(response)


def test_viewer_cannot_add(viewer_client, world):
    response = viewer_client.post(url(world["campaign"], "/candidates/add"),
                                  data={"ids": [world["mid"].id]})
    assert response.status_code == 403
    assert participants(world["campaign"]) == set()


def test_adding_needs_the_csrf_token(member_client, world, app, monkeypatch):
    monkeypatch.setitem(app.config, "WTF_CSRF_ENABLED", True)
    response = member_client.post(url(world["campaign"], "/candidates/add"),
                                  data={"ids": [world["mid"].id]})
    assert response.status_code == 400
    assert participants(world["campaign"]) == set()


def test_empty_states(member_client, db, scored):
    campaign = factories.make_campaign()
    page = text(member_client.get(url(campaign, "/candidates")))
    assert "No scores yet" in page and 'href="/network/"' in page
    page = text(member_client.get(url(campaign, "/ambassadors")))
    assert "No scores yet" in page
    make_person("Lonely", ("instagram", 100, None, None))
    scored({})
    page = text(member_client.get(url(campaign, "/candidates")))
    assert "has no target audience" in page and "No active influencer has a score yet." in page


@pytest.mark.slow
def test_paging(member_client, db, scored):
    people = {make_person(f"P{i:02d}", ("instagram", 100 + i, None, None)): (50.0 + i, 1)
              for i in range(55)}
    scored(people)
    campaign = factories.make_campaign()
    first = text(member_client.get(url(campaign, "/candidates")))
    second = text(member_client.get(url(campaign, "/candidates?page=2")))
    assert len(names_in_order(first)) == 50 and names_in_order(first)[0] == "P54"
    assert names_in_order(second) == ["P04", "P03", "P02", "P01", "P00"]
    assert "Page 2 of 2" in second


# --- ambassadors --------------------------------------------------------------------------

def test_ambassador_form_defaults_to_the_remaining_budget(member_client, world):
    factories.make_participant(world["campaign"], world["odd"], agreed_fee_cents=5_000)
    page = text(member_client.get(url(world["campaign"], "/ambassadors")))
    assert 'value="200.00"' in page  # 250 € budget − 50 € agreed
    assert "ambassador-chart-data" not in page  # nothing proposed yet


def test_proposal_within_budget_then_add_all(member_client, world):
    campaign = world["campaign"]
    response = member_client.get(url(campaign, "/ambassadors?budget=250&max_count=5"))
    assert response.status_code == 200
    page = text(response)
    picked = names_in_order(page)
    # Big (200 €) + Small (20 €) fit in 250 €; Mid (60 €) does not fit beside Big;
    # Odd Blog has no estimated fee: never proposed.
    assert picked == ["Big Star", "Small Fry"]
    assert "ambassador-chart-data" in page and "js/ambassadors.js" in page
    assert "€220.00" in page  # cumulative cost, within the 250 € budget
    assert 'name="use_estimates" value="1">' in page  # offered, not ticked
    assert f'name="fee_{world["big"].id}" value="20000"' in page
    ids = re.findall(r'name="all_ids" value="(\d+)"', page)
    added = member_client.post(url(campaign, "/candidates/add"),
                               data={"all_ids": ids, "every": "1", "back": "participants"})
    assert added.headers["Location"].endswith(f"/campaigns/{campaign.id}/participants")
    assert participants(campaign) == {world["big"].id, world["small"].id}
    assert set(proposed_fees(campaign).values()) == {None}  # estimates not confirmed


def test_add_only_the_checked_picks(member_client, world):
    campaign = world["campaign"]
    member_client.post(url(campaign, "/candidates/add"), data={
        "all_ids": [world["big"].id, world["small"].id], "ids": [world["small"].id],
        "back": "participants"})
    assert participants(campaign) == {world["small"].id}


def test_viewer_sees_a_proposal_without_add_buttons(viewer_client, world):
    page = text(viewer_client.get(url(world["campaign"], "/ambassadors?budget=250&max_count=5")))
    assert names_in_order(page) == ["Big Star", "Small Fry"]
    assert "as shortlisted" not in page and 'name="ids"' not in page


def test_nobody_fits(member_client, world):
    page = text(member_client.get(url(world["campaign"], "/ambassadors?budget=1&max_count=3")))
    assert "Nobody to propose" in page and "fits within" in page


@pytest.mark.parametrize(("query", "message"), [
    ("budget=&max_count=3", "Give a budget."),
    ("budget=abc&max_count=3", "Type an amount"),
    ("budget=100&max_count=0", "between 1 and 50"),
    ("budget=100&max_count=51", "between 1 and 50"),
    ("budget=100&max_count=x", "Type a whole number"),
])
def test_invalid_proposal_forms_say_why(member_client, world, query, message):
    response = member_client.get(url(world["campaign"], f"/ambassadors?{query}"))
    assert response.status_code == 400
    assert message in text(response)


HOSTILE = st.one_of(
    st.text(max_size=40),
    st.sampled_from(["-5", "1e9", "9" * 30, "NaN", "∞", "0x10", "12 k€", "<script>", "\x00",
                     "' OR 1=1 --", "1 000 000 000 000", "١٢٣", "99999999999999999999"]))


@pytest.mark.slow
@settings(max_examples=40, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(fee=HOSTILE, platform=HOSTILE, community=HOSTILE, page=HOSTILE, budget=HOSTILE,
       count=HOSTILE)
def test_hostile_queries_never_break(member_client, world, fee, platform, community, page,
                                     budget, count):
    def nul(*values):  # the app refuses NUL everywhere with a 400
        return any("\x00" in value for value in values)

    response = member_client.get(url(world["campaign"], "/candidates"), query_string={
        "max_fee": fee, "platform": platform, "community": community, "page": page})
    assert response.status_code == (400 if nul(fee, platform, community, page) else 200)
    response = member_client.get(url(world["campaign"], "/ambassadors"),
                                 query_string={"budget": budget, "max_count": count})
    assert response.status_code in (200, 400)
    response = member_client.post(url(world["campaign"], "/candidates/add"), data={
        "ids": [fee, page, str(world["mid"].id)], "all_ids": [count], "every": budget,
        "back": platform, "max_fee": fee, "community": community, "use_estimates": count,
        f"fee_{world['mid'].id}": page})
    assert response.status_code == (
        400 if nul(fee, platform, community, page, budget, count) else 302)
    db.session.rollback()


@pytest.mark.parametrize("tail", ["/candidates", "/ambassadors?budget=250&max_count=5"])
def test_pages_in_french(world, tail, client_as):
    user = factories.make_user("member", locale="fr")
    client = client_as(user)
    response = client.get(url(world["campaign"], tail))
    assert response.status_code == 200
    page = text(response)
    assert '<html lang="fr">' in page
    assert "Participants" in page and "Big Star" in page
    if tail == "/candidates":
        assert "50\u00a0%" in page  # Big Star's fit, French style
    else:
        assert "220,00\u00a0€" in page
