"""The import wizard in headless Chromium: a French Excel file (cp1252, `;`, "9,5 M",
"12 400", one bad row) → preview → dry run → import → find the people → download the
rejected rows → revert."""

from __future__ import annotations

import csv
import io
import re

import pytest
from playwright.sync_api import Page, expect
from sqlalchemy import select

from app.models import Import, Influencer
from tests import factories
from tests.browser.test_influencer_journey import log_in

pytestmark = pytest.mark.browser

FILE = (
    "Nom;Prénom;Réseau;Compte;Abonnés;Taux d'engagement;Pays\r\n"
    "Lefèvre;Chloé;Instagram;@chloe.lefevre;9,5 M;3,2 %;FR\r\n"
    "Mercier;Théo;TikTok;https://www.tiktok.com/@theo.mercier;12 400;4,5 %;BE\r\n"
    "Cœur;Zoé;Insta;zoe.coeur;beaucoup;2 %;FR\r\n"
).encode("cp1252")


def upload_and_preview(page: Page, base: str) -> None:
    page.goto(base + "/influencers/")
    page.get_by_role("link", name="Import a CSV").click()
    page.set_input_files("input[name=file]", files=[
        {"name": "influenceurs.csv", "mimeType": "text/csv", "buffer": FILE}])
    page.get_by_role("button", name="Upload and preview").click()
    expect(page.get_by_role("heading", name="Preview of influenceurs.csv")).to_be_visible()
    expect(page.locator(".detected-encoding")).to_have_text("cp1252")
    expect(page.locator(".detected-delimiter")).to_contain_text(";")
    expect(page.locator("select[name=encoding]")).to_have_value("cp1252")
    expect(page.locator("select[name=delimiter]")).to_have_value("semicolon")
    preview = page.locator("table.import-preview")
    expect(preview).to_contain_text("Chloé")  # the accent survived: cp1252 was right
    expect(preview).to_contain_text("9,5 M")
    expect(preview).to_contain_text("12 400")
    expect(preview).to_contain_text("Cœur")
    expect(page.locator("select[name=col_4]")).to_have_value("followers")
    expect(page.locator("select[name=col_5]")).to_have_value("engagement_rate")
    override_reading(page)


def override_reading(page: Page) -> None:
    """Changing the delimiter or encoding re-reads the preview at once."""
    # Each change submits the form (a page load): wait for it, however busy the machine.
    with page.expect_navigation(timeout=20_000):
        page.select_option("select[name=delimiter]", "comma")
    expect(page.locator("select[name=col_1]")).to_have_count(0)  # one column now
    expect(page.locator(".detected-delimiter")).to_contain_text(",")
    with page.expect_navigation(timeout=20_000):
        page.select_option("select[name=delimiter]", "semicolon")
    expect(page.locator("select[name=col_6]")).to_have_value("country")
    # not UTF-8: refused with a reason, the detected encoding stays
    with page.expect_navigation(timeout=20_000):
        page.select_option("select[name=encoding]", "utf-8")
    expect(page.locator(".flash-error")).to_contain_text("utf-8")
    expect(page.locator("select[name=encoding]")).to_have_value("cp1252")
    expect(page.locator("table.import-preview")).to_contain_text("Chloé")


def dry_run_and_import(page: Page) -> None:
    page.get_by_role("button", name="Check the file (dry run)").click()
    expect(page.get_by_role("heading", name="What the import would do")).to_be_visible()
    counts = page.locator(".import-counts")
    expect(counts).to_contain_text(re.compile(r"Would be created\s*2"))
    expect(counts).to_contain_text(re.compile(r"Rejected\s*1"))
    expect(page.locator("table.import-problems")).to_contain_text("beaucoup")
    page.get_by_role("button", name="Run the import", exact=True).click()
    expect(page.get_by_role("heading", name="Result")).to_be_visible()
    expect(page.locator(".import-counts")).to_contain_text(re.compile(r"Created\s*2"))


def find_people(page: Page, base: str) -> None:
    page.goto(base + "/influencers/?q=chloe.lefevre")
    expect(page.locator("table tbody")).to_contain_text("Chloé Lefèvre")
    page.goto(base + "/influencers/?q=theo.mercier")
    expect(page.locator("table tbody")).to_contain_text("Théo Mercier")


def download_rejected(page: Page, base: str, import_id: int) -> list[list[str]]:
    page.goto(f"{base}/imports/{import_id}")
    with page.expect_download() as info:
        page.get_by_role("link", name="Download the rejected rows (CSV)").click()
    download = info.value
    assert download.suggested_filename.endswith(".csv")
    with open(download.path(), "rb") as file:
        text = file.read().decode("utf-8-sig")
    first = text.split("\n", 1)[0]
    delimiter = ";" if first.count(";") >= first.count(",") else ","
    return list(csv.reader(io.StringIO(text), delimiter=delimiter))


def test_import_journey(page: Page, live_server, db):
    member = factories.make_user("member", name="Inès Garnier")
    log_in(page, live_server, member)
    upload_and_preview(page, live_server)
    dry_run_and_import(page)
    import_id = db.session.scalar(select(Import.id).order_by(Import.id.desc()))
    find_people(page, live_server)

    rows = download_rejected(page, live_server, import_id)
    assert len(rows) >= 2
    assert any("4" in row and "beaucoup" in row for row in rows[1:]), rows

    db.session.expire_all()
    chloe = db.session.scalars(select(Influencer).where(
        Influencer.display_name == "Chloé Lefèvre")).one()
    assert chloe.followers_total == 9_500_000

    page.goto(f"{live_server}/imports/{import_id}")
    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="Revert this import").click()
    expect(page.locator(".flash-success")).to_contain_text("reverted")
    page.goto(live_server + "/influencers/?q=chloe.lefevre")
    expect(page.get_by_text("Chloé Lefèvre")).to_have_count(0)
    page.goto(live_server + "/imports/")
    expect(page.locator("table.import-list")).to_contain_text("Reverted")
