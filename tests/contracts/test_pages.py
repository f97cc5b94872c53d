"""Contract pages: the list and trash, create (from a participant or standing), edit a draft."""

from __future__ import annotations

import re
from datetime import date

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select

from app.extensions import db
from app.models import Contract
from tests.factories import (
    make_brand,
    make_campaign,
    make_contract,
    make_influencer,
    make_operation,
    make_participant,
)


def contract_count() -> int:
    return db.session.scalar(select(func.count()).select_from(Contract))


def form_of(contract: Contract, **overrides) -> dict:
    """The edit form as the browser posts it, with the contract's saved values."""
    data = {
        "title": contract.title, "language": contract.language,
        "objective": contract.objective, "products": contract.products or "",
        "basis": contract.basis, "starts_on": str(contract.starts_on or ""),
        "ends_on": str(contract.ends_on or ""), "deadline": str(contract.deadline or ""),
        "pay_kind": contract.pay_kind, "currency": contract.currency,
        "fixed_fee_cents": str(contract.fixed_fee_cents / 100) if contract.fixed_fee_cents else "",
        "fee_per_operation_cents": "", "payment_terms": contract.payment_terms or "",
        "payment_days": str(contract.payment_days), "usage_media": (contract.usage_media or
                                                                    "").split(","),
        "usage_territories": contract.usage_territories or "",
        "usage_months": str(contract.usage_months or ""), "disclosure": contract.disclosure,
        "foreign_disclosure": contract.foreign_disclosure,
        "submission_days": "5", "feedback_days": "3", "termination_notice_days": "30",
        "confidentiality": "y", "version": str(contract.version),
    }
    for index, op in enumerate(contract.operations):
        for key in ("platform", "kind", "count", "date", "window", "mentions"):
            data[f"operations-{index}-{key}"] = str(op.get(key) or "")
    data.update(overrides)
    return data


# --- list -------------------------------------------------------------------------------------

def test_empty_list_says_how_to_start(member_client, page_text):
    page = page_text(member_client.get("/contracts/"))
    assert "No contracts yet" in page and "New ambassador contract" in page


@pytest.mark.slow
def test_list_searches_filters_with_counts_and_sorts(viewer_client, html):
    first = make_contract(title="Printemps")
    second = make_contract(brand=make_brand(name="Quartz"), influencer=first.influencer,
                           title="Automne", status="approved")
    page = html(viewer_client.get("/contracts/"))
    assert first.number in page and second.number in page
    assert "Draft (1)" in page and "Approved (1)" in page and "Signed (0)" in page
    assert "New ambassador contract" not in page  # a viewer creates nothing
    page = html(viewer_client.get("/contracts/?q=quartz"))
    assert second.number in page and first.number not in page
    page = html(viewer_client.get("/contracts/?status=draft"))
    assert first.number in page and second.number not in page
    page = html(viewer_client.get(f"/contracts/?brand={second.brand_id}"))
    assert second.number in page and first.number not in page
    page = html(viewer_client.get("/contracts/?sort=number"))
    assert page.index(first.number) < page.index(second.number)
    assert 'aria-sort="ascending"' in page
    page = html(viewer_client.get("/contracts/?sort=-number"))
    assert page.index(second.number) < page.index(first.number)


def test_list_ignores_filters_it_does_not_understand(viewer_client, html):
    make_contract()
    response = viewer_client.get("/contracts/?status=nope&brand=abc&sort=');drop&page=-3")
    assert response.status_code == 200 and "not understood" in html(response)


def test_list_pages(viewer_client, app, monkeypatch, html):
    monkeypatch.setitem(app.config, "RELAIS_PAGE_SIZE", 2)
    brand, person = make_brand(), make_influencer()
    for n in range(3):
        make_contract(brand=brand, influencer=person, number=f"RLS-2026-9000{n}")
    page = html(viewer_client.get("/contracts/?sort=number"))
    assert "RLS-2026-90000" in page and "RLS-2026-90002" not in page and "Page 1 of 2" in page
    page = html(viewer_client.get("/contracts/?sort=number&page=2"))
    assert "RLS-2026-90002" in page and "RLS-2026-90000" not in page


