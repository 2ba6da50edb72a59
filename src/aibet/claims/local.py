"""Ellendale, North Dakota (ELL-1…ELL-3): a data-center campus against its town and its state.

Every claim reads the `ellendale` table through `Evidence`, so the same code gives the verdict
as known at publication, at any month-end and with the latest data. Population and state
figures are counts or official estimates only (`COUNTED`): a third party's projection is never
read as a count.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np
import pandas as pd

from aibet import PUBLICATION_DATE
from aibet.claims import engine, rubric
from aibet.data.evidence import Evidence, LeftOut, NotYetPublic

CHAPTER = "ellendale"
TABLE = "ellendale"
CAMPUS, TOWN, STATE = "ellendale_campus", "ellendale", "north_dakota"
HOURS_PER_YEAR = 8760

COUNTED = ("reported", "derived")
"""Statuses of counts and official estimates (and figures computed from them). A row marked
`estimate` — a third party's projection — is not a count."""
CAPACITY = {"it_load": "capacity_mw_total_planned", "gross": "electric_demand_max"}
"""A campus's size: the computing load it is planned for, or the most power the whole site is
reported to draw from the grid (cooling included)."""
CAPACITY_NAMES = {"it_load": "computing load", "gross": "power demand for the whole site"}
COST_BASES = {
    "developer": "investment_developer",
    "with_tenant_equipment": "investment_incl_tenant_equipment",
}
"""Investment counted: the developer's buildings, power and cooling, or also the tenant's servers."""
COST_NAMES = {
    "developer": "the developer's buildings, power and cooling",
    "with_tenant_equipment": "the buildings plus the tenant's servers",
}
STEP_SERIES = {
    "electric_demand_max": "Whole-site power demand",
    "capacity_mw_total_planned": "Planned",
    "leased_mw": "Leased",
    "in_service": "In service",
}
HOUSING = ("housing_homes", "housing_apartment_units")
"""Infrastructure tied to the project: housing built for the campus's workers. (The
Jamestown–Ellendale transmission line is a regional grid project planned before the campus: shown,
not counted.)"""
NOTICEABLE = 0.05
"""Jobs promised at or above this share of the town's residents would change the town."""
MASSIVE_GRID = [50.0, 100.0, 200.0, 300.0, 400.0, 500.0]
"""Plausible bars for "massive", from a large enterprise data center to the largest campuses."""

BUILDING_STAGES = (
    "ready_planned",
    "ready_actual",
    "phase1_ready_planned",
    "phase1_ready_actual",
    "phase2_ready_planned",
    "phase2_ready_actual",
)
BUILDING_EVENTS = tuple(f"building_{n}_{stage}" for n in range(1, 10) for stage in BUILDING_STAGES)
"""A building's dated steps (a planned or reached ready-for-service date, whole or by phase):
the evidence that it is being built."""
_BUILDING = re.compile(r"building_(\d+)_")
_READY = re.compile(r"building_(\d+)_ready_actual$")
NOT_YET = "9999-12-31"


# --- arithmetic -----------------------------------------------------------------------------


def yearly_energy_gwh(capacity_mw, load_factor):
    """Electricity a campus of `capacity_mw` draws in a year at an average `load_factor`."""
    return (
        np.asarray(capacity_mw, dtype=float)
        * np.asarray(load_factor, dtype=float)
        * HOURS_PER_YEAR
        / 1000
    )


def share(part, whole):
    """`part` as a share of `whole` (NaN when the whole is missing or zero)."""
    whole = np.asarray(whole, dtype=float)
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(whole > 0, np.asarray(part, dtype=float) / whole, np.nan)


def ratio(part: float, whole: float) -> float:
    """`part / whole` for a fact or a value: an error, never NaN, when the whole is not positive."""
    value = float(share(part, whole))
    if value != value:
        raise ValueError(f"cannot divide {part!r} by {whole!r}")
    return value


def day(date) -> str:
    """'26 September 2025' (the book's way of writing a date)."""
    return pd.Timestamp(date).strftime("%-d %B %Y")


def shown_only(read) -> tuple:
    """`read()` for a figure shown beside a verdict, never deciding it: (None, None) when it
    was not yet public on the date or is left out for want of a citable source. A figure the
    data does not hold at all is still an error (`MissingFigure`)."""
    try:
        return read()
    except (NotYetPublic, LeftOut):
        return None, None


