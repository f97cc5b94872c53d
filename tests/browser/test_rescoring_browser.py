"""Rescoring you can watch, in a real browser against the served app: "Rescore" queues a
run that a worker thread carries out; the page shows it queued, then its progress, then the
new scores and a redrawn graph, without anyone reloading the page — also when the worker
is done in a tenth of a second, before the page after the redirect is even drawn."""

from __future__ import annotations

import threading

import pytest
from playwright.sync_api import Page, expect

from app.extensions import db
from app.models import Relationship
from app.scoring import rescoring, tasks
from tests import factories
from tests.browser.test_influencer_journey import log_in

pytestmark = pytest.mark.browser

PEOPLE = ("Camille Roux", "Léa Martin", "Hugo Petit", "Inès Garnier", "Manon Girard",
          "Théo Lambert")


class Worker:
    """Takes the queued run in a thread of its own, as the Huey consumer would. With
    `held`, it waits for `go` before starting and stops at 25 % until `resume`."""

    def __init__(self, app, held: bool) -> None:
        self.app, self.held = app, held
        self.go, self.at_25, self.resume = (threading.Event() for _ in range(3))
        self.thread: threading.Thread | None = None
        self.errors: list[BaseException] = []

    def enqueue(self, _user_id, run_id) -> None:
        self.thread = threading.Thread(target=self.work, args=(run_id,), daemon=True)
        self.thread.start()

    def progress(self, percent: int) -> None:
        if self.held and percent == 25:
            self.at_25.set()
            self.resume.wait(30)

    def work(self, run_id: int) -> None:
        if self.held:
            self.go.wait(30)
        with self.app.app_context():
            try:
                rescoring.rescore(progress=self.progress, run_id=run_id)
            except BaseException as error:  # noqa: BLE001 - reported by the test
                self.errors.append(error)
            finally:
                db.session.remove()

    def join(self) -> None:
        self.go.set()
        self.resume.set()
        if self.thread is not None:
            self.thread.join(timeout=30)
        assert not self.errors, self.errors


@pytest.fixture()
def network(db):
    people = [factories.make_influencer(display_name=name) for name in PEOPLE]
    for source, target in ((0, 1), (1, 2), (2, 0), (3, 0), (4, 3), (5, 4)):
        db.session.add(Relationship(source_id=people[source].id,
                                    target_id=people[target].id, kind="reposts", weight=1))
    db.session.commit()
    return people


def _open_network(page: Page, live_server) -> list[str]:
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    log_in(page, live_server, factories.make_user("member"))
    page.goto(f"{live_server}/network/")
    expect(page.get_by_text("No scoring run yet")).to_be_visible()
    graph = page.locator("#network-graph")
    expect(graph).to_have_attribute("data-ready", "1")
    expect(graph).to_have_attribute("data-scored", "0")  # sizes follow the followers
    return errors


def _expect_new_scores(page: Page) -> None:
    """The page moved to the finished run by itself: same document, new scores, graph
    redrawn with them."""
    scoring = page.locator("#scoring")
    expect(scoring).to_contain_text("6 people, 6 links", timeout=10_000)
    run = rescoring.latest_run()
    assert run is not None
    expect(scoring).to_have_attribute("data-run", str(run.id))
    expect(page.get_by_role("button", name="Rescore")).to_be_visible()
    graph = page.locator("#network-graph")
    expect(graph).to_have_attribute("data-run", str(run.id))
    expect(graph).to_have_attribute("data-ready", "1")
    expect(graph).to_have_attribute("data-scored", "6")
    assert page.evaluate("window.sameDocument") == 1  # nobody reloaded the page


def test_rescore_shows_queued_then_progress_then_the_new_scores(page: Page, live_server, app,
                                                                network, monkeypatch):
    worker = Worker(app, held=True)
    monkeypatch.setattr(tasks, "run_scoring", worker.enqueue)
    errors = _open_network(page, live_server)
    try:
        page.get_by_role("button", name="Rescore").click()
        expect(page.get_by_text("Scoring queued: waiting for its turn…")).to_be_visible()
        expect(page.get_by_role("link", name="Refresh")).to_be_visible()
        page.evaluate("window.sameDocument = 1")

        worker.go.set()
        assert worker.at_25.wait(10)
        progress = page.locator("#scoring-progress")
        expect(progress).to_have_attribute("value", "25")
        expect(page.get_by_text("Scoring: computing the network figures…")).to_be_visible()

        worker.resume.set()
        _expect_new_scores(page)
    finally:
        worker.join()
    assert not errors, errors  # no CSP violation, no script error


def test_a_worker_done_in_a_tenth_of_a_second_still_shows_the_new_scores(
        page: Page, live_server, app, network, monkeypatch):
    worker = Worker(app, held=False)
    monkeypatch.setattr(tasks, "run_scoring", worker.enqueue)
    errors = _open_network(page, live_server)
    try:
        page.get_by_role("button", name="Rescore").click()
        expect(page.locator("#scoring")).to_be_visible()
        page.evaluate("window.sameDocument = 1")
        _expect_new_scores(page)
    finally:
        worker.join()
    assert not errors, errors
