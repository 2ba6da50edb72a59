"""The evidence known on a date: every table of `data/` seen through the one date rule.

Claim code receives an `Evidence` and nothing else, so it cannot read a row that was not public
on the date it judges. The rule: a figure row counts when its `published` date is on or before
the date, and among the rows of one figure (entity, metric, period) the latest published wins —
a later row is a restatement or a correction. Annual statistical series (CPI-U, …) carry no
row dates: a year's figure counts from the end of January after that year (`series_published`).

Asking for a figure that the data holds but that was not yet public raises `NotYetPublic`
(the engine turns it into an `unsupported` verdict whose reason says when it became public);
asking for a figure the data does not hold at all raises `MissingFigure`, a bug to fix, unless
`data/gaps.csv` says why it is left out (only an uncitable copy or a grade-C page carries it):
then `LeftOut`, which the engine also turns into `unsupported`, with that reason.
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import os
import pickle
import shutil
from collections.abc import Iterable
from pathlib import Path

import numpy as np
import pandas as pd

from aibet import data

KEY = list(data.FIGURE_KEY)
SERIES_COLUMNS = ["year", "value", "source_id"]
MEMO_DIR = Path("_build") / "engine-memo"
"""Claim outcomes kept between runs (a cache: deleting it only costs time)."""
AS_OF = "@as_of"
"""Marks, among the tables a claim read, that it read the date itself."""
REACHED = "@reached"
"""Marks, among the queries a claim asked, a test of whether the date judged had reached a given
date ((REACHED, date)): the claim depends on that test's answer, not on the date itself."""
INPUT_COLUMNS = ["table", *KEY, "value", "unit", "source_id", "published"]
"""What the engine records of every row a claim reads."""


class EvidenceError(LookupError):
    """A figure the claim asked for cannot be given on this date."""


class NotYetPublic(EvidenceError):
    """The data holds the figure, but it became public after the date judged."""

    def __init__(self, what: str, as_of: str, first_public: str):
        self.what, self.as_of, self.first_public = what, as_of, first_public
        super().__init__(f"{what} was not yet public on {as_of} (first published {first_public})")


class MissingFigure(EvidenceError):
    """The data does not hold the figure at all: a bug in the claim or a gap in the data."""

    def __init__(self, what: str):
        self.what = what
        super().__init__(f"no row in data/ for {what}: add it (with its source) or fix the claim")


class LeftOut(EvidenceError):
    """The figure exists, but no source the book may cite carries it (`data/gaps.csv`)."""

    def __init__(self, what: str, reason: str):
        self.what, self.reason = what, reason
        super().__init__(f"{what} is left out: {reason}")


def series_published(year: int) -> str:
    """When an annual statistic for `year` is public at the latest: the end of the following
    January (BLS publishes December's CPI, and with it the annual average, in mid-January)."""
    return f"{year + 1}-01-31"


def iso_date(value) -> str:
    """`value` as an ISO date string; a clear error for anything else (strings must sort)."""
    try:
        return dt.date.fromisoformat(str(value)[:10]).isoformat() if value else ""
    except ValueError:
        raise ValueError(f"not a date (YYYY-MM-DD): {value!r}") from None


def day_after(date: str, days: int = 1) -> str:
    """The ISO date `days` after `date` (the next day by default): `ev.reached(day_after(d))`
    asks whether the date judged is later than `d`."""
    return (dt.date.fromisoformat(date[:10]) + dt.timedelta(days=days)).isoformat()


