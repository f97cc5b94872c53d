"""Brands: list, detail, create, edit with optimistic locking, trash and restore."""

from __future__ import annotations

import pytest
from flask_babel import force_locale
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select

from app.brands import service as brand_service
from app.core.errors import ServiceError
from app.extensions import db as _db
from app.models import AuditEvent, Brand
from tests.factories import make_brand

VALID_SIREN = "732829320"  # L'Oréal's SIREN: passes the Luhn check
VALID_SIRET = "73282932000074"
LA_POSTE_SIRET = "35600000049837"  # an establishment: digit sum, not Luhn


def brand_form(**overrides) -> dict:
    data = {
        "name": "Musée des Confluences", "legal_name": "Musée des Confluences SPL",
        "legal_form": "SPL", "registration_number": VALID_SIREN, "address": "86 quai Perrache",
        "email": "partenariats@museedesconfluences.fr", "tax_country": "FR",
        "signatory_name": "Hélène Lafont-Couturier", "signatory_title": "Directrice",
        "sector": "culture", "website": "https://www.museedesconfluences.fr", "notes": "",
    }
    data.update(overrides)
    return data


def brand_count() -> int:
    return _db.session.scalar(select(func.count()).select_from(Brand))


# --- list -------------------------------------------------------------------------------

def test_empty_list_says_what_to_do(member_client):
    response = member_client.get("/brands/")
    assert response.status_code == 200
    assert b"No brands yet" in response.data
    assert b"Add the first brand" in response.data


def test_viewer_sees_no_create_button(viewer_client):
    response = viewer_client.get("/brands/")
    assert b"Add the first brand" not in response.data


def test_list_searches_by_name_and_legal_name(viewer_client):
    make_brand(name="Sephora", legal_name="Sephora SAS")
    make_brand(name="Decathlon", legal_name="Decathlon SE")
    response = viewer_client.get("/brands/?q=deca")
    assert b"Decathlon" in response.data and b"Sephora" not in response.data
    response = viewer_client.get("/brands/?q=sephora sas")
    assert b"Sephora" in response.data


def test_search_with_no_match_offers_to_clear(viewer_client):
    make_brand(name="Sephora")
    response = viewer_client.get("/brands/?q=zzz")
    assert "No brand matches “zzz”".encode() in response.data


def test_list_sorts_and_paginates(app, viewer_client, monkeypatch):
    monkeypatch.setitem(app.config, "RELAIS_PAGE_SIZE", 2)
    for name in ("Bravo", "Alpha", "Charlie"):
        make_brand(name=name)
    first = viewer_client.get("/brands/?sort=name").data
    assert first.index(b"Alpha") < first.index(b"Bravo") and b"Charlie" not in first
    second = viewer_client.get("/brands/?sort=name&page=2").data
    assert b"Charlie" in second
    desc = viewer_client.get("/brands/?sort=-name").data
    assert b"Charlie" in desc and b"Alpha" not in desc


@pytest.mark.parametrize("query", [
    "?sort=evil", "?page=-4", "?page=abc", "?page=99999999999", "?q=%25", "?q=_",
    "?q=" + "x" * 5000, "?sort=-",
])
def test_hostile_list_parameters_never_fail(viewer_client, query):
    make_brand(name="Sephora")
    assert viewer_client.get("/brands/" + query).status_code == 200


def test_nul_byte_in_search_is_a_clear_400(viewer_client):
    response = viewer_client.get("/brands/?q=a%00b")
    assert response.status_code == 400
    assert b"could not be understood" in response.data


def test_nul_byte_in_the_form_saves_nothing(member_client):
    response = member_client.post("/brands/new", data=brand_form(name="Sep\x00hora"))
    assert response.status_code == 400
    assert brand_count() == 0


def test_like_wildcards_are_literal(viewer_client):
    make_brand(name="Sephora")
    assert b"Sephora" not in viewer_client.get("/brands/?q=%25").data


# --- detail ---------------------------------------------------------------------------------

def test_detail_shows_legal_identity_and_complete_checklist(viewer_client):
    brand = brand_service.create_brand(brand_form())
    response = viewer_client.get(f"/brands/{brand.id}")
    assert response.status_code == 200
    assert b"Directrice" in response.data
    assert b"France" in response.data
    assert b"The legal identity is complete" in response.data


def test_detail_lists_what_a_contract_still_needs(viewer_client):
    brand = make_brand(name="Bare", legal_name="Bare SAS")
    page = viewer_client.get(f"/brands/{brand.id}").data
    for missing in (b"Registration number", b"Signatory name", b"Tax-residence country"):
        assert missing in page
    assert b"The legal identity is complete" not in page


