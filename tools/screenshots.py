"""Take the README screenshots from a running Relais (e.g. `make run`).

    .venv/bin/python tools/screenshots.py http://127.0.0.1:5000 EMAIL PASSWORD [--locale fr]

Uses Debian's Chromium, like the browser tests.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from playwright.sync_api import sync_playwright

OUT = Path(__file__).resolve().parent.parent / "docs" / "screenshots"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("base")
    parser.add_argument("email")
    parser.add_argument("password")
    parser.add_argument("--locale", default="fr-FR")
    args = parser.parse_args()
    OUT.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path="/usr/bin/chromium",
            args=["--no-sandbox", "--disable-background-networking", "--disable-gpu"],
        )
        page = browser.new_page(viewport={"width": 1400, "height": 900}, locale=args.locale)
        page.goto(args.base + "/login")
        page.fill("input[name=email]", args.email)
        page.fill("input[name=password]", args.password)
        page.click("input[type=submit]")
        page.wait_for_load_state("networkidle")
        page.screenshot(path=OUT / "dashboard.png", full_page=True)
        page.goto(args.base + "/influencers/?sort=-followers&platform=instagram")
        page.screenshot(path=OUT / "influencers.png")
        first = page.locator("table tbody tr a").first
        first.click()
        page.wait_for_load_state("networkidle")
        page.wait_for_timeout(500)  # charts finish drawing
        page.screenshot(path=OUT / "profile.png", full_page=True)
        browser.close()
    print(f"screenshots written to {OUT}")


if __name__ == "__main__":
    main()
