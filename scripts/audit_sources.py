"""A reviewer's sample of figure rows: a seeded random draw across every table, each row with its
value, the document's URL, where in it to look and the document's grade, to check by hand.

    python scripts/audit_sources.py [--rows 40] [--seed 14] [--format text|csv]
"""

from __future__ import annotations

import argparse
import sys

import pandas as pd

from aibet import data

KEY = ["entity", "metric", "period"]


def figure_rows() -> pd.DataFrame:
    """Every figure row of the package with its source's URL and grade, one frame."""
    sources = data.load("sources").set_index("source_id")
    frames = []
    for name in data.resource_paths():
        if name in data.ALWAYS_READ:
            continue
        frame = data.load(name).copy()
        if "entity" not in frame:  # an annual series: one figure per year
            frame = frame.assign(
                entity=name, metric=name, period=frame["year"], unit="", locator=frame["note"]
            )
        frame["table"] = name
        frames.append(frame[["table", *KEY, "value", "unit", "source_id", "locator"]])
    rows = pd.concat(frames, ignore_index=True)
    rows["url"] = rows["source_id"].map(sources["url"])
    rows["grade"] = rows["source_id"].map(sources["grade"])
    return rows


def sample(rows: int, seed: int) -> pd.DataFrame:
    return figure_rows().sample(n=rows, random_state=seed).reset_index(drop=True)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=40)
    parser.add_argument("--seed", type=int, default=14)
    parser.add_argument("--format", choices=("text", "csv"), default="text")
    args = parser.parse_args(argv)
    drawn = sample(args.rows, args.seed)
    if args.format == "csv":
        drawn.to_csv(sys.stdout, index=False)
        return 0
    for n, row in drawn.iterrows():
        print(f"{n + 1:>3}. [{row.grade}] {row.table}: {row.entity} {row.metric} {row.period}")
        print(f"     value {row.value:g} {row.unit}".rstrip())
        print(f"     {row.url}")
        print(f"     where: {row.locator}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
