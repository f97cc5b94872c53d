"""The influencer service: creation, optimistic locking, snapshots, timeline, erasure."""

from datetime import date

import pytest
from sqlalchemy import select, text, update

from app.core.errors import Conflict, ServiceError
from app.extensions import db as _db
from app.influencers import gdpr, interactions, service
from app.models import (
    AudienceShare,
    AudienceSnapshot,
    AuditEvent,
    Influencer,
    Interaction,
    Relationship,
    SocialAccount,
)
from tests import factories


@pytest.fixture(autouse=True)
def _request(app, db):
    # Messages are translated; Flask-Babel's locale selector reads the request.
    with app.test_request_context():
        yield


SHARES = {"gender": {"female": 0.62, "male": 0.36, "other": 0.02},
          "age": {"18-24": 0.3, "25-34": 0.45}, "country": {"FR": 0.7, "BE": 0.1}}


def _create(user=None, **data):
    data = {"display_name": "Camille Dupont", "email": "camille@exemple.fr", **data}
    return service.create_influencer(
        data, [{"platform": "instagram", "handle": "@Camille.Dupont", "followers": 12400,
                "engagement_rate": 0.032},
               {"platform": None, "handle": "https://www.tiktok.com/@camille_tt",
                "followers": 5000, "engagement_rate": 0.05}],
        ["beauté", "Vegan", "vegan"], user,
    )


def test_create_normalises_and_denormalises(db):
    user = factories.make_user("member")
    influencer = _create(user)
    assert [(a.platform, a.handle) for a in influencer.accounts] == [
        ("instagram", "camille.dupont"), ("tiktok", "camille_tt")]
    assert influencer.followers_total == 17400
    assert influencer.engagement_rate == pytest.approx(0.05)
    assert "camille.dupont" in influencer.search_text
    assert "camille@exemple.fr" in influencer.search_text
    assert sorted(influencer.tag_names) == ["Vegan", "beauté"]
    assert influencer.created_by_id == user.id


def test_duplicate_account_names_the_existing_record(db):
    first = _create()
    with pytest.raises(service.DuplicateAccount) as info:
        service.create_influencer({"display_name": "Other"},
                                  [{"platform": None,
                                    "handle": "instagram.com/camille.dupont"}])
    assert info.value.influencer_id == first.id
    assert "Camille Dupont" in str(info.value)
    assert _db.session.scalar(select(Influencer).where(Influencer.display_name == "Other")) \
        is None


def test_update_and_stale_version_conflict(db):
    influencer = _create()
    version = influencer.version
    service.update_influencer(influencer, {"city": "Lyon"}, version)
    assert influencer.city == "Lyon" and influencer.version == version + 1
    with pytest.raises(Conflict) as info:
        service.update_influencer(influencer, {"city": "Paris"}, version)
    assert info.value.current.city == "Lyon"
    assert info.value.submitted == {"city": "Paris"}


def test_race_is_a_conflict_too(db):
    """Two saves racing: the database's version check (StaleDataError) becomes Conflict."""
    influencer = _create()
    version = influencer.version
    with _db.engine.begin() as conn:
        conn.execute(update(Influencer).where(Influencer.id == influencer.id)
                     .values(version=version + 1, city="Nantes"))
    with pytest.raises(Conflict):
        service.update_influencer(influencer, {"city": "Paris"}, version)
    assert _db.session.get(Influencer, influencer.id).city == "Nantes"


def test_tag_change_is_logged_and_bumps_version(db):
    influencer = _create()
    version = influencer.version
    service.update_influencer(influencer, {}, version, tags=["mode"])
    assert influencer.version == version + 1
    event = service.history(influencer)[0]
    assert event.changes["tags"][1] == "mode"


def test_snapshots_are_never_overwritten(db):
    influencer = _create()
    account = influencer.accounts[0]
    first = service.add_snapshot(account, date(2024, 1, 1), SHARES, followers=10000)
    second = service.add_snapshot(account, date(2024, 6, 1),
                                  {"gender": {"female": 0.7, "male": 0.3}}, followers=12000)
    older = service.add_snapshot(account, date(2023, 6, 1), SHARES, followers=8000)
    snapshots = _db.session.scalars(select(AudienceSnapshot).order_by(AudienceSnapshot.id))
    assert [(s.id, s.is_latest) for s in snapshots] == [
        (first.id, False), (second.id, True), (older.id, False)]
    latest_shares = _db.session.scalars(
        select(AudienceShare).where(AudienceShare.is_latest.is_(True))).all()
    assert {s.snapshot_id for s in latest_shares} == {second.id}
    ranks = {s.key: s.rank for s in first.shares if s.dimension == "country"}
    assert ranks == {"FR": 1, "BE": 2}
    # The back-filled older snapshot does not overwrite today's figures.
    assert account.followers == 12000
    assert influencer.followers_total == 12000 + 5000


