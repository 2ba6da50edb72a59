"""Generated book pages and downloads: the ledger files and the front page's scorecard."""

from __future__ import annotations

import json
import re
from pathlib import Path

from aibet import PUBLICATION_DATE
from aibet.claims import rubric as claims
from aibet.claims.shortfall import PLAUSIBLE
from aibet.present import front, ledger, publishing
from aibet.present.layout import (
    BENCH_REPORT,
    CHART_DOWNLOADS,
    CLAIM_REVIEWS,
    DOWNLOADS,
    EXTRA,
    GENERATED,
    RUN_RECORD,
)

LEDGER_JSON = DOWNLOADS / "claims-ledger.json"
"""The ledger of the book as built (the site serves it; `aibet claims --variant` reads it)."""
TIMELINE_JSON = DOWNLOADS / "verdict-timeline.json"
PARAMETERS_JSON = GENERATED / "parameters.json"
"""Each chapter's parameter values the book was built with (a variant's, for `aibet claims`)."""


def verdict_scale_markdown() -> str:
    """The Methods page's rubric, from the constants the verdicts are computed with."""
    from aibet.claims import engine
    from aibet.data.evidence import series_published

    return (
        "For one claim on one date, in this order:\n\n"
        "1. **Is there a checkable proposition?** Quantities, historical facts and statements"
        " attributed to someone are rated; only opinions, worries and the aptness of an analogy"
        " get **context**, with the evidence shown. A checkable qualitative claim states its"
        " test in one line in its section.\n"
        "2. **Was the evidence public on that date?** Only figures whose `published` date is on or"
        " before it count; an annual statistic (such as the CPI-U average of a year) counts from"
        f" {series_published(2024)[5:]} of the following year (for 2024: {series_published(2024)})."
        " If what the claim needs was not public yet, the verdict is **unsupported** and the"
        " reason says when it became public.\n"
        "3. **Does the figure measure what the article says?** A number that matches another"
        " quantity (another line of a filing, another scope, a floor read as a ceiling, a"
        " forecast read as an outcome) is **mischaracterized**, however close.\n"
        "4. **The numbers**: the reproduced value *r* against the article's *a* with a relative"
        f" tolerance *t* ({claims.DEFAULT_TOLERANCE:.0%} unless the `tolerance` parameter says"
        " otherwise), as in the table below. A claim that is several tests at once takes its"
        " worst.\n"
        "5. **Forecasts by others** are judged at publication against the expectation current"
        ' then; later against the latest expectation or the outcome ("fair when written;'
        ' overtaken by …").\n'
        "6. **Evidence grade**: every source is graded by who published it: **A**, the figure's"
        " producer (filings, official statistics, the company's or author's own publication);"
        " **B**, a news organisation with editorial standards or a recognised data provider;"
        " **C**, anything else. `data/source_grades.yaml` lists every host with its grade and"
        " the reason; mirrors, forums, machine translations, AI summaries, pirated copies and"
        " content farms are refused. A claim's evidence grade is the share of its inputs from"
        " grade-A sources; a verdict resting only on grade-C inputs is at most"
        " **unsupported**. Verdicts read grade-A and grade-B figures: a figure only an uncitable"
        " copy or a grade-C page carries is left out and listed, with what was searched; the"
        " few kept because leaving them out would change what a verdict answers are listed"
        " with the reason (both in the Sources appendix).\n"
        "7. **Confidence**: each claim declares the plausible range of its assumptions; the share"
        f" of that range under which the verdict holds makes it **firm** (≥ {claims.FIRM:.0%}),"
        f" **leaning** (≥ {claims.LEANING:.0%}) or **contested**. A verdict that is not firm"
        " names the alternative verdict and the assumption that gives it.\n\n"
        f"*At publication* means with the data public on {PUBLICATION_DATE}; *latest* with every"
        f" figure in `data/`. The verdict timeline judges every claim at every month-end from"
        f" {engine.TIMELINE_START}.\n"
    )


def assumptions_markdown() -> str:
    """The Methods page's table of the revenue model's judgement ranges (one place: shortfall)."""
    lines = ["| Assumption | Low | High | Why this range |", "|---|---|---|---|"]
    for name, (low, high, why) in PLAUSIBLE.items():
        lines.append(f"| `{name}` | {low:g} | {high:g} | {why} |")
    return "\n".join(lines) + "\n"


