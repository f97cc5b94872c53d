"""Six members renew one signer's link at the same moment, through a real threaded server:
the signer keeps exactly one live link (it used to get two, and the contract then never
reached "signed"), and nobody gets an error page."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from app.models import ContractSigner
from tests.factories import make_user
from tests.race import logged_in, served, together

pytestmark = pytest.mark.slow


def test_six_parallel_renewals_leave_one_live_link(app, db, sent):
    contract, _tokens = sent()
    signer = next(s for s in contract.signers if s.role == "influencer")
    contract_id, signer_id, name = contract.id, signer.id, signer.name
    members = [make_user("member") for _ in range(6)]
    with served(app) as base:
        sessions = [logged_in(base, member) for member in members]
        path = f"/contracts/{contract_id}/signers/{signer_id}/renew"
        answers = together([lambda s=s: s.request(path, {}) for s in sessions])
    statuses = [a[0] for a in answers]
    assert all(status in (200, 302) for status in statuses), statuses
    assert statuses.count(200) == 1  # the one page that shows the new link
    db.session.expire_all()
    live = db.session.scalars(select(ContractSigner).where(
        ContractSigner.contract_id == contract_id, ContractSigner.name == name,
        ContractSigner.revoked_at.is_(None), ContractSigner.signed_at.is_(None))).all()
    assert len(live) == 1
    assert db.session.get(ContractSigner, signer_id).revoked_at is not None
