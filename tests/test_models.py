import pandas as pd
import pytest
from tests.conftest import figure_rows

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


def test_stated_plan_takes_the_newest_statement_a_range_or_one_end():
    plans = figure_rows(
        ("a", "capex_guidance_point", "CY2025", "2025-12-31", 12, 75.0, "s", "2025-02-04"),
        ("a", "capex_guidance_low", "CY2025", "2025-12-31", 12, 91.0, "t", "2025-10-29"),
        ("a", "capex_guidance_high", "CY2025", "2025-12-31", 12, 93.0, "t", "2025-10-29"),
    )
    newest = investment.stated_plan(plans)
    assert (newest["low"], newest["high"], newest["value"]) == (91.0, 93.0, 92.0)
    assert newest["bound"] is None and newest["published"] == "2025-10-29"
    point = investment.stated_plan(plans.iloc[:1])
    assert point["value"] == 75.0 and point["bound"] is None
    floor = investment.stated_plan(plans.iloc[1:2])
    assert floor["value"] == 91.0 and floor["bound"] == "floor"
    assert investment.stated_plan(plans.iloc[0:0]) is None


def test_prices_of_a_year_not_yet_measured_are_the_last_ones():
    index = pd.Series({2023: 50.0, 2024: 100.0})
    out = investment.in_prices(pd.Series([10.0, 10.0]), pd.Series([2023, 2025]), index, 2024)
    assert out.tolist() == [20.0, 10.0]
    assert investment.price_base(index, 2025)[0] == 2024
    assert investment.price_base(index, 2023) == (2023, "2023 prices")
