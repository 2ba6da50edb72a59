"""The revenue-shortfall claims (REV-1…REV-6): where the article's figures come from, the
published arithmetic behind them rebuilt with each input as a parameter, and current AI revenue
against the yearly cost of the capital it would have to pay for.

Every claim reads only an `Evidence` (the figures public on the date judged); the arithmetic
itself is pure and lives in `aibet.claims.revenue`. Data selection helpers sit here.
"""

from __future__ import annotations

import itertools

import numpy as np
import pandas as pd

from aibet import PUBLICATION_DATE
from aibet.claims import engine, revenue, rubric
from aibet.claims.investment import (
    BIG_FOUR,
    company_name,
    company_names,
    comparison,
    known_annual_capex,
)
from aibet.data.evidence import Evidence, NotYetPublic, day_after

CHAPTER = "revenue-shortfall"
PERCENT = 0.01
SIX = ("amazon", "apple", "alphabet", "microsoft", "nvidia", "meta")
NAMED_IN_REV3 = ["amazon", "apple", "alphabet"]
"""The companies the article names in REV-3."""
JANUARY_YEAR_ENDS = {"nvidia": 1}
"""Companies whose fiscal year ends in late January: their fiscal year Y+1 is counted in the
calendar year Y (Nvidia's fiscal 2025 ended on 26 January 2025: its "2024")."""

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
DEFINITION_WORDS = {
    "model_makers": "what the model makers earn",
    "vendors": "what AI vendors earn",
    "spending": "what buyers say they spend",
}
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
    "consumer_ai_global": "Consumers (Menlo Ventures)",
    "enterprise_genai_us": "U.S. firms (Menlo Ventures)",
}
MAX_AGE_DAYS = 400
"""A run-rate whose period ended more than this long before the date judged is too stale to
count as current; the same test says whether an analyst's yearly figure is "current"."""

ANALYSTS = {
    "sequoia_cahn_wsj_2025": "Sequoia Capital's David Cahn (as quoted by the Wall Street Journal)",
    "bain_2025": "Bain & Company (Technology Report 2025)",
    "morgan_stanley": "Morgan Stanley",
}
"""Who made each estimate the article repeats (the names the book prints)."""

PLAUSIBLE = {
    "useful_life_years": (
        3.0,
        6.0,
        "from the three-year economic life critics argue for to the six years in the companies'"
        " accounts",
    ),
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
    "bain_capex_per_year": (
        400.0,
        600.0,
        "Bain's $500 bn of yearly capex by 2030, a fifth either side",
    ),
    "bain_capex_to_revenue": (
        0.15,
        0.35,
        "spanning the four largest spenders' own capex-to-revenue ratios of recent years (REV-2)",
    ),
}
"""Judgement ranges (not data) for the model's assumptions; each says why. They span the
robustness grids, the tornado chart and the Methods page. The useful life's range agrees with
the data (`life_range`: the shortest economic life argued for, the longest in the accounts)."""


def ends(name: str, points: int = 2) -> list[float]:
    """`points` evenly spaced values across an assumption's plausible range."""
    low, high, _ = PLAUSIBLE[name]
    return [round(float(v), 4) for v in np.linspace(low, high, points)]


# --- selection: the figures a claim needs, as known on the evidence's date ----------------------


def once(ev: Evidence, key: tuple, compute):
    """`compute()` once per date and key (see `Evidence.memo`)."""
    return ev.memo(("shortfall", *key), compute)


def chain(ev: Evidence, entity: str, metrics) -> tuple[str, pd.DataFrame]:
    """The known figures `metrics` of one analyst's published chain, in one read."""
    return entity, ev.rows("revenue_chains", entity=entity, metric=list(metrics))


def chain_value(ev: Evidence, known: tuple[str, pd.DataFrame], metric: str, what: str) -> float:
    """One figure of a chain read by `chain`; the right error when the date does not give it."""
    entity, rows = known
    hit = rows[rows["metric"] == metric]
    if len(hit) != 1:
        return ev.value("revenue_chains", what, entity=entity, metric=metric)
    return float(hit["value"].iloc[0])


def require_all(ev: Evidence, table: str, what: str, column: str, wanted, **match) -> pd.DataFrame:
    """The known rows of `table` for every value in `wanted` of `column` (one or more rows each).
    Raises NotYetPublic dated when the LAST of the missing ones became public (only then does
    the claim have all it needs), MissingFigure when the data lacks one of them altogether."""
    wanted = list(wanted)
    rows = ev.rows(table, **match, **{column: wanted})
    absent = [w for w in wanted if w not in set(rows[column])]
    if absent:
        dates = [ev.first_public(table, **match, **{column: w}) for w in absent]
        if any(d is None for d in dates):
            ev.missing(table, what, **match, **{column: absent})  # raises MissingFigure
        raise NotYetPublic(what, ev.as_of, max(dates))
    return rows


def published_or(ev: Evidence, value, known: tuple, metric: str, what: str, scale=1.0) -> float:
    """A parameter that may say 'published': then the source's own figure in its chain (read
    by `chain`), times `scale`, as known on the date; otherwise the number given."""
    if value == "published":
        return chain_value(ev, known, metric, what) * scale
    return float(value)


def traced(ev: Evidence, entity: str, metric: str, what: str, rows=None) -> pd.Series:
    """The source figure the article repeats, as a source reported it (not our reconstruction):
    not yet public before the first report of it. `rows`: the analyst's chain, if already read."""
    if rows is not None:
        hit = rows[(rows["metric"] == metric) & (rows["status"] == "reported")]
        if len(hit):
            return hit.iloc[-1]
    found = ev.require("revenue_chains", what, entity=entity, metric=metric, status="reported")
    return found.iloc[-1]


def fiscal_period(entity: str, year: int) -> str:
    """The fiscal-year label counted in calendar `year` ('FY2025' is Nvidia's 2024)."""
    return f"FY{year + JANUARY_YEAR_ENDS.get(entity, 0)}"


