"""The debt-and-financing claims (DEBT-1…DEBT-4), and the balance-sheet arithmetic they share:
which liabilities count as debt, net positions, where the money for a build-out came from, and
which other line of a filing a figure matches.

Every helper reads the evidence known on a date (`Evidence`), never the data directly, so the
same code gives the verdict at publication, the latest one and every point of the grid.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from aibet import PUBLICATION_DATE
from aibet.claims import engine, rubric
from aibet.claims.investment import BIG_FOUR
from aibet.data import PARTS
from aibet.data.evidence import Evidence, MissingFigure, NotYetPublic

CHAPTER = "debt-and-financing"
COREWEAVE = "coreweave"
NAMES = {
    "microsoft": "Microsoft",
    "alphabet": "Alphabet",
    "amazon": "Amazon",
    "meta": "Meta",
    "oracle": "Oracle",
    "coreweave": "CoreWeave",
}
"""The names the book prints (and colours: `charts.company_color`)."""
SHEETS = "balance_sheets"
FLOWS = "coreweave_flows"
EVENTS = "financing_events"

DEBT_LINES = {
    "borrowings": ("debt_total",),
    "plus_finance_leases": ("debt_total", "finance_lease_liabilities"),
    "plus_all_leases": ("debt_total", "lease_liabilities_total"),
}
"""Which balance-sheet liabilities count as debt. Borrowings are notes, loans and commercial
paper at carrying value; finance leases are debt in all but name; operating leases are rent
commitments that accounting has put on the balance sheet since 2019."""
DEBT_NAMES = {
    "borrowings": "borrowings only",
    "plus_finance_leases": "borrowings and finance leases",
    "plus_all_leases": "borrowings and all lease liabilities",
}
CASH_LINES = {
    "cash_and_securities": ("cash_and_marketable_securities",),
    "cash_only": ("cash_and_equivalents",),
}
"""What counts as cash when debt is netted: with or without marketable securities."""
CASH_NAMES = {
    "cash_and_securities": "cash and marketable securities",
    "cash_only": "cash and equivalents only",
}
LEASE_OBLIGATIONS = {
    "commenced": ("leases_begun",),
    "not_commenced": ("leases_not_commenced",),
    "both": ("leases_begun", "leases_not_commenced"),
}
"""Which lease payments count as obligations: those of leases already running, those signed but
not yet begun, or both. Leases begun are the payments still due in the lease note's maturity
table (undiscounted) where our data has it, otherwise the balance sheet's lease liabilities —
the same payments discounted, so a lower bound."""
LEASE_NAMES = {
    "commenced": "leases begun",
    "not_commenced": "leases signed, not begun",
    "both": "leases begun and signed",
}
NOT_LEASES = {
    "revenue backlog": ("revenue_backlog",),
    "remaining performance obligations": ("rpo",),
}
"""Lines of CoreWeave's reports that are not lease obligations but money customers owe it."""
DIFFERENCES = {"lease_liabilities_total": ("debt_including_leases", "debt_total")}
"""Lines known only as a difference: data providers' "total debt" counts lease liabilities."""
FALLBACKS = {"leases_begun": ("lease_payments_future", "lease_liabilities_total")}
"""Lines read from the first of several that a date has: payments due on leases begun are the
maturity table's undiscounted total, or else the (discounted) lease liabilities."""
FIRST_SHEET, LAST_SHEET = "2015-01-31", "2035-12-31"
"""The range of balance-sheet dates searched for when a figure first became public."""


# --- balance sheets ------------------------------------------------------------------------


def pivot_sheets(rows: pd.DataFrame) -> pd.DataFrame:
    """One row per balance-sheet date, one column per line (USD bn), from the known rows of one
    company. A total a filing gives only in parts is their sum; a line known only as a
    difference is computed; a line with fallbacks takes the first one the date has."""
    if rows.empty:
        return pd.DataFrame(index=pd.DatetimeIndex([], name="period_end"))
    # A few dozen rows, at every date and grid point: plain Python, the latest version wins.
    latest: dict[tuple[str, str], float] = {}
    for _, date, metric, value in sorted(
        zip(rows["published"], rows["period_end"], rows["metric"], rows["value"], strict=True),
        key=lambda row: row[0],  # stable: a tie keeps the order of the rows
    ):
        latest[date, metric] = value
    dates = sorted({date for date, _ in latest})
    lines = {
        metric: np.array([latest.get((date, metric), np.nan) for date in dates], dtype=float)
        for metric in sorted({metric for _, metric in latest})
    }

    def filled(line: str, values: np.ndarray) -> np.ndarray:
        """`values` where the line has none (the line itself where it has no values yet)."""
        if line not in lines:
            return values
        return np.where(np.isnan(lines[line]), values, lines[line])

    for total, parts in PARTS.items():
        if all(part in lines for part in parts):
            lines[total] = filled(total, sum(lines[part] for part in parts))  # NaN if any is
    for line, (whole, part) in DIFFERENCES.items():
        if whole in lines and part in lines:
            lines[line] = filled(line, lines[whole] - lines[part])
    missing = np.full(len(dates), np.nan)
    for line, choices in FALLBACKS.items():
        value = missing
        for choice in choices:
            value = np.where(np.isnan(value), lines.get(choice, missing), value)
        lines[line] = value
    return pd.DataFrame(lines, index=pd.to_datetime(pd.Index(dates, name="period_end")))


