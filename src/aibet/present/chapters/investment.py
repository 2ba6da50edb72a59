"""Charts of the investment-scale chapter (INV-1…INV-5), each drawn from a judgement."""

from __future__ import annotations

import altair as alt
import pandas as pd

from aibet import PUBLICATION_DATE
from aibet.claims.engine import Judgement
from aibet.present import charts
from aibet.present.formats import fmt_day, fmt_value


def capex_bars(judged: Judgement) -> charts.Figure:
    """INV-1: yearly capex by company, the window's years solid, earlier years faded, against
    the yearly pace the article's $1,000 bn over the window implies."""
    frame = judged.frame.assign(
        window=judged.frame["in_window"].map({True: "in the window", False: "earlier"})
    )
    facts = judged.facts
    years = frame.loc[frame["in_window"], "year"].nunique()
    pace = judged.claim.article_value / years
    bars = (
        charts.Chart(frame)
        .mark_bar()
        .encode(
            x=alt.X("year:O", title=None, axis=alt.Axis(labelAngle=0)),
            # Stacked rows, not a sum: the opacity needs each row's `window`.
            y=alt.Y("value:Q", title="Capex, USD bn (nominal)", stack="zero"),
            color=charts.company_color(companies=sorted(frame["company"].unique())),
            opacity=alt.condition(
                alt.datum.window == "in the window", alt.value(1.0), alt.value(0.35)
            ),
            tooltip=[
                alt.Tooltip("company:N", title="Company"),
                alt.Tooltip("year:O", title="Year"),
                alt.Tooltip("capex:Q", title="Cash capex, $bn", format=",.1f"),
                alt.Tooltip("leases:Q", title="Finance leases, $bn", format=",.1f"),
                alt.Tooltip("value:Q", title="Total, $bn", format=",.1f"),
            ],
        )
    )
    article = fmt_value(judged.claim.article_value, judged.claim.unit)
    label = f"article: {article} ÷ {years} ≈ {fmt_value(pace, 'USD bn')}/yr"
    chart = charts.layered(
        bars,
        *charts.article_rule(pace, label),
        width="container",
        height=320,
        title=alt.Title(
            "Capital expenditure of the largest AI spenders",
            subtitle=f"Solid: {facts['years']}; faded: earlier years",
        ),
    )
    relation = "short of" if facts["total"] < judged.claim.article_value else "above"
    return charts.figure(
        chart,
        description=(
            f"Stacked bars of yearly capital expenditure by company. Over {facts['years']}"
            f" the total is {fmt_value(facts['total'], 'USD bn')}, {relation} the article's"
            f" {article} (a dashed line marks its yearly average, {fmt_value(pace, 'USD bn')})."
        ),
        source=charts.source_line(judged.sources, judged.documents),
        takeaway=(
            f"{facts['who']} spent {fmt_value(facts['total'], 'USD bn')} in {facts['years']},"
            f" {relation} the article's {article}."
        ),
    )


def interstate_ratio(judged: Judgement) -> charts.Figure:
    """INV-2: the capex as a multiple of the Interstate's cost under each spending profile, the
    chosen one solid, against the article's "surpassed" (more than 1×)."""
    frame = judged.frame
    facts = judged.facts
    bars = (
        charts.Chart(frame)
        .mark_bar(color=charts.PALETTE[5])
        .encode(
            y=alt.Y(
                "label:N",
                sort=None,
                title=None,
                axis=alt.Axis(labelLimit=150),
            ),
            x=alt.X("ratio:Q", title="Capex ÷ Interstate cost", scale=alt.Scale(zero=True)),
            opacity=alt.condition(alt.datum.chosen, alt.value(1.0), alt.value(0.45)),
            tooltip=[
                alt.Tooltip("label:N", title="Interstate money spent"),
                alt.Tooltip("interstate_real:Q", title="Interstate cost, $bn", format=",.0f"),
                alt.Tooltip("capex_real:Q", title="Capex, $bn", format=",.0f"),
                alt.Tooltip("ratio:Q", title="Ratio", format=".2f"),
            ],
        )
    )
    rule = charts.article_rule(1.0, "article: surpassed", axis="x")
    low, high = frame["ratio"].min(), frame["ratio"].max()
    chart = charts.layered(
        bars,
        *rule,
        width="container",
        height=180,
        title=alt.Title(
            "Big Tech capex ÷ Interstate cost",
            subtitle=(
                f"{facts['years']} capex, {facts['prices'].split(' (')[0]}; a bar per way the"
                " Interstate's money may have been spent"
            ),
        ),
    )
    return charts.figure(
        chart,
        description=(
            f"Horizontal bars. In {facts['prices'].split(' (')[0]}, the capex of {facts['who']}"
            f" in {facts['years']} ({fmt_value(facts['capex_real'], 'USD bn')}) is"
            f" {fmt_value(low, 'ratio')} to {fmt_value(high, 'ratio')} the Interstate's cost,"
            f" depending on when its money was spent; {fmt_value(facts['ratio'], 'ratio')} with"
            f" {facts['profile']}. The article says more than 1×."
        ),
        source=charts.source_line(judged.sources, judged.documents),
        takeaway=(
            f"Their capex in {facts['years']} was {fmt_value(low, 'ratio')} to"
            f" {fmt_value(high, 'ratio')} the Interstate's cost, depending on when the"
            " Interstate's money was spent."
        ),
    )


