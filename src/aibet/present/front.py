"""The front page: the bottom line, the verdict tally and the scorecard, all from the ledger and
the verdict timeline the engine wrote (nothing here judges a claim)."""

from __future__ import annotations

import html
from collections import Counter

from aibet import (
    ARTICLE_HEADLINE,
    ARTICLE_HEADLINE_ZH,
    ARTICLE_PUBLISHER,
    PROJECT,
    PUBLICATION_DATE,
)
from aibet.claims import rubric
from aibet.present.formats import article_phrase, fmt_day, value_phrase, verdict_badge

THESIS_CHAPTERS = ("investment-scale", "revenue-shortfall")
"""The article's thesis, a build-out too large for its revenue to pay back, rests on these."""

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


def chapter_title(chapter: str) -> str:
    """'debt-and-financing' -> 'Debt and financing' (the chapters' own headings)."""
    return chapter.replace("-", " ").capitalize()


def _ids(records: list[dict]) -> str:
    return ", ".join(r["id"] for r in records)


def _count(n: int, noun: str = "claim") -> str:
    return f"{n} {noun}" + ("" if n == 1 else "s")


def latest_date(records: list[dict]) -> str:
    """The date the latest verdicts are judged at: the newest figure in the data."""
    return max(r["as_of"] for r in records)


def _listed(items: list[str]) -> str:
    """'a', 'a and b', 'a, b and c'."""
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


def _held(rec: dict, side: str) -> bool:
    return rubric.outcome(rec[f"verdict_{side}"]) == "held"


def bottom_line_html(records: list[dict], pages: dict[str, str]) -> str:
    """How many claims held when written and hold now, what changed since, and what that means
    for the two legs of the article's thesis (with the verdicts of the claims that miss)."""
    then = Counter(rubric.outcome(r["verdict_at_publication"]) for r in records)
    now = Counter(rubric.outcome(r["verdict_latest"]) for r in records)
    latest = fmt_day(latest_date(records))
    paragraphs = [
        f"Of the article's {len(records)} claims, <strong>{then['held']} held when it was"
        f" written</strong> and <strong>{now['held']} hold with the data of {latest}</strong>."
        f" When written, {then['missed']} missed (overstated, understated or mischaracterized)"
        f" and {then['unchecked']} could not be checked with what was public; now"
        f" {now['missed']} miss and {now['unchecked']} cannot be checked."
        + (
            f" {_count(then['not rated'])} {'voices' if then['not rated'] == 1 else 'voice'}"
            " a worry rather than a fact and is not rated."
            if then["not rated"]
            else ""
        )
    ]
    became = [r["id"] for r in records if _held(r, "latest") and not _held(r, "at_publication")]
    stopped = [
        f"{r['id']} (now {r['verdict_latest']})"
        for r in records
        if _held(r, "at_publication") and not _held(r, "latest")
    ]
    changes = []
    if became:
        changes.append(f"{_listed(became)} {'have' if len(became) > 1 else 'has'} come to hold")
    if stopped:
        changes.append(f"{_listed(stopped)} no longer {'hold' if len(stopped) > 1 else 'holds'}")
    if changes:
        paragraphs.append("Since publication, " + "; ".join(changes) + ".")
    legs = []
    for chapter in THESIS_CHAPTERS:
        mine = [r for r in records if r["chapter"] == chapter]
        missed = [r for r in mine if not _held(r, "latest")]
        page = pages[chapter].removeprefix("book/")
        leg = (
            f'<a href="{page}">{html.escape(chapter_title(chapter).lower())}</a>,'
            f" {sum(_held(r, 'latest') for r in mine)} of {len(mine)} claims hold now"
            f" ({sum(_held(r, 'at_publication') for r in mine)} when written)"
        )
        if missed:
            leg += "; " + _listed([f"{r['id']} is {r['verdict_latest']}" for r in missed])
        legs.append(leg)
    paragraphs.append(
        "The article's thesis, a build-out too large for today's AI revenue to pay back, rests"
        f" on two chapters. In {legs[0]}. In {legs[1]}."
    )
    return (
        '<div class="aibet-bottom-line" role="region" aria-label="The bottom line">'
        '<p class="aibet-kicker">The bottom line</p>'
        + "".join(f"<p>{p}</p>" for p in paragraphs)
        + "</div>\n"
    )


