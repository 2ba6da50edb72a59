"""Past investment manias on the AI build-out's scale: investment as a share of GDP, with every
estimate kept beside the others, and what an asset's life does to the revenue it must earn."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from aibet import data
from aibet.claims import revenue

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

    `investment` has columns year, value and sources (a list of source ids); `gdp` has year,
    value and source_id, in the same unit. The result's sources name both.
    """
    economy = gdp.rename(columns={"value": "value_gdp", "source_id": "source_id_gdp"})
    paired = investment[["year", "value", "sources"]].merge(economy, on="year")
    paired["share"] = 100 * paired["value"] / paired["value_gdp"]
    paired["sources"] = [
        [*ids, gdp_id]
        for ids, gdp_id in zip(paired["sources"], paired["source_id_gdp"], strict=True)
    ]
    return paired[["year", "value", "value_gdp", "share", "sources"]]


def reported_shares(
    figures: pd.DataFrame, line: tuple[str, str], as_of: str | None
) -> pd.DataFrame:
    """The shares of GDP that sources state themselves for one (entity, metric), with the first
    and last year each covers."""
    rows = estimates(figures, [line], as_of)
    last = year_of(rows["period_end"])
    first = last - (rows["period_months"] // 12).clip(lower=1) + 1
    return rows.assign(first=first, last=last)[["first", "last", "period", "value", "source_id"]]


def spread(values) -> dict:
    """Low, middle and high of a set of estimates (the middle is the median)."""
    values = np.asarray(list(values), dtype=float)
    if values.size == 0:
        return {"low": np.nan, "mid": np.nan, "high": np.nan, "n": 0}
    return {
        "low": float(values.min()),
        "mid": float(np.median(values)),
        "high": float(values.max()),
        "n": values.size,
    }


def yearly_capital_cost(useful_life, required_return):
    """What one dollar of assets costs a year in its first year: straight-line depreciation plus
    the required return on what is not yet written off (the revenue chapter's payback model)."""
    return revenue.payback_required_revenue([1.0], useful_life, required_return, 0.0, 0.0)


ASSET_LIVES = {
    "fiber": [("fiber_cable", "asset_life")],
    "rail": [("us_railroads", "asset_life_track"), ("us_railroads", "asset_life_structures")],
}
"""Where the data holds each contrast asset's life: the estimates that make its range."""
ASSET_NAMES = {
    ("fiber_cable", "asset_life"): "Fiber cable",
    ("us_railroads", "asset_life_track"): "Railroad track",
    ("us_railroads", "asset_life_structures"): "Railroad structures",
}
IN_USE = [("us_fiber", "share_fiber_lit"), ("us_fiber", "capacity_utilisation")]
"""Estimates of how much of the fiber or its capacity was in use after the bust (percent)."""
OVERCAPACITY = 50.0
"""Less than half in use: the capacity built ran far ahead of what was used."""


def estimates(figures: pd.DataFrame, lines, as_of: str | None) -> pd.DataFrame:
    """Every source's estimate for any of `lines` ((entity, metric) pairs) public on `as_of`."""
    rows = every_estimate(figures, as_of)
    wanted = pd.MultiIndex.from_tuples(lines, names=["entity", "metric"])
    keys = pd.MultiIndex.from_frame(rows[["entity", "metric"]])
    return rows[keys.isin(wanted)].reset_index(drop=True)


def ai_capex_by_year(capex: pd.DataFrame, companies, as_of: str | None) -> pd.DataFrame:
    """The companies' capex (finance leases included) by calendar year where all have a figure:
    columns year, value (USD bn), sources (the documents behind all the companies' rows)."""
    from aibet.claims import models
    from aibet.claims.shortfall import yearly_totals

    known_rows = data.as_known(capex, as_of)
    known = models.annual_capex(known_rows, list(companies), "calendar", True)
    totals = yearly_totals(known, companies)
    ids = data.source_ids(known_rows[known_rows["entity"].isin(list(companies))])
    return pd.DataFrame(
        {"year": totals.index, "value": totals.to_numpy(), "sources": [ids] * len(totals)}
    )


COMPUTED = "computed: investment ÷ GDP"
STATED = "stated by a source"


@dataclass(frozen=True)
class Episode:
    """Where the data holds one mania's investment, the GDP it is set against, and the shares of
    GDP sources state for it. `span` is the boom's years (stated shares outside it are left out);
    `years` limits the computed shares (None: all; "last": the latest)."""

    name: str
    span: tuple[int, int]
    stated: tuple[str, str]
    investment: tuple[str, str] | None = None
    gdp: tuple[str, str] | None = None
    years: tuple[int, ...] | str | None = None


AI = ("ai", "capex")
"""Stands for the four companies' capex by calendar year (see `ai_capex_by_year`)."""
EPISODES = (
    Episode(
        "U.K. railways, 1840s",
        (1843, 1850),
        ("uk_railways", SHARE),
        ("uk_railways", "investment"),
        ("uk", "gdp_nominal_historical"),
    ),
    Episode("U.S. railroads, 1860s–1880s", (1860, 1893), ("us_railroads", SHARE)),
    Episode(
        "U.S. telecom, 2000",
        (1996, 2002),
        ("comparisons", "telecom_capex_share_of_gdp_peak"),
        ("us_telecom", "capex"),
        ("us", "gdp_nominal"),
        (2000,),
    ),
    Episode(
        "AI build-out, latest year",
        (2023, 9999),  # still running
        ("comparisons", "ai_capex_share_of_gdp"),
        AI,
        ("us", "gdp_nominal"),
        "last",
    ),
)


def episode_shares(
    episode: Episode, gdp: pd.DataFrame, manias: pd.DataFrame, ai: pd.DataFrame, as_of: str | None
) -> pd.DataFrame:
    """One episode's estimates of investment as a share of GDP (percent): computed for each
    pairing of an investment and a GDP source, and stated by sources. Columns episode, share,
    how, label, sources (a list of source ids)."""
    rows = []
    if episode.investment is not None:
        if episode.investment == AI:
            investment = ai
        else:
            found = estimates(manias, [episode.investment], as_of)
            investment = found.assign(
                year=year_of(found["period_end"]), sources=found["source_id"].map(lambda s: [s])
            )
        if episode.years == "last" and not investment.empty:
            investment = investment[investment["year"] == investment["year"].max()]
        elif episode.years is not None:
            investment = investment[investment["year"].isin(episode.years)]
        computed = shares_of_gdp(investment, gdp_by_year(gdp, *episode.gdp, as_of))
        rows += [
            {
                "episode": episode.name,
                "share": r.share,
                "how": COMPUTED,
                "label": str(r.year),
                "sources": r.sources,
            }
            for r in computed.itertuples()
        ]
    stated = reported_shares(manias, episode.stated, as_of)
    low, high = episode.span
    for r in stated[(stated["last"] >= low) & (stated["first"] <= high)].itertuples():
        rows.append(
            {
                "episode": episode.name,
                "share": r.value,
                "how": STATED,
                "label": r.period,
                "sources": [r.source_id],
            }
        )
    return pd.DataFrame(rows, columns=["episode", "share", "how", "label", "sources"])
