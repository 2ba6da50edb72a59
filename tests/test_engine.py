"""The claim engine on a toy claim: judging, robustness and flips, gaps, and the dates."""

import datetime as dt

import pandas as pd
import pytest

from aibet import PUBLICATION_DATE, data
from aibet.claims import engine, rubric
from aibet.data.evidence import Evidence, Store


def _row(period, value, published, source="toy_10k"):
    return {
        "entity": "toy",
        "metric": "capex",
        "period": period,
        "period_end": f"{period[2:]}-12-31",
        "period_months": 12,
        "value": value,
        "unit": "USD bn",
        "source_id": source,
        "published": published,
    }


@pytest.fixture
def store():
    capex = pd.DataFrame(
        [
            _row("FY2024", 90.0, "2025-02-01"),
            _row("FY2025", 130.0, "2026-02-01", "toy_10k_2025"),
        ]
    )
    sources = pd.DataFrame(
        {"source_id": ["toy_10k", "toy_10k_2025"], "grade": ["A", "C"], "publisher": "Toy"}
    )
    return Store.of({"capex": capex}, sources)


@pytest.fixture
def toy():
    """A claim: 'Toy spent about 100' on its latest year, with a grid over the tolerance."""

    @engine.claim(
        id="TOY-1",
        chapter="investment-scale",
        text="Toy spent about $100 bn",
        article_value=100.0,
        unit="USD bn",
        comparator="≈",
        params=("tolerance", "scale"),
        grid={"tolerance": [0.05, 0.10, 0.20], "scale": [1.0, 0.5]},
        facts={"year": None},
    )
    def toy_claim(ev, p):
        rows = ev.require("capex", "Toy's capex", entity="toy")
        last = rows.sort_values("period").iloc[-1]
        value = float(last["value"]) * p.scale
        verdict = rubric.numeric_verdict(value, 100.0, "≈", p.tolerance)
        return engine.Outcome(
            value, verdict, f"Toy spent ${value:g} bn", facts={"year": last["period"]}
        )

    yield engine.REGISTRY["TOY-1"]
    del engine.REGISTRY["TOY-1"]


VALUES = {"tolerance": 0.10, "scale": 1.0}


def test_a_claim_is_judged_with_its_inputs_and_sources(store, toy):
    judged = engine.judge(toy, Evidence("2025-06-30", store), VALUES)
    assert (judged.value, judged.verdict) == (90.0, "accurate")
    assert judged.sources == ["toy_10k"]
    assert judged.latest_data_date == "2025-02-01"
    assert judged.facts == {"year": "FY2024"}
    assert judged.evidence_grade == 1.0


def test_robustness_confidence_and_what_flips_the_verdict(store, toy):
    judged = engine.judge(toy, Evidence("2025-06-30", store), VALUES)
    # 90 is accurate at t = 10% and 20%, roughly right at 5%; halved (45) it is overstated
    assert judged.robustness == pytest.approx(2 / 6)
    assert judged.confidence == "contested"
    assert judged.flips_to == "overstated"
    assert judged.flips_if == "scale = 0.5"


def test_a_figure_not_yet_public_is_unsupported_and_says_when(store, toy):
    judged = engine.judge(toy, Evidence("2025-01-15", store), VALUES)
    assert judged.verdict == "unsupported" and judged.value is None
    assert "not yet public on 2025-01-15" in judged.reason
    assert "2025-02-01" in judged.reason


def test_a_gap_in_part_of_what_a_claim_needs_does_not_contradict_the_date(store):
    @engine.claim(id="TOY-2", chapter="investment-scale", text="Toy's two years", facts={})
    def two_years(ev, p):
        rows = ev.rows("capex", entity="toy")
        if len(rows) < 2:
            ev.missing("capex", "two years of Toy's capex", entity="toy")
        return engine.Outcome(None, "context", "both years known")

    try:
        judged = engine.judge(engine.REGISTRY["TOY-2"], Evidence("2025-06-30", store), {})
    finally:
        del engine.REGISTRY["TOY-2"]
    assert judged.verdict == "unsupported"
    assert judged.reason == (
        "Two years of Toy's capex was not yet public on 2025-06-30: only part of it was"
        " (the first such figure from 2025-02-01)"
    )


