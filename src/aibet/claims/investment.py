"""The investment-scale claims (INV-1…INV-5): each a function of the evidence known on a date
and the chapter's parameters.

The same code gives the verdict as known at publication and with the latest data; the engine
calls it again over each claim's grid for the robustness.
"""

from __future__ import annotations

import pandas as pd

from aibet import PUBLICATION_DATE
from aibet.claims import engine, models, rubric
from aibet.data.evidence import Evidence, day_after

BIG_FOUR = ["microsoft", "alphabet", "amazon", "meta"]
CHAPTER = "investment-scale"


def cutoff(as_of: str) -> str | None:
    """The `as_of` parameter as a date filter: None means every figure in `data/`.
    (Used by chapters not yet on the engine; claim code takes an `Evidence` instead.)"""
    return None if as_of == "latest" else as_of


# --- words ---------------------------------------------------------------------------------


def company_name(entity: str) -> str:
    """'microsoft' -> 'Microsoft' (the names the book prints)."""
    return entity.replace("_", " ").title()


def company_names(companies: list[str]) -> str:
    """'Microsoft, Alphabet, Amazon and Meta' for prose and labels."""
    names = [company_name(c) for c in companies]
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


def comparison(value: float, reference: float) -> str:
    """'short of' / 'above' / 'not computable from our data': prose that follows the numbers."""
    if value != value:
        return "not computable from our data against"
    return "short of" if value < reference else "above"


def day(iso: str) -> str:
    """'2025-09-30' -> '30 September 2025' (dates as a reason writes them)."""
    return pd.Timestamp(iso).strftime("%-d %B %Y")


def usd(value: float) -> str:
    """$1,234 bn (or $9.5 bn below ten): money as the reasons write it."""
    return f"${value:,.1f} bn" if abs(value) < 10 else f"${value:,.0f} bn"


def period_words(period: str, period_end: str, months: int) -> str:
    """How a reader names a reporting period: '2026', 'the year to June 2025', 'the quarter to
    September 2025'."""
    end = pd.Timestamp(period_end)
    if months == 12 and end.month == 12:
        return str(end.year)
    span = "year" if months == 12 else "quarter" if months == 3 else f"{months} months"
    return f"the {span} to {end.strftime('%B %Y')}"


def publishers(ev: Evidence) -> pd.Series:
    """Who published each source document (by source id): metadata, not figures."""
    documents = ev.sources.set_index("source_id")
    return documents["publisher"] if "publisher" in documents else pd.Series(dtype=str)


# --- INV-1: capex over the past three years ----------------------------------------------------

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


def known_annual_capex(
    ev: Evidence, companies, year_basis: str, include_finance_leases: bool
) -> pd.DataFrame:
    """`models.annual_capex` of the capex rows known on the evidence's date, computed once a
    date for all the claims (of every chapter) that ask for the same companies and basis."""
    companies = list(companies)
    known = ev.rows("capex", entity=companies)
    key = ("annual_capex", tuple(companies), year_basis, include_finance_leases)
    return ev.memo(
        key, lambda: models.annual_capex(known, companies, year_basis, include_finance_leases)
    )


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
    annual = known_annual_capex(ev, companies, year_basis, include_finance_leases)
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
    if p.light:
        return engine.grid_point(total, verdict, reason)
    frame = annual.assign(
        company=annual["entity"].map(company_name),
        in_window=annual["year"].isin(years),
    )
    gaps = frame["in_window"] & frame["leases_missing"]
    facts = {
        "total": total,
        "years": span,
        "share_of_trillion": total / 1000.0,
        "who": company_names(p.companies),
        "missing_leases": ", ".join(
            sorted(company_name(e) for e in frame.loc[gaps, "entity"].unique())
        )
        or "none",
    }
    return engine.Outcome(total, verdict, reason, frame, facts)


# --- INV-2: more than the Interstate Highway System ------------------------------------------

