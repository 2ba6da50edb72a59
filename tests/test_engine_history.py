"""The historical-bubbles claims (HIST-1…HIST-4) on small hand-made evidence, the chapter's rubric
rule, and every claim on the real data at every date the book shows."""

import pandas as pd
import pytest
from tests.conftest import ROOT

from aibet.claims import catalog, engine, history, notebooks, rubric
from aibet.data.evidence import Evidence, Store

VALUES = {
    "server_life_years": "published",
    "contrast_asset": "fiber",
    "required_return": 0.08,
    "tolerance": 0.1,
}
"""The notebook's defaults."""
DAY = "2025-09-26"


def row(entity, metric, period_end, value, published, source=None, unit="percent", **extra):
    return {
        "entity": entity,
        "metric": metric,
        "period": extra.pop("period", period_end),
        "period_end": period_end,
        "period_months": extra.pop("months", 1),
        "value": value,
        "unit": unit,
        "source_id": source or f"s_{metric}_{published}",
        "published": published,
        "locator": extra.pop("locator", ""),
    }


def nasdaq(peak=5000.0, trough=1000.0, published="2003-03-12"):
    return [
        row("nasdaq_composite", "close_peak", "2000-03-10", peak, published, unit="index points"),
        row("nasdaq_composite", "close_trough", "2002-10-09", trough, published, "trough_src"),
    ]


def lit(share, source, published="2002-09-26", period_end="2002-09-26"):
    return row("us_fiber", "share_fiber_lit", period_end, share, published, source)


RAILWAYS = [
    row("uk_railways", "share_price_drawdown", "1850-12-31", 57.5, "2025-01-26", months=72),
    row("uk_railways", "share_authorised_not_started", "1849-06-30", 42.5, "1851-01-01"),
    row("us_railroads", "share_mileage_in_receivership", "1893-12-31", 16.2, "1908-05-01", "d"),
    row("us_railroads", "share_mileage_in_receivership", "1893-12-31", 18.0, "1893-12-27", "r"),
]
FIBER = row("fiber_cable", "asset_life", "1995-04-09", 40.0, "1995-04-09", unit="years")
TRACK = row("us_railroads", "asset_life_track", "1997-07-31", 38.0, "1997-07-01", unit="years")
LIVES = [FIBER, TRACK]


def policy(company, start, life, published):
    return row(
        company, history.SERVER_LIFE, start, life, published, unit="years", period=f"from-{start}"
    )


POLICIES = [
    policy("microsoft", "2022-07-01", 6.0, "2022-07-28"),
    policy("alphabet", "2023-01-01", 6.0, "2023-02-02"),
    policy("amazon", "2025-01-01", 5.0, "2025-02-07"),
    policy("meta", "2025-01-01", 5.5, "2025-01-29"),
]
EMPTY = pd.DataFrame([row("none", "none", "2000-12-31", 0.0, "2000-01-01")]).iloc[0:0]


def store(manias, useful_lives=(), capex=None, gdp=None) -> Store:
    return Store.of(
        {
            "manias": pd.DataFrame(manias) if manias else EMPTY,
            "useful_lives": pd.DataFrame(list(useful_lives)) if useful_lives else EMPTY,
            "capex": EMPTY if capex is None else capex,
            "gdp": EMPTY if gdp is None else gdp,
        }
    )


def judge(claim_id, figures, day=DAY, **values):
    return engine.judge(engine.REGISTRY[claim_id], Evidence(day, figures), {**VALUES, **values})


# --- the rule this chapter added to the rubric ----------------------------------------------


def test_a_conjunction_missing_one_test_is_unsupported():
    assert rubric.conjunction_verdict([None, "accurate"]) == "unsupported"
    assert rubric.conjunction_verdict(["accurate", "unsupported"]) == "unsupported"
    assert rubric.conjunction_verdict(["accurate", "roughly right"]) == "roughly right"
    assert rubric.conjunction_verdict(["accurate", "overstated"]) == "overstated"
    assert rubric.conjunction_verdict(["accurate"]) == "accurate"
    with pytest.raises(ValueError):
        rubric.conjunction_verdict([])


