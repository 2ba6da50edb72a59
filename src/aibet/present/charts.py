"""Altair charts that draw offline: the site serves its own Vega bundle (see `aibet.site`).

`figure()` wraps a chart with its accessible description and source line; the page loads
`vendor/vega-bundle.js` only when it holds a chart (the Sphinx extension adds it).
"""

from __future__ import annotations

import hashlib
import html
import json
import os
from pathlib import Path

import altair as alt
import pandas as pd

from aibet import CHART_DIR_ENV

PALETTE = ["#1f5fa8", "#d9822b", "#3a8f5c", "#8c4fa3", "#b23a48", "#5f6b7a"]
"""Colour-blind-safe enough for up to six series; every chart also labels its series in text."""

EMBED_OPTIONS = {"actions": False, "renderer": "svg"}
DOWNLOADS_HREF = "../../../downloads/charts"
"""The same folder as seen from a chapter page (book/_generated/notebooks/ in the site)."""
STATIC_WIDTH = 720
"""Width of the downloaded images (on the page a chart fills its container)."""


def _theme():
    return alt.theme.ThemeConfig(
        config={
            "font": "system-ui, -apple-system, Segoe UI, Roboto, sans-serif",
            "view": {"stroke": None, "continuousWidth": 640, "continuousHeight": 320},
            "axis": {"labelFontSize": 13, "titleFontSize": 13, "gridColor": "#e6e6e6"},
            "legend": {"labelFontSize": 13, "titleFontSize": 13, "orient": "top"},
            "title": {"fontSize": 16, "anchor": "start", "subtitleFontSize": 13},
            "range": {"category": PALETTE},
        }
    )


alt.theme.register("aibet", enable=True)(_theme)


def _embed_html(spec: dict, description: str) -> tuple[str, str]:
    text = json.dumps(spec, sort_keys=True, ensure_ascii=False)
    chart_id = "aibet-chart-" + hashlib.sha256(text.encode()).hexdigest()[:12]
    safe_json = text.replace("</", "<\\/")
    options = json.dumps(EMBED_OPTIONS)
    body = (
        f'<div class="aibet-chart" id="{chart_id}" role="img"'
        f' aria-label="{html.escape(description)}"></div>\n'
        f"<script>vegaEmbed({json.dumps('#' + chart_id)}, {safe_json}, {options})"
        ".catch(function (e) { console.error(e); });</script>"
    )
    return chart_id, body


def _offline_renderer(spec: dict, **_):
    _, body = _embed_html(spec, spec.get("description", "Chart"))
    return {"text/html": body}


alt.renderers.register("aibet", _offline_renderer)
alt.renderers.enable("aibet")


class Figure:
    """A chart with its description and source line, rendered as one HTML block."""

    def __init__(self, chart: alt.TopLevelMixin, description: str, source: str):
        self.chart = chart.properties(description=description)
        self.description = description
        self.source = source

    def __repr__(self) -> str:
        # The plain-text form of the cell output: stable across runs (no memory address).
        return f"Figure: {self.description}"

    def _repr_html_(self) -> str:
        spec = self.chart.to_dict()
        chart_id, body = _embed_html(spec, self.description)
        folder = os.environ.get(CHART_DIR_ENV)
        links = _write_downloads(spec, chart_id, Path(folder)) if folder else ""
        return (
            '<figure class="aibet-figure">\n'
            f"{body}\n"
            f'<figcaption class="aibet-source">{html.escape(self.source)}'
            f'<span class="aibet-alt">{html.escape(self.description)}</span>{links}</figcaption>\n'
            "</figure>"
        )


def chart_data(spec: dict) -> pd.DataFrame:
    """The chart's main table: the largest of the datasets it draws (rules and labels are small)."""
    datasets = spec.get("datasets") or {}
    if not datasets:
        return pd.DataFrame()
    return pd.DataFrame(max(datasets.values(), key=len))


