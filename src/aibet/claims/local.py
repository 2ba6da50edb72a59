"""A data-center campus against its town and its state: people, jobs, money and power."""

from __future__ import annotations

import re

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


CAPACITY = {"it_load": "capacity_mw_total_planned", "gross": "power_approval_mw"}
"""A campus's size: the computing load it is planned for, or the whole power draw approved for
the site (cooling and the older facilities included)."""
CAPACITY_NAMES = {"it_load": "computing load", "gross": "the site's approved power draw"}
COST_BASES = {
    "developer": "investment_developer",
    "with_tenant_equipment": "investment_incl_tenant_equipment",
}
"""Investment counted: the developer's buildings, power and cooling, or also the tenant's servers."""
STEP_SERIES = {
    "capacity_mw_total_planned": "Planned",
    "leased_mw": "Leased",
    "in_service": "In service",
}
_READY = re.compile(r"building_(\d+)_ready_actual")


def under_way(figures: pd.DataFrame, entity: str, as_of: str | None) -> bool:
    """Whether any building of the campus had a construction or service date public on `as_of`."""
    rows = data.as_known(figures, as_of)
    rows = rows[(rows["entity"] == entity) & (rows["unit"] == "event")]
    return bool(rows["metric"].str.match(r"building_\d+_").any())


def capacity_steps(figures: pd.DataFrame, entity: str, as_of: str | None) -> pd.DataFrame:
    """The campus over time: planned and leased load as each was announced, and the load in
    service as buildings were reported ready (columns date, mw, series)."""
    rows = data.as_known(figures, as_of)
    rows = rows[rows["entity"] == entity]
    steps = []
    for metric in ("capacity_mw_total_planned", "leased_mw"):
        found = rows[rows["metric"] == metric].sort_values("published")
        steps += [
            {"date": pd.Timestamp(r.published), "mw": r.value, "series": STEP_SERIES[metric]}
            for r in found.itertuples()
        ]
    ready = []
    for r in (
        rows[rows["metric"].str.match(_READY)]
        .sort_values("period_end")
        .drop_duplicates("metric")
        .itertuples()
    ):
        building = _READY.match(r.metric).group(1)
        size = rows[rows["metric"] == f"capacity_mw_building_{building}"].sort_values("published")
        if not size.empty:
            ready.append((pd.Timestamp(r.period_end), float(size["value"].iloc[-1])))
    in_service = pd.Series(dtype=float)
    if ready:
        dates, sizes = zip(*sorted(ready), strict=True)
        in_service = pd.Series(np.cumsum(sizes), index=list(dates))
    reported = rows[rows["metric"] == "capacity_mw_operational"]
    for r in reported.itertuples():
        in_service[pd.Timestamp(r.period_end)] = max(
            r.value, in_service.max() if len(in_service) else 0
        )
    steps += [
        {"date": d, "mw": v, "series": STEP_SERIES["in_service"]}
        for d, v in in_service.sort_index().items()
    ]
    return pd.DataFrame(steps, columns=["date", "mw", "series"])


INFRASTRUCTURE = ("housing_homes", "housing_apartment_units", "transmission_line_cost")
"""Building tied to the project: housing for its workers and the power lines to serve it."""
NOTICEABLE = 0.05
"""Jobs promised at or above this share of the town's residents would change the town."""