INTERSTATE_YEARS = (1956, 1991)
"""Construction years covered by the 1991 Interstate Cost Estimate (FHWA)."""
PROFILES = ("final_year", "known_then_even", "even")
"""How the Interstate's nominal cost may be spread over its construction years: all of it in
the final year (the cheapest conversion, a lower bound), the federal authorizations' shares for
the years they cover and the rest evenly (central), or equal amounts every year (upper bound)."""
PROFILE_WORDS = {
    "final_year": "the Interstate's money all spent in 1991",
    "known_then_even": "the Interstate's money spent as authorised, then evenly",
    "even": "the Interstate's money spent evenly every year",
}
PROFILE_SHORT = {
    "final_year": "All in 1991",
    "known_then_even": "Authorised, then even",
    "even": "Even every year",
}
"""Chart labels (short enough for a phone)."""


def price_base(index: pd.Series, wanted: int) -> tuple[int, str]:
    """The year whose prices amounts are expressed in: `wanted`, or, when its price index was
    not yet published on the date, the latest year whose index was; and how to say it."""
    last = int(index.index.max())
    if wanted <= last:
        return wanted, f"{wanted} prices"
    return last, (
        f"{last} prices (the latest year whose consumer prices were published by then;"
        f" {wanted}'s were not yet)"
    )


def in_prices(values: pd.Series, years: pd.Series, index: pd.Series, base: int) -> pd.Series:
    """Nominal amounts of `years` in `base`-year prices. A year after the index's last is taken
    at the last year's prices (its own price level was not yet published)."""
    years = pd.Series(years).reset_index(drop=True).clip(upper=int(index.index.max()))
    return models.to_base_year(pd.Series(values).reset_index(drop=True), years, index, base)


def interstate_spending(ev: Evidence) -> dict[str, pd.Series]:
    """The Interstate's nominal cost (USD bn) spread over its construction years by each
    profile (PROFILES)."""
    total = ev.value(
        "interstate", "the Interstate's final cost estimate", metric="cost_estimate_total"
    )
    federal = ev.value(
        "interstate",
        "the federal share of the Interstate's cost",
        metric="cost_estimate_federal_share",
    )
    # Authorizations (USD m) are federal dollars: as shares of the federal total they give the
    # early years' share of the whole programme, applied here to the total cost.
    known = ev.series("interstate_authorizations") / 1000 / federal * total
    first, last = INTERSTATE_YEARS
    return {
        profile: models.spending_profile(total, first, last, profile, known) for profile in PROFILES
    }


def authorised_years(ev: Evidence) -> str:
    """The construction years the federal authorizations in our data cover: '1956–1968'."""
    first, last = INTERSTATE_YEARS
    years = [y for y in ev.series("interstate_authorizations").index if first <= y <= last]
    return f"{min(years)}–{max(years)}"


def in_real_terms(
    ev: Evidence,
    companies,
    year_basis: str,
    include_finance_leases: bool,
    window_years: int,
    deflator: str,
    price_base_year: int,
) -> tuple[list[int], float, dict[str, float], float, str]:
    """INV-2's two sides in the same year's prices: the window's years, the companies' capex
    over them, the Interstate's cost by each profile, its nominal cost, and the prices' words
    (once a date for the points of the grid that share them)."""
    years, annual = known_capex_window(
        ev, companies, year_basis, include_finance_leases, window_years
    )
    index, base, prices, costs, nominal = ev.memo(
        ("interstate in real terms", deflator, price_base_year),
        lambda: interstate_in_real_terms(ev, deflator, price_base_year),
    )
    window = annual[annual["year"].isin(years)]
    capex_real = float(in_prices(window["value"], window["year"], index, base).sum())
    return years, capex_real, costs, nominal, prices


