"""Generated book pages and downloads: the ledger files and the front page's scorecard."""

from __future__ import annotations

import html
import json
import re
from pathlib import Path

from aibet import PUBLICATION_DATE
from aibet.claims import rubric as claims
from aibet.claims.shortfall import PLAUSIBLE

GENERATED = Path("book") / "_generated"
"""Everything the build writes for the book (never committed)."""
EXTRA = GENERATED / "_extra"
"""Copied to the site root by `html_extra_path`: files only some pages load."""
RUN_RECORD = "reproducibility.md"
"""The generated record of how the notebooks ran. It is not a page input for the site's cache
key: a build that changes nothing else publishes nothing, so the record on the site stays the
one of the build that made the site."""
DOWNLOADS = EXTRA / "downloads"
LEDGER_JSON = DOWNLOADS / "claims-ledger.json"
"""The one copy of the ledger: the CLI reads it and the site serves it."""


def fmt_value(value: float | None, unit: str | None) -> str:
    """How a ledger value reads on the page and in tests: one rule for both."""
    if value is None or value != value:  # None or NaN: nothing computable
        return "—"
    if unit and unit.startswith("USD bn"):
        sign = "−" if value < 0 else ""
        digits = 1 if abs(value) < 10 else 0
        return f"{sign}${abs(value):,.{digits}f} bn"
    if unit == "ratio":
        return f"{value:,.2f}×"
    if unit == "percent":
        return f"{value:,.1f}%"
    return f"{value:,.2f} {unit or ''}".strip()


def fmt_day(date) -> str:
    """A date as the prose writes it: '26 September 2025'."""
    import pandas as pd

    return pd.Timestamp(date).strftime("%-d %B %Y")


def fmt_robustness(share: float | None) -> str:
    return "—" if share is None else f"{share:.0%}"


def verdict_badge(verdict: str) -> str:
    # The label is the verdict's own words: colour only repeats what the text says.
    css = verdict.replace(" ", "-")
    return f'<span class="verdict verdict-{css}">{verdict}</span>'


SCORECARD_COLUMNS = (
    "Claim",
    "Article says",
    f"At publication ({PUBLICATION_DATE})",
    "Latest data",
    "Robustness",
)


def scorecard_html(records: list[dict], pages: dict[str, str]) -> str:
    """The front page's table: claim (linked to its section), the article's figure, both
    verdicts with their values, and robustness. Each cell carries its column's name, so that on
    a phone each row can read as a card (see aibet.css)."""
    head = "".join(f'<th scope="col">{html.escape(c)}</th>' for c in SCORECARD_COLUMNS)
    rows = []
    for rec in records:
        article = fmt_value(rec["article_value"], rec["unit"])
        if rec["comparator"] and rec["article_value"] is not None:
            article = f"{rec['comparator']} {article}"
        at_pub = f"{fmt_value(rec['value_at_publication'], rec['unit'])} {verdict_badge(rec['verdict_at_publication'])}"
        latest = (
            f"{fmt_value(rec['value_latest'], rec['unit'])} {verdict_badge(rec['verdict_latest'])}"
        )
        page = pages[rec["chapter"]].removeprefix("book/")
        link = f'<a href="{page}#{rec["id"].lower()}">{html.escape(rec["id"])}</a>'
        cells = (
            f"{link} {html.escape(rec['claim'])}",
            html.escape(article),
            at_pub,
            latest,
            fmt_robustness(rec["robustness"]),
        )
        rows.append(
            "<tr>"
            + "".join(
                f'<td data-label="{html.escape(col)}">{cell}</td>'
                for col, cell in zip(SCORECARD_COLUMNS, cells, strict=True)
            )
            + "</tr>"
        )
    return (
        f'<table class="aibet-scorecard"><thead><tr>{head}</tr></thead>'
        f"<tbody>{''.join(rows)}</tbody></table>\n"
    )


