"""Load and validate the data package in `data/`.

Figures are tidy rows (entity, metric, period, value, unit, source, locator, published, status).
Nothing here edits a figure: a correction is its own row with a later `published` date. What
was known on a date is `aibet.data.evidence.Evidence`, the one place of the date rule.
"""

from __future__ import annotations

import contextlib
import csv
import datetime as dt
import functools
import os
import re
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
import yaml

from aibet import project_root
from aibet.data import grades

PARTS = {
    "debt_total": ("debt_current", "debt_noncurrent"),
    "operating_lease_liabilities": (
        "operating_lease_liabilities_current",
        "operating_lease_liabilities_noncurrent",
    ),
    "finance_lease_liabilities": (
        "finance_lease_liabilities_current",
        "finance_lease_liabilities_noncurrent",
    ),
    "cash_and_marketable_securities": ("cash_and_equivalents", "marketable_securities"),
    "lease_liabilities_total": ("operating_lease_liabilities", "finance_lease_liabilities"),
}
"""Totals a filing may give only in parts (current and non-current; cash and securities)."""

FIGURE_KEY = ("entity", "metric", "period")
"""What identifies one figure (rows sharing it are versions of it); a line of `data/gaps.csv` or
`data/grade_c_kept.csv` names its figure by these columns."""

ALWAYS_READ = ("sources", "gaps", "grade_c_kept")
"""The resources that are not figures: the documents cited, the figures left out and the few
kept from grade-C pages. Every claim reads them, whatever it declares."""

READS_ENV = "AIBET_DECLARED_READS"
"""Set by the runner: the resources a notebook declared it reads (its cache key covers them)."""


@dataclass(frozen=True)
class DataIssue:
    file: str
    row: int | None
    column: str | None
    message: str

    def __str__(self) -> str:
        where = self.file
        if self.row is not None:
            where += f", row {self.row}"
        if self.column:
            where += f", column '{self.column}'"
        return f"{where}: {self.message}"


def data_dir(root: Path | None = None) -> Path:
    return (root or project_root()) / "data"


def descriptor(root: Path | None = None) -> dict:
    return _yaml(data_dir(root) / "datapackage.yaml")


def _yaml(path: Path) -> dict:
    """A YAML file, parsed once per content (the descriptor is read for every table)."""
    return _parse_yaml(path.read_text())


SAFE_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
"""PyYAML's safe rules, parsed by libyaml where it is built in (ten times faster)."""


@functools.cache
def _parse_yaml(text: str) -> dict:
    return yaml.load(text, Loader=SAFE_LOADER)


@contextlib.contextmanager
def _frictionless_reads_yaml_with_libyaml():
    """frictionless parses each schema with `yaml.safe_load`, the pure-Python loader: about a
    second of every check. The same safe rules through libyaml, for as long as the check runs."""
    original = yaml.safe_load
    yaml.safe_load = functools.partial(yaml.load, Loader=SAFE_LOADER)
    try:
        yield
    finally:
        yaml.safe_load = original


def schema(res: dict, root: Path | None = None) -> dict:
    """The Table Schema of a resource of the descriptor (parsed once per content: not to change)."""
    return _yaml(data_dir(root) / res["schema"])


def field_names(resource: str, root: Path | None = None) -> list[str]:
    """The columns of `resource`, as its schema declares them."""
    res = next(r for r in descriptor(root)["resources"] if r["name"] == resource)
    return [field["name"] for field in schema(res, root)["fields"]]


def resource_paths(root: Path | None = None) -> dict[str, Path]:
    """Resource name -> CSV path, plus the schema files each one uses."""
    folder = data_dir(root)
    return {res["name"]: folder / res["path"] for res in descriptor(root)["resources"]}