def balance_sheets(ev: Evidence, entity: str) -> pd.DataFrame:
    """`entity`'s balance sheets as known on the evidence's date (see `pivot_sheets`)."""
    rows = ev.rows(SHEETS, entity=entity)
    return ev.memo(("balance sheets", entity), lambda: pivot_sheets(rows))


def amount(sheets: pd.DataFrame, lines) -> pd.Series:
    """The sum of `lines` on each date; NaN where any of them is missing (never a silent zero)."""
    return pd.Series(_line_sums(sheets, lines), index=sheets.index)


def _line_sums(sheets: pd.DataFrame, lines) -> np.ndarray:
    if any(line not in sheets for line in lines):
        return np.full(len(sheets), np.nan)
    return sum(sheets[line].to_numpy(dtype=float) for line in lines)  # NaN where any line is


def latest_amount(sheets: pd.DataFrame, lines) -> tuple[float, pd.Timestamp | None]:
    """The sum of `lines` on the latest date that has all of them, and that date."""
    values = amount(sheets, lines).dropna()
    if values.empty:
        return float("nan"), None
    return float(values.iloc[-1]), values.index[-1]


def net_debt(sheets: pd.DataFrame, debt_lines: str, cash_lines: str) -> pd.DataFrame:
    """Debt, cash and net debt (debt minus cash; negative is net cash) on each complete date."""
    debt = _line_sums(sheets, DEBT_LINES[debt_lines])
    cash = _line_sums(sheets, CASH_LINES[cash_lines])
    complete = ~(np.isnan(debt) | np.isnan(cash))
    debt, cash = debt[complete], cash[complete]
    return pd.DataFrame(
        {"debt": debt, "cash": cash, "net_debt": debt - cash}, index=sheets.index[complete]
    )


def first_published(ev: Evidence, entity: str):
    """`first(date, metric)`: when that line of `entity`'s balance sheet of `date` first became
    public, whatever the evidence's date (NaT when the data has no such row): dates only, never
    values."""
    cache = ev.undated.setdefault(("financing first", entity), {})

    def first(date: pd.Timestamp, metric: str) -> pd.Timestamp:
        if (date, metric) not in cache:
            when = ev.first_public(
                SHEETS, entity=entity, metric=metric, period_end=date.date().isoformat()
            )
            cache[date, metric] = pd.Timestamp(when) if when else pd.NaT
        return cache[date, metric]

    return first


def when_public(first, date, lines) -> pd.Timestamp:
    """When every line in `lines` for balance-sheet `date` was public (`first` as given by
    `first_published`): a line as soon as any way of getting it was (its own row, its parts, the
    lines it is the difference of, a fallback); NaT if the data cannot say."""
    date = pd.Timestamp(date)

    def one(line):
        ways = [first(date, line)]
        ways += [one(choice) for choice in FALLBACKS.get(line, ())]
        ways += [
            latest(map(one, parts)) for parts in (PARTS.get(line), DIFFERENCES.get(line)) if parts
        ]
        return min((t for t in ways if not pd.isna(t)), default=pd.NaT)

    return latest(one(line) for line in lines)


def latest(dates) -> pd.Timestamp:
    """The latest of `dates`, or NaT when any of them is unknown (or there are none)."""
    dates = list(dates)
    if not dates or any(pd.isna(d) for d in dates):
        return pd.NaT
    return max(dates)


def sheet_dates(ev: Evidence, entity: str) -> list[pd.Timestamp]:
    """Every balance-sheet date of `entity` in the data, public on the evidence's date or not."""
    known = ev.undated
    if ("financing sheet dates", entity) not in known:
        dates = []
        for year in range(int(FIRST_SHEET[:4]), int(LAST_SHEET[:4]) + 1):
            ends = [
                d.date().isoformat() for d in pd.date_range(f"{year}-01", periods=12, freq="ME")
            ]
            if ev.first_public(SHEETS, entity=entity, period_end=ends):
                dates += [
                    pd.Timestamp(end)
                    for end in ends
                    if ev.first_public(SHEETS, entity=entity, period_end=end)
                ]
        known["financing sheet dates", entity] = dates
    return known["financing sheet dates", entity]