def verdict_scale_markdown() -> str:
    """The Methods page's rule paragraph, from the constants the verdicts are computed with."""
    return (
        "Each claim with a number is checked by a rule, not by hand: the reproduced value *r* is"
        " compared with the article's value *a* using the claim's comparator and a relative"
        f" tolerance *t* ({claims.DEFAULT_TOLERANCE:.0%} unless the `tolerance` parameter says"
        " otherwise).\n\n"
        f"*At publication* uses only figures whose `published` date is on or before"
        f" {PUBLICATION_DATE}; *latest* uses everything in `data/`.\n"
    )


def assumptions_markdown() -> str:
    """The Methods page's table of the revenue model's judgement ranges (one place: shortfall)."""
    lines = ["| Assumption | Low | High | Why this range |", "|---|---|---|---|"]
    for name, (low, high, why) in PLAUSIBLE.items():
        lines.append(f"| `{name}` | {low:g} | {high:g} | {why} |")
    return "\n".join(lines) + "\n"


CLAIM_REVIEWS = "claim-reviews.json"
"""Each chapter page's claims, for the site extension to embed as ClaimReview JSON-LD."""


def write_generated_pages(
    root: Path,
    records: list[dict],
    pages: dict[str, str],
    runs: list[dict],
    variant: str | None,
    data_root: Path,
) -> None:
    """Ledger JSON/CSV (for the CLI and downloads), the scorecard, the Methods rule text, the
    sources appendix, the reproducibility record and the claim reviews. `pages` maps each
    chapter to its page; `data_root` is the project whose `data/` the book was built from."""
    generated = root / GENERATED
    generated.mkdir(parents=True, exist_ok=True)
    downloads = root / DOWNLOADS
    downloads.mkdir(parents=True, exist_ok=True)
    _write_if_changed(root / LEDGER_JSON, claims.ledger_json(records))
    _write_if_changed(downloads / "claims-ledger.csv", claims.ledger_csv(records))
    _write_if_changed(generated / "scorecard.md", scorecard_html(records, pages))
    _write_if_changed(generated / "verdict_scale.md", verdict_scale_markdown())
    _write_if_changed(generated / "assumptions.md", assumptions_markdown())
    from aibet.present import appendix

    tables = appendix.figure_tables(data_root)
    _write_if_changed(
        generated / "sources.md", appendix.sources_markdown(records, pages, tables, data_root)
    )
    _write_if_changed(
        generated / RUN_RECORD, appendix.reproducibility_markdown(data_root, runs, variant)
    )
    bench = data_root / "_build" / "bench" / "bench.md"
    _write_if_changed(
        generated / "benchmark.md",
        bench.read_text()
        if bench.exists()
        else "No benchmark has been run on this checkout yet (`make bench`).\n",
    )
    reviews = appendix.claim_reviews(records, pages, appendix.latest_data_date(tables))
    _write_if_changed(
        generated / CLAIM_REVIEWS, json.dumps(reviews, ensure_ascii=False, indent=1) + "\n"
    )


CHART_DOWNLOADS = DOWNLOADS / "charts"
CHART_ID = re.compile(r"aibet-chart-[0-9a-f]{12}")


def prune_chart_downloads(root: Path, notebooks: list[Path]) -> None:
    """Remove downloads of charts no executed notebook draws any more (a chart's files are
    named after its content, so a changed chart leaves its old files behind)."""
    drawn = set()
    for notebook in notebooks:
        drawn |= set(CHART_ID.findall(notebook.read_text()))
    folder = root / CHART_DOWNLOADS
    for path in folder.glob("aibet-chart-*") if folder.exists() else []:
        if path.stem not in drawn:
            path.unlink()


def read_ledger(root: Path) -> list[dict]:
    path = root / LEDGER_JSON
    if not path.exists():
        raise FileNotFoundError("no ledger yet: run `aibet build` first")
    return json.loads(path.read_text())


def _write_if_changed(path: Path, text: str) -> None:
    """Leave unchanged files alone so the site's no-change check sees no change."""
    if not path.exists() or path.read_text() != text:
        path.write_text(text)