def company_revenue(ev: Evidence, companies, years, required: tuple[int, ...] = ()) -> pd.DataFrame:
    """Each company's total revenue for the fiscal years counted in `years` (one read), with a
    `year` column. A company without a known figure for a year in `required` raises (not yet
    public, or missing); in other years it is left out."""
    years = [years] if isinstance(years, int) else list(years)
    wanted = {(entity, fiscal_period(entity, y)): y for entity in companies for y in years}
    known = ev.rows(
        "company_revenue",
        entity=sorted({e for e, _ in wanted}),
        metric="total_revenue",
        period=sorted({period for _, period in wanted}),
    )
    counted = [wanted.get(key) for key in zip(known["entity"], known["period"], strict=True)]
    kept = np.array([year is not None for year in counted], dtype=bool)
    picked = known[kept].assign(
        year=np.array([year for year in counted if year is not None], dtype=int)
    )
    have = set(zip(picked["entity"], picked["year"], strict=True))
    for (entity, period), year in wanted.items():
        if year in required and (entity, year) not in have:
            what = f"{company_name(entity)}'s revenue for {year}"
            ev.missing(
                "company_revenue", what, entity=entity, metric="total_revenue", period=period
            )
    return picked.sort_values(["year", "entity"]).reset_index(drop=True)


def nvidia_quarters(ev: Evidence) -> pd.DataFrame:
    """Nvidia's data-center revenue by fiscal quarter as known on the date, oldest first."""
    rows = ev.rows(
        "company_revenue", entity="nvidia", metric="data_center_revenue", period_months=3
    )
    return rows.sort_values("period_end").reset_index(drop=True)


def nvidia_years(ev: Evidence, years) -> pd.DataFrame:
    """Nvidia's data-center revenue for every quarter of the fiscal years counted in `years`
    (fiscal 2025, which ended in January 2025, counts as 2024)."""
    periods = [f"{fiscal_period('nvidia', y)}Q{q}" for y in years for q in range(1, 5)]
    what = f"Nvidia's data-center revenue for {years[0]}–{years[-1]}"
    rows = require_all(
        ev,
        "company_revenue",
        what,
        "period",
        periods,
        entity="nvidia",
        metric="data_center_revenue",
    )
    return rows.sort_values("period_end").reset_index(drop=True)


def stale_from(period_end: str) -> str:
    """The first date on which a figure for a period ending on `period_end` no longer counts as
    current: MAX_AGE_DAYS after it."""
    return day_after(period_end, MAX_AGE_DAYS + 1)


def current(period_end: str, as_of: str) -> bool:
    """Whether a figure for a period ending on `period_end` still counts as current on `as_of`."""
    return as_of < stale_from(period_end)


def ai_revenue(ev: Evidence, definition: str) -> pd.DataFrame:
    """Bottom-up AI product revenue as known on the date: one row per seller (or survey).

    Sellers: each one's latest annualised run-rate, or, for a seller that reports only yearly
    revenue, its last completed year; anything whose period ended more than MAX_AGE_DAYS before
    the date is stale and dropped. `spending` instead sums the latest consumer and enterprise
    spending surveys. May be empty.
    """
    if definition not in DEFINITION_NAMES:
        raise ValueError(f"definition must be one of {list(DEFINITION_NAMES)}, got {definition!r}")
    if definition == "spending":
        entities, metrics = (list(x) for x in zip(*SPENDING, strict=True))
        known = ev.rows("ai_revenue", entity=entities, metric=metrics)
        return once(ev, ("spending",), lambda: latest_surveys(known))
    sellers = list(DEFINITIONS[definition])
    known = ev.rows(
        "ai_revenue",
        entity=sellers,
        metric=[*RUN_RATE_METRICS, "total_revenue"],
        period_months=[1, 12],
    )
    return once(ev, ("sellers", definition), lambda: current_rates(known, sellers, ev.reached))


def latest_surveys(known: pd.DataFrame) -> pd.DataFrame:
    """The latest reading of each spending survey in SPENDING among `known` rows."""
    wanted = pd.Series(False, index=known.index)
    for entity, metric in SPENDING:
        wanted |= (known["entity"] == entity) & (known["metric"] == metric)
    picked = known.loc[wanted].sort_values(["period_end", "published"]).groupby("entity").tail(1)
    return picked.sort_values("entity").reset_index(drop=True)


def current_rates(known: pd.DataFrame, sellers: list[str], reached) -> pd.DataFrame:
    """Each seller's latest run-rate among `known` rows (or, without one, its last completed
    year), dropped when its period ended more than MAX_AGE_DAYS before the date judged
    (`reached(day)`: whether the date judged is `day` or later, as `Evidence.reached`)."""
    rate = known["metric"].isin(RUN_RATE_METRICS)
    year = ~rate & ~known["entity"].isin(set(known.loc[rate, "entity"]))
    year &= (known["period_months"] == 12) & known["period_end"].map(reached).astype(bool)
    picked = known.loc[rate | year].sort_values(["period_end", "published"])
    picked = picked.groupby("entity").tail(1)
    fresh = [not reached(stale_from(end)) for end in picked["period_end"]]
    picked = picked.loc[np.array(fresh, dtype=bool)]
    order = picked["entity"].map(sellers.index)
    return (
        picked.assign(order=order).sort_values("order").drop(columns="order").reset_index(drop=True)
    )


def ai_revenue_total(ev: Evidence, definition: str, rows=None) -> tuple[float, pd.DataFrame]:
    """The total of `ai_revenue` (or of its `rows`, already read) and the rows; raises when no
    current figure is known."""
    rows = ai_revenue(ev, definition) if rows is None else rows
    if rows.empty:
        metrics = [m for _, m in SPENDING] if definition == "spending" else list(RUN_RATE_METRICS)
        what = (
            f"a current figure of AI revenue as {DEFINITION_WORDS[definition]} (for a period"
            f" ended at most {MAX_AGE_DAYS} days before)"
        )
        ev.missing("ai_revenue", what, metric=metrics)
    return float(rows["value"].sum()), rows


