"""Every page of the built book in real Chromium: no console error, nothing fetched from
another host, every chart drawn, the computed numbers on the page, axe, and each page's bytes
within its budget."""

import contextlib
import functools
import gzip
import http.server
import io
import json
import re
import shutil
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

import axe_playwright_python
import pytest
from tests.conftest import ROOT, run_aibet

from aibet import PUBLICATION_DATE
from aibet.build.pdf import DRAW_ALL
from aibet.claims import notebooks
from aibet.claims import rubric as claims
from aibet.present.formats import value_phrase

# One worker opens every page once (see `readings`) and asks all these tests of it.
pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("pages-in-chromium")]

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
KNOWN_NOISE = ("Got invalid theme mode",)
"""The theme's message on a fresh profile (no saved light/dark choice); harmless."""


PAGE_BUDGET_BYTES = 600_000
"""What a page may weigh: the bytes of everything it loads as served (compressed), every script
counted, that is what a first visit transfers, headers aside."""
COMPRESSIBLE = (".html", ".js", ".css", ".json", ".svg", ".txt")


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


class CompressingHandler(QuietHandler):
    """A static host as sites are served: text compressed with gzip when the browser asks."""

    compressed: dict[tuple[str, int], bytes] = {}
    """Each file compressed once (by path and modification time), not once a request."""

    def send_head(self):
        path = self.translate_path(self.path)
        if not path.endswith(COMPRESSIBLE) or "gzip" not in self.headers.get("Accept-Encoding", ""):
            return super().send_head()
        try:
            key = (path, Path(path).stat().st_mtime_ns)
            if key not in self.compressed:
                self.compressed[key] = gzip.compress(Path(path).read_bytes(), 6)
            body = self.compressed[key]
        except OSError:
            return super().send_head()
        self.send_response(200)
        self.send_header("Content-Type", self.guess_type(path))
        self.send_header("Content-Encoding", "gzip")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        return io.BytesIO(body)


@contextlib.contextmanager
def serving(directory, handler_class=QuietHandler):
    """The built site on a loopback port, for as long as the block runs."""
    handler = functools.partial(handler_class, directory=str(directory))
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}"
    finally:
        httpd.shutdown()


@pytest.fixture(scope="module")
def server(site):
    with serving(site, CompressingHandler) as url:
        yield url


@pytest.fixture(scope="module")
def browser(tmp_path_factory):
    """One browser with a profile of its own: its cache serves every page after the first, as
    a reader's browser does (an incognito context caches nothing, which costs seconds here).
    A desktop's screen; each page keeps what its charts' embedding gave (see test_chart_fit)."""
    from playwright.sync_api import sync_playwright
    from tests.test_chart_fit import DESKTOP, HEIGHT, KEEP_EMBEDS

    with sync_playwright() as p:
        profile = tmp_path_factory.mktemp("chromium-profile")
        context = p.chromium.launch_persistent_context(
            str(profile),
            executable_path=CHROMIUM,
            args=FLAGS,
            headless=True,
            viewport={"width": DESKTOP, "height": HEIGHT},
        )
        context.add_init_script(KEEP_EMBEDS)
        yield context
        context.close()


def pages(site):
    return sorted(
        str(p.relative_to(site))
        for p in site.rglob("*.html")
        if p.name not in {"genindex.html", "search.html"} and "_static" not in p.parts
    )


def visit(browser, url, draw=False, sends_on=False):
    """A page opened, with what went wrong as it loaded (console errors, failed requests) and
    what it asked of other hosts (refused). `sends_on`: the page sends the reader on to another
    (see `SENDS_ON`), which is followed. With `draw`, every chart is drawn first. Returns once
    nothing is loading."""
    page = browser.new_page()
    errors, foreign, loading = [], [], set()
    page.on("console", lambda m: m.type == "error" and errors.append(m.text))
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.on("request", lambda r: loading.add(r))
    page.on("requestfinished", lambda r: loading.discard(r))
    page.on("requestfailed", lambda r: (loading.discard(r), errors.append(f"failed: {r.url}")))

    origin = "{0.scheme}://{0.netloc}".format(urlsplit(url))

    def route(r):
        if urlsplit(r.request.url)._replace(path="", query="", fragment="").geturl() == origin:
            r.continue_()
        else:
            foreign.append(r.request.url)
            r.abort()

    page.route("**/*", route)
    # Generous waits, not measures: a chapter draws many charts, and a loaded machine is slow.
    page.goto(url, timeout=90_000)
    if sends_on:  # then whatever is asked of the page may find it gone, so wait till it moves
        page.wait_for_url(lambda moved: moved != url, timeout=90_000)
    if draw:  # which fetches the charts' bundle
        from tests.test_chart_fit import DRAW_TIMEOUT_MS, DRAWN  # it imports this module

        page.evaluate(DRAW_ALL)
        page.wait_for_function(DRAWN, timeout=DRAW_TIMEOUT_MS)
    settle(page, loading)
    return page, errors, foreign


