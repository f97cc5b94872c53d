"""The contract services without a request: defaults from a participant or for a standing
ambassadorship, creation and numbering, cleaning of hostile values, optimistic locking,
the list, and the 1 000 € HT deals that a signed contract covers."""

from __future__ import annotations

from datetime import date

import pytest
from flask_babel import force_locale

from app.campaigns.compliance import deals_needing_contract
from app.contracts import terms as service
from app.contracts import workflow
from app.core.errors import Conflict, ServiceError
from app.extensions import db
from tests.factories import (
    make_brand,
    make_campaign,
    make_contract,
    make_influencer,
    make_operation,
    make_participant,
    make_user,
)


@pytest.fixture()
def english(db):
    with force_locale("en"):
        yield


def participant_with_operations():
    campaign = make_campaign(name="Été 2026", objective="engagement", currency="EUR",
                             starts_on=date(2026, 6, 1), ends_on=date(2026, 8, 31),
                             hashtags="#Été2026", mentions="@maison")
    participant = make_participant(campaign=campaign, agreed_fee_cents=180_000,
                                   proposed_fee_cents=150_000)
    for day in (date(2026, 6, 3), date(2026, 6, 20)):
        make_operation(participant, kind="reel", planned_on=day)
    make_operation(participant, platform="tiktok", kind="video", planned_on=date(2026, 7, 1))
    return participant


def test_defaults_from_a_participant_group_its_operations(english):
    participant = participant_with_operations()
    values = service.defaults_for_participant(participant)
    assert values["fixed_fee_cents"] == 180_000  # the agreed fee before the proposed one
    assert values["basis"] == "operations" and values["deadline"] == date(2026, 8, 31)
    ops = {(op["platform"], op["kind"]): op for op in values["operations"]}
    assert ops[("instagram", "reel")]["count"] == 2
    assert ops[("instagram", "reel")]["window"] == "2026-06-03 – 2026-06-20"
    assert ops[("tiktok", "video")] | {"mentions": ""} == {
        "platform": "tiktok", "kind": "video", "count": 1, "date": "2026-07-01",
        "window": "", "mentions": ""}
    assert "#Été2026" in ops[("tiktok", "video")]["mentions"]


def test_create_from_defaults_numbers_the_contract(english):
    participant = participant_with_operations()
    contract = service.create_contract(service.defaults_for_participant(participant),
                                       make_user())
    assert contract.number == f"RLS-{contract.created_at.year}-{contract.id:05d}"
    assert contract.campaign_id == participant.campaign_id and contract.status == "draft"
    assert sum(op["count"] for op in contract.operations) == 3


def test_standing_defaults_run_a_year(english):
    brand, person = make_brand(name="Aube"), make_influencer(country="GB")
    values = service.defaults_for_standing(brand, person)
    assert values["title"] == "Ambassadorship Aube" and values["language"] == "en"
    assert values["ends_on"] > values["starts_on"] and values["participant_id"] is None


@pytest.mark.parametrize(("change", "message"), [
    ({"title": "  "}, "A contract needs a title."),
    ({"currency": "XBT"}, "Unknown value"),
    ({"operations": [{"platform": "myspace", "kind": "post", "count": 1}]},
     "known platform and format"),
    ({"operations": [{"platform": "instagram", "kind": "post", "count": 0}]},
     "between 1 and"),
    ({"benefits": [{"description": "Sac", "value_cents": None}]}, "needs its value"),
    ({"representatives": [{"name": "Anne", "email": "pas-un-email"}]}, "valid email"),
    ({"fixed_fee_cents": -5}, "between 0 and one billion"),
    ({"starts_on": date(2026, 5, 1), "ends_on": date(2026, 4, 1)}, "end date"),
    ({"usage_media": ["radio"]}, "Unknown value"),
])
def test_hostile_values_are_refused_with_a_reason(english, change, message):
    brand, person = make_brand(), make_influencer()
    data = {**service.defaults_for_standing(brand, person), "pay_kind": "mixed", **change}
    with pytest.raises(ServiceError, match=message):
        service.create_contract(data, None)
    assert db.session.scalar(db.select(db.func.count()).select_from(
        service.Contract)) == 0


def test_parties_must_match_the_participant(english):
    participant = participant_with_operations()
    data = {**service.defaults_for_participant(participant), "brand_id": make_brand().id}
    with pytest.raises(ServiceError, match="not in a campaign of this brand"):
        service.create_contract(data, None)


def test_update_is_refused_on_a_stale_version_and_outside_drafts(english):
    contract = make_contract()
    data = {name: getattr(contract, name) for name in service.FIELDS}
    with pytest.raises(Conflict) as caught:
        service.update_contract(contract, {**data, "title": "Autre"}, contract.version - 1)
    assert caught.value.submitted["title"] == "Autre"
    service.update_contract(contract, {**data, "title": "Nouveau"}, contract.version)
    assert contract.title == "Nouveau"
    workflow.submit(contract, make_user("member"))
    with pytest.raises(ServiceError, match="Only a draft can be edited"):
        service.update_contract(contract, data, contract.version)


