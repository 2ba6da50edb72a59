"""A campus against its town and state, on hand-checked cases."""

import math

import pytest
from tests.conftest import figure_rows

from aibet.claims import local
from aibet.data.evidence import Evidence, NotYetPublic, Store

TOWN = figure_rows(
    ("town", "population", "CY2010", "2010-12-31", 12, 1394.0, "census10", "2011-03-01"),
    ("town", "population", "CY2020", "2020-12-31", 12, 1125.0, "census20", "2021-08-12"),
    ("town", "population", "CY2020", "2020-12-31", 12, 1126.0, "fix", "2022-05-01"),
    ("town", "population", "CY2026", "2026-12-31", 12, 1000.0, "website", "2022-06-01"),
).assign(
    unit="people",
    status=["reported", "reported", "reported", "estimate"],
    entity="ellendale",
)


def evidence(frame, as_of):
    return Evidence(as_of, Store.of({"ellendale": frame}))


def test_energy_of_a_campus():
    # 100 MW drawn all year is 876 GWh; at 80% of capacity on average, 700.8 GWh
    assert local.yearly_energy_gwh(100, 1.0) == pytest.approx(876.0)
    assert local.yearly_energy_gwh(100, 0.8) == pytest.approx(700.8)


def test_share_guards_a_missing_whole():
    assert local.share(5, 20) == 0.25
    assert math.isnan(local.share(5, 0))
    with pytest.raises(ValueError):
        local.ratio(5, 0)


def test_series_as_known_revised_and_counted_only():
    assert local.series(evidence(TOWN, "2021-12-31"), "ellendale", "population").to_dict() == {
        2010: 1394.0,
        2020: 1125.0,
    }
    # the correction wins; the website's 2026 projection is not a count
    assert local.latest_value(evidence(TOWN, "2026-01-01"), "ellendale", "population") == (
        1126.0,
        2020,
    )
    with pytest.raises(NotYetPublic):
        local.latest_value(evidence(TOWN, "2000-01-01"), "ellendale", "population")


def test_upper_bound_only_when_the_state_figure_is_older():
    assert local.upper_bound(2020, 2025).startswith("an upper bound")
    assert not local.upper_bound(2025, 2025).startswith("an upper bound")


CAMPUS = figure_rows(
    ("c", "capacity_mw_total_planned", "2024-03-31", "2024-03-31", 1, 400.0, "k", "2024-03-31"),
    ("c", "leased_mw", "2025-06-02", "2025-06-02", 1, 250.0, "pr", "2025-06-02"),
    ("c", "leased_mw", "2025-08-29", "2025-08-29", 1, 400.0, "pr2", "2025-08-29"),
    ("c", "capacity_mw_building_1", "2025-06-02", "2025-06-02", 1, 100.0, "pr", "2025-06-02"),
    ("c", "building_1_ready_planned", "CY2025Q4", "2025-12-31", 3, 1.0, "pr", "2025-06-02"),
    ("c", "building_1_ready_actual", "2025-11", "2025-11-30", 1, 1.0, "pr3", "2025-12-01"),
    ("c", "capacity_mw_operational", "2026-07-01", "2026-07-01", 1, 175.0, "pr4", "2026-07-01"),
).assign(
    entity=local.CAMPUS,
    unit=lambda f: f["metric"].map(lambda m: "event" if "ready" in m else "MW"),
)


def test_campus_steps_as_announced_and_in_service():
    steps = local.capacity_steps(evidence(CAMPUS, "2026-12-31"))
    service = steps[steps["series"] == "In service"]
    # building 1's 100 MW when it was reported ready, then the 175 MW reported in service
    assert service["mw"].tolist() == [100.0, 175.0]
    assert steps[steps["series"] == "Leased"]["mw"].tolist() == [250.0, 400.0]
    early = local.capacity_steps(evidence(CAMPUS, "2025-07-01"))
    assert early[early["series"] == "In service"].empty


def test_construction_under_way_until_every_building_is_finished():
    with pytest.raises(NotYetPublic):
        local.under_way(evidence(CAMPUS, "2025-01-01"), "2025-01-01")
    assert local.under_way(evidence(CAMPUS, "2025-06-02"), "2025-06-02")
    # building 1, the only one with dates, was finished on 30 November 2025
    known = evidence(CAMPUS, "2026-01-31")
    assert local.under_way(known, "2025-09-26")
    assert not local.under_way(known, "2025-12-31")
