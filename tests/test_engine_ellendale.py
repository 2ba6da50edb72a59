"""The Ellendale claims (ELL-1…ELL-3) on small hand-made evidence, and on the real data at every
date the book shows."""

import pandas as pd
import pytest

from aibet import PUBLICATION_DATE
from aibet.claims import catalog, engine, local, rubric
from aibet.data.evidence import Evidence, Store

CAMPUS, TOWN, STATE = local.CAMPUS, local.TOWN, local.STATE
VALUES = {
    "massive_mw": 100.0,
    "capacity_basis": "it_load",
    "load_factor": 1.0,
    "cost_base": "developer",
    "tolerance": 0.1,
}


def row(entity, metric, period_end, value, published, unit="MW", status="reported", **extra):
    return {
        "entity": entity,
        "metric": metric,
        "period": extra.pop("period", period_end),
        "period_end": period_end,
        "period_months": 1,
        "value": value,
        "unit": unit,
        "source_id": extra.pop("source_id", f"s_{metric}_{published}"),
        "published": published,
        "status": status,
        "locator": extra.pop("locator", ""),
        "note": extra.pop("note", ""),
    }


BASE = [
    row(CAMPUS, "capacity_mw_total_planned", "2024-03-31", 400.0, "2024-03-31"),
    row(CAMPUS, "electric_demand_max", "2025-06-30", 530.0, "2025-06-30"),
    row(CAMPUS, "building_1_ready_planned", "2025-12-31", 1.0, "2025-06-02", unit="event"),
    row(CAMPUS, "building_2_ready_planned", "2026-12-31", 1.0, "2025-08-29", unit="event"),
    row(CAMPUS, "capacity_mw_building_1", "2025-06-02", 100.0, "2025-06-02"),
    row(CAMPUS, "investment_developer", "2025-03-19", 5.0, "2025-03-19", unit="USD bn"),
    row(CAMPUS, "investment_incl_tenant_equipment", "2025-03-20", 20.0, "2025-03-20", "USD bn"),
    row(STATE, "gdp_nominal", "2020-12-31", 50.0, "2021-06-17", unit="USD bn"),
    row(STATE, "electricity_retail_sales", "2019-12-31", 20000.0, "2021-01-01", unit="GWh"),
    row(TOWN, "population", "2010-12-31", 1200.0, "2011-03-01", unit="people"),
    row(TOWN, "population", "2020-12-31", 1000.0, "2021-08-12", unit="people"),
    # a website's own projection: never read as a count
    row(TOWN, "population", "2026-12-31", 900.0, "2025-01-01", "people", status="estimate"),
    row(CAMPUS, "jobs_permanent", "2024-03-31", 100.0, "2024-03-31", unit="jobs"),
    row(CAMPUS, "housing_homes", "2024-11-30", 20.0, "2024-11-30", unit="units"),
    row(CAMPUS, "housing_apartment_units", "2025-03-19", 38.0, "2025-03-19", unit="units"),
    row(CAMPUS, "population_growth_expected_low", "2026-02-02", 500.0, "2026-02-02", "persons"),
    row(CAMPUS, "population_growth_expected_high", "2026-02-02", 700.0, "2026-02-02", "persons"),
    row(CAMPUS, "leased_mw", "2025-06-02", 250.0, "2025-06-02"),
    row(CAMPUS, "leased_mw", "2025-08-29", 400.0, "2025-08-29"),
    row(CAMPUS, "lease_term_years", "2025-06-02", 15.0, "2025-06-02", unit="years"),
    row(CAMPUS, "lease_contract_value", "2025-08-29", 11.0, "2025-08-29", unit="USD bn"),
    row(
        CAMPUS,
        "official_statement",
        "2023-11-03",
        1.0,
        "2023-11-03",
        unit="statement",
        locator="It's going to help strengthen our community",
        note="Mayor",
        source_id="paper_2023",
    ),
    row(
        CAMPUS,
        "official_statement",
        "2026-02-02",
        1.0,
        "2026-02-02",
        unit="statement",
        locator="Could it blow up in my face? Absolutely.",
        note="Mayor",
        source_id="radio_2026",
    ),
]


def store(rows=BASE, drop=(), add=()):
    frame = pd.DataFrame([r for r in [*rows, *add] if r["metric"] not in drop])
    ids = sorted(set(frame["source_id"]))
    sources = pd.DataFrame(
        {
            "source_id": ids,
            "grade": "A",
            "publisher": ["Radio (via a copy)" if s == "radio_2026" else "Paper" for s in ids],
        }
    )
    return Store.of({"ellendale": frame}, sources)


def judge(claim_id, as_of, data=None, **values):
    return engine.judge(
        engine.REGISTRY[claim_id], Evidence(as_of, data or store()), {**VALUES, **values}
    )


# --- the rule this chapter added to the rubric --------------------------------------------------