@pytest.mark.parametrize("shares", [
    {"gender": {"female": 0.7, "male": 0.5}},
    {"age": {"18-24": -0.1}},
    {"country": {"FR": 1.5}},
    {"mood": {"happy": 0.5}},
    {"gender": {"female": float("nan")}},
])
def test_snapshot_shares_are_checked(db, shares):
    account = _create().accounts[0]
    with pytest.raises(ServiceError):
        service.add_snapshot(account, date(2024, 1, 1), shares)
    assert _db.session.scalar(select(AudienceSnapshot)) is None


def test_account_update_and_removal_refresh_totals(db):
    influencer = _create()
    account = influencer.accounts[1]
    service.update_account(account, {"platform": "tiktok", "handle": "camille_tt",
                                     "followers": 9000, "engagement_rate": 0.01},
                           account.version)
    assert influencer.followers_total == 12400 + 9000
    assert influencer.engagement_rate == pytest.approx(0.032)
    service.remove_account(influencer.accounts[0])
    assert influencer.followers_total == 9000
    assert "camille.dupont" not in influencer.search_text


def test_do_not_contact_blocks_outreach_but_not_notes(db):
    influencer = _create(status="do_not_contact")
    with pytest.raises(ServiceError):
        interactions.add_interaction(influencer, "email", "Hello")
    note = interactions.add_interaction(influencer, "note", "Asked not to be contacted",
                                   follow_up_on=date(2030, 1, 1))
    interactions.mark_follow_up_done(note)
    assert note.follow_up_done is True


def test_trash_and_restore(db):
    influencer = _create()
    service.delete_influencer(influencer)
    assert list(_db.session.scalars(service.trash_statement())) == [influencer]
    service.restore_influencer(influencer)
    assert influencer.deleted_at is None
    actions = [e.action for e in service.history(influencer)]
    assert actions[:2] == ["restore", "delete"]


def _all_text() -> str:
    dump = []
    with _db.engine.connect() as conn:
        for table in _db.metadata.sorted_tables:
            for row in conn.execute(text(f'SELECT * FROM "{table.name}"')):  # noqa: S608
                dump.append(repr(tuple(row)))
    return "\n".join(dump).lower()


def test_erase_leaves_no_personal_value_anywhere(db):
    manager = factories.make_user("manager")
    influencer = _create(legal_name="Camille Marie Dupont", phone="+33 6 12 34 56 78",
                         city="Roubaix", notes="Aime les chats")
    other = factories.make_influencer()
    service.add_snapshot(influencer.accounts[0], date(2024, 1, 1), SHARES)
    interactions.add_interaction(influencer, "email", "Sent the brief to camille@exemple.fr")
    _db.session.add(Relationship(source_id=influencer.id, target_id=other.id, kind="follows"))
    _db.session.commit()
    service.update_influencer(influencer, {"email": "camille.d@exemple.fr"},
                              influencer.version)
    person_id = influencer.id

    gdpr.erase(influencer, manager, "request")

    dump = _all_text()
    for value in ("camille", "dupont", "exemple.fr", "12 34 56", "roubaix", "chats"):
        assert value not in dump, value
    erased = _db.session.get(Influencer, person_id)
    assert erased.display_name == f"Erased person #{person_id}"
    assert erased.erased_at is not None and erased.deleted_at is not None
    for model in (SocialAccount, AudienceSnapshot, AudienceShare, Interaction, Relationship):
        assert _db.session.scalar(select(model)) is None
    tombstone = service.history(erased)[0]
    assert (tombstone.action, tombstone.user_id) == ("erase", manager.id)
    assert tombstone.changes == {"reason": "request"}
    assert _db.session.scalar(select(AuditEvent).where(
        AuditEvent.influencer_id == person_id, AuditEvent.action == "create")) is not None
    with pytest.raises(ServiceError):
        service.restore_influencer(erased)
    with pytest.raises(ServiceError):
        gdpr.erase(erased, manager, "request")


def test_export_holds_everything(db):
    influencer = _create()
    service.add_snapshot(influencer.accounts[0], date(2024, 1, 1), SHARES)
    interactions.add_interaction(influencer, "call", "First call")
    data = gdpr.export(influencer)
    assert data["influencer"]["email"] == "camille@exemple.fr"
    assert len(data["social_accounts"]) == 2
    shares = data["social_accounts"][0]["audience_snapshots"][0]["shares"]
    assert {s["key"] for s in shares} >= {"female", "FR"}
    assert data["interactions"][0]["summary"] == "First call"
    assert data["history"][0]["action"] == "create"
    assert sorted(data["tags"]) == ["Vegan", "beauté"]