def policy_lives(ev: Evidence, companies) -> pd.DataFrame:
    """Each company's server useful life from each change's effective date, as known."""
    rows = ev.rows("useful_lives", metric="server_useful_life_years", entity=list(companies))
    rows = rows[rows["period"].str.startswith("from-")]
    return rows.sort_values(["entity", "period_end"]).reset_index(drop=True)


def life_range(ev: Evidence, companies) -> tuple[float, float]:
    """Plausible useful lives of AI servers: from the shortest economic life analysts argue for
    to the longest life in force in the companies' accounting."""
    claims = ev.require(
        "useful_lives", "economic lives argued for AI chips", metric="gpu_economic_life_claim_years"
    )["value"]
    in_force = policy_lives(ev, companies).groupby("entity")["value"].last()
    if in_force.empty:
        ev.missing("useful_lives", "the companies' server lives", metric="server_useful_life_years")
    return float(claims.min()), float(in_force.max())


def yearly_totals(capex_history: pd.DataFrame, companies) -> pd.Series:
    """Capex summed over `companies` for each year in which every one of them has a figure."""
    complete = capex_history.groupby("year")["entity"].nunique() == len(list(companies))
    totals = capex_history.groupby("year")["value"].sum()
    return totals[complete[complete].index]


def four_capex(ev: Evidence) -> pd.DataFrame:
    """The four largest spenders' capex by fiscal year (finance leases where reported)."""
    ev.require("capex", "the four largest spenders' capital expenditure", entity=BIG_FOUR)
    return known_annual_capex(ev, BIG_FOUR, "fiscal", True)


def capex_stock(ev: Evidence) -> pd.Series:
    """The four largest spenders' capex by fiscal year, as known, oldest first.

    Fiscal years (Microsoft's end in June): its calendar years cannot be rebuilt before 2023, and
    depreciation needs every year still on the books. Finance leases count where reported.
    """
    totals = ev.memo(("capex stock",), lambda: yearly_totals(four_capex(ev), BIG_FOUR))
    if totals.empty:
        ev.missing("capex", "a year of capex known for all four companies", entity=BIG_FOUR)
    return totals


def capex_to_revenue_ratios(ev: Evidence) -> tuple[int, pd.Series]:
    """Each of the four's capex as a share of its revenue in the last fiscal year all four have
    both figures for (the same fiscal year for both): (year, ratio by company)."""
    capex = four_capex(ev)
    known = ev.rows("company_revenue", entity=BIG_FOUR, metric="total_revenue", period_months=12)

    def ratios():
        earned = known.assign(year=known["period_end"].str.slice(0, 4).astype(int))
        both = capex.merge(
            earned[["entity", "year", "value"]], on=["entity", "year"], suffixes=("", "_rev")
        )
        complete = both.groupby("year")["entity"].nunique()
        years = complete[complete == len(BIG_FOUR)].index
        if not len(years):
            return None, None
        year = int(max(years))
        chosen = both[both["year"] == year].set_index("entity")
        return year, chosen["value"] / chosen["value_rev"]

    year, ratio = once(ev, ("capex_to_revenue",), ratios)
    if year is None:
        ev.missing("company_revenue", "a year of revenue known for all four", entity=BIG_FOUR)
    return year, ratio


# --- REV-1 -------------------------------------------------------------------------------------

REV1_SOURCE = ("sequoia_cahn_wsj_2025", "required_ai_product_purchases_lifetime_2023_2024_capex")
"""The figure the article's $800 bn repeats: revenue needed over the hardware's life."""
SEQUOIA = "sequoia_cahn_600b_2024"
SIZE_WORDS = {
    "accurate": "about the size of",
    "roughly right": "roughly the size of",
    "overstated": "well below",
    "understated": "well above",
}
"""How a rebuilt figure compares with the article's, in words (from the numeric verdict)."""


def sequoia_inputs(ev: Evidence, p) -> tuple[float, float]:
    """The end users' gross margin and the accelerators' share of data-center cost (Sequoia's
    own unless the parameters say otherwise), as shares."""
    used = {
        "end_user_gross_margin_assumed": p.end_user_margin,
        "gpu_share_of_dc_tco": p.accelerator_share,
    }
    rows = chain(ev, SEQUOIA, [metric for metric, value in used.items() if value == "published"])
    margin = published_or(
        ev,
        p.end_user_margin,
        rows,
        "end_user_gross_margin_assumed",
        "Sequoia's end-user gross margin",
        PERCENT,
    )
    accel = published_or(
        ev,
        p.accelerator_share,
        rows,
        "gpu_share_of_dc_tco",
        "Sequoia's accelerator share of data-center cost",
        PERCENT,
    )
    return margin, accel


def spend_years(period: str) -> list[int]:
    """'CY2023-2024' -> [2023, 2024]."""
    first, _, last = period.removeprefix("CY").partition("-")
    return list(range(int(first), int(last or first) + 1))


