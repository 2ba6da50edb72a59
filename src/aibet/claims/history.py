"""The historical-bubbles claims (HIST-1…HIST-4): past investment manias on the AI build-out's
scale, what each left behind, and what an asset's life does to the revenue it must earn — each a
function of the evidence known on a date and the chapter's parameters.

Where sources disagree about a figure, every source's estimate is kept (`every_estimate`): the
chapter shows them all with their range, and the `estimate` parameter says which one a verdict
rests on (the lowest, the middle or the highest), so the robustness grid runs over them.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from aibet.claims import engine, revenue, rubric
from aibet.claims.investment import BIG_FOUR, known_annual_capex
from aibet.data.evidence import Evidence, NotYetPublic

CHAPTER = "historical-bubbles"
MANIAS = "manias"

SHARE = "investment_share_of_gdp"
"""A historian's or analyst's own estimate of investment as a share of GDP (percent)."""

ESTIMATES = ("low", "middle", "high")
"""Which of the sources' estimates a verdict rests on: the lowest, the median or the highest."""
ESTIMATE_ASSUMPTION = {"estimate": "middle"}
"""A judgement call, not a chapter parameter: verdicts rest on the middle estimate, and the
robustness grid runs over the others."""
ESTIMATE_LABELS = {
    "estimate": {
        "low": "the lowest of the sources' estimates",
        "middle": "the middle of the sources' estimates",
        "high": "the highest of the sources' estimates",
    }
}

OVERCAPACITY = 50.0
"""More than half of the capacity built lay idle: capacity far exceeded use (percent idle)."""
MOST = 50.0
"""Investors lost most of their money: prices fell by more than half (percent)."""
QUICK = 2.0
"""Depreciation is quick when a dollar of servers must earn at least twice as much a year as a
dollar of a long-lived asset (depreciation plus the return on capital not yet written off)."""


# --- every source's estimate, as known on a date ------------------------------------------


def every_estimate(ev: Evidence, table: str, **match) -> pd.DataFrame:
    """Every source's own figure among the rows matching `match` that were public on the
    evidence's date: where sources disagree, the disagreement is the evidence. May be empty."""
    return ev.estimates(table, **match)


def estimates(ev: Evidence, lines, table: str = MANIAS) -> pd.DataFrame:
    """Every source's estimate for any of `lines` ((entity, metric) pairs). May be empty."""
    found = [every_estimate(ev, table, entity=entity, metric=metric) for entity, metric in lines]
    known = [f for f in found if not f.empty]
    return pd.concat(known, ignore_index=True) if known else found[0]


def require_estimates(ev: Evidence, lines, what: str, table: str = MANIAS) -> pd.DataFrame:
    """Like `estimates`, but never empty: NotYetPublic when the data holds an estimate that was
    not public yet, LeftOut or MissingFigure (`Evidence.absent`) when it holds none."""
    rows = estimates(ev, lines, table)
    if rows.empty:
        missing(ev, lines, what, table)
    return rows


def missing(ev: Evidence, lines, what: str, table: str = MANIAS):
    """Raise the right error for `lines` the date does not give."""
    firsts = [ev.first_public(table, entity=e, metric=m) for e, m in lines]
    known = [f for f in firsts if f is not None]
    if not known:  # a gap for any of the lines explains it
        entities, metrics = (sorted(set(parts)) for parts in zip(*lines, strict=True))
        ev.absent(table, what, entity=entities, metric=metrics)
    raise NotYetPublic(what, ev.as_of, min(known))


def pick(values, which: str) -> float:
    """The lowest, middle (median) or highest of a set of estimates."""
    values = np.asarray(list(values), dtype=float)
    if values.size == 0:
        raise ValueError("no estimate to pick from")
    if which not in ESTIMATES:
        raise ValueError(f"estimate must be one of {ESTIMATES}, got {which!r}")
    return float({"low": np.min, "middle": np.median, "high": np.max}[which](values))


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