def first_complete(ev: Evidence, entity: str, lines) -> pd.Timestamp:
    """When a balance sheet of `entity` with every line in `lines` first became public (NaT when
    the data holds none): the dates of the filings, never their values."""
    first = first_published(ev, entity)
    found = [when_public(first, d, lines) for d in sheet_dates(ev, entity)]
    return min((t for t in found if not pd.isna(t)), default=pd.NaT)


def not_public(ev: Evidence, missing: dict) -> None:
    """Raise for balance sheets a claim needs and the date does not give ({what: (entity,
    lines)}): NotYetPublic with the date the last of them became public, or MissingFigure for
    one the data does not hold at all (a bug)."""
    latest = None
    for what, (entity, lines) in missing.items():
        first = first_complete(ev, entity, lines)
        if pd.isna(first) or ev.reached(first.date().isoformat()):
            ev.absent(SHEETS, what, entity=entity, metric=list(lines))
        if latest is None or first > latest[1]:
            latest = (what, first)
    what, first = latest
    raise NotYetPublic(what, ev.as_of, first.date().isoformat())


def positions(ev: Evidence, companies, debt_lines: str, cash_lines: str) -> pd.DataFrame:
    """Each company's net debt on every complete balance-sheet date known on the evidence's date
    (company, entity, date, debt, cash, net_debt, latest: the date its position is read on).
    Not yet public when a company has no complete balance sheet yet."""
    frames, missing = [], {}
    for company in companies:
        sheets = balance_sheets(ev, company)  # read every time: the claim's inputs
        history = ev.memo(
            ("net positions", company, debt_lines, cash_lines),
            lambda: _history(sheets, company, debt_lines, cash_lines),  # noqa: B023 (used now)
        )
        if history.empty:
            what = (
                f"a balance sheet of {name(company)} with {DEBT_NAMES[debt_lines]} as debt and"
                f" {CASH_NAMES[cash_lines]} as cash"
            )
            missing[what] = (company, DEBT_LINES[debt_lines] + CASH_LINES[cash_lines])
            continue
        frames.append(history)
    if missing:
        not_public(ev, missing)
    return pd.concat(frames, ignore_index=True)


def _history(sheets: pd.DataFrame, company: str, debt_lines: str, cash_lines: str):
    frame = net_debt(sheets, debt_lines, cash_lines)
    dates = frame.index.to_numpy()
    return pd.DataFrame(
        {
            "date": dates,
            **{column: frame[column].to_numpy() for column in frame.columns},
            "entity": company,
            "company": name(company),
            "latest": dates == dates.max() if len(dates) else np.zeros(0, dtype=bool),
        }
    )


def trace_figure(
    sheets: pd.DataFrame, named: tuple, article_value: float, tolerance: float, others: dict
) -> tuple[str, float, pd.Timestamp | None, str | None, float | None]:
    """The article's figure against the `named` lines on the latest date that has them, and the
    first of the `others` (label: lines) within the tolerance of it on that same balance sheet.

    Returns the numeric verdict, the named value, its date, the matching label and its value
    (None when none matches); `rubric.traced_verdict` decides what a match means. The date is
    None when no date has the named lines.
    """
    value, date = latest_amount(sheets, named)
    if date is None:
        return "", value, None, None, None
    numeric = rubric.numeric_verdict(value, article_value, "≈", tolerance)
    for label, lines in others.items():
        other = amount(sheets, lines).get(date, np.nan)
        if np.isfinite(other) and rubric.numeric_verdict(other, article_value, "≈", tolerance) == (
            "accurate"
        ):
            return numeric, value, date, label, float(other)
    return numeric, value, date, None, None


# --- cash flows ----------------------------------------------------------------------------

FUNDING = {
    "net_borrowing": "Net borrowing",
    "operating_cash_flow": "Cash from operations",
    "equity": "Shares sold",
}
"""Where the money for capital spending came from, as the cash-flow statement shows it."""
SHARE_OF_NAMES = {
    "capex": "spending on property and equipment",
    "funding": "money raised and earned (borrowing, operations and shares)",
}
MAJORITY = 0.5
"""Growth is "driven by debt" when net borrowing paid for more than this share of it."""
EQUITY_LINES = ("equity_proceeds", "preferred_proceeds")
FLOW_LINES = ("capex", "operating_cash_flow", "debt_proceeds", "debt_repayments", *EQUITY_LINES)
STATEMENT_LINES = FLOW_LINES[:4]
"""The lines a cash-flow statement needs to count (no line of shares sold means none sold)."""


