"""Page budgets in real Chromium: each chapter page's transferred bytes (every script counted,
served compressed as a static host serves it), and that its first chart draws. How long that
takes is measured, not asserted: timings belong to the benchmark, not to a test."""

import gzip
import io
from pathlib import Path

import pytest
from tests.conftest import ROOT
from tests.test_browser import CHROMIUM, FLAGS, QuietHandler, serving

from aibet.build.pdf import DRAW_ALL
from aibet.claims import notebooks

pytestmark = pytest.mark.browser


PAGE_BUDGET_BYTES = 600_000
COMPRESSIBLE = (".html", ".js", ".css", ".json", ".svg", ".txt")


class CompressingHandler(QuietHandler):
    """A static host as sites are served: text compressed with gzip when the browser asks."""

    def send_head(self):
        path = self.translate_path(self.path)
        if not path.endswith(COMPRESSIBLE) or "gzip" not in self.headers.get("Accept-Encoding", ""):
            return super().send_head()
        try:
            body = gzip.compress(Path(path).read_bytes(), 6)
        except OSError:
            return super().send_head()
        self.send_response(200)
        self.send_header("Content-Type", self.guess_type(path))
        self.send_header("Content-Encoding", "gzip")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        return io.BytesIO(body)


@pytest.fixture(scope="module")
def compressing_server(site):
    with serving(site, CompressingHandler) as url:
        yield url


TRANSFERRED = (
    "() => performance.getEntriesByType('navigation').concat(performance.getEntriesByType('resource'))"
    ".reduce((sum, e) => sum + e.transferSize, 0)"
)


def settled_transfer(page, quiet_polls=4, poll_ms=250, max_polls=240):
    """Bytes transferred once the page has fetched nothing new for a second. Playwright's
    "networkidle" waits for idle connections instead, which a busy machine can hold open past
    its timeout (CI saw it) although every byte has arrived."""
    last, quiet = -1, 0
    for _ in range(max_polls):
        now = page.evaluate(TRANSFERRED)
        quiet = quiet + 1 if now == last else 0
        if quiet >= quiet_polls:
            break
        last = now
        page.wait_for_timeout(poll_ms)
    return last


def test_chapter_pages_keep_to_their_budgets(site, compressing_server):
    """Each chapter page: at most 600 KB transferred (every script counted), and a chart drawn.
    Each page is loaded in a fresh browser context (a cold cache); the seconds to the first chart are
    printed for the record."""
    from playwright.sync_api import sync_playwright

    measured = {}
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=FLAGS, headless=True)
        for source in notebooks.discover(ROOT):
            context = browser.new_context()  # a fresh context has an empty cache
            page = context.new_page()
            page.goto(f"{compressing_server}/book/_generated/notebooks/{source.name}.html")
            page.wait_for_load_state("load")
            page.evaluate(DRAW_ALL)  # charts draw as they near the screen; draw them all
            page.wait_for_selector(".aibet-chart svg")
            first_chart = page.evaluate("() => performance.now()") / 1000
            page.wait_for_load_state("load")
            transferred = settled_transfer(page)
            measured[source.name] = (transferred, first_chart)
            context.close()
        browser.close()
    print({name: (f"{b / 1e6:.2f} MB", f"{s:.2f} s") for name, (b, s) in measured.items()})
    for name, (transferred, _first_chart) in measured.items():
        assert transferred <= PAGE_BUDGET_BYTES, (name, transferred)