def files_of(resources: list[str], root: Path | None = None) -> list[Path]:
    """Every file a notebook reading `resources` depends on: CSVs, schemas, sources, descriptor."""
    folder = data_dir(root)
    desc = descriptor(root)
    by_name = {res["name"]: res for res in desc["resources"]}
    unknown = sorted(set(resources) - set(by_name))
    if unknown:
        raise KeyError(f"unknown data resource(s) {unknown}; known: {sorted(by_name)}")
    files = {folder / "datapackage.yaml"}
    for name in ALWAYS_READ:
        files |= {folder / by_name[name]["path"], folder / by_name[name]["schema"]}
    for name in resources:
        files.add(folder / by_name[name]["path"])
        files.add(folder / by_name[name]["schema"])
    return sorted(files)


CONVERTED_UNITS = {"USD m": ("USD bn", 0.001)}
"""Units a row may be entered in and the unit the claims read it in (with the factor)."""
MONEY_TABLES = (
    "capex",
    "plans",
    "company_revenue",
    "balance_sheets",
    "interstate",
    "financing_events",
    "coreweave_flows",
)
"""Figures in nominal U.S. dollars only: each row in USD bn, or USD m (converted when read)."""
NON_NEGATIVE = ("capex", "plans", "company_revenue", "balance_sheets", "interstate")
"""Tables of amounts that cannot be below zero: spending, plans, revenue, debt and cash, cost."""

PLAUSIBLE_MAX_USD_BN = {
    "capex": 1_000,
    "plans": 5_000,
    "company_revenue": 2_000,
    "balance_sheets": 2_000,
    "interstate": 1_000,
    "financing_events": 1_000,
}
"""The largest amount a row of each money table can plausibly hold, in USD bn: no company
spends a trillion dollars a year on capex or earns two trillion, and pledges span a few years.
A row beyond it is almost always millions entered as billions (a thousand times too large)."""

POSITIVE = ("cpi_u",)
"""Series that are above zero: a price index (dollars of one year are divided by it)."""
SIZES = ("MW", "GWh", "people", "persons", "jobs", "units")
"""Units of sizes, above zero in any table: a campus of no megawatts or a town of no people is
a mistake, and claims divide by them (a unit may add words in brackets: "MW (upper end …)")."""

ENCODING = "utf-8-sig"
"""UTF-8, with or without the byte-order mark spreadsheets write ("CSV UTF-8")."""


def open_csv(path: Path):
    """A data file opened for `csv` readers: any line ending, a byte-order mark ignored."""
    return path.open(newline="", encoding=ENCODING)


def load(resource: str, root: Path | None = None) -> pd.DataFrame:
    """One resource as a DataFrame, typed by its schema (dates stay ISO strings: they sort)."""
    declared = os.environ.get(READS_ENV)
    if declared is not None and resource not in ALWAYS_READ and resource not in declared.split(","):
        raise RuntimeError(
            f"this notebook reads {resource!r} but does not declare it under aibet.reads in its"
            " front matter, so the build cache would not notice when it changes"
        )
    desc = descriptor(root)
    res = next((r for r in desc["resources"] if r["name"] == resource), None)
    if res is None:
        raise KeyError(f"unknown data resource {resource!r}")
    table_schema = schema(res, root)
    frame = pd.read_csv(
        data_dir(root) / res["path"], dtype=str, keep_default_na=False, encoding=ENCODING
    )
    for field in table_schema["fields"]:
        name = field["name"]
        if field["type"] == "number":
            frame[name] = pd.to_numeric(frame[name])
        elif field["type"] == "integer":
            frame[name] = pd.to_numeric(frame[name]).astype("int64")
    if {"value", "unit"} <= set(frame.columns):  # one money unit for the claims to read
        for unit, (into, factor) in CONVERTED_UNITS.items():
            rows = frame["unit"] == unit
            frame.loc[rows, "value"] = frame.loc[rows, "value"] * factor
            frame.loc[rows, "unit"] = into
    return frame