def amount_of(row: pd.Series | None) -> float | None:
    """A row's value, or None when the figure is not known (`latest_row(…, required=False)`)."""
    return None if row is None else float(row["value"])


def year_of(date) -> int:
    return int(str(date)[:4])


def upper_bound(state_year: int, campus_year: int) -> str:
    """How a campus figure's share of a state figure reads: an upper bound when the state figure
    is older (the state's economy and power use grow; the campus figure is current)."""
    if state_year < campus_year:
        return (
            f"an upper bound, since the state figure is for {state_year} and the campus"
            f" figure for {campus_year}"
        )
    return "a comparison of figures for the same period"


# --- selection ------------------------------------------------------------------------------


def latest_row(
    ev: Evidence, metric: str, entity: str = CAMPUS, what: str | None = None, required=True
) -> pd.Series | None:
    """The most recently published row of one figure known on the date (a campus figure is
    announced again with each news release; the newest announcement is the current one). None
    when nothing is known yet and the figure is not `required`."""
    if required:
        rows = ev.require(TABLE, what, entity=entity, metric=metric)
    else:
        rows = ev.rows(TABLE, entity=entity, metric=metric)
        if rows.empty:
            return None
    return rows.sort_values(["published", "period_end"], kind="stable").iloc[-1]


def series(ev: Evidence, entity: str, metric: str, what: str | None = None) -> pd.Series:
    """One counted figure by year (counts and official estimates only; the latest revision of
    each year known on the date), indexed by year."""
    rows = ev.require(TABLE, what, entity=entity, metric=metric, status=list(COUNTED))
    years = pd.to_datetime(rows["period_end"]).dt.year
    return (
        rows.assign(year=years).sort_values(["year", "published"]).groupby("year")["value"].last()
    )


def latest_value(
    ev: Evidence, entity: str, metric: str, what: str | None = None
) -> tuple[float, int]:
    """The most recent year's value of one counted figure known on the date, and that year."""
    values = series(ev, entity, metric, what)
    return float(values.iloc[-1]), int(values.index[-1])


@dataclass(frozen=True)
class Construction:
    """The campus's buildings with a construction or service date on record."""

    scheduled: tuple[int, ...]
    finished: dict
    """Building number -> the day it was reported ready for service (ISO date)."""

    def done_by(self, on: str) -> list[int]:
        return [b for b in self.scheduled if self.finished.get(b, NOT_YET) <= on]

    def under_way(self, on: str) -> bool:
        """Whether the campus was being built on `on`: some building with a date on record was
        not yet finished that day."""
        return len(self.done_by(on)) < len(self.scheduled)

    def describe(self, on: str) -> str:
        """'on 26 September 2025 none of the 3 buildings … was finished' (or how many were)."""
        done, total = len(self.done_by(on)), len(self.scheduled)
        if total == 1:
            state = "was" if done else "was not yet"
            return f"on {day(on)} the one building with a construction or service date {state} finished"
        count = "none" if done == 0 else f"{done}"
        verb = "was" if done <= 1 else "were"
        return (
            f"on {day(on)} {count} of the {total} buildings with construction or service dates"
            f" on record {verb} finished"
        )


def construction(ev: Evidence) -> Construction:
    """The buildings with dated steps known on the date, and when each was finished. Not yet
    public (unsupported) before any building had a date."""
    rows = ev.require(
        TABLE,
        "a construction or service date for a building of the campus",
        entity=CAMPUS,
        metric=list(BUILDING_EVENTS),
    )
    scheduled = sorted({int(_BUILDING.match(m).group(1)) for m in rows["metric"]})
    finished = {}
    for r in rows.sort_values("period_end").itertuples():
        ready = _READY.match(r.metric)
        if ready:
            finished.setdefault(int(ready.group(1)), str(r.period_end)[:10])
    return Construction(tuple(scheduled), finished)


def under_way(ev: Evidence, on: str) -> bool:
    """Whether construction was under way on `on`, as known on the evidence's date."""
    return construction(ev).under_way(on)


def capacity_steps(ev: Evidence, approved: bool = False) -> pd.DataFrame:
    """The campus over time: planned and leased load as each was announced (and the whole
    site's power demand, when `approved`), and the load in service as buildings were reported
    ready (columns date, mw, series)."""
    return ev.memo(("capacity_steps", approved), lambda: _capacity_steps(ev, approved))


