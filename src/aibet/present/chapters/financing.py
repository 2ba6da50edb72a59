"""Charts of the debt-and-financing chapter (DEBT-1…DEBT-4), each drawn from a judgement."""

from __future__ import annotations

import altair as alt
import pandas as pd

from aibet.claims import financing as fin
from aibet.claims.engine import Judgement
from aibet.present import charts
from aibet.present.formats import fmt_day, fmt_value

TIME_AXIS = alt.Axis(
    format="%Y", labelAngle=0, tickCount={"interval": "year", "step": 1}, title=None
)
"""Balance-sheet dates: a tick a year, so that labels fit a phone."""
MONTH_AXIS = alt.Axis(format="%b %Y", labelAngle=0, tickCount=4, title=None)
"""Bond sales, which span little more than a year: month and year."""


DEBT2_SENTENCES = {
    "revenue": (
        "Its revenue shows the growth: {revenue_first} in {revenue_first_year}, {revenue_last}"
        " in {revenue_last_year}.",
        "",
    ),
    "short": "Net borrowing paid for {share} of CoreWeave's {of} from {from_year} to {through}.",
    "arithmetic": (
        "From {from_year} to {through} CoreWeave spent {capex} on property and equipment. It"
        " borrowed {borrowing} net of repayments, took in {operations} from operations and"
        " {shares} from selling shares: net borrowing paid for {share} of its {of}. On the"
        " statements public when the article appeared (to {through_pub}) the share was"
        " {share_pub}."
    ),
}
"""Chapter 03's sentences about DEBT-2, filled with its facts (`Story.glue_sentences`): where
CoreWeave's statements are left out, each says why instead (the revenue sentence, nothing)."""


def usd(value: float) -> str:
    return fmt_value(value, "USD bn")


def _source(judged: Judgement) -> str:
    return charts.source_line(judged.sources, judged.documents)


# --- DEBT-1 ----------------------------------------------------------------------------------


def _positions(judged: Judgement) -> pd.DataFrame:
    frame = judged.frame
    return frame[frame["part"] == "position"].astype(
        {"debt": float, "cash": float, "net_debt": float}
    )


def positions_table(judged: Judgement) -> charts.Table:
    """DEBT-1: each company's position on the balance sheet it is read on, and the four's."""
    latest = _positions(judged)
    latest = latest[latest["latest"].astype(bool)].sort_values("company")
    total = pd.DataFrame(
        [
            {
                "company": "The four",
                "date": None,
                "debt": latest["debt"].sum(),
                "cash": latest["cash"].sum(),
                "net_debt": latest["net_debt"].sum(),
            }
        ]
    )
    rows = pd.concat([latest, total], ignore_index=True)
    table = pd.DataFrame(
        {
            "Company": rows["company"],
            "Balance sheet of": [fmt_day(d) if pd.notna(d) else "" for d in rows["date"]],
            "Debt": rows["debt"].map(usd),
            "Cash": rows["cash"].map(usd),
            "Net debt (negative: net cash)": rows["net_debt"].map(usd),
        }
    )
    return charts.table(table)


def net_debt_lines(judged: Judgement) -> charts.Figure:
    """DEBT-1: each company's net debt on every balance sheet, zero marked (below: net cash)."""
    frame = _positions(judged)
    companies = sorted(frame["company"].unique())
    zero = charts.Chart(pd.DataFrame({"y": [0]})).mark_rule(color="#333333").encode(y="y:Q")
    lines = (
        charts.Chart(frame)
        .mark_line(point=True)
        .encode(
            x=alt.X("date:T", axis=TIME_AXIS),
            y=alt.Y("net_debt:Q", title="Net debt, USD bn"),
            color=charts.company_color(companies=companies),
            tooltip=[
                alt.Tooltip("company:N", title="Company"),
                alt.Tooltip("date:T", title="Balance sheet of", format="%-d %b %Y"),
                alt.Tooltip("debt:Q", title="Debt $bn", format=",.1f"),
                alt.Tooltip("cash:Q", title="Cash $bn", format=",.1f"),
                alt.Tooltip("net_debt:Q", title="Net debt $bn", format=",.1f"),
            ],
        )
    )
    last = frame[frame["latest"].astype(bool)].sort_values("company")
    facts = judged.facts
    description = (
        f"Net debt (debt minus cash) by company and balance-sheet date, counting {facts['lines']}"
        f" as debt and {facts['cash_lines']} as cash; below zero a company holds more cash than"
        " it owes. Latest: "
        + "; ".join(f"{r.company} {usd(r.net_debt)}" for r in last.itertuples())
        + "."
    )
    chart = charts.layered(
        zero,
        *charts.publication_rule(),
        lines,
        width="container",
        height=300,
        title=alt.Title("Net debt of the four", subtitle="Below zero: more cash than debt"),
    )
    takeaway = (
        f"On their latest balance sheets the four owed {usd(facts['debt'])} and held"
        f" {usd(facts['cash'])}: {facts['position']} of {usd(facts['net'])}."
    )
    return charts.figure(chart, description, _source(judged), takeaway=takeaway)


