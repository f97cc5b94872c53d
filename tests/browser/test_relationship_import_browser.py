"""Relationships imported from their web page in headless Chromium: a French Excel file of
relationships (cp1252, `;`, "Source;Cible;Type;Poids" and a platform column) naming people
by handle, one of them unknown → check (nothing written) → import → the counts and the
rejected row."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect
from sqlalchemy import select

from app.models import Influencer, Relationship
from tests import factories
from tests.browser.test_influencer_journey import log_in

pytestmark = pytest.mark.browser

FILE = (
    "Source;Cible;Type;Poids;Réseau\r\n"
    "@lea.mode;@hugo.run;partage;2;Instagram\r\n"
    "@hugo.run;@ines.cuisine;mention;0,5;Instagram\r\n"
    "@lea.mode;@inconnu.total;suit;;Instagram\r\n"
).encode("cp1252")


def choose_file(page: Page) -> None:
    page.set_input_files("input[name=file]", files=[
        {"name": "réseau.csv", "mimeType": "text/csv", "buffer": FILE}])


def expect_counts(page: Page, first: str, created: int, known: int, rejected: int) -> None:
    counts = page.locator(".import-counts")
    expect(counts).to_contain_text(re.compile(rf"{first}\s*{created}"))
    expect(counts).to_contain_text(re.compile(rf"Already known\s*{known}"))
    expect(counts).to_contain_text(re.compile(rf"Rejected rows\s*{rejected}"))


def expect_the_unknown_person(page: Page) -> None:
    row = page.locator("table.import-problems tbody tr")
    expect(row).to_have_count(1)
    expect(row.locator("td")).to_have_text(
        ["4", "Cible", "@inconnu.total", "unknown person: @inconnu.total"])


def test_relationship_import_journey(page: Page, live_server, db):
    member = factories.make_user("member", name="Inès Garnier")
    lea, hugo, ines = (
        factories.make_influencer(display_name=name,
                                  accounts=[{"platform": "instagram", "handle": handle}])
        for name, handle in (("Léa Mode", "lea.mode"), ("Hugo Run", "hugo.run"),
                             ("Inès Cuisine", "ines.cuisine")))
    people = {lea.id, hugo.id, ines.id}
    log_in(page, live_server, member)

    page.goto(live_server + "/imports/")
    page.get_by_role("link", name="Import relationships").click()
    expect(page.get_by_role("heading", name="Import relationships")).to_be_visible()
    expect(page.locator("table.relationship-kinds")).to_contain_text("Audience overlap")

    choose_file(page)
    page.get_by_role("button", name="Check only (dry run)").click()
    expect(page.get_by_role("heading", name="Result of the check")).to_be_visible()
    expect_counts(page, "Relationships to add", 2, 0, 1)
    expect_the_unknown_person(page)
    assert db.session.scalars(select(Relationship)).all() == []

    choose_file(page)
    page.get_by_role("button", name="Import the relationships").click()
    expect(page.get_by_role("heading", name="Result of the import")).to_be_visible()
    expect_counts(page, "Relationships added", 2, 0, 1)
    expect_the_unknown_person(page)

    db.session.expire_all()
    found = db.session.execute(select(Relationship.source_id, Relationship.target_id,
                                      Relationship.kind, Relationship.weight)).all()
    assert sorted(found) == sorted([(lea.id, hugo.id, "reposts", 2.0),
                                    (hugo.id, ines.id, "mentions", 0.5)])
    assert set(db.session.scalars(select(Influencer.id))) == people  # nobody invented