@engine.claim(
    id="REV-1",
    chapter=CHAPTER,
    text="Consumers and businesses must buy about $800 billion of AI products over the next two years",
    article_value=800.0,
    unit="USD bn",
    comparator="≈",
    params=(
        "useful_life_years",
        "required_return",
        "end_user_margin",
        "accelerator_share",
        "tolerance",
    ),
    grid={
        "useful_life_years": ends("useful_life_years"),
        "required_return": ends("required_return"),
        "end_user_margin": ends("end_user_margin"),
        "accelerator_share": ends("accelerator_share"),
    },
    facts={
        "source": None,
        "first_public": None,
        "spend_years": None,
        "chips": "USD bn",
        "accel": "share",
        "margin": "share",
        "sequoia_only": "USD bn",
        "life": None,
        "required_return": "share",
        "size": None,
        "horizon": None,
        "quote": None,
    },
)
def rev1_purchases(ev: Evidence, p) -> engine.Outcome:
    """The $800 bn is a source's lifetime figure for past spending; we rebuild that quantity
    (Sequoia's chain on Nvidia's data-center sales, plus a return on capital) to show its size."""
    entity, metric = REV1_SOURCE
    source = traced(ev, entity, metric, "the analysts' estimate the article's $800 bn repeats")
    statements = ev.estimates("revenue_chains", entity=entity, metric=metric, status="reported")
    documents = ev.sources.set_index("source_id")
    publishers = documents["publisher"] if "publisher" in documents else {}
    statements = statements.assign(
        publisher=[publishers.get(s, "") for s in statements["source_id"]]
    )[["published", "locator", "publisher", "source_id"]]
    english = statements[statements["locator"].astype(str).map(str.isascii)]
    years = spend_years(source["period"])
    margin, accel = sequoia_inputs(ev, p)
    quarters = nvidia_years(ev, years)
    chips = float(quarters["value"].sum())
    sequoia_only = float(revenue.lifetime_required_revenue(chips / accel, 1, 0, 0, margin))
    rebuilt = float(
        revenue.lifetime_required_revenue(
            chips / accel, p.useful_life_years, p.required_return, 0.0, margin
        )
    )
    numeric = rubric.numeric_verdict(rebuilt, 800.0, "≈", p.tolerance)
    # The article: purchases over the two years after it appeared. The source: revenue over the
    # hardware's life for spending in a period that had ended before the article.
    same_quantity = str(source["period_end"]) > PUBLICATION_DATE
    matches = rubric.numeric_verdict(float(source["value"]), 800.0, "≈", p.tolerance)
    verdict = rubric.sourced_verdict(
        numeric, matches in ("accurate", "roughly right"), same_quantity
    )
    span = f"{years[0]}–{years[-1]}"
    who = ANALYSTS[entity]
    if verdict == "mischaracterized":
        reason = (
            f"The ${source['value']:,.0f} bn is an estimate by {who} of the revenue needed over"
            f" the whole life of the chips and data centers bought in {span}, not of purchases"
            f" in the next two years; rebuilt from Nvidia's data-center sales it is"
            f" ${rebuilt:,.0f} bn"
        )
    else:
        reason = (
            f"Rebuilt from Nvidia's data-center sales, the revenue needed is ${rebuilt:,.0f} bn,"
            f" {SIZE_WORDS[numeric]} the article's $800 bn"
        )
    if p.light:
        return engine.grid_point(rebuilt, verdict, reason)
    steps = pd.DataFrame(
        {
            "step": [
                "Nvidia chip sales",
                "Data-center cost",
                "End-user revenue",
                "With a return on capital",
            ],
            "value": [chips, chips / accel, sequoia_only, rebuilt],
        }
    ).assign(years=span)
    frame = pd.concat({"steps": steps, "statements": statements}, names=["part", "row"])
    facts = {
        "source": who,
        "first_public": pd.Timestamp(
            ev.first_public("revenue_chains", entity=entity, metric=metric, status="reported")
        ).strftime("%-d %B %Y"),
        "spend_years": span,
        "quote": str(english["locator"].iloc[0]) if len(english) else "not quoted in English",
        "horizon": "spending made before the article appeared, repaid over the hardware's life,"
        " not purchases in the two years after it"
        if not same_quantity
        else "purchases in the two years after the article",
        "chips": chips,
        "accel": accel,
        "margin": margin,
        "sequoia_only": sequoia_only,
        "life": f"{p.useful_life_years:g}",
        "required_return": p.required_return,
        "size": SIZE_WORDS[numeric],
    }
    return engine.Outcome(rebuilt, verdict, reason, frame, facts)


# --- REV-2 -------------------------------------------------------------------------------------

BAIN = "bain_2025"
BAIN_STEPS = {
    "compute_demand_gw_2030_global": "Compute demand by 2030",
    "capex_per_year_2030": "Data-center capex a year by 2030",
    "capex_to_revenue_ratio_implied": "Capex-to-revenue ratio (implied)",
    "required_revenue_2030": "Revenue needed a year by 2030",
    "fundable_revenue_2030_implied": "Revenue fundable from IT budgets and AI savings (implied)",
    "revenue_shortfall_2030": "Shortfall in 2030",
}
"""Bain's chain as reported, step by step."""
SEQUOIA_POINTS = (
    ("sequoia_cahn_200b_2023", "required_lifetime_revenue_per_year_capex"),
    ("sequoia_cahn_600b_2024", "required_revenue"),
)
"""Sequoia's own published answers to its question (2023: $200 bn, 2024: $600 bn)."""
REV2_GRID = {
    "bain_capex_per_year": [500.0, 400.0, 600.0],
    "bain_capex_to_revenue": [0.25, 0.2, 0.3, 0.15, 0.35],
}
"""Bain's own inputs first, then their plausible range (PLAUSIBLE): the alternative verdict is
then named by the smallest change from Bain's chain."""


def bain_chain(ev: Evidence, p, rows: tuple) -> tuple[float, float]:
    """Bain's 2030 capex a year and its capex-to-revenue ratio (as a share), or the parameters."""
    capex = published_or(
        ev, p.bain_capex_per_year, rows, "capex_per_year_2030", "Bain's capex a year by 2030"
    )
    ratio = published_or(
        ev,
        p.bain_capex_to_revenue,
        rows,
        "capex_to_revenue_ratio_implied",
        "Bain's capex-to-revenue ratio",
        PERCENT,
    )
    return capex, ratio


