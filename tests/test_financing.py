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