def bond_bars(judged: Judgement) -> charts.Figure | charts.Note:
    """DEBT-1: bond sales (and off-balance-sheet notes) stacked by month of pricing, by company."""
    deals = judged.frame[judged.frame["part"] == "deal"].astype({"value": float})
    if deals.empty:
        return charts.Note(
            f"No bond sale of these companies in our data was public by {fmt_day(judged.as_of)}."
        )
    bars = (
        charts.Chart(deals)
        .mark_bar(size=12)
        .encode(
            x=alt.X("yearmonth(date):T", axis=MONTH_AXIS, scale=alt.Scale(padding=12)),
            y=alt.Y("value:Q", title="USD bn", stack=True),
            color=charts.company_color(companies=sorted(deals["company"].unique())),
            opacity=alt.Opacity(
                "kind:N",
                title=None,
                scale=alt.Scale(domain=sorted(set(fin.DEAL_KINDS.values())), range=[1.0, 0.45]),
                legend=charts.LEGEND_BELOW,
            ),
            tooltip=[
                alt.Tooltip("company:N", title="Issuer"),
                alt.Tooltip("date:T", title="Priced", format="%-d %b %Y"),
                alt.Tooltip("kind:N", title="Kind"),
                alt.Tooltip("value:Q", title="$bn", format=",.1f"),
            ],
        )
    )
    ordered = deals.sort_values("date")
    description = (
        f"{len(deals)} bond sales from {fmt_day(ordered['date'].iloc[0])} to"
        f" {fmt_day(ordered['date'].iloc[-1])}: "
        + "; ".join(
            f"{r.company} {usd(r.value)} on {fmt_day(r.date)}" for r in ordered.itertuples()
        )
        + ". The grey line marks the article's publication."
    )
    chart = charts.layered(
        bars,
        *charts.publication_rule(),
        width="container",
        height=260,
        title=alt.Title(
            "Bond sales by month",
            subtitle="Joint-venture notes are sold off the companies' balance sheets",
        ),
    )
    takeaway = (
        f"The four sold {usd(judged.facts['bonds_2025'])} of bonds and notes in 2025,"
        f" {usd(judged.facts['bonds_2025_after'])} of it after the article appeared."
    )
    return charts.figure(chart, description, _source(judged), takeaway=takeaway)


# --- DEBT-2 ----------------------------------------------------------------------------------


