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
    # A few hundred rows at most, judged at every date and grid point: plain Python here is
    # twenty times quicker than the same steps on small frames.
    wanted = set(companies)
    columns = ["entity", "metric", "period_end", "period_months", "value"]
    rows = [r for r in zip(*(figures[c].tolist() for c in columns), strict=True) if r[0] in wanted]
    annual = [(e, m, int(end[:4]), v) for e, m, end, months, v in rows if months == 12]
    quarters = [(e, m, int(end[:4]), v) for e, m, end, months, v in rows if months == 3]
    december_years = {e for e, _, end, months, _ in rows if months == 12 and end.endswith("-12-31")}

    def yearly(metric: str) -> list[tuple[str, int, float]]:
        """(entity, year, value) of `metric`, in the order the rows come."""
        years = [(e, y, v) for e, m, y, v in annual if m == metric]
        if basis == "fiscal":
            return years
        summed: dict[tuple[str, int], list[float]] = {}
        for e, m, y, v in quarters:
            if m == metric and e not in december_years:
                summed.setdefault((e, y), []).append(v)
        offset = [(e, y, sum(vs)) for (e, y), vs in sorted(summed.items()) if len(vs) == 4]
        return [(e, y, v) for e, y, v in years if e in december_years] + offset

    capex = yearly(CAPEX)
    if include_finance_leases:
        leases: dict[tuple[str, int], float] = {}
        for metric in FINANCE_LEASE_METRICS:  # the first metric a company reports for a year
            for e, y, v in yearly(metric):
                leases.setdefault((e, y), v)
        lease = [leases.get((e, y)) for e, y, _ in capex]
    else:
        lease = [0.0] * len(capex)
    rows = sorted(  # by company and year; a stable sort, as the rows came on a tie
        zip(capex, lease, strict=True), key=lambda row: (row[0][0], row[0][1])
    )
    spent = np.array([v for (_, _, v), _ in rows], dtype="float64")
    leases = np.array([0.0 if x is None else x for _, x in rows], dtype="float64")
    return pd.DataFrame(
        {
            "entity": pd.Series([e for (e, _, _), _ in rows], dtype=figures["entity"].dtype),
            "year": pd.Series([y for (_, y, _), _ in rows], dtype="int64"),
            "capex": spent,
            "leases": leases,
            "leases_missing": np.array([x is None for _, x in rows], dtype=bool),
            "value": spent + leases,
        }
    )


def latest_complete_years(capex: pd.DataFrame, companies: list[str], count: int) -> list[int]:
    """The last `count` years for which every company has a figure."""
    who: dict[int, set] = {}
    for entity, year in zip(capex["entity"], capex["year"], strict=True):
        who.setdefault(int(year), set()).add(entity)
    complete = sorted(year for year, entities in who.items() if len(entities) == len(companies))
    return complete[-count:]


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
