"""The investment-scale claims (INV-1…INV-5) on small hand-made evidence, and on the real data
at every date the book judges."""

import itertools

import pandas as pd
import pytest

from aibet.claims import catalog, engine, notebooks
from aibet.claims import investment as inv
from aibet.data.evidence import Evidence, Store

VALUES = {
    "companies": inv.BIG_FOUR,
    "include_finance_leases": True,
    "year_basis": "fiscal",
    "window_years": 3,
    "interstate_profile": "known_then_even",
    "price_base_year": 2025,
    "deflator": "cpi_u",
    "tolerance": 0.1,
}
COLUMNS = [
    "entity",
    "metric",
    "period",
    "period_end",
    "period_months",
    "value",
    "unit",
    "source_id",
    "published",
    "locator",
    "status",
]


def rows(*items) -> pd.DataFrame:
    """Figure rows: (entity, metric, period, period_end, months, value, source, published[,
    locator[, status]])."""
    full = []
    for item in items:
        entity, metric, period, end, months, value, source, published, *rest = item
        locator = rest[0] if rest else ""
        status = rest[1] if len(rest) > 1 else "reported"
        full.append(
            (
                entity,
                metric,
                period,
                end,
                months,
                value,
                "USD bn",
                source,
                published,
                locator,
                status,
            )
        )
    return pd.DataFrame(full, columns=COLUMNS)


def annual(entity, year, value, published=None, metric="capex_purchases_ppe", source="k"):
    """One company's capex for a calendar year, reported the following February."""
    return (
        entity,
        metric,
        f"FY{year}",
        f"{year}-12-31",
        12,
        value,
        source,
        published or f"{year + 1}-02-15",
    )


def capex_table(per_year: float = 10.0, years=(2022, 2023, 2024)) -> pd.DataFrame:
    """Each of the four spends `per_year` in each year (reported the next February)."""
    return rows(*(annual(c, y, per_year) for c in inv.BIG_FOUR for y in years))


def series(values: dict) -> pd.DataFrame:
    return pd.DataFrame({"year": list(values), "value": list(values.values()), "source_id": "s"})


FLAT_CPI = series(dict.fromkeys(range(1956, 2025), 100.0))
"""Prices that never change: real amounts equal nominal ones."""


def interstate(total=100.0, federal=100.0, published="2019-09-28") -> pd.DataFrame:
    period = ("1956-1991", "1991-12-31", 432)
    return rows(
        ("interstate_highway_system", "cost_estimate_total", *period, total, "f", published),
        (
            "interstate_highway_system",
            "cost_estimate_federal_share",
            *period,
            federal,
            "f",
            published,
        ),
    )


AUTHORIZATIONS = series({1956: 10_000.0, 1957: 10_000.0})
"""USD m: with a federal total of USD 100 bn, a tenth of the cost in each of 1956 and 1957."""


def judge(claim_id: str, as_of: str, tables: dict, **values):
    evidence = Evidence(as_of, Store.of(tables))
    return engine.judge(engine.REGISTRY[claim_id], evidence, {**VALUES, **values})


# --- INV-1 (the worked example) ---------------------------------------------------------------


def test_inv1_sums_the_window_and_names_the_leases_missing_in_it():
    judged = judge("INV-1", "2025-06-30", {"capex": capex_table(per_year=100.0)})
    assert judged.value == pytest.approx(1200.0) and judged.verdict == "accurate"
    assert judged.facts["years"] == "2022–2024"
    assert judged.facts["missing_leases"] == "Alphabet, Amazon, Meta, Microsoft"


# --- INV-2: the Interstate -----------------------------------------------------------------


def inv2_tables(per_year=10.0, cpi=FLAT_CPI, total=100.0, published="2019-09-28"):
    return {
        "capex": capex_table(per_year),
        "cpi_u": cpi,
        "interstate": interstate(total, published=published),
        "interstate_authorizations": AUTHORIZATIONS,
    }


