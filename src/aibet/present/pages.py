"""Generated book pages and downloads: the ledger files and the front page's scorecard."""

from __future__ import annotations

import html
import json
import re
from pathlib import Path

from aibet import PUBLICATION_DATE
from aibet.claims import rubric as claims
from aibet.claims.shortfall import PLAUSIBLE
from aibet.present import ledger

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
"""The ledger of the book as built (the site serves it; `aibet claims --variant` reads it)."""
TIMELINE_JSON = DOWNLOADS / "verdict-timeline.json"
PARAMETERS_JSON = GENERATED / "parameters.json"
"""Each chapter's parameter values the book was built with (a variant's, for `aibet claims`)."""


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
    if float(value).is_integer():  # a count: 400 MW, 1,184 people
        return f"{value:,.0f} {unit or ''}".strip()
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
    f"At publication ({fmt_day(PUBLICATION_DATE)})",
    "Latest data",
    "Verdict month by month",
)

VERDICT_LETTERS = {
    "accurate": "A",
    "roughly right": "R",
    "overstated": "O",
    "understated": "U",
    "mischaracterized": "M",
    "unsupported": "?",
    "context": "C",
}
"""The strip's one-letter form of each verdict (its colour only repeats the letter)."""


def verdict_runs(rows: list[dict]) -> list[tuple[str, str, str]]:
    """A claim's timeline as runs of one verdict: (verdict, first date, last date)."""
    runs: list[list[str]] = []
    for row in rows:
        if runs and runs[-1][0] == row["verdict"]:
            runs[-1][2] = row["as_of"]
        else:
            runs.append([row["verdict"], row["as_of"], row["as_of"]])
    return [tuple(run) for run in runs]


def _month(date: str) -> str:
    import pandas as pd

    return pd.Timestamp(date).strftime("%b %Y")


def strip_html(rows: list[dict]) -> str:
    """The verdict over time as a compact strip: one letter per date, coloured by verdict,
    with a text alternative that reads the runs ('overstated Mar 2025 – Aug 2026')."""
    cells = "".join(
        f'<span class="aibet-strip-cell strip-{row["verdict"].replace(" ", "-")}"'
        f' title="{html.escape(fmt_day(row["as_of"]))}: {html.escape(row["verdict"])}">'
        f"{VERDICT_LETTERS[row['verdict']]}</span>"
        for row in rows
    )
    said = "; ".join(
        f"{verdict} {_month(first)}"
        + (f" – {_month(last)}" if _month(last) != _month(first) else "")
        for verdict, first, last in verdict_runs(rows)
    )
    return (
        f'<span class="aibet-strip" role="img" aria-label="Verdict by date: {html.escape(said)}">'
        f"{cells}</span>"
    )


def scorecard_html(records: list[dict], pages: dict[str, str], timeline: list[dict]) -> str:
    """The front page's table: claim (linked to its section), the article's figure, both
    verdicts with their values, the verdict month by month, and the confidence. Each cell
    carries its column's name, so that on a phone each row can read as a card (aibet.css)."""
    head = "".join(f'<th scope="col">{html.escape(c)}</th>' for c in SCORECARD_COLUMNS)
    rows = []
    for rec in records:
        article = fmt_value(rec["article_value"], rec["unit"])
        if rec["comparator"] and rec["article_value"] is not None:
            article = f"{rec['comparator']} {article}"
        at_pub = f"{fmt_value(rec['value_at_publication'], rec['unit'])} {verdict_badge(rec['verdict_at_publication'])}"
        confidence = rec["confidence"] or ""
        if rec["flips_to"]:
            confidence += f"; {rec['flips_to']} with {rec['flips_if']}"
        latest = (
            f"{fmt_value(rec['value_latest'], rec['unit'])} {verdict_badge(rec['verdict_latest'])}"
            + (
                f'<br><span class="aibet-confidence">{html.escape(confidence)}</span>'
                if confidence
                else ""
            )
            + f'<br><span class="aibet-asof">data of {html.escape(fmt_day(rec["as_of"]))}</span>'
        )
        page = pages[rec["chapter"]].removeprefix("book/")
        link = f'<a href="{page}#{rec["id"].lower()}">{html.escape(rec["id"])}</a>'
        cells = (
            f"{link} {html.escape(rec['claim'])}",
            html.escape(article),
            at_pub,
            latest,
            strip_html([r for r in timeline if r["id"] == rec["id"]]),
        )
        rows.append(
            "<tr>"
            + "".join(
                f'<td data-label="{html.escape(col)}">{cell}</td>'
                for col, cell in zip(SCORECARD_COLUMNS, cells, strict=True)
            )
            + "</tr>"
        )
    legend = " · ".join(f"{letter} {verdict}" for verdict, letter in VERDICT_LETTERS.items())
    return (
        f'<table class="aibet-scorecard"><thead><tr>{head}</tr></thead>'
        f"<tbody>{''.join(rows)}</tbody></table>\n"
        f'<p class="aibet-strip-legend">Month by month: {html.escape(legend)}.</p>\n'
    )


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


CLAIM_REVIEWS = "claim-reviews.json"
"""Each chapter page's claims, for the site extension to embed as ClaimReview JSON-LD."""


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
    _write_if_changed(generated / "scorecard.md", scorecard_html(records, pages, timeline))
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
