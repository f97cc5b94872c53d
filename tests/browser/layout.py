"""How far a page scrolls sideways, measured once it is loaded and laid out.

After a click that navigates, Playwright's `expect(…).to_be_visible()` can pass while a
stylesheet is still on its way on a loaded machine: measured then, an unstyled table is
wider than a phone (a CI run failed so on a page that fits). The stylesheets applied
(the `load` event) and two animation frames drawn, the width is the one a person sees."""

from __future__ import annotations

from playwright.sync_api import Page

SETTLE_JS = "() => new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)))"


def sideways(page: Page) -> int:
    """The page's sideways scroll in px (0 or less: it fits its viewport)."""
    page.wait_for_load_state("load")
    page.evaluate(SETTLE_JS)
    return page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
