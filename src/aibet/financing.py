"""Debt, cash and leases from balance sheets: which liabilities count as debt, net positions as
known on a date, and which lines of a filing come near a figure."""

from __future__ import annotations

import numpy as np
import pandas as pd

from aibet import data

DEBT_LINES = {
    "borrowings": ("debt_total",),
    "plus_finance_leases": ("debt_total", "finance_lease_liabilities"),
    "plus_all_leases": ("debt_total", "finance_lease_liabilities", "operating_lease_liabilities"),
}
"""Which balance-sheet liabilities count as debt. Borrowings are notes, loans and commercial
paper at carrying value; finance leases are debt in all but name; operating leases are rent
commitments that accounting has put on the balance sheet since 2019."""
CASH_LINES = {
    "cash_and_securities": ("cash_and_equivalents", "marketable_securities"),
    "cash_only": ("cash_and_equivalents",),
}
"""What counts as cash when debt is netted: with or without marketable securities."""
LEASE_OBLIGATIONS = {
    "commenced": ("lease_payments_future",),
    "not_commenced": ("leases_not_commenced",),
    "both": ("lease_payments_future", "leases_not_commenced"),
}
"""Which lease payments count as obligations: those of leases already running (undiscounted, from
the lease note's maturity table), those signed but not yet begun, or both."""
PARTS = {
    "debt_total": ("debt_current", "debt_noncurrent"),
    "operating_lease_liabilities": (
        "operating_lease_liabilities_current",
        "operating_lease_liabilities_noncurrent",
    ),
    "finance_lease_liabilities": (
        "finance_lease_liabilities_current",
        "finance_lease_liabilities_noncurrent",
    ),
}
"""Totals a filing may give only as current and non-current parts."""
LINE_NAMES = {
    "debt_total": "Debt (borrowings)",
    "finance_lease_liabilities": "Finance lease liabilities",
    "operating_lease_liabilities": "Operating lease liabilities",
    "lease_payments_future": "Lease payments due (leases begun)",
    "leases_not_commenced": "Lease payments due (leases signed, not begun)",
    "rpo": "Revenue backlog (remaining performance obligations)",
    "cash_and_equivalents": "Cash and equivalents",
    "marketable_securities": "Marketable securities",
    "revenue": "Revenue",
}


def balance_sheets(figures: pd.DataFrame, entity: str, as_of: str | None) -> pd.DataFrame:
    """One row per balance-sheet date public on `as_of`, one column per line (USD bn).

    A later filing's figure for the same date supersedes an earlier one, and a total a filing
    gives only in parts is their sum.
    """
    rows = data.as_known(figures, as_of)
    rows = rows[rows["entity"] == entity].sort_values("published", kind="stable")
    sheets = rows.pivot_table(index="period_end", columns="metric", values="value", aggfunc="last")
    for total, parts in PARTS.items():
        if all(part in sheets for part in parts):
            summed = sheets[list(parts)].sum(axis=1, min_count=len(parts))
            sheets[total] = sheets[total].fillna(summed) if total in sheets else summed
    sheets.index = pd.to_datetime(sheets.index)
    sheets.columns.name = None
    return sheets.sort_index()


def amount(sheets: pd.DataFrame, lines) -> pd.Series:
    """The sum of `lines` on each date; NaN where any of them is missing (never a silent zero)."""
    missing = [line for line in lines if line not in sheets]
    if missing:
        return pd.Series(np.nan, index=sheets.index)
    return sheets[list(lines)].sum(axis=1, min_count=len(lines))


def latest_amount(sheets: pd.DataFrame, lines) -> tuple[float, pd.Timestamp | None]:
    """The sum of `lines` on the latest date that has all of them, and that date."""
    values = amount(sheets, lines).dropna()
    if values.empty:
        return float("nan"), None
    return float(values.iloc[-1]), values.index[-1]


def net_debt(sheets: pd.DataFrame, debt_lines: str, cash_lines: str) -> pd.DataFrame:
    """Debt, cash and net debt (debt minus cash; negative is net cash) on each complete date."""
    frame = pd.DataFrame(
        {
            "debt": amount(sheets, DEBT_LINES[debt_lines]),
            "cash": amount(sheets, CASH_LINES[cash_lines]),
        }
    ).dropna()
    frame["net_debt"] = frame["debt"] - frame["cash"]
    return frame