def pledge_statements(judged: Judgement) -> charts.Table:
    """INV-3: every statement of Meta's figure public on the date, with its words."""
    said = judged.frame[judged.frame["part"] == "statement"]
    table = pd.DataFrame(
        {
            "Date": said["published"].map(fmt_day),
            "Wording (as reported)": said["wording"],
            "Reported by": said["publisher"].fillna("").map(charts.short_publisher),
            "USD bn": said["value"],
        }
    )
    return charts.table(table, {"USD bn": "{:,.0f}"})


def meta_pace(judged: Judgement) -> charts.Figure:
    """INV-3: Meta's yearly capex, its latest guidance for 2026, and the yearly pace the
    article's figure implies."""
    frame = judged.frame
    facts = judged.facts
    capex = frame[frame["part"] == "capex"].assign(company="Meta", what="reported capex")
    guide = frame[frame["part"] == "guidance"].assign(company="Meta")
    years = int(frame.loc[frame["part"] == "pace", "years"].iloc[0])
    article_pace = judged.claim.article_value / years
    last_year = int(facts["period"][-4:])
    domain = list(range(int(capex["year"].min()), last_year + 1))
    x = alt.X("year:O", title=None, scale=alt.Scale(domain=domain), axis=alt.Axis(labelAngle=0))
    color = charts.company_color(companies=["Meta"]).legend(None)
    bars = (
        charts.Chart(capex)
        .mark_bar()
        .encode(
            x=x,
            y=alt.Y("value:Q", title="USD bn (nominal)"),
            color=color,
            tooltip=[
                alt.Tooltip("year:O", title="Year"),
                alt.Tooltip("value:Q", title="Capex, $bn", format=",.1f"),
            ],
        )
    )
    layers = [bars]
    guidance_words = "no 2026 guidance yet"
    if len(guide):
        band = (
            charts.Chart(guide)
            .mark_bar(opacity=0.45)
            .encode(
                x=x,
                y="low:Q",
                y2="high:Q",
                color=color,
                tooltip=[
                    alt.Tooltip("low:Q", title="2026 guidance, low ($bn)", format=",.0f"),
                    alt.Tooltip("high:Q", title="2026 guidance, high ($bn)", format=",.0f"),
                ],
            )
        )
        layers.append(band)
        row = guide.iloc[0]
        guidance_words = (
            f"2026 guidance of {fmt_value(row['low'], 'USD bn')}"
            f"–{fmt_value(row['high'], 'USD bn')} (pale bar)"
        )
    article = fmt_value(judged.claim.article_value, "USD bn")
    label = f"article: {article} ÷ {years} yrs ≈ {fmt_value(article_pace, 'USD bn')}/yr"
    chart = charts.layered(
        *layers,
        *charts.article_rule(article_pace, label),
        width="container",
        height=300,
        title="Meta's capex against the pledge's pace",
    )
    return charts.figure(
        chart,
        description=(
            f"Bars of Meta's yearly capex, reaching {fmt_value(facts['meta_last'], 'USD bn')} in"
            f" {facts['meta_last_year']}, with {guidance_words} and a dashed line at"
            f" {fmt_value(article_pace, 'USD bn')} a year, the average pace of the article's"
            f" {article} over {facts['period']}."
        ),
        source=charts.source_line(judged.sources, judged.documents),
        takeaway=(
            f"Meta spent {fmt_value(facts['meta_last'], 'USD bn')} in {facts['meta_last_year']};"
            f" the article's {article} over {facts['period']} is"
            f" {fmt_value(article_pace, 'USD bn')} a year."
        ),
    )