@pytest.mark.parametrize(
    ("per_year", "verdict"),
    [
        (25.0, "accurate"),  # the four's one year is exactly the Interstate's cost: 1.0×
        (22.5, "roughly right"),  # 0.9×, short by exactly the tolerance
        (21.0, "overstated"),  # 0.84×
        (18.0, "overstated"),  # 0.72×
    ],
)
def test_inv2_ratio_of_capex_to_the_interstate_at_flat_prices(per_year, verdict):
    # All in 1991: the cost is the nominal total exactly (no sum of floats in between).
    tables = inv2_tables(per_year)
    judged = judge("INV-2", "2025-06-30", tables, window_years=1, interstate_profile="final_year")
    assert judged.value == pytest.approx(per_year * 4 / 100)
    assert judged.verdict == verdict


def test_inv2_profile_decides_the_cost_when_prices_rise():
    # Prices double from 1956 to 1991: a dollar spent in 1956 is worth two in 1991 prices.
    cpi = series(
        {**dict.fromkeys(range(1956, 1991), 50.0), **dict.fromkeys(range(1991, 2025), 100.0)}
    )
    tables = inv2_tables(cpi=cpi)
    costs = {
        profile: judge("INV-2", "2025-06-30", tables, interstate_profile=profile).facts[
            "interstate_real"
        ]
        for profile in inv.PROFILES
    }
    assert costs["final_year"] == pytest.approx(100.0)  # all in 1991: no conversion
    assert costs["even"] == pytest.approx(100 / 36 * (35 * 2 + 1))
    # 10% in each of 1956 and 1957 (authorised), the rest evenly over 1958–1991
    assert costs["known_then_even"] == pytest.approx(2 * 10 * 2 + 80 / 34 * (33 * 2 + 1))
    judged = judge("INV-2", "2025-06-30", tables)
    assert judged.facts["low"] == pytest.approx(costs["final_year"])
    assert judged.facts["high"] == pytest.approx(max(costs.values()))


def test_inv2_grid_stays_small_and_covers_the_profiles():
    claim = engine.REGISTRY["INV-2"]
    assert len(list(itertools.product(*claim.grid.values()))) <= 24
    assert set(claim.grid["interstate_profile"]) == set(inv.PROFILES)


def test_inv2_falls_back_to_the_latest_published_prices_and_says_so():
    # On 2025-06-30 the CPI of 2024 is public (from 2025-01-31), that of 2025 not yet.
    cpi = series({**dict.fromkeys(range(1956, 2024), 100.0), 2024: 100.0, 2025: 200.0})
    judged = judge("INV-2", "2025-06-30", inv2_tables(cpi=cpi))
    assert judged.facts["prices"].startswith("2024 prices")
    assert "2025's were not yet" in judged.reason
    assert judged.value == pytest.approx(1.2)
    later = judge("INV-2", "2026-02-28", inv2_tables(cpi=cpi))
    assert later.facts["prices"] == "2025 prices"
    assert later.value == pytest.approx(1.2)  # the base year does not change the ratio


def test_inv2_capex_of_a_year_whose_prices_are_not_yet_out_is_taken_at_the_last_ones():
    cpi = series({**dict.fromkeys(range(1956, 2024), 100.0), 2024: 100.0})
    tables = inv2_tables(cpi=cpi)
    tables["capex"] = capex_table(years=(2023, 2024, 2025))  # 2025 reported 2026-02-15
    judged = judge("INV-2", "2026-03-01", tables, price_base_year=2024)
    assert judged.facts["years"] == "2023–2025"
    assert judged.value == pytest.approx(1.2)


def test_inv2_not_yet_public_cost_is_unsupported_with_its_date():
    judged = judge("INV-2", "2025-06-30", inv2_tables(published="2025-09-28"))
    assert judged.verdict == "unsupported" and judged.value is None
    assert "not yet public on 2025-06-30" in judged.reason and "2025-09-28" in judged.reason


def test_inv2_cost_absent_from_the_data_is_an_error():
    tables = inv2_tables()
    tables["interstate"] = tables["interstate"].iloc[0:0]
    with pytest.raises(engine.ClaimError, match="no row in data/"):
        judge("INV-2", "2025-06-30", tables)


# --- INV-3: Meta's $600 bn -------------------------------------------------------------------