def interstate_in_real_terms(ev: Evidence, deflator: str, price_base_year: int) -> tuple:
    """The price index, the year whose prices count and its words, the Interstate's cost in
    those prices by each profile, and its nominal cost."""
    index = ev.series(deflator)
    base, prices = price_base(index, price_base_year)
    spending = interstate_spending(ev)
    nominal = float(spending["final_year"].sum())  # one amount: exactly the estimate
    costs = {
        profile: models.real_total(spread, index, base) for profile, spread in spending.items()
    }
    return index, base, prices, costs, nominal


@engine.claim(
    id="INV-2",
    chapter=CHAPTER,
    text="That spending surpassed the cost of the U.S. Interstate Highway System",
    article_value=1.0,
    unit="ratio",
    value_words="{} the Interstate's cost",
    comparator=">",
    params=(
        "companies",
        "year_basis",
        "include_finance_leases",
        "window_years",
        "interstate_profile",
        "price_base_year",
        "deflator",
        "tolerance",
    ),
    grid={**WINDOW_GRID, "interstate_profile": list(PROFILES)},
    labels={**WINDOW_LABELS, "interstate_profile": PROFILE_WORDS},
    facts={
        "ratio": "ratio",
        "capex_real": "USD bn",
        "interstate_real": "USD bn",
        "low": "USD bn",
        "high": "USD bn",
        "nominal": "USD bn",
        "prices": None,
        "years": None,
        "who": None,
        "construction": None,
        "authorised": None,
        "profile": None,
    },
)
def inv2_interstate(ev: Evidence, p) -> engine.Outcome:
    """INV-1's capex over the Interstate's cost, both in the same year's prices. The
    Interstate's cost was paid in the dollars of 1956–1991, so its value today depends on when
    it was spent: the profile is an assumption, and the grid covers all three."""
    window = (p.companies, p.year_basis, p.include_finance_leases, p.window_years)
    years, capex_real, costs, nominal, prices = ev.memo(
        ("in real terms", *map(engine.frozen, window), p.deflator, p.price_base_year),
        lambda: in_real_terms(ev, *window, p.deflator, p.price_base_year),
    )
    interstate = costs[p.interstate_profile]
    ratio = capex_real / interstate
    verdict = rubric.numeric_verdict(ratio, 1.0, ">", p.tolerance)
    span = f"{years[0]}–{years[-1]}"
    who = company_names(p.companies)
    outcome = "so it did surpass it" if ratio >= 1 else "so it did not surpass it"
    reason = (
        f"In {prices}, the capital spending of {who} in {span} was {usd(capex_real)},"
        f" {ratio:.2f} times the Interstate's cost of {usd(interstate)}"
        f" (with {PROFILE_WORDS[p.interstate_profile]}), {outcome}"
    )
    if p.light:
        return engine.grid_point(ratio, verdict, reason)
    frame = pd.DataFrame(
        {
            "profile": list(PROFILES),
            "label": [PROFILE_SHORT[k] for k in PROFILES],
            "interstate_real": [costs[k] for k in PROFILES],
            "capex_real": capex_real,
            "ratio": [capex_real / costs[k] for k in PROFILES],
            "chosen": [k == p.interstate_profile for k in PROFILES],
        }
    )
    facts = {
        "ratio": ratio,
        "capex_real": capex_real,
        "interstate_real": interstate,
        "low": min(costs.values()),
        "high": max(costs.values()),
        "nominal": nominal,
        "prices": prices,
        "years": span,
        "who": who,
        "construction": f"{INTERSTATE_YEARS[0]}–{INTERSTATE_YEARS[1]}",
        "authorised": authorised_years(ev),
        "profile": PROFILE_WORDS[p.interstate_profile],
    }
    return engine.Outcome(ratio, verdict, reason, frame, facts)


# --- capex plans (INV-3, INV-4, INV-5) -------------------------------------------------------