def _capacity_steps(ev: Evidence, approved: bool) -> pd.DataFrame:
    steps = []
    announced = ("capacity_mw_total_planned", "leased_mw")
    for metric in ((CAPACITY["gross"],) if approved else ()) + announced:
        found = ev.rows(TABLE, entity=CAMPUS, metric=metric).sort_values("published")
        steps += [
            {"date": pd.Timestamp(r.published), "mw": r.value, "series": STEP_SERIES[metric]}
            for r in found.itertuples()
        ]
    ready_metrics = [m for m in BUILDING_EVENTS if _READY.match(m)]
    done = ev.rows(TABLE, entity=CAMPUS, metric=ready_metrics)
    ready = []
    for r in done.sort_values("period_end").drop_duplicates("metric").itertuples():
        building = _READY.match(r.metric).group(1)
        size = ev.rows(TABLE, entity=CAMPUS, metric=f"capacity_mw_building_{building}")
        if not size.empty:
            size = size.sort_values("published")
            ready.append((pd.Timestamp(r.period_end), float(size["value"].iloc[-1])))
    in_service = pd.Series(dtype=float)
    if ready:
        dates, sizes = zip(*sorted(ready), strict=True)
        in_service = pd.Series(np.cumsum(sizes), index=list(dates))
    reported = ev.rows(TABLE, entity=CAMPUS, metric="capacity_mw_operational")
    for r in reported.itertuples():
        in_service[pd.Timestamp(r.period_end)] = max(
            r.value, in_service.max() if len(in_service) else 0
        )
    steps += [
        {"date": d, "mw": v, "series": STEP_SERIES["in_service"]}
        for d, v in in_service.sort_index().items()
    ]
    return pd.DataFrame(steps, columns=["date", "mw", "series"])


SIZE_WORDS = {
    "accurate": "at least",
    "roughly right": "just short of",
    "overstated": "well short of",
}
"""How a measured size stands against a bar, in the words of its numeric verdict."""


# --- ELL-1 ----------------------------------------------------------------------------------


@engine.claim(
    id="ELL-1",
    chapter=CHAPTER,
    text="A massive AI data center is being built in Ellendale",
    unit="MW",
    value_words="{} planned",
    params=("massive_mw", "capacity_basis", "load_factor", "cost_base", "tolerance"),
    grid={"massive_mw": MASSIVE_GRID, "capacity_basis": list(CAPACITY)},
    labels={
        "massive_mw": {v: f"{v:,.0f} MW as the bar for massive" for v in MASSIVE_GRID},
        "capacity_basis": {
            "it_load": "the computing load counted",
            "gross": "the whole site's power demand counted",
        },
    },
    facts={
        "capacity": None,
        "basis": None,
        "construction": None,
        "invest_developer": "USD bn",
        "invest_with_tenant": "USD bn",
        "cost_base": None,
        "gdp": "USD bn",
        "gdp_year": None,
        "invest_share": "share",
        "invest_bound": None,
        "energy": None,
        "load": None,
        "sales": None,
        "sales_year": None,
        "power_share": "share",
        "power_bound": None,
    },
)
def ell1_massive(ev: Evidence, p) -> engine.Outcome:
    """Massive ⇔ the campus's planned capacity is at least `massive_mw`; being built ⇔ on the
    article's date (or the date judged, if earlier) some building with a construction or service
    date on record was not yet finished. The scale against the state is shown, not judged."""
    basis = CAPACITY_NAMES[p.capacity_basis]
    capacity = latest_row(ev, CAPACITY[p.capacity_basis], what=f"the campus's {basis}")
    mw = float(capacity["value"])
    site = construction(ev)
    on = PUBLICATION_DATE if ev.reached(PUBLICATION_DATE) else ev.as_of
    building = site.under_way(on)
    size = rubric.numeric_verdict(mw, p.massive_mw, ">", p.tolerance)
    verdict = rubric.fact_and_size_verdict(building, size)
    status = site.describe(on)
    reason = (
        f"The campus is planned for {mw:,.0f} MW of {basis}, {SIZE_WORDS[size]} the"
        f" {p.massive_mw:,.0f} MW that counts as massive here, and "
        + (
            f"it was being built: {status}"
            if building
            else f"it was no longer being built: {status}"
        )
    )
    if p.light:
        return engine.grid_point(mw, verdict, reason)

    # The campus against the state is shown, never judged: a figure of it not known on the
    # date, or left out for want of a citable source, leaves its facts blank, not the verdict.
    invested = {base: latest_row(ev, metric, required=False) for base, metric in COST_BASES.items()}
    chosen = invested[p.cost_base]
    gdp, gdp_year = shown_only(lambda: latest_value(ev, STATE, "gdp_nominal", "North Dakota's GDP"))
    sales, sales_year = shown_only(
        lambda: latest_value(
            ev, STATE, "electricity_retail_sales", "North Dakota's retail electricity sales"
        )
    )
    energy = float(yearly_energy_gwh(mw, p.load_factor))
    years = {}
    if chosen is not None and gdp is not None:
        years["invest"] = (gdp_year, year_of(chosen["period_end"]))
    if sales is not None:
        years["power"] = (sales_year, year_of(capacity["period_end"]))
    facts = {
        "capacity": f"{mw:,.0f} MW",
        "basis": basis,
        "construction": status,
        "invest_developer": amount_of(invested["developer"]),
        "invest_with_tenant": amount_of(invested["with_tenant_equipment"]),
        "cost_base": COST_NAMES[p.cost_base],
        "gdp": gdp,
        "gdp_year": None if gdp is None else str(gdp_year),
        "invest_share": ratio(chosen["value"], gdp) if "invest" in years else None,
        "invest_bound": upper_bound(*years["invest"]) if "invest" in years else None,
        "energy": f"{energy:,.0f} GWh",
        "load": f"{p.load_factor:.0%}",
        "sales": None if sales is None else f"{sales:,.0f} GWh",
        "sales_year": None if sales is None else str(sales_year),
        "power_share": ratio(energy, sales) if "power" in years else None,
        "power_bound": upper_bound(*years["power"]) if "power" in years else None,
    }
    frame = capacity_steps(ev, approved=p.capacity_basis == "gross").assign(threshold=p.massive_mw)
    return engine.Outcome(mw, verdict, reason, frame, facts)


