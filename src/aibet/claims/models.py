"""Pure, vectorised arithmetic behind the claims: capex totals, price deflation, spending profiles."""

from __future__ import annotations

import numpy as np
import pandas as pd

CAPEX = "capex_purchases_ppe"
FINANCE_LEASE_METRICS = ("finance_lease_additions", "finance_lease_principal_repayments")
"""How each company's finance-lease spending is measured, in order of preference."""


def annual_capex(
    figures: pd.DataFrame,
    companies: list[str],
    basis: str = "calendar",
    include_finance_leases: bool = False,
) -> pd.DataFrame:
    """Capital expenditure per company and year: columns entity, year, capex, leases, value.

    `figures` holds rows as known on some date (`Evidence.rows`). With `basis="fiscal"` each
    company's fiscal years are used as reported (a year is labelled by the calendar year it ends
    in); with `"calendar"` a company whose fiscal year is not the calendar year is summed from its
    four quarters ending in that calendar year, and a year missing a quarter is left out.
    Finance leases, when included, use the first metric of FINANCE_LEASE_METRICS the company
    reports for that year; a year without one counts none and is flagged in `leases_missing`.
    """
    if basis not in {"calendar", "fiscal"}:
        raise ValueError(f"basis must be 'calendar' or 'fiscal', got {basis!r}")
    rows = figures[figures["entity"].isin(companies)].copy()
    rows["year"] = rows["period_end"].str.slice(0, 4).astype("int64")
    annual = rows[rows["period_months"] == 12]
    quarters = rows[rows["period_months"] == 3]
    december_years = set(annual.loc[annual["period_end"].str.endswith("-12-31"), "entity"])

    def yearly(metric: str) -> pd.DataFrame:
        years = annual[annual["metric"] == metric]
        if basis == "fiscal":
            return years[["entity", "year", "value"]]
        calendar = years[years["entity"].isin(december_years)][["entity", "year", "value"]]
        offset = quarters[(quarters["metric"] == metric) & ~quarters["entity"].isin(december_years)]
        summed = offset.groupby(["entity", "year"])["value"].agg(["sum", "count"]).reset_index()
        summed = summed[summed["count"] == 4].rename(columns={"sum": "value"})
        return pd.concat([calendar, summed[["entity", "year", "value"]]], ignore_index=True)

    capex = yearly(CAPEX).rename(columns={"value": "capex"})
    if include_finance_leases:
        by_preference = pd.concat(
            [yearly(metric).assign(rank=rank) for rank, metric in enumerate(FINANCE_LEASE_METRICS)],
            ignore_index=True,
        )
        leases = (
            by_preference.sort_values("rank")
            .drop_duplicates(["entity", "year"])
            .rename(columns={"value": "leases"})[["entity", "year", "leases"]]
        )
        capex = capex.merge(leases, on=["entity", "year"], how="left")
        capex["leases_missing"] = capex["leases"].isna()
        capex["leases"] = capex["leases"].fillna(0.0)
    else:
        capex["leases"] = 0.0
        capex["leases_missing"] = False
    capex["value"] = capex["capex"] + capex["leases"]
    return capex.sort_values(["entity", "year"]).reset_index(drop=True)


def latest_complete_years(capex: pd.DataFrame, companies: list[str], count: int) -> list[int]:
    """The last `count` years for which every company has a figure."""
    per_company = capex.groupby("year")["entity"].nunique()
    complete = sorted(per_company[per_company == len(companies)].index)
    return [int(y) for y in complete[-count:]]


def to_base_year(
    values: pd.Series, years: pd.Series, index: pd.Series, base_year: int
) -> pd.Series:
    """Convert nominal values of the given years into `base_year` prices with an annual index.

    `index` is a Series indexed by year (e.g. CPI-U annual averages).
    """
    factors = index.loc[base_year] / index.reindex(years.to_numpy()).to_numpy()
    return values * factors


def spending_profile(
    total: float,
    first_year: int,
    last_year: int,
    shape: str,
    known: pd.Series | None = None,
) -> pd.Series:
    """Spread a nominal total over construction years: a Series indexed by year summing to total.

    shapes: "even" (equal nominal amounts each year); "known_then_even" (the `known` yearly
    amounts as shares of the total for the years they cover, the remainder spread evenly over the
    later years); "final_year" (everything in the last year: the cheapest possible conversion).
    """
    years = np.arange(first_year, last_year + 1)
    if shape == "even":
        return pd.Series(total / len(years), index=years)
    if shape == "final_year":
        return pd.Series(np.where(years == last_year, total, 0.0), index=years)
    if shape == "known_then_even":
        if known is None or known.empty:
            raise ValueError("known_then_even needs known yearly amounts")
        known = known[(known.index >= first_year) & (known.index <= last_year)]
        rest_years = years[years > known.index.max()]
        remainder = total - known.sum()
        if remainder < 0:
            raise ValueError("known yearly amounts exceed the total")
        profile = pd.Series(0.0, index=years)
        profile.loc[known.index] = known.to_numpy()
        profile.loc[rest_years] = remainder / len(rest_years)
        return profile
    raise ValueError(f"unknown spending profile shape {shape!r}")


def real_total(profile: pd.Series, index: pd.Series, base_year: int) -> float:
    """A nominal yearly profile expressed in base-year prices and summed."""
    return float(to_base_year(profile, pd.Series(profile.index), index, base_year).sum())