@engine.claim(
    id="REV-2",
    chapter=CHAPTER,
    text="The build-out needs $2 trillion of annual AI revenue by 2030",
    article_value=2000.0,
    unit="USD bn",
    comparator="≈",
    params=(
        "bain_capex_per_year",
        "bain_capex_to_revenue",
        "end_user_margin",
        "accelerator_share",
        "tolerance",
    ),
    grid=REV2_GRID,
    labels={
        "bain_capex_per_year": {
            v: f"${v:,.0f} bn of capex a year" for v in REV2_GRID["bain_capex_per_year"]
        },
        "bain_capex_to_revenue": {
            v: f"a capex-to-revenue ratio of {v:.0%}" for v in REV2_GRID["bain_capex_to_revenue"]
        },
    },
    facts={
        "source": None,
        "first_public": None,
        "capex": "USD bn",
        "ratio": "share",
        "ratio_stated": None,
        "funded": "USD bn",
        "shortfall": "USD bn",
        "ratio_low": "share",
        "ratio_high": "share",
        "ratio_year": None,
        "range_low": "USD bn",
        "range_high": "USD bn",
        "quarter": None,
        "run_rate": "USD bn",
        "needed": "USD bn",
    },
)
def rev2_two_trillion(ev: Evidence, p) -> engine.Outcome:
    """Bain's chain (capex a year ÷ capex-to-revenue ratio) rebuilt with its inputs as parameters
    against the article's $2,000 bn; Sequoia's method on Nvidia's latest quarter alongside."""
    known = chain(ev, BAIN, [*BAIN_STEPS, "required_revenue_2030"])
    bain = known[1]
    source = traced(
        ev, BAIN, "required_revenue_2030", "Bain's estimate of the revenue needed by 2030", bain
    )
    capex, ratio = bain_chain(ev, p, known)
    needed = float(revenue.bain_required_revenue(capex, ratio))
    numeric = rubric.numeric_verdict(needed, 2000.0, "≈", p.tolerance)
    # The article: annual revenue by 2030. Bain's figure: a year's revenue in 2030.
    same_quantity = (
        str(source["period_end"]).startswith("2030") and int(source["period_months"]) == 12
    )
    matches = rubric.numeric_verdict(float(source["value"]), 2000.0, "≈", p.tolerance)
    verdict = rubric.sourced_verdict(
        numeric, matches in ("accurate", "roughly right"), same_quantity
    )
    who = ANALYSTS[BAIN]
    reason = (
        f"{who} puts the revenue needed at ${source['value']:,.0f} bn a year by 2030; rebuilt"
        f" from ${capex:,.0f} bn of capex a year at a {ratio:.0%} capex-to-revenue ratio it is"
        f" ${needed:,.0f} bn, and the answer moves with that ratio"
    )
    if verdict == "mischaracterized":
        reason = (
            f"Bain's ${source['value']:,.0f} bn measures another quantity than the article says"
        )
    if p.light:
        return engine.grid_point(needed, verdict, reason)
    funded = chain_value(ev, known, "fundable_revenue_2030_implied", "Bain's fundable revenue")
    ratio_status = bain.loc[bain["metric"] == "capex_to_revenue_ratio_implied", "status"]
    steps = bain[bain["metric"].isin(list(BAIN_STEPS))]
    steps = steps.assign(
        step=steps["metric"].map(BAIN_STEPS), order=steps["metric"].map(list(BAIN_STEPS).index)
    )
    steps = steps.sort_values("order")[["step", "value", "unit", "locator", "status", "source_id"]]
    # The four's own capex intensity, the plausible range of Bain's unstated ratio.
    ratio_year, own = capex_to_revenue_ratios(ev)
    axes = revenue.grid(**REV2_GRID)
    span = revenue.bain_required_revenue(axes["bain_capex_per_year"], axes["bain_capex_to_revenue"])
    # Sequoia's method, quarter by quarter: revenue needed for a year of spending at the run-rate.
    margin, accel = sequoia_inputs(ev, p)
    quarters = nvidia_quarters(ev)
    if quarters.empty:
        ev.missing(
            "company_revenue",
            "Nvidia's quarterly data-center revenue",
            entity="nvidia",
            metric="data_center_revenue",
            period_months=3,
        )
    quarters = quarters.assign(
        needed=revenue.sequoia_required_revenue(quarters["value"] * 4, accel, margin),
        series="Sequoia's method on Nvidia's quarter",
    )
    run_rate = float(quarters["value"].iloc[-1] * 4)
    needed_now = float(quarters["needed"].iloc[-1])
    points = ev.rows(
        "revenue_chains",
        entity=[e for e, _ in SEQUOIA_POINTS],
        metric=[m for _, m in SEQUOIA_POINTS],
    )
    points = points.assign(
        needed=points["value"], period_end=points["published"], series="Sequoia's own figure"
    )
    frame = pd.concat(
        {
            "quarters": quarters[
                ["period", "period_end", "value", "needed", "series", "source_id"]
            ],
            "published": points[["period", "period_end", "value", "needed", "series", "source_id"]],
            "chain": steps,
        },
        names=["part", "row"],
    )
    facts = {
        "source": who,
        "first_public": pd.Timestamp(
            ev.first_public("revenue_chains", entity=BAIN, metric="required_revenue_2030")
        ).strftime("%-d %B %Y"),
        "capex": capex,
        "ratio": ratio,
        "ratio_stated": "derived from Bain's two figures, not stated by Bain, so the chain"
        " reproduces by construction"
        if (ratio_status == "derived").any()
        else "stated by Bain",
        "funded": funded,
        "shortfall": float(revenue.bain_shortfall(needed, funded)),
        "ratio_low": float(own.min()),
        "ratio_high": float(own.max()),
        "ratio_year": str(ratio_year),
        "range_low": float(span.min()),
        "range_high": float(span.max()),
        "quarter": str(quarters["period"].iloc[-1]),
        "run_rate": run_rate,
        "needed": needed_now,
    }
    return engine.Outcome(needed, verdict, reason, frame, facts)


# --- REV-3 -------------------------------------------------------------------------------------

OTHERS = [c for c in SIX if c not in NAMED_IN_REV3]
REV3_COMPANIES = [
    NAMED_IN_REV3 + [c for c, keep in zip(OTHERS, mask, strict=True) if keep]
    for mask in itertools.product((False, True), repeat=len(OTHERS))
]
"""The named three, with any of Microsoft, Nvidia and Meta added."""


def _with_others(companies: list[str]) -> str:
    added = [company_name(c) for c in companies if c not in NAMED_IN_REV3]
    return "the named three" if not added else "the named three plus " + company_names(added)


