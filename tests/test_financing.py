"""Balance-sheet arithmetic on hand-checked cases: what counts as debt, netting, dates known."""

import math

import pandas as pd
import pytest
from tests.conftest import figure_rows

from aibet.claims import financing as fin
from aibet.data.evidence import Evidence, MissingFigure, NotYetPublic, Store

EVERYTHING = "2030-01-01"
"""A date after every row of the hand-made tables: all of them known."""


def known(table: str, frame: pd.DataFrame, as_of: str = EVERYTHING) -> Evidence:
    """The evidence of one hand-made table as known on `as_of`."""
    return Evidence(as_of, Store.of({table: frame.assign(unit="USD bn")}))


def sheets_of(frame: pd.DataFrame, entity: str, as_of: str = EVERYTHING) -> pd.DataFrame:
    return fin.balance_sheets(known("balance_sheets", frame, as_of), entity)


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
    at_pub = sheets_of(SHEETS, "acme", "2025-09-26")
    assert at_pub.loc["2024-12-31", "debt_total"] == 10.0  # 1 current + 9 non-current
    assert at_pub.loc["2025-06-30", "debt_total"] == 20.0
    assert sheets_of(SHEETS, "acme").loc["2025-06-30", "debt_total"] == 21.0
    assert list(sheets_of(SHEETS, "acme", "2025-03-01").index) == [pd.Timestamp("2024-12-31")]


def test_debt_lines_and_netting():
    sheets = sheets_of(SHEETS, "acme")
    fy24 = pd.Timestamp("2024-12-31")
    assert fin.amount(sheets, fin.DEBT_LINES["borrowings"])[fy24] == 10.0
    assert fin.amount(sheets, fin.DEBT_LINES["plus_finance_leases"])[fy24] == 12.0
    assert fin.amount(sheets, fin.DEBT_LINES["plus_all_leases"])[fy24] == 16.0
    assert fin.amount(sheets, fin.CASH_LINES["cash_and_securities"])[fy24] == 11.0
    net = fin.net_debt(sheets, "plus_all_leases", "cash_and_securities")
    # leases are not reported for mid-2025, so only the year end is a complete position
    assert list(net.index) == [fy24]
    assert net.loc[fy24, "net_debt"] == 16.0 - 11.0
    assert fin.net_debt(sheets, "borrowings", "cash_only").loc["2025-06-30", "net_debt"] == 18.0


def test_missing_line_is_nan_not_zero():
    sheets = sheets_of(SHEETS, "other")
    value, date = fin.latest_amount(sheets, fin.DEBT_LINES["plus_finance_leases"])
    assert math.isnan(value) and date is None


def test_group_position_uses_each_company_latest_date():
    history = fin.positions(
        known("balance_sheets", SHEETS, "2025-09-26"),
        ["acme", "other"],
        "borrowings",
        "cash_and_securities",
    )
    latest = history[history["latest"]].set_index("entity")
    assert latest["net_debt"].to_dict() == {"acme": 13.0, "other": -1.5}
    assert latest["date"].dt.strftime("%Y-%m-%d").tolist() == ["2025-06-30", "2025-06-30"]
    assert len(history) == 3  # acme's year end too


def test_no_complete_position_yet_is_not_yet_public_with_its_date():
    # nothing complete for "other" before August 2025: no total that leaves it out
    early = known("balance_sheets", SHEETS, "2025-03-01")
    with pytest.raises(NotYetPublic) as gap:
        fin.positions(early, ["acme", "other"], "borrowings", "cash_only")
    assert gap.value.first_public == "2025-08-01" and "Other" in gap.value.what
    # a line the data never holds for a company: a bug, not a date
    with pytest.raises(MissingFigure):
        fin.positions(early, ["other"], "plus_finance_leases", "cash_only")


def test_when_a_balance_sheet_became_complete():
    ev = known("balance_sheets", SHEETS, "2025-03-01")
    # debt from its two parts, leases and cash: all on the filing of February 2025
    assert fin.first_complete(ev, "acme", fin.DEBT_LINES["plus_all_leases"]) == pd.Timestamp(
        "2025-02-01"
    )
    assert pd.isna(fin.first_complete(ev, "other", fin.DEBT_LINES["plus_all_leases"]))
    assert fin.latest([pd.Timestamp("2025-01-01"), pd.NaT]) is pd.NaT


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
    yearly = fin.year_to_date(known("coreweave_flows", FLOWS), "cw")
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
    sums, through = fin.funding(fin.year_to_date(known("coreweave_flows", FLOWS), "cw"), 2023)
    assert through == pd.Timestamp("2024-03-31") and sums["capex"] == 5.0
    # before the annual statements were filed only the first quarter of 2024 was public
    early = fin.year_to_date(known("coreweave_flows", FLOWS, "2025-01-01"), "cw")
    assert list(early.index) == [2024]
    empty, none = fin.funding(early, 2023)
    assert empty.empty and none is None and math.isnan(fin.debt_share(empty, "capex"))


