"""Charts of the revenue-shortfall chapter (REV-1…REV-6), each drawn from a judgement."""

from __future__ import annotations

import math

import altair as alt
import pandas as pd

from aibet.claims.engine import Judgement
from aibet.present import charts
from aibet.present.formats import fmt_value

EXTRA_COLORS = ["#0f766e", "#9a3412", "#6d28d9", "#be185d", "#4d5d11", "#1e3a8a", "#78350f"]
"""Colours for sellers that are not among the book's companies (AI labs, app makers, surveys)."""


def _usd(value: float) -> str:
    return fmt_value(value, "USD bn")


def _source(judged: Judgement) -> str:
    return charts.source_line(judged.sources, judged.documents)


def _part(judged: Judgement, name: str) -> pd.DataFrame:
    """One of the tables a claim's frame holds (its `part` index level); empty when absent."""
    frame = judged.frame
    if frame is None or name not in frame.index.get_level_values("part"):
        return pd.DataFrame()
    return frame.loc[name].dropna(axis=1, how="all").reset_index(drop=True)


def article_x(value: float, label: str) -> list[alt.Chart]:
    """The article's figure as a vertical rule (`charts.article_rule`), its label on top of the
    plot rather than across the bars."""
    return charts.article_rule(value, label, axis="x")


def padded(values, article: float) -> alt.Scale:
    """An x scale reaching past both the data and the article's figure, so its label fits, and
    ending on a round tick (whose label then sits flush inside the plot)."""
    reach = 1.15 * max([article, *values])
    step = 10 ** math.floor(math.log10(reach)) / 2
    return alt.Scale(domain=[0, math.ceil(reach / step) * step], nice=False)


def seller_color(names) -> alt.Color:
    """Each seller's colour: a company's book-wide colour, another colour for the rest."""
    names = list(dict.fromkeys(names))
    colors, spare = [], iter(EXTRA_COLORS * 2)
    for name in names:
        company = name.split(" (")[0].replace("AWS", "Amazon")
        colors.append(charts.COMPANY_COLORS.get(company) or next(spare))
    scale = alt.Scale(domain=names, range=colors)
    return alt.Color("seller:N", title="Seller or survey", scale=scale, legend=charts.LEGEND_BELOW)


# --- REV-1 -------------------------------------------------------------------------------------


def rev1_statements(judged: Judgement) -> charts.Table:
    """REV-1: every report of the figure the article repeats, in its own words."""
    statements = _part(judged, "statements")
    shown = statements[["published", "locator", "publisher"]].rename(
        columns={
            "published": "Date",
            "locator": "Wording (as reported)",
            "publisher": "Reported by",
        }
    )
    return charts.table(shown)


def rev1_steps(judged: Judgement) -> charts.Figure:
    """REV-1: from Nvidia's chip sales to the lifetime revenue that pays them back."""
    frame = _part(judged, "steps")
    years = str(frame["years"].iloc[0])
    bars = (
        charts.Chart(frame)
        .mark_bar(color=charts.PALETTE[0])
        .encode(
            y=alt.Y("step:N", title=None, sort=None, axis=alt.Axis(labelLimit=170)),
            x=alt.X(
                "value:Q",
                title=f"USD bn, for spending in {years}",
                scale=padded(frame["value"], 800.0),
            ),
            tooltip=[
                alt.Tooltip("step:N", title="Step"),
                alt.Tooltip("value:Q", title="$bn", format=",.0f"),
            ],
        )
    )
    article = article_x(judged.claim.article_value, f"article: {_usd(judged.claim.article_value)}")
    chart = charts.layered(
        bars,
        *article,
        width="container",
        height=200,
        title="From chips sold to the revenue that repays them",
    )
    first, last = frame["value"].iloc[0], frame["value"].iloc[-1]
    return charts.figure(
        chart,
        description=(
            f"{len(frame)} bars: Nvidia's data-center revenue for {years} of {_usd(first)} grows,"
            f" step by step, into {_usd(last)} of revenue needed over the hardware's life,"
            f" against the article's {_usd(judged.claim.article_value)}."
        ),
        source=_source(judged),
        takeaway=(
            f"Nvidia's data-center revenue for {years}, {_usd(first)}, needs {_usd(last)} of"
            f" revenue over the hardware's life, against the article's"
            f" {_usd(judged.claim.article_value)}."
        ),
    )


# --- REV-2 -------------------------------------------------------------------------------------


def rev2_chain_table(judged: Judgement) -> charts.Table:
    """REV-2: Bain's chain as reported, one row per step, with the words of the source."""
    chain = _part(judged, "chain")
    table = chain[["step", "value", "unit", "locator", "status"]].rename(
        columns={
            "step": "Step",
            "value": "Value",
            "unit": "Unit",
            "locator": "Wording (as reported)",
            "status": "Status",
        }
    )
    return charts.table(table, {"Value": "{:,.0f}"})


