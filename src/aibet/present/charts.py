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

DOWNLOADS_HREF = "../../../downloads/charts"
"""The same folder as seen from a chapter page (book/_generated/notebooks/ in the site)."""
STATIC_WIDTH = 720
"""Width of the downloaded images (on the page a chart fills its container)."""


class Chart(alt.Chart):
    """`alt.Chart` whose `encode` takes the same arguments, but hands Altair channel objects:
    Altair turns a shorthand ("value:Q") or a value into one by first indexing every class of
    the Vega-Lite schema, once per encoding (about 8 ms each, half of drawing a small chart)."""

    def encode(self, *args, **encodings) -> Chart:
        return super().encode(*args, **{k: _channel(k, v) for k, v in encodings.items()})


def layered(*parts: alt.Chart, **top) -> alt.LayerChart:
    """The parts drawn over each other, with `top`'s properties (width, height, title …), built
    in one step: `a + b + c` copies every layer deeply at each `+`, and `.properties` and
    `.add_params` copy again. Idioms of several marks (`article_rule`) are lists of layers."""
    return alt.LayerChart(layer=list(parts), **top)


def _channel(name: str, given):
    """`given` for encoding `name` as the channel object Altair would make of it."""
    if isinstance(given, list | tuple):
        return [_channel(name, item) for item in given]
    kind = name[0].upper() + name[1:]  # x -> X, strokeDash -> StrokeDash
    if isinstance(given, str):
        return getattr(alt, kind)(given)
    if isinstance(given, dict) and "value" in given:  # alt.value(…), alt.condition(…)
        return getattr(alt, f"{kind}Value")(**given)
    return given


def _theme():
    return alt.theme.ThemeConfig(
        config={
            "font": "system-ui, -apple-system, Segoe UI, Roboto, sans-serif",
            "view": {"stroke": None, "continuousWidth": 640, "continuousHeight": 320},
            # Labels that would collide, or come closer than 4 px (the measured text can be narrower than
            # the font drawn), are dropped in turn: a phone fits every other year.
            "axis": {
                "labelFontSize": 13,
                "titleFontSize": 13,
                "gridColor": "#e6e6e6",
                "labelOverlap": True,
                "labelSeparation": 4,
            },
            # The first and last labels of a scale stay inside the plot ("2,500" at the edge).
            "axisQuantitative": {"labelFlush": True},
            "axisTemporal": {"labelFlush": True},
            "legend": {
                "labelFontSize": 13,
                "titleFontSize": 13,
                "orient": "top",
                "labelLimit": 320,
            },
            "title": {"fontSize": 16, "anchor": "start", "subtitleFontSize": 13},
            "range": {"category": PALETTE},
        }
    )


alt.theme.register("aibet", enable=True)(_theme)


TITLE_CHARS, SUBTITLE_CHARS, AXIS_TITLE_CHARS = 36, 46, 26
"""Longest line of a chart's title, subtitle and axis titles: Vega never wraps text, and these
fit a 390 px phone (at desktop widths the lines simply stay short)."""


def wrap_line(text: str, width: int) -> str | list[str]:
    """A text as lines of at most `width` characters (one line stays a plain string)."""
    import textwrap

    lines = textwrap.wrap(text, width, break_long_words=False) if len(text) > width else [text]
    return lines[0] if len(lines) == 1 else lines


def _fit_title(title):
    if isinstance(title, str):
        return wrap_line(title, TITLE_CHARS)
    if isinstance(title, dict):
        title = dict(title)
        if isinstance(title.get("text"), str):
            title["text"] = wrap_line(title["text"], TITLE_CHARS)
        if isinstance(title.get("subtitle"), str):
            title["subtitle"] = wrap_line(title["subtitle"], SUBTITLE_CHARS)
    return title


def fit_text(spec: dict) -> dict:
    """The spec with its titles, subtitles and axis titles wrapped to fit a phone's width (a
    tooltip's titles stay as they are)."""

    def fit(node):
        if isinstance(node, list):
            return [fit(v) for v in node]
        if not isinstance(node, dict):
            return node
        out = {k: (v if k == "tooltip" else fit(v)) for k, v in node.items()}
        if "title" in out and ("mark" in out or "layer" in out or "$schema" in out):
            out["title"] = _fit_title(out["title"])
        for channel in ("x", "y"):
            encoding = out.get(channel) if "field" not in out else None
            if isinstance(encoding, dict) and isinstance(encoding.get("title"), str):
                encoding["title"] = wrap_line(encoding["title"], AXIS_TITLE_CHARS)
            axis = encoding.get("axis") if isinstance(encoding, dict) else None
            if isinstance(axis, dict) and isinstance(axis.get("title"), str):
                axis["title"] = wrap_line(axis["title"], AXIS_TITLE_CHARS)
        return out

    return fit(spec)


