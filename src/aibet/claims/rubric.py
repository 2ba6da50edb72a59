"""The verdict rubric (the book's editorial policy, shown on the Methods page): every rule a
verdict follows is a function here, with a unit test. No chapter and no notebook adds a rule.

For one claim on one date, in this order: is there a checkable proposition (else `context`);
was the evidence public (else `unsupported`, see `aibet.data.evidence`); does the figure measure
what the article says (else `mischaracterized`); then the numbers against a tolerance; the
evidence grade caps what a weak source can support; the share of plausible assumptions under
which the verdict holds gives its confidence.
"""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np

VERDICTS = (
    "accurate",
    "roughly right",
    "overstated",
    "understated",
    "mischaracterized",
    "unsupported",
    "context",
)
COMPARATORS = ("≈", ">", "<")
DEFAULT_TOLERANCE = 0.10
"""Relative tolerance: within it a numeric claim is accurate, within twice it roughly right."""

EPSILON = 1e-9
"""Rounding slack of the gap computation, far below any tolerance a reader would set."""

FIRM, LEANING = 0.8, 0.5
"""Confidence: the verdict holds on at least 80% of the plausible assumptions (firm), at least
half (leaning), or less (contested)."""

HELD = ("accurate", "roughly right")
MISSED = ("overstated", "understated", "mischaracterized")
"""Verdicts by what they say of the article: the claim held, or it missed; `unsupported` could
not be checked on the evidence of the date, and `context` is not rated."""


def outcome(verdict: str) -> str:
    """'held', 'missed', 'unchecked' or 'not rated': the front page's tally of a verdict."""
    if verdict in HELD:
        return "held"
    if verdict in MISSED:
        return "missed"
    return "unchecked" if verdict == "unsupported" else "not rated"


SEVERITY = {"accurate": 0, "roughly right": 1, "overstated": 2, "understated": 2}
"""How far from the evidence a numeric verdict is; a claim of several tests takes its worst."""


# --- rule 4: numbers -----------------------------------------------------------------------


def numeric_verdict(
    value: float, article_value: float, comparator: str, tolerance: float = DEFAULT_TOLERANCE
) -> str:
    """Judge a reproduced value against the article's figure.

    ``≈``: within ``tolerance`` (relative) accurate, within twice that roughly right, otherwise
    overstated when the article's figure is the larger, understated when it is the smaller.
    ``>`` (the article says "more than"): at or above accurate, short by at most ``tolerance``
    roughly right, otherwise overstated. ``<`` mirrors ``>``. A value that is not a number is
    an error: a missing figure must never become a verdict.
    """
    return str(numeric_verdicts(value, article_value, comparator, tolerance)[()])


def numeric_verdicts(values, article_value: float, comparator: str, tolerance=DEFAULT_TOLERANCE):
    """`numeric_verdict` for a whole array of values at once (the rule lives here)."""
    if comparator not in COMPARATORS:
        raise ValueError(f"comparator must be one of {COMPARATORS}, got {comparator!r}")
    values = np.asarray(values, dtype=float)
    if not np.isfinite(values).all() or not np.isfinite(article_value) or article_value == 0:
        raise ValueError(
            f"cannot judge {values!r} against {article_value!r}: a figure is missing or not finite"
        )
    gap = values / article_value - 1
    # A figure exactly at the tolerance is within it (110 / 100 − 1 is 0.1000…09 in floats).
    tol = np.asarray(tolerance, dtype=float) + EPSILON
    if comparator == "≈":
        conditions = [np.abs(gap) <= tol, np.abs(gap) <= 2 * tol - EPSILON, gap < 0]
        labels = ["accurate", "roughly right", "overstated"]
        other = "understated"
    elif comparator == ">":
        conditions, labels, other = (
            [gap >= 0, gap >= -tol],
            ["accurate", "roughly right"],
            "overstated",
        )
    else:
        conditions, labels, other = (
            [gap <= 0, gap <= tol],
            ["accurate", "roughly right"],
            "understated",
        )
    return np.select(conditions, labels, default=other)


def worst_of(verdicts: Iterable[str]) -> str:
    """A claim that is several numeric tests at once ("overcapacity AND ruin") is as good as its
    worst test."""
    verdicts = list(verdicts)
    if not verdicts:
        raise ValueError("worst_of needs at least one verdict")
    unknown = [v for v in verdicts if v not in SEVERITY]
    if unknown:
        raise ValueError(f"worst_of takes numeric verdicts only, got {unknown}")
    return max(verdicts, key=lambda v: SEVERITY[v])


# --- rule 3: does the figure measure what the article says? ----------------------------------

FLOOR_WORDS = ("at least", "more than", "b+", "over $")
CEILING_WORDS = ("up to",)


def stated_bounds(quotes: Iterable[str]) -> set[str]:
    """How statements frame a figure: {'floor'} for 'at least' / 'more than' / '$600B+',
    {'ceiling'} for 'up to', both when sources disagree, empty when they only state it."""
    text = " ".join(quotes).lower()
    bounds = set()
    if any(word in text for word in FLOOR_WORDS):
        bounds.add("floor")
    if any(word in text for word in CEILING_WORDS):
        bounds.add("ceiling")
    return bounds