def test_a_figure_left_out_is_unsupported_and_says_why(toy):
    gaps = pd.DataFrame(
        [
            [
                "capex",
                "toy",
                "",
                "",
                "Toy's capex",
                "2025-01-01",
                "only a mirror carries it",
                "filings",
                "2026-11-29",
            ]
        ],
        columns=data.field_names("gaps"),
    )
    store = Store.of(
        {"capex": pd.DataFrame([_row("FY2024", 90.0, "2025-02-01")]).iloc[:0]}, gaps=gaps
    )
    before = engine.judge(toy, Evidence("2024-12-31", store), VALUES)
    assert "not yet public" in before.reason
    # No row became public in between: the judgement is not replayed past the gap's date.
    judged = engine.judge(toy, Evidence("2025-06-30", store), VALUES)
    assert (judged.verdict, judged.value) == ("unsupported", None)
    assert judged.reason == "Toy's capex is left out: only a mirror carries it"


def test_a_verdict_on_weak_sources_only_is_at_most_unsupported(store, toy):
    store.table("capex")  # the 2025 row (grade C) supersedes as the latest year
    judged = engine.judge(toy, Evidence("2026-03-01", store), VALUES)
    assert judged.sources == ["toy_10k", "toy_10k_2025"]  # both years were read
    assert judged.verdict != "unsupported"  # one grade-A input is enough
    assert judged.evidence_grade == 0.5


def test_a_figure_absent_from_the_data_stops_with_its_name(toy):
    empty = Store.of({"capex": pd.DataFrame([_row("FY2024", 90.0, "2025-02-01")]).iloc[0:0]})
    with pytest.raises(engine.ClaimError, match="TOY-1 on 2025-06-30.*Toy's capex"):
        engine.judge(toy, Evidence("2025-06-30", empty), VALUES)


def test_outcomes_refuse_nan_unknown_verdicts_and_empty_reasons():
    with pytest.raises(ValueError, match="finite"):
        engine.Outcome(float("nan"), "accurate", "r")
    with pytest.raises(ValueError, match="unknown verdict"):
        engine.Outcome(1.0, "true", "r")
    with pytest.raises(ValueError, match="reason"):
        engine.Outcome(1.0, "accurate", " ")


def test_declared_facts_must_match(store, toy):
    original = toy.facts
    object.__setattr__(toy, "facts", {"year": None, "other": None})
    try:
        with pytest.raises(engine.ClaimError, match="facts"):
            engine.judge(toy, Evidence("2025-06-30", store), VALUES)
    finally:
        object.__setattr__(toy, "facts", original)


def test_a_grid_over_undeclared_parameters_is_refused():
    with pytest.raises(ValueError, match="undeclared"):
        engine.claim(id="BAD-1", chapter="x", text="x", params=("a",), grid={"b": [1]})


def test_memoised_outcomes_follow_the_data_not_the_calendar(store, toy):
    before = engine.judge(toy, Evidence("2025-12-31", store), VALUES)
    after = engine.judge(toy, Evidence("2026-03-01", store), VALUES)
    again = engine.judge(toy, Evidence("2025-11-30", store), VALUES)
    assert (before.value, after.value, again.value) == (90.0, 130.0, 90.0)


@pytest.fixture
def pointed(store):
    """TOY-3: Toy's latest year against 100, whose grid points give their reason; the whole
    outcome also reads every year, for its chart. Counts how often the chart is built."""
    built = []

    @engine.claim(
        id="TOY-3",
        chapter="investment-scale",
        text="Toy spent about $100 bn",
        params=("tolerance",),
        grid={"tolerance": [0.05, 0.10]},
        facts={},
    )
    def toy_claim(ev, p):
        latest = ev.rows("capex", entity="toy").sort_values("period").iloc[-1:]
        value = float(latest["value"].iloc[0])
        verdict = rubric.numeric_verdict(value, 100.0, "≈", p.tolerance)
        reason = f"Toy spent ${value:g} bn"
        if p.light:
            return engine.grid_point(value, verdict, reason)
        built.append(ev.day)
        return engine.Outcome(value, verdict, reason, ev.versions("capex", entity="toy"))

    yield engine.REGISTRY["TOY-3"], built
    del engine.REGISTRY["TOY-3"]


def test_a_timeline_row_is_the_judgement_without_its_chart(store, pointed):
    claim, built = pointed
    row = engine.verdict_row(claim, Evidence("2025-06-30", store), {"tolerance": 0.1})
    assert built == []  # the row needed no chart
    judged = engine.judge(claim, Evidence("2025-06-30", store), {"tolerance": 0.1})
    assert row == engine.Row(judged.value, judged.verdict, judged.reason, judged.confidence)
    assert built == ["2025-06-30"]


