"""Charts of the investment-scale chapter (INV-1…INV-5), each drawn from a judgement."""

from __future__ import annotations

import altair as alt

from aibet.claims.engine import Judgement
from aibet.present import charts
from aibet.present.pages import fmt_value


def capex_bars(judged: Judgement) -> charts.Figure:
    """INV-1: yearly capex by company, the window's years solid, earlier years faded."""
    frame = judged.frame.assign(
        window=judged.frame["in_window"].map({True: "in the window", False: "earlier"})
    )
    facts = judged.facts
    bars = (
        alt.Chart(frame)
        .mark_bar()
        .encode(
            x=alt.X("year:O", title=None, axis=alt.Axis(labelAngle=0)),
            y=alt.Y("sum(value):Q", title="Capex, USD bn (nominal)"),
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
        .properties(
            width="container",
            height=320,
            title=alt.Title(
                "Capital expenditure of the largest AI spenders",
                subtitle=f"Solid: {facts['years']}; faded: earlier years",
            ),
        )
    )
    return charts.figure(
        bars,
        description=(
            f"Stacked bars of yearly capital expenditure by company. Over {facts['years']}"
            f" the total is {fmt_value(facts['total'], 'USD bn')}, short of $1,000 bn."
            if facts["total"] < 1000
            else f"Over {facts['years']} the total is {fmt_value(facts['total'], 'USD bn')}."
        ),
        source=charts.source_line(judged.sources, judged.documents),
    )
