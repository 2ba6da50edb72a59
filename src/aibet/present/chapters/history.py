"""Charts of the historical-bubbles chapter (HIST-1…HIST-4), each drawn from a judgement."""

from __future__ import annotations

import altair as alt
import pandas as pd

from aibet.claims import history
from aibet.claims.engine import Judgement
from aibet.present import charts

SHORT_NAMES = {
    history.UK_RAIL: "U.K. rail, 1840s",
    history.US_RAIL: "U.S. rail, 1860s–80s",
    history.TELECOM: "U.S. telecom, 2000",
    history.AI_BUILD_OUT: "AI, latest year",
}
"""Episode names short enough for a phone's axis."""
PERCENT = alt.Scale(domain=[0, 100])
PERCENT_AXIS = alt.Axis(values=[0, 25, 50, 75, 100])
BAR_COLOR = "#777777"
"""Our test's bar (not the article's figure, which these qualitative claims do not give)."""


def _bar(value: float, label: str) -> list[alt.Chart]:
    """A test's threshold on the x axis: a thin grey rule with its label (two layers)."""
    frame = pd.DataFrame({"value": [value], "label": [label]})
    base = charts.Chart(frame)
    rule = base.mark_rule(color=BAR_COLOR).encode(x="value:Q")
    text = base.mark_text(align="left", dx=3, dy=-4, color="#555555", baseline="bottom").encode(
        x="value:Q", y=alt.value(0), text="label:N"
    )
    return [rule, text]


def _against_half(dots: charts.Chart, half: float, rows: int, title: str) -> alt.LayerChart:
    """Estimates as dots, one row of the chart a measure, against the bar of half at `half`."""
    return charts.layered(
        dots, *_bar(half, "half"), width="container", height=60 + 36 * rows, title=title
    )


def _span(low: float, high: float, n: int | None = None) -> str:
    """'4.5–7.0% (5 estimates)', '4.5% (1 estimate)': a range of estimates in words."""
    text = f"{low:.1f}%" if low == high else f"{low:.1f}–{high:.1f}%"
    if n is None:
        return text
    return f"{text} ({n} estimate{'' if n == 1 else 's'})"


def _ranges(frame: pd.DataFrame, group: str, value: str) -> pd.DataFrame:
    """Low, high and count of `value` per `group`, in the frame's order."""
    order = list(dict.fromkeys(frame[group]))
    ranges = frame.groupby(group)[value].agg(low="min", high="max", n="size")
    return ranges.reindex(order).reset_index()


def episode_shares(judged: Judgement) -> charts.Figure:
    """HIST-1: every estimate of each episode's investment as a share of GDP, on one scale: a
    band from the lowest to the highest estimate, a dot for each."""
    frame = judged.frame.assign(name=judged.frame["episode"].map(SHORT_NAMES))
    order = list(dict.fromkeys(frame["name"]))
    ranges = _ranges(frame, "name", "share")
    y = alt.Y("name:N", title=None, sort=order, axis=alt.Axis(labelLimit=130))
    bands = (
        charts.Chart(ranges)
        .mark_bar(height=14, opacity=0.25, color=charts.PALETTE[0])
        .encode(
            y=y,
            x=alt.X("low:Q", title="Investment, % of GDP"),
            x2="high:Q",
            tooltip=[
                alt.Tooltip("name:N", title="Episode"),
                alt.Tooltip("low:Q", title="Lowest %", format=".1f"),
                alt.Tooltip("high:Q", title="Highest %", format=".1f"),
                alt.Tooltip("n:Q", title="Estimates"),
            ],
        )
    )
    how = alt.Legend(orient="bottom", direction="vertical", labelLimit=300)
    dots = (
        charts.Chart(frame)
        .mark_point(size=70, filled=True)
        .encode(
            y=y,
            x="share:Q",
            shape=alt.Shape("how:N", title=None, legend=how),
            color=alt.Color(
                "how:N", title=None, legend=how, scale=alt.Scale(range=charts.PALETTE[1:3])
            ),
            tooltip=[
                alt.Tooltip("episode:N", title="Episode"),
                alt.Tooltip("label:N", title="Period"),
                alt.Tooltip("share:Q", title="% of GDP", format=".2f"),
                alt.Tooltip("how:N", title="How"),
                alt.Tooltip("sources:N", title="Sources"),
            ],
        )
    )
    described = "; ".join(f"{r.name} {_span(r.low, r.high, r.n)}" for r in ranges.itertuples())
    ids = sorted({s for text in frame["sources"] for s in text.split(", ")})
    return charts.figure(
        charts.layered(
            bands,
            dots,
            width="container",
            height=60 + 40 * len(order),
            title="Manias as a share of GDP",
        ),
        description=(
            "For each episode, a band from the lowest to the highest estimate of investment as a"
            f" share of GDP, with a dot per estimate: {described}."
        ),
        source=charts.source_line(ids, judged.documents),
        takeaway=f"Investment as a share of GDP, lowest to highest estimate: {described}.",
    )


