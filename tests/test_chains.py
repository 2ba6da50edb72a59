"""The model reproduces the published headline numbers from the published inputs (all read from
`data/` as known with the latest data), and the chapter's data selection behaves on hand-checked
cases."""

import pandas as pd
import pytest

from aibet.claims import catalog, revenue
from aibet.claims import shortfall as sf
from aibet.data.evidence import Evidence, Store

LATEST = Evidence(catalog.latest_date())
PERCENT = 0.01


def figure(entity, metric, scale=1.0):
    return LATEST.value("revenue_chains", entity=entity, metric=metric) * scale


def test_sequoia_600b_question():
    entity = "sequoia_cahn_600b_2024"
    needed = revenue.sequoia_required_revenue(
        figure(entity, "nvidia_dc_runrate_revenue_forecast"),
        figure(entity, "gpu_share_of_dc_tco", PERCENT),
        figure(entity, "end_user_gross_margin_assumed", PERCENT),
    )
    assert needed == pytest.approx(figure(entity, "required_revenue"))


def test_sequoia_200b_question():
    entity = "sequoia_cahn_200b_2023"
    needed = revenue.sequoia_required_revenue(
        figure(entity, "nvidia_gpu_runrate_revenue"),
        1 / figure(entity, "dc_cost_multiplier_on_gpu"),
        figure(entity, "end_user_margin_assumed", PERCENT),
    )
    assert needed == pytest.approx(figure(entity, "required_lifetime_revenue_per_year_capex"))
    gap = revenue.sequoia_gap(needed, figure(entity, "assumed_ai_revenue"))
    assert gap == pytest.approx(figure(entity, "revenue_gap"))


def test_bain_2030_chain():
    needed = revenue.bain_required_revenue(
        figure("bain_2025", "capex_per_year_2030"),
        figure("bain_2025", "capex_to_revenue_ratio_implied", PERCENT),
    )
    assert needed == pytest.approx(figure("bain_2025", "required_revenue_2030"))
    shortfall = revenue.bain_shortfall(needed, figure("bain_2025", "fundable_revenue_2030_implied"))
    assert shortfall == pytest.approx(figure("bain_2025", "revenue_shortfall_2030"))


COLUMNS = ["entity", "metric", "period", "period_end", "period_months", "value", "source_id"]


def ai_rows(*items):
    """A hand-made ai_revenue table: (entity, metric, period, period_end, months, value, source,
    published) per row."""
    frame = pd.DataFrame([dict(zip([*COLUMNS, "published"], i, strict=True)) for i in items])
    return frame.assign(unit="USD bn")


def test_ai_revenue_takes_each_sellers_latest_rate_and_drops_stale_or_future_ones():
    rows = ai_rows(
        (
            "openai",
            "annualized_revenue_run_rate",
            "2025-06",
            "2025-06-30",
            1,
            10.0,
            "a",
            "2025-07-01",
        ),
        (
            "openai",
            "annualized_revenue_run_rate",
            "2025-08",
            "2025-08-31",
            1,
            12.0,
            "b",
            "2025-09-01",
        ),
        (
            "openai",
            "annualized_revenue_run_rate",
            "2026-01",
            "2026-01-31",
            1,
            20.0,
            "c",
            "2026-02-01",
        ),
        (
            "anthropic",
            "annualized_revenue_run_rate",
            "2023-12",
            "2023-12-31",
            1,
            0.1,
            "d",
            "2024-01-05",
        ),
        ("midjourney", "total_revenue", "CY2025", "2025-12-31", 12, 0.5, "e", "2025-01-01"),
    )
    picked = sf.ai_revenue(Evidence("2025-09-26", Store.of({"ai_revenue": rows})), "vendors")
    # OpenAI's August rate (January's was not yet public); Anthropic's is over a year old;
    # Midjourney's 2025 figure was a forecast on that date (the year had not ended).
    assert list(picked["entity"]) == ["openai"]
    assert picked["value"].sum() == pytest.approx(12.0)
    with pytest.raises(ValueError, match="definition must be one of"):
        sf.ai_revenue(Evidence("2025-09-26", Store.of({"ai_revenue": rows})), "everything")


def test_a_seller_without_a_run_rate_counts_with_its_last_completed_year():
    rows = ai_rows(
        ("midjourney", "total_revenue", "CY2024", "2024-12-31", 12, 0.3, "a", "2025-01-15"),
        ("midjourney", "total_revenue", "CY2025", "2025-12-31", 12, 0.5, "a", "2025-01-15"),
    )
    picked = sf.ai_revenue(Evidence("2025-09-26", Store.of({"ai_revenue": rows})), "vendors")
    assert list(picked["value"]) == [0.3]
    later = sf.ai_revenue(Evidence("2026-03-31", Store.of({"ai_revenue": rows})), "vendors")
    assert list(later["value"]) == [0.5]


def test_nvidia_fiscal_years_count_in_the_year_before():
    assert sf.fiscal_period("nvidia", 2024) == "FY2025"
    assert sf.fiscal_period("apple", 2024) == "FY2024"


def test_the_useful_life_range_agrees_with_the_data():
    # The grid's plausible lives: the shortest economic life argued for, the longest in force.
    low, high, _ = sf.PLAUSIBLE["useful_life_years"]
    assert sf.life_range(LATEST, sf.BIG_FOUR) == (low, high)