class Store:
    """Every table of `data/`, loaded once per process and shared by every date."""

    def __init__(self, root: Path | None = None):
        self.root = root
        self._tables: dict[str, pd.DataFrame] = {}
        self._published: dict[tuple, np.ndarray] = {}
        self.handmade = False
        self.undated: dict = {}
        """Lookups that depend on the data only, never on the date judged (first-publication
        dates, known gaps): computed once per store, see `Evidence.undated`."""
        self._inputs: dict[str, pd.DataFrame] = {}
        self._read_rows: dict[tuple, pd.DataFrame] = {}
        self._memo: dict = {}
        self._memo_on_disk = False
        """True while the outcomes kept by earlier runs may be read (each claim's when first
        needed: a notebook reads only its own chapter's)."""
        self._read: set[str] = set()
        """Claims whose kept outcomes were read into `_memo`."""
        self._kept_in: Path | None = None
        self._grade_of: dict[str, str] | None = None
        self._known: dict[tuple, pd.DataFrame] = {}
        self._oldest_first: dict[str, pd.DataFrame] = {}
        self._answers: dict[tuple, pd.DataFrame] = {}

    @classmethod
    @functools.cache
    def default(cls, root: Path | None = None) -> Store:
        """The project's store, with the claim outcomes of earlier runs on the same data and
        code (see `save_memo`)."""
        store = cls(root)
        store._memo_on_disk = True
        return store

    @property
    def memo(self) -> dict:
        """Claim outcomes by (claim, parameters), kept with the evidence version they saw: every
        claim's (see `outcomes` for one claim's)."""
        if self._memo_on_disk:
            folder = self._kept_folder()
            for shard in sorted(folder.glob("*.pickle")) if folder.is_dir() else []:
                self.outcomes(shard.stem)
            self._memo_on_disk = False
        return self._memo

    @memo.setter
    def memo(self, value: dict) -> None:
        self._memo, self._memo_on_disk = value, False

    def outcomes(self, claim_id: str) -> dict:
        """The memo, with the outcomes earlier runs kept for `claim_id` read in."""
        if self._memo_on_disk and claim_id not in self._read:
            self._read.add(claim_id)
            try:
                self._memo.update(
                    pickle.loads((self._kept_folder() / f"{claim_id}.pickle").read_bytes())
                )
            except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ImportError):
                pass  # none yet, or unreadable: judged afresh
        return self._memo

    def _kept_folder(self) -> Path:
        """`memo_path()` when first read from (hashing the data and code once per store)."""
        if self._kept_in is None:
            self._kept_in = self.memo_path()
        return self._kept_in

    def memo_path(self) -> Path:
        """The folder where outcomes are kept between runs, one file per claim: named after the
        data files and the code that judges them, so any change to either starts afresh."""
        folder = data.data_dir(self.root)
        code = Path(__file__).parents[1]
        files = sorted(p for p in folder.rglob("*") if p.is_file())
        files += sorted(
            p
            for part in ("data", "claims")
            for p in (code / part).rglob("*.py")
            if "__pycache__" not in p.parts
        )
        digest = hashlib.sha256()
        for path in files:
            digest.update(path.name.encode())
            digest.update(path.read_bytes())
        return folder.parent / MEMO_DIR / digest.hexdigest()[:16]

    def save_memo(self) -> None:
        """Keep the outcomes for the next run, each claim's file written whole, then renamed
        into place; outcomes kept for other data or code are removed."""
        folder = self.memo_path()
        folder.mkdir(parents=True, exist_ok=True)
        by_claim: dict[str, dict] = {}
        for key, entries in self._memo.items():
            by_claim.setdefault(key[0], {})[key] = entries
        for claim_id, outcomes in by_claim.items():
            staged = folder / f"{claim_id}.{os.getpid()}.partial"
            staged.write_bytes(pickle.dumps(outcomes, protocol=pickle.HIGHEST_PROTOCOL))
            os.replace(staged, folder / f"{claim_id}.pickle")
        for old in folder.parent.iterdir():
            if old != folder and (old.is_dir() or old.suffix == ".pickle"):
                shutil.rmtree(old) if old.is_dir() else old.unlink(missing_ok=True)

    @classmethod
    def of(
        cls,
        tables: dict[str, pd.DataFrame],
        sources: pd.DataFrame | None = None,
        gaps: pd.DataFrame | None = None,
    ) -> Store:
        """A store of hand-made tables (for tests): figure tables need the figure columns
        (entity, metric, period, period_end, period_months, value, unit, source_id,
        published); annual series need year, value, source_id."""
        store = cls(None)
        store.handmade = True
        for name, frame in tables.items():
            store._tables[name] = store._shaped(name, frame)
        ids = sorted({s for f in store._tables.values() for s in f["source_id"]})
        store._tables["sources"] = (
            sources if sources is not None else pd.DataFrame({"source_id": ids, "grade": "A"})
        )
        if gaps is not None:
            store._tables["gaps"] = gaps.fillna("")
        return store

    def table(self, name: str) -> pd.DataFrame:
        """All rows of one table in the figures' shape (entity, metric, period, …, published)."""
        if name not in self._tables:
            if self.handmade:  # a test's store knows only the tables it was given
                raise KeyError(f"no table {name!r} in this store")
            self._tables[name] = self._shaped(name, data.load(name, self.root))
        return self._tables[name]

    @staticmethod
    def _shaped(name: str, frame: pd.DataFrame) -> pd.DataFrame:
        if "published" not in frame:  # an annual series: one row a year, dated by rule
            frame = frame.assign(
                entity=name,
                metric=name,
                period="CY" + frame["year"].astype(str),
                period_end=frame["year"].astype(str) + "-12-31",
                period_months=12,
                unit="index" if name == "cpi_u" else "",
                published=[series_published(int(y)) for y in frame["year"]],
            )
        return frame.assign(table=name).reset_index(drop=True)  # the index: row numbers

    def answer(self, kind: str, table: str, key: tuple, as_of: str) -> pd.DataFrame:
        """The rows of `table` matching `key` (a query's match, `_match_key`) among those known
        on `as_of` (see `known`): found once for all the dates on which the same versions of
        the figures it names were public (`count_public`)."""
        cached = (kind, table, key, self.count_public(table, key, as_of))
        if cached not in self._answers:
            self._answers[cached] = _matching(self.known(kind, table, as_of), dict(key))
        return self._answers[cached]

    def known(self, kind: str, table: str, as_of: str) -> pd.DataFrame:
        """The rows of `table` public on `as_of`, oldest first: every version ('versions'),
        each source's latest ('estimates') or each figure's latest ('rows'). Indexed by the
        table's row numbers; one frame for all the dates on which the same rows were public."""
        public = self.count_public(table, (), as_of)
        if (kind, table, public) not in self._known:
            if table not in self._oldest_first:
                self._oldest_first[table] = self.table(table).sort_values(
                    ["published", "source_id"], kind="stable"
                )
            rows = self._oldest_first[table].iloc[:public]  # the rows public by then come first
            if kind == "rows":
                rows = rows.drop_duplicates(KEY, keep="last")
            elif kind == "estimates":
                rows = rows.drop_duplicates([*KEY, "source_id"], keep="last")
            self._known[kind, table, public] = rows
        return self._known[kind, table, public]

    def count_public(self, name: str, match: tuple, as_of: str) -> int:
        """How many rows of the figures `match` (a query's key) names were public on `as_of`:
        every version of each figure whose entity, metric and period match, whatever its other
        columns. A query that also filters on those (status, source, …) answers from each
        figure's latest version, so a new version changes its answer even where it does not
        match the filter."""
        figures = tuple((column, wanted) for column, wanted in match if column in KEY)
        if (name, figures) not in self._published:
            rows = _matching(self.table(name), dict(figures))
            self._published[name, figures] = rows["published"].sort_values().to_numpy()
        return int(self._published[name, figures].searchsorted(as_of, side="right"))

    def gaps(self) -> pd.DataFrame:
        """Figures known to exist that the book leaves out, and why (`data/gaps.csv`)."""
        if "gaps" not in self._tables:
            self._tables["gaps"] = (
                pd.DataFrame(columns=data.field_names("gaps"))
                if self.handmade
                else data.load("gaps", self.root)
            )
        return self._tables["gaps"]

    def gap(self, table: str, match: dict) -> tuple[str, str] | None:
        """Why the figure `match` asks for is left out and when it became public (as its
        uncitable copy dates it), or None when it is not a known gap."""
        key = ("gap", table, _match_key(match))
        if key not in self.undated:
            self.undated[key] = self._find_gap(table, match)
        return self.undated[key]

    def _find_gap(self, table: str, match: dict) -> tuple[str, str] | None:
        gaps = self.gaps()
        hit = gaps["table"] == table
        for column in KEY:
            if column in match:
                wanted = match[column]
                wanted = list(wanted) if _is_many(wanted) else [wanted]
                hit &= (gaps[column] == "") | gaps[column].isin(wanted)
        found = gaps[hit].sort_values("published")
        if found.empty:
            return None
        reason = str(found["reason"].iloc[0]).rstrip(".")  # the engine ends the sentence
        return reason, str(found["published"].iloc[0])

    def inputs(self, reads: tuple) -> pd.DataFrame:
        """The rows `reads` names ((table, row numbers) pairs, as `Evidence.end` gives them), in
        that order, with the columns the engine records (INPUT_COLUMNS)."""
        if reads not in self._read_rows:
            self._read_rows[reads] = self._rows_read(reads)
        return self._read_rows[reads].copy()

    def source_ids(self, reads: tuple) -> list[str]:
        """The source of each row `reads` names, in the order `inputs` gives them."""
        return [
            source
            for table, rows in reads
            for source in self.table(table)["source_id"].to_numpy()[list(rows)]
        ]

    def _rows_read(self, reads: tuple) -> pd.DataFrame:
        if not reads:
            return pd.DataFrame(columns=INPUT_COLUMNS)
        parts = []
        for table, rows in reads:
            if table not in self._inputs:
                self._inputs[table] = self.table(table)[INPUT_COLUMNS]
            parts.append(self._inputs[table].take(list(rows)))
        return (
            pd.concat(parts, ignore_index=True)
            if len(parts) > 1
            else parts[0].reset_index(drop=True)
        )

    def sources(self) -> pd.DataFrame:
        if "sources" not in self._tables:  # metadata of documents, read like any table
            self._tables["sources"] = data.load("sources", self.root)
        return self._tables["sources"]

    def grades(self, source_ids: Iterable[str]) -> list[str]:
        """The evidence grade of each source in turn ('' for one not graded); none at all when
        the sources carry no grades (a test's store)."""
        if self._grade_of is None:
            sources = self.sources()
            graded = "grade" in sources
            self._grade_of = sources.set_index("source_id")["grade"].to_dict() if graded else {}
        return [self._grade_of.get(s, "") for s in source_ids] if self._grade_of else []

    def latest_published(self, tables: Iterable[str]) -> str:
        """The publication date of the newest row in `tables` (those a test's store has)."""
        chosen = [n for n in tables if not self.handmade or n in self._tables]
        return max(self.table(name)["published"].max() for name in chosen)