@engine.claim(
    id="REV-3",
    chapter=CHAPTER,
    text="$2 trillion exceeds the combined 2024 revenue of Amazon, Apple and Alphabet",
    article_value=2000.0,
    unit="USD bn",
    comparator="<",
    params=("compared_companies", "comparison_year", "tolerance"),
    grid={"compared_companies": REV3_COMPANIES, "comparison_year": [2024, 2025]},
    labels={
        "compared_companies": {tuple(c): _with_others(c) for c in REV3_COMPANIES},
        "comparison_year": {y: f"fiscal {y} revenue" for y in (2024, 2025)},
    },
    facts={"who": None, "year": None, "six": "USD bn", "six_relation": None, "calendars": None},
)
def rev3_big_tech_revenue(ev: Evidence, p) -> engine.Outcome:
    """The companies' total revenue for the fiscal years counted in the year, against $2,000 bn."""
    year = p.comparison_year
    everyone = list(dict.fromkeys([*p.compared_companies, *SIX]))
    shown = company_revenue(ev, everyone, [year, year + 1], required=(year,))
    chosen = shown[(shown["year"] == year) & shown["entity"].isin(p.compared_companies)]
    total = float(chosen["value"].sum())
    verdict = rubric.numeric_verdict(total, 2000.0, "<", p.tolerance)
    who = company_names(p.compared_companies)
    reason = (
        f"{who} took in ${total:,.0f} bn in their fiscal years counted in {year},"
        f" {comparison(total, 2000.0)} $2,000 bn"
    )
    if p.light:
        return engine.grid_point(total, verdict, reason)
    six = shown[(shown["year"] == year) & shown["entity"].isin(SIX)]
    frame = shown.assign(
        company=shown["entity"].map(company_name),
        named=shown["entity"].isin(p.compared_companies),
        year=shown["year"].astype(str),
    )
    six_total = float(six["value"].sum()) if len(six) == len(SIX) else None
    facts = {
        "who": who,
        "year": str(year),
        "six": six_total,
        "six_relation": comparison(six_total, 2000.0)
        if six_total is not None
        else "not yet known against",
        "calendars": fiscal_calendars(shown),
    }
    return engine.Outcome(total, verdict, reason, frame, facts)


def fiscal_calendars(rows: pd.DataFrame) -> str:
    """The companies among `rows` whose fiscal year is not the calendar year, in words ("Apple's
    fiscal year ends in September and Nvidia's in January")."""
    ends = rows.drop_duplicates("entity").set_index("entity")["period_end"]
    months = {
        company_name(e): pd.Timestamp(d).strftime("%B")
        for e, d in ends.items()
        if not str(d).endswith("-12-31")
    }
    if not months:
        return "every fiscal year shown is the calendar year"
    said = [f"{name}'s in {month}" for name, month in months.items()]
    said[0] = said[0].replace("'s in", "'s fiscal year ends in")
    return said[0] if len(said) == 1 else ", ".join(said[:-1]) + " and " + said[-1]


# --- REV-4 -------------------------------------------------------------------------------------

REV4_SOURCE = ("morgan_stanley", "genai_revenue")


@engine.claim(
    id="REV-4",
    chapter=CHAPTER,
    text="Current AI product revenue is about $45 billion",
    article_value=45.0,
    unit="USD bn",
    comparator="≈",
    params=("ai_revenue_definition", "tolerance"),
    grid={"ai_revenue_definition": list(DEFINITION_NAMES)},
    labels={
        "ai_revenue_definition": {d: f"AI revenue as {w}" for d, w in DEFINITION_WORDS.items()}
    },
    facts={
        "source": None,
        "source_year": None,
        "definition": None,
        "relation": None,
        "model_makers": "USD bn",
        "vendors": "USD bn",
        "spending": "USD bn",
    },
)
def rev4_current_revenue(ev: Evidence, p) -> engine.Outcome:
    """Bottom-up AI product revenue under a stated definition, as known on the date, against
    the article's $45 bn (Morgan Stanley's estimate)."""
    entity, metric = REV4_SOURCE
    source = traced(ev, entity, metric, "Morgan Stanley's estimate the article's $45 bn repeats")
    found = {definition: ai_revenue(ev, definition) for definition in DEFINITION_NAMES}
    total, _ = ai_revenue_total(ev, p.ai_revenue_definition, found[p.ai_revenue_definition])
    numeric = rubric.numeric_verdict(total, 45.0, "≈", p.tolerance)
    # "Current": the estimate's period ended recently enough, on the article's date, to count as
    # current by the rule the bottom-up sum follows.
    same_quantity = current(str(source["period_end"]), PUBLICATION_DATE)
    matches = rubric.numeric_verdict(float(source["value"]), 45.0, "≈", p.tolerance)
    verdict = rubric.sourced_verdict(
        numeric, matches in ("accurate", "roughly right"), same_quantity
    )
    year = str(source["period_end"])[:4]
    words = DEFINITION_WORDS[p.ai_revenue_definition]
    reason = (
        f"The $45 bn is Morgan Stanley's estimate for {year}; measured as {words}, AI revenue"
        f" runs at ${total:,.0f} bn a year, {comparison(total, 45.0)} the article's figure"
    )
    if verdict == "mischaracterized":
        reason = f"The $45 bn is Morgan Stanley's estimate for {year}, too old to call current"
    if p.light:
        return engine.grid_point(total, verdict, reason)
    totals = {d: float(rows["value"].sum()) if len(rows) else None for d, rows in found.items()}
    frame = pd.concat([rows.assign(definition=d) for d, rows in found.items()], ignore_index=True)
    frame = frame.assign(
        seller=frame["entity"].map(SELLER_NAMES),
        bar=frame["definition"].map(lambda d: d.replace("_", " ")),
        chosen=frame["definition"] == p.ai_revenue_definition,
    )
    facts = {
        "source": ANALYSTS[entity],
        "source_year": year,
        "definition": words,
        "relation": comparison(total, 45.0),
        **totals,
    }
    return engine.Outcome(total, verdict, reason, frame, facts)


# --- REV-5 -------------------------------------------------------------------------------------

