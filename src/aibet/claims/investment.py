"""The investment-scale claims (INV-1…INV-5) as functions of data and parameters.

Each function takes the figures as known on some date, so the same code gives the value at
publication and the latest value, and the robustness grid just calls it again.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from aibet import data
from aibet.claims import engine, models, rubric
from aibet.data.evidence import Evidence

BIG_FOUR = ["microsoft", "alphabet", "amazon", "meta"]
INTERSTATE_YEARS = (1956, 1991)
"""Construction years covered by the 1991 Interstate Cost Estimate (FHWA)."""


def cutoff(as_of: str) -> str | None:
    """The `as_of` parameter as a date filter: None means every figure in `data/`."""
    return None if as_of == "latest" else as_of


@dataclass
class CapexWindow:
    years: list[int]
    by_company: pd.DataFrame  # entity, year, capex, leases, value (nominal USD bn)
    total: float  # nominal USD bn
    real_total: float  # base-year USD bn
    source_ids: list[str]  # documents behind the rows in the window

    @property
    def label(self) -> str:
        """'2023–2025', or a plain statement that the data cannot fill the window."""
        return (
            f"{self.years[0]}–{self.years[-1]}" if self.years else "no complete window in our data"
        )


def capex_window(
    capex_figures: pd.DataFrame,
    cpi: pd.Series,
    as_of: str | None,
    companies: list[str],
    basis: str,
    include_finance_leases: bool,
    window_years: int,
    price_base_year: int,
) -> CapexWindow:
    """INV-1: capex over the last `window_years` complete years as known on `as_of`."""
    known = data.as_known(capex_figures, as_of)
    annual = models.annual_capex(known, companies, basis, include_finance_leases)
    years = models.latest_complete_years(annual, companies, window_years)
    if len(years) < window_years:  # the data cannot fill the window: no total, not a shorter one
        years = []
    window = annual[annual["year"].isin(years)].copy()
    total = models.window_total(annual, companies, years) if years else float("nan")
    window["real"] = models.to_base_year(window["value"], window["year"], cpi, price_base_year)
    in_window = known[
        known["entity"].isin(companies)
        & known["period_end"].str.slice(0, 4).astype(int).isin(years)
    ]
    real = float(window["real"].sum()) if years else float("nan")
    return CapexWindow(years, window, total, real, sorted(set(in_window["source_id"])))


CHAPTER = "investment-scale"
WINDOW_GRID = {
    "companies": [BIG_FOUR, [*BIG_FOUR, "oracle"]],
    "year_basis": ["fiscal", "calendar"],
    "include_finance_leases": [True, False],
}
"""The plausible readings of "major U.S. tech companies … over the past three years"."""
WINDOW_LABELS = {
    "companies": {tuple(BIG_FOUR): "the four companies", (*BIG_FOUR, "oracle"): "Oracle added"},
    "year_basis": {"fiscal": "fiscal years", "calendar": "calendar years"},
    "include_finance_leases": {True: "finance leases counted", False: "finance leases left out"},
}


def known_capex_window(
    ev: Evidence,
    companies: list[str],
    year_basis: str,
    include_finance_leases: bool,
    window_years: int,
) -> tuple[list[int], pd.DataFrame]:
    """The last `window_years` years every company has a capex figure for, as known on the
    evidence's date, and the yearly capex of every known year (entity, year, capex, leases,
    value). Not yet public when the data cannot fill the window on that date."""
    known = ev.rows("capex", entity=companies)
    annual = models.annual_capex(known, companies, year_basis, include_finance_leases)
    years = models.latest_complete_years(annual, companies, window_years)
    if len(years) < window_years:
        ev.missing(
            "capex",
            f"a complete {window_years}-year window of capex for {company_names(companies)}",
            entity=companies,
            metric=models.CAPEX,
        )
    return years, annual


@engine.claim(
    id="INV-1",
    chapter=CHAPTER,
    text="Big Tech invested more than $1 trillion in AI over the past three years",
    article_value=1000.0,
    unit="USD bn",
    comparator=">",
    params=("companies", "year_basis", "include_finance_leases", "window_years", "tolerance"),
    grid=WINDOW_GRID,
    labels=WINDOW_LABELS,
    facts={
        "total": "USD bn",
        "years": None,
        "share_of_trillion": "share",
        "who": None,
        "missing_leases": None,
    },
)
def inv1_trillion(ev: Evidence, p) -> engine.Outcome:
    """All capital expenditure of the companies over the window against $1,000 bn: an upper
    bound for their AI spending (it also pays for warehouses, offices, ordinary servers)."""
    years, annual = known_capex_window(
        ev, p.companies, p.year_basis, p.include_finance_leases, p.window_years
    )
    total = float(annual.loc[annual["year"].isin(years), "value"].sum())
    verdict = rubric.numeric_verdict(total, 1000.0, ">", p.tolerance)
    span = f"{years[0]}–{years[-1]}"
    reason = (
        f"All capital spending of {company_names(p.companies)}, AI or not, came to"
        f" ${total:,.0f} bn in {span}, {comparison(total, 1000.0)} the article's $1,000 bn"
    )
    frame = annual.assign(
        company=annual["entity"].map(company_name),
        in_window=annual["year"].isin(years),
    )
    facts = {
        "total": total,
        "years": span,
        "share_of_trillion": total / 1000.0,
        "who": company_names(p.companies),
        "missing_leases": ", ".join(
            sorted(company_name(e) for e in annual.loc[annual["leases_missing"], "entity"].unique())
        )
        or "none",
    }
    return engine.Outcome(total, verdict, reason, frame, facts)


def company_name(entity: str) -> str:
    """'microsoft' -> 'Microsoft' (the names the book prints)."""
    return entity.replace("_", " ").title()


def company_names(companies: list[str]) -> str:
    """'Microsoft, Alphabet, Amazon and Meta' for prose and labels."""
    names = [c.title() for c in companies]
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


def comparison(value: float, reference: float) -> str:
    """'short of' / 'above' / 'not computable from our data': prose that follows the numbers."""
    if value != value:
        return "not computable from our data against"
    return "short of" if value < reference else "above"


def interstate_real_cost(
    interstate: pd.DataFrame,
    authorizations: pd.DataFrame,
    cpi: pd.Series,
    as_of: str | None,
    profile: str,
    price_base_year: int,
) -> tuple[float, float]:
    """INV-2: the Interstate's total cost (nominal, and in base-year prices under a profile)."""
    known = data.as_known(interstate, as_of)
    nominal = float(known.loc[known["metric"] == "cost_estimate_total", "value"].iloc[0])
    federal = float(known.loc[known["metric"] == "cost_estimate_federal_share", "value"].iloc[0])
    # Authorizations are federal dollars: as shares of the federal total they give the early
    # years' share of the whole programme, applied here to the total cost.
    shares = authorizations.set_index("year")["value"] / 1000 / federal
    known_years = shares * nominal
    spread = models.spending_profile(nominal, *INTERSTATE_YEARS, profile, known_years)
    return nominal, models.real_total(spread, cpi, price_base_year)


