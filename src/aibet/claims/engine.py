"""The claim engine: each claim a pure function of (evidence known on a date, parameters).

A chapter module declares its claims with `@claim(...)`: the article's figure, the parameters
the claim reads, and a grid over the plausible range of its assumptions. The function returns
an `Outcome` (value, verdict, reason, the frame its chart draws, named facts for the prose).
`judge` adds what every claim gets the same way: the inputs it read (rows and source ids), the
date of the newest of them, the evidence grade, the robustness over the grid, the confidence
and, when not firm, the alternative verdict and the assumption that gives it.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import itertools
import math
import re
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from types import SimpleNamespace

import pandas as pd

from aibet import PUBLICATION_DATE
from aibet.claims import rubric
from aibet.data.evidence import Evidence, LeftOut, NotYetPublic

EARLIEST_AS_OF = "2019-01-01"
"""The earliest date a chapter can be judged at (the data's history starts around then)."""
TIMELINE_START = "2025-03-31"
"""The verdict timeline runs month by month from six months before publication."""


class ClaimError(RuntimeError):
    """A claim could not be judged: a bug in the claim or a gap in the data, never a verdict."""


@dataclass(frozen=True)
class Outcome:
    """What a claim function returns for one date and one set of parameters."""

    value: float | None
    verdict: str
    reason: str
    frame: pd.DataFrame | None = None
    facts: dict = field(default_factory=dict)
    undetermined: bool = False
    """True when the verdict is unsupported because a figure it needs was not yet public."""
    point: bool = False
    """True for a point of the robustness grid (`grid_point`): no frame, no facts."""

    def __post_init__(self):
        if self.verdict not in rubric.VERDICTS:
            raise ValueError(f"unknown verdict {self.verdict!r}; use one of {rubric.VERDICTS}")
        if self.value is not None and not math.isfinite(self.value):
            raise ValueError(f"value {self.value!r} is not a finite number")
        if not self.reason.strip():
            raise ValueError("every verdict needs a reason")


@dataclass(frozen=True)
class Claim:
    id: str
    chapter: str
    text: str
    article_value: float | None
    unit: str | None
    comparator: str | None
    params: tuple[str, ...]
    grid: dict
    evaluate: Callable[[Evidence, SimpleNamespace], Outcome]
    labels: dict = field(default_factory=dict)
    """Optional words for grid values: {param: {value: "how a reader says it"}}."""
    facts: dict = field(default_factory=dict)
    """The named numbers and words the chapter's prose shows: {name: unit} (unit None for
    words). A determined outcome carries exactly these."""
    assumptions: dict = field(default_factory=dict)
    """Judgement calls that are not chapter parameters, with their central value
    ({name: default}); the grid may range over them like over parameters."""
    value_words: tuple[str, str] = ("{}", "{}")
    """How the value reads in a sentence, as (when zero or more, when negative), `{}` standing
    for the formatted size: ("net debt of {}", "net cash of {}")."""

    def describe(self, name: str, value) -> str:
        words = self.labels.get(name, {})
        key = tuple(value) if isinstance(value, list) else value
        if key in words:
            return words[key]
        shown = ", ".join(map(str, value)) if isinstance(value, list | tuple) else value
        return f"{name.replace('_', ' ')} = {shown}"


REGISTRY: dict[str, Claim] = {}


def claim(
    id: str,
    chapter: str,
    text: str,
    article_value: float | None = None,
    unit: str | None = None,
    comparator: str | None = None,
    params: tuple[str, ...] = (),
    grid: dict | None = None,
    labels: dict | None = None,
    facts: dict | None = None,
    assumptions: dict | None = None,
    value_words: str | tuple[str, str] = "{}",
):
    """Register a claim function `f(evidence, p) -> Outcome` (p holds the named parameters)."""
    if comparator is not None and comparator not in rubric.COMPARATORS:
        raise ValueError(f"{id}: unknown comparator {comparator!r}")
    grid = grid or {}
    undeclared = set(grid) - set(params) - set(assumptions or {})
    if undeclared:
        raise ValueError(f"{id}: grid over undeclared parameters {sorted(undeclared)}")
    if any(len(values) == 0 for values in grid.values()):
        raise ValueError(f"{id}: every grid axis needs at least one value")

    def register(function):
        if id in REGISTRY:
            raise ValueError(f"claim {id} is declared twice")
        REGISTRY[id] = Claim(
            id,
            chapter,
            text,
            article_value,
            unit,
            comparator,
            tuple(params),
            grid,
            function,
            labels or {},
            facts or {},
            assumptions or {},
            (value_words, value_words) if isinstance(value_words, str) else value_words,
        )
        return function

    return register


@dataclass(frozen=True)
class Judgement:
    """One claim judged on one date with one set of parameters."""

    claim: Claim
    as_of: str
    value: float | None
    verdict: str
    reason: str
    robustness: float | None
    confidence: str | None
    flips_to: str | None
    flips_if: str | None
    inputs: pd.DataFrame
    sources: list[str]
    documents: pd.DataFrame
    """The source documents behind `sources` (id, publisher, title, url, dates, kind)."""
    latest_data_date: str | None
    evidence_grade: float | None
    frame: pd.DataFrame | None
    facts: dict


def grid_point(value: float | None, verdict: str, reason: str) -> Outcome:
    """What a claim function may return when `p.light` is set (a point of the robustness grid,
    or a row of the verdict timeline, `verdict_row`), once it has read everything that decides
    the value, the verdict and the reason: the timeline's dates need no chart frame or facts."""
    return Outcome(value, verdict, reason, point=True)


def _namespace(claim: Claim, values: dict) -> SimpleNamespace:
    missing = [name for name in claim.params if name not in values]
    if missing:
        raise ClaimError(f"{claim.id} needs the parameter(s) {missing}")
    chosen = {name: values.get(name, default) for name, default in claim.assumptions.items()}
    return SimpleNamespace(**chosen, **{name: values[name] for name in claim.params})


def frozen(value):
    """A parameter's value as part of a memo's key (a list becomes a tuple)."""
    return tuple(value) if isinstance(value, list) else value


def _outcome(
    claim: Claim, evidence: Evidence, values: dict, light: bool = False
) -> tuple[Outcome, tuple]:
    """The claim's outcome and the rows it read (see `Evidence.end`). Memoised per (claim,
    parameters) against the version of the evidence it read: dates with the same known rows
    share one evaluation.

    `light`: only the value, the verdict and, where the claim gives it, the reason are wanted (a
    point of the robustness grid, a row of the timeline). The claim function sees `p.light` and
    may return before its chart frame and facts; a whole outcome already judged serves as well."""
    params = _namespace(claim, values)
    key = (claim.id, tuple((k, frozen(v)) for k, v in sorted(vars(params).items())))
    memo = evidence.store.outcomes(claim.id)
    for kept in (key, (*key, "light")) if light else (key,):
        for touched, version, outcome, reads in memo.get(kept, []):
            if evidence.version(touched) == version:
                return _dated(outcome, evidence), reads
    params.light = light
    evidence.begin()
    try:
        outcome = claim.evaluate(evidence, params)
    except NotYetPublic as gap:
        touched, _ = evidence.end()
        # What was not yet public depends only on the rows read; the date goes into the reason.
        outcome, reads = ("not yet public", gap.what, gap.first_public), ()
    except LeftOut as gap:
        touched, reads = evidence.end()  # what it read before the gap: the sources it rests on
        reason = f"{gap.what[0].upper()}{gap.what[1:]} is left out: {gap.reason}"
        outcome = Outcome(None, "unsupported", reason, undetermined=True)
    else:
        touched, reads = evidence.end()
        if not outcome.point and set(outcome.facts) != set(claim.facts):
            raise ClaimError(
                f"{claim.id}: facts {sorted(outcome.facts)} differ from those declared"
                f" {sorted(claim.facts)}"
            )
    # Anything but a grid point is the whole outcome, whichever was asked: kept as such, it
    # answers both (a claim function without a light path, a figure not yet public).
    point = isinstance(outcome, Outcome) and outcome.point
    entry = (touched, evidence.version(touched), outcome, reads)
    memo.setdefault((*key, "light") if point else key, []).append(entry)
    return _dated(outcome, evidence), reads


def _dated(outcome, evidence: Evidence) -> Outcome:
    """An outcome, or the `unsupported` one of a figure not yet public on the evidence's date."""
    if isinstance(outcome, Outcome):
        return outcome
    _, what, first_public = outcome
    what = f"{what[0].upper()}{what[1:]} was not yet public on {evidence.day}"
    if first_public <= evidence.day:  # some of it was: say so rather than contradict the date
        reason = f"{what}: only part of it was (the first such figure from {first_public})"
    else:
        reason = f"{what}; it was first published on {first_public}"
    return Outcome(None, "unsupported", reason, undetermined=True)


def _grid_points(claim: Claim, values: dict):
    values = {**claim.assumptions, **values}
    names = list(claim.grid)
    for combo in itertools.product(*(claim.grid[n] for n in names)):
        yield {**values, **dict(zip(names, combo, strict=True))}


def _decided(claim: Claim, evidence: Evidence, values: dict, light: bool) -> tuple:
    """The claim's outcome (a grid point's, when `light`), the rows it read and its robustness,
    alternative verdict and the assumption that gives it (None each without a grid)."""
    with _claim_errors(claim, evidence):
        outcome, reads = _outcome(claim, evidence, values, light)
        spread = (None, None, None)
        if claim.grid and outcome.verdict != "context" and not outcome.undetermined:
            spread = _robustness(claim, evidence, values, outcome.verdict)
    return outcome, reads, spread


@contextlib.contextmanager
def _claim_errors(claim: Claim, evidence: Evidence):
    """A claim function's error, as the ClaimError that names the claim and the date."""
    try:
        yield
    except (ValueError, LookupError) as error:
        raise ClaimError(f"{claim.id} on {evidence.as_of}: {error}") from error


def judge(claim: Claim | str, evidence: Evidence, values: dict) -> Judgement:
    """Judge `claim` on the evidence's date with the parameter `values` (a chapter's values)."""
    claim = REGISTRY[claim] if isinstance(claim, str) else claim
    outcome, reads, (robustness, flips_to, flips_if) = _decided(claim, evidence, values, False)
    inputs = evidence.store.inputs(reads)
    grades = evidence.store.grades(inputs["source_id"])
    verdict = rubric.cap_by_grade(outcome.verdict, grades)
    reason = outcome.reason
    if verdict != outcome.verdict:
        reason += "; every input comes from a weak source (grade C), so it is at most unsupported"
    return Judgement(
        claim=claim,
        as_of=evidence.as_of,
        value=outcome.value,
        verdict=verdict,
        reason=reason,
        robustness=robustness,
        confidence=rubric.confidence(robustness),
        flips_to=flips_to,
        flips_if=flips_if,
        inputs=inputs,
        sources=sorted(set(inputs["source_id"])),
        documents=evidence.sources[evidence.sources["source_id"].isin(set(inputs["source_id"]))],
        latest_data_date=str(inputs["published"].max()) if len(inputs) else None,
        evidence_grade=rubric.evidence_grade(grades),
        frame=outcome.frame,
        facts=outcome.facts,
    )


@dataclass(frozen=True)
class Row:
    """What the verdict timeline shows of a claim on one date."""

    value: float | None
    verdict: str
    reason: str
    confidence: str | None


def verdict_row(claim: Claim | str, evidence: Evidence, values: dict) -> Row:
    """What `judge` gives of the claim for the verdict timeline, read off the grid point at
    `values` (or the whole outcome, for a claim without a light path) where the grade cap cannot
    apply: one of the rows the point read is not grade C, and the whole outcome reads those rows
    and more. Then no chart frame or facts are built for the date."""
    claim = REGISTRY[claim] if isinstance(claim, str) else claim
    outcome, reads, (robustness, _, _) = _decided(claim, evidence, values, True)
    grades = evidence.store.grades(evidence.store.source_ids(reads))
    if outcome.verdict not in rubric.UNCAPPED and rubric.only_weak(grades):
        judged = judge(claim, evidence, values)
        return Row(judged.value, judged.verdict, judged.reason, judged.confidence)
    return Row(outcome.value, outcome.verdict, outcome.reason, rubric.confidence(robustness))


def _robustness(claim: Claim, evidence: Evidence, values: dict, verdict: str):
    """Share of the grid giving `verdict`; when not firm, the most common other verdict and the
    grid point closest to `values` that gives it. Points where a figure was not yet public say
    nothing about whether the verdict holds: they count only when every point is such a one."""
    judged = [
        (point, _outcome(claim, evidence, point, light=True)[0])
        for point in _grid_points(claim, values)
    ]
    values = {**claim.assumptions, **values}
    determined = [(p, o) for p, o in judged if not o.undetermined] or judged
    points = [p for p, _ in determined]
    verdicts = [o.verdict for _, o in determined]
    robustness = rubric.share(verdicts, verdict)
    if rubric.confidence(robustness) == "firm":
        return robustness, None, None
    others = Counter(v for v in verdicts if v != verdict)
    flips_to = others.most_common(1)[0][0]
    candidates = [p for p, v in zip(points, verdicts, strict=True) if v == flips_to]
    closest = min(candidates, key=lambda p: sum(p[k] != values[k] for k in claim.grid))
    changed = [k for k in claim.grid if closest[k] != values[k]]
    flips_if = " and ".join(claim.describe(k, closest[k]) for k in changed) or None
    return robustness, flips_to, flips_if


def explore(claim: Claim | str, evidence: Evidence, values: dict) -> list[dict]:
    """Every point of the claim's grid with its value and verdict on the evidence's date: what
    a reader moving the assumptions sees (the robustness above counts these same verdicts)."""
    claim = REGISTRY[claim] if isinstance(claim, str) else claim
    rows = []
    for point in _grid_points(claim, values):
        with _claim_errors(claim, evidence):
            outcome = _outcome(claim, evidence, point, light=True)[0]
        rows.append(
            {
                "point": {name: point[name] for name in claim.grid},
                "value": outcome.value,
                "verdict": outcome.verdict,
                "undetermined": outcome.undetermined,
            }
        )
    return rows


# --- dates -------------------------------------------------------------------------------------


def month_ends(first: str, last: str) -> list[str]:
    """Every month-end from the month of `first` to the month of `last`, as ISO dates."""
    ends = pd.date_range(pd.Timestamp(first).to_period("M").to_timestamp("M"), last, freq="ME")
    stop = pd.Timestamp(last).to_period("M").to_timestamp("M")
    if not len(ends) or ends[-1] < stop:
        ends = ends.append(pd.DatetimeIndex([stop]))
    return [d.date().isoformat() for d in ends]


def timeline_dates(latest: str) -> list[str]:
    """The verdict timeline's dates: month-ends from TIMELINE_START to the month of the latest
    data, and the publication date."""
    return sorted({*month_ends(TIMELINE_START, latest), PUBLICATION_DATE})


def check_as_of(as_of: str) -> str:
    """An `as_of` a chapter can be judged at: a date from EARLIEST_AS_OF to today."""
    today = dt.date.today().isoformat()
    try:  # written YYYY-MM-DD only: 20250101 or 2025-W01-1 are refused, not guessed
        if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", as_of):
            raise ValueError(as_of)
        day = dt.date.fromisoformat(as_of).isoformat()
    except (TypeError, ValueError):
        raise ValueError(f"as_of={as_of!r} must be a date YYYY-MM-DD or 'latest'") from None
    if not EARLIEST_AS_OF <= day <= today:
        raise ValueError(
            f"as_of={as_of} is out of range: allowed {EARLIEST_AS_OF} to {today} or 'latest'"
        )
    return day