def verdict_tally(records: list[dict]) -> list[tuple[str, int, int]]:
    """(verdict, claims when written, claims now) for each verdict some claim got, in the
    rubric's order."""
    then = Counter(r["verdict_at_publication"] for r in records)
    now = Counter(r["verdict_latest"] for r in records)
    return [(v, then[v], now[v]) for v in rubric.VERDICTS if then[v] or now[v]]


def tally_html(records: list[dict]) -> str:
    """How many claims got each verdict, when written and now."""
    rows = "".join(
        f'<tr><th scope="row">{verdict_badge(v)}</th><td>{then}</td><td>{now}</td></tr>'
        for v, then, now in verdict_tally(records)
    )
    return (
        '<table class="aibet-tally"><caption>Verdicts, when written and now</caption>'
        '<thead><tr><th scope="col">Verdict</th><th scope="col">When written</th>'
        f'<th scope="col">Now</th></tr></thead><tbody>{rows}</tbody></table>\n'
    )


def verdict_runs(rows: list[dict]) -> list[tuple[str, str, str]]:
    """A claim's timeline as runs of one verdict: (verdict, first date, last date)."""
    runs: list[list[str]] = []
    for row in rows:
        if runs and runs[-1][0] == row["verdict"]:
            runs[-1][2] = row["as_of"]
        else:
            runs.append([row["verdict"], row["as_of"], row["as_of"]])
    return [tuple(run) for run in runs]


def timeline_sentence(rows: list[dict]) -> str:
    """A claim's verdict over time in one sentence: 'Overstated from March 2025 to August 2026.'
    or 'Unsupported until August 2025, overstated from September 2025, accurate since …'."""
    import pandas as pd

    def month(date: str) -> str:
        return pd.Timestamp(date).strftime("%B %Y")

    runs = verdict_runs(rows)
    if len(runs) == 1:
        verdict, first, last = runs[0]
        return f"{verdict.capitalize()} at every month-end from {month(first)} to {month(last)}."
    parts = [f"{runs[0][0]} until {month(runs[0][2])}"]
    parts += [f"{verdict} from {month(first)}" for verdict, first, _ in runs[1:-1]]
    parts.append(f"{runs[-1][0]} since {month(runs[-1][1])}")
    text = ", ".join(parts)
    return text[0].upper() + text[1:] + "."


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


def scorecard_columns(records: list[dict]) -> tuple[str, ...]:
    return (
        "Claim",
        "The article",
        f"When written ({fmt_day(PUBLICATION_DATE)})",
        f"Now (data of {fmt_day(latest_date(records))})",
        "Month by month",
    )


def _verdict_cell(claim_id: str, value: float | None, verdict: str) -> str:
    words = value_phrase(claim_id, value)
    return (f"{html.escape(words)} " if words else "") + verdict_badge(verdict)


def _notes(rec: dict) -> str:
    """The latest verdict's reason, then its confidence and evidence grade."""
    parts = [f"{rec['reason']}."]
    if rec["confidence"]:
        confidence = f"Confidence: {rec['confidence']}"
        if rec["flips_to"]:
            confidence += f" ({rec['flips_to']} with {rec['flips_if']})"
        parts.append(confidence + ".")
    if rec["evidence_grade"] is not None:
        parts.append(f"Evidence: {rec['evidence_grade']:.0%} from the figures' producers.")
    return " ".join(html.escape(p) for p in parts)


def scorecard_html(records: list[dict], pages: dict[str, str], timeline: list[dict]) -> str:
    """Every claim: its words (linked to its section), the article's figure, both verdicts with
    their values in words, the verdict month by month, then a line with the latest reason,
    confidence and evidence grade. Each cell carries its column's name, so that on a phone a
    claim reads as a card (aibet.css)."""
    columns = scorecard_columns(records)
    head = "".join(f'<th scope="col">{html.escape(c)}</th>' for c in columns)
    rows = []
    for rec in records:
        page = pages[rec["chapter"]].removeprefix("book/")
        link = f'<a href="{page}#{rec["id"].lower()}">{html.escape(rec["id"])}</a>'
        cells = (
            f"{link} {html.escape(rec['claim'])}",
            html.escape(article_phrase(rec["id"]) or "no figure"),
            _verdict_cell(rec["id"], rec["value_at_publication"], rec["verdict_at_publication"]),
            _verdict_cell(rec["id"], rec["value_latest"], rec["verdict_latest"]),
            strip_html([r for r in timeline if r["id"] == rec["id"]]),
        )
        rows.append(
            '<tr class="aibet-claim-row">'
            + "".join(
                f'<td data-label="{html.escape(col)}">{cell}</td>'
                for col, cell in zip(columns, cells, strict=True)
            )
            + "</tr>"
            + f'<tr class="aibet-why-row"><td colspan="{len(columns)}" data-label="Why">'
            + f"{_notes(rec)}</td></tr>"
        )
    legend = " · ".join(f"{letter} {verdict}" for verdict, letter in VERDICT_LETTERS.items())
    return (
        f'<table class="aibet-scorecard"><thead><tr>{head}</tr></thead>'
        f"<tbody>{''.join(rows)}</tbody></table>\n"
        f'<p class="aibet-strip-legend">Month by month: {html.escape(legend)}.</p>\n'
    )