def test_a_timeline_row_on_weak_sources_only_is_judged_whole(store, pointed):
    """In 2026 the point reads only the grade-C year: the whole outcome, which reads the
    grade-A year as well, decides whether the grade cap applies (here it does not)."""
    claim, built = pointed
    row = engine.verdict_row(claim, Evidence("2026-03-01", store), {"tolerance": 0.1})
    judged = engine.judge(claim, Evidence("2026-03-01", store), {"tolerance": 0.1})
    assert row.verdict == judged.verdict != "unsupported"
    assert built == ["2026-03-01"]  # by the row: the judgement reused it


def test_a_claim_without_a_light_path_gives_its_timeline_row_from_its_whole_outcome(store, toy):
    row = engine.verdict_row(toy, Evidence("2025-06-30", store), VALUES)
    assert row.reason == "Toy spent $90 bn"


def test_a_restatement_that_changes_a_filtered_column_is_judged_afresh():
    """A query that filters on a column outside the figure's key (its status here) depends on
    every version of the figures it matches: a later estimate replacing the reported figure
    takes it out of the answer, though no row matching the filter was added."""
    reported = {**_row("FY2024", 90.0, "2025-02-01"), "status": "reported"}
    restated = {**_row("FY2024", 95.0, "2025-08-01", "toy_10k_2025"), "status": "estimate"}
    store = Store.of({"capex": pd.DataFrame([reported, restated])})

    @engine.claim(id="TOY-4", chapter="investment-scale", text="Toy reported", facts={})
    def reported_years(ev, p):
        count = len(ev.rows("capex", entity="toy", status="reported"))
        return engine.Outcome(float(count), "context", f"{count} reported")

    try:
        before = engine.judge(engine.REGISTRY["TOY-4"], Evidence("2025-03-01", store), {})
        after = engine.judge(engine.REGISTRY["TOY-4"], Evidence("2025-09-01", store), {})
    finally:
        del engine.REGISTRY["TOY-4"]
    assert (before.value, after.value) == (1.0, 0.0)


def test_the_timeline_dates():
    assert engine.month_ends("2025-03-31", "2025-06-15") == [
        "2025-03-31",
        "2025-04-30",
        "2025-05-31",
        "2025-06-30",
    ]
    dates = engine.timeline_dates("2025-10-02")
    assert dates[0] == engine.TIMELINE_START and dates[-1] == "2025-10-31"
    assert PUBLICATION_DATE in dates


def test_as_of_outside_the_range_is_refused_with_the_range():
    today = dt.date.today()
    assert engine.check_as_of(engine.EARLIEST_AS_OF) == engine.EARLIEST_AS_OF
    for bad in ["2018-12-31", (today + dt.timedelta(days=1)).isoformat()]:
        with pytest.raises(ValueError, match=f"allowed {engine.EARLIEST_AS_OF} to {today}"):
            engine.check_as_of(bad)
    with pytest.raises(ValueError, match="YYYY-MM-DD"):
        engine.check_as_of("20250101")


def test_a_grid_points_light_outcome_has_the_whole_outcomes_value_and_verdict():
    """Robustness and the readers' menus judge each grid point in light mode (the claim may
    skip its chart and facts): every claim's points, on both of the ledger's dates, give the
    value and verdict of the whole evaluation, or the same error."""
    from aibet import project_root
    from aibet.claims import catalog, notebooks, params

    defaults = {
        s.chapter: params.resolve(s.specs, {}, s.relpath)
        for s in notebooks.discover(project_root())
    }
    book = catalog.Book(defaults, Store(None))
    compared = 0

    def judged(claim, evidence, point, light):
        try:
            outcome = engine._outcome(claim, evidence, point, light=light)[0]
        except (LookupError, ValueError) as error:
            return type(error).__name__, None
        return (outcome.value, outcome.verdict, outcome.undetermined), outcome.reason

    reasons = 0
    for claim in catalog.claims():
        for day in (PUBLICATION_DATE, "latest"):
            evidence = book.evidence(day)
            for point in engine._grid_points(claim, defaults[claim.chapter]):
                light, said = judged(claim, evidence, point, light=True)
                whole, reason = judged(claim, evidence, point, light=False)
                assert whole == light, (claim.id, point)
                assert said == reason, (claim.id, point)  # a point says why as the whole does
                reasons += 1
                compared += 1
    assert compared > 300 and reasons > 300
