"""The contract workflow through its buttons: every move per role (a viewer gets 403 on
every POST, a member cannot approve, a manager can), illegal moves refused with the reason,
approval blocked with the list of what is missing (parties' data, operations, pay, minors,
influencers outside the EEA, banned sectors), and stale pages."""

from __future__ import annotations

from datetime import date

import pytest

from app.extensions import db
from tests.factories import make_brand, make_contract, make_influencer

STEPS = ("submit", "withdraw", "approve", "request_changes", "activate", "complete", "amend",
         "terminate", "cancel")


def html(response) -> str:
    import html as html_lib

    return html_lib.unescape(response.get_data(as_text=True))


def post(client, contract, action, **data):
    return client.post(f"/contracts/{contract.id}/workflow/{action}", data=data,
                       follow_redirects=True)


def fresh(contract):
    db.session.refresh(contract)
    return contract


def test_viewer_gets_403_on_every_post(viewer_client):
    contract = make_contract()
    urls = [f"/contracts/{contract.id}/workflow/{step}" for step in STEPS] + [
        f"/contracts/{contract.id}/{what}" for what in ("edit", "delete", "render")] + [
        f"/contracts/{contract.id}/restore", f"/contracts/new?brand={contract.brand_id}"
        f"&influencer={contract.influencer_id}"]
    for url in urls:
        assert viewer_client.post(url, data={"comment": "x", "reason": "x"}).status_code \
            == 403, url
    assert fresh(contract).status == "draft" and not contract.documents


def test_unknown_step_is_not_found(member_client):
    contract = make_contract()
    assert member_client.post(f"/contracts/{contract.id}/workflow/sign").status_code == 404
    assert member_client.post(f"/contracts/{contract.id}/workflow/x").status_code == 404


@pytest.mark.slow
def test_the_whole_life_member_and_manager(member_client, manager_client):
    contract = make_contract()
    page = html(member_client.get(f"/contracts/{contract.id}"))
    assert "Submit for approval" in page and "Approve" not in page
    response = post(member_client, contract, "submit", version=contract.version)
    assert "Contract submitted for approval." in html(response)
    assert fresh(contract).status == "pending_approval"
    # A member cannot approve: no button, and 403 when forced.
    assert ">Approve<" not in html(member_client.get(f"/contracts/{contract.id}"))
    assert member_client.post(f"/contracts/{contract.id}/workflow/approve").status_code == 403
    assert fresh(contract).status == "pending_approval"
    page = html(manager_client.get(f"/contracts/{contract.id}"))
    assert ">Approve<" in page and "Request changes" in page
    response = post(manager_client, contract, "approve", version=contract.version)
    assert "Contract approved" in html(response)
    assert fresh(contract).status == "approved" and contract.approved_at is not None
    assert [(d.version, d.kind) for d in contract.documents] == [(1, "contract")]
    assert "Approved contract" in html(response) and "v1" in html(response)
    # Sending and signing belong to the signing pages; the rest of the life goes on here.
    contract.status = "signed"
    db.session.commit()
    assert "Mark as active" in html(member_client.get(f"/contracts/{contract.id}"))
    assert "The contract is active." in html(post(member_client, contract, "activate"))
    assert fresh(contract).status == "active"
    assert member_client.post(f"/contracts/{contract.id}/workflow/terminate",
                              data={"reason": "x"}).status_code == 403  # manager only
    post(member_client, contract, "complete")
    assert fresh(contract).status == "completed" and contract.ended_at is not None


def test_request_changes_needs_a_comment(manager_client, member_client):
    contract = make_contract(status="pending_approval")
    response = post(manager_client, contract, "request_changes", comment="   ")
    assert "the comment is required" in html(response)
    assert fresh(contract).status == "pending_approval"
    post(manager_client, contract, "request_changes", comment="Préciser la fenêtre d'avril.")
    assert fresh(contract).status == "draft"
    page = html(member_client.get(f"/contracts/{contract.id}"))
    assert "Changes requested by a manager" in page and "Préciser la fenêtre d'avril." in page


def test_terminate_needs_a_reason_and_cancel_ends_a_draft(manager_client, member_client):
    contract = make_contract(status="active")
    assert "Give the reason for the termination." in html(
        post(manager_client, contract, "terminate", reason=""))
    post(manager_client, contract, "terminate", reason="Contenu contraire à la charte.")
    assert fresh(contract).status == "terminated"
    assert "Contenu contraire à la charte." in html(member_client.get(f"/contracts/{contract.id}"))
    draft = make_contract()
    page = html(member_client.get(f"/contracts/{draft.id}"))
    assert 'data-confirm="Cancel contract' in page  # the browser asks first
    post(member_client, draft, "cancel")
    assert fresh(draft).status == "cancelled"


@pytest.mark.slow
def test_amend_goes_back_to_draft_and_keeps_the_documents(member_client, manager_client):
    contract = make_contract()
    post(member_client, contract, "submit")
    post(manager_client, contract, "approve")
    response = post(member_client, contract, "amend")
    assert "Amendment 1 started" in html(response)
    assert fresh(contract).status == "draft" and contract.amendment == 1
    assert len(contract.documents) == 1
    post(member_client, contract, "submit")
    post(manager_client, contract, "approve")
    assert [(d.version, d.amendment) for d in fresh(contract).documents] == [(1, 0), (2, 1)]


