"""Every main page of Relais, in a real browser, in French and English: none scrolls
sideways (at 390, 768, 1366 and 1920 px), none has a critical or serious axe-core
violation, none logs a console error or a page error (a CSP refusal is one). The admin walks
every page at the four widths with a full-page screenshot of each
(test-results/pages/<lang>/<width>/<page>.png), axe at 390 and 1366 px; the viewer, the
member and the manager walk the pages their role opens at 1366 px with axe, since their
menus and buttons differ. Every problem of the walk is collected, then reported at once
(and written to test-results/pages/problems.txt). A GET page of `app.url_map` neither walked
nor excluded below fails the test: a new page cannot be forgotten.

One server and one seeded agency (tests/browser/pages.py); one browser context per role and
language (the admin's walk cut in two), shared by a few browsers working side by side; a
page is loaded once, at the narrowest width, then widened.

It runs once per `make test`, in the SQLite pass: what it checks (layout, accessibility,
scripts) does not depend on the database, the pages' queries run on PostgreSQL in their
own tests, and its 2½ minutes twice would take `make test` past its 25-minute budget."""

from __future__ import annotations

import contextlib
import os
import queue
import threading
import time
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Error, sync_playwright
from playwright.sync_api import Page as BrowserPage

from tests import factories
from tests.browser import pages
from tests.browser.layout import SETTLE_JS
from tests.browser.pages import AXE_WIDTHS, LANGS, WIDTHS, WalkedPage

pytestmark = [pytest.mark.browser, pytest.mark.skipif(
    bool(os.environ.get("DATABASE_URL")),
    reason="walked once per make test, in the SQLite pass (layout and accessibility only)")]

BROWSERS = 3  # side by side: the server, the browsers and the driver share the cores
HEIGHTS = {390: 844, 768: 1024, 1366: 768, 1920: 1080}
CONTEXT_LOCALES = {"fr": "fr-FR", "en": "en-GB"}
KEPT_IMPACTS = ("critical", "serious")

# The page's sideways scroll, and what sticks out: the outermost elements whose right edge
# passes the viewport outside any scroller (overflow other than visible), widest first,
# each with its widest sticking-out descendant. An absolutely placed element escapes the
# scrollers between it and its containing block (a visually hidden label in a scrolled
# board widens the page): the walk up jumps to the containing block.
OVERFLOW_JS = """() => {
  const vw = window.innerWidth, root = document.documentElement, body = document.body;
  const out = {scroll: root.scrollWidth, inner: vw, offenders: []};
  if (root.scrollWidth <= vw) return out;
  const scrolled = el => {
    let position = getComputedStyle(el).position;
    for (let p = el.parentElement; p && p !== body && position !== 'fixed'; p = p.parentElement) {
      if (position === 'absolute') {
        while (p !== body && getComputedStyle(p).position === 'static') p = p.parentElement;
        if (p === body) return false;
      }
      const style = getComputedStyle(p);
      if (style.overflowX !== 'visible') return true;
      position = style.position;
    }
    return false;
  };
  const name = el => el.tagName.toLowerCase() + (el.id ? '#' + el.id : '')
    + [...el.classList].slice(0, 3).map(c => '.' + c).join('');
  const label = el => {
    const text = (el.innerText || el.value || '').trim().replace(/\\s+/g, ' ');
    return name(el) + (text ? ' "' + text.slice(0, 40) + '"' : '');
  };
  const found = [...body.querySelectorAll('*')]
    .map(el => [el, el.getBoundingClientRect()])
    .filter(([el, r]) => r.width > 0 && r.right > vw + 1 && !scrolled(el));
  const set = new Set(found.map(([el]) => el));
  const outer = found.filter(([el]) => {
    for (let p = el.parentElement; p; p = p.parentElement) if (set.has(p)) return false;
    return true;
  }).sort((a, b) => b[1].right - a[1].right).slice(0, 3);
  out.offenders = outer.map(([el, r]) => {
    const inner = found.filter(([d]) => d !== el && el.contains(d))
      .sort((a, b) => b[1].right - a[1].right)[0];
    return label(el).slice(0, 60) + ' ends at ' + Math.round(r.right) + ' px' + (inner
      ? ' (widest inside: ' + label(inner[0]) + ', ' + Math.round(inner[1].right) + ' px)' : '');
  });
  return out;
}"""

AXE_JS = """async () => {
  const result = await axe.run(document, {resultTypes: ['violations']});
  return result.violations.filter(v => IMPACTS.includes(v.impact)).map(v => ({
    id: v.id, impact: v.impact, help: v.help, count: v.nodes.length,
    targets: v.nodes.slice(0, 3).map(n => n.target.join(' '))}));
}""".replace("IMPACTS", str(list(KEPT_IMPACTS)))


