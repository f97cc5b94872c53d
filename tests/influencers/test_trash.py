"""Soft delete to the trash, and restore."""

from sqlalchemy import select

from app.extensions import db as _db
from app.influencers import gdpr
from app.models import AuditEvent
from tests import factories


def test_delete_moves_to_trash_and_restore_brings_back(member_client):
    influencer = factories.make_influencer(
        display_name="Léa", accounts=[{"platform": "x", "handle": "lea"}])
    response = member_client.post(f"/influencers/{influencer.id}/delete")
    assert response.status_code == 302
    _db.session.expire_all()
    assert influencer.deleted_at is not None
    html = member_client.get("/influencers/trash").get_data(as_text=True)
    assert "Léa" in html and f"/influencers/{influencer.id}/restore" in html
    response = member_client.post(f"/influencers/{influencer.id}/restore")
    assert response.status_code == 302
    _db.session.expire_all()
    assert influencer.deleted_at is None
    assert [a.handle for a in influencer.accounts] == ["lea"]
    actions = list(_db.session.scalars(
        select(AuditEvent.action).where(AuditEvent.influencer_id == influencer.id)
        .order_by(AuditEvent.id)))
    assert actions[-2:] == ["delete", "restore"]
    assert "The trash is empty" in member_client.get("/influencers/trash").get_data(
        as_text=True)


def test_deleted_record_cannot_be_edited_or_deleted_again(member_client):
    influencer = factories.make_influencer()
    member_client.post(f"/influencers/{influencer.id}/delete")
    assert member_client.get(f"/influencers/{influencer.id}/edit").status_code == 404
    assert member_client.post(f"/influencers/{influencer.id}/delete").status_code == 404
    assert member_client.post(f"/influencers/{influencer.id}/interactions",
                              data={"kind": "note", "summary": "x"}).status_code == 404


def test_erased_record_cannot_be_restored(member_client):
    influencer = factories.make_influencer()
    with member_client.application.test_request_context():
        gdpr.erase(influencer, None, "request")
    response = member_client.post(f"/influencers/{influencer.id}/restore")
    assert response.status_code == 302
    _db.session.expire_all()
    assert influencer.deleted_at is not None
    html = member_client.get("/influencers/trash").get_data(as_text=True)
    assert "Erased person" not in html  # an erased record is gone, not in the trash


def test_restore_unknown_is_404(member_client):
    assert member_client.post("/influencers/424242/restore").status_code == 404


def test_trash_pages_survive_bad_page_numbers(member_client):
    for page in ("0", "-3", "abc", "99999999999999999999"):
        assert member_client.get(f"/influencers/trash?page={page}").status_code == 200


def test_viewer_has_no_trash(viewer_client):
    influencer = factories.make_influencer()
    assert viewer_client.get("/influencers/trash").status_code == 403
    assert viewer_client.post(f"/influencers/{influencer.id}/delete").status_code == 403
    _db.session.expire_all()
    assert influencer.deleted_at is None
