import json

import pytest

from aibet.claims import rubric as claims


@pytest.mark.parametrize(
    ("value", "article", "comparator", "expected"),
    [
        (95, 100, "≈", "accurate"),
        (85, 100, "≈", "roughly right"),
        (70, 100, "≈", "overstated"),
        (130, 100, "≈", "understated"),
        (100, 100, ">", "accurate"),
        (92, 100, ">", "roughly right"),
        (72, 100, ">", "overstated"),
        (108, 100, "<", "roughly right"),
        (float("nan"), 100, "≈", "unsupported"),
    ],
)
def test_numeric_verdict_hand_cases(value, article, comparator, expected):
    assert claims.numeric_verdict(value, article, comparator, 0.10) == expected


def test_unknown_comparator_is_rejected():
    with pytest.raises(ValueError, match="comparator"):
        claims.numeric_verdict(1, 1, "=", 0.1)


def test_robustness_is_share_of_grid():
    # x in 1..4, y in 1..2: x * y >= 4 holds for (2,2), (3,2), (4,1), (4,2) -> 4 of 8
    share = claims.robustness(
        lambda x, y: "yes" if x * y >= 4 else "no", {"x": [1, 2, 3, 4], "y": [1, 2]}, "yes"
    )
    assert share == 0.5


def _record(**changes):
    base = dict(
        id="T-1",
        chapter="c",
        claim="c",
        article_value=1.0,
        unit="USD bn",
        comparator="≈",
        value_at_publication=1.0,
        verdict_at_publication="accurate",
        value_latest=2.0,
        verdict_latest="understated",
        robustness=0.5,
        reason="r",
        sources=["b", "a", "a"],
    )
    return claims.ClaimRecord(**{**base, **changes})


def test_record_rejects_unknown_verdict():
    with pytest.raises(ValueError, match="unknown verdict"):
        _record(verdict_latest="true")


def test_ledger_json_and_csv_follow_the_contract():
    record = _record().to_dict()
    rows = json.loads(claims.ledger_json([record]))
    assert list(rows[0]) == list(claims.LEDGER_FIELDS)
    assert rows[0]["sources"] == ["a", "b"]
    header, line = claims.ledger_csv([record]).splitlines()
    assert header.split(",") == list(claims.LEDGER_FIELDS)
    assert line.endswith(",r,a;b")


def test_a_value_the_data_cannot_compute_is_null_in_the_ledger():
    record = _record(value_latest=float("nan"), verdict_latest="unsupported").to_dict()
    assert json.loads(claims.ledger_json([record]))[0]["value_latest"] is None


def test_values_read_in_their_unit():
    from aibet.present.pages import fmt_value

    assert fmt_value(1234.4, "USD bn") == "$1,234 bn"
    assert fmt_value(0.854, "ratio") == "0.85×"
    assert fmt_value(5.6, "percent") == "5.6%"
    assert fmt_value(float("nan"), "USD bn") == fmt_value(None, "ratio") == "—"