def test_trash_and_restore(member_client, fresh, html, page_text):
    contract = make_contract()
    response = member_client.post(f"/contracts/{contract.id}/delete")
    assert response.status_code == 302 and fresh(contract).deleted_at is not None
    assert f'href="/contracts/{contract.id}"' not in html(member_client.get("/contracts/"))
    assert member_client.get(f"/contracts/{contract.id}").status_code == 404
    trash = html(member_client.get("/contracts/?trash=1"))
    assert contract.number in trash and "Restore" in trash
    member_client.post(f"/contracts/{contract.id}/restore")
    assert fresh(contract).deleted_at is None
    assert "The trash is empty" in page_text(member_client.get("/contracts/?trash=1"))


def test_an_approved_contract_stays_out_of_the_trash(member_client, fresh, html):
    contract = make_contract(status="approved")
    response = member_client.post(f"/contracts/{contract.id}/delete", follow_redirects=True)
    assert "Only a draft or a cancelled contract" in html(response)
    assert fresh(contract).deleted_at is None


# --- create -----------------------------------------------------------------------------------

def contracted_participant():
    campaign = make_campaign(name="Rentrée", currency="EUR", starts_on=date(2026, 9, 1),
                             ends_on=date(2026, 9, 30), hashtags="#Rentrée")
    participant = make_participant(campaign=campaign, agreed_fee_cents=240_000)
    for day in (date(2026, 9, 2), date(2026, 9, 9)):
        make_operation(participant, kind="story", planned_on=day)
    return participant


@pytest.mark.slow
def test_create_from_a_participant_prefills_operations_and_fee(member_client, html):
    participant = contracted_participant()
    page = html(member_client.get(f"/contracts/new?participant={participant.id}"))
    assert 'name="operations-0-platform"' in page and "operations-3-platform" in page  # 1 + 3
    assert re.search(r'name="operations-0-kind".*?<option selected value="story"', page, re.S)
    assert 'name="operations-0-count" type="number" value="2"' in page
    assert 'value="2,400.00"' in page and 'value="Rentrée"' in page
    assert 'name="payment_days" type="number" value="30"' in page  # the defaults shown
    response = member_client.post(f"/contracts/new?participant={participant.id}", data={
        "title": "Rentrée", "language": "fr", "objective": "awareness", "basis": "operations",
        "deadline": "2026-09-30", "pay_kind": "fixed", "currency": "EUR",
        "fixed_fee_cents": "2 400", "payment_terms": "À réception de facture",
        "payment_days": "30", "disclosure": "publicite", "foreign_disclosure": "none",
        "operations-0-platform": "instagram", "operations-0-kind": "story",
        "operations-0-count": "2", "operations-0-window": "septembre",
        "operations-1-platform": "", "operations-1-kind": "", "operations-1-count": ""})
    assert response.status_code == 302, html(response)
    contract = db.session.scalar(select(Contract))
    assert contract.participant_id == participant.id and contract.campaign_id == \
        participant.campaign_id and contract.fixed_fee_cents == 240_000
    assert contract.operations == [{"platform": "instagram", "kind": "story", "count": 2,
                                    "date": None, "window": "septembre", "mentions": ""}]
    # The participants table links to it, and asking again opens it.
    table = html(member_client.get(
        f"/campaigns/{participant.campaign_id}/participants?view=table"))
    assert f"/contracts/{contract.id}" in table and contract.number in table
    again = member_client.get(f"/contracts/new?participant={participant.id}")
    assert again.status_code == 302 and again.headers["Location"].endswith(
        f"/contracts/{contract.id}")
    overview = html(member_client.get(f"/campaigns/{participant.campaign_id}"))
    assert contract.number in overview