def year_to_date(ev: Evidence, entity: str) -> pd.DataFrame:
    """Cash-flow lines by calendar year, each year as far as the filings known on the evidence's
    date go.

    One row per year (indexed by year) with the date the figures run to; a year's latest
    complete year-to-date statement stands for it. Repayments are positive numbers in the data.
    """
    rows = ev.rows(FLOWS, entity=entity, metric=list(FLOW_LINES))
    end = pd.to_datetime(rows["period_end"])
    rows = rows[rows["period_months"] == end.dt.month]  # year-to-date statements only
    table = rows.assign(through=end[rows.index]).pivot_table(
        index="through", columns="metric", values="value", aggfunc="last"
    )
    table = table.reindex(columns=list(FLOW_LINES))
    table[list(EQUITY_LINES)] = table[list(EQUITY_LINES)].fillna(0.0)  # no line: none sold
    # a statement counts only with all its lines; each year's latest complete one stands for it
    table = table.dropna().reset_index()
    table["year"] = table["through"].dt.year
    return table.groupby("year").last()


def first_statement(ev: Evidence, entity: str, year: int) -> str | None:
    """When the first complete year-to-date statement of `year` became public (dates only)."""
    key = ("financing first statement", entity, year)
    if key not in ev.undated:
        ev.undated[key] = _first_statement(ev, entity, year)
    return ev.undated[key]


def _first_statement(ev: Evidence, entity: str, year: int) -> str | None:
    dates = []
    for day in pd.date_range(f"{year}-01-31", f"{year}-12-31", freq="ME"):
        firsts = [
            ev.first_public(
                FLOWS,
                entity=entity,
                metric=metric,
                period_end=day.date().isoformat(),
                period_months=day.month,
            )
            for metric in STATEMENT_LINES
        ]
        if all(firsts):
            dates.append(max(firsts))
    return min(dates, default=None)


def yearly_revenue(ev: Evidence, entity: str) -> pd.Series:
    """Revenue of each full fiscal year known on the evidence's date, by year (USD bn)."""
    rows = ev.rows(FLOWS, entity=entity, metric="revenue", period_months=12)
    years = pd.to_datetime(rows["period_end"]).dt.year
    return rows.set_index(years)["value"].sort_index().rename_axis("year")


def funding(yearly: pd.DataFrame, first_year: int) -> tuple[pd.Series, pd.Timestamp | None]:
    """Capital spending and where its money came from, summed from `first_year` for as long
    as the years run without a gap (a part year ends the run), and the date the sum runs to."""
    years = []
    for year in range(first_year, int(yearly.index.max()) + 1 if len(yearly) else first_year):
        if year not in yearly.index:
            break
        years.append(year)
        if yearly.loc[year, "through"].month != 12:
            break
    if not years:
        return pd.Series(dtype=float), None
    window = yearly.loc[years]
    sums = pd.Series(
        {
            "capex": window["capex"].sum(),
            "net_borrowing": (window["debt_proceeds"] - window["debt_repayments"]).sum(),
            "operating_cash_flow": window["operating_cash_flow"].sum(),
            "equity": window[list(EQUITY_LINES)].sum(axis=1).sum(),
        }
    )
    return sums, window["through"].iloc[-1]


def debt_share(sums: pd.Series, of: str) -> float:
    """Net borrowing as a share of capital spending (`capex`) or of all money raised or earned
    (`funding`: borrowing, cash from operations and shares sold)."""
    if sums.empty:
        return float("nan")
    base = sums["capex"] if of == "capex" else sums[list(FUNDING)].sum()
    return float(sums["net_borrowing"] / base)


# --- bond sales ----------------------------------------------------------------------------

DEAL_KINDS = {
    "bond_issuance": "bonds",
    "bond_issuance_foreign": "bonds",
    "offbalance_financing": "joint-venture notes",
}
"""Financing deals by kind. Foreign-currency tranches are in U.S. dollars at the rate the
reporting source used; off-balance-sheet notes are sold by a joint venture, not the company."""
ANALYSTS = "hyperscalers"
"""The entity of analysts' totals over the five largest cloud companies (with Oracle)."""


def bond_deals(ev: Evidence) -> pd.DataFrame:
    """One row per issuer, pricing date and kind of deal known on the evidence's date (USD bn);
    empty when none was public yet."""
    rows = ev.rows(EVENTS, metric=list(DEAL_KINDS), unit="USD bn")
    rows = rows.assign(kind=rows["metric"].map(DEAL_KINDS), date=pd.to_datetime(rows["period_end"]))
    deals = rows.groupby(["entity", "date", "kind"], as_index=False)["value"].sum()
    deals["company"] = deals["entity"].map(name)
    return deals.sort_values(["date", "entity"]).reset_index(drop=True)


