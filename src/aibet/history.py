"""Past investment manias on the AI build-out's scale: investment as a share of GDP, with every
estimate kept beside the others, and what an asset's life does to the revenue it must earn."""

from __future__ import annotations

import numpy as np
import pandas as pd

from aibet import revenue

SHARE = "investment_share_of_gdp"
"""A historian's or analyst's own estimate of investment as a share of GDP (percent)."""


def year_of(period_end: pd.Series) -> pd.Series:
    return pd.to_datetime(period_end).dt.year


def every_estimate(figures: pd.DataFrame, as_of: str | None) -> pd.DataFrame:
    """Figures public on `as_of`, keeping each source's own estimate of the same quantity (its
    latest revision): where sources disagree, the disagreement is the evidence."""
    rows = figures if as_of is None else figures[figures["published"] <= as_of]
    rows = rows.sort_values("published", kind="stable")
    return rows.drop_duplicates(["entity", "metric", "period", "source_id"], keep="last")


def gdp_by_year(gdp: pd.DataFrame, entity: str, metric: str, as_of: str | None) -> pd.DataFrame:
    """Every estimate of one economy's nominal GDP by year public on `as_of`: one row per year
    and source (columns year, value, source_id), the latest revision of each source."""
    rows = every_estimate(gdp, as_of)
    rows = rows[
        (rows["entity"] == entity) & (rows["metric"] == metric) & (rows["period_months"] == 12)
    ]
    rows = rows.assign(year=year_of(rows["period_end"]))
    return (
        rows[["year", "value", "source_id"]]
        .sort_values(["year", "source_id"])
        .reset_index(drop=True)
    )


def shares_of_gdp(investment: pd.DataFrame, gdp: pd.DataFrame) -> pd.DataFrame:
    """Investment over GDP (percent) for every pairing of an investment figure and a GDP
    estimate of the same year: disagreement between sources stays visible as several rows.

    `investment` has columns year, value, source_id (same unit as `gdp`'s value).
    """
    paired = investment.merge(gdp, on="year", suffixes=("", "_gdp"))
    paired["share"] = 100 * paired["value"] / paired["value_gdp"]
    return paired[["year", "value", "value_gdp", "share", "source_id", "source_id_gdp"]]


def reported_shares(figures: pd.DataFrame, entity: str, as_of: str | None) -> pd.DataFrame:
    """The shares of GDP that sources state themselves, with the years each covers."""
    rows = every_estimate(figures, as_of)
    rows = rows[(rows["entity"] == entity) & (rows["metric"] == SHARE)]
    last = year_of(rows["period_end"])
    first = last - (rows["period_months"] // 12).clip(lower=1) + 1
    return rows.assign(first=first, last=last)[["first", "last", "period", "value", "source_id"]]


def spread(values) -> dict:
    """Low, middle and high of a set of estimates (the middle is the median)."""
    values = np.asarray(list(values), dtype=float)
    if values.size == 0:
        return {"low": np.nan, "mid": np.nan, "high": np.nan, "n": 0}
    return {
        "low": values.min(),
        "mid": float(np.median(values)),
        "high": values.max(),
        "n": values.size,
    }


def yearly_capital_cost(useful_life, required_return):
    """What one dollar of assets costs a year in its first year: straight-line depreciation plus
    the required return on what is not yet written off (the revenue chapter's payback model)."""
    return revenue.payback_required_revenue([1.0], useful_life, required_return, 0.0, 0.0)