def _matching(frame: pd.DataFrame, match: dict) -> pd.DataFrame:
    mask = np.ones(len(frame), dtype=bool)
    for column, wanted in match.items():  # on the columns' arrays: a frame's ops cost more here
        values = frame[column].to_numpy()
        if _is_many(wanted):
            chosen = set(wanted)
            mask &= np.fromiter((v in chosen for v in values), dtype=bool, count=len(values))
        else:
            mask &= values == wanted
    return frame[mask]


def _own(value):
    """A value handed out of a memo: a frame or series as a shallow copy (see `Evidence.memo`)."""
    return value.copy(deep=False) if isinstance(value, pd.DataFrame | pd.Series) else value


def _describe(table: str, match: dict) -> str:
    said = ", ".join(f"{k}={v}" for k, v in match.items())
    return f"{table} [{said}]" if said else table


def _match_key(match: dict) -> tuple:
    """A hashable form of a query's `match` (lists become sorted tuples)."""
    return tuple(
        (column, tuple(sorted(wanted, key=str)) if _is_many(wanted) else wanted)
        for column, wanted in sorted(match.items())
    )


def _is_many(wanted) -> bool:
    return isinstance(wanted, list | tuple | set | frozenset)


class Evidence:
    """The figures public on `as_of` (ISO date). Built once per date; hand it to claim code."""

    def __init__(self, as_of: str, store: Store | None = None):
        self._as_of = iso_date(as_of)
        self._store = store or Store.default()
        self._results: dict[tuple, pd.DataFrame] = {}
        self._derived: dict = {}
        self._log: list[tuple[str, object]] = []
        """(table, row numbers) of every answer handed out since `begin`."""
        self._touched: set = set()

    @property
    def as_of(self) -> str:
        """The date judged. Claim code that reads it (say, for the age of a figure) depends on
        the date itself, not only on the rows known then; the engine's memo notes that."""
        self._touched.add(AS_OF)
        return self._as_of

    def reached(self, date: str) -> bool:
        """Whether the date judged is `date` or later. Prefer it to comparing `as_of`: a claim
        that asks only this depends on the answer, so the engine judges it once for all the
        dates that give the same answers, instead of once a date."""
        self._touched.add((REACHED, date))
        return self._on_or_after(date)

    def _on_or_after(self, date: str) -> bool:
        return date <= self._as_of

    @property
    def store(self) -> Store:
        return self._store

    @property
    def undated(self) -> dict:
        """A cache shared by every date, for what does not depend on the date judged (when a
        figure first became public: dates only, never values)."""
        return self._store.undated

    @property
    def day(self) -> str:
        """The date judged, for the engine's words (claim code reads `as_of`)."""
        return self._as_of

    def _query(self, kind: str, table: str, match: dict) -> pd.DataFrame:
        """The matching rows (shared by the grid points that ask again); the query is noted, so
        the engine knows what the claim's evidence depends on."""
        key = _match_key(match)
        self._touched.add((table, key))
        if (kind, table, key) not in self._results:
            self._results[kind, table, key] = self._store.answer(kind, table, key, self._as_of)
        return self._results[kind, table, key]

    def _record(self, table: str, rows: pd.DataFrame) -> pd.DataFrame:
        if not rows.empty:
            self._log.append((table, rows.index))
        return rows.reset_index(drop=True)  # a new frame: claim code may change it freely

    # --- what claim code may ask -------------------------------------------------------------

    def rows(self, table: str, **match) -> pd.DataFrame:
        """The known rows of `table` whose columns equal (or, for a list, are among) `match`.
        May be empty: use `require` when the claim cannot go on without them."""
        return self._record(table, self._query("rows", table, match))

    def versions(self, table: str, **match) -> pd.DataFrame:
        """Every version of the matching figures public on the date, oldest first: each
        speaker's statement and each restatement, not only the latest (how a figure was worded,
        what was expected on an earlier date). May be empty."""
        return self._record(table, self._query("versions", table, match))

    def estimates(self, table: str, **match) -> pd.DataFrame:
        """Like `rows`, but one figure per source: where sources disagree about the same figure,
        each source's latest revision by the date is kept (the disagreement is the evidence).
        May be empty."""
        return self._record(table, self._query("estimates", table, match))

    def require(self, table: str, what: str | None = None, **match) -> pd.DataFrame:
        """Like `rows`, but never empty: raises NotYetPublic or MissingFigure instead."""
        rows = self._query("rows", table, match)
        if rows.empty:
            self.missing(table, what, **match)
        return self._record(table, rows)

    def memo(self, key: tuple, compute):
        """`compute()` once per date and `key`: the claims of a chapter and the points of a
        robustness grid ask for the same sums again. What `compute` reads through this object
        is replayed on every later call, so each evaluation still records all it depends on.
        `compute` must be a pure function of what it reads (and of `key`). A frame or series
        comes back as a shallow copy: copy-on-write keeps the shared one as it was, whatever
        the caller does with it."""
        if key not in self._derived:
            outer_touched, outer_log = self._touched, self._log
            self._touched, self._log = set(), []
            try:
                value = compute()
                self._derived[key] = (value, frozenset(self._touched), list(self._log))
            finally:
                inner_touched, inner_log = self._touched, self._log
                self._touched, self._log = outer_touched | inner_touched, outer_log + inner_log
            return _own(value)
        value, touched, log = self._derived[key]
        self._touched |= touched
        self._log.extend(log)
        return _own(value)

    def value(self, table: str, what: str | None = None, **match) -> float:
        """The one known figure matching `match` (an error if it is not exactly one)."""
        rows = self.require(table, what, **match)
        if len(rows) != 1:
            raise ValueError(
                f"{_describe(table, match)} matches {len(rows)} figures on {self._as_of};"
                " narrow the match (period, metric)"
            )
        return float(rows["value"].iloc[0])

    def series(self, table: str) -> pd.Series:
        """An annual series (value by year) as known on the date."""
        rows = self.require(table)
        return pd.Series(
            rows["value"].to_numpy(), index=rows["period_end"].str.slice(0, 4).astype(int)
        ).sort_index()

    def first_public(self, table: str, **match) -> str | None:
        """When the first row matching `match` became public (whatever the date judged), or None
        when the data holds no such row. Only a date: the values stay out of reach."""
        key = ("first_public", table, _match_key(match))
        if key not in self.undated:
            rows = _matching(self._store.table(table), match)
            self.undated[key] = None if rows.empty else str(rows["published"].min())
        return self.undated[key]

    def missing(self, table: str, what: str | None = None, **match):
        """Raise the right error for a figure the claim needs and the date does not give."""
        what = what or _describe(table, match)
        self._unavailable(table, what, match, self.first_public(table, **match))

    def absent(self, table: str, what: str, **match):
        """Raise for a figure the data does not hold at all: LeftOut when `data/gaps.csv` says
        why (NotYetPublic before the day it became public), MissingFigure (a bug) otherwise."""
        self._unavailable(table, what, match, None)

    def _unavailable(self, table: str, what: str, match: dict, first: str | None):
        """The one rule for a figure the date does not give, `first` being when the data's
        first such row became public: left out once a listed gap's copy was public; else not
        yet public until the earlier of the two; else missing."""
        gap = self._store.gap(table, match)
        if gap and self.reached(gap[1]):  # the answer turns on the gap's date, too
            raise LeftOut(what, gap[0])
        dates = [d for d in (first, gap and gap[1]) if d]
        if dates:
            raise NotYetPublic(what, self._as_of, min(dates))
        raise MissingFigure(what)

    @property
    def sources(self) -> pd.DataFrame:
        """The source documents (id, publisher, title, url, dates, kind): metadata, not figures."""
        return self._store.sources()

    # --- for the engine ----------------------------------------------------------------------

    def begin(self) -> None:
        """Start recording what a claim reads."""
        self._log, self._touched = [], set()

    def end(self) -> tuple[frozenset, tuple]:
        """The queries (and whether the date itself) asked since `begin`, and every row handed
        out, once each, in the order first read: ((table, row numbers), …) for `Store.inputs`."""
        seen: dict[tuple[str, int], None] = {}
        for table, rows in self._log:
            for row in rows:
                seen.setdefault((table, int(row)))
        runs: list[tuple[str, list[int]]] = []
        for table, row in seen:
            if not runs or runs[-1][0] != table:
                runs.append((table, []))
            runs[-1][1].append(row)
        return frozenset(self._touched), tuple((table, tuple(rows)) for table, rows in runs)

    def version(self, touched: frozenset) -> tuple:
        """What the answers to the queries in `touched` depend on: for each, how many versions
        of the figures it names were public on the date (`Store.count_public`; rows only ever
        add up as the date moves on); the date itself when a claim read it. Two dates with the same version give a
        claim the same evidence, so the same outcome. A test of the date (`reached`) counts by
        its answer."""
        return tuple(
            self._as_of
            if query == AS_OF
            else self._on_or_after(query[1])
            if query[0] == REACHED
            else self._store.count_public(*query, self._as_of)
            for query in sorted(touched, key=str)
        )
