"""Charts of the Ellendale chapter (ELL-1…ELL-3), each drawn from a judgement."""

from __future__ import annotations

import altair as alt
import pandas as pd

from aibet.claims import local
from aibet.claims.engine import Judgement
from aibet.present import charts
from aibet.present.formats import fmt_day, fmt_value

SERIES_ORDER = list(local.STEP_SERIES.values())
"""The campus's series in the order the claim names them (the whole site's demand first)."""
THRESHOLD_COLOR = "#5f6b7a"


def _step_words(frame: pd.DataFrame) -> str:
    parts = []
    for name in SERIES_ORDER:
        part = frame[frame["series"] == name].sort_values("date")
        if part.empty:
            continue
        first, last = part.iloc[0], part.iloc[-1]
        if len(part) == 1 or first["mw"] == last["mw"]:
            parts.append(f"{name.lower()} {last['mw']:,.0f} MW since {fmt_day(first['date'])}")
        else:
            parts.append(
                f"{name.lower()} from {first['mw']:,.0f} MW ({fmt_day(first['date'])}) to"
                f" {last['mw']:,.0f} MW ({fmt_day(last['date'])})"
            )
    return "; ".join(parts) or "no capacity announced yet"


def _carried_forward(frame: pd.DataFrame, end) -> pd.DataFrame:
    """Each step line held at its last value up to `end` (a step stands until the next one)."""
    last = frame.sort_values("date").groupby("series", sort=False).tail(1)
    held = last[last["date"] < end].assign(date=end)
    return pd.concat([frame, held], ignore_index=True).sort_values(["series", "date"])


def campus_steps(judged: Judgement) -> charts.Figure:
    """ELL-1: the campus's planned, leased and in-service computing load as each was announced
    or reached, against the bar for massive and the article's date."""
    end = max([pd.Timestamp(judged.as_of), *judged.frame["date"]])
    frame = _carried_forward(judged.frame, end)
    threshold = float(frame["threshold"].iloc[0]) if len(frame) else None
    present = [s for s in SERIES_ORDER if s in set(frame["series"])]
    lines = (
        charts.Chart(frame)
        .mark_line(point=True, interpolate="step-after")
        .encode(
            x=alt.X("date:T", title=None, axis=alt.Axis(format="%Y", tickCount="year")),
            y=alt.Y("mw:Q", title="MW"),
            color=alt.Color(
                "series:N",
                title=None,
                sort=present,
                scale=alt.Scale(domain=present, range=charts.PALETTE[: len(present)]),
                legend=charts.LEGEND_BELOW,
            ),
            tooltip=[
                alt.Tooltip("series:N", title="Line"),
                alt.Tooltip("date:T", title="Date", format="%-d %b %Y"),
                alt.Tooltip("mw:Q", title="MW", format=",.0f"),
            ],
        )
    )
    layers = [lines, *charts.publication_rule()]
    bar_words = ""
    if threshold is not None:
        bar = pd.DataFrame({"mw": [threshold], "label": [f"massive: {threshold:,.0f} MW"]})
        rule = (
            charts.Chart(bar)
            .mark_rule(strokeDash=[2, 3], color=THRESHOLD_COLOR)
            .encode(y="mw:Q", tooltip=[alt.Tooltip("label:N", title="Bar")])
        )
        label = (
            charts.Chart(bar)
            .mark_text(align="left", x=4, dy=-7, color=THRESHOLD_COLOR)
            .encode(y="mw:Q", text="label:N")
        )
        layers += [rule, label]
        bar_words = f" A dotted line marks the {threshold:,.0f} MW bar for massive."
    return charts.figure(
        charts.layered(*layers, width="container", height=280, title="The campus, step by step"),
        description=(
            f"Step lines of the campus's load in MW: {_step_words(judged.frame)}.{bar_words}"
            " A grey line marks the article's date."
        ),
        source=charts.source_line(judged.sources, judged.documents),
        takeaway=_size_words(judged.value, threshold),
    )


def _size_words(mw: float, threshold: float | None) -> str:
    if threshold is None:
        return f"The campus is planned at {mw:,.0f} MW."
    side = "at or above" if mw >= threshold else "below"
    return f"Planned at {mw:,.0f} MW, the campus is {side} the {threshold:,.0f} MW bar for massive."


def _state_measures(facts: dict) -> tuple[list[dict], list[str]]:
    """The campus against North Dakota: the measures whose figures are known (the claim leaves
    a share blank otherwise), and the words for those that are not."""
    known, unknown = [], []
    if facts["invest_share"] is None:
        unknown.append("the campus's investment against North Dakota's GDP")
    else:
        known.append(
            {
                "measure": f"Investment ÷ GDP ({facts['gdp_year']})",
                "share": facts["invest_share"],
                "words": f"the campus's investment ({facts['cost_base']}) is"
                f" {facts['invest_share']:.0%} of North Dakota's {facts['gdp_year']} GDP"
                f" of {fmt_value(facts['gdp'], 'USD bn')}",
                "note": facts["invest_bound"],
            }
        )
    if facts["power_share"] is None:
        unknown.append("its electricity against the state's retail sales")
    else:
        known.append(
            {
                "measure": f"Electricity ÷ sales ({facts['sales_year']})",
                "share": facts["power_share"],
                "words": f"its electricity at {facts['load']} of capacity, {facts['energy']} a"
                f" year, is {facts['power_share']:.0%} of the state's {facts['sales_year']}"
                f" retail sales of {facts['sales']}",
                "note": facts["power_bound"],
            }
        )
    return known, unknown


