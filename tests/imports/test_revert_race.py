"""Six members revert one import at the same moment, through a real threaded server: one
revert, one revert event in the history, and no error page for the five others."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from app.models import AuditEvent, Import, Influencer
from tests.factories import make_user
from tests.race import logged_in, served, together

pytestmark = pytest.mark.slow


def test_six_parallel_reverts_make_one_revert(app, db, member_client, imported):
    imp = imported(member_client)
    import_id = imp.id
    members = [make_user("member") for _ in range(6)]
    with served(app) as base:
        sessions = [logged_in(base, member) for member in members]
        answers = together([lambda s=s: s.request(f"/imports/{import_id}/revert", {})
                            for s in sessions])
    assert [a[0] for a in answers] == [302] * 6, [a[:2] for a in answers]
    db.session.expire_all()
    assert db.session.get(Import, import_id).status == "reverted"
    assert db.session.scalar(select(func.count()).select_from(Influencer)) == 0
    assert db.session.scalar(select(func.count()).select_from(AuditEvent).where(
        AuditEvent.entity_type == "import", AuditEvent.entity_id == import_id,
        AuditEvent.action == "revert")) == 1