def pledge(value, locator, published, source):
    return (
        "meta",
        "us_investment_pledge",
        "2025-2028",
        "2028-12-31",
        48,
        value,
        source,
        published,
        locator,
    )


META_CAPEX = rows(annual("meta", 2023, 28.0), annual("meta", 2024, 39.0))


def inv3(as_of, *statements):
    return judge("INV-3", as_of, {"plans": rows(*statements), "capex": META_CAPEX})


def test_inv3_a_floor_reported_as_a_ceiling_is_mischaracterized():
    judged = inv3(
        "2025-09-26", pledge(600.0, "at least $600 billion through 2028", "2025-09-04", "a")
    )
    assert judged.verdict == "mischaracterized" and judged.value == 600.0
    assert "“at least”" in judged.reason and "floor" in judged.reason
    assert judged.robustness is None  # no assumption to vary
    assert judged.facts["pace"] == pytest.approx(150.0)
    assert judged.facts["meta_last"] == 39.0 and judged.facts["meta_last_year"] == "2024"


def test_inv3_reads_every_statement_not_only_the_latest():
    judged = inv3(
        "2025-12-31",
        pledge(600.0, "at least $600 billion through '28", "2025-09-04", "a"),
        pledge(600.0, "will invest $600 billion over the next three years", "2025-11-07", "b"),
    )
    assert judged.verdict == "mischaracterized"
    assert judged.facts["statements"] == "2"


def test_inv3_framing_as_said_leaves_the_numbers_to_decide():
    up_to = "up to $600 billion through 2028"
    assert inv3("2025-09-26", pledge(600.0, up_to, "2025-09-04", "a")).verdict == "accurate"
    plain = "will invest $600 billion in the US"
    assert inv3("2025-09-26", pledge(600.0, plain, "2025-09-04", "a")).verdict == "accurate"
    assert inv3("2025-09-26", pledge(700.0, plain, "2025-09-04", "a")).verdict == "roughly right"
    assert inv3("2025-09-26", pledge(800.0, plain, "2025-09-04", "a")).verdict == "understated"


def test_inv3_speakers_who_disagree_on_the_bound_leave_the_numbers_to_decide():
    judged = inv3(
        "2025-12-31",
        pledge(600.0, "at least $600 billion", "2025-09-04", "a"),
        pledge(600.0, "up to $600 billion", "2025-11-07", "b"),
    )
    assert judged.verdict == "accurate"
    assert judged.facts["framing"] == "a ceiling (“up to”) in some, a floor (“at least”) in others"


def test_inv3_before_meta_spoke_is_unsupported_with_the_date():
    judged = inv3("2025-08-31", pledge(600.0, "at least", "2025-09-04", "a"))
    assert judged.verdict == "unsupported"
    assert "2025-09-04" in judged.reason


def test_inv3_without_any_statement_in_the_data_is_an_error():
    with pytest.raises(engine.ClaimError, match="no row in data/"):
        judge("INV-3", "2025-09-26", {"plans": rows(), "capex": META_CAPEX})


# --- INV-4: Microsoft and others plan more -----------------------------------------------------


def quarter(entity, metric, period, end, value, published, status="reported"):
    return (entity, metric, period, end, 3, value, "q", published, "", status)


def plan(entity, metric, year, value, published, status="reported"):
    return (entity, metric, f"CY{year}", f"{year}-12-31", 12, value, "p", published, "", status)


def inv4_tables(msft_plan=30.0, msft_published="2025-07-30", alphabet_status="reported"):
    capex = rows(
        quarter(
            "microsoft", "capex_incl_finance_leases", "FY2025Q4", "2025-06-30", 25.0, "2025-07-30"
        ),
        quarter("microsoft", "capex_purchases_ppe", "FY2025Q4", "2025-06-30", 17.0, "2025-07-30"),
        annual("alphabet", 2024, 50.0),
        annual("meta", 2024, 40.0, metric="capex_incl_finance_leases"),
        annual("amazon", 2024, 80.0),
    )
    plans = rows(
        quarter(
            "microsoft", "capex_guidance_low", "FY2026Q1", "2025-09-30", msft_plan, msft_published
        ),
        plan("alphabet", "capex_guidance_point", 2025, 85.0, "2025-07-23", alphabet_status),
        plan("meta", "capex_guidance_low", 2025, 66.0, "2025-07-30"),
        plan("meta", "capex_guidance_high", 2025, 72.0, "2025-07-30"),
    )
    return {"capex": capex, "plans": plans}


