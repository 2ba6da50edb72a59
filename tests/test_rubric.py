"""The verdict rubric (VERDICTS.md): every rule, its boundaries, and what it refuses."""

import math

import pytest

from aibet.claims import rubric


@pytest.mark.parametrize(
    ("value", "article", "comparator", "expected"),
    [
        (100, 100, "≈", "accurate"),
        (90, 100, "≈", "accurate"),  # exactly at t below
        (110, 100, "≈", "accurate"),  # exactly at t above
        (89.9, 100, "≈", "roughly right"),
        (80, 100, "≈", "roughly right"),  # exactly at 2t
        (79.9, 100, "≈", "overstated"),  # the article's figure is the larger
        (120.1, 100, "≈", "understated"),  # the article's figure is the smaller
        (100, 100, ">", "accurate"),
        (250, 100, ">", "accurate"),
        (90, 100, ">", "roughly right"),  # short by exactly t
        (89.9, 100, ">", "overstated"),
        (100, 100, "<", "accurate"),
        (110, 100, "<", "roughly right"),
        (110.1, 100, "<", "understated"),
    ],
)
def test_numeric_verdicts_and_their_boundaries(value, article, comparator, expected):
    assert rubric.numeric_verdict(value, article, comparator, 0.10) == expected


def test_the_tolerance_is_a_parameter():
    assert rubric.numeric_verdict(93, 100, "≈", 0.05) == "roughly right"
    assert rubric.numeric_verdict(93, 100, "≈", 0.10) == "accurate"


@pytest.mark.parametrize("value", [math.nan, math.inf, None])
def test_a_missing_figure_never_becomes_a_verdict(value):
    with pytest.raises((ValueError, TypeError)):
        rubric.numeric_verdict(value, 100, "≈")


def test_unknown_comparator_is_rejected():
    with pytest.raises(ValueError, match="comparator"):
        rubric.numeric_verdict(1, 1, "=", 0.1)


def test_a_claim_of_several_tests_takes_its_worst():
    assert rubric.worst_of(["accurate", "accurate"]) == "accurate"
    assert rubric.worst_of(["accurate", "roughly right"]) == "roughly right"
    assert rubric.worst_of(["roughly right", "overstated", "accurate"]) == "overstated"
    with pytest.raises(ValueError):
        rubric.worst_of([])
    with pytest.raises(ValueError, match="numeric"):
        rubric.worst_of(["accurate", "context"])


def test_a_floor_read_as_a_ceiling_is_mischaracterized():
    assert rubric.stated_bounds(["We'll spend at least $600 billion"]) == {"floor"}
    assert rubric.stated_bounds(["up to $600bn"]) == {"ceiling"}
    assert rubric.stated_bounds(["$600 billion"]) == set()
    floor = ["at least $600 billion through 2028"]
    assert rubric.framing_verdict(floor, "ceiling", "accurate") == "mischaracterized"
    assert rubric.framing_verdict(floor, "floor", "accurate") == "accurate"
    # a statement that only gives the number leaves the numeric verdict alone
    assert rubric.framing_verdict(["$600 billion"], "ceiling", "roughly right") == "roughly right"


def test_a_figure_matching_another_quantity_is_mischaracterized():
    assert rubric.traced_verdict("overstated", matches_other_line=True) == "mischaracterized"
    assert rubric.traced_verdict("overstated", matches_other_line=False) == "overstated"
    # a figure right on the line it names stays right even if another line is close too
    assert rubric.traced_verdict("accurate", matches_other_line=True) == "accurate"


def test_a_yes_no_proposition():
    assert rubric.proposition_verdict(True) == "accurate"
    assert rubric.proposition_verdict(False) == "mischaracterized"


def test_evidence_grade_and_its_cap():
    assert rubric.evidence_grade(["A", "A", "B", "C"]) == 0.5
    assert rubric.evidence_grade([]) is None
    assert rubric.cap_by_grade("accurate", ["C", "C"]) == "unsupported"
    assert rubric.cap_by_grade("accurate", ["C", "B"]) == "accurate"
    assert rubric.cap_by_grade("context", ["C"]) == "context"
    assert rubric.cap_by_grade("accurate", []) == "accurate"  # nothing graded yet


@pytest.mark.parametrize(
    ("share", "expected"),
    [
        (1.0, "firm"),
        (0.8, "firm"),
        (0.79, "leaning"),
        (0.5, "leaning"),
        (0.49, "contested"),
        (0.0, "contested"),
        (None, None),
    ],
)
def test_confidence_thresholds(share, expected):
    assert rubric.confidence(share) == expected


def test_robustness_is_a_share_and_an_empty_grid_is_an_error():
    assert rubric.share(["a", "b", "a", "a"], "a") == 0.75
    with pytest.raises(ValueError, match="empty grid"):
        rubric.share([], "a")


def test_shares_read_as_words():
    assert rubric.plain_share(1.0) == "under every plausible assumption"
    assert rubric.plain_share(0.5) == "under about half of the plausible assumptions"
