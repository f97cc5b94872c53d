"""Browser tests: the real app served on a loopback port, driven by Debian's Chromium.

Never a downloaded browser build: Playwright launches /usr/bin/chromium. Screenshots of
failing tests land in test-results/ (pytest-playwright's --screenshot only-on-failure).
"""

from __future__ import annotations

import shutil

import pytest

from tests.race import served

CHROMIUM = "/usr/bin/chromium"


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    if not shutil.which(CHROMIUM):
        pytest.fail(f"{CHROMIUM} is missing: install Debian's chromium package (make test does)")
    return {
        **browser_type_launch_args,
        "executable_path": CHROMIUM,
        "args": ["--no-sandbox", "--disable-background-networking", "--disable-gpu",
                 "--disable-component-update", "--no-first-run"],
    }


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args):
    return {**browser_context_args, "locale": "en-GB", "viewport": {"width": 1400, "height": 900}}


@pytest.fixture()
def live_server(app, db):
    """Serves the test app on a free loopback port for the duration of one test."""
    with served(app) as url:
        yield url