GUIDANCE = ("capex_guidance_point", "capex_guidance_low", "capex_guidance_high")
PLAN_METRICS = (*GUIDANCE, "ai_datacenter_spend_plan")
"""What a company says it will spend: capex guidance (a figure, a range, or one end of it) and
Microsoft's plan for AI data centers (the figure it gave for its fiscal 2025)."""


def stated_plan(rows: pd.DataFrame) -> dict | None:
    """One company's most recent statement of its plan for one period: {low, high, value,
    bound, published, source_id}. `value` is the midpoint of a range, the figure itself, or the
    one end given ('more than $30 bn' → 30, bound 'floor'). None when `rows` is empty."""
    if rows.empty:
        return None
    newest = rows[rows["published"] == rows["published"].max()]
    said = newest.drop_duplicates("metric", keep="last").set_index("metric")["value"]
    point = said.get("capex_guidance_point", said.get("ai_datacenter_spend_plan"))
    low, high = (
        (point, point) if point is not None else (said.get(GUIDANCE[1]), said.get(GUIDANCE[2]))
    )
    if low is None and high is None:
        return None
    bound = "floor" if high is None else "ceiling" if low is None else None
    low = high if low is None else low
    high = low if high is None else high
    return {
        "low": float(low),
        "high": float(high),
        "value": (float(low) + float(high)) / 2,
        "bound": bound,
        "published": str(newest["published"].iloc[0]),
        "source_id": str(newest["source_id"].iloc[-1]),
    }


# --- INV-3: Meta's $600 bn -------------------------------------------------------------------

PLEDGE = {"entity": "meta", "metric": "us_investment_pledge"}
ARTICLE_BOUND = "ceiling"
"""The article's "up to" makes the figure a ceiling."""


def floor_phrases(quotes: pd.Series, value: float) -> list[str]:
    """The words in `quotes` that make a figure a floor, as a reason quotes them."""
    text = " ".join(quotes).lower()
    shown = {"b+": f"${value:,.0f}B+", "over $": "over"}
    return [f"“{shown.get(w, w)}”" for w in rubric.FLOOR_WORDS if w in text]


@engine.claim(
    id="INV-3",
    chapter=CHAPTER,
    text="Meta estimates up to $600 billion of U.S. spending by 2028",
    article_value=600.0,
    unit="USD bn",
    comparator="≈",
    params=("include_finance_leases", "tolerance"),
    facts={
        "value": "USD bn",
        "period": None,
        "pace": "USD bn",
        "meta_last": "USD bn",
        "meta_last_year": None,
        "framing": None,
        "statements": None,
        "first_said": None,
    },
)
def inv3_meta_pledge(ev: Evidence, p) -> engine.Outcome:
    """What Meta said (every statement public on the date), read for its framing: a figure the
    speakers gave as a floor ("at least") that the article gives as a ceiling ("up to") is
    mischaracterized however close the number (rule 3). No assumption to vary: no grid."""
    value = ev.value("plans", "Meta's statement of its U.S. investment through 2028", **PLEDGE)
    statements = ev.versions("plans", **PLEDGE)
    numeric = rubric.numeric_verdict(value, 600.0, "≈", p.tolerance)
    verdict = rubric.framing_verdict(statements["locator"], ARTICLE_BOUND, numeric)
    first_year, last_year = (int(y) for y in statements["period"].iloc[-1].split("-"))
    pace = value / (last_year - first_year + 1)
    floor_words = ", ".join(floor_phrases(statements["locator"], value))
    bounds = rubric.stated_bounds(statements["locator"])
    if verdict == "mischaracterized":
        framing = f"a floor ({floor_words})"
        reason = (
            f"Meta gave {usd(value)} of U.S. investment through {last_year} as a floor"
            f" ({floor_words}), not the ceiling the article's “up to” makes of it"
        )
    else:
        framing = {
            frozenset({"ceiling"}): "a ceiling (“up to”)",
            frozenset({"floor", "ceiling"}): f"a ceiling (“up to”) in some, a floor ({floor_words})"
            " in others",
        }.get(frozenset(bounds), "a plain figure, no bound")
        reason = (
            f"Meta put its U.S. investment through {last_year} at {usd(value)} ({framing}),"
            f" {'in line with' if numeric in ('accurate', 'roughly right') else 'unlike'}"
            " the article's “up to $600 billion”"
        )
    if p.light:
        return engine.grid_point(value, verdict, reason)
    capex = models.annual_capex(
        ev.rows("capex", entity="meta"), ["meta"], "calendar", p.include_finance_leases
    )
    if capex.empty:
        ev.missing("capex", "Meta's yearly capex", entity="meta", metric=models.CAPEX)
    last = capex.iloc[-1]
    guide = stated_plan(ev.rows("plans", entity="meta", period="CY2026", metric=list(GUIDANCE)))
    documents = publishers(ev)
    frame = pd.concat(
        [
            capex.assign(part="capex")[["part", "year", "value"]],
            pd.DataFrame(
                [{"part": "guidance", "year": 2026, "low": guide["low"], "high": guide["high"]}]
                if guide
                else [],
                columns=["part", "year", "low", "high"],
            ),
            pd.DataFrame(
                {"part": ["pace"], "value": [pace], "years": [last_year - first_year + 1]}
            ),
            statements.assign(
                part="statement",
                wording=statements["locator"],
                publisher=[documents.get(s, s) for s in statements["source_id"]],
            )[["part", "published", "wording", "publisher", "value", "source_id"]],
        ],
        ignore_index=True,
    )
    facts = {
        "value": value,
        "period": f"{first_year}–{last_year}",
        "pace": pace,
        "meta_last": float(last["value"]),
        "meta_last_year": str(int(last["year"])),
        "framing": framing,
        "statements": str(len(statements)),
        "first_said": day(statements["published"].iloc[0]),
    }
    return engine.Outcome(value, verdict, reason, frame, facts)