@pytest.mark.parametrize("sector", sorted(brand_service.SECTOR_RULES))
def test_restricted_sector_shows_a_warning(viewer_client, sector):
    brand = make_brand(sector=sector)
    page = viewer_client.get(f"/brands/{brand.id}").data
    assert b"warning-box" in page and b"Restricted sector" in page


def test_ordinary_sector_has_no_warning(viewer_client):
    brand = make_brand(sector="culture")
    assert b"warning-box" not in viewer_client.get(f"/brands/{brand.id}").data


def test_javascript_website_is_not_linked(viewer_client):
    brand = make_brand(website="javascript:alert(1)")
    page = viewer_client.get(f"/brands/{brand.id}").data
    assert b'href="javascript:' not in page


def test_missing_or_deleted_brand_is_404(viewer_client):
    assert viewer_client.get("/brands/999999").status_code == 404
    brand = make_brand(name="Gone")
    brand_service.delete_brand(brand)
    assert viewer_client.get(f"/brands/{brand.id}").status_code == 404
    assert viewer_client.get(f"/brands/{brand.id}/edit").status_code == 403  # a viewer edits none


# --- create ---------------------------------------------------------------------------------

def test_member_creates_a_brand(member_client):
    response = member_client.post("/brands/new", data=brand_form())
    assert response.status_code == 302
    brand = _db.session.scalar(select(Brand))
    assert brand.name == "Musée des Confluences" and brand.tax_country == "FR"
    assert brand.created_by_id == member_client.user.id
    event = _db.session.scalar(select(AuditEvent).where(AuditEvent.entity_type == "brand"))
    assert event.action == "create" and event.user_id == member_client.user.id


def test_viewer_cannot_create(viewer_client):
    assert viewer_client.get("/brands/new").status_code == 403
    assert viewer_client.post("/brands/new", data=brand_form()).status_code == 403
    assert brand_count() == 0


def test_french_siret_with_spaces_is_normalised(member_client):
    member_client.post("/brands/new", data=brand_form(registration_number="732 829 320 00074"))
    assert _db.session.scalar(select(Brand.registration_number)) == VALID_SIRET


@pytest.mark.parametrize("number", ["732829321", "1234", "73282932000075", "ABCDEFGHI"])
def test_invalid_french_registration_is_refused(member_client, number):
    response = member_client.post("/brands/new", data=brand_form(registration_number=number))
    assert response.status_code == 400
    assert b"SIREN" in response.data
    assert brand_count() == 0


def test_foreign_registration_is_free_text(member_client):
    data = brand_form(tax_country="DE", registration_number="HRB 12345 B")
    assert member_client.post("/brands/new", data=data).status_code == 302
    assert _db.session.scalar(select(Brand.registration_number)) == "HRB 12345 B"


def test_la_poste_siret_follows_its_own_rule(app):
    problem = brand_service.registration_problem
    with app.test_request_context(), force_locale("en"):
        assert problem(LA_POSTE_SIRET, "FR") is None
        assert problem("35600000000048", "FR") is None  # head office
        assert "not valid (check digit)" in problem("35600000049838", "FR")
        assert problem(VALID_SIREN, "FR") is None
        assert "not valid (check digit)" in problem("732829321", "FR")


@pytest.mark.parametrize("field,value", [
    ("name", ""), ("name", "   "), ("email", "not-an-email"), ("website", "javascript:alert(1)"),
    ("website", "ftp://example.com"), ("tax_country", "XX"), ("sector", "weapons"),
    ("name", "x" * 201),
])
def test_invalid_fields_are_refused_with_a_message(member_client, field, value):
    response = member_client.post("/brands/new", data=brand_form(**{field: value}))
    assert response.status_code == 400
    assert b"errors" in response.data
    assert brand_count() == 0


def test_service_refuses_unknown_sector_and_bad_siren(app, db):
    with app.test_request_context(), pytest.raises(ServiceError):
        brand_service.create_brand(brand_form(sector="weapons"))
    with app.test_request_context(), pytest.raises(ServiceError):
        brand_service.create_brand(brand_form(registration_number="123456789"))
    with app.test_request_context(), pytest.raises(ServiceError):
        brand_service.create_brand(brand_form(name=" "))


_text = st.text(max_size=300)


@settings(max_examples=40, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.fixed_dictionaries({
    "name": _text, "legal_name": _text, "registration_number": _text, "email": _text,
    "tax_country": st.sampled_from(["", "FR", "DE", "fr", "ZZ", "<b>", "FRA"]),
    "sector": st.one_of(st.sampled_from(["", "alcohol", "culture"]), _text),
    "website": _text, "address": _text, "notes": _text,
}))
@pytest.mark.slow
def test_hostile_brand_form_never_fails(member_client, data):
    before = brand_count()
    response = member_client.post("/brands/new", data=data)
    assert response.status_code in (302, 400)
    if response.status_code == 400:
        assert brand_count() == before


