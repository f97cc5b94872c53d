"""The managers' "To approve" queue with the contracts that wait for approval beside the
operations: the tab and its counts, what is listed (and what is not), the menu's count in
one statement, every role, bad query strings."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

from app.campaigns.operations import lists
from app.models.base import utcnow
from tests.factories import (
    make_brand,
    make_campaign,
    make_contract,
    make_influencer,
    make_operation,
    make_participant,
    make_user,
)


def _pending(brand, name: str, **kw):
    return make_contract(brand=brand, influencer=make_influencer(display_name=name),
                         status="pending_approval", **kw)


def test_pending_contracts_are_listed_oldest_first(manager_client, html):
    brand = make_brand(name="Maison Lumière")
    campaign = make_campaign(brand=brand, name="Été solaire")
    now = utcnow()
    recent = _pending(brand, "Zoé Martin", campaign_id=campaign.id, submitted_at=now)
    older = _pending(brand, "Inès Moreau", submitted_at=now - timedelta(days=3))
    unknown = _pending(brand, "Hugo Petit",  # submitted before the time was kept
                       created_at=now - timedelta(days=10))
    page = html(manager_client.get("/campaigns/approvals?list=contracts"))
    assert "3 contracts wait for approval, oldest first." in page
    shown = [int(n) for n in re.findall(r'<h2 id="contract-(\d+)-title"', page)]
    assert shown == [unknown.id, older.id, recent.id]
    item = page.split(f'id="contract-{recent.id}-title"')[1].split("</article>")[0]
    assert f'href="/contracts/{recent.id}"' in item and "Zoé Martin" in item
    assert recent.number in item and "Maison Lumière" in item
    assert f'href="/campaigns/{campaign.id}">Été solaire</a>' in item
    assert "waiting since" in item


def test_only_contracts_waiting_for_a_manager(manager_client, html):
    brand = make_brand()
    waiting = _pending(brand, "Waits")
    make_contract(brand=brand, influencer=make_influencer(display_name="Still a draft"))
    make_contract(brand=brand, influencer=make_influencer(display_name="Already approved"),
                  status="approved")
    _pending(brand, "In the trash", deleted_at=utcnow())
    page = html(manager_client.get("/campaigns/approvals?list=contracts"))
    assert "1 contract waits for approval, oldest first." in page
    assert "Waits" in page and f"/contracts/{waiting.id}" in page
    for name in ("Still a draft", "Already approved", "In the trash"):
        assert name not in page
    assert lists.waiting().contracts == 1


def test_tabs_count_operations_and_contracts(manager_client, html):
    make_operation(status="submitted")
    make_operation(status="draft")
    brand = make_brand()
    _pending(brand, "A")
    _pending(brand, "B")
    page = html(manager_client.get("/campaigns/approvals"))
    tabs = page.split('<nav class="tabs"')[1].split("</nav>")[0]
    assert re.search(r'list=approve"[^>]*>To approve <span class="pill"[^>]*>1</span>', tabs)
    assert re.search(r'list=contracts"[^>]*>Contracts to approve <span class="pill"[^>]*>2</span>',
                     tabs)
    # The operations' list says that contracts wait too, and links to them.
    assert "1 operation waits for approval, oldest first." in page
    assert "2 contracts wait for approval too." in page


def test_the_badge_counts_both_in_one_statement(db, count_statements):
    make_operation(status="submitted")
    make_operation(status="submitted")
    _pending(make_brand(), "C")
    assert count_statements(lists.approvals_waiting) == 1
    assert lists.approvals_waiting() == 3


def test_the_badge_leaves_out_trashed_campaigns_and_contracts(db):
    campaign = make_campaign(deleted_at=datetime(2026, 1, 1, tzinfo=UTC))
    make_operation(participant=make_participant(campaign=campaign), status="submitted")
    _pending(make_brand(), "Trashed", deleted_at=utcnow())
    assert lists.approvals_waiting() == 0
    make_operation(status="submitted")
    _pending(make_brand(), "Live")
    assert lists.approvals_waiting() == 2
    assert lists.waiting() == lists.Waiting(operations=1, contracts=1)


def test_the_managers_menu_counts_contracts_too(manager_client, html):
    _pending(make_brand(), "Only a contract")
    menu = html(manager_client.get("/campaigns/calendar"))
    assert re.search(r"To approve <span[^>]*>\s*(<span[^>]*>)?1<", menu)


def test_every_role_may_read_the_contracts_tab(viewer_client, member_client, html):
    _pending(make_brand(), "Readable")
    for client in (viewer_client, member_client):
        page = html(client.get("/campaigns/approvals?list=contracts"))
        assert "Readable" in page and "Managers approve them or request changes." in page
    # Without a list, people who cannot approve land on the changes requested.
    assert "Show only those I submitted" in html(member_client.get("/campaigns/approvals"))


def test_empty_and_bad_query_strings(manager_client, html):
    page = html(manager_client.get("/campaigns/approvals?list=contracts"))
    assert "No contract waits for approval." in page
    for query in ("list=contracts&page=abc", "list=contracts&page=-4", "list=contracts&page=999",
                  "list=nonsense", "list=contracts'--"):
        response = manager_client.get(f"/campaigns/approvals?{query}")
        assert response.status_code == 200, query


def test_the_contracts_tab_is_paginated(manager_client, app, monkeypatch, html):
    monkeypatch.setitem(app.config, "RELAIS_PAGE_SIZE", 2)
    brand = make_brand()
    for n in range(5):
        _pending(brand, f"Person {n}")
    page = html(manager_client.get("/campaigns/approvals?list=contracts"))
    assert "Page 1 of 3" in page and "list=contracts" in page
    last = html(manager_client.get("/campaigns/approvals?list=contracts&page=3"))
    assert len(re.findall(r'<h2 id="contract-', last)) == 1


def test_french_queue(client_as, html):
    manager = make_user("manager", locale="fr")
    _pending(make_brand(), "Zoé")
    page = html(client_as(manager).get("/campaigns/approvals?list=contracts"))
    assert "1 contrat attend" in page
