"""Balance-sheet arithmetic on hand-checked cases: what counts as debt, netting, dates known."""

import math

import pandas as pd
import pytest
from tests.conftest import figure_rows

from aibet import financing as fin

# A company with two balance-sheet dates; the second's debt was restated by a later filing.
SHEETS = figure_rows(
    ("acme", "debt_current", "FY2024", "2024-12-31", 12, 1.0, "k24", "2025-02-01"),
    ("acme", "debt_noncurrent", "FY2024", "2024-12-31", 12, 9.0, "k24", "2025-02-01"),
    ("acme", "finance_lease_liabilities", "FY2024", "2024-12-31", 12, 2.0, "k24", "2025-02-01"),
    ("acme", "operating_lease_liabilities", "FY2024", "2024-12-31", 12, 4.0, "k24", "2025-02-01"),
    ("acme", "cash_and_equivalents", "FY2024", "2024-12-31", 12, 5.0, "k24", "2025-02-01"),
    ("acme", "marketable_securities", "FY2024", "2024-12-31", 12, 6.0, "k24", "2025-02-01"),
    ("acme", "debt_total", "FY2025Q2", "2025-06-30", 3, 20.0, "q25", "2025-08-01"),
    ("acme", "debt_total", "FY2025Q2", "2025-06-30", 3, 21.0, "k25", "2026-02-01"),
    ("acme", "cash_and_equivalents", "FY2025Q2", "2025-06-30", 3, 3.0, "q25", "2025-08-01"),
    ("acme", "marketable_securities", "FY2025Q2", "2025-06-30", 3, 4.0, "q25", "2025-08-01"),
    ("other", "debt_total", "FY2025Q2", "2025-06-30", 3, 1.0, "o25", "2025-08-01"),
    ("other", "cash_and_equivalents", "FY2025Q2", "2025-06-30", 3, 2.0, "o25", "2025-08-01"),
    ("other", "marketable_securities", "FY2025Q2", "2025-06-30", 3, 0.5, "o25", "2025-08-01"),
)


def test_total_from_parts_and_restatement_by_date_known():
    at_pub = fin.balance_sheets(SHEETS, "acme", "2025-09-26")
    assert at_pub.loc["2024-12-31", "debt_total"] == 10.0  # 1 current + 9 non-current
    assert at_pub.loc["2025-06-30", "debt_total"] == 20.0
    assert fin.balance_sheets(SHEETS, "acme", None).loc["2025-06-30", "debt_total"] == 21.0
    assert list(fin.balance_sheets(SHEETS, "acme", "2025-03-01").index) == [
        pd.Timestamp("2024-12-31")
    ]


def test_debt_lines_and_netting():
    sheets = fin.balance_sheets(SHEETS, "acme", None)
    fy24 = pd.Timestamp("2024-12-31")
    assert fin.amount(sheets, fin.DEBT_LINES["borrowings"])[fy24] == 10.0
    assert fin.amount(sheets, fin.DEBT_LINES["plus_finance_leases"])[fy24] == 12.0
    assert fin.amount(sheets, fin.DEBT_LINES["plus_all_leases"])[fy24] == 16.0
    net = fin.net_debt(sheets, "plus_all_leases", "cash_and_securities")
    # leases are not reported for mid-2025, so only the year end is a complete position
    assert list(net.index) == [fy24]
    assert net.loc[fy24, "net_debt"] == 16.0 - 11.0
    assert fin.net_debt(sheets, "borrowings", "cash_only").loc["2025-06-30", "net_debt"] == 18.0


def test_missing_line_is_nan_not_zero():
    sheets = fin.balance_sheets(SHEETS, "other", None)
    value, date = fin.latest_amount(sheets, fin.DEBT_LINES["plus_finance_leases"])
    assert math.isnan(value) and date is None


def test_group_position_uses_each_company_latest_date():
    group = fin.group_net_debt(
        SHEETS, ["acme", "other"], "2025-09-26", "borrowings", "cash_and_securities"
    )
    assert group.set_index("entity")["net_debt"].to_dict() == {"acme": 13.0, "other": -1.5}
    with pytest.raises(
        LookupError, match="no complete other balance sheet published by 2025-01-01"
    ):
        fin.group_net_debt(SHEETS, ["other"], "2025-01-01", "borrowings", "cash_only")


def test_lines_near_a_figure():
    sheets = fin.balance_sheets(SHEETS, "acme", None)
    near = fin.lines_near(sheets, 10.5, 0.05)
    assert near[["metric", "value"]].values.tolist() == [["debt_total", 10.0]]


FLOWS = figure_rows(
    *[
        ("cw", metric, f"FY{year}", f"{year}-12-31", 12, value, "s1", "2025-03-03")
        for year, values in {
            2022: (1.0, 0.1, 0.8, 0.1, 0.0, 0.2),
            2023: (3.0, 1.0, 2.5, 0.5, 0.0, 0.0),
        }.items()
        for metric, value in zip(fin.FLOW_LINES, values, strict=True)
    ],
    ("cw", "capex", "FY2024Q1YTD", "2024-03-31", 3, 2.0, "q1", "2024-05-15"),
    ("cw", "operating_cash_flow", "FY2024Q1YTD", "2024-03-31", 3, 0.5, "q1", "2024-05-15"),
    ("cw", "debt_proceeds", "FY2024Q1YTD", "2024-03-31", 3, 1.0, "q1", "2024-05-15"),
    ("cw", "debt_repayments", "FY2024Q1YTD", "2024-03-31", 3, 0.0, "q1", "2024-05-15"),
    # a single quarter (not year to date) never stands for a year
    ("cw", "capex", "FY2024Q2", "2024-06-30", 3, 9.0, "q2", "2024-08-15"),
)


def test_funding_sums_years_and_stops_after_a_part_year():
    yearly = fin.year_to_date(FLOWS, "cw", None)
    assert list(yearly.index) == [2022, 2023, 2024]
    sums, through = fin.funding(yearly, 2022)
    assert through == pd.Timestamp("2024-03-31")
    # capex 1 + 3 + 2; borrowing (0.8 - 0.1) + (2.5 - 0.5) + 1.0; shares 0.2
    assert sums.to_dict() == pytest.approx(
        {"capex": 6.0, "net_borrowing": 3.7, "operating_cash_flow": 1.6, "equity": 0.2}
    )
    assert fin.debt_share(sums, "capex") == pytest.approx(3.7 / 6.0)
    assert fin.debt_share(sums, "funding") == pytest.approx(3.7 / 5.5)


def test_funding_as_known_and_from_a_later_year():
    sums, through = fin.funding(fin.year_to_date(FLOWS, "cw", None), 2023)
    assert through == pd.Timestamp("2024-03-31") and sums["capex"] == 5.0
    # before the annual statements were filed only the first quarter of 2024 was public
    known = fin.year_to_date(FLOWS, "cw", "2025-01-01")
    assert list(known.index) == [2024]
    empty, none = fin.funding(known, 2023)
    assert empty.empty and none is None and math.isnan(fin.debt_share(empty, "capex"))