# --- INV-4: Microsoft and others project substantial future spending -----------------------

SPENDING = ("capex_incl_finance_leases", models.CAPEX, "capex_headline")
"""Reported capex, broadest measure first (guidance usually includes finance leases)."""


def spending_in(spent: pd.DataFrame, period_end: str, months: int) -> tuple[float, str]:
    """A company's capex for one reported period in its broadest measure: including finance
    leases where reported as such, else purchases of property and equipment plus finance-lease
    spending where reported, else the purchases alone, else the headline figure."""
    rows = spent[(spent["period_end"] == period_end) & (spent["period_months"] == months)]
    said = rows.drop_duplicates("metric", keep="last").set_index("metric")["value"]
    if SPENDING[0] in said:
        return float(said[SPENDING[0]]), str(rows["period"].iloc[0])
    if models.CAPEX in said:
        leases = [said[m] for m in models.FINANCE_LEASE_METRICS if m in said]
        return float(said[models.CAPEX] + (leases[0] if leases else 0.0)), str(
            rows["period"].iloc[0]
        )
    return float(said[SPENDING[2]]), str(rows["period"].iloc[0])


def plan_ahead(ev: Evidence, company: str) -> dict | None:
    """The company's plan for its next period not yet reported on the date (the one ending
    soonest; the longest on a tie), against its capex in the latest reported period of the same
    length: {company, plan, low, high, bound, period, base, base_period, ratio, published}.
    None when it has stated no plan for a period still ahead. Only the company's own figures
    count (not a journalist's derivation)."""
    plans = ev.rows("plans", entity=company, metric=list(PLAN_METRICS))
    plans = plans[plans["status"] == "reported"]
    spent = ev.rows("capex", entity=company, metric=[*SPENDING, *models.FINANCE_LEASE_METRICS])
    measured = spent[spent["metric"].isin(SPENDING)]
    reported = set(zip(measured["period_end"], measured["period_months"], strict=True))
    ahead = plans[
        [
            (end, months) not in reported
            for end, months in zip(plans["period_end"], plans["period_months"], strict=True)
        ]
    ]
    if ahead.empty:
        return None
    first = ahead.sort_values(["period_end", "period_months"], ascending=[True, False]).iloc[0]
    plan = stated_plan(ahead[ahead["period"] == first["period"]])
    months = int(first["period_months"])
    before = measured[
        (measured["period_months"] == months) & (measured["period_end"] < first["period_end"])
    ]
    if before.empty:
        ev.missing(
            "capex",
            f"{company_name(company)}'s capex for a {months}-month period before {first['period']}",
            entity=company,
            period_months=months,
        )
    base_end = before["period_end"].max()
    base, base_period = spending_in(spent, base_end, months)
    return {
        "company": company_name(company),
        "plan": plan["value"],
        "low": plan["low"],
        "high": plan["high"],
        "bound": plan["bound"],
        "period": period_words(str(first["period"]), str(first["period_end"]), months),
        "published": plan["published"],
        "base": base,
        "base_period": period_words(base_period, base_end, months),
        "ratio": plan["value"] / base,
    }