def analysts_total(ev: Evidence, metric: str, periods) -> pd.Series | None:
    """An analyst's total of the hyperscalers' bond issuance over the first of `periods` known on
    the evidence's date (the full year before a year-to-date count), or None."""
    for period in periods:
        rows = ev.rows(EVENTS, entity=ANALYSTS, metric=metric, period=period)
        if not rows.empty:
            return rows.iloc[-1]
    return None


# --- wording -------------------------------------------------------------------------------


def usd(value: float) -> str:
    """'$216 bn', '$8.7 bn', '−$205 bn': money as the prose prints it."""
    sign = "−" if value < 0 else ""
    digits = 1 if abs(value) < 10 else 0
    return f"{sign}${abs(value):,.{digits}f} bn"


def dollars(value: float) -> str:
    """Revenue in words: millions below a billion ('$16 million', '$5.1 billion')."""
    return f"${value * 1000:,.0f} million" if abs(value) < 1 else f"${value:,.1f} billion"


def day(date) -> str:
    """'30 June 2025'."""
    return pd.Timestamp(date).strftime("%-d %B %Y")


def relation(value: float, article_value: float, tolerance: float) -> str:
    """How a figure stands to the article's, in words that follow the numbers."""
    gap = value / article_value - 1
    if abs(gap) <= tolerance:
        return "close to"
    if abs(gap) <= 2 * tolerance:
        return "near"
    return "well below" if gap < 0 else "well above"


def names_list(names) -> str:
    names = list(names)
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


def name(entity: str) -> str:
    """'coreweave' -> 'CoreWeave' (the names the book prints)."""
    return NAMES.get(entity, entity.title())


def _none(value) -> float | None:
    return None if value is None or not np.isfinite(value) else float(value)


# --- DEBT-1 --------------------------------------------------------------------------------


@engine.claim(
    id="DEBT-1",
    chapter=CHAPTER,
    text="Alphabet, Microsoft, Amazon and Meta carry significant debt",
    unit="USD bn",
    value_words=("net debt of {}", "net cash of {}"),
    params=("debt_lines", "cash_lines", "tolerance"),
    grid={"debt_lines": list(DEBT_LINES), "cash_lines": list(CASH_LINES)},
    labels={
        "debt_lines": {k: f"{v} counted as debt" for k, v in DEBT_NAMES.items()},
        "cash_lines": {k: f"{v} counted as cash" for k, v in CASH_NAMES.items()},
    },
    facts={
        "lines": None,
        "cash_lines": None,
        "debt": "USD bn",
        "cash": "USD bn",
        "net": "USD bn",
        "position": None,
        "debt_to_cash": "share",
        "dates": None,
        "bonds_2025": "USD bn",
        "bonds_2025_after": "USD bn",
        "no_bonds": None,
        "analysts": None,
    },
)
def debt1_significant(ev: Evidence, p) -> engine.Outcome:
    """The four carry significant debt ⇔ together they owe more than the cash they hold (net
    debt above zero), each read on its latest complete balance sheet. A `>` test of debt against
    cash (rule 4): short by more than the tolerance is overstated, not mischaracterized — the
    article names the right quantity and gives no figure that measures another one (rule 3).
    Bond sales are shown, not judged: an analyst's total not yet public is simply left out."""
    history = positions(ev, BIG_FOUR, p.debt_lines, p.cash_lines)
    latest = history[history["latest"]]
    debt, cash = float(latest["debt"].sum()), float(latest["cash"].sum())
    net = debt - cash
    verdict = rubric.numeric_verdict(debt, cash, ">", p.tolerance)
    counted = f"counting {DEBT_NAMES[p.debt_lines]} as debt and {CASH_NAMES[p.cash_lines]} as cash"
    owed = f"The four owed {usd(debt)} and held {usd(cash)} on their latest balance sheets"
    if verdict == "accurate":
        reason = f"{owed}, {counted}: net debt of {usd(net)}, so they owe more than they hold"
    else:
        reason = (
            f"{owed}, {counted}: they hold more cash than they owe (net cash of {usd(-net)}),"
            " so as a group they are "
            + ("only just short of net debt" if verdict == "roughly right" else "not in net debt")
        )
    if p.light:
        return engine.grid_point(net, verdict, reason)
    deals = bond_deals(ev)
    in_2025 = deals[deals["date"].dt.year == 2025]
    after = in_2025["date"] > pd.Timestamp(PUBLICATION_DATE)
    silent = [name(c) for c in BIG_FOUR if c not in set(in_2025["entity"])]
    frame = pd.concat(
        [history.assign(part="position"), deals.assign(part="deal", after=after)],
        ignore_index=True,
    )
    facts = {
        "lines": DEBT_NAMES[p.debt_lines],
        "cash_lines": CASH_NAMES[p.cash_lines],
        "debt": debt,
        "cash": cash,
        "net": abs(net),
        "position": "net debt" if net > 0 else "net cash",
        "debt_to_cash": debt / cash,
        "dates": _date_span(latest["date"]),
        "bonds_2025": float(in_2025["value"].sum()),
        "bonds_2025_after": float(in_2025.loc[after, "value"].sum()),
        "no_bonds": f"{names_list(silent)} sold none in 2025." if silent else "",
        "analysts": analysts_sentence(ev),
    }
    return engine.Outcome(net, verdict, reason, frame, facts)