def test_fact_and_size_a_failed_fact_decides_whatever_the_size():
    assert rubric.fact_and_size_verdict(False, "accurate") == "mischaracterized"
    assert rubric.fact_and_size_verdict(False, "overstated") == "mischaracterized"
    assert rubric.fact_and_size_verdict(True, "overstated") == "overstated"
    assert rubric.fact_and_size_verdict(True, "roughly right") == "roughly right"


# --- ELL-1 --------------------------------------------------------------------------------------


def test_ell1_a_large_campus_under_construction_is_accurate():
    judged = judge("ELL-1", "2025-09-26")
    assert judged.verdict == "accurate"
    assert judged.value == 400.0
    assert "400 MW of computing load" in judged.reason
    assert "none of the 2 buildings" in judged.reason
    assert judged.facts["invest_share"] == pytest.approx(5.0 / 50.0)
    assert judged.facts["power_share"] == pytest.approx(400 * 8760 / 1000 / 20000)
    # the state figures are older than the campus's: the shares are upper bounds, said so
    assert judged.facts["invest_bound"].startswith("an upper bound")
    assert "2020" in judged.facts["invest_bound"] and "2025" in judged.facts["invest_bound"]


def test_ell1_figures_shown_beside_the_verdict_never_decide_it():
    """The investment and the state's figures are shown, not judged: one left out for want of a
    citable source (a line of gaps.csv) or not yet known leaves its facts blank, and the verdict
    stands. ELL-1 was once unsupported only because the investment with the tenant's servers,
    a cost base the default does not even count, is left out."""
    gaps = pd.DataFrame(
        [
            {"table": "ellendale", "entity": e, "metric": m, "period": "", "what": w}
            | {"published": "2020-01-01", "reason": "only an uncitable copy carries it"}
            for e, m, w in (
                (CAMPUS, "investment_incl_tenant_equipment", "the investment with servers"),
                (STATE, "electricity_retail_sales", "the state's electricity sales"),
            )
        ]
    )
    left_out = ("investment_incl_tenant_equipment", "electricity_retail_sales")
    data = store(drop=left_out)
    data._tables["gaps"] = gaps
    judged = judge("ELL-1", "2025-09-26", data=data)
    whole = judge("ELL-1", "2025-09-26")
    assert (judged.verdict, judged.value) == (whole.verdict, whole.value) == ("accurate", 400.0)
    assert judged.facts["invest_with_tenant"] is None and judged.facts["power_share"] is None
    assert judged.facts["invest_share"] == whole.facts["invest_share"]  # the developer's own
    # a figure the data does not hold at all, and no gap explains, is still a bug to fix
    with pytest.raises(engine.ClaimError, match="retail electricity sales"):
        judge("ELL-1", "2025-09-26", data=store(drop=left_out))


def test_ell1_bar_for_massive_at_and_beyond_the_tolerance():
    assert judge("ELL-1", "2025-09-26", massive_mw=400.0).verdict == "accurate"
    # 400 MW is 10% short of a 444 MW bar (the tolerance): roughly right
    assert judge("ELL-1", "2025-09-26", massive_mw=400 / 0.9).verdict == "roughly right"
    # 20% short (twice the tolerance): overstated, and the reason says how far
    short = judge("ELL-1", "2025-09-26", massive_mw=500.0)
    assert short.verdict == "overstated"
    assert "well short of the 500 MW" in short.reason


def test_ell1_capacity_basis_counts_the_whole_sites_demand():
    judged = judge("ELL-1", "2025-09-26", capacity_basis="gross", massive_mw=500.0)
    assert judged.value == 530.0 and judged.verdict == "accurate"
    assert local.STEP_SERIES[local.CAPACITY["gross"]] in set(judged.frame["series"])


def test_ell1_grid_over_bars_and_bases():
    judged = judge("ELL-1", "2025-09-26")
    # 400 MW fails only the 500 MW bar; 530 MW passes every bar: 11 of 12 points
    assert judged.robustness == pytest.approx(11 / 12)
    assert judged.confidence == "firm"


def test_ell1_a_campus_already_finished_was_not_being_built():
    finished = row(CAMPUS, "building_1_ready_actual", "2025-08-31", 1.0, "2025-09-01", "event")
    data = store(drop=("building_2_ready_planned",), add=(finished,))
    judged = judge("ELL-1", "2025-10-31", data)
    assert judged.verdict == "mischaracterized"
    assert "no longer being built" in judged.reason


def test_ell1_a_building_finished_after_the_article_was_still_being_built():
    later = row(CAMPUS, "building_1_ready_actual", "2025-11-30", 1.0, "2025-12-01", "event")
    data = store(drop=("building_2_ready_planned",), add=(later,))
    judged = judge("ELL-1", "2026-01-31", data)
    assert judged.verdict == "accurate"
    assert "on 26 September 2025 the one building" in judged.reason
    # in service from the day it was reported ready, with its announced size
    service = judged.frame[judged.frame["series"] == "In service"]
    assert service["mw"].tolist() == [100.0]


