"""The audit trail is written by flush listeners: every change, with old and new values."""

from sqlalchemy import select

from app.core.audit import acting_as
from app.models import AuditEvent, Tag
from tests import factories


def _events(db, entity_type, entity_id):
    return list(db.session.scalars(
        select(AuditEvent).where(AuditEvent.entity_type == entity_type,
                                 AuditEvent.entity_id == entity_id).order_by(AuditEvent.id)
    ))


def test_create_update_delete_are_recorded_with_values(db):
    user = factories.make_user("member")
    with acting_as(user.id):
        influencer = factories.make_influencer(display_name="Léa Dubois", country="FR")
        influencer.country = "BE"
        db.session.commit()
    events = _events(db, "influencer", influencer.id)
    assert [e.action for e in events] == ["create", "update"]
    assert events[0].changes["display_name"] == [None, "Léa Dubois"]
    assert events[1].changes == {"country": ["FR", "BE"]}
    assert events[1].user_id == user.id
    assert all(e.influencer_id == influencer.id for e in events)


def test_soft_delete_and_restore_are_named(db):
    influencer = factories.make_influencer()
    from app.models.base import utcnow

    influencer.deleted_at = utcnow()
    db.session.commit()
    influencer.deleted_at = None
    db.session.commit()
    actions = [e.action for e in _events(db, "influencer", influencer.id)]
    assert actions == ["create", "delete", "restore"]


def test_tag_changes_are_recorded(db):
    influencer = factories.make_influencer()
    influencer.tags.append(Tag(name="beauté"))
    db.session.commit()
    last = _events(db, "influencer", influencer.id)[-1]
    assert last.changes["tags"] == [None, "beauté"]


def test_secrets_never_reach_the_log(db):
    user = factories.make_user("member")
    user.rotate_session_token()
    db.session.commit()
    for event in _events(db, "user", user.id):
        assert "password_hash" not in event.changes
        assert "session_token" not in event.changes


def test_account_changes_roll_up_to_the_influencer(db):
    influencer = factories.make_influencer(
        accounts=[{"platform": "instagram", "handle": "lea.dubois", "followers": 1200}]
    )
    account = influencer.accounts[0]
    account.followers = 1500
    db.session.commit()
    events = _events(db, "social_account", account.id)
    assert events[-1].changes == {"followers": [1200, 1500]}
    assert events[-1].influencer_id == influencer.id