def pledge_pace(pledge: float, first_year: int, last_year: int) -> float:
    """INV-3: average yearly spending a multi-year pledge implies."""
    return pledge / (last_year - first_year + 1)


def guidance_total(plans: pd.DataFrame, as_of: str | None, period: str, pick: str) -> float:
    """INV-5: the four companies' capex guidance for `period` summed (low, mid or high).

    NaN when any of the four has given no guidance for that period by `as_of`.
    """
    known = data.as_known(plans, as_of)
    known = known[(known["period"] == period) & known["entity"].isin(BIG_FOUR)]
    total = 0.0
    for company in BIG_FOUR:
        rows = known[known["entity"] == company]
        if rows.empty:
            return float("nan")
        # The company's most recent statement wins, whether a point or a range.
        latest = rows[rows["published"] == rows["published"].max()].set_index("metric")["value"]
        if "capex_guidance_point" in latest:
            low = high = latest["capex_guidance_point"]
        elif {"capex_guidance_low", "capex_guidance_high"} <= set(latest.index):
            low, high = latest["capex_guidance_low"], latest["capex_guidance_high"]
        else:
            return float("nan")
        total += {"low": low, "mid": (low + high) / 2, "high": high}[pick]
    return float(total)


FLOOR_WORDS = ("at least", "more than", "b+", "over $")
CEILING_WORDS = ("up to",)


def stated_bounds(quotes: pd.Series) -> set[str]:
    """How statements frame a figure: {'floor'} for 'at least' / 'more than' / '$600B+',
    {'ceiling'} for 'up to', both when sources disagree, empty when they only state it."""
    text = " ".join(quotes).lower()
    bounds = set()
    if any(word in text for word in FLOOR_WORDS):
        bounds.add("floor")
    if any(word in text for word in CEILING_WORDS):
        bounds.add("ceiling")
    return bounds


def bound_verdict(quotes: pd.Series, article_bound: str) -> str:
    """INV-3: the article's framing ('ceiling' for "up to") against what the speakers said."""
    if quotes.empty:
        return "unsupported"
    bounds = stated_bounds(quotes)
    if bounds and article_bound not in bounds:
        return "mischaracterized"
    return "accurate"
