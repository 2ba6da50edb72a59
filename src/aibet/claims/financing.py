"""Debt, cash and leases from balance sheets: which liabilities count as debt, net positions as
known on a date, and which lines of a filing come near a figure."""

from __future__ import annotations

import numpy as np
import pandas as pd

from aibet import data
from aibet.claims import rubric as claims
from aibet.data import PARTS

DEBT_LINES = {
    "borrowings": ("debt_total",),
    "plus_finance_leases": ("debt_total", "finance_lease_liabilities"),
    "plus_all_leases": ("debt_total", "lease_liabilities_total"),
}
"""Which balance-sheet liabilities count as debt. Borrowings are notes, loans and commercial
paper at carrying value; finance leases are debt in all but name; operating leases are rent
commitments that accounting has put on the balance sheet since 2019."""
DEBT_NAMES = {
    "borrowings": "borrowings only",
    "plus_finance_leases": "borrowings and finance leases",
    "plus_all_leases": "borrowings and all lease liabilities",
}
CASH_LINES = {
    "cash_and_securities": ("cash_and_marketable_securities",),
    "cash_only": ("cash_and_equivalents",),
}
"""What counts as cash when debt is netted: with or without marketable securities."""
CASH_NAMES = {
    "cash_and_securities": "cash and marketable securities",
    "cash_only": "cash and equivalents only",
}
LEASE_OBLIGATIONS = {
    "commenced": ("leases_begun",),
    "not_commenced": ("leases_not_commenced",),
    "both": ("leases_begun", "leases_not_commenced"),
}
"""Which lease payments count as obligations: those of leases already running, those signed but
not yet begun, or both. Leases begun are the payments still due in the lease note's maturity
table (undiscounted) where our data has it, otherwise the balance sheet's lease liabilities —
the same payments discounted, so a lower bound."""
LEASE_NAMES = {
    "commenced": "leases begun",
    "not_commenced": "leases signed, not begun",
    "both": "leases begun and signed",
}
DIFFERENCES = {"lease_liabilities_total": ("debt_including_leases", "debt_total")}
FALLBACKS = {"leases_begun": ("lease_payments_future", "lease_liabilities_total")}
"""Lines read from the first of several that a date has: payments due on leases begun are the
maturity table's undiscounted total, or else the (discounted) lease liabilities."""
"""Lines known only as a difference: data providers' "total debt" counts lease liabilities."""
LINE_NAMES = {
    "debt_total": "Debt (borrowings)",
    "finance_lease_liabilities": "Finance lease liabilities",
    "operating_lease_liabilities": "Operating lease liabilities",
    "lease_liabilities_total": "Lease liabilities",
    "debt_including_leases": "Debt including lease liabilities",
    "leases_begun": "Lease payments due (leases begun)",
    "lease_payments_future": "Lease payments due (leases begun)",
    "leases_not_commenced": "Lease payments due (leases signed, not begun)",
    "rpo": "Revenue backlog (remaining performance obligations)",
    "cash_and_equivalents": "Cash and equivalents",
    "marketable_securities": "Marketable securities",
    "revenue_backlog": "Revenue backlog",
    "debt_principal": "Debt (principal)",
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
    for line, (whole, part) in DIFFERENCES.items():
        if whole in sheets and part in sheets:
            difference = sheets[whole] - sheets[part]
            sheets[line] = sheets[line].fillna(difference) if line in sheets else difference
    missing = pd.Series(np.nan, index=sheets.index)
    for line, choices in FALLBACKS.items():
        value = missing
        for choice in choices:
            value = value.fillna(sheets.get(choice, missing))
        sheets[line] = value
    sheets.index = pd.to_datetime(sheets.index)
    sheets.columns.name = None
    return sheets.sort_index()


def first_published(figures: pd.DataFrame, entity: str) -> dict:
    """When each (balance-sheet date, line) of `entity` first became public."""
    rows = figures[figures["entity"] == entity]
    first = rows.groupby([pd.to_datetime(rows["period_end"]), "metric"])["published"].min()
    return {key: pd.Timestamp(value) for key, value in first.items()}


def when_public(first: dict, date, lines) -> pd.Timestamp:
    """When every line in `lines` for balance-sheet `date` was public (computed lines: when the
    lines they are computed from were); NaT if the data cannot say."""
    date = pd.Timestamp(date)

    def one(line):
        if (date, line) in first:
            return first[(date, line)]
        if line in FALLBACKS:  # public once any of its choices was
            known = [t for t in map(one, FALLBACKS[line]) if not pd.isna(t)]
            return min(known, default=pd.NaT)
        sources = PARTS.get(line) or DIFFERENCES.get(line)
        return max((one(part) for part in sources), default=pd.NaT) if sources else pd.NaT

    return max((one(line) for line in lines), default=pd.NaT)


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
    """Each company's latest complete position public on `as_of` (one row each, with its date);
    a company with no complete balance sheet by then has NaN, so the group total is NaN too."""
    rows = []
    for company in companies:
        position = net_debt(balance_sheets(figures, company, as_of), debt_lines, cash_lines)
        if position.empty:
            rows.append(
                {
                    "entity": company,
                    "date": pd.NaT,
                    "debt": np.nan,
                    "cash": np.nan,
                    "net_debt": np.nan,
                }
            )
        else:
            rows.append({"entity": company, "date": position.index[-1], **position.iloc[-1]})
    return pd.DataFrame(rows)


def traced_verdict(
    sheets: pd.DataFrame, named: tuple, article_value: float, tolerance: float, others: dict
) -> tuple[str, float, pd.Timestamp | None, str | None]:
    """Judge the article's figure against the `named` lines on the latest date that has them.

    When the number is off but one of the `others` (label: lines) comes within the tolerance on
    that same balance sheet, the figure is that other line: mischaracterized, and the label
    says which. Returns the verdict, the named value, its date and the matching label.
    """
    value, date = latest_amount(sheets, named)
    verdict = claims.numeric_verdict(value, article_value, "≈", tolerance)
    if verdict in ("accurate", "roughly right") or date is None:
        return verdict, value, date, None
    for label, lines in others.items():
        other = amount(sheets, lines).get(date, np.nan)
        if claims.numeric_verdict(other, article_value, "≈", tolerance) == "accurate":
            return "mischaracterized", value, date, label
    return verdict, value, date, None


def lines_near(sheets: pd.DataFrame, target: float, tolerance: float) -> pd.DataFrame:
    """Every line on every date whose value is within `tolerance` (relative) of `target`."""
    long = sheets.stack().rename("value").reset_index()
    long.columns = ["date", "metric", "value"]
    near = long[claims.numeric_verdicts(long["value"], target, "≈", tolerance) == "accurate"]
    return near.sort_values(["date", "metric"]).reset_index(drop=True)


FUNDING = {
    "net_borrowing": "Net borrowing",
    "operating_cash_flow": "Cash from operations",
    "equity": "Shares sold",
}
"""Where the money for capital spending came from, as the cash-flow statement shows it."""
SHARE_OF_NAMES = {
    "capex": "spending on property and equipment",
    "funding": "money raised and earned (borrowing, operations and shares)",
}
MAJORITY = 0.5
"""Growth is "driven by debt" when net borrowing paid for more than this share of it."""
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
    table = rows.assign(through=end).pivot_table(
        index="through", columns="metric", values="value", aggfunc="last"
    )
    table = table.reindex(columns=list(FLOW_LINES))
    table[list(EQUITY_LINES)] = table[list(EQUITY_LINES)].fillna(0.0)  # no line: none sold
    # a statement counts only with all its lines; each year's latest complete one stands for it
    table = table.dropna().reset_index()
    table["year"] = table["through"].dt.year
    return table.groupby("year").last()


def yearly_revenue(flows: pd.DataFrame, entity: str, as_of: str | None) -> pd.Series:
    """Revenue of each full fiscal year public on `as_of`, indexed by year (USD bn)."""
    rows = data.as_known(flows, as_of)
    rows = rows[
        (rows["entity"] == entity) & (rows["metric"] == "revenue") & (rows["period_months"] == 12)
    ]
    years = pd.to_datetime(rows["period_end"]).dt.year
    return rows.set_index(years)["value"].sort_index().rename_axis("year")


def annualised_revenue(flows: pd.DataFrame, entity: str, as_of: str | None) -> pd.Series:
    """Revenue at a yearly rate on each period end: a quarter times four where the quarter is
    known, the full year before that (USD bn, indexed by date)."""
    rows = data.as_known(flows, as_of)
    rows = rows[
        (rows["entity"] == entity)
        & (rows["metric"] == "revenue")
        & rows["period_months"].isin([3, 12])
    ]
    rows = rows.assign(
        date=pd.to_datetime(rows["period_end"]), rate=rows["value"] * 12 / rows["period_months"]
    )
    shortest = rows.sort_values("period_months").drop_duplicates("date")
    return shortest.set_index("date")["rate"].sort_index().rename("value")


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


DEAL_KINDS = {
    "bond_issuance": "bonds",
    "bond_issuance_foreign": "bonds",
    "offbalance_financing": "joint-venture notes (off the balance sheet)",
}
"""Financing deals by kind. Foreign-currency tranches are in U.S. dollars at the rate the
reporting source used; off-balance-sheet notes are sold by a joint venture, not the company."""


def bond_deals(events: pd.DataFrame, as_of: str | None) -> pd.DataFrame:
    """One row per issuer, pricing date and kind of deal public on `as_of` (USD bn); the
    `source_id` column lists the documents behind each row."""
    rows = data.as_known(events, as_of)
    rows = rows[rows["metric"].isin(DEAL_KINDS) & (rows["unit"] == "USD bn")]
    rows = rows.assign(kind=rows["metric"].map(DEAL_KINDS), date=pd.to_datetime(rows["period_end"]))
    deals = rows.groupby(["entity", "date", "kind"], as_index=False).agg(
        value=("value", "sum"), source_id=("source_id", lambda ids: sorted(set(ids)))
    )
    return deals.sort_values(["date", "entity"]).reset_index(drop=True)


def analysts_total(events: pd.DataFrame, metric: str, period: str, as_of: str | None) -> pd.Series:
    """Hyperscalers' bond issuance over `period` as an analyst counted it: the first such
    figure published (later reports often repeat it rounded)."""
    rows = events[
        (events["entity"] == "hyperscalers")
        & (events["metric"] == metric)
        & (events["period"] == period)
    ]
    rows = rows if as_of is None else rows[rows["published"] <= as_of]
    if rows.empty:
        raise LookupError(f"no hyperscalers {metric} for {period} published by {as_of or 'now'}")
    return rows.sort_values("published").iloc[0]
