"""The campaign overview: KPIs against targets, budget, compliance, activity, tabs, French."""

from __future__ import annotations

import pytest

from app.extensions import db as _db
from app.models import AuditEvent
from tests.factories import (
    make_brand,
    make_campaign,
    make_influencer,
    make_operation,
    make_participant,
    make_user,
)

# --- overview ---------------------------------------------------------------------------

def kpi_row(page: str, label: str) -> str:
    start = page.index(f'<th scope="row">{label}')
    return page[start:page.index("</tr>", start)]


def test_overview_compares_kpis_with_their_targets(viewer_client, html):
    campaign = make_campaign(kpi_targets={"reach": 1000, "engagements": 10_000, "cpe": 0.5,
                                          "impressions": 5000})
    participant = make_participant(campaign=campaign, agreed_fee_cents=10_000, stage="live")
    make_operation(participant, reach=2000, likes=250, comments=50)
    page = html(viewer_client.get(f"/campaigns/{campaign.id}"))
    assert "✓ met" in kpi_row(page, "Reach") and "2,000" in kpi_row(page, "Reach")
    assert "✗ not yet" in kpi_row(page, "Engagements")
    # 100 € for 300 engagements: 0,33 € each, under the 0,50 € target (lower is better).
    cpe = kpi_row(page, "Cost per engagement (CPE)")
    assert "lower is better" in cpe and "✓ met" in cpe and "€0.33" in cpe and "≤ €0.50" in cpe
    impressions = kpi_row(page, "Impressions")
    assert "Not measured yet" in impressions and "met" not in impressions


def test_overview_without_targets_says_so(viewer_client, html):
    campaign = make_campaign()
    assert "No KPI target set" in html(viewer_client.get(f"/campaigns/{campaign.id}"))


def test_overview_warns_when_committed_exceeds_the_budget(viewer_client, html):
    campaign = make_campaign(budget_cents=50_000)
    make_participant(campaign=campaign, agreed_fee_cents=40_000)
    make_participant(campaign=campaign, agreed_fee_cents=20_000)
    make_participant(campaign=campaign, agreed_fee_cents=90_000, stage="declined")
    make_participant(campaign=campaign, proposed_fee_cents=7_000)
    page = html(viewer_client.get(f"/campaigns/{campaign.id}"))
    assert "Over budget: €600.00 committed for a budget of €500.00" in page
    assert "€70.00" in page  # proposed, not agreed yet


def test_overview_within_budget_has_no_warning(viewer_client, html):
    campaign = make_campaign(budget_cents=50_000)
    make_participant(campaign=campaign, agreed_fee_cents=50_000)
    assert "Over budget" not in html(viewer_client.get(f"/campaigns/{campaign.id}"))


def test_overview_shows_compliance_warnings(viewer_client, html):
    brand = make_brand(name="Château Lune", sector="alcohol")
    campaign = make_campaign(brand=brand, name="Vendanges", objective="event")
    influencer = make_influencer(display_name="Léa Martin")
    make_participant(campaign=campaign, influencer=influencer, agreed_fee_cents=120_000)
    page = html(viewer_client.get(f"/campaigns/{campaign.id}"))
    assert "The brand is in a restricted sector" in page and "loi Évin" in page
    assert "Léa Martin: €1,200.00 of fees from Château Lune" in page
    assert f'href="/influencers/{influencer.id}"' in page


def test_overview_says_other_currencies_are_not_converted(viewer_client, html):
    campaign = make_campaign(currency="USD")
    make_participant(campaign=campaign, agreed_fee_cents=500_000)
    page = html(viewer_client.get(f"/campaigns/{campaign.id}"))
    assert "This campaign is in USD: its fees are not converted" in page
    assert "of fees from" not in page


def test_overview_lists_recent_activity(viewer_client, html):
    campaign = make_campaign()
    _db.session.add(AuditEvent(entity_type="campaign", entity_id=campaign.id, action="update",
                               changes={"name": ["Before", "After"]}))
    _db.session.add(AuditEvent(entity_type="campaign", entity_id=campaign.id + 1,
                               action="update", changes={"name": ["Other", "Campaign"]}))
    _db.session.commit()
    page = html(viewer_client.get(f"/campaigns/{campaign.id}"))
    assert "Before" in page and "After" in page and "Other" not in page


def test_overview_has_the_campaign_tabs(viewer_client, html):
    campaign = make_campaign()
    page = html(viewer_client.get(f"/campaigns/{campaign.id}"))
    assert f'<a href="/campaigns/{campaign.id}" aria-current="page">Overview</a>' in page
    assert f'href="/campaigns/{campaign.id}/participants"' in page


def test_brand_page_links_to_its_campaigns(viewer_client, html):
    brand = make_brand()
    page = html(viewer_client.get(f"/brands/{brand.id}"))
    assert f'href="/campaigns/?brand={brand.id}"' in page


@pytest.mark.parametrize("url", ["/campaigns/", "/campaigns/new", "/campaigns/{id}",
                                 "/campaigns/{id}/edit", "/campaigns/trash"])
def test_pages_render_in_french(db, url, client_as, html):
    user = make_user("member", locale="fr")
    client = client_as(user)
    campaign = make_campaign(budget_cents=150_050, kpi_targets={"cpe": 0.25})
    response = client.get(url.format(id=campaign.id))
    assert response.status_code == 200
    assert '<html lang="fr">' in html(response)