SENDS_ON = re.compile(r"<meta[^>]*http-equiv=[\"']?refresh", re.IGNORECASE)
"""A page that sends the reader on to another (the site's root does), as its file says: asked
of the page as it loads, the answer can race its leaving ("Execution context was destroyed")."""
QUIET_MS = 100


def settle(page, loading, timeout_s=90):
    """Wait until no request has been in flight for QUIET_MS: what Playwright's "networkidle"
    does, with a fifth of its half-second quiet (seconds over the book's pages)."""
    deadline = time.monotonic() + timeout_s
    quiet_since = None
    while time.monotonic() < deadline:
        if loading:
            quiet_since = None
        elif quiet_since is None:
            quiet_since = time.monotonic()
        elif time.monotonic() - quiet_since >= QUIET_MS / 1000:
            return
        page.wait_for_timeout(20)  # lets Playwright deliver the page's events
    raise AssertionError(f"still loading after {timeout_s} s: {[r.url for r in loading]}")


def at_width(browser, url, width, height=844):
    """A page opened at one screen size (390: a phone)."""
    page = browser.new_page()
    page.set_viewport_size({"width": width, "height": height})
    page.goto(url)
    return page


AXE_SCRIPT = (Path(axe_playwright_python.__file__).parent / "axe.min.js").read_text()
REPEATED_TEXT_STYLE = "data-repeated-text-style"
MARK_REPEATED_TEXT_STYLES = """() => {
  // Text whose contrast an earlier element already showed: same tag, colour, size, weight,
  // opacity and background (its own or the nearest behind it). Marked only when nothing inside
  // it is new, since axe skips a marked element with everything inside it.
  const seenStyles = new Set(), isNew = new Map();
  const behind = el => {
    for (let e = el; e; e = e.parentElement) {
      const s = getComputedStyle(e);
      if (s.backgroundImage !== 'none') return s.backgroundImage;
      if (s.backgroundColor !== 'rgba(0, 0, 0, 0)') return s.backgroundColor;
    }
    return 'canvas';
  };
  const opacity = el => el ? Number(getComputedStyle(el).opacity) * opacity(el.parentElement) : 1;
  const all = [...document.body.querySelectorAll('*')];
  for (const el of all) {
    if (![...el.childNodes].some(n => n.nodeType === 3 && n.textContent.trim())) continue;
    const s = getComputedStyle(el);
    const style = [el.tagName, s.color, s.fontSize, s.fontWeight, s.textShadow, opacity(el),
                   behind(el)].join('|');
    isNew.set(el, !seenStyles.has(style));
    seenStyles.add(style);
  }
  const newInside = el => isNew.get(el) || [...el.children].some(newInside);
  let marked = 0;
  for (const [el, fresh] of isNew) {
    if (!fresh && !newInside(el)) { el.setAttribute('REPEATED', ''); marked++; }
  }
  return marked;
}""".replace("REPEATED", REPEATED_TEXT_STYLE)
AXE_RUN = """async () => {
  axe.configure({rules: [{id: 'color-contrast', selector: '*:not([REPEATED]):not([REPEATED] *)'}]});
  return (await axe.run(document, {resultTypes: ['violations']})).violations;
}""".replace("REPEATED", REPEATED_TEXT_STYLE)
"""Every axe rule on the whole page in one run; colour contrast (most of axe's time: it finds
what lies behind each text) once for each text style, not again for each of a table's 200 rows.
One run, not one for contrast and one for the rest: a third less time."""
WEIGHT = (
    "() => performance.getEntriesByType('navigation').concat(performance.getEntriesByType('resource'))"
    ".reduce((sum, e) => sum + e.encodedBodySize, 0)"
)
"""The bytes of every file the page loaded, as served: from the network or from the cache alike."""
BLANK = (
    "() => [...document.querySelectorAll('.aibet-chart')].map(c =>"
    " c.getBoundingClientRect().bottom"
    " - Math.max(...[...c.children].map(e => e.getBoundingClientRect().bottom)))"
)
MARKS = (
    "() => [...document.querySelectorAll('.aibet-chart')].map(c => c.querySelectorAll("
    "\"svg [role='graphics-symbol'], svg .mark-rect path, svg path\").length)"
)