# --- every source's estimate ----------------------------------------------------------------


def test_every_source_keeps_its_own_estimate_of_the_same_figure():
    figures = store(
        [
            row("us_fiber", "capacity_utilisation", "2001-06-30", 2.7, "2001-07-19", "lr"),
            row("us_fiber", "capacity_utilisation", "2001-06-30", 2.6, "2001-06-30", "wsj"),
            # a source's own revision replaces its earlier figure …
            row("us_fiber", "capacity_utilisation", "2001-06-30", 3.0, "2001-05-01", "lr"),
            # … and a figure published after the date does not count yet
            row("us_fiber", "capacity_utilisation", "2001-06-30", 9.9, "2030-01-01", "late"),
        ]
    )
    ev = Evidence(DAY, figures)
    assert len(ev.rows("manias", metric="capacity_utilisation")) == 1  # one per figure
    every = history.every_estimate(ev, "manias", metric="capacity_utilisation")
    assert sorted(every["value"]) == [2.6, 2.7]


def test_pick_the_lowest_middle_or_highest_estimate():
    assert [history.pick([3.0, 1.0, 2.0, 10.0], w) for w in history.ESTIMATES] == [1.0, 2.5, 10.0]
    with pytest.raises(ValueError):
        history.pick([], "middle")
    with pytest.raises(ValueError):
        history.pick([1.0], "median")


# --- HIST-1 ---------------------------------------------------------------------------------


def test_hist1_idle_fiber_and_a_nasdaq_crash_make_it_accurate():
    judged = judge("HIST-1", store([lit(5.0, "a"), lit(2.7, "b"), *nasdaq()]))
    assert judged.verdict == "accurate"
    assert judged.value == pytest.approx(80.0)  # 1 - 1000/5000
    assert judged.facts["idle"] == pytest.approx(96.15)  # middle of 95 and 97.3
    assert judged.facts["ai_low"] is None  # no AI capex known: the scale is not yet known
    assert judged.confidence == "firm"


@pytest.mark.parametrize(
    ("trough", "verdict"),
    [(2500.0, "accurate"), (2750.0, "roughly right"), (3000.0, "overstated")],
)
def test_hist1_losses_at_and_beyond_the_tolerance(trough, verdict):
    # falls of 50% (exactly half), 45% (short by the tolerance) and 40% (by twice it)
    judged = judge("HIST-1", store([lit(5.0, "a"), *nasdaq(trough=trough)]))
    assert judged.verdict == verdict


def test_hist1_fiber_mostly_in_use_overstates_the_excess():
    judged = judge("HIST-1", store([lit(60.0, "a"), *nasdaq()]))
    assert judged.verdict == "overstated"  # 40% idle: capacity did not far exceed use
    assert "less than half" in judged.reason


def test_hist1_grid_runs_over_the_estimates():
    judged = judge("HIST-1", store([lit(5.0, "a"), lit(3.0, "b"), lit(60.0, "c"), *nasdaq()]))
    assert judged.verdict == "accurate"
    assert judged.robustness == pytest.approx(2 / 3)
    assert judged.flips_to == "overstated"
    assert judged.flips_if == "the lowest of the sources' estimates"


def test_hist1_before_the_trough_was_reported_is_unsupported_with_the_date():
    figures = store([lit(5.0, "a"), *nasdaq(published="2003-03-12")])
    judged = judge("HIST-1", figures, day="2003-01-01")
    assert judged.verdict == "unsupported"
    assert "2003-03-12" in judged.reason


def test_hist1_a_missing_nasdaq_is_a_bug():
    with pytest.raises(engine.ClaimError):
        judge("HIST-1", store([lit(5.0, "a")]))