# GET endpoints not walked, and why.
EXCLUDED = {
    "static": "a file, not a page",
    "main.vendor": "front-end libraries (files)",
    "main.health": "JSON health check",
    "main.dashboard": "the same view as / (an alias)",
    "brands.logo": "a brand's logo image",
    "network.graph": "JSON for the network page's graph (the page is walked)",
    "network.rescore_progress": "a fragment polled by the network page",
    "import_wizard.progress": "a fragment polled by the import page",
    "campaigns.contract_batch_progress": "a fragment polled by the contract ZIP page",
    "campaigns.contract_batch_download": "a ZIP download",
    "campaigns.metrics_template": "a CSV download",
    "campaigns.report_csv": "a CSV download",
    "campaigns.report_pdf": "a PDF download",
    "influencers.export": "a JSON download (GDPR access)",
    "influencers.export_csv": "a CSV download",
    "influencers.export_xlsx": "an .xlsx download",
    "import_wizard.rejected_csv": "a CSV download",
    "contracts.download": "a PDF download",
    "contracts.preview": "the contract's printable A4 document (the PDF's HTML), not an app page",
    "contracts.preview_asset": "the contract document's stylesheet and fonts",
    "signing.evidence": "JSON evidence of a signature",
    "signing.document": "the PDF a signer reads",
    "signing.signed_copy": "the signed PDF",
}


@dataclass(frozen=True)
class Problem:
    page: str
    role: str
    lang: str
    width: str
    what: str


@dataclass(frozen=True)
class Job:
    """One browser context: a role (or nobody) in one language, walking some pages."""

    role: str
    lang: str
    email: str | None  # who logs in (read before the threads: they have no app context)
    walked: tuple[WalkedPage, ...]
    widths: tuple[int, ...] = WIDTHS
    shots: bool = True


@dataclass
class Visit:
    """Where one context is: what its console and page errors are charged to."""

    job: Job
    page: WalkedPage | None = None


@dataclass
class Walk:
    base: str
    shots: Path
    problems: list[Problem] = field(default_factory=list)
    seconds: dict[str, float] = field(default_factory=lambda: defaultdict(float))
    visits: int = 0
    lock: threading.Lock = field(default_factory=threading.Lock)

    @contextlib.contextmanager
    def timed(self, step: str) -> Iterator[None]:
        started = time.perf_counter()
        try:
            yield
        finally:
            with self.lock:
                self.seconds[step] += time.perf_counter() - started

    def note(self, visit: Visit, width: int | str, what: str) -> None:
        name = visit.page.name if visit.page else "login form"
        with self.lock:
            self.problems.append(Problem(name, visit.job.role, visit.job.lang, str(width), what))

    def run(self, browser, job: Job) -> None:
        context = browser.new_context(locale=CONTEXT_LOCALES[job.lang], viewport={
            "width": job.widths[0], "height": HEIGHTS[job.widths[0]]})
        page = context.new_page()
        visit = Visit(job)
        page.on("console", lambda message: self._console(visit, message))
        page.on("pageerror", lambda error: self.note(visit, "-", f"page error: {error}"))
        if job.email is not None:
            page.goto(self.base + "/login")
            page.fill("input[name=email]", job.email)
            page.fill("input[name=password]", factories.PASSWORD)
            with page.expect_navigation():
                page.click("main [type=submit]")
        for walked in job.walked:
            visit.page = walked
            self.visit(page, visit)
        context.close()

    def _console(self, visit: Visit, message) -> None:
        expected_404 = (visit.page is not None and visit.page.status == 404
                        and "404" in message.text)
        if message.type == "error" and not expected_404:
            self.note(visit, "-", f"console error: {message.text}")

    def visit(self, page: BrowserPage, visit: Visit) -> None:
        job, walked = visit.job, visit.page
        with self.lock:
            self.visits += 1
        if page.viewport_size["width"] != job.widths[0]:
            page.set_viewport_size({"width": job.widths[0], "height": HEIGHTS[job.widths[0]]})
        with self.timed("load"):
            if not self._load(page, visit, bool(set(job.widths) & set(AXE_WIDTHS))):
                return
        for width in job.widths:
            with self.timed("resize"):
                if page.viewport_size["width"] != width:
                    page.set_viewport_size({"width": width, "height": HEIGHTS[width]})
                    page.evaluate(SETTLE_JS)
            with self.timed("overflow"):
                self._overflow(page, visit, width)
            if width in AXE_WIDTHS:
                with self.timed("axe"):
                    self._axe(page, visit, width)
            if job.shots:
                target = self.shots / job.lang / str(width) / f"{walked.name}.png"
                with self.timed("screenshot"):
                    page.screenshot(path=str(target), full_page=True, animations="disabled")

    def _load(self, page: BrowserPage, visit: Visit, with_axe: bool) -> bool:
        walked = visit.page
        try:
            response = page.goto(self.base + walked.path)
            if walked.ready:
                page.wait_for_selector(walked.ready, timeout=10_000)
        except Error as error:
            self.note(visit, "-", f"{walked.path} did not load: {error.message.splitlines()[0]}")
            return False
        status = response.status if response else None
        if status != walked.status:
            self.note(visit, "-", f"{walked.path} answered {status}, not {walked.status}")
        if urlsplit(page.url).path != urlsplit(walked.path).path:
            self.note(visit, "-", f"{walked.path} redirected to {urlsplit(page.url).path}")
        lang = page.evaluate("document.documentElement.lang")
        expected = walked.lang or visit.job.lang
        if lang != expected:
            self.note(visit, "-", f'<html lang="{lang}">, expected "{expected}"')
        if with_axe:
            page.add_script_tag(url=self.base + "/vendor/axe.min.js")
        return True

    def _overflow(self, page: BrowserPage, visit: Visit, width: int) -> None:
        found = page.evaluate(OVERFLOW_JS)
        if found["scroll"] > found["inner"]:
            self.note(visit, width, f"scrolls sideways ({found['scroll']} px wide in "
                      f"{found['inner']} px): " + ("; ".join(found["offenders"])
                                                   or "only elements inside scrollers stick out"))

    def _axe(self, page: BrowserPage, visit: Visit, width: int) -> None:
        for violation in page.evaluate(AXE_JS):
            self.note(visit, width, (
                f"axe {violation['impact']} {violation['id']}: {violation['help']} "
                f"({violation['count']}x: {', '.join(violation['targets'])})"))