@dataclass
class Reading:
    """What one visit of a page found: its errors and foreign requests as it loaded, the marks
    of each chart once every chart has drawn, its text, and axe's violations of the drawn page."""

    errors: list[str]
    foreign: list[str]
    marks: list[int]
    text: str
    scorecard: str
    pasted: int
    violations: list[tuple[str, str]]
    weight: int
    landed: str
    """The page shown at the end: the one asked for, unless it sends the reader on."""
    unfit: list[str]
    """What does not fit or read in its charts on a desktop (see test_chart_fit)."""
    blank: list[float]
    """The space left empty at the foot of each drawn chart's box (below its picture and any
    menus), in pixels."""


@pytest.fixture(scope="module")
def readings(site, server, browser):
    """Every page of the book, opened once and every chart drawn; the tests below assert on
    what that one visit found. A page that sends the reader to another page of the list (the
    site's root) is checked as it loads; the page it leads to is read on its own visit."""
    from tests.test_chart_fit import DESKTOP, FIND_PROBLEMS

    listed = [*pages(site), "search.html", "genindex.html"]
    found = {}
    for relpath in listed:
        sends_on = bool(SENDS_ON.search((site / relpath).read_text()))
        page, errors, foreign = visit(browser, f"{server}/{relpath}", True, sends_on)
        errors = list(errors)  # the page's own; axe then fetches stylesheets in its own way
        weight = page.evaluate(WEIGHT)
        landed = urlsplit(page.url).path.lstrip("/")
        if landed != relpath and landed in listed:
            nothing = {"marks": [], "text": "", "scorecard": "", "pasted": 0}
            found[relpath] = Reading(
                errors,
                foreign,
                **nothing,
                violations=[],
                weight=weight,
                landed=landed,
                unfit=[],
                blank=[],
            )
            page.close()
            continue
        unfit = page.evaluate(FIND_PROBLEMS, {"page": relpath, "width": DESKTOP})
        page.evaluate(AXE_SCRIPT)
        page.evaluate(MARK_REPEATED_TEXT_STYLES)
        violations = page.evaluate(AXE_RUN)
        found[relpath] = Reading(
            errors=[
                e for e in errors if not any(n in e for n in KNOWN_NOISE) and "favicon" not in e
            ],
            foreign=foreign,
            marks=page.evaluate(MARKS),
            text=page.inner_text("body"),
            scorecard=page.locator(".scorecard").first.inner_text() if "intro" in relpath else "",
            pasted=page.locator(".pasted-text").count(),
            violations=[(v["id"], v["impact"]) for v in violations],
            weight=weight,
            landed=landed,
            unfit=unfit,
            blank=page.evaluate(BLANK),
        )
        page.close()
    return found


def test_every_page_loads_clean(site, readings):
    listed = pages(site)
    assert "book/intro.html" in listed and "book/methods.html" in listed
    assert {"search.html", "genindex.html"} <= set(readings)
    assert readings["index.html"].landed == "book/intro.html"  # the root leads to the front page
    for relpath, reading in readings.items():
        assert reading.errors == [], (relpath, reading.errors)
        assert reading.foreign == [], (relpath, reading.foreign)


def test_every_chart_draws_marks(readings):
    chapters = [f"book/_generated/notebooks/{s.name}.html" for s in notebooks.discover(ROOT)]
    assert all(readings[c].marks for c in chapters)  # every chapter has charts
    for relpath, reading in readings.items():
        assert all(count > 0 for count in reading.marks), (relpath, reading.marks)


