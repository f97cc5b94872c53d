"""The minimum fee per platform and follower tier (/admin/rates, second form): admins edit,
managers read; amounts typed the French way; bad input gives a message and keeps what was
typed, never a server error; a stale form never overwrites; the audit event."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from markupsafe import escape
from sqlalchemy import select

from app.campaigns.report import rates as service
from app.extensions import db as _db
from app.models import AuditEvent, FeeFloor
from app.models.influencer import PLATFORMS
from app.models.rates import FOLLOWER_TIERS

PAGE = "/admin/rates"
URL = "/admin/rates/floors"


def floors() -> dict[tuple[str, str], int]:
    _db.session.expire_all()
    return {(f.platform, f.tier): f.floor_cents for f in _db.session.scalars(select(FeeFloor))}


def _value(page: str, name: str) -> str:
    tag = page[page.index(f'name="{name}"'):]
    tag = tag[:tag.index(">")]
    return tag.split('value="')[1].split('"')[0] if 'value="' in tag else ""


def form(client, **typed: str) -> dict[str, str]:
    """The floors form as the page shows it (its stamp), with some fields typed over
    (`instagram_nano="150"`)."""
    page = client.get(PAGE).get_data(as_text=True)
    data = {"floors_opened_with": _value(page, "floors_opened_with")}
    for platform in PLATFORMS:
        for tier in FOLLOWER_TIERS:
            data[f"floor_{platform}_{tier}"] = _value(page, f"floor_{platform}_{tier}")
    data.update({f"floor_{key}": value for key, value in typed.items()})
    return data


def floor_events() -> list[AuditEvent]:
    _db.session.expire_all()
    return list(_db.session.scalars(select(AuditEvent).where(
        AuditEvent.entity_type == "fee_floor")))


@pytest.mark.parametrize("who", ["viewer_client", "member_client", "manager_client"])
def test_only_admins_save(request, who):
    client = request.getfixturevalue(who)
    assert client.post(URL, data={"floor_instagram_nano": "50"}).status_code == 403
    assert floors() == {}


def test_managers_read_the_floors(manager_client):
    service.save_floors({("instagram", "micro"): 20_000}, None)
    page = manager_client.get(PAGE).get_data(as_text=True)
    assert "Minimum fee per post" in page and "€200.00" in page
    assert 'name="floor_' not in page
    assert "Only an administrator can change the minimum fees." in page
    assert "Micro" in page and "10 k to 100 k" in page.replace("\u202f", " ")


def test_admin_sees_a_field_per_platform_and_tier(admin_client):
    service.save_floors({("tiktok", "mega"): 600_000}, None)
    page = admin_client.get(PAGE).get_data(as_text=True)
    for platform in PLATFORMS:
        for tier in FOLLOWER_TIERS:
            assert f'name="floor_{platform}_{tier}"' in page
    assert 'value="6,000.00"' in page or 'value="6000.00"' in page
    assert 'name="cpm_instagram"' in page  # the CPM form is still there, on its own


def test_admin_saves_french_amounts_and_empty_removes(admin_client):
    service.save_floors({("youtube", "nano"): 10_000, ("x", "mega"): 300_000}, None)
    data = form(admin_client, instagram_nano="50", instagram_micro="200,50 €",
                youtube_nano="120", x_mega="")
    response = admin_client.post(URL, data=data)
    assert response.status_code == 302
    assert response.headers["Location"].endswith("/admin/rates#floors-title")
    assert floors() == {("instagram", "nano"): 5_000, ("instagram", "micro"): 20_050,
                        ("youtube", "nano"): 12_000}
    assert "The minimum fees are saved." in admin_client.get(PAGE).get_data(as_text=True)
    first, event = floor_events()  # the setup's save, then the admin's
    assert first.user_id is None
    assert (event.entity_id, event.action, event.user_id) == (0, "update",
                                                              admin_client.user.id)
    assert event.changes == {"instagram:nano": [None, 5_000], "instagram:micro": [None, 20_050],
                             "youtube:nano": [10_000, 12_000], "x:mega": [300_000, None]}


def test_saving_the_same_values_changes_nothing(admin_client):
    service.save_floors({("instagram", "nano"): 5_000}, None)
    response = admin_client.post(URL, data=form(admin_client), follow_redirects=True)
    assert "Nothing changed." in response.get_data(as_text=True)
    assert len(floor_events()) == 1  # the first save only


@pytest.mark.parametrize(("typed", "message"), [
    ("abc", "Type an amount"),
    ("-5", "Type an amount"),
    ("=1+1", "Type an amount"),
    ("100000,01", "A minimum fee is between 0 and 100 000"),
    ("2000000", "A minimum fee is between 0 and 100 000"),
    ("99999999999999", "Type an amount"),
])
def test_invalid_amounts_are_refused_and_kept(admin_client, typed, message):
    service.save_floors({("instagram", "nano"): 5_000}, None)
    response = admin_client.post(URL, data=form(admin_client, tiktok_micro=typed,
                                                youtube_mid="900"))
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert message in page and 'aria-invalid="true"' in page
    assert f'value="{escape(typed)}"' in page and 'value="900"' in page  # typed, kept
    assert floors() == {("instagram", "nano"): 5_000} and len(floor_events()) == 1


def test_a_stale_form_does_not_overwrite(admin_client):
    data = form(admin_client, instagram_nano="60")
    service.save_floors({("instagram", "nano"): 7_000}, None)  # another admin, meanwhile
    response = admin_client.post(URL, data=data)
    assert response.status_code == 409
    page = response.get_data(as_text=True)
    assert "Someone changed the minimum fees in the meantime" in page
    assert 'value="60"' in page and "saved: €70.00" in page
    assert floors() == {("instagram", "nano"): 7_000}
    data["floors_opened_with"] = _value(page, "floors_opened_with")
    assert admin_client.post(URL, data=data).status_code == 302
    assert floors() == {("instagram", "nano"): 6_000}


def test_the_rates_form_keeps_the_floors(admin_client):
    """Each table has its own form: saving the CPMs leaves the floors alone."""
    service.save_floors({("instagram", "nano"): 5_000}, None)
    page = admin_client.get(PAGE).get_data(as_text=True)
    data = {"opened_with": _value(page, "opened_with"), "cpm_instagram": "8"}
    assert admin_client.post(PAGE, data=data).status_code == 302
    assert floors() == {("instagram", "nano"): 5_000}


def test_the_service_refuses_unknown_keys_and_impossible_amounts(db):
    for wanted in ({("myspace", "nano"): 100}, {("instagram", "giga"): 100},
                   {("instagram", "nano"): -1},
                   {("instagram", "nano"): service.FLOOR_MAX_CENTS + 1}):
        with pytest.raises(service.ServiceError):
            service.save_floors(wanted, None)
    assert floors() == {}


def test_the_page_in_french(client_as):
    from tests import factories

    client = client_as(factories.make_user("admin", locale="fr"))
    service.save_floors({("instagram", "micro"): 20_000}, None)
    page = client.get(PAGE).get_data(as_text=True)
    assert "Tarif minimal par publication" in page and "moins de 10\u202fk" in page
    assert 'value="200,00"' in page
    response = client.post(URL, data=form(client, instagram_micro="200000"))
    assert response.status_code == 400
    assert "Un tarif minimal est compris entre 0 et 100 000" in response.get_data(as_text=True)


@pytest.mark.slow
@settings(max_examples=25, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(typed=st.text(max_size=30))
def test_random_amounts_never_give_a_server_error(admin_client, typed):
    response = admin_client.post(URL, data=form(admin_client, instagram_mega=typed))
    assert response.status_code in {302, 400}
    if response.status_code == 302:
        assert 0 <= floors().get(("instagram", "mega"), 0) <= service.FLOOR_MAX_CENTS
