"""GDPR: export everything about a person; erasure by managers, with a tombstone."""

import json
from datetime import date

from sqlalchemy import select, text

from app.extensions import db as _db
from app.models import AuditEvent, Influencer, Relationship
from tests import factories


def _person():
    influencer = factories.make_influencer(
        display_name="Camille Dupont", email="camille@exemple.fr", phone="+33 6 11 22 33 44",
        accounts=[{"platform": "instagram", "handle": "camille.dupont", "followers": 12400}])
    factories.add_snapshot(influencer.accounts[0], {"gender": {"female": 0.6, "male": 0.4}},
                           taken_on=date(2024, 1, 1))
    other = factories.make_influencer(display_name="Autre")
    _db.session.add(Relationship(source_id=other.id, target_id=influencer.id,
                                 kind="mentions"))
    _db.session.commit()
    return influencer


def test_export_is_a_json_download_with_everything(member_client):
    influencer = _person()
    member_client.post(f"/influencers/{influencer.id}/interactions", data={
        "kind": "email", "occurred_on": date.today().isoformat(), "summary": "Brief sent"})
    response = member_client.get(f"/influencers/{influencer.id}/export.json")
    assert response.status_code == 200
    assert response.mimetype == "application/json"
    assert response.headers["Content-Disposition"] == (
        f'attachment; filename="influencer-{influencer.id}.json"')
    data = json.loads(response.get_data(as_text=True))
    assert data["influencer"]["email"] == "camille@exemple.fr"
    assert data["influencer"]["phone"] == "+33 6 11 22 33 44"
    account = data["social_accounts"][0]
    assert account["handle"] == "camille.dupont"
    assert {s["key"] for s in account["audience_snapshots"][0]["shares"]} == {"female", "male"}
    assert data["interactions"][0]["summary"] == "Brief sent"
    assert data["relationships"][0]["kind"] == "mentions"
    assert any(e["entity_type"] == "interaction" for e in data["history"])
    assert "tags" in data


def test_viewer_cannot_export(viewer_client):
    influencer = _person()
    assert viewer_client.get(f"/influencers/{influencer.id}/export.json").status_code == 403


def test_member_cannot_erase(member_client):
    influencer = _person()
    response = member_client.post(f"/influencers/{influencer.id}/erase",
                                  data={"reason": "request"})
    assert response.status_code == 403
    _db.session.expire_all()
    assert influencer.erased_at is None


def test_manager_erases_everywhere_and_leaves_a_tombstone(manager_client):
    influencer = _person()
    person_id = influencer.id
    manager_client.post(f"/influencers/{person_id}/edit", data={
        "display_name": "Camille Dupont", "kind": "other", "status": "prospect",
        "email": "camille.dupont@exemple.fr", "owner_id": "", "data_source": "manual",
        "lawful_basis": "legitimate_interest", "version": str(influencer.version)})
    response = manager_client.post(f"/influencers/{person_id}/erase",
                                   data={"reason": "request"})
    assert response.status_code == 302
    _db.session.expire_all()
    dump = []
    with _db.engine.connect() as conn:
        for table in _db.metadata.sorted_tables:
            dump += [repr(tuple(r)) for r in conn.execute(
                text(f'SELECT * FROM "{table.name}"'))]  # noqa: S608 - our table names
    dump_text = "\n".join(dump).lower()
    for value in ("camille", "dupont", "exemple.fr", "11 22 33"):
        assert value not in dump_text
    erased = _db.session.get(Influencer, person_id)
    assert erased.display_name == f"Erased person #{person_id}"
    assert _db.session.scalar(select(Relationship)) is None
    tombstone = _db.session.scalar(select(AuditEvent).where(AuditEvent.action == "erase"))
    assert tombstone.entity_id == person_id and tombstone.user_id == manager_client.user.id
    # Gone for good: no profile, no edit, no restore, no second erasure.
    assert manager_client.get(f"/influencers/{person_id}").status_code == 404
    assert manager_client.get(f"/influencers/{person_id}/edit").status_code == 404
    assert manager_client.post(f"/influencers/{person_id}/erase",
                               data={"reason": "request"}).status_code == 404
    manager_client.post(f"/influencers/{person_id}/restore")
    _db.session.expire_all()
    assert erased.deleted_at is not None


def test_erase_needs_a_known_reason(manager_client):
    influencer = _person()
    response = manager_client.post(f"/influencers/{influencer.id}/erase",
                                   data={"reason": "because"})
    assert response.status_code == 302
    _db.session.expire_all()
    assert influencer.erased_at is None


def test_manager_can_erase_from_the_trash(manager_client):
    influencer = _person()
    manager_client.post(f"/influencers/{influencer.id}/delete")
    html = manager_client.get("/influencers/trash").get_data(as_text=True)
    assert f"/influencers/{influencer.id}/erase" in html
    manager_client.post(f"/influencers/{influencer.id}/erase", data={"reason": "objection"})
    _db.session.expire_all()
    assert influencer.erased_at is not None
