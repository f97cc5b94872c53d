"""My follow-ups, done or snoozed from the dashboard: plain forms (post, redirect, get back
to the dashboard) and htmx (the list comes back in place), who may change which, and the
bad ids and dates that get a clear message, never a 500."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from app.extensions import db as _db
from app.models import Interaction
from app.models.base import utcnow
from tests import factories

HTMX = {"HX-Request": "true"}


def _follow_up(user, on: date, summary: str = "Relancer pour le salon", **kw) -> Interaction:
    influencer = kw.pop("influencer", None) or factories.make_influencer(
        display_name="Inès Moreau")
    interaction = Interaction(influencer_id=influencer.id, user_id=user.id, kind="call",
                              summary=summary, follow_up_on=on, **kw)
    _db.session.add(interaction)
    _db.session.commit()
    return interaction


def _reload(interaction: Interaction) -> Interaction:
    _db.session.expire_all()
    return _db.session.get(Interaction, interaction.id)


def _text(response) -> str:
    return response.get_data(as_text=True)


def _section(page: str) -> str:
    return page.split('id="follow-ups"')[1].split("</section>")[0]


def test_each_follow_up_has_done_and_snooze(member_client):
    item = _follow_up(member_client.user, date.today())
    page = _section(_text(member_client.get("/")))
    assert f'action="/follow-ups/{item.id}/done"' in page
    assert f'hx-post="/follow-ups/{item.id}/snooze"' in page
    assert 'name="days" value="1"' in page and 'name="days" value="7"' in page
    assert f'<input type="date" id="snooze-{item.id}" name="until"' in page


def test_done_without_javascript_goes_back_to_the_dashboard(member_client):
    item = _follow_up(member_client.user, date.today())
    response = member_client.post(f"/follow-ups/{item.id}/done")
    assert response.status_code == 302
    assert response.headers["Location"].endswith("/dashboard#follow-ups")
    assert _reload(item).follow_up_done is True
    page = _text(member_client.get("/dashboard"))
    assert "Follow-up marked as done." in page
    assert "Relancer pour le salon" not in _section(page)


def test_done_with_htmx_returns_the_list_in_place(member_client):
    done = _follow_up(member_client.user, date.today(), "Appeler Inès")
    kept = _follow_up(member_client.user, date.today() + timedelta(days=3), "Envoyer le brief")
    response = member_client.post(f"/follow-ups/{done.id}/done", headers=HTMX)
    assert response.status_code == 200
    fragment = _text(response)
    assert "<html" not in fragment
    assert 'id="follow-ups"' in fragment and "Follow-up marked as done." in fragment
    assert "Envoyer le brief" in fragment and "Appeler Inès" not in fragment
    assert _reload(done).follow_up_done is True and _reload(kept).follow_up_done is False


@pytest.mark.parametrize(("late_by", "days", "expected_from_today"), [
    (3, "1", 1),     # late: a day from today, not from the day it was due
    (0, "7", 7),
    (-4, "1", 5),    # not yet due: a day after the day it is due
    (-4, "7", 11),
])
def test_snooze_by_days(member_client, late_by, days, expected_from_today):
    today = date.today()
    item = _follow_up(member_client.user, today - timedelta(days=late_by),
                      occurred_at=utcnow() - timedelta(days=10))
    response = member_client.post(f"/follow-ups/{item.id}/snooze", data={"days": days})
    assert response.status_code == 302
    assert _reload(item).follow_up_on == today + timedelta(days=expected_from_today)


def test_snooze_until_a_day_with_htmx(member_client):
    item = _follow_up(member_client.user, date.today())
    until = date.today() + timedelta(days=20)
    response = member_client.post(f"/follow-ups/{item.id}/snooze", headers=HTMX,
                                  data={"until": until.isoformat()})
    assert response.status_code == 200
    fragment = _text(response)
    assert "Follow-up moved to" in fragment and 'role="status"' in fragment
    assert f'datetime="{until.isoformat()}"' in fragment
    assert _reload(item).follow_up_on == until and not _reload(item).follow_up_done


@pytest.mark.parametrize(("data", "message"), [
    ({"until": "2026-13-45"}, "Type a date, e.g."),
    ({"until": "demain"}, "Type a date, e.g."),
    ({}, "Choose the day to snooze this follow-up to."),
    ({"until": ""}, "Choose the day to snooze this follow-up to."),
    ({"days": "3"}, "Not a valid choice"),
    ({"days": "-1"}, "Not a valid choice"),
    ({"until": "2001-01-01"}, "snoozed to today or a later day only"),
    ({"until": "9999-12-31"}, "This date is too far in the future."),
])
def test_bad_snoozes_are_refused_clearly(member_client, data, message):
    today = date.today()
    item = _follow_up(member_client.user, today)
    response = member_client.post(f"/follow-ups/{item.id}/snooze", data=data)
    assert response.status_code == 302
    assert message in _text(member_client.get("/dashboard"))
    assert _reload(item).follow_up_on == today
    # With htmx, the list comes back with the message, nothing changed.
    response = member_client.post(f"/follow-ups/{item.id}/snooze", data=data, headers=HTMX)
    assert response.status_code == 200
    fragment = _text(response)
    assert message in fragment and 'role="alert"' in fragment
    assert _reload(item).follow_up_on == today


def test_a_snooze_before_the_interaction_is_refused(member_client):
    today = date.today()
    later = datetime.combine(today + timedelta(days=30), datetime.min.time(), UTC)
    item = _follow_up(member_client.user, today + timedelta(days=30), occurred_at=later)
    response = member_client.post(f"/follow-ups/{item.id}/snooze",
                                  data={"until": (today + timedelta(days=2)).isoformat()},
                                  headers=HTMX)
    assert "cannot be before the interaction" in _text(response)
    assert _reload(item).follow_up_on == today + timedelta(days=30)


def test_a_done_follow_up_is_not_snoozed(member_client):
    item = _follow_up(member_client.user, date.today(), follow_up_done=True)
    response = member_client.post(f"/follow-ups/{item.id}/snooze", data={"days": "1"},
                                  headers=HTMX)
    assert "This follow-up is already done." in _text(response)
    assert _reload(item).follow_up_on == date.today()


def test_someone_elses_follow_up(member_client, manager_client):
    other = factories.make_user("member")
    item = _follow_up(other, date.today())
    assert member_client.post(f"/follow-ups/{item.id}/done").status_code == 403
    assert member_client.post(f"/follow-ups/{item.id}/snooze",
                              data={"days": "1"}).status_code == 403
    assert _reload(item).follow_up_done is False
    # A manager may close a colleague's follow-up, as on the profile's timeline.
    assert manager_client.post(f"/follow-ups/{item.id}/done").status_code == 302
    assert _reload(item).follow_up_done is True


def test_viewers_and_strangers_cannot_change_follow_ups(viewer_client, client):
    item = _follow_up(viewer_client.user, date.today())
    assert viewer_client.post(f"/follow-ups/{item.id}/done").status_code == 403
    assert client.post(f"/follow-ups/{item.id}/done").status_code == 302  # to the login
    assert _reload(item).follow_up_done is False


def test_bad_ids(member_client):
    no_follow_up = _follow_up(member_client.user, None)
    trashed = factories.make_influencer(display_name="Corbeille", deleted_at=utcnow())
    in_trash = _follow_up(member_client.user, date.today(), influencer=trashed)
    for url in (f"/follow-ups/{no_follow_up.id}/done", f"/follow-ups/{in_trash.id}/done",
                "/follow-ups/999999/done", "/follow-ups/999999/snooze"):
        assert member_client.post(url, data={"days": "1"}).status_code == 404, url
    assert member_client.post("/follow-ups/abc/done").status_code == 404
    assert member_client.get(f"/follow-ups/{in_trash.id}/done").status_code == 405


def test_csrf_is_checked(member_client, app, monkeypatch):
    item = _follow_up(member_client.user, date.today())
    monkeypatch.setitem(app.config, "WTF_CSRF_ENABLED", True)
    assert member_client.post(f"/follow-ups/{item.id}/done").status_code == 400
    assert member_client.post(f"/follow-ups/{item.id}/snooze",
                              data={"days": "1"}).status_code == 400
    assert _reload(item).follow_up_done is False and _reload(item).follow_up_on == date.today()


def test_french(client_as):
    me = factories.make_user("member", locale="fr")
    client = client_as(me)
    item = _follow_up(me, date.today())
    page = _section(_text(client.get("/")))
    assert "Reporter d'un jour" in page and "Fait" in page
    fragment = _text(client.post(f"/follow-ups/{item.id}/snooze", data={"days": "7"},
                                headers=HTMX))
    assert "Relance reportée au" in fragment
