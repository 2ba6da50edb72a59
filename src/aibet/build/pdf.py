"""The whole book as one PDF: Jupyter Book's single-page build (the site's Sphinx pass with the
`singlehtml` builder), printed by headless Chromium once every chart has drawn."""

from __future__ import annotations

import shutil
from pathlib import Path

from aibet.build import site

PRINT_PAGE = "book.html"
CHROMIUM_FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--no-first-run",
]


def chromium() -> str:
    found = shutil.which("chromium") or shutil.which("chromium-browser")
    return found or "/usr/bin/chromium"


def single_page(root: Path, out: Path) -> Path:
    """Build the book as one HTML page under `out` and return it. The pass starts from the
    saved environment of the site's last build (its own, once it has one), so only the pages
    changed since are read. Sphinx writes the page under book/ but links its assets as if it sat
    at the top, so it is moved there."""
    with site.SphinxPass(root, out, root, builder="singlehtml") as sphinx:
        sphinx.go(site.input_digests(root))
        returncode = sphinx.wait()
    if returncode != 0:
        raise RuntimeError(f"single-page build failed:\n{sphinx.log.read_text()[-3000:]}")
    page = sphinx.staging / PRINT_PAGE
    (sphinx.staging / "book" / "intro.html").replace(page)
    return page


DRAW_ALL = "() => window.aibetDrawAll && window.aibetDrawAll()"
"""Charts draw as they near the screen; a printout needs every one (see aibet-charts.js)."""


def print_pdf(page: Path, pdf: Path, timeout_ms: int = 60000) -> int:
    """Print `page` to `pdf` once every chart on it has drawn; returns the number of charts."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium(), args=CHROMIUM_FLAGS)
        tab = browser.new_page(viewport={"width": 1100, "height": 1400})
        tab.goto(page.resolve().as_uri())
        tab.evaluate(DRAW_ALL)
        charts = tab.locator(".aibet-chart").count()
        tab.wait_for_function(
            f"document.querySelectorAll('.aibet-chart svg').length >= {charts}", timeout=timeout_ms
        )
        tab.emulate_media(media="print")
        pdf.parent.mkdir(parents=True, exist_ok=True)
        tab.pdf(
            path=str(pdf),
            format="A4",
            print_background=True,
            margin={"top": "16mm", "bottom": "16mm", "left": "14mm", "right": "14mm"},
        )
        browser.close()
    return charts