def check(root: Path | None = None) -> list[DataIssue]:
    """Validate the whole package: schemas, keys, foreign keys, plus the rules schemas can't say."""
    import frictionless

    folder = data_dir(root)
    issues: list[DataIssue] = []
    with _frictionless_reads_yaml_with_libyaml():
        report = frictionless.validate(str(folder / "datapackage.yaml"))
    for task in report.tasks:
        rel = f"data/{task.place}" if task.place else task.name
        for error in task.errors:
            row = getattr(error, "row_number", None)
            column = getattr(error, "field_name", None) or getattr(error, "label", None)
            if column is None and getattr(error, "field_names", None):
                column = ", ".join(error.field_names)
            issues.append(DataIssue(rel, row, column, _plain(error)))
    for error in report.errors:
        issues.append(DataIssue("data/datapackage.yaml", None, None, error.message))
    if not issues:
        issues.extend(_unreadable_numbers(root))
    if not issues:
        frames = {name: load(name, root) for name in resource_paths(root)}  # read once
        issues.extend(_empty_files(root, frames))
        issues.extend(_units_signs_and_dates(root, frames))
        issues.extend(_conflicting_figures(root))
        issues.extend(_totals_off_their_parts(root))
        issues.extend(_uncited_sources(frames))
        issues.extend(_misgraded_sources(root, frames["sources"]))
        issues.extend(_unnamed_filers(frames["sources"]))
        issues.extend(_stale_gaps(root, frames))
        issues.extend(_stale_kept(frames))
        issues.extend(_misdated_figures(root, frames))
    return issues


PLAIN_NUMBER = re.compile(r"-?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?")
"""A number as the files write it: digits, a point, an exponent. The schema check lets through
forms a reader cannot trust (`NaN`, `inf`, `1_000`, digits of other scripts)."""


def _unreadable_numbers(root: Path | None) -> list[DataIssue]:
    """Number cells that are not plain, finite decimal numbers."""
    import math

    issues = []
    desc = descriptor(root)
    for res in desc["resources"]:
        fields = schema(res, root)["fields"]
        numeric = [f["name"] for f in fields if f["type"] in {"number", "integer"}]
        with open_csv(data_dir(root) / res["path"]) as handle:
            for line, row in enumerate(csv.DictReader(handle), start=2):
                for name in numeric:
                    cell = (row.get(name) or "").strip()
                    if cell and (
                        not PLAIN_NUMBER.fullmatch(cell) or not math.isfinite(float(cell))
                    ):
                        issues.append(
                            DataIssue(
                                f"data/{res['path']}",
                                line,
                                name,
                                f"{cell!r} is not a plain finite number: write digits with a"
                                " point for decimals (e.g. 1234.5), no NaN, inf or separators",
                            )
                        )
    return issues


def _empty_files(root: Path | None, frames: dict[str, pd.DataFrame]) -> list[DataIssue]:
    """A file with its header and no rows (a bad export, or rows deleted by mistake)."""
    return [
        DataIssue(
            f"data/{path.relative_to(data_dir(root)).as_posix()}",
            None,
            None,
            "the file has a header but no rows: restore its rows or remove it from"
            " datapackage.yaml",
        )
        for name, path in resource_paths(root).items()
        if frames[name].empty
    ]