def _fixed_width(spec: dict) -> dict:
    """The spec with every 'container' width made a number, for drawing off the page."""

    def fix(node):
        if isinstance(node, dict):
            return {
                k: (STATIC_WIDTH if k == "width" and v == "container" else fix(v))
                for k, v in node.items()
            }
        if isinstance(node, list):
            return [fix(v) for v in node]
        return node

    return fix(spec)


def _write_downloads(spec: dict, chart_id: str, folder: Path) -> str:
    """Write the chart's data (CSV) and image (SVG, PNG) and return the links to them."""
    import vl_convert

    folder.mkdir(parents=True, exist_ok=True)
    chart_data(spec).to_csv(folder / f"{chart_id}.csv", index=False)
    static = _fixed_width(spec)
    (folder / f"{chart_id}.svg").write_text(vl_convert.vegalite_to_svg(static))
    (folder / f"{chart_id}.png").write_bytes(vl_convert.vegalite_to_png(static, scale=2))
    links = " · ".join(
        f'<a href="{DOWNLOADS_HREF}/{chart_id}.{ext}" download>{label}</a>'
        for ext, label in (("csv", "data (CSV)"), ("svg", "image (SVG)"), ("png", "image (PNG)"))
    )
    return f'<span class="aibet-downloads">Download: {links}</span>'


def figure(chart: alt.TopLevelMixin, description: str, source: str) -> Figure:
    return Figure(chart, description, source)


def table(frame: pd.DataFrame, formats: dict | None = None):
    """A data table for the page: no index, numbers formatted, and every text cell escaped, so
    that words from the data (quotes, titles) always show as text, never as markup."""
    styled = (
        frame.style.hide(axis="index")
        .format(formats, escape="html")
        .format_index(escape="html", axis=1)
    )
    # Styler names its table with a random id; one derived from the content keeps builds identical.
    return Table(styled.set_uuid(hashlib.sha256(frame.to_csv().encode()).hexdigest()[:10]), frame)


class Table:
    """A styled table as a cell output whose plain-text form is stable (no memory address)."""

    def __init__(self, styled, frame: pd.DataFrame):
        self.styled = styled
        self.columns = list(frame.columns)
        self.rows = len(frame)

    def _repr_html_(self) -> str:
        return self.styled.to_html()

    def __repr__(self) -> str:
        return f"Table: {self.rows} rows of {', '.join(map(str, self.columns))}"


def short_publisher(publisher: str) -> str:
    """'CNBC (via a copy on …)' -> 'CNBC': the publisher without how we reached the copy."""
    return publisher.split(" (")[0]


def source_line(source_ids: list[str], sources, shown: int = 4) -> str:
    """A short caption: the first few publishers and how many documents; the page lists all."""
    chosen = sources.set_index("source_id").loc[sorted(set(source_ids))]
    publishers = list(dict.fromkeys(short_publisher(p) for p in chosen["publisher"]))
    named = ", ".join(publishers[:shown])
    more = f" and {len(publishers) - shown} more" if len(publishers) > shown else ""
    count = len(chosen)
    noun = "document" if count == 1 else "documents"
    return f"Source: {named}{more} ({count} {noun}; full list under Sources)."


def sources_table(sources, source_ids: list[str]) -> str:
    """The chapter's source list as an HTML table: id, linked document, date published."""
    chosen = sources.set_index("source_id").loc[sorted(set(source_ids))]
    rows = []
    for source_id, row in chosen.iterrows():
        title = html.escape(f"{row.publisher}: {row.title}")
        link = f'<a href="{html.escape(row.url, quote=True)}">{title}</a>' if row.url else title
        date = html.escape(row.date_published or "not shown")
        rows.append(
            f"<tr><td><code>{html.escape(source_id)}</code></td><td>{link}</td><td>{date}</td></tr>"
        )
    head = "<tr><th>Id</th><th>Document</th><th>Published</th></tr>"
    return (
        f'<table class="aibet-sources"><thead>{head}</thead><tbody>{"".join(rows)}</tbody></table>'
    )
