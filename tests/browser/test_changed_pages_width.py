"""The pages this round changed, on a 390 px phone in French: the campaign report (budget
facts, tables with Total rows), the candidates (fit "estimated" badge, fee estimates), the
admin rates (CPM and the minimum-fee grid) and the influencer list with a platform chosen
(per-platform columns, the export buttons) never scroll the page sideways — wide tables
scroll inside their card, long French labels wrap."""

from __future__ import annotations

from datetime import date

import pytest
from playwright.sync_api import Page, expect

from app.campaigns.report import rates
from app.extensions import db as database
from app.models import Community, InfluencerScore, ScoringRun
from app.models.rates import DEFAULT_FEE_FLOORS, FOLLOWER_TIERS
from tests import factories

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}
AUDIENCE = {"country": {"FR": 0.7, "BE": 0.3}, "gender": {"female": 0.6, "male": 0.4}}


def _campaign_with_results():
    """A museum campaign: three people, agreed fees, published operations with metrics."""
    campaign = factories.make_campaign(
        name="Nuit des musées 2026", status="active", budget_cents=1_200_000,
        starts_on=date(2026, 7, 10), ends_on=date(2026, 8, 9), target_platforms="instagram",
        target_countries="FR", target_gender="female", target_gender_share=0.6,
        kpi_targets={"reach": 400_000, "cpe": 0.4})
    people = [
        factories.make_person("Édith Marchal-Beaumont", ("instagram", 24_000, None, AUDIENCE)),
        factories.make_person("Hugo Lambert", ("instagram", 380, None, None)),
        factories.make_person("Inès Roux", ("instagram", 9_000, None, None)),
    ]
    for n, person in enumerate(people):
        participant = factories.make_participant(
            campaign, person, stage="paid" if n else "delivered", agreed_fee_cents=120_000)
        factories.make_operation(
            participant, status="published", published_on=date(2026, 7, 12 + n),
            impressions=30_000, reach=21_000, likes=1_100, comments=60, shares=25, saves=15)
    return campaign, people


def _scoring_run(people) -> None:
    """A finished run: everybody scored, in one community."""
    run = ScoringRun(status="done", progress=100, nodes=len(people))
    database.session.add(run)
    database.session.flush()
    for n, person in enumerate(people):
        database.session.add(InfluencerScore(
            run_id=run.id, influencer_id=person.id, pagerank=0.1, core=1, betweenness=0.0,
            community=1, score=70.0 - n, network_percentile=50.0))
    database.session.add(Community(run_id=run.id, number=1, label="art · musées",
                                   size=len(people)))
    database.session.commit()


def test_changed_pages_fit_a_phone_in_french(page: Page, live_server, db):
    admin = factories.make_user("admin", name="Administratrice Relais", locale="fr")
    factories.make_platform_rates(instagram=800, tiktok=600)
    rates.save_floors({(platform, tier): euros * 100
                       for platform, floors in DEFAULT_FEE_FLOORS.items()
                       for tier, euros in zip(FOLLOWER_TIERS, floors, strict=True)}, None)
    campaign, people = _campaign_with_results()
    outsiders = [factories.make_person(f"Candidate{n} Longuenomdefamille",
                                       ("instagram", 1_000 * (n + 1), None, None))
                 for n in range(3)]
    _scoring_run(people + outsiders)

    page.set_viewport_size(PHONE)
    page.goto(live_server + "/login")
    page.fill("input[name=email]", admin.email)
    page.fill("input[name=password]", factories.PASSWORD)
    page.locator("main input[name=submit], main button[type=submit]").first.click()
    expect(page.get_by_role("heading", name="Tableau de bord")).to_be_visible()

    pages = {  # path → the page's new part, in French
        f"/campaigns/{campaign.id}/report": "dt:text-is('Coût retenu pour les KPI')",
        f"/campaigns/{campaign.id}/candidates": ".fee-estimate:text-is('estimation')",
        "/admin/rates": "h2:text-is('Tarif minimal par publication')",
        "/influencers/?platform=instagram": "th:has-text('Abonnés · Instagram')",
    }
    for path, selector in pages.items():
        page.goto(live_server + path)
        expect(page.locator(selector).first).to_be_visible()
        widths = page.evaluate(
            "[document.documentElement.scrollWidth, window.innerWidth]")
        assert widths[0] <= widths[1], f"{path} scrolls sideways at 390 px: {widths}"