def _sentence(parts: list[str]) -> str:
    said = "; ".join(parts)
    return f"{said[0].upper()}{said[1:]}."


def state_words(judged: Judgement) -> str:
    """ELL-1's scale against the state in one sentence, for the prose: what is known (and how
    it reads), and what is not."""
    known, unknown = _state_measures(judged.facts)
    return _sentence(
        [f"{m['words']} ({m['note']})" for m in known]
        + [f"{what} is not known from a source the book can cite" for what in unknown]
    )


def state_scale(judged: Judgement) -> charts.Figure | charts.Note:
    """ELL-1: the campus against North Dakota — its investment as a share of the state's GDP,
    its yearly electricity as a share of the state's retail sales; each drawn when its figures
    are known."""
    measures, _ = _state_measures(judged.facts)
    if not measures:
        return charts.Note(f"No comparison with the state. {state_words(judged)}")
    frame = pd.DataFrame(measures)
    bars = (
        charts.Chart(frame)
        .mark_bar(color=charts.PALETTE[0])
        .encode(
            y=alt.Y("measure:N", title=None, sort=None, axis=alt.Axis(labelLimit=200)),
            x=alt.X(
                "share:Q",
                title="Share of the state's figure",
                axis=alt.Axis(format="%"),
                # room beyond the longest bar for its label, on a phone too
                scale=alt.Scale(domain=[0, 1.25 * frame["share"].max()], nice=False),
            ),
            tooltip=[
                alt.Tooltip("measure:N", title="Measure"),
                alt.Tooltip("share:Q", title="Share", format=".1%"),
                alt.Tooltip("note:N", title="Reads as"),
            ],
        )
    )
    labels = bars.mark_text(align="left", dx=4).encode(text=alt.Text("share:Q", format=".0%"))
    return charts.figure(
        charts.layered(
            bars,
            labels,
            width="container",
            height=55 * len(measures),
            title="One campus against its state",
        ),
        description="Bars: " + "; ".join(f"{m['words']} ({m['note']})" for m in measures) + ".",
        source=charts.source_line(judged.sources, judged.documents),
        takeaway=_sentence([m["words"] for m in measures]),
    )


def residents(judged: Judgement) -> charts.Figure:
    """ELL-2: Ellendale's residents at each count or official estimate, and the mayor's
    expectation of new residents (from the day it was said) as a bar."""
    frame = judged.frame
    counted = frame[frame["people"].notna()]
    expected = frame[frame["people"].isna()]
    x = alt.X("year:Q", title=None, axis=alt.Axis(format="d"), scale=alt.Scale(zero=False))
    people = (
        charts.Chart(counted)
        .mark_line(point=True, color=charts.PALETTE[0])
        .encode(
            x=x,
            y=alt.Y("people:Q", title="Residents"),
            tooltip=[
                alt.Tooltip("year:Q", title="Year", format="d"),
                alt.Tooltip("people:Q", title="Residents", format=",.0f"),
            ],
        )
    )
    layers = [people]
    words = ""
    if len(expected):
        band = (
            charts.Chart(expected)
            .mark_rule(size=8, color=charts.PALETTE[1], opacity=0.8)
            .encode(
                x=x,
                y="low:Q",
                y2="high:Q",
                tooltip=[
                    alt.Tooltip("series:N", title=""),
                    alt.Tooltip("low:Q", title="From", format=",.0f"),
                    alt.Tooltip("high:Q", title="To", format=",.0f"),
                ],
            )
        )
        note = (
            charts.Chart(expected.assign(label="expected"))
            .mark_text(align="right", dx=-8, color="#555555")
            .encode(x=x, y="high:Q", text="label:N")
        )
        layers += [band, note]
        row = expected.iloc[-1]
        words = (
            f" An orange bar marks the mayor's expectation of {row['low']:,.0f} to"
            f" {row['high']:,.0f} residents ({row['year']:.0f})."
        )
    peak = counted.loc[counted["people"].idxmax()]
    first, last = counted.iloc[0], counted.iloc[-1]
    return charts.figure(
        charts.layered(*layers, width="container", height=260, title="Ellendale's residents"),
        description=(
            f"A line of Ellendale's population from {first['people']:,.0f} in"
            f" {first['year']:.0f} to a peak of {peak['people']:,.0f} in {peak['year']:.0f} and"
            f" {last['people']:,.0f} in {last['year']:.0f}.{words}"
        ),
        source=charts.source_line(judged.sources, judged.documents),
        takeaway=(
            f"Ellendale had {last['people']:,.0f} residents in {last['year']:.0f}; its peak was"
            f" {peak['people']:,.0f} in {peak['year']:.0f}."
        ),
    )


def statements_table(judged: Judgement) -> charts.Table:
    """ELL-3: what officials said about the campus, with dates and who reported it."""
    frame = judged.frame.assign(date=judged.frame["date"].map(fmt_day))
    frame.columns = ["Date", "Words (as reported)", "Who (our note)", "Reported by"]
    return charts.table(frame)