def test_hist1_shares_of_gdp_pair_every_source():
    capex = pd.DataFrame(
        [
            row(
                c, "capex_purchases_ppe", "2024-12-31", 50.0, "2025-02-07", unit="USD bn", months=12
            )
            for c in history.BIG_FOUR
        ]
    )
    gdp = pd.DataFrame(
        [
            row(
                "us", "gdp_nominal", "2024-12-31", 20000.0, "2025-01-30", "bea", "USD bn", months=12
            ),
            row("us", "gdp_nominal", "2024-12-31", 25000.0, "2025-02-28", "x", "USD bn", months=12),
        ]
    )
    judged = judge("HIST-1", store([lit(5.0, "a"), *nasdaq()], capex=capex, gdp=gdp))
    assert (judged.facts["ai_low"], judged.facts["ai_high"]) == pytest.approx((0.8, 1.0))
    assert judged.facts["ratio"] is None  # no telecom estimate to compare with
    assert set(judged.frame["episode"]) == {history.AI_BUILD_OUT}


# --- HIST-2 ---------------------------------------------------------------------------------


def test_hist2_ruin_without_a_measure_of_idle_lines_is_unsupported():
    judged = judge("HIST-2", store(RAILWAYS))
    assert judged.verdict == "unsupported"
    assert judged.value == 57.5
    assert "no measure of how much of the railway capacity built went unused" in judged.reason
    assert (judged.facts["receivership_low"], judged.facts["receivership_high"]) == (16.2, 18.0)
    assert judged.facts["drawdown_period"] == "1845–1850"


@pytest.mark.parametrize(
    ("idle", "verdict"), [(70.0, "accurate"), (45.0, "roughly right"), (30.0, "overstated")]
)
def test_hist2_with_both_tests_the_worst_decides(idle, verdict):
    unused = row("uk_railways", "capacity_unused_share", "1850-12-31", idle, "2000-01-01")
    assert judge("HIST-2", store([*RAILWAYS, unused])).verdict == verdict


def test_hist2_a_small_fall_is_not_ruin_but_idle_lines_still_decide_nothing():
    small = [{**RAILWAYS[0], "value": 30.0}, *RAILWAYS[1:]]
    judged = judge("HIST-2", store(small))
    assert judged.verdict == "unsupported"
    assert "less than half" in judged.reason


def test_hist2_before_the_share_index_was_published_is_unsupported_with_the_date():
    judged = judge("HIST-2", store(RAILWAYS), day="2020-01-01")
    assert judged.verdict == "unsupported"
    assert "2025-01-26" in judged.reason


def test_hist2_idle_lines_in_the_data_but_not_yet_public():
    unused = row("uk_railways", "capacity_unused_share", "1850-12-31", 70.0, "2030-01-01")
    judged = judge("HIST-2", store([*RAILWAYS, unused]))
    assert judged.verdict == "unsupported"
    assert "2030-01-01" in judged.reason


def test_hist2_a_missing_share_index_is_a_bug():
    with pytest.raises(engine.ClaimError):
        judge("HIST-2", store(RAILWAYS[1:]))


# --- HIST-3 ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("in_use", "verdict"),
    [(50.0, "accurate"), (55.0, "roughly right"), (60.0, "overstated"), (3.0, "accurate")],
)
def test_hist3_half_idle_at_and_beyond_the_tolerance(in_use, verdict):
    # idle 50% (exactly half), 45% (short by the tolerance), 40% (by twice it), 97%
    judged = judge("HIST-3", store([lit(in_use, "a")]))
    assert judged.verdict == verdict
    assert judged.value == pytest.approx(100.0 - in_use)


def test_hist3_unused_shares_count_as_reported_and_the_recovery_is_left_out():
    figures = store(
        [
            lit(5.0, "a"),
            row("us_fiber", "share_fiber_unused", "2002-07-30", 67.0, "2002-08-05", "b"),
            row("us_fiber", "capacity_unused_share", "2007-06-27", 30.0, "2007-06-27", "c"),
        ]
    )
    judged = judge("HIST-3", figures)
    assert sorted(judged.frame["idle"]) == [67.0, 95.0]  # 2007 is the recovery
    assert judged.facts["count"] == "2"
    low = judge("HIST-3", figures, estimate="low")
    assert (low.value, low.verdict) == (67.0, "accurate")


