"""The profile page: identity, accounts and audience charts, timeline, history."""

import json
from datetime import date, timedelta

import pytest
from sqlalchemy import select

from app.extensions import db as _db
from app.models import Interaction
from tests import factories


def _with_audience():
    influencer = factories.make_influencer(
        display_name="Léa <Cuisine>", email="lea@exemple.fr", city="Lyon", country="FR",
        accounts=[{"platform": "instagram", "handle": "lea.cuisine", "followers": 12400,
                   "engagement_rate": 0.032,
                   "profile_url": "https://www.instagram.com/lea.cuisine/"}],
    )
    account = influencer.accounts[0]
    factories.add_snapshot(account, {"gender": {"female": 0.6, "male": 0.4}},
                           taken_on=date(2024, 1, 1), followers=10000)
    factories.add_snapshot(account, {
        "gender": {"female": 0.62, "male": 0.36, "other": 0.02},
        "age": {"25-34": 0.45, "18-24": 0.3},
        "country": {"FR": 0.7, "BE": 0.1},
        "interest": {"cuisine": 0.5},
    }, taken_on=date(2024, 6, 1), followers=12400)
    return influencer


def _canvases(html: str) -> dict[str, tuple[list, list]]:
    import re

    found = {}
    for match in re.finditer(r'<canvas class="chart" data-chart="(\w+)"[^>]*?data-label="([^"]*)"'
                             r"\s+data-labels='([^']*)' data-values='([^']*)'", html):
        found[match.group(2)] = (match.group(1), json.loads(match.group(3)),
                                 json.loads(match.group(4)))
    return found


def test_profile_shows_identity_accounts_and_charts(viewer_client):
    influencer = _with_audience()
    response = viewer_client.get(f"/influencers/{influencer.id}")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert "Léa &lt;Cuisine&gt;" in html and "<Cuisine>" not in html
    assert "lea.cuisine" in html and "12.4" in html  # |compact in English
    canvases = _canvases(html)
    assert canvases["Gender"] == ("doughnut", ["Women", "Men", "Other"], [0.62, 0.36, 0.02])
    assert canvases["Age bands"] == ("bar", ["18-24", "25-34"], [0.3, 0.45])
    assert canvases["Countries"][1] == ["France", "Belgium"]
    assert canvases["Interests"][1] == ["cuisine"]
    kind, labels, values = canvases["Followers"]
    assert kind == "line" and values == [10000, 12400] and len(labels) == 2
    # Each chart's text alternative carries its figures, for a screen reader.
    assert 'aria-label="Follower growth: ' in html and "10,000, " in html and " 12,400" in html
    assert 'aria-label="Gender: Women 62' in html
    assert "chart.umd.min.js" in html
    # A viewer sees no write buttons.
    assert "Move to the trash" not in html and "Add to the timeline" not in html


def test_member_buttons(member_client):
    influencer = _with_audience()
    html = member_client.get(f"/influencers/{influencer.id}").get_data(as_text=True)
    assert "Move to the trash" in html and "GDPR export" in html
    assert "Erase this person" not in html


def test_manager_can_erase(manager_client):
    influencer = _with_audience()
    html = manager_client.get(f"/influencers/{influencer.id}").get_data(as_text=True)
    assert "Erase this person" in html and "data-confirm" in html


@pytest.mark.parametrize("path", ["/influencers/999999", "/influencers/999999/edit"])
def test_unknown_influencer_is_404(member_client, path):
    assert member_client.get(path).status_code == 404


def test_deleted_influencer_is_404(member_client):
    influencer = factories.make_influencer()
    member_client.post(f"/influencers/{influencer.id}/delete")
    assert member_client.get(f"/influencers/{influencer.id}").status_code == 404


def test_add_interaction_and_follow_up(member_client):
    influencer = _with_audience()
    follow_up = date.today() + timedelta(days=3)
    response = member_client.post(f"/influencers/{influencer.id}/interactions", data={
        "kind": "email", "occurred_on": date.today().isoformat(),
        "summary": "Sent the brief", "follow_up_on": follow_up.isoformat(),
    })
    assert response.status_code == 302
    interaction = _db.session.scalar(select(Interaction))
    assert interaction.user_id == member_client.user.id
    assert interaction.follow_up_on == follow_up
    html = member_client.get(f"/influencers/{influencer.id}").get_data(as_text=True)
    assert "Sent the brief" in html and "Follow up on" in html
    response = member_client.post(
        f"/influencers/{influencer.id}/interactions/{interaction.id}/done")
    assert response.status_code == 302
    _db.session.expire_all()
    assert interaction.follow_up_done is True


def test_timeline_newest_first(member_client):
    influencer = factories.make_influencer()
    for day, summary in ((date(2024, 1, 1), "older one"), (date(2024, 3, 1), "newer one")):
        member_client.post(f"/influencers/{influencer.id}/interactions", data={
            "kind": "call", "occurred_on": day.isoformat(), "summary": summary})
    html = member_client.get(f"/influencers/{influencer.id}").get_data(as_text=True)
    assert html.index("newer one") < html.index("older one")


def test_invalid_interaction_is_a_form_error(member_client):
    influencer = factories.make_influencer()
    response = member_client.post(f"/influencers/{influencer.id}/interactions", data={
        "kind": "telepathy", "occurred_on": "yesterday", "summary": ""})
    assert response.status_code == 400
    assert _db.session.scalar(select(Interaction)) is None


def test_do_not_contact_offers_notes_only(member_client):
    influencer = factories.make_influencer(status="do_not_contact")
    html = member_client.get(f"/influencers/{influencer.id}").get_data(as_text=True)
    assert "warning-box" in html
    assert 'value="email"' not in html and 'value="note"' in html
    response = member_client.post(f"/influencers/{influencer.id}/interactions", data={
        "kind": "email", "occurred_on": date.today().isoformat(), "summary": "Hello"})
    assert response.status_code == 400
    assert _db.session.scalar(select(Interaction)) is None


def test_history_shows_changes(member_client):
    influencer = factories.make_influencer(city="Lyon")
    member_client.post(f"/influencers/{influencer.id}/accounts", data={
        "platform": "", "handle": "https://www.twitch.tv/Zerator", "followers": "1,2 M"})
    html = member_client.get(f"/influencers/{influencer.id}").get_data(as_text=True)
    history = html[html.index('id="history"'):]
    assert "Social account" in history and "zerator" in history
    assert "1,200,000" in history and "1200000" not in history  # formatted


def test_french_user_sees_french_figures_and_can_type_them(client, auth):
    user = factories.make_user("member", locale="fr")
    auth.login(user)
    influencer = _with_audience()
    html = client.get(f"/influencers/{influencer.id}").get_data(as_text=True)
    assert "12,4\u202fk" in html and "3,2\u00a0%" in html
    assert "France" in html
    form = client.get(f"/influencers/{influencer.id}/accounts/{influencer.accounts[0].id}/edit")
    assert 'value="3,2"' in form.get_data(as_text=True)
    assert client.get("/influencers/new").status_code == 200
