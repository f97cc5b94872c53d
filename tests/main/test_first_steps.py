"""The first-run checklist on the dashboard: four steps, each linking to the page that does
it and ticked once done, the card gone when all are; read in one statement; not shown to
viewers."""

from __future__ import annotations

import re

import pytest

from app.main import dashboard
from app.models.base import utcnow
from tests import factories


def _text(response) -> str:
    return response.get_data(as_text=True)


def _card(page: str) -> str | None:
    if 'class="card first-steps"' not in page:
        return None
    return page.split('class="card first-steps"')[1].split("</section>")[0]


def _ticked(card: str) -> list[str]:
    return re.findall(r'<li class="done">\s*<span class="check"[^>]*>✓</span>\s*'
                      r"<span>([^<]+)</span>", card)


def test_an_empty_install_shows_the_four_steps_with_their_links(admin_client):
    card = _card(_text(admin_client.get("/")))
    assert card is not None and "Getting started" in card
    for href, text in (("/brands/new", "Add a brand"), ("/imports/new", "Import influencers"),
                       ("/campaigns/new", "Create a campaign"),
                       ("/admin/users", "Invite the team")):
        assert f'<a href="{href}">{text}</a>' in card
    assert _ticked(card) == []


def test_steps_are_ticked_as_they_are_done_and_the_card_goes(admin_client):
    brand = factories.make_brand()
    assert _ticked(_card(_text(admin_client.get("/")))) == ["Add a brand"]
    factories.make_influencer()
    factories.make_campaign(brand=brand)
    card = _card(_text(admin_client.get("/")))
    assert _ticked(card) == ["Add a brand", "Import influencers", "Create a campaign"]
    assert '<a href="/admin/users">Invite the team</a>' in card
    factories.make_user("member", active=False)  # an inactive account is not a colleague
    assert '<a href="/admin/users">Invite the team</a>' in _card(_text(admin_client.get("/")))
    factories.make_user("viewer")
    page = _text(admin_client.get("/"))
    assert _card(page) is None and "Getting started" not in page


def test_the_trash_does_not_count(admin_client):
    factories.make_brand(deleted_at=utcnow())
    factories.make_influencer(deleted_at=utcnow())
    assert _ticked(_card(_text(admin_client.get("/")))) == []


@pytest.mark.parametrize("role", ["member", "manager"])
def test_members_and_managers_see_it_without_the_admin_link(client_as, role):
    card = _card(_text(client_as(factories.make_user(role)).get("/")))
    assert card is not None and '<a href="/brands/new">Add a brand</a>' in card
    assert "/admin/users" not in card
    assert "an administrator adds the team’s accounts" in card


def test_viewers_do_not_see_it(viewer_client):
    assert _card(_text(viewer_client.get("/"))) is None


def test_one_statement(db, count_statements):
    factories.make_user("admin")
    assert count_statements(dashboard.first_steps) == 1
    assert dashboard.first_steps() == {"brand": False, "influencers": False,
                                       "campaign": False, "team": False}


def test_french(client_as):
    card = _card(_text(client_as(factories.make_user("admin", locale="fr")).get("/")))
    assert "Premiers pas" in card and "Ajouter une marque" in card
