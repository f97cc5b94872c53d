"""Six managers approve one contract at the same moment, through a real threaded server:
one approval stores one document, the five others are told someone was faster, and nobody
gets an error page (it used to be a StaleDataError raised by the PDF rendering's
autoflush, a 500)."""

from __future__ import annotations

import html

import pytest
from sqlalchemy import func, select

from app.contracts import workflow
from app.models import Contract, ContractDocument
from tests.factories import make_contract, make_user
from tests.race import logged_in, served, together

pytestmark = pytest.mark.slow

APPROVED = "Contract approved: its document is stored."
TOO_LATE = ("Someone changed this contract at the same time",
            "This cannot be done on a contract that is approved")


def test_six_parallel_approvals_one_succeeds_the_others_are_told(app, db):
    contract = make_contract()
    workflow.submit(contract, make_user("member"))
    contract_id, version = contract.id, contract.version
    managers = [make_user("manager") for _ in range(6)]
    with served(app) as base:
        sessions = [logged_in(base, manager) for manager in managers]
        path = f"/contracts/{contract_id}/workflow/approve"
        answers = together([lambda s=s: s.request(path, {"version": str(version)})
                            for s in sessions])
        assert [a[0] for a in answers] == [302] * 6, [a[:2] for a in answers]
        pages = [html.unescape(s.page(f"/contracts/{contract_id}")) for s in sessions]
    assert sum(APPROVED in page for page in pages) == 1
    assert sum(any(m in page for m in TOO_LATE) for page in pages) == 5
    db.session.expire_all()
    assert db.session.get(Contract, contract_id).status == "approved"
    assert db.session.scalar(select(func.count()).select_from(ContractDocument).where(
        ContractDocument.contract_id == contract_id, ContractDocument.kind == "contract")) == 1
