"""Manias on one scale, on hand-checked cases: shares of GDP with every source kept, ranges,
and the yearly cost of assets with short and long lives."""

import pandas as pd
import pytest
from tests.conftest import figure_rows

from aibet.claims import history
from aibet.data.evidence import Evidence, Store

GDP = figure_rows(
    ("uk", "gdp_nominal_historical", "CY1847", "1847-12-31", 12, 670.0, "pf", "2020-01-01"),
    ("uk", "gdp_nominal_historical", "CY1847", "1847-12-31", 12, 550.0, "ch", "1999-01-01"),
    ("uk", "gdp_nominal_historical", "CY1848", "1848-12-31", 12, 651.0, "pf", "2020-01-01"),
).assign(unit="GBP m")
RAIL = figure_rows(
    (
        "uk_railways",
        "investment_share_of_gdp",
        "CY1847",
        "1847-12-31",
        12,
        7.0,
        "odl",
        "2010-01-01",
    ),
    (
        "uk_railways",
        "investment_share_of_gdp",
        "CY1845-1849",
        "1849-12-31",
        60,
        4.5,
        "blog",
        "2008-01-01",
    ),
).assign(unit="percent")
STORE = Store.of({"gdp": GDP, "manias": RAIL})


def test_every_gdp_source_gives_its_own_share():
    gdp = history.gdp_by_year(Evidence("2026-01-01", STORE), "uk", "gdp_nominal_historical")
    investment = pd.DataFrame({"year": [1847], "value": [40.0], "sources": [["odl"]]})
    shares = history.shares_of_gdp(investment, gdp)
    assert sorted(shares["share"].round(2)) == [5.97, 7.27]  # 40/670 and 40/550
    # as known in 2000, only the earlier source's GDP existed
    early = history.gdp_by_year(Evidence("2000-01-01", STORE), "uk", "gdp_nominal_historical")
    assert early["value"].tolist() == [550.0]


def test_reported_shares_keep_the_years_they_cover():
    ev = Evidence("2026-01-01", STORE)
    shares = history.reported_shares(ev, ("uk_railways", history.SHARE)).sort_values("first")
    assert shares[["first", "last", "value"]].values.tolist() == [
        [1845, 1849, 4.5],
        [1847, 1847, 7.0],
    ]


def test_spread_of_estimates():
    assert history.spread([4.5, 7.0, 5.97]) == {"low": 4.5, "mid": 5.97, "high": 7.0, "n": 3}
    assert history.spread([])["n"] == 0


def test_short_lives_cost_more_each_year():
    # five years: 1/5 written off plus 8% on the 4/5 left; fifty years: 1/50 plus 8% on 49/50
    assert history.yearly_capital_cost(5.0, 0.08) == pytest.approx(0.2 + 0.08 * 0.8)
    assert history.yearly_capital_cost(50.0, 0.08) == pytest.approx(0.02 + 0.08 * 0.98)