def test_computed_numbers_are_on_the_pages(readings):
    ledger = json.loads(run_aibet("claims", "--format", "json").stdout)
    scorecard = readings["book/intro.html"].scorecard
    texts = {}
    for source in notebooks.discover(ROOT):
        chapter = readings[f"book/_generated/notebooks/{source.name}.html"]
        assert chapter.pasted > 10, source.name
        texts[source.chapter] = chapter.text
    for row in ledger:
        assert row["id"] in scorecard
        assert value_phrase(row["id"], row["value_latest"]) in scorecard, row["id"]
        assert row["verdict_latest"] in scorecard
        if row["unit"] == "USD bn" and row["value_latest"] is not None:
            # chapters write a size (net cash as a positive amount) to the precision they need
            size = abs(row["value_latest"])
            shown = {f"{size:,.0f}", f"{size:,.1f}"}
            assert any(text in texts[row["chapter"]] for text in shown), row["id"]
    rule = readings["book/methods.html"].text
    assert f"{claims.DEFAULT_TOLERANCE:.0%}" in rule and PUBLICATION_DATE in rule


def test_every_page_passes_axe(readings):
    # No axe rule is disabled and no violation of any impact is allowed, every chart drawn (the
    # theme's sidebar is given a landmark by the build; see aibet.site).
    findings = {p: r.violations for p, r in readings.items() if r.violations}
    assert not findings, findings


def test_every_chart_fits_and_reads_on_a_desktop(readings):
    """The checks of test_chart_fit at 1280 px, on the one visit of each page."""
    drawn = [p for p, r in readings.items() if r.marks]
    assert drawn, "no page of the site holds a chart"
    problems = [line for r in readings.values() for line in r.unfit]
    assert problems == [], f"{len(problems)} chart problems:\n" + "\n".join(problems)


def test_a_drawn_chart_leaves_no_empty_space_below_it(readings):
    """A chart's box keeps room for it until it draws (the page does not jump as charts
    appear), then takes the picture's own height: a short strip leaves no gap below it."""
    gaps = {p: [round(b) for b in r.blank if b > 8] for p, r in readings.items()}
    assert not any(gaps.values()), gaps


def test_every_page_keeps_to_its_budget(readings):
    """At most 600 KB, every script counted, served compressed as a static host serves it, once
    every chart has drawn."""
    over = {p: r.weight for p, r in readings.items() if r.weight > PAGE_BUDGET_BYTES}
    assert not over, over
    assert all(r.weight > 0 for r in readings.values())  # the count saw the page


def test_contrast_is_checked_once_a_text_style_and_a_new_style_always(browser):
    """What `readings` asks of axe: 50 links alike are checked once for contrast, the one pale
    link among them is still found, and every other rule still reads them all."""
    page = browser.new_page()
    links = "".join(f"<tr><td><a href='#r{i}'>row {i}</a></td></tr>" for i in range(50))
    page.set_content(f"<html lang='en'><body><main><table>{links}</table></main></body></html>")
    page.evaluate("() => { document.querySelectorAll('a')[40].style.color = '#eee'; }")
    # A link like the others but for a wrong attribute: skipped by contrast, not by other rules.
    page.evaluate("() => document.querySelectorAll('a')[45].setAttribute('aria-busy', 'maybe')")
    page.evaluate(AXE_SCRIPT)
    assert page.evaluate(MARK_REPEATED_TEXT_STYLES) == 48  # all but the first and the pale one
    found = [(v["id"], len(v["nodes"])) for v in page.evaluate(AXE_RUN)]
    assert ("color-contrast", 1) in found, found
    assert ("aria-valid-attr-value", 1) in found, found
    page.close()


def test_scorecard_reads_on_a_phone_and_links_each_claim(site, server, browser):
    page = at_width(browser, f"{server}/book/intro.html", 390)
    widths = page.evaluate(
        "() => [document.documentElement.scrollWidth, window.innerWidth,"
        " document.querySelector('.aibet-scorecard').scrollWidth,"
        " document.querySelector('.aibet-scorecard').clientWidth]"
    )
    assert widths[0] <= widths[1] and widths[2] <= widths[3], widths  # nothing runs off the screen
    ledger = json.loads((site / "downloads" / "claims-ledger.json").read_text())
    links = page.locator(".aibet-scorecard a")
    assert links.count() == len(ledger)
    for i in range(links.count()):
        href = links.nth(i).get_attribute("href")
        target, anchor = href.split("#")
        assert anchor == ledger[i]["id"].lower()
        assert f'id="{anchor}"' in (site / "book" / target).read_text(), href
    page.close()


