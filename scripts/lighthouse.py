"""Lighthouse scores for the built site: a benchmark, not a test (nothing here passes or fails).

Serves _build/html on a loopback port as a static host would (text gzipped, _static/ and
vendor/ cached for a year), then runs the pinned Lighthouse CLI (scripts/lighthouse/) in headless
Chromium, one page after another, on the front page and every chapter page: the performance,
accessibility, best-practices and SEO scores (mobile, simulated throttling) and the bytes
transferred. With `--runs N`, each score is the median of N runs.

Writes the table to _build/bench/lighthouse.md and prints it, then each page's failing
accessibility, best-practices and SEO audits and its top three performance opportunities (from
the page's last run).

    .venv/bin/python scripts/lighthouse.py [--runs 3]
"""

from __future__ import annotations

import argparse
import contextlib
import functools
import gzip
import http.server
import io
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TOOL = ROOT / "scripts" / "lighthouse"
SITE = ROOT / "_build" / "html"
OUT = ROOT / "_build" / "bench" / "lighthouse.md"
CATEGORIES = {
    "performance": "Performance",
    "accessibility": "Accessibility",
    "best-practices": "Best practices",
    "seo": "SEO",
}
COMPRESSIBLE = (".html", ".js", ".css", ".json", ".svg", ".txt", ".xml")
CACHED = ("/_static/", "/vendor/")
UNSCORED = {"informative", "manual", "notApplicable"}


class Failure(Exception):
    """A missing prerequisite or a failed run: reported in one line, without a traceback."""


class StaticHostHandler(http.server.SimpleHTTPRequestHandler):
    """Text gzipped when the browser accepts it; _static/ and vendor/ cacheable for a year."""

    protocol_version = "HTTP/1.1"

    def log_message(self, *args: object) -> None:
        pass

    def end_headers(self) -> None:
        if self.path.startswith(CACHED):
            self.send_header("Cache-Control", "public, max-age=31536000")
        super().end_headers()

    def send_head(self):  # type: ignore[override]
        path = self.translate_path(self.path)
        gzip_ok = "gzip" in self.headers.get("Accept-Encoding", "")
        if not (gzip_ok and path.endswith(COMPRESSIBLE) and os.path.isfile(path)):
            return super().send_head()
        body = gzip.compress(Path(path).read_bytes(), 6)
        self.send_response(200)
        self.send_header("Content-Type", self.guess_type(path))
        self.send_header("Content-Encoding", "gzip")
        self.send_header("Vary", "Accept-Encoding")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        return io.BytesIO(body)


@contextlib.contextmanager
def serving(directory: Path) -> Iterator[str]:
    handler = functools.partial(StaticHostHandler, directory=str(directory))
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}"
    finally:
        httpd.shutdown()
        httpd.server_close()


def ensure_lighthouse() -> Path:
    """The pinned CLI; `npm ci` first when node_modules is missing or older than the lock."""
    cli = TOOL / "node_modules" / ".bin" / "lighthouse"
    installed = TOOL / "node_modules" / ".package-lock.json"
    lock = TOOL / "package-lock.json"
    if not shutil.which("node"):
        raise Failure("node is not on PATH; install Node.js 18.16 or newer")
    if cli.exists() and installed.exists() and installed.stat().st_mtime >= lock.stat().st_mtime:
        return cli
    npm = shutil.which("npm")
    if not npm:
        raise Failure("npm is not on PATH; install Node.js (with npm) 18.16 or newer")
    print("installing Lighthouse (npm ci) ...", file=sys.stderr)
    result = subprocess.run(
        [npm, "ci", "--no-audit", "--no-fund"], cwd=TOOL, capture_output=True, text=True
    )
    if result.returncode != 0 or not cli.exists():
        tail = (result.stderr or result.stdout).strip().splitlines()[-1:] or ["no output"]
        raise Failure(f"npm ci failed in {TOOL.relative_to(ROOT)}: {tail[0]}")
    return cli


def chrome_path() -> str:
    path = os.environ.get("CHROME_PATH") or shutil.which("chromium") or "/usr/bin/chromium"
    if not (os.path.isfile(path) and os.access(path, os.X_OK)):
        raise Failure(f"Chromium not found at {path}; install it or set CHROME_PATH")
    return path