# --- ELL-2 ----------------------------------------------------------------------------------


@engine.claim(
    id="ELL-2",
    chapter=CHAPTER,
    text="The data center is expected to raise the population and drive infrastructure development",
    unit="percent",
    value_words="jobs for {} of the town",
    params=("tolerance",),
    assumptions={"noticeable_share": NOTICEABLE},
    grid={"noticeable_share": [0.02, NOTICEABLE, 0.10]},
    labels={"noticeable_share": {0.10: "a bar of 10% of residents for a noticeable change"}},
    facts={
        "population": None,
        "census_year": None,
        "jobs": None,
        "jobs_share": "share",
        "noticeable": "share",
        "homes": None,
        "flats": None,
        "housing_date": None,
        "expectation": None,
        "line_cost": None,
    },
)
def ell2_expected_growth(ev: Evidence, p) -> engine.Outcome:
    """Expected to raise the population and drive infrastructure ⇔ the permanent jobs promised
    come to at least a noticeable share of the town's residents (`NOTICEABLE` unless the grid says
    otherwise), and housing for the campus's workers
    has been announced. Officials' own expectation of new residents is shown from the day it
    was said (after the article)."""
    population, census_year = latest_value(
        ev, TOWN, "population", "Ellendale's population (a count or an official estimate)"
    )
    jobs = float(
        latest_row(ev, "jobs_permanent", what="the number of permanent jobs promised")["value"]
    )
    housing = ev.require(
        TABLE, "housing announced for the campus's workers", entity=CAMPUS, metric=list(HOUSING)
    )
    jobs_share = ratio(jobs, population)
    verdict = rubric.numeric_verdict(jobs_share, p.noticeable_share, ">", p.tolerance)

    homes, flats = (latest_row(ev, m, required=False) for m in HOUSING)
    built = " and ".join(
        f"{row['value']:,.0f} {noun}"
        for row, noun in ((homes, "homes"), (flats, "apartments"))
        if row is not None
    )
    low, high = (
        latest_row(ev, f"population_growth_expected_{end}", required=False)
        for end in ("low", "high")
    )
    expected = low is not None and high is not None
    reason = (
        f"The {jobs:,.0f} permanent jobs promised at the campus are {jobs_share:.0%} of"
        f" Ellendale's {population:,.0f} residents ({census_year}), {SIZE_WORDS[verdict]} the"
        f" {p.noticeable_share:.0%} that would change a town, and {built} have been announced for its"
        " workers"
        + (
            f"; the mayor expected {low['value']:,.0f}–{high['value']:,.0f} more residents"
            f" on {day(high['published'])}"
            if expected
            else ""
        )
    )
    if p.light:
        return engine.grid_point(100 * jobs_share, verdict, reason)
    line = latest_row(ev, "transmission_line_cost", required=False)
    facts = {
        "population": f"{population:,.0f}",
        "census_year": str(census_year),
        "jobs": f"{jobs:,.0f}",
        "jobs_share": jobs_share,
        "noticeable": p.noticeable_share,
        "homes": None if homes is None else f"{homes['value']:,.0f}",
        "flats": None if flats is None else f"{flats['value']:,.0f}",
        "housing_date": day(housing["published"].min()),
        "expectation": (
            f"{low['value']:,.0f} to {high['value']:,.0f} more residents (up to"
            f" {ratio(high['value'], population):.0%} more), said on {day(high['published'])}"
            if expected
            else None
        ),
        "line_cost": None if line is None else f"${line['value'] * 1000:,.0f} million",
    }
    people = series(ev, TOWN, "population").rename("people").rename_axis("year").reset_index()
    frame = people.assign(series="Residents (counts and official estimates)")
    if expected:
        band = pd.DataFrame(
            {
                "year": [year_of(high["published"])],
                "low": [population + low["value"]],
                "high": [population + high["value"]],
                "series": ["Expected by the mayor"],
            }
        )
        frame = pd.concat([frame, band], ignore_index=True)
    return engine.Outcome(100 * jobs_share, verdict, reason, frame, facts)