def group_net_debt(
    figures: pd.DataFrame, companies, as_of: str | None, debt_lines: str, cash_lines: str
) -> pd.DataFrame:
    """Each company's latest complete position public on `as_of` (one row each, with its date)."""
    rows = []
    for company in companies:
        position = net_debt(balance_sheets(figures, company, as_of), debt_lines, cash_lines)
        if position.empty:
            raise LookupError(f"no complete {company} balance sheet published by {as_of or 'now'}")
        rows.append({"entity": company, "date": position.index[-1], **position.iloc[-1]})
    return pd.DataFrame(rows)


def lines_near(sheets: pd.DataFrame, target: float, tolerance: float) -> pd.DataFrame:
    """Every line on every date whose value is within `tolerance` (relative) of `target`."""
    long = sheets.stack().rename("value").reset_index()
    long.columns = ["date", "metric", "value"]
    near = long[(long["value"] / target - 1).abs() <= tolerance]
    return near.sort_values(["date", "metric"]).reset_index(drop=True)


FUNDING = {
    "net_borrowing": "Borrowing, net of repayments",
    "operating_cash_flow": "Cash from operations",
    "equity": "Shares sold (preferred and common)",
}
"""Where the money for capital spending came from, as the cash-flow statement shows it."""
EQUITY_LINES = ("equity_proceeds", "preferred_proceeds")
FLOW_LINES = ("capex", "operating_cash_flow", "debt_proceeds", "debt_repayments", *EQUITY_LINES)


def year_to_date(flows: pd.DataFrame, entity: str, as_of: str | None) -> pd.DataFrame:
    """Cash-flow lines by calendar year, each year as far as the filings public on `as_of` go.

    One row per year (indexed by year) with the date the figures run to; a year's latest
    year-to-date statement stands for it. Repayments are positive numbers in the data.
    """
    rows = data.as_known(flows, as_of)
    rows = rows[(rows["entity"] == entity) & rows["metric"].isin(FLOW_LINES)].copy()
    end = pd.to_datetime(rows["period_end"])
    rows = rows[rows["period_months"] == end.dt.month]  # year-to-date statements only
    rows["year"] = end.dt.year
    rows["through"] = end
    rows = rows[rows["through"] == rows.groupby("year")["through"].transform("max")]
    table = rows.pivot_table(index="year", columns="metric", values="value", aggfunc="last")
    table = table.reindex(columns=list(FLOW_LINES))
    table[list(EQUITY_LINES)] = table[list(EQUITY_LINES)].fillna(0.0)  # no line: none sold
    table["through"] = rows.groupby("year")["through"].max()
    return table.dropna(subset=["capex", "operating_cash_flow", "debt_proceeds", "debt_repayments"])


def funding(yearly: pd.DataFrame, first_year: int) -> tuple[pd.Series, pd.Timestamp | None]:
    """Capital spending and where its money came from, summed from `first_year` for as long
    as the years run without a gap (a part year ends the run), and the date the sum runs to."""
    years = []
    for year in range(first_year, int(yearly.index.max()) + 1 if len(yearly) else first_year):
        if year not in yearly.index:
            break
        years.append(year)
        if yearly.loc[year, "through"].month != 12:
            break
    if not years:
        return pd.Series(dtype=float), None
    window = yearly.loc[years]
    sums = pd.Series(
        {
            "capex": window["capex"].sum(),
            "net_borrowing": (window["debt_proceeds"] - window["debt_repayments"]).sum(),
            "operating_cash_flow": window["operating_cash_flow"].sum(),
            "equity": window[list(EQUITY_LINES)].sum(axis=1).sum(),
        }
    )
    return sums, window["through"].iloc[-1]


def debt_share(sums: pd.Series, of: str) -> float:
    """Net borrowing as a share of capital spending (`capex`) or of all money raised or earned
    (`funding`: borrowing, cash from operations and shares sold)."""
    if sums.empty:
        return float("nan")
    base = sums["capex"] if of == "capex" else sums[list(FUNDING)].sum()
    return float(sums["net_borrowing"] / base)