def test_participant_table_offers_a_new_contract(member_client, viewer_client, html):
    participant = contracted_participant()
    url = f"/campaigns/{participant.campaign_id}/participants?view=table"
    assert f"/contracts/new?participant={participant.id}" in html(member_client.get(url))
    assert f"/contracts/new?participant={participant.id}" not in html(viewer_client.get(url))


def test_standing_contract_first_picks_the_parties(member_client, html):
    brand = make_brand(name="Aube")
    found = make_influencer(display_name="Inès Garnier", email="ines@exemple.fr")
    make_influencer(display_name="Bruno Petit")
    page = html(member_client.get(f"/contracts/new?brand={brand.id}"))
    assert "1. The brand" in page and f'<option selected value="{brand.id}">Aube' in page
    page = html(member_client.get(f"/contracts/new?brand={brand.id}&q=ines&search=1"))
    assert "Inès Garnier" in page and "Bruno Petit" not in page
    page = html(member_client.get(f"/contracts/new?influencer={found.id}"))
    assert f'<option selected value="{found.id}">Inès Garnier' in page
    url = f"/contracts/new?brand={brand.id}&influencer={found.id}"
    page = html(member_client.get(url))
    assert 'value="Ambassadorship Aube"' in page and "standing ambassadorship" in page
    response = member_client.post(url, data={
        "title": "Ambassade Aube", "language": "fr", "objective": "awareness",
        "basis": "duration", "starts_on": "2026-01-01", "ends_on": "2026-12-31",
        "pay_kind": "in_kind", "currency": "EUR", "disclosure": "publicite",
        "foreign_disclosure": "none", "benefits-0-description": "Coffret de soins",
        "benefits-0-value_cents": "350", "usage_media": ["website", "print"]})
    assert response.status_code == 302, html(response)
    contract = db.session.scalar(select(Contract))
    assert (contract.brand_id, contract.influencer_id, contract.participant_id) == (
        brand.id, found.id, None)
    assert contract.benefits == [{"description": "Coffret de soins", "value_cents": 35_000}]
    assert contract.usage_media == "website,print"


def test_brand_and_influencer_pages_link_to_a_new_contract(member_client, html):
    brand, person = make_brand(), make_influencer()
    assert f"/contracts/new?brand={brand.id}" in html(member_client.get(f"/brands/{brand.id}"))
    assert f"/contracts/new?influencer={person.id}" in html(
        member_client.get(f"/influencers/{person.id}"))
    assert 'href="/contracts/"' in html(member_client.get("/"))  # the main navigation


def test_unknown_or_deleted_parties(member_client, html):
    gone = make_brand(deleted_at=db.func.now())
    person = make_influencer()
    assert member_client.get("/contracts/new?participant=999999").status_code == 404
    page = html(member_client.get(f"/contracts/new?brand={gone.id}&influencer={person.id}"))
    assert "1. The brand" in page  # back to the choice, the deleted brand not offered
    assert member_client.post(f"/contracts/new?brand={gone.id}&influencer={person.id}",
                              data={"title": "x"}).status_code == 200
    assert contract_count() == 0


def test_form_errors_are_next_to_their_fields(member_client, html, page_text):
    brand, person = make_brand(), make_influencer()
    response = member_client.post(f"/contracts/new?brand={brand.id}&influencer={person.id}",
                                  data={"title": "", "language": "fr", "basis": "duration",
                                        "starts_on": "2026-05-01", "ends_on": "2026-04-01",
                                        "fixed_fee_cents": "douze", "pay_kind": "fixed",
                                        "operations-0-platform": "instagram",
                                        "benefits-0-description": "Sac",
                                        "representatives-0-email": "anne@exemple.fr"})
    assert response.status_code == 400
    page = page_text(response)
    for message in ("This field is required.", "The end date must come after the start date.",
                    "Type an amount, e.g. 1 200,50.", "Choose the format.",
                    "Give the number of operations.", "Give the value of this benefit",
                    "Give the representative's name."):
        assert message in page, message
    assert 'aria-invalid="true"' in html(response) and contract_count() == 0


