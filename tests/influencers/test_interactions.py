"""The timeline's follow-ups: a follow-up date before its interaction is refused, by the
form (beside the field, what was typed kept) and by the service, in both languages."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from flask_babel import force_locale
from sqlalchemy import func, select

from app.core.errors import ServiceError
from app.extensions import db as _db
from app.influencers import interactions
from app.models import Interaction
from tests import factories


def _count() -> int:
    return _db.session.scalar(select(func.count()).select_from(Interaction))


def test_the_service_refuses_a_follow_up_before_the_interaction(app, db):
    influencer = factories.make_influencer()
    called = datetime(2026, 3, 12, 12, 0, tzinfo=UTC)
    with app.test_request_context(), force_locale("en"):
        with pytest.raises(ServiceError) as refused:
            interactions.add_interaction(influencer, "call", "First call", called,
                                         follow_up_on=date(2026, 3, 11))
        assert str(refused.value) == ("The follow-up date cannot be before the interaction "
                                      "(March 12, 2026).")
        with force_locale("fr"), pytest.raises(ServiceError) as refused:
            interactions.add_interaction(influencer, "call", "First call", called,
                                         follow_up_on=date(2026, 3, 11))
        assert str(refused.value) == ("La relance ne peut pas être prévue avant l'interaction "
                                      "(12 mars 2026).")
        assert _count() == 0
        same_day = interactions.add_interaction(influencer, "call", "First call", called,
                                                follow_up_on=date(2026, 3, 12))
    assert same_day.follow_up_on == date(2026, 3, 12) and _count() == 1


def test_the_form_refuses_it_beside_the_field(member_client):
    influencer = factories.make_influencer()
    response = member_client.post(f"/influencers/{influencer.id}/interactions", data={
        "kind": "email", "occurred_on": "2026-11-20", "summary": "Sent the brief",
        "follow_up_on": "2026-11-19"})
    html = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "The follow-up date cannot be before the interaction (November 20, 2026)." in html
    assert "Sent the brief" in html  # what was typed is kept
    assert _count() == 0


def test_a_follow_up_today_for_today_is_kept(member_client):
    influencer = factories.make_influencer()
    today = date.today()
    response = member_client.post(f"/influencers/{influencer.id}/interactions", data={
        "kind": "call", "occurred_on": today.isoformat(), "summary": "Called",
        "follow_up_on": today.isoformat()})
    assert response.status_code == 302
    assert _db.session.scalar(select(Interaction.follow_up_on)) == today
    response = member_client.post(f"/influencers/{influencer.id}/interactions", data={
        "kind": "call", "occurred_on": today.isoformat(), "summary": "Called again",
        "follow_up_on": (today - timedelta(days=1)).isoformat()})
    assert response.status_code == 400 and _count() == 1
