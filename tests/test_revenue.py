"""The revenue model against hand-worked cases; published headlines are checked in test_chains."""

import numpy as np
import pytest

from aibet.claims import revenue
from aibet.claims import rubric as claims


def test_bain_chain_by_hand():
    # 300 of capex a year at a 20% capex-to-revenue ratio needs 1,500 of revenue; 1,000 funded.
    assert revenue.bain_required_revenue(300, 0.2) == pytest.approx(1500)
    assert revenue.bain_shortfall(1500, 1000) == pytest.approx(500)


def test_sequoia_chain_by_hand():
    # 40 of accelerator sales at 40% of data-center cost -> 100 of cost; 60% margin -> 250.
    assert revenue.sequoia_required_revenue(40, 0.4, 0.6) == pytest.approx(250)
    assert revenue.sequoia_gap(250, 30) == pytest.approx(220)


def test_depreciation_weights_handle_fractional_lives():
    weights = revenue.depreciation_weights(2.5, 4)
    assert weights == pytest.approx([0.4, 0.4, 0.2, 0.0])
    assert weights.sum() == pytest.approx(1.0)  # a purchase is expensed exactly once
    assert revenue.net_book_weights(2.5, 4) == pytest.approx([0.6, 0.2, 0.0, 0.0])


def test_payback_by_hand():
    # Two years of 100 with a two-year life: depreciation 50 + 50 = 100; the newest year's
    # purchase is half written off, so 50 is still on the books and earns 10% -> 5.
    # Capital cost 105 is half of total cost (operating share 0.5) -> 210; 50% margin -> 420.
    assert revenue.annual_depreciation([100, 100], 2) == pytest.approx(100)
    assert revenue.net_book_value([100, 100], 2) == pytest.approx(50)
    assert revenue.payback_required_revenue([100, 100], 2, 0.1, 0.5, 0.5) == pytest.approx(420)
    assert revenue.payback_required_revenue([100, 100], 2, 0.1, 0.5, 0.5, 0.5) == pytest.approx(210)


def test_payback_orders_history_oldest_first():
    # Only the newest year counts with a one-year life.
    assert revenue.annual_depreciation([10, 20, 70], 1) == pytest.approx(70)


def test_model_broadcasts_over_a_grid():
    g = revenue.grid(life=[2, 4], margin=[0.0, 0.5], share=[0.5, 1.0])
    assert len(g["life"]) == 8
    needed = revenue.payback_required_revenue(
        [100, 100, 100, 100], g["life"], 0, 0, g["margin"], g["share"]
    )
    one = [
        revenue.payback_required_revenue([100] * 4, life, 0, 0, margin, share)
        for life, margin, share in zip(g["life"], g["margin"], g["share"], strict=True)
    ]
    assert needed == pytest.approx(one)


def test_tornado_orders_by_swing():
    assumptions = [
        revenue.Assumption("a", "A", 1, 0, 2, "why"),
        revenue.Assumption("b", "B", 1, 0.5, 1.5, "why"),
    ]
    rows = revenue.tornado(lambda a, b: 10 * a + b, assumptions)
    assert [r["assumption"] for r in rows] == ["A", "B"]
    assert rows[0]["at_low"] == pytest.approx(1) and rows[0]["at_high"] == pytest.approx(21)
    assert rows[1]["swing"] == pytest.approx(1)


def test_vectorised_verdicts_match_the_scalar_rule():
    values = np.array([100, 95, 85, 70, 130])
    expected = [claims.numeric_verdict(v, 100, "≈", 0.1) for v in values]
    assert list(claims.numeric_verdicts(values, 100, "≈", 0.1)) == expected
    assert expected == ["accurate", "accurate", "roughly right", "overstated", "understated"]
    assert claims.share(
        claims.numeric_verdicts(values, 100, "≈", 0.1), "accurate"
    ) == pytest.approx(2 / 5)
    with pytest.raises(ValueError, match="missing or not finite"):
        claims.numeric_verdicts([100, np.nan], 100, "≈", 0.1)  # a missing figure is no verdict


def test_lifetime_revenue_is_the_sum_of_yearly_paybacks():
    # 100 spent once, 4-year life, 10% return: book values 75, 50, 25, 0 -> 15 of return.
    life = revenue.lifetime_required_revenue(100, 4, 0.1, 0.0, 0.0)
    assert life == pytest.approx(115)
    yearly = [revenue.payback_required_revenue([100] + [0] * k, 4, 0.1, 0.0, 0.0) for k in range(6)]
    assert life == pytest.approx(sum(yearly))
    # No return, no operating cost: Sequoia's chain, spend / (1 - margin).
    assert revenue.lifetime_required_revenue(100, 4, 0, 0, 0.5) == pytest.approx(200)


def test_cost_coverage_is_revenue_over_yearly_cost_without_margin():
    # The payback case above without margin costs 210 with half of it AI: 105; 42 covers 40%.
    assert revenue.cost_coverage(42, [100, 100], 2, 0.1, 0.5, 0.5) == pytest.approx(0.4)