def _date_span(dates: pd.Series) -> str:
    first, last = dates.min(), dates.max()
    return day(first) if first == last else f"{day(first)} to {day(last)}"


def analysts_sentence(ev: Evidence) -> str:
    """What Bank of America counted of the five hyperscalers' 2025 bond sales, as known then."""
    total = analysts_total(ev, "bond_issuance_total_bofa", ["CY2025", "CY2025YTD"])
    if total is None:
        return "No bank's count of their bond sales in 2025 had been published yet."
    through = "" if total["period"] == "CY2025" else f" up to {day(total['period_end'])}"
    text = (
        f"Bank of America counted {usd(total['value'])} of bonds sold by the five, Oracle"
        f" included, in 2025{through}"
    )
    before = analysts_total(ev, "bond_issuance_avg_annual_bofa", ["CY2020-2024"])
    if before is not None:
        text += f", against an average of {usd(before['value'])} a year over 2020–2024"
    return text + "."


# --- DEBT-2 --------------------------------------------------------------------------------


@engine.claim(
    id="DEBT-2",
    chapter=CHAPTER,
    text="CoreWeave went from a small startup to a major AI cloud player, driven by debt",
    unit="percent",
    value_words="{} of its growth paid by borrowing",
    params=("growth_from", "debt_share_of", "tolerance"),
    grid={"growth_from": [2022, 2023, 2024], "debt_share_of": ["capex", "funding"]},
    labels={
        "growth_from": {y: f"counting from {y}" for y in (2022, 2023, 2024)},
        "debt_share_of": {
            "capex": "borrowing as a share of capital spending",
            "funding": "borrowing as a share of all money raised and earned",
        },
    },
    facts={
        "share": "share",
        "of": None,
        "from_year": None,
        "through": None,
        "capex": "USD bn",
        "borrowing": "USD bn",
        "operations": "USD bn",
        "shares": "USD bn",
        "revenue_first": None,
        "revenue_first_year": None,
        "revenue_last": None,
        "revenue_last_year": None,
    },
)
def debt2_driven_by_debt(ev: Evidence, p) -> engine.Outcome:
    """Growth driven by debt ⇔ net borrowing paid for more than half of CoreWeave's capital
    spending (or of all money it raised and earned) from `growth_from` on: a `>` test against
    one half (rule 4)."""
    yearly = year_to_date(ev, COREWEAVE)
    sums, through = funding(yearly, p.growth_from)
    if through is None:
        what = f"CoreWeave's cash-flow statement for {p.growth_from}"
        first = first_statement(ev, COREWEAVE, p.growth_from)
        if first is None or ev.reached(first):
            ev.absent(FLOWS, what, entity=COREWEAVE, period=f"FY{p.growth_from}")
        raise NotYetPublic(what, ev.as_of, first)
    share = debt_share(sums, p.debt_share_of)
    verdict = rubric.numeric_verdict(share, MAJORITY, ">", p.tolerance)
    span = f"from {p.growth_from} to {day(through)}"
    reason = (
        f"Net borrowing paid for {share:.0%} of CoreWeave's {SHARE_OF_NAMES[p.debt_share_of]}"
        f" {span}, "
        + ("more than half" if share > MAJORITY else "less than half")
        + (", so borrowing drove the build-out" if verdict == "accurate" else "")
    )
    if p.light:
        return engine.grid_point(share * 100, verdict, reason)
    revenue = yearly_revenue(ev, COREWEAVE)
    frame = yearly.reset_index().assign(
        net_borrowing=lambda f: f["debt_proceeds"] - f["debt_repayments"],
        equity=lambda f: f[list(EQUITY_LINES)].sum(axis=1),
        label=lambda f: [
            f"{y}" if t.month == 12 else f"{y}, to {t:%b}"
            for y, t in zip(f["year"], f["through"], strict=True)
        ],
        counted=lambda f: (f["year"] >= p.growth_from) & (f["through"] <= through),
    )
    facts = {
        "share": share,
        "of": SHARE_OF_NAMES[p.debt_share_of],
        "from_year": str(p.growth_from),
        "through": day(through),
        "capex": float(sums["capex"]),
        "borrowing": float(sums["net_borrowing"]),
        "operations": float(sums["operating_cash_flow"]),
        "shares": float(sums["equity"]),
        "revenue_first": dollars(revenue.iloc[0]) if len(revenue) else None,
        "revenue_first_year": str(revenue.index[0]) if len(revenue) else None,
        "revenue_last": dollars(revenue.iloc[-1]) if len(revenue) else None,
        "revenue_last_year": str(revenue.index[-1]) if len(revenue) else None,
    }
    return engine.Outcome(share * 100, verdict, reason, frame, facts)