def railway_aftermath(judged: Judgement) -> charts.Figure:
    """HIST-2: what the railway busts left, each estimate a dot, against half."""
    frame = judged.frame.assign(name=judged.frame["episode"].map(SHORT_NAMES))
    order = list(dict.fromkeys(frame["measure"]))
    dots = (
        charts.Chart(frame)
        .mark_point(size=80, filled=True)
        .encode(
            y=alt.Y("measure:N", title=None, sort=order, axis=alt.Axis(labelLimit=190)),
            x=alt.X("value:Q", title="Percent", scale=PERCENT, axis=PERCENT_AXIS),
            color=alt.Color(
                "name:N",
                title=None,
                legend=charts.LEGEND_BELOW,
                scale=alt.Scale(range=charts.PALETTE[:2]),
            ),
            shape=alt.Shape("name:N", title=None, legend=charts.LEGEND_BELOW),
            tooltip=[
                alt.Tooltip("episode:N", title="Episode"),
                alt.Tooltip("measure:N", title="Measure"),
                alt.Tooltip("period:N", title="Period"),
                alt.Tooltip("value:Q", title="%", format=".1f"),
                alt.Tooltip("source_id:N", title="Source"),
            ],
        )
    )
    ranges = _ranges(frame, "measure", "value")
    described = "; ".join(f"{r.measure} {_span(r.low, r.high)}" for r in ranges.itertuples())
    return charts.figure(
        _against_half(dots, history.MOST, len(order), "What the railway busts left"),
        description=f"Each estimate as a dot on a 0–100% scale, with half marked: {described}.",
        source=charts.source_line(list(frame["source_id"]), judged.documents),
        takeaway=f"What the railway busts left, against half: {described}.",
    )


def idle_fiber(judged: Judgement) -> charts.Figure:
    """HIST-3: every estimate of the share of fiber or capacity idle after the bust, by what it
    measures, against half."""
    frame = judged.frame
    order = list(dict.fromkeys(frame["measure"]))
    dots = (
        charts.Chart(frame)
        .mark_point(size=80, filled=True, color=charts.PALETTE[0])
        .encode(
            y=alt.Y("measure:N", title=None, sort=order, axis=alt.Axis(labelLimit=170)),
            x=alt.X("idle:Q", title="Share idle, %", scale=PERCENT, axis=PERCENT_AXIS),
            tooltip=[
                alt.Tooltip("measure:N", title="Measure"),
                alt.Tooltip("period:N", title="When"),
                alt.Tooltip("reported:Q", title="As reported, %", format=".1f"),
                alt.Tooltip("idle:Q", title="Idle, %", format=".1f"),
                alt.Tooltip("source_id:N", title="Source"),
            ],
        )
    )
    low, high = frame["idle"].min(), frame["idle"].max()
    return charts.figure(
        _against_half(dots, history.OVERCAPACITY, len(order), "Fiber left idle after the bust"),
        description=(
            f"{len(frame)} estimates of the share of fiber or of its capacity idle after the"
            f" bust, from {low:.0f}% to {high:.0f}% (median {frame['idle'].median():.0f}%),"
            " against half."
        ),
        source=charts.source_line(list(frame["source_id"]), judged.documents),
        takeaway=(
            f"Estimates of the fiber or capacity left idle after the bust run from {low:.0f}%"
            f" to {high:.0f}%."
        ),
    )


def idle_table(judged: Judgement):
    """HIST-3: the estimates in the sources' own words."""
    publishers = judged.documents.set_index("source_id")["publisher"].map(charts.short_publisher)
    frame = judged.frame
    table = pd.DataFrame(
        {
            "When": frame["period"],
            "Measure": frame["measure"],
            "As reported, %": frame["reported"],
            "Idle, %": frame["idle"],
            "Wording": frame["locator"],
            "Reported by": frame["source_id"].map(publishers),
        }
    )
    return charts.table(table, {"As reported, %": "{:.1f}", "Idle, %": "{:.1f}"})


def capital_cost(judged: Judgement) -> charts.Figure:
    """HIST-4: the first-year cost of $100 of assets by useful life, AI servers and the
    long-lived assets marked."""
    frame = judged.frame
    curve = frame[frame["kind"] == "curve"]
    marks = frame[frame["kind"] == "mark"]
    rate = float(frame["required_return"].iloc[0])
    line = (
        charts.Chart(curve)
        .mark_line(color=charts.PALETTE[0])
        .encode(
            x=alt.X("life:Q", title="Useful life, years"),
            y=alt.Y("cost:Q", title="$ a year per $100"),
            tooltip=[
                alt.Tooltip("life:Q", title="Life (years)"),
                alt.Tooltip("cost:Q", title="$ a year", format=".1f"),
            ],
        )
    )
    order = list(marks["asset"])
    dots = (
        charts.Chart(marks)
        .mark_point(filled=True, size=90)
        .encode(
            x="life:Q",
            y="cost:Q",
            color=alt.Color(
                "asset:N",
                title=None,
                sort=order,
                scale=alt.Scale(range=charts.PALETTE[1:]),
                legend=charts.LEGEND_BELOW,
            ),
            shape=alt.Shape("asset:N", sort=order, legend=None),
            tooltip=[
                alt.Tooltip("asset:N", title="Asset"),
                alt.Tooltip("cost:Q", title="$ a year", format=".1f"),
            ],
        )
    )
    marked = "; ".join(f"{r.asset} ${r.cost:.1f}" for r in marks.itertuples())
    return charts.figure(
        charts.layered(
            line, dots, width="container", height=300, title="Short lives cost more every year"
        ),
        description=(
            f"A falling curve: the first-year cost of $100 of assets (depreciation plus a return"
            f" of {rate:.0%}) from ${curve['cost'].iloc[0]:.0f} at a"
            f" {curve['life'].iloc[0]:.0f}-year life to ${curve['cost'].iloc[-1]:.1f} at"
            f" {curve['life'].iloc[-1]:.0f} years. Marked: {marked}."
        ),
        source=charts.source_line(judged.sources, judged.documents),
        takeaway=(
            f"The shorter an asset's life, the more it must earn a year: $100 of assets costs"
            f" ${curve['cost'].iloc[0]:.0f} in its first year at a {curve['life'].iloc[0]:.0f}-year"
            f" life, ${curve['cost'].iloc[-1]:.1f} at {curve['life'].iloc[-1]:.0f} years"
            f" ({marked})."
        ),
    )