def test_inv4_plans_above_recent_spending_hold():
    judged = judge("INV-4", "2025-09-26", inv4_tables())
    assert judged.verdict == "accurate"
    assert judged.facts["msft_ratio"] == pytest.approx(30 / 25)  # finance leases included
    assert judged.facts["others_ratio"] == pytest.approx((85 + 69) / (50 + 40))
    assert judged.value == pytest.approx(30 / 25)  # the weaker of the two tests
    assert judged.facts["msft_said"] == "more than $30 bn for the quarter to September 2025"
    assert judged.facts["silent"] == "Amazon"


@pytest.mark.parametrize(
    ("msft_plan", "verdict"),
    [(25.0, "accurate"), (22.5, "roughly right"), (22.0, "overstated")],
)
def test_inv4_microsoft_planning_less_than_it_spent_fails(msft_plan, verdict):
    assert judge("INV-4", "2025-09-26", inv4_tables(msft_plan)).verdict == verdict


def test_inv4_a_journalists_derivation_is_not_a_company_plan():
    judged = judge("INV-4", "2025-09-26", inv4_tables(alphabet_status="derived"))
    assert judged.facts["others"] == "Meta"
    assert judged.facts["silent"] == "Alphabet, Amazon"


def test_inv4_a_plan_whose_period_is_reported_is_no_longer_ahead():
    tables = inv4_tables()
    tables["capex"] = pd.concat(
        [
            tables["capex"],
            rows(
                quarter(
                    "microsoft",
                    "capex_incl_finance_leases",
                    "FY2026Q1",
                    "2025-09-30",
                    35.0,
                    "2025-10-29",
                )
            ),
        ]
    )
    judged = judge("INV-4", "2025-11-30", tables)
    assert judged.verdict == "unsupported" and judged.value is None
    assert "No capex plan of Microsoft for a period still ahead" in judged.reason


def test_inv4_before_microsoft_stated_a_plan_is_unsupported_with_the_date():
    judged = judge("INV-4", "2025-06-30", inv4_tables())
    assert judged.verdict == "unsupported"
    assert "2025-07-30" in judged.reason


def test_inv4_without_plans_in_the_data_is_an_error():
    tables = inv4_tables()
    tables["plans"] = tables["plans"].iloc[0:0]
    with pytest.raises(engine.ClaimError, match="no row in data/"):
        judge("INV-4", "2025-09-26", tables)


# --- INV-5: 2026 capex expected ------------------------------------------------------------


def combined(metric, value, published, source="c"):
    return ("big4", metric, "CY2026", "2026-12-31", 12, value, source, published)


def guided(entity, value, published):
    return plan(entity, "capex_guidance_point", 2026, value, published)


def inv5(as_of, *plans, capex=None):
    tables = {"plans": rows(*plans), "capex": capex if capex is not None else capex_table()}
    return judge("INV-5", as_of, tables)


def test_inv5_before_any_forecast_is_unsupported_saying_when_the_first_came():
    judged = inv5("2025-09-26", combined("capex_analyst_forecast", 490.0, "2025-09-30"))
    assert judged.verdict == "unsupported" and judged.value is None
    assert "2025-09-30" in judged.reason


@pytest.mark.parametrize(
    ("expected", "verdict"),
    [
        (400.0, "accurate"),
        (360.0, "accurate"),  # exactly the tolerance below
        (320.0, "roughly right"),  # exactly twice the tolerance below
        (319.0, "overstated"),
        (500.0, "understated"),
    ],
)
def test_inv5_against_the_expectation_current_on_the_date(expected, verdict):
    judged = inv5("2025-09-26", combined("capex_consensus", expected, "2025-09-01"))
    assert judged.value == expected and judged.verdict == verdict