def test_a_reader_moves_the_assumptions_of_every_claim_that_is_not_firm(site, server, browser):
    """Each claim whose verdict is not firm has menus for its assumptions; the page shows the
    engine's verdict for the chapter's own choice, and for another choice once picked."""
    from aibet.claims import catalog, engine

    ledger = json.loads((site / "downloads" / "claims-ledger.json").read_text())
    shaky = [r for r in ledger if r["confidence"] in ("leaning", "contested")]
    assert shaky, "no claim to explore: the test would prove nothing"
    book = catalog.Book(json.loads((ROOT / "book/_generated/parameters.json").read_text()))
    chapters = {s.chapter: s.name for s in notebooks.discover(ROOT)}
    said = (
        "f => [...f.querySelectorAll('svg text')].map(t => t.textContent)"
        ".filter(t => t.startsWith('Your choice:')).map(t => t.slice(12).trim())"
    )

    def choice(figure, verdict):
        """The figure's "Your choice" line once it names `verdict` (the last seen if never)."""
        shown = None
        for _ in range(300):
            shown = next(iter(figure.evaluate(said)), None)
            if shown and shown.startswith(verdict):
                break
            figure.page.wait_for_timeout(50)
        return shown

    by_chapter = {}
    for row in shaky:
        by_chapter.setdefault(engine.REGISTRY[row["id"]].chapter, []).append(row)
    for chapter, rows in by_chapter.items():  # one visit a chapter: each claim has its own menus
        url = f"{server}/book/_generated/notebooks/{chapters[chapter]}.html"
        page, _, _ = visit(browser, url, draw=True)
        for row in rows:
            claim = engine.REGISTRY[row["id"]]
            figure = page.locator(".aibet-figure", has_text=f"{claim.id}: choose the assumptions")
            menus = figure.locator("select")
            menus.first.wait_for(timeout=30_000)
            assert menus.count() == len(claim.grid), row["id"]
            assert choice(figure, row["verdict_latest"]).startswith(row["verdict_latest"]), row[
                "id"
            ]
            # Pick another value of the first assumption and expect the engine's verdict there.
            name = next(iter(claim.grid))
            values = {**claim.assumptions, **book.values.get(claim.chapter, {})}
            # A choice off the grid ('published') starts the menus at the grid's first value.
            start = {k: values[k] if values[k] in v else v[0] for k, v in claim.grid.items()}
            other = next(v for v in claim.grid[name] if v != start[name])
            menus.first.select_option(label=claim.describe(name, other))
            expected = next(
                r for r in book.explore(claim, "latest") if r["point"] == {**start, name: other}
            )
            assert choice(figure, expected["verdict"]).startswith(expected["verdict"]), row["id"]
        page.close()


def test_the_sources_appendix_shows_every_column_on_a_desktop(site, server, browser):
    page = at_width(browser, f"{server}/book/data-sources.html", 1280, 900)
    widths = page.evaluate(
        "() => { const t = document.querySelector('.aibet-appendix'); return [t.scrollWidth, t.clientWidth] }"
    )
    assert widths[0] <= widths[1], widths  # no column hidden behind a scroll bar
    page.close()


def test_the_menu_button_opens_the_navigation_on_a_phone(site, server, browser):
    page = at_width(browser, f"{server}/book/_generated/notebooks/01-investment-scale.html", 390)
    page.wait_for_load_state("load")
    toggles = page.locator(".primary-toggle")
    visible = [toggles.nth(i) for i in range(toggles.count()) if toggles.nth(i).is_visible()]
    assert len(visible) == 1  # the one a reader sees
    visible[0].click()
    page.wait_for_function("() => document.getElementById('pst-primary-sidebar-modal').open")
    assert page.locator("#pst-primary-sidebar-modal a", has_text="Revenue shortfall").is_visible()
    page.close()