def _units_signs_and_dates(root: Path | None, frames: dict[str, pd.DataFrame]) -> list[DataIssue]:
    """What a schema cannot say: a money table's unit, an amount below zero where none can be or
    beyond what is plausible, a figure published after today."""
    import datetime as dt

    today = dt.date.today().isoformat()
    issues = []
    for name, path in resource_paths(root).items():
        frame, where = frames[name], f"data/{path.relative_to(data_dir(root)).as_posix()}"
        for line, row in enumerate(frame.to_dict("records"), start=2):
            if name in MONEY_TABLES and row.get("unit") != "USD bn":
                issues.append(
                    DataIssue(
                        where,
                        line,
                        "unit",
                        f"{row.get('unit')!r} is not a unit of this file: write USD bn (or"
                        " USD m, converted when read)",
                    )
                )
            unit = str(row.get("unit", "")).split(" (")[0]
            if (name in POSITIVE or unit in SIZES) and row.get("value", 1) <= 0:
                why = (
                    f"{name} is a price index"
                    if name in POSITIVE
                    else f"a size in {unit} cannot be zero or less"
                )
                issues.append(
                    DataIssue(where, line, "value", f"{row['value']:g} is not above zero: {why}")
                )
            if name in NON_NEGATIVE and row.get("value", 0) < 0:
                issues.append(
                    DataIssue(
                        where,
                        line,
                        "value",
                        f"{row['value']:g} is below zero: {name} amounts cannot be negative",
                    )
                )
            ceiling = PLAUSIBLE_MAX_USD_BN.get(name)
            if ceiling and row.get("unit") == "USD bn" and row.get("value", 0) > ceiling:
                issues.append(
                    DataIssue(
                        where,
                        line,
                        "value",
                        f"{row['value']:,g} USD bn is above the {ceiling:,} a row of {name} can"
                        " plausibly be: if the figure is in millions, write the unit USD m",
                    )
                )
            if str(row.get("published", "")) > today:
                issues.append(
                    DataIssue(
                        where,
                        line,
                        "published",
                        f"{row['published']} is later than today: a figure cannot be public yet",
                    )
                )
    return issues


def _plain(error) -> str:
    """Frictionless's message, minus the location we already print."""
    kind = error.type
    note = getattr(error, "note", "") or ""
    cell = getattr(error, "cell", None)
    if kind == "type-error":
        return f"{cell!r} is not a valid value of this column's type ({note})"
    if kind == "constraint-error":
        return f"{cell!r} breaks a constraint: {note}"
    if kind == "primary-key":
        return f"duplicate key: {note}"
    if kind == "foreign-key":
        return f"unknown reference: {note} (add the source to data/sources.csv)"
    if kind == "missing-label":
        return "a required column is missing from the header"
    if kind == "missing-cell":
        return "the row has fewer cells than the header"
    return f"{kind}: {error.message}"


def _conflicting_figures(root: Path | None) -> list[DataIssue]:
    """Two rows for the same figure published the same day with different values."""
    issues = []
    for path in resource_paths(root).values():
        if path.parent.name != "figures":
            continue
        seen: dict[tuple, tuple[int, str]] = {}
        with open_csv(path) as handle:
            for line, row in enumerate(csv.DictReader(handle), start=2):
                key = (row["entity"], row["metric"], row["period"], row["published"])
                if key in seen and seen[key][1] != row["value"]:
                    issues.append(
                        DataIssue(
                            f"data/figures/{path.name}",
                            line,
                            "value",
                            f"conflicts with row {seen[key][0]} (same figure, same published date,"
                            " different value): add a later correction row instead",
                        )
                    )
                seen.setdefault(key, (line, row["value"]))
    return issues


def _totals_off_their_parts(root: Path | None) -> list[DataIssue]:
    """A total reported beside its parts (debt current + non-current, ...) that does not add up."""
    issues = []
    for path in resource_paths(root).values():
        if path.parent.name != "figures":
            continue
        with open_csv(path) as handle:
            rows = list(enumerate(csv.DictReader(handle), start=2))
        latest: dict[tuple, tuple[int, float, str]] = {}
        for line, row in rows:  # the latest published row for each line and date
            key = (row["entity"], row["metric"], row["period_end"])
            if key not in latest or row["published"] >= latest[key][2]:
                latest[key] = (line, float(row["value"]), row["published"])
        for (entity, metric, end), (line, value, _) in latest.items():
            parts = [latest.get((entity, part, end)) for part in PARTS.get(metric, ())]
            if not parts or None in parts:
                continue
            summed = sum(part[1] for part in parts)
            if abs(value - summed) > 0.01 * abs(value) + 0.002:
                issues.append(
                    DataIssue(
                        f"data/figures/{path.name}",
                        line,
                        "value",
                        f"{metric} {value:g} on {end} is not the sum of its parts"
                        f" ({' + '.join(PARTS[metric])} = {summed:g})",
                    )
                )
    return issues


