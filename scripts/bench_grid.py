"""Benchmark: a 10,000-point robustness grid through the vectorised revenue model.

Times the REV-6 verdicts (capex stock's yearly cost against AI revenue) over a 10 × 10 × 10 × 10
grid of useful life, required return, operating share and AI share, evaluated two ways in the
same invocation: the vectorised model (one call) and a baseline that calls the same model and
verdict rule once per grid point. Prints medians of several runs and the ratio, and writes them
to _build/bench/grid.json.

    .venv/bin/python scripts/bench_grid.py [--runs 7]
"""

from __future__ import annotations

import argparse
import json
import statistics
import time

import numpy as np

from aibet import project_root
from aibet.claims import catalog, revenue
from aibet.claims import rubric as claims
from aibet.claims import shortfall as sf
from aibet.claims.investment import BIG_FOUR
from aibet.data.evidence import Evidence

STEPS = 10


def setup():
    """The inputs the chapter uses: the four's capex stock and the latest AI revenue."""
    ev = Evidence(catalog.latest_date())
    stock = sf.capex_stock(ev).to_numpy()
    ai = float(sf.ai_revenue(ev, "vendors")["value"].sum())
    life_low, life_high = sf.life_range(ev, BIG_FOUR)
    axes = {"life": np.linspace(life_low, life_high, STEPS)}
    for name, key in (
        ("ret", "required_return"),
        ("op", "operating_share"),
        ("share", "ai_share_of_capex"),
    ):
        low, high, _ = sf.PLAUSIBLE[key]
        axes[name] = np.linspace(low, high, STEPS)
    return stock, ai, revenue.grid(**axes)


def vectorised(stock, ai, grid):
    coverage = revenue.cost_coverage(
        ai, stock, grid["life"], grid["ret"], grid["op"], grid["share"]
    )
    return claims.share(claims.numeric_verdicts(coverage, 1.0, "<"), "accurate")


def point_by_point(stock, ai, grid):
    verdicts = []
    for life, ret, op, share in zip(
        grid["life"], grid["ret"], grid["op"], grid["share"], strict=True
    ):
        coverage = float(revenue.cost_coverage(ai, stock, life, ret, op, share))
        verdicts.append(claims.numeric_verdict(coverage, 1.0, "<"))
    return claims.share(verdicts, "accurate")


def median_seconds(func, args, runs):
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        result = func(*args)
        times.append(time.perf_counter() - started)
    return statistics.median(times), result


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    stock, ai, grid = setup()
    points = len(grid["life"])
    fast, share_fast = median_seconds(vectorised, (stock, ai, grid), args.runs)
    slow, share_slow = median_seconds(point_by_point, (stock, ai, grid), max(3, args.runs // 2))
    assert share_fast == share_slow, "the two ways must agree"
    rows = [
        ("baseline: one model call per point", slow, 1.0),
        ("vectorised model, one call", fast, slow / fast),
    ]
    print(f"{points:,}-point grid, share where REV-6 holds: {share_fast:.1%}")
    print(f"{'how':<38} {'median s':>10} {'speed-up':>9}")
    for name, seconds, ratio in rows:
        print(f"{name:<38} {seconds:>10.4f} {ratio:>8.0f}×")
    out = project_root() / "_build" / "bench" / "grid.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(
        json.dumps(
            {
                "points": points,
                "runs": args.runs,
                "share_holding": share_fast,
                "median_seconds": {"vectorised": fast, "baseline": slow},
                "speed_up": slow / fast,
            },
            indent=2,
        )
        + "\n"
    )
    print(f"written to {out.relative_to(project_root())}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
