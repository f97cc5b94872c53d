"""The network view in a real browser: Cytoscape draws the neighbourhood fetched from
/network/graph.json under the CSP, and the page offers the edge-kind filters."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from app.extensions import db
from app.models import Relationship
from tests import factories
from tests.browser.test_influencer_journey import log_in

pytestmark = pytest.mark.browser


def test_neighbourhood_is_drawn_and_filtered(page: Page, live_server):
    user = factories.make_user("viewer")
    people = [factories.make_influencer(display_name=name) for name in
              ("Camille Roux", "Léa Martin", "Hugo Petit", "Inès Garnier")]
    for source, target, kind in ((0, 1, "reposts"), (2, 0, "mentions"), (3, 0, "follows")):
        db.session.add(Relationship(source_id=people[source].id, target_id=people[target].id,
                                    kind=kind, weight=1))
    db.session.commit()
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    log_in(page, live_server, user)

    page.goto(f"{live_server}/influencers/{people[0].id}")
    page.get_by_role("link", name="See the network").click()
    expect(page.get_by_role("heading", name="Network of Camille Roux")).to_be_visible()
    graph = page.locator("#network-graph")
    expect(graph).to_have_attribute("data-ready", "1")
    expect(graph).to_have_attribute("data-nodes", "4")
    expect(graph).to_have_attribute("data-edges", "3")
    assert graph.locator("canvas").count() > 0  # Cytoscape drew on its canvases

    page.get_by_label("Follow").uncheck()
    page.get_by_label("Mention").uncheck()
    page.get_by_role("button", name="Show").click()
    expect(graph).to_have_attribute("data-ready", "1")
    expect(graph).to_have_attribute("data-nodes", "2")
    assert not errors, errors  # no CSP violation, no script error