def rev2_sequoia_line(judged: Judgement) -> charts.Figure:
    """REV-2: the revenue each year of spending needs by Sequoia's method, quarter by quarter,
    with Sequoia's own published answers and the article's $2 trillion."""
    quarters = _part(judged, "quarters")
    published = _part(judged, "published")
    facts = judged.facts
    x = alt.X(
        "period_end:T",
        title=None,
        axis=alt.Axis(format="%Y", tickCount={"interval": "year", "step": 1}, labelAngle=0),
    )
    y = alt.Y("needed:Q", title="Revenue needed, USD bn")
    line = (
        charts.Chart(quarters)
        .mark_line(point=True, color=charts.PALETTE[0])
        .encode(
            x=x,
            y=y,
            tooltip=[
                alt.Tooltip("period:N", title="Nvidia quarter"),
                alt.Tooltip("value:Q", title="Data-center revenue, $bn", format=",.1f"),
                alt.Tooltip("needed:Q", title="Revenue needed, $bn", format=",.0f"),
            ],
        )
    )
    layers = [line]
    if not published.empty:
        marks = (
            charts.Chart(published)
            .mark_point(shape="diamond", size=120, filled=True, color=charts.PALETTE[1])
            .encode(
                x=x,
                y=y,
                tooltip=[
                    alt.Tooltip("series:N", title="What"),
                    alt.Tooltip("period_end:T", title="Published", format="%b %Y"),
                    alt.Tooltip("needed:Q", title="$bn", format=",.0f"),
                ],
            )
        )
        layers.append(marks)
    article = charts.article_rule(
        judged.claim.article_value,
        f"article: {fmt_value(judged.claim.article_value, 'USD bn')} a year by 2030",
    )
    chart = charts.layered(
        *layers,
        *article,
        width="container",
        height=300,
        title=alt.Title(
            "Revenue a year of AI spending needs",
            subtitle="Sequoia's method on Nvidia's quarters; diamonds: Sequoia's own",
        ),
    )
    return charts.figure(
        chart,
        description=(
            f"A rising line: Nvidia's quarterly data-center revenue, annualised and run through"
            f" Sequoia's chain, needs {_usd(facts['needed'])} of end-user revenue in"
            f" {facts['quarter']}; diamonds mark Sequoia's {len(published)} published figures;"
            f" the dashed line is the article's {_usd(judged.claim.article_value)} a year by 2030."
        ),
        source=_source(judged),
        takeaway=(
            f"Run through Sequoia's chain, Nvidia's data-center revenue of {facts['quarter']}"
            f" needs {_usd(facts['needed'])} of end-user revenue a year."
        ),
    )


# --- REV-3 -------------------------------------------------------------------------------------


def rev3_revenue_bars(judged: Judgement) -> charts.Figure:
    """REV-3: the six companies' revenue by year, those the claim names solid."""
    frame = judged.frame.assign(
        group=judged.frame["named"].map({True: "named", False: "others"}),
    )
    companies = list(dict.fromkeys(frame.sort_values("named", ascending=False)["company"]))
    bars = (
        charts.Chart(frame)
        .mark_bar()
        .encode(
            y=alt.Y("year:N", title=None),
            x=alt.X(
                "sum(value):Q",
                title="Total revenue, USD bn",
                scale=padded(frame.groupby("year")["value"].sum(), 2000.0),
            ),
            color=charts.company_color(companies=companies),
            opacity=alt.condition(alt.datum.group == "named", alt.value(1.0), alt.value(0.4)),
            order=alt.Order("group:N"),
            tooltip=[
                alt.Tooltip("company:N", title="Company"),
                alt.Tooltip("period:N", title="Fiscal year"),
                alt.Tooltip("value:Q", title="$bn", format=",.1f"),
            ],
        )
    )
    article = article_x(judged.claim.article_value, _usd(judged.claim.article_value))
    chart = charts.layered(
        bars,
        *article,
        width="container",
        height=150,
        title=alt.Title("Big Tech revenue against the article", subtitle="Solid: companies named"),
    )
    named = frame[frame["named"]].groupby("year")["value"].sum()
    whole = frame.groupby("year")["value"].sum()
    year = judged.facts["year"]
    return charts.figure(
        chart,
        description=(
            f"Stacked bars of revenue by company and year; the companies the claim names took in"
            f" {_usd(named.get(year, 0.0))} in {year}, all six shown {_usd(whole.get(year, 0.0))},"
            f" against the {_usd(judged.claim.article_value)} line."
        ),
        source=_source(judged),
        takeaway=(
            f"The companies the claim names took in {_usd(named.get(year, 0.0))} in {year},"
            f" against the article's {_usd(judged.claim.article_value)}."
        ),
    )