# --- edit -------------------------------------------------------------------------------------

def test_edit_a_draft(member_client, fresh, html):
    contract = make_contract()
    page = html(member_client.get(f"/contracts/{contract.id}/edit"))
    assert 'value="4,500.00"' in page and "operations-4-platform" in page  # 2 rows + 3 blank
    response = member_client.post(f"/contracts/{contract.id}/edit", data=form_of(
        contract, title="Été radieux", fixed_fee_cents="5 000",
        **{"operations-1-count": "4"}))
    assert response.status_code == 302, html(response)
    assert fresh(contract).title == "Été radieux" and contract.fixed_fee_cents == 500_000
    assert contract.operations[1]["count"] == 4 and contract.version == 2


def test_only_a_draft_can_be_edited(member_client, fresh, html):
    contract = make_contract(status="approved")
    for response in (member_client.get(f"/contracts/{contract.id}/edit", follow_redirects=True),
                     member_client.post(f"/contracts/{contract.id}/edit",
                                        data=form_of(contract, title="Changé"),
                                        follow_redirects=True)):
        assert "Only a draft can be edited" in html(response)
    assert fresh(contract).title != "Changé"


def test_edit_conflict_shows_both_versions_then_applies(member_client, fresh, html, page_text):
    contract = make_contract()
    stale = form_of(contract, title="Mon titre")
    contract.title = "Leur titre"
    db.session.commit()
    response = member_client.post(f"/contracts/{contract.id}/edit", data=stale)
    assert response.status_code == 409
    page = page_text(response)
    assert "Mon titre" in page and "Leur titre" in page and "Apply my changes anyway" in page
    assert fresh(contract).title == "Leur titre"
    resubmit = re.findall(r'name="([^"]+)" value="([^"]*)"', html(response))
    data: dict = {}
    for key, value in resubmit:
        data.setdefault(key, []).append(value)
    response = member_client.post(f"/contracts/{contract.id}/edit", data=data)
    assert response.status_code == 302 and fresh(contract).title == "Mon titre"


def test_a_version_missing_from_the_form_saves_nothing(member_client, fresh, html):
    contract = make_contract()
    data = form_of(contract, title="Sans version")
    del data["version"]
    response = member_client.post(f"/contracts/{contract.id}/edit", data=data)
    assert response.status_code == 400 and "reload the page" in html(response)
    assert fresh(contract).title != "Sans version"


@pytest.mark.slow
@settings(max_examples=25, deadline=None, suppress_health_check=[
    HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(field=st.sampled_from(["title", "fixed_fee_cents", "starts_on", "payment_days",
                              "operations-0-count", "operations-0-platform",
                              "operations-9999-date", "benefits-0-value_cents", "currency",
                              "usage_media", "representatives-0-email", "basis",
                              "exclusivity_months", "version"]),
       value=st.text(max_size=300).filter(lambda v: "\x00" not in v))
def test_hostile_input_never_breaks_the_form(member_client, field, value, html):
    contract = make_contract() if contract_count() == 0 else db.session.scalar(select(Contract))
    before = (contract.title, contract.fixed_fee_cents, list(contract.operations),
              contract.version)
    response = member_client.post(f"/contracts/{contract.id}/edit",
                                  data=form_of(contract, **{field: value}))
    assert response.status_code in (302, 400, 409), html(response)[-2000:]
    db.session.refresh(contract)
    if response.status_code != 302:
        assert (contract.title, contract.fixed_fee_cents, list(contract.operations),
                contract.version) == before  # a refused save changes nothing


def test_payment_terms_and_delay_read_as_one_sentence(viewer_client, page_text):
    contract = make_contract(payment_terms="Sur facture, par virement bancaire.", payment_days=30)
    text = page_text(viewer_client.get(f"/contracts/{contract.id}"))
    assert "Sur facture, par virement bancaire · within 30 days" in text