def test_ell1_before_any_building_had_a_date_is_unsupported_with_the_date():
    judged = judge("ELL-1", "2025-05-01")
    assert judged.verdict == "unsupported"
    assert "2025-06-02" in judged.reason and judged.value is None


def test_ell1_approved_draw_not_yet_public():
    judged = judge("ELL-1", "2025-06-15", capacity_basis="gross")
    assert judged.verdict == "unsupported" and "2025-06-30" in judged.reason


def test_ell1_missing_building_dates_are_a_bug():
    data = store(drop=("building_1_ready_planned", "building_2_ready_planned"))
    with pytest.raises(engine.ClaimError, match="no row in data/"):
        judge("ELL-1", "2025-09-26", data)


# --- ELL-2 --------------------------------------------------------------------------------------


def test_ell2_jobs_against_the_counted_population():
    judged = judge("ELL-2", PUBLICATION_DATE)
    assert judged.verdict == "accurate"
    assert judged.value == pytest.approx(10.0)  # 100 jobs for 1,000 residents (2020)
    # the 2026 projection (900, an estimate) is never read as a count
    assert judged.facts["population"] == "1,000" and judged.facts["census_year"] == "2020"
    assert judged.robustness == 1.0  # 10% clears every bar of the grid (2%, 5%, 10%)


def test_ell2_threshold_at_and_beyond_the_tolerance():
    jobs = [r for r in BASE if r["metric"] != "jobs_permanent"]

    def with_jobs(n):
        return store(jobs, add=(row(CAMPUS, "jobs_permanent", "2024-03-31", n, "2024-03-31"),))

    assert judge("ELL-2", PUBLICATION_DATE, with_jobs(50.0)).verdict == "accurate"  # 5%
    assert judge("ELL-2", PUBLICATION_DATE, with_jobs(45.0)).verdict == "roughly right"  # 4.5%
    short = judge("ELL-2", PUBLICATION_DATE, with_jobs(40.0))  # 4%: twice the tolerance short
    assert short.verdict == "overstated" and "well short of the 5%" in short.reason


def test_ell2_the_mayors_expectation_counts_only_from_the_day_it_was_said():
    before = judge("ELL-2", PUBLICATION_DATE)
    assert before.facts["expectation"] is None and "mayor" not in before.reason
    assert set(before.frame["series"]) == {"Residents (counts and official estimates)"}
    after = judge("ELL-2", "2026-02-28")
    assert after.facts["expectation"].startswith("500 to 700 more residents (up to 70% more)")
    assert "the mayor expected 500–700 more residents" in after.reason
    band = after.frame[after.frame["series"] == "Expected by the mayor"]
    assert band[["low", "high"]].iloc[0].tolist() == [1500.0, 1700.0]


def test_ell2_before_any_housing_is_unsupported_with_the_date():
    judged = judge("ELL-2", "2024-06-30")
    assert judged.verdict == "unsupported" and "2024-11-30" in judged.reason


def test_ell2_missing_housing_is_a_bug():
    with pytest.raises(engine.ClaimError, match="no row in data/"):
        judge("ELL-2", PUBLICATION_DATE, store(drop=local.HOUSING))


# --- ELL-3 --------------------------------------------------------------------------------------


def test_ell3_a_worry_is_context_with_the_exposure_shown():
    judged = judge("ELL-3", "2026-03-31")
    assert judged.verdict == "context" and judged.robustness is None
    assert judged.value == pytest.approx(100.0)
    assert "one tenant leases 100% of the campus's planned load for about 15 years" in (
        judged.reason
    )
    assert judged.frame["date"].tolist() == ["2023-11-03", "2026-02-02"]
    assert judged.frame["reported_by"].tolist() == ["Paper", "Radio"]
    assert judged.facts["last_statement"] == "2 February 2026"


def test_ell3_before_a_lease_the_exposure_says_so():
    judged = judge("ELL-3", "2025-03-31")
    assert judged.verdict == "context" and judged.value is None
    assert "no tenant had signed a lease yet" in judged.reason
    assert judged.facts["tenant_share"] is None
    assert judge("ELL-3", "2025-07-01").value == pytest.approx(62.5)  # 250 of 400 MW


def test_ell3_statements_not_yet_public_or_missing():
    early = judge("ELL-3", "2023-06-30")
    assert early.verdict == "unsupported" and "2023-11-03" in early.reason
    with pytest.raises(engine.ClaimError, match="no row in data/"):
        judge("ELL-3", "2025-09-26", store(drop=("official_statement",)))


# --- the real data --------------------------------------------------------------------------------


def test_every_ellendale_claim_evaluates_on_the_real_data_at_every_date():
    book = catalog.Book({"ellendale": VALUES})
    dates = [
        "2019-01-01",
        "2023-06-30",
        *engine.month_ends(engine.TIMELINE_START, catalog.latest_date()),
        "latest",
    ]
    for claim in catalog.claims("ellendale"):
        for day in dates:
            judged = book.judge(claim, day)
            assert judged.verdict in rubric.VERDICTS, (claim.id, day)
            assert judged.reason.strip()
