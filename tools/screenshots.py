"""Take the README screenshots from a running Relais (e.g. `make run`).

    .venv/bin/python tools/screenshots.py http://127.0.0.1:5000 EMAIL PASSWORD [--locale fr]

Uses Debian's Chromium, like the browser tests. The campaign screenshots expect the demo
data (`flask demo seed`): a completed campaign with figures, a running one.
"""

from __future__ import annotations

import argparse
import re
import tempfile
from pathlib import Path

from playwright.sync_api import Page, expect, sync_playwright

OUT = Path(__file__).resolve().parent.parent / "docs" / "screenshots"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("base")
    parser.add_argument("email")
    parser.add_argument("password")
    parser.add_argument("--locale", default="fr-FR")
    parser.add_argument("--out", type=Path, default=OUT, help="Where the PNG files go.")
    args = parser.parse_args()
    out = args.out
    out.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path="/usr/bin/chromium",
            args=["--no-sandbox", "--disable-background-networking", "--disable-gpu"],
        )
        page = browser.new_page(viewport={"width": 1366, "height": 900}, locale=args.locale)
        log_in(page, args)
        page.screenshot(path=out / "dashboard.png", full_page=True)
        page.goto(args.base + "/influencers/?sort=-followers&platform=instagram")
        page.screenshot(path=out / "influencers.png")
        first = page.locator("table tbody tr a").first
        first.click()
        page.wait_for_load_state("networkidle")
        page.wait_for_timeout(500)  # charts finish drawing
        page.screenshot(path=out / "profile.png", full_page=True)
        campaigns(page, args.base, out)
        import_preview(page, args.base, out)
        page.goto(args.base + "/network/")
        page.wait_for_selector("#network-graph[data-ready]")
        page.screenshot(path=out / "network.png", full_page=True)
        phone = browser.new_page(viewport={"width": 390, "height": 844}, locale=args.locale,
                                 is_mobile=True, has_touch=True, device_scale_factor=2)
        log_in(phone, args)
        phone_pages(phone, args.base, out)
        browser.close()
    print(f"screenshots written to {out}")


# What a French team's Excel saves as "CSV (séparateur : point-virgule)": cp1252, French
# headers, decimal commas, thousands with spaces.
SAMPLE_CSV = (
    "Nom;E-mail;Ville;Pays;Instagram;Abonnés Instagram;Taux d'engagement;Centres d'intérêt\r\n"
    "Élodie Marchal;elodie@exemple.fr;Lyon;France;@elodie.cuisine;12 400;3,2 %;cuisine\r\n"
    "Hugo Lefèvre;hugo@exemple.fr;Nantes;France;@hugo.voyage;58 300;2,1 %;voyage\r\n"
    "Inès Benali;ines@exemple.fr;Bruxelles;Belgique;@ines.mode;7 900;5,4 %;mode\r\n"
).encode("cp1252")


def import_preview(page: Page, base: str, out: Path) -> None:
    """The wizard's preview of a French Excel CSV: encoding, delimiter, columns mapped."""
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "influenceurs.csv"
        path.write_bytes(SAMPLE_CSV)
        page.goto(base + "/imports/new")
        page.set_input_files("input[type=file]", str(path))
        page.locator("main form [type=submit]").first.click()
        page.wait_for_load_state("networkidle")
        page.screenshot(path=out / "import-preview.png", full_page=True)


def log_in(page: Page, args) -> None:
    page.goto(args.base + "/login")
    page.fill("input[name=email]", args.email)
    page.fill("input[name=password]", args.password)
    page.click("main [type=submit]")
    page.wait_for_load_state("networkidle")


def phone_pages(page: Page, base: str, out: Path) -> None:
    """A 390 px phone: the dashboard, the list, the open menu, the calendar's agenda."""
    page.screenshot(path=out / "phone-dashboard.png")
    page.goto(base + "/influencers/?sort=-followers")
    page.screenshot(path=out / "phone-influencers.png")
    page.get_by_role("button", name=re.compile("^Menu$")).click()
    page.screenshot(path=out / "phone-menu.png")
    page.goto(base + "/campaigns/calendar")
    page.wait_for_load_state("networkidle")
    page.screenshot(path=out / "phone-agenda.png")


def open_campaign(page: Page, base: str, status: str) -> str:
    """The address of the first campaign with this status (the demo has one of each)."""
    page.goto(f"{base}/campaigns/?status={status}")
    link = page.locator("table.campaign-list tbody tr a").first
    expect(link).to_be_visible()
    return base + link.get_attribute("href")


def campaigns(page: Page, base: str, out: Path) -> None:
    page.goto(base + "/campaigns/")
    expect(page.locator("table.campaign-list")).to_be_visible()
    page.screenshot(path=out / "campaigns.png")

    completed = open_campaign(page, base, "completed")
    page.goto(completed + "/report")
    canvases = page.locator("canvas[data-campaign-chart]")
    expect(canvases.first).to_be_visible()
    # Chart.js has drawn every canvas (animations are off on the report).
    page.wait_for_function(
        "() => window.Chart && [...document.querySelectorAll('canvas[data-campaign-chart]')]"
        ".every(c => window.Chart.getChart(c))")
    page.screenshot(path=out / "campaign-report.png", full_page=True)

    running = open_campaign(page, base, "active")
    page.goto(running + "/participants")
    expect(page.locator(".board-card").first).to_be_visible()
    page.screenshot(path=out / "campaign-board.png")

    page.goto(running + "/candidates")
    page.wait_for_load_state("networkidle")
    page.screenshot(path=out / "campaign-candidates.png")
    page.goto(running + "/ambassadors?budget=5000&max_count=5")
    page.wait_for_load_state("networkidle")
    page.wait_for_timeout(500)  # the chart finishes drawing
    page.screenshot(path=out / "campaign-ambassadors.png", full_page=True)

    page.goto(base + "/contracts/?status=signed")
    page.locator("main table tbody tr a").first.click()
    page.wait_for_load_state("networkidle")
    page.screenshot(path=out / "contract.png", full_page=True)

    page.goto(base + "/campaigns/calendar?view=month")
    page.wait_for_load_state("networkidle")
    page.screenshot(path=out / "campaign-calendar.png", full_page=True)


if __name__ == "__main__":
    main()