PAYING = {
    ("consumer_ai_global", "paying_share_of_users"): "consumers paying for AI (Menlo Ventures)",
    ("openai", "chatgpt_paying_share_of_wau"): "ChatGPT's paying subscribers per weekly user",
    ("us_households", "paying_for_ai_share"): "U.S. households paying for AI (Bank of America)",
}
"""Measures of the share of AI users who pay (percent)."""
FIRMS_USING = {
    ("us_firms", "ai_use_rate_btos"): "U.S. firms using AI in production (Census)",
    ("us_firms_250plus", "ai_use_rate_btos"): "Large U.S. firms using AI in production (Census)",
    ("us_firms", "ai_use_rate_btos_any_function"): "U.S. firms using AI anywhere (Census)",
    (
        "us_firms_250plus",
        "ai_use_rate_btos_any_function",
    ): "Large U.S. firms using AI anywhere (Census)",
}
"""The Census Bureau's measures of the share of U.S. firms using AI (percent)."""
CONTEXT_MEASURES = {
    ("us_businesses_ramp", "paid_ai_adoption_share"): "U.S. businesses paying for AI tools (Ramp)",
    (
        "organizations_global",
        "ai_use_at_least_one_function",
    ): "Organisations using AI somewhere (McKinsey)",
    ("organizations_global", "ai_fully_scaled"): "Organisations that have scaled AI (McKinsey)",
}
"""Business measures shown beside the test, not part of it."""
HALF = 50.0
"""'Most' users use free versions ⇔ fewer than half pay; businesses hesitate ⇔ fewer than half of
firms use AI at all."""


def measures(ev: Evidence, wanted: dict) -> pd.DataFrame:
    """Every known reading of the (entity, metric) measures in `wanted`, named, oldest first."""
    entities = sorted({e for e, _ in wanted})
    metrics = sorted({m for _, m in wanted})
    rows = ev.rows("ai_revenue", entity=entities, metric=metrics)
    named = pd.Series(
        [wanted.get((e, m)) for e, m in zip(rows["entity"], rows["metric"], strict=True)],
        index=rows.index,
        dtype=object,
    )
    return rows.assign(measure=named).dropna(subset=["measure"]).sort_values("period_end")


def highest_latest(readings: pd.DataFrame) -> pd.Series:
    """The measure whose latest reading is highest: the claim's hardest test."""
    latest = readings.groupby("measure").tail(1)
    return latest.loc[latest["value"].idxmax()]


@engine.claim(
    id="REV-5",
    chapter=CHAPTER,
    text="Most AI users use free versions; businesses hesitate to spend heavily",
    article_value=HALF,
    unit="percent",
    value_words="{} of users paying",
    comparator="<",
    params=("tolerance",),
    facts={
        "paying": "percent",
        "paying_measure": None,
        "business": "percent",
        "business_measure": None,
        "business_date": None,
        "users_verdict": None,
        "business_verdict": None,
        "ramp": None,
    },
)
def rev5_free_users(ev: Evidence, p) -> engine.Outcome:
    """Two tests, the claim as good as the worse: the highest share of users paying on any
    measure is below half; the highest share of U.S. firms using AI on any Census measure is
    below half."""
    paying = measures(ev, PAYING)
    if paying.empty:
        ev.missing(
            "ai_revenue",
            "a measure of the share of AI users who pay",
            metric=sorted({m for _, m in PAYING}),
        )
    firms = measures(ev, FIRMS_USING)
    if firms.empty:
        ev.missing(
            "ai_revenue",
            "the Census Bureau's share of U.S. firms using AI",
            metric=sorted({m for _, m in FIRMS_USING}),
        )
    top_users, top_firms = highest_latest(paying), highest_latest(firms)
    users = rubric.numeric_verdict(float(top_users["value"]), HALF, "<", p.tolerance)
    business = rubric.numeric_verdict(float(top_firms["value"]), HALF, "<", p.tolerance)
    verdict = rubric.worst_of([users, business])
    value = float(top_users["value"])
    reason = (
        f"At most {value:.1f}% of users pay on any measure we found, and at most"
        f" {float(top_firms['value']):.0f}% of U.S. firms use AI on any Census measure"
        + ("; both below half" if verdict == "accurate" else "")
    )
    failing = [who for who, test in (("users", users), ("firms", business)) if test != "accurate"]
    if failing:
        reason += f"; the claim needs fewer than half, which fails for {' and '.join(failing)}"
    if p.light:
        return engine.grid_point(value, verdict, reason)
    context = measures(ev, CONTEXT_MEASURES)
    ramp = context[context["entity"] == "us_businesses_ramp"]
    if ramp.empty:
        ramp_words = "no card-data measure of how many businesses pay for AI was public yet"
    else:
        last = ramp.iloc[-1]
        month = pd.Timestamp(last["period_end"]).strftime("%B %Y")
        ramp_words = (
            f"by {month}, {float(last['value']):.0f}% of U.S. businesses on Ramp's platform paid"
            " for an AI tool"
        )
    frame = pd.concat(
        [
            paying.assign(kind="users paying"),
            firms.assign(kind="firms using AI"),
            context.assign(kind="other business measures"),
        ],
        ignore_index=True,
    )
    facts = {
        "paying": value,
        "paying_measure": str(top_users["measure"]),
        "business": float(top_firms["value"]),
        "business_measure": str(top_firms["measure"]),
        "business_date": pd.Timestamp(top_firms["period_end"]).strftime("%B %Y"),
        "users_verdict": users,
        "business_verdict": business,
        "ramp": ramp_words,
    }
    return engine.Outcome(value, verdict, reason, frame, facts)


# --- REV-6 -------------------------------------------------------------------------------------