def said_plan(plan: dict) -> str:
    """'more than $30 bn for the quarter to September 2025' / '$125–145 bn for 2026'."""
    if plan["bound"] == "floor":
        amount = f"more than {usd(plan['plan'])}"
    elif plan["bound"] == "ceiling":
        amount = f"up to {usd(plan['plan'])}"
    elif plan["low"] != plan["high"]:
        amount = f"${plan['low']:,.0f}–{plan['high']:,.0f} bn"
    else:
        amount = usd(plan["plan"])
    return f"{amount} for {plan['period']}"


INV4_FACTS = (
    "msft_plan",
    "msft_said",
    "msft_base",
    "msft_base_period",
    "msft_ratio",
    "others",
    "others_ratio",
    "silent",
)


@engine.claim(
    id="INV-4",
    chapter=CHAPTER,
    text="Microsoft and others project substantial future expenditures",
    article_value=1.0,
    unit="ratio",
    value_words="{} their latest spending",
    comparator=">",
    params=("tolerance",),
    facts={
        "msft_plan": "USD bn",
        "msft_said": None,
        "msft_base": "USD bn",
        "msft_base_period": None,
        "msft_ratio": "ratio",
        "others": None,
        "others_ratio": "ratio",
        "silent": None,
    },
)
def inv4_future_spending(ev: Evidence, p) -> engine.Outcome:
    """A statement attributed to companies, so checkable (rule 1). The test: "Microsoft and
    others project substantial future expenditures" ⇔ Microsoft's latest plan for a period
    still ahead, and the other three's combined, exceed what each spent in its latest reported
    period of the same length. The value is the smaller of the two multiples (> 1 holds)."""
    if ev.rows("plans", entity="microsoft", metric=list(PLAN_METRICS)).empty:
        ev.missing(
            "plans",
            "a capex plan stated by Microsoft",
            entity="microsoft",
            metric=list(PLAN_METRICS),
        )
    msft = plan_ahead(ev, "microsoft")
    others = [plan for c in BIG_FOUR if c != "microsoft" if (plan := plan_ahead(ev, c))]
    if msft is None or not others:
        missing = "Microsoft" if msft is None else "any of Alphabet, Amazon and Meta"
        return engine.Outcome(
            None,
            "unsupported",
            f"No capex plan of {missing} for a period still ahead was public on {day(ev.as_of)}"
            " in our data (the last one stated has since been reported)",
            None,
            dict.fromkeys(INV4_FACTS),
            undetermined=True,
        )
    others_ratio = sum(o["plan"] for o in others) / sum(o["base"] for o in others)
    verdicts = [
        rubric.numeric_verdict(r, 1.0, ">", p.tolerance) for r in (msft["ratio"], others_ratio)
    ]
    verdict = rubric.worst_of(verdicts)
    value = min(msft["ratio"], others_ratio)
    who = company_names([o["company"].lower() for o in others])
    holds = "both" if value >= 1 else "not both"
    reason = (
        f"Microsoft planned {said_plan(msft)}, {msft['ratio']:.2f} times its latest comparable"
        f" spending, and {who} planned {others_ratio:.2f} times theirs combined: {holds} plan"
        " to spend more than they just did"
    )
    if p.light:
        return engine.grid_point(value, verdict, reason)
    frame = pd.DataFrame([msft, *others])
    silent = [company_name(c) for c in BIG_FOUR if company_name(c) not in set(frame["company"])]
    facts = {
        "msft_plan": msft["plan"],
        "msft_said": said_plan(msft),
        "msft_base": msft["base"],
        "msft_base_period": msft["base_period"],
        "msft_ratio": msft["ratio"],
        "others": who,
        "others_ratio": others_ratio,
        "silent": ", ".join(silent) or "none",
    }
    return engine.Outcome(value, verdict, reason, frame, facts)