def test_hist3_before_any_estimate_was_published_is_unsupported_with_the_date():
    judged = judge("HIST-3", store([lit(5.0, "a")]), day="2002-01-01")
    assert judged.verdict == "unsupported"
    assert "2002-09-26" in judged.reason


def test_hist3_missing_estimates_are_a_bug():
    with pytest.raises(engine.ClaimError):
        judge("HIST-3", store(nasdaq()))


# --- HIST-4 ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("life", "verdict"), [(5.0, "accurate"), (8.0, "roughly right"), (10.0, "overstated")]
)
def test_hist4_short_lives_cost_at_least_twice_as_much(life, verdict):
    # a 40-year asset costs 0.025 + 0.08 * 0.975 = 0.103 a dollar in its first year; servers
    # cost 0.264 (5 years, 2.56x), 0.195 (8 years, 1.89x: short by 5%), 0.172 (10, 1.67x)
    judged = judge("HIST-4", store(LIVES), server_life_years=life)
    assert judged.verdict == verdict
    cost = {5.0: 0.264, 8.0: 0.195, 10.0: 0.172}[life]
    assert judged.value == pytest.approx(cost / 0.103)


def test_hist4_published_life_is_the_median_in_the_accounts():
    judged = judge("HIST-4", store(LIVES, POLICIES))
    assert judged.facts["server_life"] == "5.75"
    assert (judged.facts["policy_low"], judged.facts["policy_high"]) == ("5", "6")
    assert judged.verdict == "accurate"
    marks = judged.frame[judged.frame["kind"] == "mark"]
    assert list(marks["asset"]) == [
        "AI servers (5.75 years)",
        "Fiber cable (40 years)",
        "Railroad track (38 years)",
    ]


def test_hist4_before_the_companies_published_lives_is_unsupported_with_the_date():
    judged = judge("HIST-4", store(LIVES, POLICIES), day="2022-01-01")
    assert judged.verdict == "unsupported"
    assert "2022-07-28" in judged.reason


def test_hist4_a_contrast_asset_not_yet_public():
    track = {**TRACK, "published": "2025-10-01"}
    judged = judge("HIST-4", store([FIBER, track], POLICIES), contrast_asset="rail")
    assert judged.verdict == "unsupported"
    assert "2025-10-01" in judged.reason


def test_hist4_a_missing_contrast_asset_is_a_bug():
    with pytest.raises(engine.ClaimError):
        judge("HIST-4", store([FIBER], POLICIES), contrast_asset="rail")


# --- the real data --------------------------------------------------------------------------


def test_every_history_claim_evaluates_on_the_real_data_at_every_date():
    book = catalog.Book({"historical-bubbles": VALUES})
    dates = [
        "2019-01-01",
        "2023-06-30",
        *engine.month_ends(engine.TIMELINE_START, catalog.latest_date()),
        "latest",
    ]
    for claim in catalog.claims("historical-bubbles"):
        for day in dates:
            judged = book.judge(claim, day)
            assert judged.verdict in rubric.VERDICTS, (claim.id, day)
            assert judged.reason.strip()
    latest = {c.id: book.judge(c, "latest").verdict for c in catalog.claims("historical-bubbles")}
    assert latest == {
        "HIST-1": "accurate",
        "HIST-2": "unsupported",
        "HIST-3": "accurate",
        "HIST-4": "accurate",
    }


def test_the_notebook_declares_the_parameters_the_claims_read():
    source = notebooks.load_source(ROOT / "notebooks" / "04-historical-bubbles.md")
    declared = set(source.specs)
    for claim in catalog.claims("historical-bubbles"):
        assert set(claim.params) <= declared, claim.id
    assert {name: source.specs[name].default for name in VALUES} == VALUES
    assert "estimate" not in declared  # a judgement call of the engine, not a parameter