def audit(cli: Path, url: str, chrome: str, out: Path) -> dict:
    command = [
        str(cli),
        url,
        "--quiet",
        "--output=json",
        f"--output-path={out}",
        f"--only-categories={','.join(CATEGORIES)}",
        "--chrome-flags=--headless=new --no-sandbox --disable-gpu",
    ]
    env = {**os.environ, "CHROME_PATH": chrome}
    result = subprocess.run(command, env=env, capture_output=True, text=True)
    if result.returncode != 0 or not out.exists():
        tail = result.stderr.strip().splitlines()[-1:] or ["no output"]
        raise Failure(f"lighthouse failed on {url}: {tail[0]}")
    report = json.loads(out.read_text())
    if error := report.get("runtimeError"):
        raise Failure(f"lighthouse failed on {url}: {error.get('code')} {error.get('message')}")
    return report


def median_or_none(values: list[float | None]) -> float | None:
    known = [v for v in values if v is not None]
    return statistics.median(known) if known else None


def failing(report: dict) -> list[str]:
    lines = []
    for category in ("accessibility", "best-practices", "seo"):
        for ref in report["categories"][category]["auditRefs"]:
            a = report["audits"][ref["id"]]
            if (
                a["scoreDisplayMode"] not in UNSCORED
                and a["score"] is not None
                and a["score"] < 0.9
            ):
                unweighted = ", weight 0" if not ref["weight"] else ""
                lines.append(f"{CATEGORIES[category]}: {a['title']} ({ref['id']}{unweighted})")
    return lines


def opportunities(report: dict, top: int = 3) -> list[str]:
    found = []
    for ref in report["categories"]["performance"]["auditRefs"]:
        a = report["audits"][ref["id"]]
        details = a.get("details") or {}
        if details.get("type") != "opportunity" or a["score"] is None or a["score"] >= 0.9:
            continue
        ms, size = details.get("overallSavingsMs") or 0, details.get("overallSavingsBytes") or 0
        saves = [f"~{ms:,.0f} ms"] * (ms >= 1) + [f"~{size / 1000:,.0f} KB"] * (size >= 500)
        if saves:
            found.append((ms, size, f"{a['title']} ({ref['id']}): saves " + ", ".join(saves)))
    return [text for *_, text in sorted(found, reverse=True)[:top]]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=1, help="runs per page; scores are medians")
    args = parser.parse_args()
    if args.runs < 1:
        parser.error("--runs must be at least 1")
    if not (SITE / "book" / "intro.html").is_file():
        raise Failure("_build/html/book/intro.html is missing: run `make book` first")
    chrome, cli = chrome_path(), ensure_lighthouse()
    chapters = (SITE / "book" / "_generated" / "notebooks").glob("*.html")
    pages = ["book/intro.html"] + sorted(p.relative_to(SITE).as_posix() for p in chapters)
    started = time.perf_counter()
    rows, notes, version = [], [], "?"
    with tempfile.TemporaryDirectory() as tmp:
        for page in pages:
            page_started = time.perf_counter()
            with serving(SITE.resolve()) as base:  # one build per page, should the site be swapped
                reports = [
                    audit(cli, f"{base}/{page}", chrome, Path(tmp) / f"{i}.json")
                    for i in range(args.runs)
                ]
            version = reports[-1]["lighthouseVersion"]
            scores = [
                median_or_none([r["categories"][c]["score"] for r in reports]) for c in CATEGORIES
            ]
            transferred = median_or_none(
                [r["audits"]["total-byte-weight"]["numericValue"] for r in reports]
            )
            cells = ["–" if s is None else str(round(s * 100)) for s in scores]
            cells.append("–" if transferred is None else f"{transferred / 1000:,.0f}")
            name = Path(page).stem
            rows.append(f"| {name} | " + " | ".join(cells) + " |")
            notes.append((name, failing(reports[-1]), opportunities(reports[-1])))
            print(f"measured {name} in {time.perf_counter() - page_started:.0f} s", file=sys.stderr)
    elapsed = time.perf_counter() - started
    lines = [
        f"Lighthouse {version}, mobile (simulated throttling), median of {args.runs} run(s) per "
        "page; the site served gzipped, with static assets cacheable.",
        "",
        "| Page | " + " | ".join(CATEGORIES.values()) + " | Transferred (KB) |",
        "|---|" + "---:|" * (len(CATEGORIES) + 1),
        *rows,
    ]
    table = "\n".join(lines) + "\n"
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text(table)
    print(table)
    for name, fails, opps in notes:
        print(f"{name}:")
        for line in fails or ["no failing audits"]:
            print(f"  {line}")
        for line in opps:
            print(f"  opportunity: {line}")
    print(f"\n{len(pages)} pages x {args.runs} run(s) in {elapsed:.0f} s;", end=" ")
    print(f"wrote {OUT.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    try:
        raise SystemExit(main())
    except Failure as error:
        print(f"lighthouse.py: {error}", file=sys.stderr)
        raise SystemExit(1) from None
