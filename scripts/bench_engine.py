"""Benchmark: the claim engine's whole verdict timeline (every claim at every timeline date,
robustness grids included, and the ledger), judged from scratch and again with the outcomes kept
between runs, by one process a core as `aibet build` and `aibet timeline` judge it.

Both in one invocation; medians of several runs. Writes _build/bench/engine.json.

    .venv/bin/python scripts/bench_engine.py [--runs 3]
"""

from __future__ import annotations

import argparse
import functools
import json
import os
import statistics
import time

from aibet import project_root
from aibet.claims import catalog, notebooks
from aibet.claims.params import resolve
from aibet.data.evidence import Store


@functools.cache
def values() -> dict[str, dict]:
    """Each chapter's default parameter values, read from the notebooks once (not timed)."""
    return {s.chapter: resolve(s.specs, {}, s.relpath) for s in notebooks.discover(project_root())}


def timeline(store: Store) -> int:
    """The timeline as a build judges it: with the ledger, by one process a core."""
    _, rows = catalog.Book(values(), store).judged_in_parallel(os.cpu_count() or 1)
    return len(rows)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    cold, warm = [], []
    values()
    for _ in range(args.runs):
        store = Store(None)  # nothing judged yet
        started = time.perf_counter()
        rows = timeline(store)
        cold.append(time.perf_counter() - started)
        started = time.perf_counter()
        timeline(store)  # every outcome already judged: the memo answers
        warm.append(time.perf_counter() - started)
    result = {
        "claim_dates": rows,
        "runs": args.runs,
        "median_seconds": {"cold": statistics.median(cold), "warm": statistics.median(warm)},
    }
    print(f"timeline: {rows} claim-dates")
    print(f"  from scratch     {result['median_seconds']['cold']:8.2f} s (median)")
    print(f"  outcomes kept    {result['median_seconds']['warm']:8.2f} s (median)")
    out = project_root() / "_build" / "bench" / "engine.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(result, indent=2) + "\n")
    print(f"written to {out.relative_to(project_root())}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
