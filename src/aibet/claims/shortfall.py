"""Data selection for the revenue-shortfall chapter: published chain inputs, company revenue by
reporting year, Nvidia's data-center revenue, and bottom-up estimates of AI product revenue."""

from __future__ import annotations

import pandas as pd

from aibet import data
from aibet.claims import models
from aibet.claims.investment import BIG_FOUR

SIX = ("amazon", "apple", "alphabet", "microsoft", "nvidia", "meta")

RUN_RATE_METRICS = ("annualized_revenue_run_rate", "ai_revenue_run_rate", "aws_ai_revenue_run_rate")
"""Metrics that state a seller's annualised AI revenue at a point in time."""

DEFINITIONS = {
    "model_makers": ("openai", "anthropic"),
    "vendors": (
        "openai",
        "anthropic",
        "microsoft",
        "amazon",
        "anysphere_cursor",
        "perplexity",
        "midjourney",
    ),
}
"""Who counts as selling AI products. `vendors` adds the clouds' own AI run-rates (Microsoft's
includes the Azure OpenAI service it sells) and app makers; some of their revenue is paid on to
the model makers, so it double counts a little. xAI is left out: its only revenue figure folds in
X's advertising."""
DEFINITION_NAMES = (*DEFINITIONS, "spending")
"""Every definition of AI product revenue `ai_revenue` accepts."""
SPENDING = (
    ("consumer_ai_global", "consumer_spending"),
    ("enterprise_genai_us", "enterprise_spending"),
)
"""The buyers' side: consumers' and U.S. enterprises' spending on generative AI (surveys)."""
SELLER_NAMES = {
    "openai": "OpenAI",
    "anthropic": "Anthropic",
    "microsoft": "Microsoft (AI run-rate)",
    "amazon": "AWS (AI run-rate)",
    "anysphere_cursor": "Cursor",
    "perplexity": "Perplexity",
    "midjourney": "Midjourney",
    "consumer_ai_global": "Consumers (Menlo Ventures survey)",
    "enterprise_genai_us": "U.S. enterprises (Menlo Ventures survey)",
}
MAX_AGE_DAYS = 400
"""A run-rate older than this on the reference date is too stale to count as current."""


def reporting_year(period_end: pd.Series) -> pd.Series:
    """The calendar year a fiscal year is counted in: the year it ends in, or the year before
    when it ends in January (Nvidia's fiscal 2025 ended on 26 January 2025: its "2024")."""
    return (pd.to_datetime(period_end) - pd.Timedelta(days=31)).dt.year


def latest(figures: pd.DataFrame, entity: str, metric: str, as_of: str | None) -> pd.Series:
    """The latest row of one figure public on `as_of`; a clear error when there is none."""
    rows = data.as_known(figures, as_of)
    rows = rows[(rows["entity"] == entity) & (rows["metric"] == metric)]
    if rows.empty:
        raise LookupError(f"no {entity} {metric} published by {as_of or 'now'}")
    return rows.sort_values(["published", "period_end"]).iloc[-1]


def published_or(value, figures, entity: str, metric: str, as_of: str | None, scale=1.0) -> float:
    """A parameter that may say 'published': then the source's own figure (times `scale`)."""
    if value == "published":
        return float(latest(figures, entity, metric, as_of)["value"]) * scale
    return float(value)


def company_revenue(figures: pd.DataFrame, companies, year: int, as_of: str | None) -> pd.DataFrame:
    """Each company's total revenue for the fiscal year counted in `year`, as known on `as_of`."""
    rows = data.as_known(figures, as_of)
    rows = rows[(rows["metric"] == "total_revenue") & (rows["period_months"] == 12)].copy()
    rows["year"] = reporting_year(rows["period_end"])
    chosen = rows[(rows["year"] == year) & rows["entity"].isin(list(companies))]
    return chosen.sort_values("entity").reset_index(drop=True)


def combined(revenue: pd.DataFrame, companies) -> float:
    """Sum of `company_revenue` rows; NaN when a company has no figure."""
    if set(companies) - set(revenue["entity"]):
        return float("nan")
    return float(revenue["value"].sum())


def nvidia_data_center(figures: pd.DataFrame, as_of: str | None) -> pd.DataFrame:
    """Nvidia's data-center revenue by fiscal quarter as known on `as_of`, oldest first."""
    rows = data.as_known(figures, as_of)
    rows = rows[
        (rows["entity"] == "nvidia")
        & (rows["metric"] == "data_center_revenue")
        & (rows["period_months"] == 3)
    ]
    return rows.sort_values("period_end").reset_index(drop=True)


def nvidia_calendar_total(quarters: pd.DataFrame, years) -> float:
    """Data-center revenue of the Nvidia fiscal years counted in `years` (fiscal 2025, which
    ended in January 2025, counts as 2024); NaN if any of their quarters is missing."""
    counted_in = quarters["period"].str.slice(2, 6).astype(int) - 1
    chosen = quarters[counted_in.isin(list(years))]
    if len(chosen) != 4 * len(list(years)):
        return float("nan")
    return float(chosen["value"].sum())