# --- DEBT-3 --------------------------------------------------------------------------------

ARTICLE_DEBT = 15.0
"""CoreWeave's debt as the article gives it (USD bn)."""


def coreweave_sheets(ev: Evidence, lines, what: str) -> pd.DataFrame:
    """CoreWeave's balance sheets known on the date; not yet public when none has `lines`."""
    sheets = balance_sheets(ev, COREWEAVE)
    if amount(sheets, lines).dropna().empty:
        not_public(ev, {what: (COREWEAVE, lines)})
    return sheets


def series_frame(sheets: pd.DataFrame, series: dict, chosen: str) -> pd.DataFrame:
    """Long frame (date, series, value, chosen) of each named sum of lines on every date."""
    parts = [
        amount(sheets, lines)
        .dropna()
        .rename("value")
        .rename_axis("date")
        .reset_index()
        .assign(series=label, chosen=label == chosen)
        for label, lines in series.items()
    ]
    return pd.concat(parts, ignore_index=True)


@engine.claim(
    id="DEBT-3",
    chapter=CHAPTER,
    text="CoreWeave's debt is about $15 billion",
    article_value=ARTICLE_DEBT,
    unit="USD bn",
    comparator="≈",
    params=("debt_lines", "tolerance"),
    grid={"debt_lines": list(DEBT_LINES)},
    labels={"debt_lines": {k: f"{v} counted as debt" for k, v in DEBT_NAMES.items()}},
    facts={
        "debt": "USD bn",
        "sheet_date": None,
        "lines": None,
        "match": None,
        "closest": "USD bn",
        "closest_date": None,
        "closest_published": None,
        "closest_when": None,
    },
)
def debt3_about_15bn(ev: Evidence, p) -> engine.Outcome:
    """CoreWeave's debt on its latest balance sheet against $15 bn; when it misses but another
    way of counting debt on the same balance sheet matches, the figure is that other one."""
    named = DEBT_LINES[p.debt_lines]
    sheets = coreweave_sheets(ev, named, f"CoreWeave's debt ({DEBT_NAMES[p.debt_lines]})")
    others = {DEBT_NAMES[n]: lines for n, lines in DEBT_LINES.items() if n != p.debt_lines}
    numeric, value, date, match, other = trace_figure(
        sheets, named, ARTICLE_DEBT, p.tolerance, others
    )
    verdict = rubric.traced_verdict(numeric, match is not None)
    reason = (
        f"CoreWeave's debt ({DEBT_NAMES[p.debt_lines]}) was {usd(value)} on {day(date)},"
        f" {relation(value, ARTICLE_DEBT, p.tolerance)} the article's $15 bn"
    )
    if verdict == "mischaracterized":
        reason += f"; $15 bn is its debt counted as {match} ({usd(other)}) on that date"
        if match == DEBT_NAMES["plus_all_leases"]:
            reason += ', as data providers\' "total debt" counts it'
    elif verdict == "understated" and date > pd.Timestamp(PUBLICATION_DATE):
        reason += ": it has borrowed more since the article"
    if p.light:
        return engine.grid_point(value, verdict, reason)
    debts = amount(sheets, named).dropna()
    closest = (debts / ARTICLE_DEBT - 1).abs().idxmin()
    published = when_public(first_published(ev, COREWEAVE), closest, named)
    frame = series_frame(
        sheets, {DEBT_NAMES[n]: lines for n, lines in DEBT_LINES.items()}, DEBT_NAMES[p.debt_lines]
    )
    facts = {
        "debt": value,
        "sheet_date": day(date),
        "lines": DEBT_NAMES[p.debt_lines],
        "match": (
            f"On that balance sheet $15 bn is its debt counted as {match} ({usd(other)})."
            if match
            else "No other way of counting its debt on that balance sheet comes near $15 bn."
        ),
        "closest": float(debts[closest]),
        "closest_date": day(closest),
        "closest_published": day(published) if pd.notna(published) else None,
        "closest_when": "before" if published <= pd.Timestamp(PUBLICATION_DATE) else "after",
    }
    return engine.Outcome(value, verdict, reason, frame, facts)