def test_inv5_the_latest_expectation_wins_and_the_companies_own_sum_is_preferred():
    plans = [
        combined("capex_consensus", 470.0, "2026-01-26"),
        combined("capex_guidance_combined", 650.0, "2026-04-29"),
        guided("microsoft", 190.0, "2026-04-29"),
        guided("alphabet", 185.0, "2026-02-04"),
        guided("amazon", 200.0, "2026-02-05"),
        plan("meta", "capex_guidance_low", 2026, 125.0, "2026-04-29"),
        plan("meta", "capex_guidance_high", 2026, 145.0, "2026-04-29"),
    ]
    early = inv5("2026-03-31", *plans)
    assert early.value == 470.0 and early.facts["guided_low"] is None
    late = inv5("2026-05-31", *plans)
    assert late.value == pytest.approx(190 + 185 + 200 + 135)
    assert late.facts["guided_low"] == pytest.approx(190 + 185 + 200 + 125)
    assert late.facts["expected_kind"] == inv.EXPECTATION_WORDS[inv.OWN_SUM]
    assert "no such forecast was public when the article appeared" in late.reason


def test_inv5_a_fair_forecast_overtaken_says_so():
    plans = [
        combined("capex_consensus", 390.0, "2025-09-01", "early"),
        combined("capex_consensus", 600.0, "2026-01-26", "late"),
    ]
    assert inv5("2025-09-26", *plans).verdict == "accurate"
    judged = inv5("2026-02-28", *plans)
    assert judged.verdict == "understated"
    assert judged.reason.startswith("Fair when written")
    assert "overtaken by" in judged.reason and "26 January 2026" in judged.reason


def test_inv5_the_outcome_replaces_expectations_once_reported():
    capex = capex_table(per_year=100.0, years=(2024, 2025, 2026))
    judged = inv5("2027-03-01", combined("capex_consensus", 390.0, "2025-09-01"), capex=capex)
    assert judged.value == pytest.approx(400.0)
    assert judged.facts["expected_kind"] == inv.EXPECTATION_WORDS["outcome"]


def test_inv5_without_any_forecast_in_the_data_is_an_error():
    with pytest.raises(engine.ClaimError, match="no row in data/"):
        inv5("2026-06-30")


# --- the real data --------------------------------------------------------------------------


def test_every_investment_claim_evaluates_on_the_real_data_at_every_date():
    book = catalog.Book({inv.CHAPTER: VALUES})
    dates = [
        "2019-01-01",
        "2023-06-30",
        *engine.month_ends("2025-03-31", catalog.latest_date()),
        "latest",
    ]
    claims = catalog.claims(inv.CHAPTER)
    assert [c.id for c in claims] == ["INV-1", "INV-2", "INV-3", "INV-4", "INV-5"]
    for claim in claims:
        for day in dates:
            judged = book.judge(claim, day)
            assert judged.verdict in engine.rubric.VERDICTS
            assert judged.reason and not judged.reason.endswith(".")


@pytest.mark.parametrize("companies", [["microsoft"], ["microsoft", "alphabet", "oracle"]])
def test_every_chart_of_the_chapter_draws_for_any_set_of_companies(companies):
    """Chapter 1 once crashed (in INV-3's chart) when `companies` left Meta out."""
    from tests.conftest import ROOT

    from aibet.present import story
    from aibet.present.chapters import investment as figures

    source = next(s for s in notebooks.discover(ROOT) if s.chapter == "investment-scale")
    values = {name: spec.default for name, spec in source.specs.items() if name != "as_of"}
    book = catalog.Book({"investment-scale": {**values, "companies": companies}})
    drawn = {
        "INV-1": [figures.capex_bars],
        "INV-2": [figures.interstate_ratio],
        "INV-3": [figures.pledge_statements, figures.meta_pace],
        "INV-4": [figures.plan_ratios],
        "INV-5": [figures.expectations_2026],
    }
    for claim_id, draws in drawn.items():
        told = story.Story(book, claim_id)
        for draw in draws:
            assert told.figure(draw)._repr_html_(), (claim_id, draw.__name__)
        assert told.verdict_box()._repr_html_()