# A lessee: on 31 March leases were reported in full; on 30 June only a data provider's "total
# debt" (borrowings plus lease liabilities) and the backlog are known.
LESSEE = figure_rows(
    ("cw", "debt_total", "Q1", "2025-03-31", 3, 8.0, "q1", "2025-05-15"),
    ("cw", "lease_payments_future", "Q1", "2025-03-31", 3, 5.0, "q1", "2025-05-15"),
    ("cw", "operating_lease_liabilities", "Q1", "2025-03-31", 3, 3.0, "q1", "2025-05-15"),
    ("cw", "finance_lease_liabilities", "Q1", "2025-03-31", 3, 0.5, "q1", "2025-05-15"),
    ("cw", "leases_not_commenced", "Q1", "2025-03-31", 3, 20.0, "q1", "2025-05-15"),
    ("cw", "debt_total", "Q2", "2025-06-30", 3, 11.0, "q2", "2025-08-13"),
    ("cw", "debt_including_leases", "Q2", "2025-06-30", 3, 14.5, "yahoo", "2025-08-13"),
    ("cw", "revenue_backlog", "Q2", "2025-06-30", 3, 30.0, "q2", "2025-08-13"),
    ("cw", "leases_not_commenced", "Q2", "2025-06-30", 3, 25.0, "q2", "2025-08-13"),
)


def test_leases_begun_prefers_payments_due_then_liabilities():
    sheets = sheets_of(LESSEE, "cw")
    assert sheets.loc["2025-03-31", "lease_liabilities_total"] == 3.5
    assert sheets.loc["2025-03-31", "leases_begun"] == 5.0  # undiscounted payments due
    assert sheets.loc["2025-06-30", "lease_liabilities_total"] == pytest.approx(3.5)  # 14.5 - 11
    assert sheets.loc["2025-06-30", "leases_begun"] == pytest.approx(3.5)  # liabilities stand in
    assert fin.latest_amount(sheets, fin.LEASE_OBLIGATIONS["both"])[0] == pytest.approx(28.5)


def test_figure_that_is_another_line_on_the_same_balance_sheet():
    sheets = sheets_of(LESSEE, "cw")
    others = {"debt including lease liabilities": fin.DEBT_LINES["plus_all_leases"]}
    numeric, value, date, label, other = fin.trace_figure(
        sheets, fin.DEBT_LINES["borrowings"], 15.0, 0.1, others
    )
    assert (numeric, value, date, label) == (
        "overstated",
        11.0,
        pd.Timestamp("2025-06-30"),
        "debt including lease liabilities",
    )
    assert other == pytest.approx(14.5)
    # no other line within the tolerance: no match
    assert fin.trace_figure(sheets, fin.DEBT_LINES["borrowings"], 15.0, 0.02, others)[3] is None
    # the backlog is $30bn, leases of $28.5bn are close enough: accurate (and a match)
    backlog = {"revenue backlog": ("revenue_backlog",)}
    both = fin.LEASE_OBLIGATIONS["both"]
    assert fin.trace_figure(sheets, both, 30.0, 0.1, backlog)[::3] == (
        "accurate",
        "revenue backlog",
    )
    # $31bn: leases 8% short (beyond twice 3.5%), backlog 3.2% short (within it)
    assert fin.trace_figure(sheets, both, 31.0, 0.035, backlog)[::3] == (
        "overstated",
        "revenue backlog",
    )
    # no date has the lines: nothing to judge
    assert fin.trace_figure(sheets, ("rpo",), 31.0, 0.1, backlog)[2] is None


def test_a_year_stands_on_its_latest_complete_statement():
    nine_months = [
        ("cw", metric, "FY2025Q3YTD", "2025-09-30", 9, 1.0, "q3", "2025-11-13")
        for metric in fin.FLOW_LINES[:4]
    ]
    # the annual report's financing lines are not in the data: only capex and operations
    annual = [
        ("cw", m, "FY2025", "2025-12-31", 12, 9.0, "k", "2026-03-02") for m in fin.FLOW_LINES[:2]
    ]
    flows = figure_rows(*nine_months, *annual)
    yearly = fin.year_to_date(known("coreweave_flows", flows), "cw")
    assert yearly.loc[2025, "through"] == pd.Timestamp("2025-09-30")
    assert yearly.loc[2025, "capex"] == 1.0