# --- INV-5: nearly $400 bn of capex in 2026 ---------------------------------------------------

TARGET_YEAR = 2026
TARGET = f"CY{TARGET_YEAR}"
COMBINED = ("capex_guidance_combined", "capex_consensus", "capex_analyst_forecast")
"""Figures for the four companies together (entity 'big4'), by how they were arrived at."""
OWN_SUM = "guidance_sum"
EXPECTATION_WORDS = {
    OWN_SUM: "the sum of the four companies' own guidance",
    "capex_guidance_combined": "a published sum of the companies' guidance",
    "capex_consensus": "the analysts' consensus",
    "capex_analyst_forecast": "an analyst forecast",
    "outcome": "what the four actually spent",
}
PREFERENCE = [OWN_SUM, *COMBINED]
"""On one day, the companies' own word comes before a sum of it, then before analysts."""


def expectations(ev: Evidence) -> pd.DataFrame:
    """Every expectation of the four's 2026 capex public on the date, as it stood when it was
    published: each combined figure (every version), and the sum of the companies' own guidance
    on each day one of them stated it once all four had. Columns published, value, low, high,
    kind, source_id; oldest first (on one day, in order of PREFERENCE)."""
    combined = ev.versions("plans", entity="big4", period=TARGET, metric=list(COMBINED))
    rows = [
        {
            "published": r.published,
            "value": r.value,
            "low": r.value,
            "high": r.value,
            "kind": r.metric,
            "source_id": r.source_id,
        }
        for r in combined.itertuples()
    ]
    own = ev.versions("plans", entity=BIG_FOUR, period=TARGET, metric=list(GUIDANCE))
    own = own[own["status"] == "reported"]
    for date in sorted(own["published"].unique()):
        known = own[own["published"] <= date]
        plans = [stated_plan(known[known["entity"] == c]) for c in BIG_FOUR]
        if all(plans):
            rows.append(
                {
                    "published": date,
                    "value": sum(x["value"] for x in plans),
                    "low": sum(x["low"] for x in plans),
                    "high": sum(x["high"] for x in plans),
                    "kind": OWN_SUM,
                    "source_id": ", ".join(x["source_id"] for x in plans),
                }
            )
    frame = pd.DataFrame(rows, columns=["published", "value", "low", "high", "kind", "source_id"])
    order = frame["kind"].map(PREFERENCE.index)
    # Newest last; on one day the preferred kind last, so that it is the current expectation.
    return (
        frame.assign(order=-order)
        .sort_values(["published", "order"], kind="stable")
        .drop(columns="order")
        .reset_index(drop=True)
    )


