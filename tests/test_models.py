import math

import pandas as pd
import pytest
from tests.conftest import figure_rows

from aibet import data
from aibet.claims import investment, models

CAPEX = figure_rows(
    ("dec", "capex_purchases_ppe", "FY2024", "2024-12-31", 12, 10.0, "s", "2025-02-01"),
    (
        "dec",
        "finance_lease_principal_repayments",
        "FY2024",
        "2024-12-31",
        12,
        1.5,
        "s",
        "2025-02-01",
    ),
    ("jun", "capex_purchases_ppe", "FY2024", "2024-06-30", 12, 20.0, "s", "2024-08-01"),
    ("jun", "capex_purchases_ppe", "Q1", "2024-03-31", 3, 1.0, "s", "2024-05-01"),
    ("jun", "capex_purchases_ppe", "Q2", "2024-06-30", 3, 2.0, "s", "2024-08-01"),
    ("jun", "capex_purchases_ppe", "Q3", "2024-09-30", 3, 3.0, "s", "2024-11-01"),
    ("jun", "capex_purchases_ppe", "Q4", "2024-12-31", 3, 4.0, "s", "2025-02-01"),
)


def test_fiscal_years_as_reported():
    out = models.annual_capex(CAPEX, ["dec", "jun"], "fiscal", False).set_index("entity")["value"]
    assert out.to_dict() == {"dec": 10.0, "jun": 20.0}


def test_calendar_years_sum_four_quarters_and_add_leases():
    out = models.annual_capex(CAPEX, ["dec", "jun"], "calendar", True).set_index("entity")
    assert out.loc["dec", "value"] == 11.5  # 10 + 1.5 of finance leases
    assert out.loc["jun", "value"] == 10.0  # 1 + 2 + 3 + 4
    assert bool(out.loc["jun", "leases_missing"])


def test_window_total_is_nan_when_a_company_lacks_a_year():
    annual = models.annual_capex(CAPEX, ["dec", "jun"], "fiscal", False)
    assert math.isnan(models.window_total(annual, ["dec", "jun"], [2023, 2024]))
    assert models.window_total(annual, ["dec", "jun"], [2024]) == 30.0


def test_as_known_takes_latest_public_row_and_respects_the_date():
    figures = figure_rows(
        ("a", "m", "FY2024", "2024-12-31", 12, 1.0, "first", "2025-01-10"),
        ("a", "m", "FY2024", "2024-12-31", 12, 1.2, "restated", "2025-06-10"),
    )
    assert data.as_known(figures, "2025-03-01")["value"].tolist() == [1.0]
    assert data.as_known(figures, None)["value"].tolist() == [1.2]


def test_deflation_hand_case():
    index = pd.Series({2000: 50.0, 2020: 100.0})
    out = models.to_base_year(pd.Series([10.0, 10.0]), pd.Series([2000, 2020]), index, 2020)
    assert out.tolist() == [20.0, 10.0]


@pytest.mark.parametrize("shape", ["even", "final_year", "known_then_even"])
def test_spending_profiles_keep_the_nominal_total(shape):
    known = pd.Series({2000: 30.0})
    profile = models.spending_profile(90.0, 2000, 2002, shape, known)
    assert profile.sum() == pytest.approx(90.0)
    if shape == "known_then_even":
        assert profile.tolist() == [30.0, 30.0, 30.0]


def test_real_total_hand_case():
    index = pd.Series({2000: 50.0, 2001: 100.0})
    profile = models.spending_profile(10.0, 2000, 2001, "even")  # 5 + 5
    assert models.real_total(profile, index, 2001) == pytest.approx(5 * 2 + 5)


def test_guidance_total_uses_latest_statement_and_needs_all_four():
    plans = figure_rows(
        ("microsoft", "capex_guidance_point", "CY2026", "2026-12-31", 12, 100.0, "s", "2026-01-01"),
        ("alphabet", "capex_guidance_low", "CY2026", "2026-12-31", 12, 10.0, "s", "2026-01-01"),
        ("alphabet", "capex_guidance_high", "CY2026", "2026-12-31", 12, 20.0, "s", "2026-01-01"),
        ("amazon", "capex_guidance_point", "CY2026", "2026-12-31", 12, 50.0, "s", "2026-01-01"),
        ("meta", "capex_guidance_point", "CY2026", "2026-12-31", 12, 5.0, "s", "2026-01-01"),
        ("meta", "capex_guidance_point", "CY2026", "2026-12-31", 12, 7.0, "t", "2026-04-01"),
    )
    assert investment.guidance_total(plans, None, "CY2026", "mid") == 100 + 15 + 50 + 7
    assert investment.guidance_total(plans, "2026-02-01", "CY2026", "low") == 100 + 10 + 50 + 5
    assert math.isnan(
        investment.guidance_total(plans[plans.entity != "amazon"], None, "CY2026", "mid")
    )


def test_capex_window_without_enough_complete_years_has_no_total():
    cpi = pd.Series({2024: 100.0})
    window = investment.capex_window(CAPEX, cpi, None, ["dec", "jun"], "fiscal", False, 2, 2024)
    assert window.years == [] and math.isnan(window.total)
    one_year = investment.capex_window(CAPEX, cpi, None, ["dec", "jun"], "fiscal", False, 1, 2024)
    assert one_year.years == [2024] and one_year.total == 30.0


def test_pledge_wording_floor_reported_as_ceiling_is_mischaracterized():
    floor = pd.Series(["at least $600 billion through 2028", "we're planning to invest $600B+"])
    assert investment.stated_bounds(floor) == {"floor"}
    assert investment.bound_verdict(floor, "ceiling") == "mischaracterized"
    assert (
        investment.bound_verdict(pd.Series(["up to $80 billion per year"]), "ceiling") == "accurate"
    )
    assert investment.bound_verdict(pd.Series([], dtype=str), "ceiling") == "unsupported"