def masthead_html(records: list[dict]) -> str:
    """What this is, about which article (its headline in Chinese and in English), by whom,
    and the date of the data the verdicts read."""
    return (
        '<div class="aibet-masthead">'
        f'<p class="aibet-standfirst">A claim-by-claim check, with sourced data, of'
        f' <span lang="zh">「{html.escape(ARTICLE_HEADLINE_ZH)}」</span>'
        f" (<em>{html.escape(ARTICLE_HEADLINE)}</em>), {html.escape(ARTICLE_PUBLISHER)},"
        f" {fmt_day(PUBLICATION_DATE)}.</p>"
        f'<p class="aibet-byline">By {html.escape(PROJECT)} · verdicts computed with data to'
        f" {fmt_day(latest_date(records))} · "
        '<a href="about.html">corrections, how to cite, licence</a></p>'
        "</div>\n"
    )


def front_page_parts(records, pages, timeline) -> dict[str, str]:
    """The generated files the front page includes, by name."""
    return {
        "masthead.md": masthead_html(records),
        "bottom-line.md": bottom_line_html(records, pages),
        "tally.md": tally_html(records),
        "scorecard.md": scorecard_html(records, pages, timeline),
    }


SOCIAL_CARD_SIZE = (1200, 630)
"""The picture a link to the book shows when shared (the size Open Graph readers expect)."""


def social_card_spec(records: list[dict]) -> dict:
    """The verdict tally as a picture for link previews: how many claims got each verdict when
    the article was written and now. A Vega-Lite spec; the build draws it (no browser)."""
    from aibet.present.charts import PALETTE

    sides = ("When written", "Now")
    tally = verdict_tally(records)
    rows = [
        {"verdict": verdict, "side": side, "claims": count}
        for verdict, *counts in tally
        for side, count in zip(sides, counts, strict=True)
        if count
    ]
    order = [verdict for verdict, _, _ in tally]
    width, height = SOCIAL_CARD_SIZE
    y = {"field": "verdict", "type": "nominal", "sort": order, "title": None}
    offset = {"field": "side", "sort": list(sides)}
    return {
        "$schema": "https://vega.github.io/schema/vega-lite/v5.json",
        "width": width,
        "height": height,
        "autosize": {"type": "fit", "contains": "padding"},
        "padding": {"left": 40, "right": 60, "top": 36, "bottom": 30},
        "background": "white",
        "config": {
            "font": "DejaVu Sans, sans-serif",
            "view": {"stroke": None},
            "axis": {
                "labelFontSize": 24,
                "labelLimit": 300,
                "grid": False,
                "domain": False,
                "ticks": False,
            },
            "legend": {"labelFontSize": 22, "symbolSize": 300, "orient": "top", "title": None},
            "title": {"fontSize": 38, "subtitleFontSize": 22, "anchor": "start", "offset": 18},
        },
        "title": {
            "text": "The Trillion-Dollar Bet: was the article right?",
            "subtitle": [
                f"{len(records)} claims of an article on the AI boom, checked against filings and",
                f"official statistics: as known on {fmt_day(PUBLICATION_DATE)}, and now"
                f" (data to {fmt_day(latest_date(records))})",
            ],
        },
        "data": {"values": rows},
        "encoding": {"y": y, "yOffset": offset},
        "layer": [
            {
                "mark": {"type": "bar", "height": {"band": 0.9}},
                "encoding": {
                    "x": {"field": "claims", "type": "quantitative", "axis": None},
                    "color": {
                        "field": "side",
                        "type": "nominal",
                        "sort": list(sides),
                        "scale": {"range": PALETTE[:2]},
                    },
                },
            },
            {
                "mark": {"type": "text", "align": "left", "dx": 8, "fontSize": 22},
                "encoding": {
                    "x": {"field": "claims", "type": "quantitative"},
                    "text": {"field": "claims"},
                },
            },
        ],
    }
