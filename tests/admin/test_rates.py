"""The CPM per platform (/admin/rates): admins edit, managers read, members and viewers are
refused; amounts typed the French way; validation; a stale form never overwrites; the audit
event; and the EMV reading the rates."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from markupsafe import escape
from sqlalchemy import select

from app.campaigns.report import rates as service
from app.campaigns.report.figures import campaign_kpis
from app.extensions import db as _db
from app.models import AuditEvent, PlatformRate
from app.models.influencer import PLATFORMS
from tests.factories import make_operation, make_participant, make_platform_rates

URL = "/admin/rates"


def rates() -> dict[str, int]:
    _db.session.expire_all()
    return dict(_db.session.execute(select(PlatformRate.platform, PlatformRate.cpm_cents)).all())


def form(client, **typed: str) -> dict[str, str]:
    """The form as the page shows it (its stamp), with some fields typed over."""
    page = client.get(URL).get_data(as_text=True)
    start = page.index('name="opened_with"')
    stamp = page[start:page.index(">", start)].split('value="')[1].split('"')[0]
    data = {"opened_with": stamp}
    for platform in PLATFORMS:
        marker = f'name="cpm_{platform}"'
        tag = page[page.index(marker):]
        tag = tag[:tag.index(">")]
        data[f"cpm_{platform}"] = tag.split('value="')[1].split('"')[0] if 'value="' in tag else ""
    data.update({f"cpm_{platform}": value for platform, value in typed.items()})
    return data


def rate_events() -> list[AuditEvent]:
    _db.session.expire_all()
    return list(_db.session.scalars(select(AuditEvent).where(
        AuditEvent.entity_type == "platform_rate")))


def test_anonymous_is_sent_to_login(client, db):
    response = client.get(URL)
    assert response.status_code == 302 and "/login" in response.headers["Location"]


@pytest.mark.parametrize("who", ["viewer_client", "member_client"])
def test_members_and_viewers_are_refused(request, who):
    client = request.getfixturevalue(who)
    assert client.get(URL).status_code == 403
    assert client.post(URL, data={"cpm_instagram": "8"}).status_code == 403
    assert rates() == {}


def test_managers_read_only(manager_client):
    make_platform_rates(instagram=800)
    response = manager_client.get(URL)
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert "€8.00" in page and "no rate" in page
    assert "<input" not in page.split("<main", 1)[1].split("</main>")[0].replace(
        'type="hidden" name="csrf_token"', "")
    assert "Only an administrator can change the rates." in page
    assert manager_client.post(URL, data={"cpm_instagram": "1"}).status_code == 403
    assert rates() == {"instagram": 800}


def test_admin_sees_every_platform_with_the_current_values(admin_client):
    make_platform_rates(instagram=850)
    page = admin_client.get(URL).get_data(as_text=True)
    for platform in PLATFORMS:
        assert f'name="cpm_{platform}"' in page
    assert 'value="8.50"' in page  # English decimal point in an English session
    assert 'href="/admin/users"' in page  # the administration's sub-navigation


def test_admin_saves_french_amounts_and_empty_removes(admin_client):
    make_platform_rates(youtube=1500, x=300)
    data = form(admin_client, instagram="8,50", tiktok="6 €", youtube="12", x="")
    response = admin_client.post(URL, data=data)
    assert response.status_code == 302 and response.headers["Location"].endswith(URL)
    assert rates() == {"instagram": 850, "tiktok": 600, "youtube": 1200}
    assert "The rates are saved." in admin_client.get(URL).get_data(as_text=True)
    [event] = rate_events()
    assert (event.entity_id, event.action, event.user_id) == (0, "update",
                                                              admin_client.user.id)
    assert event.changes == {"instagram": [None, 850], "tiktok": [None, 600],
                             "youtube": [1500, 1200], "x": [300, None]}


def test_zero_is_a_rate(admin_client):
    admin_client.post(URL, data=form(admin_client, blog="0"))
    assert rates() == {"blog": 0}


def test_saving_the_same_values_changes_nothing(admin_client):
    make_platform_rates(instagram=800)
    response = admin_client.post(URL, data=form(admin_client), follow_redirects=True)
    assert "Nothing changed." in response.get_data(as_text=True)
    assert rate_events() == [] and rates() == {"instagram": 800}


@pytest.mark.parametrize(("typed", "message"), [
    ("abc", "Type an amount"),
    ("-5", "Type an amount"),
    ("=1+1", "Type an amount"),
    ("20000", "A CPM is between 0 and 10 000"),
    ("99999999999999", "Type an amount"),
    ("1e3", "Type an amount"),
])
def test_invalid_amounts_are_refused_and_kept(admin_client, typed, message):
    make_platform_rates(instagram=800)
    response = admin_client.post(URL, data=form(admin_client, tiktok=typed, youtube="12"))
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert message in page and 'aria-invalid="true"' in page
    assert f'value="{escape(typed)}"' in page  # what was typed is shown back
    assert rates() == {"instagram": 800} and rate_events() == []


def test_a_stale_form_does_not_overwrite(admin_client):
    make_platform_rates(instagram=800)
    data = form(admin_client, instagram="9")
    # Another admin saves meanwhile.
    service.save_rates({"instagram": 1000, "tiktok": 500}, None)
    response = admin_client.post(URL, data=data)
    assert response.status_code == 409
    page = response.get_data(as_text=True)
    assert "Someone changed the rates in the meantime" in page
    assert 'value="9"' in page  # the admin's figure is kept in the form
    assert "€10.00" in page and "€5.00" in page  # the rates saved meanwhile, beside it
    assert rates() == {"instagram": 1000, "tiktok": 500}
    # Saving again (against what is now shown) keeps the admin's figures.
    stamp = page[page.index('name="opened_with"'):].split('value="')[1].split('"')[0]
    data["opened_with"] = stamp
    assert admin_client.post(URL, data=data).status_code == 302
    assert rates() == {"instagram": 900}


def test_csrf_is_checked(app, admin_client, monkeypatch):
    monkeypatch.setitem(app.config, "WTF_CSRF_ENABLED", True)
    assert admin_client.post(URL, data={"cpm_instagram": "8"}).status_code == 400
    assert rates() == {}


def test_the_service_refuses_unknown_platforms_and_impossible_amounts(db):
    with pytest.raises(service.ServiceError):
        service.save_rates({"myspace": 100}, None)
    with pytest.raises(service.ServiceError):
        service.save_rates({"instagram": -1}, None)
    with pytest.raises(service.ServiceError):
        service.save_rates({"instagram": service.CPM_MAX_CENTS + 1}, None)
    assert rates() == {}


def test_the_emv_uses_the_rates_and_lists_platforms_without_one(admin_client):
    participant = make_participant()
    make_operation(participant, platform="instagram", impressions=10_000)
    make_operation(participant, platform="tiktok", impressions=10_000)
    make_operation(participant, platform="instagram")  # not measured: no value either way
    admin_client.post(URL, data=form(admin_client, instagram="8"))
    total = campaign_kpis(participant.campaign_id).total
    assert total.emv_cents == 10 * 800  # 10 000 impressions at 8 € per thousand
    assert total.missing_rates == {"tiktok"}


@pytest.mark.slow
@settings(max_examples=25, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(typed=st.text(max_size=30))
def test_random_amounts_never_give_a_server_error(admin_client, typed):
    response = admin_client.post(URL, data=form(admin_client, instagram=typed))
    assert response.status_code in {302, 400}
    if response.status_code == 302:
        assert 0 <= rates().get("instagram", 0) <= service.CPM_MAX_CENTS