def jobs(app, seeded) -> list[Job]:
    """The contexts, the longest first: the admin's walk in each language cut in two."""
    signed_in = tuple(pages.signed_in_pages(seeded.ids))
    half = len(signed_in) // 2
    found = []
    for lang in LANGS:
        admin = seeded.users["admin", lang].email
        found += [Job("admin", lang, admin, signed_in[:half]),
                  Job("admin", lang, admin, signed_in[half:])]
        for role in ("viewer", "member", "manager"):
            found.append(Job(role, lang, seeded.users[role, lang].email,
                             tuple(p for p in signed_in if pages.opens(app, role, p)),
                             widths=(1366,), shots=False))
        found.append(Job("anonymous", lang, None, tuple(pages.anonymous_pages(seeded))))
    return found


def forgotten_endpoints(app, walked: list[WalkedPage]) -> list[str]:
    """GET endpoints neither walked nor excluded: a page added since this map was made."""
    covered = {page.endpoint for page in walked} | set(EXCLUDED)
    return sorted({rule.endpoint for rule in app.url_map.iter_rules()
                   if "GET" in rule.methods and rule.endpoint not in covered})


def walk_all(walk: Walk, launch_args: dict, todo: list[Job]) -> None:
    """`BROWSERS` browsers, each in its own thread (Playwright's sync API is per thread),
    taking the next job until none is left."""
    waiting: queue.Queue[Job] = queue.Queue()
    for job in todo:
        waiting.put(job)
    failures: list[BaseException] = []

    def work() -> None:
        try:
            with sync_playwright() as playwright:
                browser = playwright.chromium.launch(**launch_args)
                while True:
                    try:
                        job = waiting.get_nowait()
                    except queue.Empty:
                        break
                    walk.run(browser, job)
                browser.close()
        except BaseException as error:  # noqa: BLE001 - raised again in the test's thread
            failures.append(error)

    threads = [threading.Thread(target=work) for _ in range(BROWSERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    if failures:
        raise failures[0]


def report(problems: list[Problem]) -> str:
    """One line per problem, with the pages, roles, languages and widths where it was
    seen: a problem of the shared layout shows once, not once per page."""
    seen: dict[str, set[Problem]] = defaultdict(set)
    for problem in problems:
        seen[problem.what].add(problem)
    lines = []
    for what, where in sorted(seen.items(), key=lambda item: (-len(item[1]), item[0])):
        names = ", ".join(sorted({p.page for p in where}))
        roles = "/".join(sorted({p.role for p in where}))
        langs = "/".join(sorted({p.lang for p in where}))
        widths = "/".join(sorted({p.width for p in where}, key=lambda w: (len(w), w)))
        lines.append(f"- {what}\n    on {names} [{roles}; {langs}; {widths}]")
    return "\n".join(lines)


def test_every_page_fits_reads_and_runs_clean(app, live_server, tmp_path, pytestconfig,
                                              browser_type_launch_args):
    seeded = pages.seed(app, tmp_path)
    todo = jobs(app, seeded)
    forgotten = forgotten_endpoints(app, [p for job in todo for p in job.walked])
    walk = Walk(live_server, Path(pytestconfig.getoption("--output")) / "pages")
    started = time.perf_counter()
    walk_all(walk, browser_type_launch_args, todo)
    seconds = time.perf_counter() - started
    print(f"\nevery page: {walk.visits} page loads in {seconds:.1f} s "
          f"({', '.join(f'{step} {s:.1f} s' for step, s in sorted(walk.seconds.items()))} "
          f"over {BROWSERS} browsers), {len(walk.problems)} problems")
    found = report(walk.problems)
    walk.shots.mkdir(parents=True, exist_ok=True)
    (walk.shots / "problems.txt").write_text(found + "\n", encoding="utf-8")
    assert walk.visits > 300  # not vacuous: every page of every role was opened
    assert not forgotten and not walk.problems, (
        f"GET pages neither walked nor excluded: {forgotten}\n" if forgotten else ""
    ) + f"{len(walk.problems)} problems:\n{found}"
