"""The campaign service: parsing of hashtags and languages, validation, the status workflow,
optimistic locking, and the compliance warnings (restricted sectors, the 1 000 € HT
contract threshold per brand × influencer × objective × year)."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from app.campaigns import compliance, service
from app.core.errors import Conflict, ServiceError
from app.extensions import db as _db
from app.models.campaign import CAMPAIGN_STATUSES, KPI_TARGETS
from tests import factories
from tests.factories import make_brand, make_campaign, make_influencer, make_participant


@pytest.fixture(autouse=True)
def english(app):
    """Messages in English (outside a request, the app speaks French)."""
    with app.test_request_context(headers={"Accept-Language": "en"}):
        yield


def fields(brand, **overrides) -> dict:
    data = {"brand_id": brand.id, "name": "Rentrée 2026", "objective": "awareness",
            "status": "draft", "currency": "EUR"}
    data.update(overrides)
    return data


# --- parsing ----------------------------------------------------------------------------

@pytest.mark.parametrize(("typed", "expected"), [
    ("#Été2026, #ete", ["#Été2026", "#ete"]),
    ("#Été2026, #ete ete #ETE", ["#Été2026", "#ete"]),
    ("été2026;  vegan\nparis", ["#été2026", "#vegan", "#paris"]),
    ("##double", ["#double"]),
    ("", []),
    (None, []),
    (" , ; ", []),
])
def test_hashtags_are_normalised(typed, expected):
    assert service.parse_tags(typed, "#") == expected


def test_mentions_keep_dots_and_are_lower_cased():
    assert service.parse_tags("@Maison.X, maison.x @Autre_Compte", "@") == [
        "@maison.x", "@autre_compte"]


@pytest.mark.parametrize(("typed", "sign"), [
    ("#foo-bar", "#"), ("#a.b", "#"), ("<script>", "#"), ("#" + "a" * 101, "#"),
    ("@a/b", "@"), ("@évil!", "@"),
])
def test_bad_hashtags_and_mentions_are_refused(typed, sign):
    with pytest.raises(ServiceError):
        service.parse_tags(typed, sign)


def test_too_many_hashtags_are_refused():
    with pytest.raises(ServiceError, match="At most 50"):
        service.parse_tags(" ".join(f"#t{i}" for i in range(51)), "#")


@pytest.mark.parametrize(("typed", "expected"), [
    ("fr, EN", ["fr", "en"]), ("fr en fr", ["fr", "en"]), ("", []), ("de;it", ["de", "it"]),
])
def test_languages_are_two_letter_codes(typed, expected):
    assert service.parse_languages(typed) == expected


@pytest.mark.parametrize("typed", ["xx", "fra", "french", "f", "fr, 12", "ﬀ"])
def test_bad_language_codes_are_refused(typed):
    with pytest.raises(ServiceError, match="two-letter language code"):
        service.parse_languages(typed)


def test_every_kpi_target_has_a_known_unit_and_a_label():
    from app.i18n.labels import LABELS
    from app.models.campaign import KPI_UNITS

    assert set(KPI_UNITS.values()) <= {"count", "rate", "money"}
    assert set(KPI_TARGETS) <= set(LABELS["kpi"])


# --- the status workflow ----------------------------------------------------------------

ALLOWED = {
    ("draft", "planned"), ("planned", "active"), ("active", "completed"),
    *((status, "cancelled") for status in CAMPAIGN_STATUSES if status != "cancelled"),
    *((status, status) for status in CAMPAIGN_STATUSES),
}


@pytest.mark.parametrize("old", CAMPAIGN_STATUSES)
@pytest.mark.parametrize("new", CAMPAIGN_STATUSES)
def test_status_transitions(old, new):
    problem = service.transition_problem(old, new)
    assert (problem is None) == ((old, new) in ALLOWED)


def test_refused_transition_names_both_statuses():
    problem = service.transition_problem("active", "draft")
    assert "Active" in problem and "Draft" in problem and "cancelled at any time" in problem


# --- create, update ---------------------------------------------------------------------

def test_create_stores_normalised_values(db):
    brand = make_brand()
    campaign = service.create_campaign(fields(
        brand, target_platforms=["instagram", "tiktok", "instagram"],
        target_countries=["fr", "BE"], target_age_bands=["18-24"], target_languages="FR, en",
        hashtags="#Été2026, #ete, ete", mentions="@Maison.X", budget_cents=1_500_000,
        kpi_targets={"reach": 100_000, "cpe": 0.25, "roi": 1.5, "cpm": None},
        target_gender="female", target_gender_share=0.6))
    _db.session.expire_all()
    assert campaign.target_platforms == "instagram,tiktok"
    assert campaign.target_countries == "FR,BE"
    assert campaign.target_languages == "fr,en"
    assert campaign.hashtags == "#Été2026 #ete"
    assert campaign.mentions == "@maison.x"
    assert campaign.kpi_targets == {"reach": 100_000, "cpe": 0.25, "roi": 1.5}


@pytest.mark.parametrize(("overrides", "message"), [
    ({"name": "  "}, "needs a name"),
    ({"starts_on": date(2026, 5, 2), "ends_on": date(2026, 5, 1)}, "cannot end before"),
    ({"starts_on": date(1970, 1, 1)}, "between 2000 and 2100"),
    ({"budget_cents": -1}, "budget"),
    ({"budget_cents": 10**12}, "budget"),
    ({"status": "archived"}, "Unknown value"),
    ({"currency": "XBT"}, "Unknown value"),
    ({"sector": "weapons"}, "Unknown sector"),
    ({"target_platforms": ["myspace"]}, "Unknown platform"),
    ({"target_countries": ["XX"]}, "Unknown country"),
    ({"target_age_bands": ["0-12"]}, "Unknown age band"),
    ({"target_gender_share": 0.5}, "Choose the gender"),
    ({"target_gender": "female", "target_gender_share": 1.5}, "between 0 and 100"),
    ({"kpi_targets": {"likes": 3}}, "Unknown KPI"),
    ({"kpi_targets": {"reach": float("nan")}}, "not a valid number"),
    ({"kpi_targets": {"reach": -5}}, "not a valid number"),
    ({"owner_id": 999_999}, "not an active member"),
])
def test_create_refuses_bad_values(db, overrides, message):
    brand = make_brand()
    with pytest.raises(ServiceError, match=message):
        service.create_campaign(fields(brand, **overrides))


def test_a_brand_in_the_trash_cannot_get_a_new_campaign(db):
    brand = make_brand(deleted_at=datetime.now(UTC))
    with pytest.raises(ServiceError, match="Choose a brand"):
        service.create_campaign(fields(brand))


def test_an_existing_campaign_keeps_its_trashed_brand(db):
    brand = make_brand()
    campaign = service.create_campaign(fields(brand))
    brand.deleted_at = datetime.now(UTC)
    _db.session.commit()
    service.update_campaign(campaign, fields(brand, name="Renamed"), campaign.version)
    assert campaign.name == "Renamed"


def test_update_from_an_old_version_is_a_conflict(db):
    brand = make_brand()
    campaign = service.create_campaign(fields(brand))
    old = campaign.version
    service.update_campaign(campaign, fields(brand, name="First"), old)
    with pytest.raises(Conflict) as caught:
        service.update_campaign(campaign, fields(brand, name="Second"), old)
    assert caught.value.current.name == "First"
    assert caught.value.submitted["name"] == "Second"


def test_update_refuses_a_step_back(db):
    brand = make_brand()
    campaign = service.create_campaign(fields(brand, status="active"))
    with pytest.raises(ServiceError, match="cannot go from"):
        service.update_campaign(campaign, fields(brand, status="draft"), campaign.version)
    _db.session.refresh(campaign)
    assert campaign.status == "active"


def test_trash_and_restore(db):
    campaign = make_campaign()
    service.delete_campaign(campaign)
    with pytest.raises(service.NotFound):
        service.get_campaign(campaign.id)
    assert service.get_campaign(campaign.id, deleted=True) is campaign
    service.restore_campaign(campaign)
    assert service.get_campaign(campaign.id) is campaign


# --- restricted sectors -----------------------------------------------------------------

def test_brand_in_a_restricted_sector_warns(db):
    campaign = make_campaign(brand=make_brand(sector="gambling"))
    messages = compliance.warnings(campaign)
    assert len(messages) == 1 and "brand is in a restricted sector" in messages[0]
    assert "under-18s" in messages[0]


def test_campaign_in_a_restricted_sector_warns(db):
    campaign = make_campaign(brand=make_brand(sector="food"), sector="alcohol")
    messages = compliance.warnings(campaign)
    assert len(messages) == 1 and "campaign is in a restricted sector" in messages[0]


def test_same_restricted_sector_warns_once(db):
    campaign = make_campaign(brand=make_brand(sector="crypto"), sector="crypto")
    assert len(compliance.warnings(campaign)) == 1


def test_ordinary_sectors_do_not_warn(db):
    campaign = make_campaign(brand=make_brand(sector="culture"), sector="food")
    assert compliance.warnings(campaign) == []


# --- the 1 000 € HT threshold -----------------------------------------------------------

def deal(brand, influencer, fee_cents, start=date(2026, 3, 1), objective="awareness", **kw):
    stage = kw.pop("stage", "contracted")
    campaign = make_campaign(brand=brand, objective=objective, starts_on=start, **kw)
    make_participant(campaign=campaign, influencer=influencer, agreed_fee_cents=fee_cents,
                     stage=stage)
    return campaign


@pytest.fixture()
def pair(db):
    return make_brand(name="Maison X"), make_influencer(display_name="Léa Martin")


def test_999_99_euros_is_not_flagged(pair):
    deal(*pair, 99_999)
    assert compliance.deals_needing_contract() == []


def test_1000_euros_is_flagged(pair):
    brand, influencer = pair
    campaign = deal(brand, influencer, 100_000)
    assert compliance.deals_needing_contract() == [compliance.Deal(
        brand.id, influencer.id, "awareness", 2026, 100_000, [campaign.id])]


def test_fees_split_over_two_campaigns_add_up(pair):
    first = deal(*pair, 60_000, start=date(2026, 1, 10))
    second = deal(*pair, 40_000, start=date(2026, 11, 30))
    (found,) = compliance.deals_needing_contract()
    assert found.total_cents == 100_000
    assert found.campaign_ids == sorted([first.id, second.id])


def test_different_years_do_not_add_up(pair):
    deal(*pair, 60_000, start=date(2025, 12, 31))
    deal(*pair, 60_000, start=date(2026, 1, 1))
    assert compliance.deals_needing_contract() == []


def test_year_of_creation_when_no_start_date(pair):
    deal(*pair, 60_000, start=None, created_at=datetime(2026, 6, 1, tzinfo=UTC))
    deal(*pair, 60_000, start=date(2026, 2, 1))
    deal(*pair, 60_000, start=None, created_at=datetime(2025, 6, 1, tzinfo=UTC))
    (found,) = compliance.deals_needing_contract()
    assert (found.year, found.total_cents) == (2026, 120_000)


@pytest.mark.parametrize("other", [
    {"objective": "conversion"},  # another objective is another deal
    {"stage": "declined"},
    {"status": "cancelled"},
    {"currency": "USD"},  # not converted
    {"deleted_at": datetime(2026, 1, 1, tzinfo=UTC)},
])
def test_what_does_not_count_toward_the_threshold(pair, other):
    deal(*pair, 60_000)
    deal(*pair, 60_000, **other)
    assert compliance.deals_needing_contract() == []


def test_another_brand_or_influencer_is_another_deal(pair):
    brand, influencer = pair
    deal(brand, influencer, 60_000)
    deal(make_brand(), influencer, 60_000)
    deal(brand, make_influencer(), 60_000)
    assert compliance.deals_needing_contract() == []


def test_filters_by_brand_and_by_campaign(pair):
    brand, influencer = pair
    flagged = deal(brand, influencer, 150_000)
    other_brand = make_brand()
    deal(other_brand, influencer, 150_000)
    unrelated = deal(brand, make_influencer(), 10_000)
    assert len(compliance.deals_needing_contract()) == 2
    assert [d.brand_id for d in compliance.deals_needing_contract(brand_id=brand.id)] == [brand.id]
    assert len(compliance.deals_needing_contract(campaign_id=flagged.id)) == 1
    assert compliance.deals_needing_contract(campaign_id=unrelated.id) == []


def test_campaigns_in_deals_lists_every_campaign_of_the_deal(pair):
    first = deal(*pair, 60_000)
    second = deal(*pair, 40_000)
    deal(pair[0], make_influencer(), 99_999)
    found = set(_db.session.scalars(compliance.campaigns_in_deals()))
    assert found == {first.id, second.id}


def test_threshold_warning_names_the_influencer_and_the_sum(pair):
    campaign = deal(*pair, 125_050)
    (message,) = compliance.warnings(campaign)
    assert "Léa Martin" in message and "€1,250.50" in message and "2026" in message
    assert "Maison X" in message and "contract is mandatory" in message


def test_flags_for_some_campaigns_still_add_up_the_whole_deal(pair):
    brand, influencer = pair
    first = deal(brand, influencer, 60_000)
    second = deal(brand, influencer, 40_000)
    alone = deal(brand, make_influencer(), 99_999)
    assert set(_db.session.scalars(compliance.campaigns_in_deals([second.id]))) == {second.id}
    assert set(_db.session.scalars(compliance.campaigns_in_deals([alone.id]))) == set()
    (found,) = compliance.deals_needing_contract(campaign_id=second.id)
    assert (found.total_cents, found.campaign_ids) == (100_000, sorted([first.id, second.id]))


def test_known_interests_come_from_the_audiences_and_text_keeps_one_separator(db):
    person = factories.make_influencer(accounts=[{"platform": "instagram", "handle": "a.b"}])
    factories.add_snapshot(person.accounts[0], {"interest": {"voyage": 0.5, "Écologie": 0.2},
                                                "country": {"FR": 1.0}})
    assert service.known_interests() == ["Écologie", "voyage"]  # French order, interests only
    assert service.interests_text("cuisine; voyage\n home decor,") == (
        "cuisine, voyage, home decor")
