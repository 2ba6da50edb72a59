"""A campus against its town and state, on hand-checked cases."""

import math

import pytest
from tests.conftest import figure_rows

from aibet import local

TOWN = figure_rows(
    ("town", "population", "CY2010", "2010-12-31", 12, 1394.0, "census10", "2011-03-01"),
    ("town", "population", "CY2020", "2020-12-31", 12, 1125.0, "census20", "2021-08-12"),
    ("town", "population", "CY2020", "2020-12-31", 12, 1126.0, "fix", "2022-05-01"),
)


def test_energy_of_a_campus():
    # 100 MW drawn all year is 876 GWh; at 80% of capacity on average, 700.8 GWh
    assert local.yearly_energy_gwh(100, 1.0) == pytest.approx(876.0)
    assert local.yearly_energy_gwh(100, 0.8) == pytest.approx(700.8)


def test_share_guards_a_missing_whole():
    assert local.share(5, 20) == 0.25
    assert math.isnan(local.share(5, 0))


def test_series_as_known_and_revised():
    assert local.series(TOWN, "town", "population", "2021-12-31").to_dict() == {
        2010: 1394.0,
        2020: 1125.0,
    }
    assert local.latest_value(TOWN, "town", "population", None) == (1126.0, 2020)
    assert math.isnan(local.latest_value(TOWN, "town", "population", "2000-01-01")[0])