def ai_revenue(figures: pd.DataFrame, definition: str, as_of: str | None) -> pd.DataFrame:
    """Bottom-up AI product revenue as known on `as_of`: one row per seller (or survey).

    Sellers: each one's latest annualised run-rate, or, for a seller that reports only yearly
    revenue, its last completed year; anything older than MAX_AGE_DAYS on the reference date is
    dropped. `spending` instead sums the latest consumer and enterprise spending surveys.
    """
    known = data.as_known(figures, as_of)
    reference = pd.Timestamp(as_of) if as_of else pd.Timestamp(known["published"].max())
    if definition == "spending":
        picks = [
            latest(known, entity, metric, None)
            for entity, metric in SPENDING
            if ((known["entity"] == entity) & (known["metric"] == metric)).any()
        ]
        return pd.DataFrame(picks).reset_index(drop=True)
    if definition not in DEFINITIONS:
        raise ValueError(f"definition must be one of {list(DEFINITION_NAMES)}, got {definition!r}")
    ends = pd.to_datetime(known["period_end"])
    rates = known[known["metric"].isin(RUN_RATE_METRICS)]
    years = known[
        (known["metric"] == "total_revenue")
        & (known["period_months"] == 12)
        & (ends <= reference)  # a completed year, not a forecast
    ]
    picks = []
    for seller in DEFINITIONS[definition]:
        own = rates[rates["entity"] == seller]
        if own.empty:
            own = years[years["entity"] == seller]
        if own.empty:
            continue
        row = own.sort_values(["period_end", "published"]).iloc[-1]
        if (reference - pd.Timestamp(row["period_end"])).days <= MAX_AGE_DAYS:
            picks.append(row)
    return pd.DataFrame(picks).reset_index(drop=True)


def policy_lives(lives: pd.DataFrame, companies, as_of: str | None) -> pd.DataFrame:
    """Each company's server useful life from each change's effective date, as known on `as_of`."""
    rows = data.as_known(lives, as_of)
    rows = rows[
        (rows["metric"] == "server_useful_life_years") & rows["entity"].isin(list(companies))
    ]
    rows = rows[rows["period"].str.startswith("from-")]
    return rows.sort_values(["entity", "period_end"]).reset_index(drop=True)


def life_range(lives: pd.DataFrame, companies, as_of: str | None) -> tuple[float, float]:
    """Plausible useful lives of AI servers: from the shortest economic life analysts argue for
    to the longest life in force in the companies' accounting."""
    known = data.as_known(lives, as_of)
    claims = known[known["metric"] == "gpu_economic_life_claim_years"]["value"]
    in_force = policy_lives(lives, companies, as_of).groupby("entity")["value"].last()
    return float(claims.min()), float(in_force.max())


PLAUSIBLE = {
    "required_return": (
        0.06,
        0.12,
        "a cost of capital between a bond-like 6% and an equity-like 12%",
    ),
    "operating_share": (
        0.1,
        0.3,
        "power, cooling and staff as a tenth to three tenths of yearly cost",
    ),
    "end_user_margin": (0.3, 0.6, "software-like margins for AI sellers, around Sequoia's 50%"),
    "ai_share_of_capex": (
        0.3,
        1.0,
        "no company splits its capex by purpose; from under a third to all",
    ),
    "accelerator_share": (0.4, 0.6, "around Sequoia's half for chips in a data center's cost"),
}
"""Judgement ranges (not data) for the model's assumptions; each says why. They span the
robustness grids, the tornado chart and the benchmark. The useful life's range comes from data
(`life_range`)."""


def capex_to_revenue_ratios(
    capex_history: pd.DataFrame, revenue: pd.DataFrame, year: int
) -> pd.Series:
    """Each company's capex as a share of its revenue in `year` (both per company, same year)."""
    spent = capex_history[capex_history["year"] == year].set_index("entity")["value"]
    earned = revenue.set_index("entity")["value"]
    return (spent / earned).dropna()


def yearly_totals(capex_history: pd.DataFrame, companies) -> pd.Series:
    """Capex summed over `companies` for each year in which every one of them has a figure."""
    complete = capex_history.groupby("year")["entity"].nunique() == len(list(companies))
    totals = capex_history.groupby("year")["value"].sum()
    return totals[complete[complete].index]


def capex_stock(capex: pd.DataFrame, as_of: str | None) -> pd.Series:
    """The four largest spenders' capex by fiscal year, as known on `as_of`, oldest first.

    Fiscal years (Microsoft's end in June): its calendar years cannot be rebuilt before 2023, and
    depreciation needs every year still on the books. Finance leases count where reported.
    """
    known = models.annual_capex(data.as_known(capex, as_of), BIG_FOUR, "fiscal", True)
    return yearly_totals(known, BIG_FOUR)


def quote_says(quote: str, horizon: str) -> bool:
    """Whether a source's own wording carries the article's time horizon (e.g. "two years")."""
    return horizon.lower() in quote.lower()