# --- DEBT-4 --------------------------------------------------------------------------------

ARTICLE_LEASES = 56.0
"""CoreWeave's data-center lease obligations as the article gives them (USD bn)."""
TRACE = {"entity": COREWEAVE, "metric": "revenue_backlog", "period_end": "2025-09-30"}
"""Where our research finds the article's $56 bn: CoreWeave's revenue backlog of 30 September
2025. Only its first publication date is read while it is not yet public (rule 2: the reason
says when the figure became knowable); its value is read only once it is public."""
TRACE_NAME = "revenue backlog"


@engine.claim(
    id="DEBT-4",
    chapter=CHAPTER,
    text="CoreWeave has about $56 billion of data-center lease payment obligations",
    article_value=ARTICLE_LEASES,
    unit="USD bn",
    comparator="≈",
    params=("lease_obligations", "tolerance"),
    grid={"lease_obligations": list(LEASE_OBLIGATIONS)},
    labels={"lease_obligations": {k: f"{v} counted" for k, v in LEASE_NAMES.items()}},
    facts={
        "leases": "USD bn",
        "sheet_date": None,
        "which": None,
        "begun": "USD bn",
        "not_begun": "USD bn",
        "trace": None,
    },
)
def debt4_about_56bn(ev: Evidence, p) -> engine.Outcome:
    """CoreWeave's lease payments due on its latest balance sheet that has them against $56 bn;
    when they miss and its revenue backlog on the same balance sheet matches, the figure is the
    backlog (money owed to CoreWeave, not by it). The reason always says where $56 bn is found
    in its reports and when that became public."""
    named = LEASE_OBLIGATIONS[p.lease_obligations]
    leases = f"CoreWeave's lease payments due ({LEASE_NAMES[p.lease_obligations]})"
    sheets = coreweave_sheets(ev, named, f"a figure of {leases}")
    numeric, value, date, match, other = trace_figure(
        sheets, named, ARTICLE_LEASES, p.tolerance, NOT_LEASES
    )
    verdict = rubric.traced_verdict(numeric, match is not None)
    trace = trace_sentence(ev, p.tolerance)
    reason = (
        f"{leases} came to {usd(value)} on {day(date)},"
        f" {relation(value, ARTICLE_LEASES, p.tolerance)} the article's $56 bn"
    )
    if verdict == "mischaracterized" and not (match == TRACE_NAME and trace):
        reason += (
            f"; on that date $56 bn is its {match} ({usd(other)}), money customers have"
            " contracted to pay it, not lease payments it owes"
        )
    if trace:
        reason += "; " + trace[0].lower() + trace[1:].rstrip(".")
    if p.light:
        return engine.grid_point(value, verdict, reason)
    series = {v.capitalize(): LEASE_OBLIGATIONS[k] for k, v in LEASE_NAMES.items()}
    series["Revenue backlog"] = ("revenue_backlog",)
    frame = series_frame(sheets, series, LEASE_NAMES[p.lease_obligations].capitalize())
    facts = {
        "leases": value,
        "sheet_date": day(date),
        "which": LEASE_NAMES[p.lease_obligations],
        "begun": _none(amount(sheets, ("leases_begun",)).get(date)),
        "not_begun": _none(amount(sheets, ("leases_not_commenced",)).get(date)),
        "trace": trace or "No line of CoreWeave's reports in our data comes near $56 bn.",
    }
    return engine.Outcome(value, verdict, reason, frame, facts)


def trace_sentence(ev: Evidence, tolerance: float) -> str:
    """Where the article's $56 bn is found in CoreWeave's reports and when that became public:
    before it was public only its date is told (the figure was not knowable then); once public,
    it is told only if its value does match. Empty when it does not."""
    first = ev.first_public(SHEETS, **TRACE)
    if first is None:
        raise MissingFigure(f"CoreWeave's {TRACE_NAME} of {day(TRACE['period_end'])}")
    when = "after" if first > PUBLICATION_DATE else "before"
    known = ev.rows(SHEETS, **TRACE)
    what = f"CoreWeave's {TRACE_NAME} of {day(TRACE['period_end'])}"
    owed = "money customers have contracted to pay CoreWeave, not lease payments it owes"
    if known.empty:
        return (
            f"The nearest figure in its reports, {what} ({owed}), was first published"
            f" on {day(first)}, {when} the article: not knowable on this date."
        )
    value = float(known["value"].iloc[-1])
    if rubric.numeric_verdict(value, ARTICLE_LEASES, "≈", tolerance) != "accurate":
        return ""
    return (
        f"The article's $56 bn matches {what}, {usd(value)}, first published on"
        f" {day(first)}, {when} the article: {owed}."
    )