# --- REV-4 -------------------------------------------------------------------------------------


def rev4_seller_bars(judged: Judgement) -> charts.Figure:
    """REV-4: AI product revenue by seller under each definition, against the article's $45 bn."""
    frame = judged.frame
    order = list(dict.fromkeys(frame["bar"]))
    bars = (
        charts.Chart(frame)
        .mark_bar()
        .encode(
            y=alt.Y("bar:N", title=None, sort=order),
            x=alt.X(
                "sum(value):Q",
                title="USD bn a year",
                scale=padded(frame.groupby("bar")["value"].sum(), 45.0),
            ),
            color=seller_color(frame["seller"]),
            tooltip=[
                alt.Tooltip("seller:N", title="Seller or survey"),
                alt.Tooltip("metric:N", title="Measure"),
                alt.Tooltip("period:N", title="Period"),
                alt.Tooltip("value:Q", title="$bn", format=",.1f"),
            ],
        )
    )
    article = article_x(judged.claim.article_value, f"article: {_usd(judged.claim.article_value)}")
    chart = charts.layered(
        bars, *article, width="container", height=170, title="AI product revenue, three ways"
    )
    totals = frame.groupby("bar", sort=False)["value"].sum()
    said = "; ".join(f"{bar} {_usd(total)}" for bar, total in totals.items())
    return charts.figure(
        chart,
        description=(
            f"Stacked bars of yearly AI revenue by seller or survey for each definition: {said};"
            f" the dashed line is the article's {_usd(judged.claim.article_value)}."
        ),
        source=_source(judged),
        takeaway=(
            "AI product revenue counted three ways: "
            + "; ".join(f"{bar.lower()}, {_usd(total)}" for bar, total in totals.items())
            + f", against the article's {_usd(judged.claim.article_value)}."
        ),
    )


# --- REV-5 -------------------------------------------------------------------------------------


def rev5_adoption_lines(judged: Judgement) -> charts.Figure:
    """REV-5: every measure of paying users and of business use over time, against half."""
    frame = judged.frame
    x = alt.X(
        "period_end:T",
        title=None,
        axis=alt.Axis(format="%Y", tickCount={"interval": "year", "step": 1}, labelAngle=0),
    )
    lines = (
        charts.Chart(frame)
        .mark_line(point=True)
        .encode(
            x=x,
            y=alt.Y("value:Q", title="Percent", scale=alt.Scale(domain=[0, 100])),
            color=alt.Color("kind:N", title=None, legend=charts.LEGEND_BELOW),
            detail="measure:N",
            tooltip=[
                alt.Tooltip("measure:N", title="Measure"),
                alt.Tooltip("period:N", title="Period"),
                alt.Tooltip("value:Q", title="%", format=".1f"),
            ],
        )
    )
    half = charts.article_rule(50.0, "half: the claim's test")
    chart = charts.layered(
        lines, *half, width="container", height=280, title="Who pays for AI, and who uses it"
    )
    facts = judged.facts
    return charts.figure(
        chart,
        description=(
            f"Lines of {frame['measure'].nunique()} measures over time: the highest share of"
            f" users paying is {facts['paying']:.1f}%, {facts['paying_measure']}; the highest"
            f" share of U.S. firms using AI is {facts['business']:.0f}%,"
            f" {facts['business_measure']}; the dashed line marks half."
        ),
        source=_source(judged),
        takeaway=(
            f"At most {facts['paying']:.1f}% of users pay on any measure found, and at most"
            f" {facts['business']:.0f}% of U.S. firms use AI."
        ),
    )


# --- REV-6 -------------------------------------------------------------------------------------


def rev6_lives(judged: Judgement) -> charts.Figure:
    """REV-6: each company's server useful life in its accounts, by effective date."""
    lives = _part(judged, "lives")
    lives = lives.assign(start=pd.to_datetime(lives["period_end"]))
    x = alt.X(
        "start:T",
        title="Effective from",
        axis=alt.Axis(format="%Y", tickCount={"interval": "year", "step": 1}, labelAngle=0),
    )
    companies = sorted(lives["company"].unique())
    steps = (
        charts.Chart(lives)
        .mark_line(interpolate="step-after", strokeWidth=2.5)
        .encode(
            x=x,
            y=alt.Y("value:Q", title="Years", scale=alt.Scale(domain=[0, 7])),
            color=charts.company_color(companies=companies),
            tooltip=[
                alt.Tooltip("company:N", title="Company"),
                alt.Tooltip("start:T", title="From", format="%b %Y"),
                alt.Tooltip("value:Q", title="Years"),
            ],
        )
    )
    changes = steps.mark_point(filled=True, size=50).transform_filter(alt.datum.change)
    chart = charts.layered(
        steps, changes, width="container", height=220, title="Servers' useful lives"
    )
    lives = lives[lives["change"]]
    first = lives.groupby("company")["value"].first()
    now = lives.groupby("company")["value"].last()
    return charts.figure(
        chart,
        description=(
            f"Step lines of each company's server useful life by effective date, from"
            f" {first.min():g}–{first.max():g} years to {now.min():g}–{now.max():g} years."
        ),
        source=_source(judged),
        takeaway=(
            f"Server useful lives went from {first.min():g}–{first.max():g} years to"
            f" {now.min():g}–{now.max():g} years."
        ),
    )


