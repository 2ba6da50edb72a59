"""The book's charts module: its Chart hands Altair channel objects and draws the same spec."""

import json

import altair as alt
import pandas as pd
from altair.utils import schemapi

from aibet.present import charts

FRAME = pd.DataFrame({"date": ["2025-01-31"], "value": [1.0], "group": ["named"], "label": ["a"]})


def _encoded(chart_class) -> alt.Chart:
    return (
        chart_class(FRAME)
        .mark_point()
        .encode(
            x="date:T",
            y=alt.Y("value:Q", title="USD bn"),
            y2=alt.value(0),
            strokeDash="group:N",
            opacity=alt.condition(alt.datum.group == "named", alt.value(1.0), alt.value(0.4)),
            tooltip=["date:T", alt.Tooltip("value:Q", format=",.1f")],
            text="label:N",
        )
    )


def test_the_books_chart_draws_what_altair_would(monkeypatch):
    altair_spec = json.dumps(_encoded(alt.Chart).to_dict(), sort_keys=True)
    # Altair's slow path (a table of every schema class, per encoding) is never taken.
    monkeypatch.setattr(
        schemapi.SchemaBase, "from_dict", lambda *a, **k: (_ for _ in ()).throw(AssertionError)
    )
    assert json.dumps(_encoded(charts.Chart).to_dict(), sort_keys=True) == altair_spec
