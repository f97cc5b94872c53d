"""Every edit form refuses a save without a version (a form error, nothing saved) and a
stale one (the conflict page): brand, social account and operation, the three that used to
overwrite silently, through the one mechanism of app.forms.VersionedForm."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from app.extensions import db as _db
from tests.factories import make_brand, make_influencer, make_operation, make_participant


@dataclass
class Edit:
    url: str
    data: dict
    record: object
    column: str
    new_value: object


def _brand() -> Edit:
    brand = make_brand(name="Sephora")
    return Edit(f"/brands/{brand.id}/edit",
                {"name": "Mine", "tax_country": "FR", "sector": ""}, brand, "name", "Mine")


def _account() -> Edit:
    influencer = make_influencer(accounts=[{"platform": "instagram", "handle": "lea",
                                            "followers": 1000}])
    account = influencer.accounts[0]
    return Edit(f"/influencers/{influencer.id}/accounts/{account.id}/edit",
                {"platform": "instagram", "handle": "lea", "followers": "2 000"},
                account, "followers", 2000)


def _operation() -> Edit:
    participant = make_participant(influencer=make_influencer(accounts=[
        {"platform": "instagram", "handle": "zoe", "followers": 10}]))
    operation = make_operation(participant, kind="post")
    return Edit(f"/campaigns/{participant.campaign_id}/operations/{operation.id}/edit",
                {"participant_id": str(participant.id), "kind": "reel",
                 "platform": "instagram"}, operation, "kind", "reel")


EDITS = {"brand": _brand, "account": _account, "operation": _operation}


def _saved(edit: Edit):
    _db.session.expire_all()
    return getattr(_db.session.get(type(edit.record), edit.record.id), edit.column)


def _bump(edit: Edit) -> int:
    """Someone else saves in between: the version moves on."""
    record = _db.session.get(type(edit.record), edit.record.id)
    _db.session.execute(type(edit.record).__table__.update()
                        .where(type(edit.record).__table__.c.id == record.id)
                        .values(version=record.version + 1))
    _db.session.commit()
    return record.version + 1


@pytest.mark.parametrize("kind", EDITS)
@pytest.mark.parametrize("version", [None, "", "abc", "0", "-1", "99999999999999999999"])
def test_a_save_without_a_version_is_refused(member_client, kind, version):
    edit = EDITS[kind]()
    before = _saved(edit)
    data = dict(edit.data) if version is None else {**edit.data, "version": version}
    response = member_client.post(edit.url, data=data)
    assert response.status_code == 400
    assert "The form is incomplete" in response.get_data(as_text=True)
    assert _saved(edit) == before


@pytest.mark.parametrize("kind", EDITS)
def test_a_stale_version_is_a_conflict(member_client, kind):
    edit = EDITS[kind]()
    before, stale = _saved(edit), edit.record.version
    _bump(edit)
    response = member_client.post(edit.url, data={**edit.data, "version": str(stale)})
    assert response.status_code == 409
    assert _saved(edit) == before


@pytest.mark.parametrize("kind", EDITS)
def test_the_right_version_saves(member_client, kind):
    edit = EDITS[kind]()
    response = member_client.post(edit.url,
                                  data={**edit.data, "version": str(edit.record.version)})
    assert response.status_code == 302
    assert _saved(edit) == edit.new_value