def rev6_tornado(judged: Judgement) -> charts.Figure:
    """REV-6: how far each assumption alone moves the revenue needed."""
    swing = _part(judged, "tornado")
    swing = swing.assign(
        range=[
            f"{low:g} to {high:g}" for low, high in zip(swing["low"], swing["high"], strict=True)
        ]
    )
    year = judged.facts["year"]
    bars = (
        charts.Chart(swing)
        .mark_bar(color=charts.PALETTE[1])
        .encode(
            y=alt.Y("assumption:N", sort=None, title=None, axis=alt.Axis(labelLimit=140)),
            x=alt.X("at_low:Q", title=f"Needed in {year}, USD bn"),
            x2="at_high:Q",
            tooltip=[
                alt.Tooltip("assumption:N", title="Assumption"),
                alt.Tooltip("range:N", title="Plausible range"),
                alt.Tooltip("at_low:Q", title="At the low end, $bn", format=",.0f"),
                alt.Tooltip("at_high:Q", title="At the high end, $bn", format=",.0f"),
            ],
        )
    )
    base = float(swing["base"].iloc[0])
    centre = (
        charts.Chart(pd.DataFrame({"value": [base], "label": [f"this page: {_usd(base)}"]}))
        .mark_rule(color="#333333")
        .encode(x="value:Q", tooltip=[alt.Tooltip("label:N", title="Central")])
    )
    chart = charts.layered(
        bars, centre, width="container", height=200, title="What moves the revenue needed"
    )
    top = swing.iloc[0]
    low, high = sorted((float(top["at_low"]), float(top["at_high"])))
    return charts.figure(
        chart,
        description=(
            f"Horizontal bars, widest first: {top['assumption']} moves the revenue needed in"
            f" {year} from {_usd(low)} to {_usd(high)}; {swing['assumption'].iloc[-1].lower()} moves it"
            f" least. The line marks this page's {_usd(base)}."
        ),
        source=_source(judged),
        takeaway=(
            f"{top['assumption']} moves the revenue needed in {year} most: from {_usd(low)} to"
            f" {_usd(high)}."
        ),
    )


def rev6_heat(judged: Judgement) -> charts.Figure:
    """REV-6: the revenue needed over useful lives and end-user margins."""
    heat = _part(judged, "heat")
    year = judged.facts["year"]
    ai_revenue = judged.facts["ai_revenue"]
    cells = (
        charts.Chart(heat)
        .mark_rect()
        .encode(
            x=alt.X("life:O", title="Useful life, years", axis=alt.Axis(labelAngle=0)),
            y=alt.Y("margin:O", title="Margin", sort="descending", axis=alt.Axis(format=".0%")),
            color=alt.Color(
                "needed:Q",
                title="USD bn",
                scale=alt.Scale(scheme="oranges"),
                legend=alt.Legend(orient="bottom"),
            ),
            tooltip=[
                alt.Tooltip("life:Q", title="Useful life, years"),
                alt.Tooltip("margin:Q", title="Margin", format=".0%"),
                alt.Tooltip("needed:Q", title="Revenue needed, $bn", format=",.0f"),
            ],
        )
    )
    chart = cells.properties(width="container", height=300, title=f"Revenue needed in {year}")
    low, high = float(heat["needed"].min()), float(heat["needed"].max())
    above = "every cell is above" if low > ai_revenue else "some cells are below"
    return charts.figure(
        chart,
        description=(
            f"A heat map of the revenue needed by useful life and end users' margin, from"
            f" {_usd(low)} to {_usd(high)}; {above} the {_usd(ai_revenue)} of AI revenue found."
        ),
        source=_source(judged),
        takeaway=(
            f"Across plausible lives and margins the revenue needed runs from {_usd(low)} to"
            f" {_usd(high)}; {above} the {_usd(ai_revenue)} of AI revenue found."
        ),
    )