def plan_ratios(judged: Judgement) -> charts.Figure:
    """INV-4: each company's latest plan for a period still ahead as a multiple of what it spent
    in its latest reported period of the same length."""
    frame = judged.frame.assign(
        said=[
            f"{fmt_value(v, 'USD bn')} for {p}"
            for v, p in zip(judged.frame["plan"], judged.frame["period"], strict=True)
        ]
    )
    companies = list(frame["company"])
    bars = (
        charts.Chart(frame)
        .mark_bar()
        .encode(
            y=alt.Y("company:N", sort=companies, title=None),
            x=alt.X("ratio:Q", title="Plan ÷ latest spending", scale=alt.Scale(zero=True)),
            color=charts.company_color(companies=companies),
            tooltip=[
                alt.Tooltip("company:N", title="Company"),
                alt.Tooltip("said:N", title="Plan"),
                alt.Tooltip("published:N", title="Stated on"),
                alt.Tooltip("base:Q", title="Spent before, $bn", format=",.1f"),
                alt.Tooltip("base_period:N", title="In"),
                alt.Tooltip("ratio:Q", title="Ratio", format=".2f"),
            ],
        )
    )
    chart = charts.layered(
        bars,
        *charts.article_rule(1.0, "article: more than before", axis="x"),
        width="container",
        height=40 + 36 * len(frame),
        title="Plans against recent spending",
    )
    low, high = frame["ratio"].min(), frame["ratio"].max()
    return charts.figure(
        chart,
        description=(
            f"Horizontal bars, one per company that had stated a plan: plans are"
            f" {fmt_value(low, 'ratio')} to {fmt_value(high, 'ratio')} what the company spent in"
            " its latest reported period of the same length; the dashed line at 1× marks the"
            " article's claim, more than before."
        ),
        source=charts.source_line(judged.sources, judged.documents),
        takeaway=(
            f"Each plan is {fmt_value(low, 'ratio')} to {fmt_value(high, 'ratio')} what the"
            " company spent in its latest period of the same length."
        ),
    )


EXPECTATION_LABELS = {
    "guidance_sum": "Companies' guidance, summed",
    "capex_guidance_combined": "Guidance sum (press)",
    "capex_consensus": "Analyst consensus",
    "capex_analyst_forecast": "Analyst forecast",
}
"""Legend labels for INV-5's kinds of expectation (short enough for a phone)."""


def expectations_2026(judged: Judgement) -> charts.Figure:
    """INV-5: every dated expectation of the four's 2026 capex, against the article's figure and
    its publication date."""
    frame = judged.frame.assign(
        date=pd.to_datetime(judged.frame["published"]),
        kind_label=judged.frame["kind"].map(EXPECTATION_LABELS),
    )
    x = alt.X(
        "date:T",
        title=None,
        scale=alt.Scale(
            domain=[
                pd.Timestamp(PUBLICATION_DATE).isoformat(),
                # a margin after the last dot, so that it is not cut in half
                (
                    max(frame["date"].max(), pd.Timestamp(PUBLICATION_DATE)) + pd.Timedelta(days=20)
                ).isoformat(),
            ],
        ),
        axis=alt.Axis(format="%b %Y", labelAngle=0, tickCount=4),
    )
    kinds = [k for k in EXPECTATION_LABELS.values() if k in set(frame["kind_label"])]
    what = alt.Color(
        "kind_label:N", title=None, legend=charts.LEGEND_BELOW, scale=alt.Scale(domain=kinds)
    )
    points = (
        charts.Chart(frame)
        .mark_point(filled=True, size=90)
        .encode(
            x=x,
            y=alt.Y("value:Q", title="2026 capex of the four, USD bn", scale=alt.Scale(zero=True)),
            color=what,
            shape=alt.Shape(
                "kind_label:N",
                title=None,
                legend=charts.LEGEND_BELOW,
                scale=alt.Scale(domain=kinds),
            ),
            tooltip=[
                alt.Tooltip("date:T", title="Published", format="%-d %b %Y"),
                alt.Tooltip("what:N", title="What"),
                alt.Tooltip("publisher:N", title="By"),
                alt.Tooltip("value:Q", title="$bn", format=",.0f"),
            ],
        )
    )
    ranges = (
        charts.Chart(frame[frame["low"] < frame["high"]])
        .mark_rule(strokeWidth=3)
        .encode(x=x, y="low:Q", y2="high:Q", color=what)
    )
    article = charts.article_rule(
        judged.claim.article_value,
        f"article: nearly {fmt_value(judged.claim.article_value, judged.claim.unit)}",
    )
    chart = charts.layered(
        ranges,
        points,
        *charts.publication_rule(),
        *article,
        width="container",
        height=320,
        title="Expectations for the four's 2026 capex",
    )
    facts = judged.facts
    return charts.figure(
        chart,
        description=(
            f"Dots of dated expectations for 2026, from {fmt_value(facts['first'], 'USD bn')} on"
            f" {facts['first_on']} to {fmt_value(facts['expected'], 'USD bn')} on"
            f" {facts['expected_on']}; a dashed line at the article's {fmt_value(judged.claim.article_value, judged.claim.unit)} and a grey line"
            " at its publication date, before which no such expectation was public."
            if frame["date"].min() > pd.Timestamp(PUBLICATION_DATE)
            else f"Dots of dated expectations for 2026, the latest"
            f" {fmt_value(facts['expected'], 'USD bn')} on {facts['expected_on']}, against the"
            f" article's {fmt_value(judged.claim.article_value, judged.claim.unit)} (dashed line)."
        ),
        source=charts.source_line(judged.sources, judged.documents),
        takeaway=(
            f"The latest expectation for the four's 2026 capex is"
            f" {fmt_value(facts['expected'], 'USD bn')} ({facts['expected_on']}), against the"
            f" article's nearly {fmt_value(judged.claim.article_value, judged.claim.unit)}."
        ),
    )