def _json_safe(node):
    """NaN (a missing number in a chart's data) as JSON's null: the page parses specs as JSON."""
    if isinstance(node, dict):
        return {k: _json_safe(v) for k, v in node.items()}
    if isinstance(node, list):
        return [_json_safe(v) for v in node]
    return None if isinstance(node, float) and node != node else node


def _embed_html(spec: dict, description: str) -> tuple[str, str]:
    text = json.dumps(_json_safe(spec), sort_keys=True, ensure_ascii=False, allow_nan=False)
    chart_id = "aibet-chart-" + hashlib.sha256(text.encode()).hexdigest()[:12]
    safe_json = text.replace("</", "<\\/")
    # Data, not code: the page's chart script draws it when it nears the screen.
    body = (
        f'<div class="aibet-chart" id="{chart_id}" role="img"'
        f' aria-label="{html.escape(description)}"></div>\n'
        f'<script type="application/json" class="aibet-spec" data-for="{chart_id}">'
        f"{safe_json}</script>"
    )
    return chart_id, body


def _offline_renderer(spec: dict, **_):
    _, body = _embed_html(spec, spec.get("description", "Chart"))
    return {"text/html": body}


alt.renderers.register("aibet", _offline_renderer)
alt.renderers.enable("aibet")


class Figure:
    """A chart with its description and source line, rendered as one HTML block: the caption
    shows the `takeaway` (its finding in one sentence) and the source; the description is the
    chart's text alternative, for assistive technology."""

    def __init__(
        self, chart: alt.TopLevelMixin, description: str, source: str, takeaway: str | None = None
    ):
        self.chart = chart.properties(description=description)
        self.description = description
        self.source = source
        self.takeaway = takeaway

    def __repr__(self) -> str:
        # The plain-text form of the cell output: stable across runs (no memory address).
        return f"Figure: {self.description}"

    def _repr_html_(self) -> str:
        # Checked against the Vega-Lite schema once, in the tests, for every chart of the book
        # (tests/test_charts.py): here that costs a fifth of drawing a chart.
        spec = fit_text(self.chart.to_dict(validate=False))
        chart_id, body = _embed_html(spec, self.description)
        folder = os.environ.get(CHART_DIR_ENV)
        links = _write_downloads(spec, chart_id, Path(folder)) if folder else ""
        said = (
            f'<span class="aibet-takeaway">{html.escape(self.takeaway)}</span>'
            if self.takeaway
            else ""
        )
        return (
            '<figure class="aibet-figure">\n'
            f"{body}\n"
            f'<figcaption class="aibet-source">{said}{html.escape(self.source)}{links}'
            "</figcaption>\n</figure>"
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


IMAGE_SPEC = ".vl.json"
"""A chart whose images are still to be drawn: its static spec, written by the notebook's kernel
and turned into SVG and PNG by the build (`draw_images`), outside the kernels."""


def _write_downloads(spec: dict, chart_id: str, folder: Path) -> str:
    """Write the chart's data (CSV) and the spec its images are drawn from; return the links to
    the data and the images."""
    folder.mkdir(parents=True, exist_ok=True)
    chart_data(spec).to_csv(folder / f"{chart_id}.csv", index=False)
    staged = folder / f"{chart_id}{IMAGE_SPEC}.partial"  # the build may list the folder meanwhile
    staged.write_text(json.dumps(_json_safe(_fixed_width(spec)), allow_nan=False))
    os.replace(staged, folder / f"{chart_id}{IMAGE_SPEC}")
    links = " · ".join(
        f'<a href="{DOWNLOADS_HREF}/{chart_id}.{ext}" download>{label}</a>'
        for ext, label in (("csv", "data (CSV)"), ("svg", "image (SVG)"), ("png", "image (PNG)"))
    )
    return f'<span class="aibet-downloads">Download: {links}</span>'


def images_to_draw(folder: Path) -> list[Path]:
    """The specs in `folder` whose images are not drawn yet."""
    return sorted(folder.glob(f"*{IMAGE_SPEC}")) if folder.is_dir() else []


def _kept(cache: Path, names: tuple[str, ...], draw) -> list[Path]:
    """Files kept in `cache` under the renderer's version: `draw()` (the bytes of each name, in
    order) runs only when one is missing; each is written whole, then renamed."""
    import vl_convert

    kept = cache / f"vl-convert-{vl_convert.__version__}"
    paths = [kept / name for name in names]
    if not all(path.exists() for path in paths):
        kept.mkdir(parents=True, exist_ok=True)
        for path, data in zip(paths, draw(), strict=True):
            staged = path.with_name(f"{path.name}.{os.getpid()}.partial")
            staged.write_bytes(data)
            os.replace(staged, path)
    return paths


def draw_images(spec_path: Path, cache: Path) -> None:
    """Draw a chart's SVG and PNG beside its spec, then remove the spec. Images are kept in
    `cache` by chart id (the hash of the spec and its data), so a chart drawn before is copied,
    not drawn again. The PNG is rasterised from the SVG: one Vega run, not two."""
    import shutil

    import vl_convert

    def draw():
        drawn = vl_convert.vegalite_to_svg(json.loads(spec_path.read_text()))
        return drawn.encode(), vl_convert.svg_to_png(drawn, scale=2)

    chart_id = spec_path.name.removesuffix(IMAGE_SPEC)
    for path in _kept(cache, (f"{chart_id}.svg", f"{chart_id}.png"), draw):
        shutil.copyfile(path, spec_path.with_name(path.name))
    spec_path.unlink()


def draw_png(spec: dict, target: Path, cache: Path) -> None:
    """A Vega-Lite spec drawn to a PNG at `target`, kept in `cache` by the spec's hash (an
    unchanged picture is copied, not drawn again)."""
    import shutil

    import vl_convert

    digest = hashlib.sha256(json.dumps(spec, sort_keys=True).encode()).hexdigest()[:16]
    (kept,) = _kept(cache, (f"{digest}.png",), lambda: [vl_convert.vegalite_to_png(spec, scale=1)])
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(kept, target)


def figure(
    chart: alt.TopLevelMixin, description: str, source: str, takeaway: str | None = None
) -> Figure:
    return Figure(chart, description, source, takeaway)


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


GRADE_TITLES = {
    "A": "A: the figure's producer (filing, official statistics, own publication)",
    "B": "B: news organisation or recognised data provider",
    "C": "C: other",
}
"""What each source grade means, for the grade shown beside every source (VERDICTS.md rule 6)."""


def short_publisher(publisher: str) -> str:
    """'Meta Platforms, Inc. (SEC EDGAR)' -> 'Meta Platforms, Inc.': the publisher alone."""
    return publisher.split(" (")[0]


def _company(publisher: str) -> str:
    """'Meta Platforms, Inc.' -> 'Meta Platforms': how a caption names a filer."""
    name = short_publisher(publisher)
    for suffix in (", Inc.", " Inc.", " Corporation", " Corp.", ", Inc", " Inc"):
        name = name.removesuffix(suffix)
    return name


def _named(names: list[str], shown: int) -> str:
    more = f" and {len(names) - shown} more" if len(names) > shown else ""
    return ", ".join(names[:shown]) + more


def source_line(source_ids: list[str], sources, shown: int = 4) -> str:
    """A short caption naming the producers first: the companies whose SEC filings it uses, then
    the other grade-A publishers, then the rest, and how many documents; the page lists all."""
    chosen = sources.set_index("source_id").loc[sorted(set(source_ids))]
    filings = chosen[(chosen["grade"] == "A") & (chosen["kind"] == "filing")]
    filers = list(dict.fromkeys(_company(p) for p in filings["publisher"]))
    parts = [f"{_named(filers, shown)} filings (SEC)"] if filers else []
    rest = chosen.drop(filings.index).sort_values("grade", kind="stable")
    publishers = [  # a filer's own releases are already named with its filings
        p
        for p in dict.fromkeys(short_publisher(p) for p in rest["publisher"])
        if _company(p) not in filers
    ]
    if publishers:
        parts.append(_named(publishers, max(shown - len(parts), 1)))
    count = len(chosen)
    noun = "document" if count == 1 else "documents"
    return f"Source: {'; '.join(parts)} ({count} {noun}; full list under Sources)."


def grade_cell(grade: str) -> str:
    """A source's grade as a table cell whose title says what the grade means."""
    title = html.escape(GRADE_TITLES.get(grade, "not graded"), quote=True)
    return f'<td class="aibet-grade" title="{title}">{html.escape(grade or "—")}</td>'


def sources_table(sources, source_ids: list[str]) -> str:
    """The chapter's source list as an HTML table: id, linked document, grade, date published;
    the producers' documents first."""
    chosen = sources.set_index("source_id").loc[sorted(set(source_ids))]
    chosen = chosen.sort_values("grade", kind="stable")
    rows = []
    for source_id, row in chosen.iterrows():
        title = html.escape(f"{row.publisher}: {row.title}")
        link = f'<a href="{html.escape(row.url, quote=True)}">{title}</a>' if row.url else title
        date = html.escape(row.date_published or "not shown")
        rows.append(
            f"<tr><td><code>{html.escape(source_id)}</code></td><td>{link}</td>"
            f"{grade_cell(row.grade)}<td>{date}</td></tr>"
        )
    head = "<tr><th>Id</th><th>Document</th><th>Grade</th><th>Published</th></tr>"
    return (
        f'{grade_key()}<table class="aibet-sources"><thead>{head}</thead>'
        f"<tbody>{''.join(rows)}</tbody></table>"
    )


def grade_key() -> str:
    """The key to the grade column, shown above every source list (outside the table, so that
    it wraps on a phone while a wide table scrolls)."""
    return (
        f'<p class="aibet-grade-key">Grades: {html.escape("; ".join(GRADE_TITLES.values()))}.</p>'
    )


# --- idioms every chapter shares --------------------------------------------------------------

COMPANY_COLORS = {
    "Microsoft": PALETTE[0],
    "Alphabet": PALETTE[1],
    "Amazon": PALETTE[2],
    "Meta": PALETTE[3],
    "Oracle": PALETTE[4],
    "CoreWeave": PALETTE[5],
    "Apple": "#7a5c2e",
    "Nvidia": "#4d7f17",
}
"""One colour per company across the whole book (the series name is also always in text)."""
ARTICLE_COLOR = "#333333"
ARTICLE_DASH = [6, 4]
"""The article's figure is drawn the same way everywhere: a dark dashed rule, labelled."""
LEGEND_BELOW = alt.Legend(orient="bottom", direction="vertical", labelLimit=480)


def company_color(field: str = "company", title: str | None = "Company", companies=None):
    """A colour encoding that gives each company its book-wide colour."""
    names = list(companies) if companies is not None else list(COMPANY_COLORS)
    scale = alt.Scale(domain=names, range=[COMPANY_COLORS.get(n, PALETTE[5]) for n in names])
    return alt.Color(f"{field}:N", title=title, scale=scale, legend=LEGEND_BELOW)


def article_rule(value: float, label: str, axis: str = "y") -> list[alt.Chart]:
    """The article's figure as a dashed rule with its label (two layers): a horizontal rule labelled at the
    left edge just above it, a vertical one labelled above the plot, never across the marks."""
    frame = pd.DataFrame({"value": [value], "label": [label]})
    base = Chart(frame)
    rule = base.mark_rule(strokeDash=ARTICLE_DASH, color=ARTICLE_COLOR).encode(
        **{axis: "value:Q"}, tooltip=[alt.Tooltip("label:N", title="Article")]
    )
    if axis == "y":
        text = base.mark_text(align="left", dx=4, dy=-8, color=ARTICLE_COLOR).encode(
            y="value:Q", x=alt.value(0), text="label:N"
        )
    else:
        # Right-aligned, left of the rule: the article's figure is usually the largest drawn.
        text = base.mark_text(align="right", dx=-3, dy=-8, color=ARTICLE_COLOR).encode(
            x="value:Q", y=alt.value(0), text="label:N"
        )
    return [rule, text]


def publication_rule() -> list[alt.Chart]:
    """The article's publication date, marked the same way on every time axis: a thin grey
    rule labelled "article published" just left of it (the rule may be the plot's right edge)."""
    from aibet import PUBLICATION_DATE

    marked = pd.DataFrame(
        {"date": [pd.Timestamp(PUBLICATION_DATE)], "label": ["article published"]}
    )
    base = Chart(marked)
    rule = base.mark_rule(color="#999999").encode(
        x="date:T", tooltip=[alt.Tooltip("date:T", title="Article published", format="%-d %b %Y")]
    )
    text = base.mark_text(align="right", dx=-3, dy=6, color="#555555", baseline="top").encode(
        x="date:T", y=alt.value(0), text="label:N"
    )
    return [rule, text]


VERDICT_COLORS = {
    "accurate": "#1d6b3a",
    "roughly right": "#7a8f2a",
    "overstated": "#c2410c",
    "understated": "#c2410c",
    "mischaracterized": "#8a1c2b",
    "unsupported": "#8b929c",
    "context": "#1e4f8a",
}
"""Verdict colours, the same as the badges'; the verdict's word is always shown too."""


def verdict_timeline(claim, rows: list[dict], takeaway: str | None = None) -> Figure:
    """A claim's reproduced value as known on each date against the article's figure, each
    point coloured and labelled by its verdict, the publication date marked."""
    from aibet.present.formats import fmt_value

    frame = pd.DataFrame(rows)
    frame["date"] = pd.to_datetime(frame["as_of"])
    verdicts = [v for v in VERDICT_COLORS if v in set(frame["verdict"])]
    color = alt.Color(
        "verdict:N",
        title="Verdict",
        scale=alt.Scale(domain=verdicts, range=[VERDICT_COLORS[v] for v in verdicts]),
        legend=LEGEND_BELOW,
    )
    x = alt.X("date:T", title=None, axis=alt.Axis(format="%b %Y", labelAngle=0, tickCount=6))
    tooltip = [
        alt.Tooltip("date:T", title="As known on", format="%-d %b %Y"),
        alt.Tooltip("verdict:N", title="Verdict"),
        alt.Tooltip("value:Q", title=f"Value ({claim.unit})", format=",.2f"),
    ]
    numeric = claim.article_value is not None and frame["value"].notna().any()
    height = 160 if numeric else 60
    marked = ""  # what the description says of the triangles, when there are any
    if numeric:
        points = (
            Chart(frame.dropna(subset=["value"]))
            .mark_line(interpolate="step-after", color="#9aa3ad")
            .encode(
                x=x,
                y=alt.Y("value:Q", title=claim.unit, scale=alt.Scale(zero=False)),
                tooltip=tooltip,
            )
        )
        dots = points.mark_point(size=70, filled=True).encode(color=color)
        label = f"article: {fmt_value(claim.article_value, claim.unit)}"
        layers = [points, dots, *article_rule(claim.article_value, label), *publication_rule()]
        unvalued = frame[frame["value"].isna()]
        if len(unvalued):  # dates with a verdict but no value: marked along the bottom
            marked = " Triangles along the bottom mark dates with a verdict but no value."
            layers.append(
                Chart(unvalued)
                .mark_point(shape="triangle-up", size=60, filled=True)
                .encode(x=x, y=alt.value(height - 6), color=color, tooltip=tooltip[:2])
            )
        heading = f"{claim.id} over time"
    else:
        strip = (
            Chart(frame).mark_tick(thickness=6, size=28).encode(x=x, color=color, tooltip=tooltip)
        )
        layers = [strip, *publication_rule()]
        heading = f"{claim.id}: verdict over time"
    first, last = frame.iloc[0], frame.iloc[-1]
    description = (
        f"{heading}, from {first['as_of']} to {last['as_of']}: {first['verdict']} at the start,"
        f" {last['verdict']} at the end.{marked}"
    )
    title = alt.Title(heading, subtitle="as known on each date")
    chart = layered(*layers, width="container", height=height, title=title)
    source = "Source: this book's claim engine over the dated data."
    return Figure(chart, description, source, takeaway)


class Note:
    """A short paragraph in place of a chart that has nothing to draw on the date judged."""

    def __init__(self, text: str):
        self.text = text

    def _repr_html_(self) -> str:
        return f'<p class="aibet-note">{html.escape(self.text)}</p>'

    def __repr__(self) -> str:
        return f"Note: {self.text}"


class Html:
    """Ready HTML (built from escaped text) as a cell output with a stable plain-text form."""

    def __init__(self, markup: str):
        self.markup = markup

    def _repr_html_(self) -> str:
        return self.markup

    def __repr__(self) -> str:
        return "Html block"


def _axis_name(name: str) -> str:
    return name.replace("_", " ").capitalize()


def assumption_explorer(claim, rows: list[dict], values: dict) -> Figure:
    """For a claim whose verdict is not firm: a menu per assumption of its grid, and the value
    and verdict they give as a large dot among every combination (grey), against the article's
    figure. Every point is precomputed by the engine; the page only filters them."""
    from aibet.present.formats import fmt_value

    names = list(claim.grid)
    records = []
    for row in rows:
        record = {f"a{i}": claim.describe(n, row["point"][n]) for i, n in enumerate(names)}
        if row["value"] is None:  # nothing to place: the label says why
            why = "a figure it needs is not public yet" if row["undetermined"] else "no value"
            label = f"{row['verdict']}: {why}"
        else:
            label = f"{row['verdict']}: {fmt_value(row['value'], claim.unit)}"
        record.update(value=row["value"], verdict=row["verdict"], label=label)
        records.append(record)
    frame = pd.DataFrame(records)
    params = []
    for i, name in enumerate(names):
        options = list(dict.fromkeys(claim.describe(name, v) for v in claim.grid[name]))
        chosen = claim.describe(name, values.get(name, claim.assumptions.get(name)))
        params.append(
            alt.param(
                name=f"a{i}",
                value=chosen if chosen in options else options[0],
                bind=alt.binding_select(options=options, name=f"{_axis_name(name)} "),
            )
        )
    picked = " && ".join(f"datum.a{i} == a{i}" for i in range(len(names)))
    placed = frame.dropna(subset=["value"])
    verdicts = [v for v in VERDICT_COLORS if v in set(placed["verdict"])]
    y = alt.Y("verdict:N", title=None, sort=verdicts)
    scale = alt.Scale(zero=False, nice=True)
    x = alt.X("value:Q", title=claim.unit, scale=scale, axis=alt.Axis(tickCount=6))
    tooltip = [alt.Tooltip(f"a{i}:N", title=_axis_name(n)) for i, n in enumerate(names)]
    tooltip += [alt.Tooltip("label:N", title="Gives")]
    every = Chart(placed).mark_point(filled=True, size=50, color="#9aa3ad", opacity=0.6)
    every = every.encode(x=x, y=y, tooltip=tooltip)
    mine = (
        Chart(placed)
        .transform_filter(picked)
        .mark_point(filled=True, size=260, opacity=1)
        .encode(
            x=x,
            y=y,
            tooltip=tooltip,
            color=alt.Color(
                "verdict:N",
                scale=alt.Scale(domain=verdicts, range=[VERDICT_COLORS[v] for v in verdicts]),
                legend=None,
            ),
        )
    )
    height = 50 + 44 * len(verdicts)
    # The choice's verdict and value, in words under the axis (a label beside the dot would
    # leave the plot at either end of the scale).
    said = (
        Chart(frame)
        .transform_filter(picked)
        .transform_calculate(said="'Your choice:\\n' + datum.label")
        .mark_text(
            align="center",
            baseline="top",
            fontWeight="bold",
            color="#1f2937",
            lineBreak="\n",
            x={"expr": "width / 2"},
            y=height + 44,
        )
        .encode(text="said:N")
    )
    layers = [every.add_params(*params), mine, said]  # the menus belong to the chart as a whole
    if claim.article_value is not None:
        article = fmt_value(claim.article_value, claim.unit)
        layers[:0] = article_rule(claim.article_value, f"article: {article}", axis="x")
    chart = layered(
        *layers,
        width="container",
        height=height,
        title=alt.Title(
            f"{claim.id}: choose the assumptions",
            subtitle="Large dot: the verdict under your choice; grey: every other combination",
        ),
    )
    counts = frame["verdict"].value_counts()
    verdicts = [v for v in VERDICT_COLORS if v in counts]
    description = (
        f"Menus for {', '.join(_axis_name(n).lower() for n in names)}; over the"
        f" {len(frame)} combinations the verdict is "
        + ", ".join(f"{v} in {counts[v]}" for v in verdicts)
        + "."
    )
    source = "Source: this book's claim engine, over each assumption's plausible range (Methods)."
    held = [f"{v} under {counts[v]}" for v in verdicts]
    takeaway = (
        f"Over the {len(frame)} combinations of plausible assumptions the claim is "
        + (", ".join(held[:-1]) + " and " + held[-1] if len(held) > 1 else held[0])
        + "."
    )
    return Figure(chart, description, source, takeaway)