def outcome_2026(ev: Evidence, include_finance_leases: bool) -> float | None:
    """What the four spent in calendar 2026, once every one has reported it; else None."""
    quarter_ends = [f"{TARGET_YEAR}-{md}" for md in ("03-31", "06-30", "09-30", "12-31")]
    reported = ev.rows("capex", entity=BIG_FOUR, period_end=quarter_ends)
    annual = models.annual_capex(reported, BIG_FOUR, "calendar", include_finance_leases)
    year = annual[annual["year"] == TARGET_YEAR]
    return float(year["value"].sum()) if set(year["entity"]) == set(BIG_FOUR) else None


def expectation_words(row) -> str:
    return EXPECTATION_WORDS[row["kind"]]


@engine.claim(
    id="INV-5",
    chapter=CHAPTER,
    text="The four are expected to spend nearly $400 billion on capex in 2026",
    article_value=400.0,
    unit="USD bn",
    comparator="≈",
    params=("include_finance_leases", "tolerance"),
    facts={
        "expected": "USD bn",
        "expected_kind": None,
        "expected_on": None,
        "guided_low": "USD bn",
        "guided_high": "USD bn",
        "first": "USD bn",
        "first_on": None,
    },
)
def inv5_2026(ev: Evidence, p) -> engine.Outcome:
    """A forecast by others (rule 5): judged against the expectation current on the date (the
    most recent one published), and against the outcome once the four have reported 2026."""
    history = expectations(ev)
    if history.empty:
        ev.missing(
            "plans",
            "a forecast of the four companies' combined capex for 2026",
            entity=["big4", *BIG_FOUR],
            period=TARGET,
            metric=[*COMBINED, *GUIDANCE],
        )
    current = history.iloc[-1]
    spent = outcome_2026(ev, p.include_finance_leases)
    value = spent if spent is not None else float(current["value"])
    what = EXPECTATION_WORDS["outcome"] if spent is not None else expectation_words(current)
    verdict = rubric.numeric_verdict(value, 400.0, "≈", p.tolerance)
    relation = {
        "accurate": "in line with",
        "roughly right": "close to",
        "overstated": "below",
        "understated": "above",
    }[verdict]
    when = "once reported" if spent is not None else f"as of {day(current['published'])}"
    reason = (
        f"{what[0].upper()}{what[1:]}, {when}, puts the four's 2026 capex at {usd(value)},"
        f" {relation} the article's “nearly $400 billion”"
    )
    then = history[history["published"] <= PUBLICATION_DATE]
    fair = ("accurate", "roughly right")
    after = ev.reached(day_after(PUBLICATION_DATE))
    if after and not then.empty:
        written = rubric.numeric_verdict(float(then["value"].iloc[-1]), 400.0, "≈", p.tolerance)
        if written in fair and verdict not in fair:
            reason = (
                f"Fair when written ({expectation_words(then.iloc[-1])},"
                f" {usd(float(then['value'].iloc[-1]))}); overtaken by {what}, {usd(value)}"
                f" ({day(current['published']) if spent is None else 'reported'})"
            )
    elif after:
        reason += (
            f"; no such forecast was public when the article appeared (the first, on"
            f" {day(history['published'].iloc[0])}, was {usd(float(history['value'].iloc[0]))})"
        )
    if p.light:
        return engine.grid_point(value, verdict, reason)
    guided = history[history["kind"] == OWN_SUM]
    facts = {
        "expected": value,
        "expected_kind": what,
        "expected_on": day(current["published"]),
        "guided_low": float(guided["low"].iloc[-1]) if len(guided) else None,
        "guided_high": float(guided["high"].iloc[-1]) if len(guided) else None,
        "first": float(history["value"].iloc[0]),
        "first_on": day(history["published"].iloc[0]),
    }
    documents = publishers(ev)
    frame = history.assign(
        what=history["kind"].map(EXPECTATION_WORDS),
        publisher=[
            "this book" if k == OWN_SUM else documents.get(s, s)
            for k, s in zip(history["kind"], history["source_id"], strict=True)
        ],
    )
    return engine.Outcome(value, verdict, reason, frame, facts)