def test_list_filters_sorts_and_counts(english):
    first = make_contract(title="Printemps")
    other_brand = make_brand(name="Quartz", legal_name="Quartz SA")
    second = make_contract(brand=other_brand, influencer=first.influencer, title="Automne",
                           status="pending_approval")

    def numbers(**filters):
        page = service.list_page(service.ListFilters(**filters), "number", 1)
        return [c.number for c in page.items]

    assert numbers() == sorted([first.number, second.number])
    assert numbers(text="quartz") == [second.number]
    assert numbers(text=first.number.lower()) == [first.number]
    assert numbers(text="zoé") == sorted([first.number, second.number])  # the influencer
    assert numbers(status="pending_approval") == [second.number]
    assert numbers(brand_id=first.brand_id) == [first.number]
    assert service.status_counts() == {"draft": 1, "pending_approval": 1}
    service.delete_contract(first)
    assert numbers() == [second.number]
    assert [c.number for c in service.list_page(service.ListFilters(), "number", 1,
                                                deleted=True).items] == [first.number]


def test_only_drafts_and_cancelled_go_to_the_trash(english):
    contract = make_contract()
    workflow.submit(contract, make_user("member"))
    with pytest.raises(ServiceError, match="Only a draft or a cancelled"):
        service.delete_contract(contract)


def test_a_signed_contract_covers_the_deal(english):
    """The campaign's 1 000 € HT warning goes once a signed contract binds the brand and the
    influencer for that objective over the year (and not for a draft or another year)."""
    campaign = make_campaign(objective="awareness", currency="EUR",
                             starts_on=date(2026, 5, 1), ends_on=date(2026, 6, 30))
    participant = make_participant(campaign=campaign, agreed_fee_cents=150_000,
                                   stage="contracted")
    brand, person = campaign.brand, participant.influencer
    for field, value in (("legal_name", "B SAS"), ("registration_number", "123"),
                         ("address", "1 rue"), ("email", "b@b.fr"), ("tax_country", "FR"),
                         ("signatory_name", "Jo")):
        setattr(brand, field, value)
    db.session.commit()
    assert [d.influencer_id for d in deals_needing_contract(campaign_id=campaign.id)] \
        == [person.id]
    contract = make_contract(brand=brand, influencer=make_influencer(), objective="awareness",
                             starts_on=date(2026, 1, 1), ends_on=date(2026, 12, 31))
    contract.status = "signed"  # another influencer: the deal is still uncovered
    db.session.commit()
    assert len(deals_needing_contract(campaign_id=campaign.id)) == 1
    draft = make_contract(brand=brand, influencer=person, objective="awareness",
                          starts_on=date(2026, 1, 1), ends_on=date(2026, 12, 31))
    assert len(deals_needing_contract(campaign_id=campaign.id)) == 1  # a draft binds nobody
    past = make_contract(brand=brand, influencer=person, objective="awareness",
                         starts_on=date(2025, 1, 1), ends_on=date(2025, 12, 31))
    past.status = "signed"
    db.session.commit()
    assert len(deals_needing_contract(campaign_id=campaign.id)) == 1  # another year
    draft.status = "signed"
    db.session.commit()
    assert deals_needing_contract(campaign_id=campaign.id) == []


@pytest.mark.parametrize("pay_kind", ["fixed", "per_operation"])
def test_an_in_kind_benefit_under_fixed_pay_is_kept_and_counted(english, pay_kind, pdf_text):
    from app.contracts.document import rules
    from app.contracts.rendering import render_pdf
    from app.contracts.view_data import threshold

    data = {**service.defaults_for_standing(make_brand(), make_influencer()),
            "pay_kind": pay_kind, "fixed_fee_cents": 80_000, "fee_per_operation_cents": 80_000,
            "operations": [{"platform": "instagram", "kind": "reel", "count": 1}],
            "benefits": [{"description": "Séjour de deux nuits", "value_cents": 30_000}]}
    contract = service.create_contract(data, make_user("member"))
    db.session.expire_all()
    assert contract.benefits == [{"description": "Séjour de deux nuits", "value_cents": 30_000}]
    assert rules.total_value_cents(contract) == 110_000
    assert threshold(contract)["reached"]  # 800 € + 300 € in kind: a written contract
    if pay_kind == "fixed":  # the document itemises it and counts it in the total
        text = pdf_text(render_pdf(contract).pdf)
        for value in ("800,00 €", "Avantages en nature", "Séjour de deux nuits", "300,00 €",
                      "s'élève à 1 100,00 € hors taxes"):
            assert value in text, value
    service.update_contract(contract, {**data, "benefits": []}, contract.version)
    assert contract.benefits == [] and not threshold(contract)["reached"]


def test_in_kind_benefits_count_toward_the_campaigns_threshold(english):
    """800 € agreed plus a 300 € stay in the participant's draft contract: 1 100 € HT,
    a written contract is required (and a cancelled contract's benefits no longer count)."""
    campaign = make_campaign(objective="awareness", currency="EUR",
                             starts_on=date(2026, 5, 1), ends_on=date(2026, 6, 30))
    participant = make_participant(campaign=campaign, agreed_fee_cents=80_000,
                                   stage="contracted")
    assert deals_needing_contract(campaign_id=campaign.id) == []
    contract = make_contract(brand=campaign.brand, influencer=participant.influencer,
                             participant=participant, campaign=campaign, benefits=[
                                 {"description": "Séjour de deux nuits", "value_cents": 30_000}])
    assert contract.in_kind_cents == 30_000
    [deal] = deals_needing_contract(campaign_id=campaign.id)
    assert (deal.influencer_id, deal.total_cents) == (participant.influencer_id, 110_000)
    contract.benefits = [{"description": "Séjour d'une nuit", "value_cents": 15_000}]
    db.session.commit()
    assert deals_needing_contract(campaign_id=campaign.id) == []
    contract.benefits = [{"description": "Séjour de deux nuits", "value_cents": 30_000}]
    contract.status = "cancelled"
    db.session.commit()
    assert deals_needing_contract(campaign_id=campaign.id) == []