@pytest.mark.parametrize(("status", "action", "reason"), [
    ("draft", "approve", "This cannot be done on a contract that is Draft: only on one that "
                         "is Pending approval."),
    ("draft", "activate", "This cannot be done on a contract that is Draft: only on one that "
                          "is Signed."),
    ("completed", "cancel", "This cannot be done on a contract that is Completed"),
    ("approved", "submit", "This cannot be done on a contract that is Approved"),
])
def test_illegal_moves_are_refused_with_the_reason(manager_client, status, action, reason):
    contract = make_contract(status=status)
    response = post(manager_client, contract, action, comment="x", reason="x")
    assert reason in html(response)
    assert fresh(contract).status == status and not contract.documents


def test_editing_an_approved_contract_is_refused(member_client):
    contract = make_contract(status="approved")
    response = member_client.get(f"/contracts/{contract.id}/edit", follow_redirects=True)
    assert "Only a draft can be edited: amend an approved or signed contract" in html(response)
    assert f"/contracts/{contract.id}/edit" not in html(member_client.get(
        f"/contracts/{contract.id}"))


def test_approval_is_blocked_with_the_missing_list(manager_client):
    brand = make_brand(name="Sans registre", legal_name="SR SAS", address="1 rue",
                       email="a@b.fr", tax_country="FR", signatory_name="Jo")
    person = make_influencer(display_name="Sans pays", legal_name="Léo", email="leo@ex.fr",
                             address="2 rue")
    contract = make_contract(brand=brand, influencer=person, operations=[],
                             fixed_fee_cents=None, status="pending_approval")
    response = manager_client.post(f"/contracts/{contract.id}/workflow/approve")
    assert response.status_code == 409
    page = html(response)
    assert "Refused: the contract still needs" in page
    for item in ("The brand's registration number", "The influencer's tax-residence country",
                 "The operations (platform, format, number, dates)", "The fixed fee"):
        assert page.count(item) >= 2, item  # in the refusal and in the checklist
    assert fresh(contract).status == "pending_approval" and not contract.documents


def test_submitting_an_incomplete_draft_lists_what_is_missing(member_client):
    contract = make_contract(pay_kind="in_kind", benefits=[], payment_terms=None)
    response = member_client.post(f"/contracts/{contract.id}/workflow/submit")
    assert response.status_code == 409
    assert "The in-kind benefits and their value" in html(response)
    assert fresh(contract).status == "draft"


def teen(years: int, **kw):
    today = date.today()
    born = date(today.year - years, 1, 1) if (today.month, today.day) != (1, 1) else \
        date(today.year - years - 1, 6, 1)
    return make_influencer(display_name=f"Ado {years}", legal_name="Ado", email="ado@ex.fr",
                           address="1 rue", tax_country=kw.pop("tax_country", "FR"),
                           date_of_birth=born, **kw)


@pytest.mark.slow
def test_minors_need_representatives_and_under_16_the_authorisation(manager_client):
    young = make_contract(influencer=teen(14), status="pending_approval",
                          starts_on=date.today(), ends_on=date(date.today().year + 1, 1, 1))
    page = html(manager_client.post(f"/contracts/{young.id}/workflow/approve"))
    assert "The legal representatives of the minor (name and email)" in page
    assert "The administration's prior authorisation (influencer under 16)" in page
    older = make_contract(influencer=teen(17), status="pending_approval",
                          starts_on=date.today(), ends_on=date(date.today().year + 1, 1, 1))
    page = html(manager_client.post(f"/contracts/{older.id}/workflow/approve"))
    assert "The legal representatives of the minor" in page
    assert "prior authorisation" not in page.split("Refused")[1].split("</div>")[0]
    older.representatives = [{"name": "Anne Ado", "email": "anne@ex.fr"}]
    db.session.commit()
    post(manager_client, older, "approve")
    assert fresh(older).status == "approved"


@pytest.mark.slow
def test_outside_eea_needs_an_eu_representative_and_insurance(manager_client):
    contract = make_contract(influencer=teen(30, tax_country="US", country="US"),
                             status="pending_approval")
    page = html(manager_client.post(f"/contracts/{contract.id}/workflow/approve"))
    assert "The influencer's legal representative in the EU" in page
    assert "The influencer's civil-liability insurance" in page
    contract.eu_representative = "Cabinet Durand, 5 rue de Lille, Paris"
    contract.insurance = "AXA RC Pro n° 123"
    db.session.commit()
    post(manager_client, contract, "approve")
    assert fresh(contract).status == "approved"


def test_a_banned_sector_blocks_approval(manager_client):
    brand = make_brand(name="Vape", legal_name="Vape SAS", registration_number="1",
                       address="1 rue", email="v@v.fr", tax_country="FR",
                       signatory_name="Jo", sector="tobacco_nicotine")
    contract = make_contract(brand=brand, status="pending_approval")
    page = html(manager_client.post(f"/contracts/{contract.id}/workflow/approve"))
    assert "A sector whose promotion is banned: this contract cannot be approved" in page
    assert fresh(contract).status == "pending_approval"


def test_a_stale_page_is_refused(member_client):
    contract = make_contract()
    old = contract.version
    contract.title = "Changé ailleurs"
    db.session.commit()
    response = post(member_client, contract, "submit", version=old)
    assert "Someone changed this contract since you opened it" in html(response)
    assert fresh(contract).status == "draft"


def test_french_workflow_messages(db, client_as):
    from tests.factories import make_user

    user = make_user("manager", locale="fr")
    client = client_as(user)
    contract = make_contract()
    response = post(client, contract, "approve")
    assert response.status_code == 200 and '<html lang="fr">' in html(response)
    assert fresh(contract).status == "draft"