# --- ELL-3 ----------------------------------------------------------------------------------


@engine.claim(
    id="ELL-3",
    chapter=CHAPTER,
    text="Local officials worry the local economy could collapse if the AI boom fails",
    unit="percent",
    value_words="one tenant for {} of the load",
    facts={
        "tenant_share": "share",
        "term": None,
        "contract": "USD bn",
        "tax_base": None,
        "statements": None,
        "last_statement": None,
    },
)
def ell3_worry(ev: Evidence, p) -> engine.Outcome:
    """A worry: context, with what the town is exposed to (one tenant, its leases, the tax base
    the campus brought) and officials' dated words."""
    said = ev.require(
        TABLE, "any official's statement on the campus", entity=CAMPUS, metric="official_statement"
    ).sort_values(["period_end", "published"], kind="stable")
    leased, planned, term, contract = (
        latest_row(ev, m, required=False)
        for m in (
            "leased_mw",
            "capacity_mw_total_planned",
            "lease_term_years",
            "lease_contract_value",
        )
    )
    tax = latest_row(ev, "tax_base_change_from_campus_annexation", entity=TOWN, required=False)
    tenant_share = (
        ratio(leased["value"], planned["value"])
        if leased is not None and planned is not None
        else None
    )
    if tenant_share is None:
        exposure = "no tenant had signed a lease yet"
    else:
        exposure = f"one tenant leases {tenant_share:.0%} of the campus's planned load" + (
            f" for about {term['value']:,.0f} years" if term is not None else ""
        )
        if contract is not None:
            exposure += f" (${contract['value']:,.0f} bn of rent)"
    last = str(said["period_end"].iloc[-1])[:10]
    reason = (
        f"A worry rather than a checkable fact, so not rated: {exposure}, and {len(said)}"
        f" statements by officials are on record, the latest from {day(last)}"
    )
    value = None if tenant_share is None else 100 * tenant_share
    if p.light:
        return engine.grid_point(value, "context", reason)
    publishers = ev.sources.set_index("source_id")["publisher"] if "publisher" in ev.sources else {}
    frame = pd.DataFrame(
        {
            "date": said["period_end"].str.slice(0, 10),
            "words": said["locator"],
            "who": said["note"].fillna(""),
            "reported_by": [str(publishers.get(s, s)).split(" (")[0] for s in said["source_id"]],
        }
    ).reset_index(drop=True)
    facts = {
        "tenant_share": tenant_share,
        "term": None if term is None else f"{term['value']:,.0f} years",
        "contract": None if contract is None else float(contract["value"]),
        "tax_base": (
            None
            if tax is None
            else f"about {tax['value']:g}× what it was once the campus was annexed (the mayor,"
            f" {day(tax['published'])})"
        ),
        "statements": f"{len(said)}",
        "last_statement": day(last),
    }
    return engine.Outcome(value, "context", reason, frame, facts)