def _misgraded_sources(root: Path | None, sources: pd.DataFrame) -> list[DataIssue]:
    """A source whose grade is not the one its host is listed under, or whose host is banned or
    not listed (the rule: `aibet.data.grades`)."""
    try:
        rules = grades.load_rules(data_dir(root) / grades.RULE_FILE)
    except (OSError, ValueError, yaml.YAMLError) as error:
        return [DataIssue(f"data/{grades.RULE_FILE}", None, None, str(error))]
    return [
        DataIssue("data/sources.csv", line, "grade", message)
        for line, row in enumerate(sources.itertuples(), start=2)
        for message in grades.problems(row.url, row.grade, rules)
    ]


def _unnamed_filers(sources: pd.DataFrame) -> list[DataIssue]:
    """A filing's publisher is its filer, then where the copy is: 'Meta Platforms, Inc. (SEC
    EDGAR)'. Captions name the filers from it."""
    return [
        DataIssue(
            "data/sources.csv",
            line,
            "publisher",
            f"{row.publisher!r}: write the filer, then where in brackets, e.g."
            " 'Meta Platforms, Inc. (SEC EDGAR)'",
        )
        for line, row in enumerate(sources.itertuples(), start=2)
        if row.kind == "filing" and not re.fullmatch(r"[^/()]+ \(.+\)", row.publisher)
    ]


FILING_DEADLINE_DAYS = {12: 60, 3: 40}
"""Days after the period end by which a large accelerated filer must file its 10-K (12 months)
or 10-Q (3 months): the latest day a filing can be dated when its copy shows no date."""


def filing_deadline(period_end: str, period_months: int) -> str:
    """The last day a large accelerated filer may file the report for a period."""
    days = FILING_DEADLINE_DAYS[12 if period_months >= 12 else 3]
    return (dt.date.fromisoformat(period_end) + dt.timedelta(days=days)).isoformat()


def _misdated_figures(root: Path | None, frames: dict[str, pd.DataFrame]) -> list[DataIssue]:
    """The date rule: a figure is public by the day its document is, so no row is dated after
    it; a row cited to a filing carries the filing's own date; and where a filing's copy shows no
    date, no row citing it is dated after that filing's deadline (counted from the latest period
    it reports, which is its own)."""
    sources = frames["sources"]
    # Looked up once a row: plain dictionaries, not a frame's .loc (a tenth of a second).
    documents = dict(
        zip(
            sources["source_id"],
            zip(sources["date_published"], sources["kind"], strict=True),
            strict=True,
        )
    )
    tables = {
        name: frame
        for name, frame in frames.items()
        if name not in ALWAYS_READ and "published" in frame  # annual series are dated by rule
    }
    rows = pd.concat(tables.values(), ignore_index=True)
    own_period = rows.sort_values("period_end").groupby("source_id").last()
    own_period = dict(
        zip(
            own_period.index,
            zip(own_period["period_end"], own_period["period_months"], strict=True),
            strict=True,
        )
    )
    issues = []
    for name, frame in tables.items():
        for line, row in enumerate(frame.itertuples(), start=2):
            dated, kind = documents[row.source_id]
            if dated:
                wrong = row.published > dated or (kind == "filing" and row.published != dated)
                rule = "the filing's date" if kind == "filing" else f"on or before {dated}"
                message = f"{row.published} should be {rule}: {row.source_id} is dated {dated}"
            elif kind == "filing":
                period_end, period_months = own_period[row.source_id]
                bound = filing_deadline(period_end, int(period_months))
                wrong = row.published > bound
                message = (
                    f"{row.published} is after {bound}, the deadline of {row.source_id}, whose"
                    " copy shows no filing date"
                )
            else:
                continue
            if wrong:
                where = f"data/{resource_paths(root)[name].relative_to(data_dir(root))}"
                issues.append(DataIssue(where, line, "published", message))
    return issues