# --- edit and conflicts ---------------------------------------------------------------------

def test_edit_form_carries_the_version(member_client):
    brand = make_brand(name="Sephora")
    page = member_client.get(f"/brands/{brand.id}/edit").data
    assert b'name="version" type="hidden" value="1"' in page


def test_edit_saves_with_the_current_version(member_client):
    brand = make_brand(name="Sephora")
    data = brand_form(name="Sephora France", version=str(brand.version))
    response = member_client.post(f"/brands/{brand.id}/edit", data=data)
    assert response.status_code == 302
    _db.session.refresh(brand)
    assert brand.name == "Sephora France" and brand.version == 2


def test_stale_save_shows_both_versions(member_client):
    brand = make_brand(name="Sephora")
    brand_service.update_brand(brand, brand_form(name="Saved by someone else"), 1)
    response = member_client.post(f"/brands/{brand.id}/edit",
                                  data=brand_form(name="Mine", version="1"))
    assert response.status_code == 409
    page = response.data.decode()
    assert "Mine" in page and "Saved by someone else" in page
    assert "Apply my changes anyway" in page and "Keep the saved version" in page
    assert 'class="differs"' in page
    assert 'name="version" value="2"' in page
    _db.session.refresh(brand)
    assert brand.name == "Saved by someone else"


def test_apply_mine_anyway_saves_over_the_new_version(member_client):
    brand = make_brand(name="Sephora")
    brand_service.update_brand(brand, brand_form(name="Theirs"), 1)
    member_client.post(f"/brands/{brand.id}/edit", data=brand_form(name="Mine", version="1"))
    # The conflict page re-posts my values with the version it showed.
    response = member_client.post(f"/brands/{brand.id}/edit",
                                  data=brand_form(name="Mine", version="2"))
    assert response.status_code == 302
    _db.session.refresh(brand)
    assert brand.name == "Mine"


@pytest.mark.parametrize("version", ["", "abc", "-1", "99999999999999999999"])
def test_missing_or_garbled_version_is_refused_not_a_crash(member_client, version):
    brand = make_brand(name="Sephora")
    response = member_client.post(f"/brands/{brand.id}/edit",
                                  data=brand_form(name="Mine", version=version))
    assert response.status_code == 400
    assert "The form is incomplete" in response.get_data(as_text=True)
    _db.session.refresh(brand)
    assert brand.name == "Sephora"


def test_update_service_raises_conflict_on_stale_version(db):
    from app.core.errors import Conflict

    brand = make_brand(name="Sephora")
    brand_service.update_brand(brand, brand_form(name="First"), 1)
    with pytest.raises(Conflict) as caught:
        brand_service.update_brand(brand, brand_form(name="Second"), 1)
    assert caught.value.current.name == "First"
    assert caught.value.submitted["name"] == "Second"


# --- trash ----------------------------------------------------------------------------------

def test_delete_moves_to_trash_and_restore_brings_back(member_client):
    brand = make_brand(name="Sephora")
    assert member_client.get(f"/brands/{brand.id}/delete").status_code == 405
    assert member_client.post(f"/brands/{brand.id}/delete").status_code == 302
    assert b"<td>Sephora</td>" not in member_client.get("/brands/").data
    assert b"<td>Sephora</td>" in member_client.get("/brands/trash").data
    assert member_client.post(f"/brands/{brand.id}/restore").status_code == 302
    assert b">Sephora</a>" in member_client.get("/brands/").data
    actions = _db.session.scalars(
        select(AuditEvent.action).where(AuditEvent.entity_type == "brand")
        .order_by(AuditEvent.id)
    ).all()
    assert actions == ["create", "delete", "restore"]


def test_restore_of_a_live_brand_is_404(member_client):
    brand = make_brand(name="Sephora")
    assert member_client.post(f"/brands/{brand.id}/restore").status_code == 404


def test_empty_trash_says_so(viewer_client):
    assert b"The trash is empty" in viewer_client.get("/brands/trash").data


def test_viewer_cannot_delete_or_restore(viewer_client):
    brand = make_brand(name="Sephora")
    assert viewer_client.post(f"/brands/{brand.id}/delete").status_code == 403
    assert viewer_client.post(f"/brands/{brand.id}/restore").status_code == 403


def test_country_names_follow_the_user_language(app, db):
    from flask_babel import refresh

    from app.forms import country_choices

    # The locale is cached on the app context the db fixture holds: refresh it.
    with app.test_request_context(headers={"Accept-Language": "fr"}):
        refresh()
        french = dict(country_choices())
    with app.test_request_context(headers={"Accept-Language": "en"}):
        refresh()
        english = dict(country_choices())
    assert french["DE"] == "Allemagne" and english["DE"] == "Germany"
    assert "150" not in french and "EU" not in french