REV6_GRID = {
    "useful_life_years": [5.0, 3.0, 6.0],
    "ai_share_of_capex": [0.5, 0.3, 1.0],
}
"""Each axis: the chapter's default, then the ends of its plausible range (PLAUSIBLE). The
required return and the operating share move the answer less; the tornado shows them."""
TORNADO = {
    "useful_life_years": "Useful life (years)",
    "required_return": "Required return",
    "operating_share": "Operating cost share",
    "end_user_margin": "End users' margin",
    "ai_share_of_capex": "AI share of capex",
}
"""The assumptions the tornado moves one at a time, with their labels."""
TORNADO_WORDS = {
    "Useful life (years)": "the useful life",
    "Required return": "the required return",
    "Operating cost share": "the operating share of cost",
    "End users' margin": "the end users' margin",
    "AI share of capex": "the AI share of capex",
}
"""The same assumptions as the prose names them."""
HEAT_LIVES = np.arange(2.0, 8.5, 0.5)
HEAT_MARGINS = np.round(np.arange(0.0, 0.75, 0.05), 2)


def payback_model(history: np.ndarray):
    """The revenue needed in the last year of `history` as a function of the assumptions."""

    def needed(
        useful_life_years, required_return, operating_share, end_user_margin, ai_share_of_capex
    ):
        return revenue.payback_required_revenue(
            history,
            useful_life_years,
            required_return,
            operating_share,
            end_user_margin,
            ai_share_of_capex,
        )

    return needed


@engine.claim(
    id="REV-6",
    chapter=CHAPTER,
    text="Current AI revenues are insufficient to cover the investment",
    article_value=1.0,
    unit="ratio",
    value_words="{} the yearly cost",
    comparator="<",
    params=(
        "useful_life_years",
        "required_return",
        "operating_share",
        "ai_share_of_capex",
        "end_user_margin",
        "accelerator_share",
        "ai_revenue_definition",
        "tolerance",
    ),
    grid=REV6_GRID,
    labels={
        "useful_life_years": {
            v: f"a server life of {v:g} years" for v in REV6_GRID["useful_life_years"]
        },
        "ai_share_of_capex": {
            v: f"{v:.0%} of capex counted as AI" for v in REV6_GRID["ai_share_of_capex"]
        },
    },
    facts={
        "cost": "USD bn",
        "year": None,
        "coverage": "share",
        "ai_revenue": "USD bn",
        "definition": None,
        "share": "share",
        "life": None,
        "coverage_low": "share",
        "coverage_high": "share",
        "grid_points": None,
        "widest": None,
        "narrowest": None,
        "lede": None,
        "moral": None,
    },
)
def rev6_coverage(ev: Evidence, p) -> engine.Outcome:
    """AI revenue over the yearly cost of the four's AI capital (depreciation, a return on what
    is not yet written off, operating costs; no end-user margin): below 1 is 'insufficient'."""
    stock = capex_stock(ev)
    history = stock.to_numpy()
    ai_now, _ = ai_revenue_total(ev, p.ai_revenue_definition)
    central = dict(
        useful_life=p.useful_life_years,
        required_return=p.required_return,
        operating_share=p.operating_share,
        ai_share=p.ai_share_of_capex,
    )
    cost = float(revenue.payback_required_revenue(history, end_user_margin=0.0, **central))
    coverage = float(revenue.cost_coverage(ai_now, history, **central))
    verdict = rubric.numeric_verdict(coverage, 1.0, "<", p.tolerance)
    year = int(stock.index.max())
    reason = (
        f"AI revenue (${ai_now:,.0f} bn a year) covers {coverage:.0%} of the ${cost:,.0f} bn"
        f" yearly cost of the four largest spenders' AI capital in {year}"
        f" at a {p.useful_life_years:g}-year life"
    )
    if p.light:
        return engine.grid_point(coverage, verdict, reason)
    axes = revenue.grid(**REV6_GRID)
    spread = revenue.cost_coverage(
        ai_now,
        history,
        axes["useful_life_years"],
        p.required_return,
        p.operating_share,
        axes["ai_share_of_capex"],
    )
    margin, _ = sequoia_inputs(ev, p)
    model = payback_model(history)
    centre = {
        "useful_life_years": p.useful_life_years,
        "required_return": p.required_return,
        "operating_share": p.operating_share,
        "end_user_margin": margin,
        "ai_share_of_capex": p.ai_share_of_capex,
    }
    assumptions = [
        revenue.Assumption(name, label, centre[name], *PLAUSIBLE[name])
        for name, label in TORNADO.items()
    ]
    tornado = pd.DataFrame(revenue.tornado(model, assumptions))
    cells = revenue.grid(life=HEAT_LIVES, margin=HEAT_MARGINS)
    heat = pd.DataFrame(cells).assign(
        needed=model(
            cells["life"],
            p.required_return,
            p.operating_share,
            cells["margin"],
            p.ai_share_of_capex,
        )
    )
    lives = policy_lives(ev, BIG_FOUR)
    lives = lives.assign(company=lives["entity"].map(company_name), change=True)
    # Each company's life in force runs on to the date judged.
    in_force = lives.groupby("entity").tail(1).assign(period_end=ev.as_of, change=False)
    lives = pd.concat([lives, in_force], ignore_index=True)[
        ["company", "period_end", "value", "change", "source_id"]
    ]
    frame = pd.concat({"tornado": tornado, "heat": heat, "lives": lives}, names=["part", "row"])
    facts = {
        "cost": cost,
        "year": str(year),
        "coverage": coverage,
        "ai_revenue": ai_now,
        "definition": DEFINITION_WORDS[p.ai_revenue_definition],
        "share": p.ai_share_of_capex,
        "life": f"{p.useful_life_years:g}",
        "coverage_low": float(spread.min()),
        "coverage_high": float(spread.max()),
        "grid_points": str(len(spread)),
        "widest": TORNADO_WORDS[tornado["assumption"].iloc[0]],
        "narrowest": TORNADO_WORDS[tornado["assumption"].iloc[-1]],
        "lede": "on this page's assumptions the gap is real"
        if coverage < 1
        else "on this page's assumptions there is no gap",
        "moral": "AI revenue does not yet pay for the capital."
        if coverage < 1
        else "On these assumptions revenue already pays for the AI share of the capital.",
    }
    return engine.Outcome(coverage, verdict, reason, frame, facts)