def write_generated_pages(
    root: Path,
    records: list[dict],
    timeline: list[dict],
    values: dict[str, dict],
    pages: dict[str, str],
    runs: list[dict],
    variant: str | None,
    data_root: Path,
) -> None:
    """Ledger and timeline JSON/CSV (downloads), the parameters used, the scorecard, the Methods rule text, the
    sources appendix, the reproducibility record and the claim reviews. `pages` maps each
    chapter to its page; `data_root` is the project whose `data/` the book was built from."""
    generated = root / GENERATED
    generated.mkdir(parents=True, exist_ok=True)
    downloads = root / DOWNLOADS
    downloads.mkdir(parents=True, exist_ok=True)
    _write_if_changed(root / LEDGER_JSON, ledger.to_json(records))
    _write_if_changed(downloads / "claims-ledger.csv", ledger.to_csv(records))
    _write_if_changed(root / TIMELINE_JSON, ledger.to_json(timeline, ledger.TIMELINE_FIELDS))
    _write_if_changed(
        downloads / "verdict-timeline.csv", ledger.to_csv(timeline, ledger.TIMELINE_FIELDS)
    )
    _write_if_changed(root / PARAMETERS_JSON, json.dumps(values, sort_keys=True, indent=1) + "\n")
    for name, text in front.front_page_parts(records, pages, timeline).items():
        _write_if_changed(generated / name, text)
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
    bench = data_root / BENCH_REPORT
    _write_if_changed(
        generated / "benchmark.md",
        bench.read_text()
        if bench.exists()
        else "No benchmark has been run on this checkout yet (`make bench`).\n",
    )
    meta = publishing.citation(data_root)
    url = publishing.site_url(publishing.configured_url(data_root))
    version = meta["version"]
    package = publishing.results_package(
        version, ledger.field_schemas(), ledger.LEDGER_FIELDS, ledger.TIMELINE_FIELDS
    )
    _write_if_changed(root / publishing.RESULTS_PACKAGE, json.dumps(package, indent=1) + "\n")
    _write_if_changed(
        root / publishing.DATA_PACKAGE_ZIP, publishing.data_package_zip(data_root, version)
    )
    _write_if_changed(root / publishing.ROBOTS, publishing.robots_txt(url))
    _write_if_changed(
        generated / publishing.HOW_TO_CITE,
        publishing.how_to_cite_markdown(meta, url, publishing.build_date()),
    )
    reviews = appendix.claim_reviews(records, pages, appendix.latest_data_date(tables))
    _write_if_changed(
        generated / CLAIM_REVIEWS, json.dumps(reviews, ensure_ascii=False, indent=1) + "\n"
    )


CHART_ID = re.compile(r"aibet-chart-[0-9a-f]{12}")


def prune_chart_downloads(root: Path, notebooks: list[Path]) -> None:
    """Remove downloads of charts no executed notebook draws any more (a chart's files are
    named after its content, so a changed chart leaves its old files behind)."""
    drawn = set()
    for notebook in notebooks:
        drawn |= set(CHART_ID.findall(notebook.read_text()))
    folder = root / CHART_DOWNLOADS
    for path in folder.glob("aibet-chart-*") if folder.exists() else []:
        if CHART_ID.match(path.name).group() not in drawn:  # ID.csv, ID.svg, ID.vl.json, …
            path.unlink()


SITE = Path("_build") / "html"
"""The published book: switched to a new build in one step, and only when that build succeeded."""


def read_ledger(root: Path) -> list[dict]:
    """The ledger of the published book. The copy beside the generated pages is written before
    the site is built, and a build can still fail after it; the site's copy changes with it."""
    path = root / SITE / LEDGER_JSON.relative_to(EXTRA)
    if not path.exists():
        raise FileNotFoundError("no ledger yet: run `aibet build` first")
    return json.loads(path.read_text())


def _write_if_changed(path: Path, content: str | bytes) -> None:
    """Leave unchanged files alone so the site's no-change check sees no change."""
    data = content.encode() if isinstance(content, str) else content
    if not path.exists() or path.read_bytes() != data:
        path.write_bytes(data)