def funding_bars(judged: Judgement) -> charts.Figure:
    """DEBT-2: CoreWeave's money by year — net borrowing, cash from operations, shares sold —
    stacked, with its capital spending as a black tick; years outside the sum faded."""
    yearly = judged.frame
    names = list(fin.FUNDING.values())
    long = yearly.melt(
        id_vars=["label", "counted"],
        value_vars=list(fin.FUNDING),
        var_name="line",
        value_name="value",
    ).assign(
        source=lambda f: f["line"].map(fin.FUNDING),
        order=lambda f: f["line"].map({k: i for i, k in enumerate(fin.FUNDING)}),
    )
    # a part year ("2025, to Sep") on two lines, so that labels fit a phone
    axis = alt.Axis(labelAngle=0, labelExpr="split(datum.label, ', ')")
    x = alt.X("label:N", title=None, sort=list(yearly["label"]), axis=axis)
    opacity = alt.condition("datum.counted", alt.value(1.0), alt.value(0.35))
    stack = (
        charts.Chart(long)
        .mark_bar(size=28)
        .encode(
            x=x,
            y=alt.Y("value:Q", title="USD bn", stack=True),
            color=alt.Color(
                "source:N",
                title=None,
                sort=names,
                scale=alt.Scale(domain=names, range=charts.PALETTE[: len(names)]),
                legend=charts.LEGEND_BELOW,
            ),
            order=alt.Order("order:Q"),
            opacity=opacity,
            tooltip=[
                alt.Tooltip("label:N", title="Year"),
                alt.Tooltip("source:N", title="Source"),
                alt.Tooltip("value:Q", title="$bn", format=",.2f"),
            ],
        )
    )
    tick = (
        charts.Chart(yearly)
        .mark_tick(color="#111111", thickness=3, size=36)
        .encode(
            x=x,
            y="capex:Q",
            opacity=opacity,
            tooltip=[
                alt.Tooltip("label:N", title="Year"),
                alt.Tooltip("capex:Q", title="Capex $bn", format=",.2f"),
            ],
        )
    )
    description = (
        "Stacked bars by year of net borrowing, cash from operations and shares sold, with a black"
        " tick for spending on property and equipment: "
        + "; ".join(
            f"{r.label}: borrowing {usd(r.net_borrowing)}, capex {usd(r.capex)}"
            for r in yearly.itertuples()
        )
        + f". Net borrowing paid for {judged.facts['share']:.0%} of the {judged.facts['of']}"
        f" counted (solid years)."
    )
    chart = charts.layered(
        stack,
        tick,
        width="container",
        height=300,
        title=alt.Title("CoreWeave: who paid for the build-out", subtitle="Black tick: capex"),
    )
    takeaway = (
        f"Net borrowing paid for {judged.facts['share']:.0%} of the {judged.facts['of']} counted."
    )
    return charts.figure(chart, description, _source(judged), takeaway=takeaway)


# --- DEBT-3 and DEBT-4 -----------------------------------------------------------------------


def _series_lines(judged: Judgement, title: str, y_title: str, article_label: str):
    frame = judged.frame
    names = list(dict.fromkeys(frame["series"]))
    lines = (
        charts.Chart(frame)
        .mark_line(point=True)
        .encode(
            x=alt.X("date:T", axis=TIME_AXIS),
            y=alt.Y("value:Q", title=y_title),
            color=alt.Color(
                "series:N",
                title=None,
                sort=names,
                scale=alt.Scale(domain=names, range=charts.PALETTE[: len(names)]),
                legend=charts.LEGEND_BELOW,
            ),
            strokeWidth=alt.condition("datum.chosen", alt.value(3.5), alt.value(1.5)),
            tooltip=[
                alt.Tooltip("series:N", title="Line"),
                alt.Tooltip("date:T", title="Balance sheet of", format="%-d %b %Y"),
                alt.Tooltip("value:Q", title="$bn", format=",.1f"),
            ],
        )
    )
    rule = charts.article_rule(judged.claim.article_value, article_label)
    chart = charts.layered(
        *rule, lines, *charts.publication_rule(), width="container", height=300, title=title
    )
    ends = frame.sort_values("date").groupby("series", sort=False)
    description = (
        "Lines by balance-sheet date: "
        + "; ".join(_span(name, part) for name, part in ends)
        + f". The dashed line is the article's {usd(judged.claim.article_value)}; the thick line"
        " is the one judged."
    )
    takeaway = (
        f"On {judged.facts['sheet_date']} the thick line stood at {usd(judged.value)}, against"
        f" the article's {usd(judged.claim.article_value)}."
        if judged.value is not None
        else None
    )
    return charts.figure(chart, description, _source(judged), takeaway=takeaway)


def _span(name: str, part: pd.DataFrame) -> str:
    first, last = part.iloc[0], part.iloc[-1]
    if len(part) == 1:
        return f"{name} {usd(first['value'])} on {fmt_day(first['date'])}"
    return (
        f"{name} from {usd(first['value'])} ({fmt_day(first['date'])}) to"
        f" {usd(last['value'])} ({fmt_day(last['date'])})"
    )


def debt_lines(judged: Judgement) -> charts.Figure:
    """DEBT-3: CoreWeave's debt counted three ways on every balance sheet, against $15 bn."""
    article = f"article: {fmt_value(judged.claim.article_value, judged.claim.unit)}"
    return _series_lines(judged, "CoreWeave's debt, three ways", "USD bn", article)


def lease_lines(judged: Judgement) -> charts.Figure:
    """DEBT-4: CoreWeave's lease payments due and its revenue backlog, against $56 bn."""
    return _series_lines(
        judged,
        "CoreWeave: leases and backlog",
        "USD bn",
        f"article: {fmt_value(judged.claim.article_value, judged.claim.unit)} of leases",
    )