def _figure_rows(frames: dict[str, pd.DataFrame], table: str, key: dict) -> pd.Series | None:
    """Which rows of figures table `table` a line of gaps.csv or grade_c_kept.csv names (an
    empty cell stands for any), or None when `table` is not a figures table."""
    frame = frames.get(table)
    if table in ALWAYS_READ or frame is None:
        return None
    if "entity" not in frame:  # an annual series: a year left out is simply absent
        return pd.Series(False, index=frame.index)
    hit = pd.Series(True, index=frame.index)
    for column, wanted in key.items():
        if wanted:
            hit &= frame[column] == wanted
    return hit


def _not_a_table(where: str, line: int, table: str) -> DataIssue:
    return DataIssue(where, line, "table", f"{table!r} is not a figures table")


def _stale_gaps(root: Path | None, frames: dict[str, pd.DataFrame]) -> list[DataIssue]:
    """A gap whose table is unknown, or whose figure the data now holds (the gap is filled)."""
    issues = []
    for line, gap in enumerate(frames["gaps"].itertuples(), start=2):
        hit = _figure_rows(frames, gap.table, {c: getattr(gap, c) for c in FIGURE_KEY})
        if hit is None:
            issues.append(_not_a_table("data/gaps.csv", line, gap.table))
        elif hit.any():
            where = resource_paths(root)[gap.table].relative_to(data_dir(root))
            message = f"data/{where} now holds this figure: remove the gap"
            issues.append(DataIssue("data/gaps.csv", line, None, message))
    return issues


def _stale_kept(frames: dict[str, pd.DataFrame]) -> list[DataIssue]:
    """A row of `data/grade_c_kept.csv` must name one figure row that cites a grade-C document:
    once the figure is re-cited or gone, the exception goes too."""
    grade_of = frames["sources"].set_index("source_id")["grade"]
    issues = []
    for line, kept in enumerate(frames["grade_c_kept"].itertuples(), start=2):
        key = {c: getattr(kept, c) for c in (*FIGURE_KEY, "source_id")}
        hit = _figure_rows(frames, kept.table, key)
        if hit is None or "entity" not in frames[kept.table]:
            issues.append(_not_a_table("data/grade_c_kept.csv", line, kept.table))
            continue
        if not hit.any():
            message = "no figure row matches it: remove the line"
        elif grade_of.get(kept.source_id) != "C":
            message = (
                f"{kept.source_id} is graded {grade_of.get(kept.source_id)}, not C: remove the line"
            )
        else:
            continue
        issues.append(DataIssue("data/grade_c_kept.csv", line, None, message))
    return issues


def citations(frames: dict[str, pd.DataFrame]) -> pd.DataFrame:
    """One row per figure row of every table (table, source_id)."""
    return pd.concat(
        [
            pd.DataFrame({"table": name, "source_id": frame["source_id"]})
            for name, frame in frames.items()
            if name not in ALWAYS_READ
        ],
        ignore_index=True,
    )


def cited_grades(root: Path | None = None) -> pd.DataFrame:
    """`citations` with each source's grade: what the grade targets are measured on."""
    frames = {name: load(name, root) for name in resource_paths(root)}
    cited = citations(frames)
    grade = frames["sources"].set_index("source_id")["grade"]
    return cited.assign(grade=cited["source_id"].map(grade))


def _uncited_sources(frames: dict[str, pd.DataFrame]) -> list[DataIssue]:
    """A source no figure cites: either a figure lost its source or the list kept a stray."""
    cited = set(citations(frames)["source_id"])
    return [
        DataIssue("data/sources.csv", line, "source_id", f"{source_id} is cited by no figure")
        for line, source_id in enumerate(frames["sources"]["source_id"], start=2)
        if source_id not in cited
    ]
