"""The book's charts: its Chart hands Altair channel objects and draws the same spec, and every
chart of the built book is valid Vega-Lite (the build does not check it, to stay quick)."""

import json
import re

import altair as alt
import jsonschema
import pandas as pd
import pytest
from altair.utils import schemapi
from tests.conftest import ROOT_BUILDS

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


SPEC = re.compile(r'<script type="application/json" class="aibet-spec"[^>]*>(.*?)</script>', re.S)


@ROOT_BUILDS  # reads the project's book, which the tests of that group rebuild
def test_every_chart_of_the_book_is_valid_vega_lite(site):
    specs = [
        (page.name, json.loads(text))
        for page in sorted(site.resolve().rglob("*.html"))
        for text in SPEC.findall(page.read_text(encoding="utf-8"))
    ]
    assert len(specs) > 40
    for page, spec in specs:
        try:
            alt.vegalite.v6.schema.core.Root.validate(spec)
        except jsonschema.ValidationError as error:
            pytest.fail(f"{page}: a chart is not valid Vega-Lite: {error.message}")


def test_an_invalid_chart_is_found():
    with pytest.raises(jsonschema.ValidationError):
        alt.vegalite.v6.schema.core.Root.validate({"mark": "pointy", "data": {"values": []}})


def test_a_timeline_marks_the_dates_that_have_a_verdict_but_no_value():
    """A claim's timeline draws its values as dots; the dates on which it had no value (a figure
    it needs was not public yet) are marked too, in their verdict's colour, so the axis spans
    every date and every verdict in the legend has a mark."""
    from aibet.claims import catalog, engine

    assert catalog.claims()  # the chapters' claims are registered
    claim = engine.REGISTRY["REV-1"]
    rows = [
        {"as_of": "2025-04-30", "verdict": "unsupported", "value": None},
        {"as_of": "2025-05-31", "verdict": "unsupported", "value": None},
        {"as_of": "2025-10-31", "verdict": "mischaracterized", "value": 755.0},
    ]
    figure = charts.verdict_timeline(claim, rows)
    spec = figure.chart.to_dict(validate=False)
    marked = [
        layer
        for layer in spec["layer"]
        if isinstance(layer.get("mark"), dict) and layer["mark"].get("shape") == "triangle-up"
    ]
    assert len(marked) == 1
    values = spec["datasets"][marked[0]["data"]["name"]]
    assert [v["as_of"] for v in values] == ["2025-04-30", "2025-05-31"]
    assert "no value" in figure.description