def framing_verdict(quotes: Iterable[str], article_bound: str, numeric: str) -> str:
    """A figure the article frames as a bound ("up to" is a ceiling) that its speakers framed
    the other way ("at least") is mischaracterized, however close the number; otherwise the
    numeric verdict stands."""
    bounds = stated_bounds(quotes)
    if bounds and article_bound not in bounds:
        return "mischaracterized"
    return numeric


def traced_verdict(numeric: str, matches_other_line: bool) -> str:
    """A figure that misses the quantity the article names but matches another quantity (another
    line of the filing, another scope, another time frame) is mischaracterized."""
    if numeric not in ("accurate", "roughly right") and matches_other_line:
        return "mischaracterized"
    return numeric


# --- rules particular to one kind of claim (each still general: no claim id here) ------------
# investment-scale rules go below this line

# revenue-shortfall rules go below this line


def sourced_verdict(numeric: str, matches_source: bool, same_quantity: bool) -> str:
    """Rule 3 for a figure the article repeats from a source (an analyst's estimate). When the
    article's number is the source's (`matches_source`, within tolerance) but the source's figure
    measures another quantity than the article says (`same_quantity` false: a lifetime total read
    as purchases over the next two years, a past year read as today), the figure is
    mischaracterized, however close the numbers. Otherwise `numeric`, the article's figure judged
    against the evidence for what it says, stands."""
    if matches_source and not same_quantity:
        return "mischaracterized"
    return numeric


# debt-and-financing rules go below this line


# historical-bubbles rules go below this line
def conjunction_verdict(verdicts: Iterable[str | None]) -> str:
    """A claim that is several tests at once ("overcapacity AND ruin") when the data cannot make
    one of them (None, or `unsupported`): the claim is `unsupported` — the tests that can be
    made do not stand for the whole. When every test can be made, it is as good as its worst
    (`worst_of`)."""
    verdicts = list(verdicts)
    if not verdicts:
        raise ValueError("conjunction_verdict needs at least one test")
    if any(v is None or v == "unsupported" for v in verdicts):
        return "unsupported"
    return worst_of(verdicts)


# ellendale rules go below this line
def fact_and_size_verdict(holds: bool, size: str) -> str:
    """A claim that joins a yes/no fact to a size ("a massive data center is being built": under
    construction AND at least so large): when the fact fails, the claim is mischaracterized
    (`proposition_verdict`) whatever the size; when it holds, the size's numeric verdict decides."""
    fact = proposition_verdict(holds)
    return size if fact == "accurate" else fact


# --- rule 1: a checkable proposition ---------------------------------------------------------


def proposition_verdict(holds: bool) -> str:
    """A checkable qualitative claim whose one-line test is a yes/no fact with no margin
    (e.g. "construction is under way"): accurate when it holds, mischaracterized when not."""
    return "accurate" if holds else "mischaracterized"


# --- rule 6: evidence grade ------------------------------------------------------------------

GRADES = ("A", "B", "C")


def evidence_grade(grades: Iterable[str]) -> float | None:
    """The share of a verdict's inputs from grade-A sources (None when nothing is graded)."""
    grades = [g for g in grades if g in GRADES]
    return sum(g == "A" for g in grades) / len(grades) if grades else None


UNCAPPED = ("context", "unsupported")
"""Verdicts the grade cap leaves as they are."""


def only_weak(grades: Iterable[str]) -> bool:
    """Whether every input comes from a weak source (grade C); true of no inputs at all."""
    return all(g == "C" for g in grades)


def cap_by_grade(verdict: str, grades: Iterable[str]) -> str:
    """A verdict resting only on grade-C inputs is at most `unsupported`."""
    grades = list(grades)
    if grades and only_weak(grades) and verdict not in UNCAPPED:
        return "unsupported"
    return verdict


# --- rule 7: confidence ----------------------------------------------------------------------


def share(verdicts, target: str) -> float:
    """Share of an array of verdicts equal to `target` (a vectorised robustness)."""
    verdicts = np.asarray(verdicts)
    if not verdicts.size:
        raise ValueError("an empty grid has no robustness: declare at least one point")
    return float(np.mean(verdicts == target))


CONFIDENCE = ("firm", "leaning", "contested")


def confidence(robustness: float | None) -> str | None:
    """firm (≥ 80% of the plausible assumptions), leaning (≥ 50%) or contested."""
    if robustness is None:
        return None
    firm, leaning, contested = CONFIDENCE
    if robustness >= FIRM:
        return firm
    return leaning if robustness >= LEANING else contested


def plain_share(robustness: float) -> str:
    """The share of assumptions as words for a reason sentence (no jargon, no false precision)."""
    if robustness >= 0.995:
        return "under every plausible assumption"
    if robustness >= FIRM:
        return "under most plausible assumptions"
    if robustness >= 0.6:
        return "under more than half of the plausible assumptions"
    if robustness >= 0.4:
        return "under about half of the plausible assumptions"
    return "under a minority of the plausible assumptions"
