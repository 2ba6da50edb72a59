"""A data-center campus against its town and its state: people, jobs, money and power."""

from __future__ import annotations

import numpy as np
import pandas as pd

from aibet import data

HOURS_PER_YEAR = 8760


def yearly_energy_gwh(capacity_mw, load_factor):
    """Electricity a campus of `capacity_mw` draws in a year at an average `load_factor`."""
    return (
        np.asarray(capacity_mw, dtype=float)
        * np.asarray(load_factor, dtype=float)
        * HOURS_PER_YEAR
        / 1000
    )


def share(part, whole):
    """`part` as a share of `whole` (NaN when the whole is missing or zero)."""
    whole = np.asarray(whole, dtype=float)
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(whole > 0, np.asarray(part, dtype=float) / whole, np.nan)


def series(figures: pd.DataFrame, entity: str, metric: str, as_of: str | None) -> pd.Series:
    """One figure by year (the latest revision public on `as_of`), indexed by year."""
    rows = data.as_known(figures, as_of)
    rows = rows[(rows["entity"] == entity) & (rows["metric"] == metric)]
    years = pd.to_datetime(rows["period_end"]).dt.year
    return (
        rows.assign(year=years).sort_values(["year", "published"]).groupby("year")["value"].last()
    )


def latest_value(
    figures: pd.DataFrame, entity: str, metric: str, as_of: str | None
) -> tuple[float, int | None]:
    """The most recent year's value of one figure public on `as_of`, and that year."""
    values = series(figures, entity, metric, as_of)
    if values.empty:
        return float("nan"), None
    return float(values.iloc[-1]), int(values.index[-1])