def year_of(period_end: pd.Series) -> pd.Series:
    return pd.to_datetime(period_end).dt.year


def number_or_none(value) -> float | None:
    """A finite number, or None for a figure no estimate gives on the date."""
    return None if value is None or not np.isfinite(value) else float(value)


def day(date) -> str:
    """A date as the prose writes it: '10 March 2000'."""
    return pd.Timestamp(date).strftime("%-d %B %Y")


def years_text(value: float) -> str:
    """A length of life as the prose writes it: '25', '5.5', '5.75'."""
    return f"{value:.2f}".rstrip("0").rstrip(".")


# --- investment as a share of GDP -----------------------------------------------------------


def gdp_by_year(ev: Evidence, entity: str, metric: str) -> pd.DataFrame:
    """Every estimate of one economy's nominal GDP by year known on the date: one row per year
    and source (columns year, value, source_id)."""
    rows = every_estimate(ev, "gdp", entity=entity, metric=metric, period_months=12)
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


def reported_shares(ev: Evidence, line: tuple[str, str]) -> pd.DataFrame:
    """The shares of GDP that sources state themselves for one (entity, metric), with the first
    and last year each covers."""
    rows = estimates(ev, [line])
    last = year_of(rows["period_end"])
    first = last - (rows["period_months"] // 12).clip(lower=1) + 1
    return rows.assign(first=first, last=last)[["first", "last", "period", "value", "source_id"]]


def ai_capex_by_year(ev: Evidence, companies=tuple(BIG_FOUR)) -> pd.DataFrame:
    """The companies' capex (finance leases included) by calendar year where all have a figure:
    columns year, value (USD bn), sources (the documents behind that year's rows)."""
    companies = tuple(companies)
    return ev.memo(("ai_capex_by_year", companies), lambda: _ai_capex_by_year(ev, companies))


def _ai_capex_by_year(ev: Evidence, companies: tuple) -> pd.DataFrame:
    companies = list(companies)
    known = ev.rows("capex", entity=companies)
    annual = known_annual_capex(ev, companies, "calendar", True)
    complete = annual.groupby("year")["entity"].nunique() == len(companies)
    totals = annual.groupby("year")["value"].sum()[complete]
    row_years = known["period_end"].str.slice(0, 4).astype(int)
    return pd.DataFrame(
        {
            "year": totals.index.astype(int),
            "value": totals.to_numpy(),
            "sources": [sorted(set(known.loc[row_years == y, "source_id"])) for y in totals.index],
        }
    )


COMPUTED = "computed by us"
STATED = "stated by a source"


@dataclass(frozen=True)
class Episode:
    """Where the data holds one mania's investment, the GDP it is set against, and the shares of
    GDP sources state for it. `span` is the boom's years (estimates outside it are left out);
    `years` limits the computed shares (None: all in the span; "last": the latest)."""

    name: str
    span: tuple[int, int]
    stated: tuple[str, str]
    investment: tuple[str, str] | None = None
    gdp: tuple[str, str] | None = None
    years: tuple[int, ...] | str | None = None


AI = ("ai", "capex")
"""Stands for the four companies' capex by calendar year (see `ai_capex_by_year`)."""
UK_RAIL, US_RAIL, TELECOM, AI_BUILD_OUT = (
    "U.K. railways, 1840s",
    "U.S. railroads, 1860s–1880s",
    "U.S. telecom, 2000",
    "AI build-out, latest year",
)
EPISODES = (
    Episode(
        UK_RAIL,
        (1843, 1850),
        ("uk_railways", SHARE),
        ("uk_railways", "investment"),
        ("uk", "gdp_nominal_historical"),
    ),
    Episode(US_RAIL, (1860, 1893), ("us_railroads", SHARE)),
    Episode(
        TELECOM,
        (1996, 2002),
        ("comparisons", "telecom_capex_share_of_gdp_peak"),
        ("us_telecom", "capex"),
        ("us", "gdp_nominal"),
        (2000,),
    ),
    Episode(
        AI_BUILD_OUT,
        (2023, 9999),  # still running
        ("comparisons", "ai_capex_share_of_gdp"),
        AI,
        ("us", "gdp_nominal"),
        "last",
    ),
)
SHARE_COLUMNS = ["episode", "share", "how", "label", "sources"]


def episode_shares(ev: Evidence, episode: Episode, ai: pd.DataFrame | None) -> pd.DataFrame:
    """One episode's estimates of investment as a share of GDP (percent): computed for each
    pairing of an investment and a GDP source, and stated by sources. Columns episode, share,
    how, label, sources (a list of source ids). May be empty on an early date."""
    rows = []
    low, high = episode.span
    if episode.investment is not None:
        if episode.investment == AI:
            investment = ai
        else:
            found = estimates(ev, [episode.investment])
            investment = found.assign(
                year=year_of(found["period_end"]), sources=[[s] for s in found["source_id"]]
            )
        investment = investment[investment["year"].between(low, high)]
        if episode.years == "last" and not investment.empty:
            investment = investment[investment["year"] == investment["year"].max()]
        elif isinstance(episode.years, tuple):
            investment = investment[investment["year"].isin(episode.years)]
        computed = shares_of_gdp(investment, gdp_by_year(ev, *episode.gdp))
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
    stated = reported_shares(ev, episode.stated)
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
    return pd.DataFrame(rows, columns=SHARE_COLUMNS)


def all_shares(ev: Evidence, episodes=EPISODES) -> pd.DataFrame:
    """Every estimate of each episode's investment share of GDP known on the date (the chart's
    frame: sources as one text column)."""
    episodes = tuple(episodes)
    key = ("all_shares", tuple(e.name for e in episodes))
    return ev.memo(key, lambda: _all_shares(ev, episodes))


def _all_shares(ev: Evidence, episodes: tuple) -> pd.DataFrame:
    ai = ai_capex_by_year(ev) if any(e.investment == AI for e in episodes) else None
    frames = [episode_shares(ev, e, ai) for e in episodes]
    frames = [f for f in frames if not f.empty]
    if not frames:
        return pd.DataFrame(columns=SHARE_COLUMNS)
    shares = pd.concat(frames, ignore_index=True)
    return shares.assign(sources=shares["sources"].map(", ".join))


def episode_spread(shares: pd.DataFrame, episode: str) -> dict:
    return spread(shares.loc[shares["episode"] == episode, "share"])


# --- what the fiber boom left idle -----------------------------------------------------------

IDLE_LINES = {
    ("us_fiber", "share_fiber_lit"): ("Fibers lit", True),
    ("us_fiber", "capacity_utilisation"): ("Lit capacity used", True),
    ("us_fiber", "share_fiber_unused"): ("Fibers unused", False),
    ("us_fiber", "capacity_unused_share"): ("Capacity unused", False),
}
"""Estimates of how much of the fiber, or of the capacity on it, was used after the bust: the
measure each gives, and whether it counts what was in use (the idle share is the rest)."""
AFTERMATH = (2001, 2005)
"""The years after the bust whose estimates count (later ones describe the recovery)."""


def idle_estimates(ev: Evidence) -> pd.DataFrame:
    """Every estimate of the share of fiber or capacity idle after the bust (percent): columns
    measure, period, reported (the figure as the source gives it), idle, source_id, locator."""
    rows = require_estimates(
        ev, list(IDLE_LINES), "estimates of how much fiber was in use after the bust"
    )
    rows = rows[year_of(rows["period_end"]).between(*AFTERMATH)]
    if rows.empty:
        missing(ev, list(IDLE_LINES), "estimates of how much fiber was in use after the bust")
    lines = list(zip(rows["entity"], rows["metric"], strict=True))
    in_use = np.array([IDLE_LINES[line][1] for line in lines])
    reported = rows["value"].to_numpy(float)
    return pd.DataFrame(
        {
            "measure": [IDLE_LINES[line][0] for line in lines],
            "period": rows["period"].to_numpy(),
            "reported": reported,
            "idle": np.where(in_use, 100.0 - reported, reported),
            "source_id": rows["source_id"].to_numpy(),
            "locator": rows["locator"].to_numpy() if "locator" in rows else "",
        }
    ).sort_values(["period", "source_id"], ignore_index=True)


def half_words(value: float, bar: float = 50.0) -> str:
    """'more than half' / 'exactly half' / 'less than half' for a percent against 50."""
    if value > bar:
        return "more than half"
    return "exactly half" if value == bar else "less than half"


# --- HIST-1 -----------------------------------------------------------------------------------

NASDAQ = "nasdaq_composite"


def nasdaq_falls(ev: Evidence) -> pd.DataFrame:
    """The Nasdaq Composite's fall from its closing peak to its closing trough (percent), for
    every pairing of a source's peak and a source's trough: columns peak, trough, fall, and the
    dates of each."""
    peaks = require_estimates(ev, [(NASDAQ, "close_peak")], "the Nasdaq Composite's closing peak")
    troughs = require_estimates(
        ev, [(NASDAQ, "close_trough")], "the Nasdaq Composite's closing trough"
    )
    pairs = peaks[["value", "period_end"]].merge(
        troughs[["value", "period_end"]], how="cross", suffixes=("_peak", "_trough")
    )
    return pd.DataFrame(
        {
            "peak": pairs["value_peak"],
            "peak_date": pairs["period_end_peak"],
            "trough": pairs["value_trough"],
            "trough_date": pairs["period_end_trough"],
            "fall": 100.0 * (1.0 - pairs["value_trough"] / pairs["value_peak"]),
        }
    )


@engine.claim(
    id="HIST-1",
    chapter=CHAPTER,
    text="Today resembles the late-1990s internet bubble, where excessive investment led to large losses",
    unit="percent",
    value_words="a Nasdaq fall of {}",
    params=("tolerance",),
    assumptions=ESTIMATE_ASSUMPTION,
    grid={"estimate": list(ESTIMATES)},
    labels=ESTIMATE_LABELS,
    facts={
        "estimate": None,
        "idle": "percent",
        "idle_low": "percent",
        "idle_high": "percent",
        "nasdaq_peak": "index points",
        "nasdaq_peak_date": None,
        "nasdaq_trough": "index points",
        "nasdaq_trough_date": None,
        "nasdaq_fall": "percent",
        "value_lost_low": "USD bn",
        "value_lost_high": "USD bn",
        "ai_low": "percent",
        "ai_high": "percent",
        "telecom_low": "percent",
        "telecom_high": "percent",
        "ratio": "ratio",
    },
)
def hist1_internet_bubble(ev: Evidence, p) -> engine.Outcome:
    """The analogy's aptness is a judgement; its factual part is checkable. "Excessive investment
    led to large losses" ⇔ the capacity built far exceeded use (more than half of the fiber or
    its capacity idle after the bust) AND investors lost most of their money (the Nasdaq
    Composite fell by more than half from peak to trough). The value is the Nasdaq's fall."""
    idle = idle_estimates(ev)
    falls = nasdaq_falls(ev)
    idle_value = pick(idle["idle"], p.estimate)
    fall = pick(falls["fall"], p.estimate)
    legs = [
        rubric.numeric_verdict(idle_value, OVERCAPACITY, ">", p.tolerance),
        rubric.numeric_verdict(fall, MOST, ">", p.tolerance),
    ]
    verdict = rubric.worst_of(legs)
    conclusion = {
        "accurate": "excessive investment did lead to large losses",
        "roughly right": "the record nearly bears out excessive investment and large losses",
    }.get(verdict, "the record does not bear out excessive investment and large losses")
    reason = (
        f"After the late-1990s boom {idle_value:.0f}% of the fiber or its capacity lay idle"
        f" ({half_words(idle_value)}) and the Nasdaq lost {fall:.0f}% of its value"
        f" ({half_words(fall)}), so {conclusion}; how far today resembles it is a judgement"
    )
    if p.light:
        return engine.grid_point(fall, verdict, reason)
    shares = all_shares(ev)
    ai, telecom = episode_spread(shares, AI_BUILD_OUT), episode_spread(shares, TELECOM)
    lost = estimates(ev, [("us_telecom", "market_value_lost")])["value"]
    facts = {
        "estimate": p.estimate,
        "idle": idle_value,
        "idle_low": float(idle["idle"].min()),
        "idle_high": float(idle["idle"].max()),
        "nasdaq_peak": float(falls["peak"].median()),
        "nasdaq_peak_date": day(falls["peak_date"].iloc[0]),
        "nasdaq_trough": float(falls["trough"].median()),
        "nasdaq_trough_date": day(falls["trough_date"].iloc[0]),
        "nasdaq_fall": fall,
        "value_lost_low": number_or_none(lost.min()) if len(lost) else None,
        "value_lost_high": number_or_none(lost.max()) if len(lost) else None,
        "ai_low": number_or_none(ai["low"]),
        "ai_high": number_or_none(ai["high"]),
        "telecom_low": number_or_none(telecom["low"]),
        "telecom_high": number_or_none(telecom["high"]),
        "ratio": number_or_none(ai["mid"] / telecom["mid"]) if ai["n"] and telecom["n"] else None,
    }
    return engine.Outcome(fall, verdict, reason, shares if len(shares) else None, facts)


# --- HIST-2 -----------------------------------------------------------------------------------

RAIL_IDLE = [("uk_railways", "capacity_unused_share"), ("us_railroads", "capacity_unused_share")]
"""Where the data would hold how much of the railways built went unused (it holds none yet)."""
RAIL_IDLE_WHAT = "how much of the railway capacity built went unused"
AFTERMATH_MEASURES = {
    ("uk_railways", "share_price_drawdown"): (UK_RAIL, "Fall of share prices"),
    ("uk_railways", "share_authorised_not_started"): (UK_RAIL, "Miles authorised, not begun"),
    ("us_railroads", "share_mileage_in_receivership"): (US_RAIL, "Mileage in receivership"),
    ("us_railroads", "share_railroads_bankrupt"): (US_RAIL, "Railroads bankrupt"),
}
"""What the railway busts left, each in percent: the chart's rows."""


def railway_aftermath(ev: Evidence) -> pd.DataFrame:
    """Every estimate of each aftermath measure (percent): episode, measure, period, value,
    source_id."""
    rows = estimates(ev, list(AFTERMATH_MEASURES))
    named = [AFTERMATH_MEASURES[line] for line in zip(rows["entity"], rows["metric"], strict=True)]
    return pd.DataFrame(
        {
            "episode": [n[0] for n in named],
            "measure": [n[1] for n in named],
            "metric": rows["metric"].to_numpy(),
            "period": rows["period"].to_numpy(),
            "period_end": rows["period_end"].to_numpy(),
            "value": rows["value"].to_numpy(float),
            "source_id": rows["source_id"].to_numpy(),
        }
    )


def measure_range(aftermath: pd.DataFrame, metric: str) -> tuple[float | None, float | None]:
    values = aftermath.loc[aftermath["metric"] == metric, "value"]
    return (float(values.min()), float(values.max())) if len(values) else (None, None)


@engine.claim(
    id="HIST-2",
    chapter=CHAPTER,
    text="The 19th-century railway boom ended in overcapacity and financial ruin",
    unit="percent",
    value_words="a fall in railway shares of {}",
    params=("tolerance",),
    assumptions=ESTIMATE_ASSUMPTION,
    labels=ESTIMATE_LABELS,
    facts={
        "drawdown": "percent",
        "drawdown_period": None,
        "drawdown_words": None,
        "missing": None,
        "not_started": "percent",
        "not_started_date": None,
        "receivership_low": "percent",
        "receivership_high": "percent",
        "bankrupt_low": "percent",
        "bankrupt_high": "percent",
        "uk_low": "percent",
        "uk_high": "percent",
        "us_low": "percent",
        "us_high": "percent",
    },
)
def hist2_railways(ev: Evidence, p) -> engine.Outcome:
    """ "Ended in overcapacity and financial ruin" ⇔ the capacity built far exceeded use (more
    than half of it idle) AND investors lost most of their money (railway share prices fell by
    more than half). Both must hold; a test the data cannot make leaves the claim unsupported.
    The value is the fall of British railway shares."""
    drawdowns = require_estimates(
        ev, [("uk_railways", "share_price_drawdown")], "the fall of British railway shares"
    )
    drawdown = pick(drawdowns["value"], p.estimate)
    ruin = rubric.numeric_verdict(drawdown, MOST, ">", p.tolerance)
    idle_rows = estimates(ev, RAIL_IDLE)
    if idle_rows.empty and any(ev.first_public(MANIAS, entity=e, metric=m) for e, m in RAIL_IDLE):
        missing(ev, RAIL_IDLE, RAIL_IDLE_WHAT)
    over = (
        rubric.numeric_verdict(pick(idle_rows["value"], p.estimate), OVERCAPACITY, ">", p.tolerance)
        if len(idle_rows)
        else None
    )
    verdict = rubric.conjunction_verdict([over, ruin])
    row = drawdowns.iloc[0]
    last = int(str(row["period_end"])[:4])
    first = last - max(int(row["period_months"]) // 12, 1) + 1
    fell = (
        f"British railway shares fell {drawdown:.1f}% from {first} to {last}"
        f" ({half_words(drawdown)} of their value)"
    )
    if over is None:
        reason = (
            f"{fell}, but our data hold no measure of {RAIL_IDLE_WHAT}, so whether the railways"
            " were overbuilt cannot be checked"
        )
    else:
        idle_value = pick(idle_rows["value"], p.estimate)
        reason = (
            f"{fell} and {idle_value:.0f}% of the railway capacity built went unused"
            f" ({half_words(idle_value)})"
        )
    if p.light:
        return engine.grid_point(drawdown, verdict, reason)
    aftermath = railway_aftermath(ev)
    not_started = aftermath[aftermath["metric"] == "share_authorised_not_started"]
    shares = all_shares(ev, [e for e in EPISODES if e.name in (UK_RAIL, US_RAIL)])
    uk, us = episode_spread(shares, UK_RAIL), episode_spread(shares, US_RAIL)
    receivership = measure_range(aftermath, "share_mileage_in_receivership")
    bankrupt = measure_range(aftermath, "share_railroads_bankrupt")
    facts = {
        "drawdown": drawdown,
        "drawdown_period": f"{first}–{last}",
        "drawdown_words": half_words(drawdown),
        "missing": RAIL_IDLE_WHAT if over is None else "nothing",
        "not_started": float(not_started["value"].median()) if len(not_started) else None,
        "not_started_date": day(not_started["period_end"].iloc[0]) if len(not_started) else None,
        "receivership_low": receivership[0],
        "receivership_high": receivership[1],
        "bankrupt_low": bankrupt[0],
        "bankrupt_high": bankrupt[1],
        "uk_low": number_or_none(uk["low"]),
        "uk_high": number_or_none(uk["high"]),
        "us_low": number_or_none(us["low"]),
        "us_high": number_or_none(us["high"]),
    }
    frame = aftermath.drop(columns=["metric", "period_end"])
    return engine.Outcome(drawdown, verdict, reason, frame, facts)


# --- HIST-3 -----------------------------------------------------------------------------------


@engine.claim(
    id="HIST-3",
    chapter=CHAPTER,
    text="Late-1990s fiber-optic investment led to overcapacity",
    unit="percent",
    value_words="{} of the fiber idle",
    params=("tolerance",),
    assumptions=ESTIMATE_ASSUMPTION,
    grid={"estimate": list(ESTIMATES)},
    labels=ESTIMATE_LABELS,
    facts={
        "estimate": None,
        "idle": "percent",
        "idle_low": "percent",
        "idle_mid": "percent",
        "idle_high": "percent",
        "count": None,
        "years": None,
    },
)
def hist3_fiber(ev: Evidence, p) -> engine.Outcome:
    """ "Fiber investment led to overcapacity" ⇔ after the bust more than half of the fiber laid,
    or of the capacity lit on it, sat idle. The value is the idle share on the chosen estimate."""
    idle = idle_estimates(ev)
    value = pick(idle["idle"], p.estimate)
    verdict = rubric.numeric_verdict(value, OVERCAPACITY, ">", p.tolerance)
    low, high = float(idle["idle"].min()), float(idle["idle"].max())
    reason = (
        f"Estimates of the fiber or capacity idle after the bust run from {low:.0f}% to"
        f" {high:.0f}%; on the {p.estimate} one {value:.0f}% sat unused, {half_words(value)}"
    )
    first, last = AFTERMATH
    facts = {
        "estimate": p.estimate,
        "idle": value,
        "idle_low": low,
        "idle_mid": float(idle["idle"].median()),
        "idle_high": high,
        "count": str(len(idle)),
        "years": f"{first}–{last}",
    }
    return engine.Outcome(value, verdict, reason, idle, facts)


# --- HIST-4 -----------------------------------------------------------------------------------

ASSET_LIVES = {
    "fiber": [("fiber_cable", "asset_life")],
    "rail": [("us_railroads", "asset_life_track"), ("us_railroads", "asset_life_structures")],
}
"""Where the data holds each long-lived asset's life: the estimates that make its range."""
ASSET_NAMES = {
    ("fiber_cable", "asset_life"): "Fiber cable",
    ("us_railroads", "asset_life_track"): "Railroad track",
    ("us_railroads", "asset_life_structures"): "Railroad structures",
}
SERVER_LIFE = "server_useful_life_years"
LIFE_AXIS = np.arange(2, 61)
"""Useful lives (years) the cost curve is drawn over."""


def yearly_capital_cost(useful_life, required_return):
    """What one dollar of assets costs a year in its first year: straight-line depreciation plus
    the required return on what is not yet written off (the revenue chapter's payback model)."""
    return revenue.payback_required_revenue([1.0], useful_life, required_return, 0.0, 0.0)


def policy_lives(ev: Evidence, companies=tuple(BIG_FOUR)) -> pd.Series:
    """Each company's server useful life in force in its accounts (years), as known on the
    date: the latest change each has announced. May be empty. Once a date for each set of
    companies (HIST-4's grid points and REV-6 ask again)."""

    def in_force() -> pd.Series:
        rows = ev.rows("useful_lives", metric=SERVER_LIFE, entity=list(companies))
        rows = rows[rows["period"].str.startswith("from-")]
        return rows.sort_values(["entity", "period_end"]).groupby("entity")["value"].last()

    return ev.memo(("policy lives", tuple(companies)), in_force)


def server_life(ev: Evidence, value, in_force: pd.Series) -> float:
    """The useful life of AI servers: a number, or 'published' for the median of the lives in
    force in the four companies' accounts (`in_force`, from `policy_lives`)."""
    if value != "published":
        return float(value)
    if in_force.empty:
        ev.missing(
            "useful_lives",
            "the server life in the four companies' accounts",
            metric=SERVER_LIFE,
            entity=list(BIG_FOUR),
        )
    return float(in_force.median())


@engine.claim(
    id="HIST-4",
    chapter=CHAPTER,
    text="AI chips depreciate quickly, complicating profitability",
    unit="ratio",
    value_words="servers {} as costly a year as fiber",
    params=("server_life_years", "contrast_asset", "required_return", "tolerance"),
    assumptions=ESTIMATE_ASSUMPTION,
    grid={
        "server_life_years": [3.0, 4.5, 6.0],
        "contrast_asset": ["fiber", "rail"],
        "required_return": [0.06, 0.12],
        "estimate": ["low", "high"],
    },
    labels={
        "server_life_years": {
            3.0: "a 3-year server life",
            4.5: "a 4.5-year server life",
            6.0: "a 6-year server life",
        },
        "contrast_asset": {"fiber": "fiber as the long-lived asset", "rail": "railroad assets"},
        "required_return": {0.06: "a 6% return", 0.12: "a 12% return"},
        **ESTIMATE_LABELS,
    },
    facts={
        "server_life": None,
        "policy_low": None,
        "policy_high": None,
        "economic_low": None,
        "contrast": None,
        "contrast_life": None,
        "return": "share",
        "cost_server": "percent",
        "cost_contrast": "percent",
        "ratio": "ratio",
    },
)
def hist4_depreciation(ev: Evidence, p) -> engine.Outcome:
    """ "AI chips depreciate quickly, complicating profitability" ⇔ at the servers' useful life a
    dollar of AI servers must earn at least twice as much a year (depreciation plus a return on
    capital not yet written off) as a dollar of a long-lived asset such as fiber or rail. The
    value is that ratio."""
    in_force = policy_lives(ev)
    life = server_life(ev, p.server_life_years, in_force)
    contrast = require_estimates(
        ev, ASSET_LIVES[p.contrast_asset], f"the useful life of {p.contrast_asset} assets"
    )
    contrast_life = pick(contrast["value"], p.estimate)
    cost_server = float(yearly_capital_cost(life, p.required_return))
    cost_contrast = float(yearly_capital_cost(contrast_life, p.required_return))
    ratio = cost_server / cost_contrast
    verdict = rubric.numeric_verdict(ratio, QUICK, ">", p.tolerance)
    reason = (
        f"At a {years_text(life)}-year life a dollar of AI servers must earn {ratio:.1f} times as"
        f" much a year as a dollar of {p.contrast_asset} lasting {years_text(contrast_life)} years"
        f" (depreciation plus a return of {p.required_return:.0%}),"
        f" {'at least' if ratio >= QUICK else 'less than'} the twice that makes depreciation quick"
    )
    if p.light:
        return engine.grid_point(ratio, verdict, reason)
    economic = ev.rows("useful_lives", metric="gpu_economic_life_claim_years")["value"]
    every_contrast = estimates(ev, [line for lines in ASSET_LIVES.values() for line in lines])
    marks = pd.DataFrame(
        [{"asset": f"AI servers ({years_text(life)} years)", "life": life}]
        + [
            {
                "asset": f"{ASSET_NAMES[(r.entity, r.metric)]} ({years_text(r.value)} years)",
                "life": float(r.value),
            }
            for r in every_contrast.itertuples()
        ]
    ).drop_duplicates("asset")
    curve = pd.DataFrame({"asset": "", "life": LIFE_AXIS.astype(float)})
    frame = pd.concat(
        [curve.assign(kind="curve"), marks.assign(kind="mark")], ignore_index=True
    ).assign(required_return=p.required_return)
    frame["cost"] = 100 * np.asarray(
        yearly_capital_cost(frame["life"].to_numpy(float), p.required_return)
    )
    facts = {
        "server_life": years_text(life),
        "policy_low": years_text(in_force.min()) if len(in_force) else None,
        "policy_high": years_text(in_force.max()) if len(in_force) else None,
        "economic_low": years_text(economic.min()) if len(economic) else None,
        "contrast": p.contrast_asset,
        "contrast_life": years_text(contrast_life),
        "return": p.required_return,
        "cost_server": 100 * cost_server,
        "cost_contrast": 100 * cost_contrast,
        "ratio": ratio,
    }
    return engine.Outcome(ratio, verdict, reason, frame, facts)
