"""Benchmark the build against a naive baseline, in one invocation (not part of the tests).

Cases, each timed `--runs` times (median reported):
  clean      `aibet build` from no outputs (executed notebooks, site and caches removed)
  no-change  `aibet build` again with nothing changed
  one-param  `aibet build -p NOTEBOOK.PARAM=VALUE`: a variant book; only that notebook may run
  scenario   `aibet build --scenario bear` (its variant folder removed first)
  grid       the 10,000-point robustness grid (scripts/bench_grid.py's vectorised model)
  baseline   every notebook executed serially with plain Papermill, then `jupyter-book build --all`

Prints a table with each case's ratio to the baseline and writes it to _build/bench/bench.json
and _build/bench/bench.md, which the reproducibility page shows.

    .venv/bin/python scripts/bench.py [--runs 5]
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import jupytext

from aibet import project_root
from aibet.claims import notebooks

BIN = Path(sys.executable).parent
ONE_PARAM = "debt-and-financing.debt_lines=plus_all_leases"


def timed(command: list[str], root: Path, check_output=None) -> float:
    started = time.perf_counter()
    result = subprocess.run(command, cwd=root, capture_output=True, text=True)
    elapsed = time.perf_counter() - started
    if result.returncode != 0:
        raise SystemExit(
            f"{' '.join(command)} failed:\n{result.stdout[-1500:]}{result.stderr[-1500:]}"
        )
    if check_output:
        check_output(result.stdout)
    return elapsed


def remove_outputs(root: Path) -> None:
    for path in (
        root / "book" / "_generated",
        root / "_build" / "html",
        root / "_build" / "html.key",
    ):
        if path.is_dir() and not path.is_symlink():
            shutil.rmtree(path)
        elif path.exists() or path.is_symlink():
            path.unlink()
    for site in (root / "_build").glob("site-*"):
        shutil.rmtree(site)
    (root / "_build" / "data-check.key").unlink(missing_ok=True)


def only_one_ran(stdout: str) -> None:
    ran = re.search(r"summary: (\d+) ran", stdout)
    if not ran or int(ran.group(1)) != 1:
        raise SystemExit(f"the one-parameter rebuild ran more than one notebook:\n{stdout}")


def baseline(root: Path) -> float:
    """The naive way: convert and execute every notebook serially, then build everything."""
    work = Path(tempfile.mkdtemp(prefix="aibet-baseline-"))
    started = time.perf_counter()
    for source in notebooks.discover(root):
        notebook = work / f"{source.name}.ipynb"
        jupytext.write(jupytext.read(source.path), notebook)
        subprocess.run(
            [
                str(BIN / "papermill"),
                str(notebook),
                str(notebook),
                "--cwd",
                str(root),
                "-k",
                "python3",
            ],
            check=True,
            capture_output=True,
        )
    out = work / "book"
    subprocess.run(
        [str(BIN / "jupyter-book"), "build", str(root), "--all", "--path-output", str(out), "-q"],
        cwd=root,
        check=True,
        capture_output=True,
    )
    elapsed = time.perf_counter() - started
    shutil.rmtree(work, ignore_errors=True)
    return elapsed


def grid_seconds() -> float:
    sys.path.insert(0, str(Path(__file__).parent))
    import bench_grid

    stock, ai, grid = bench_grid.setup()
    started = time.perf_counter()
    bench_grid.vectorised(stock, ai, grid)
    return time.perf_counter() - started


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    root = project_root()
    build = [str(BIN / "aibet"), "build"]
    samples: dict[str, list[float]] = {
        k: [] for k in ("baseline", "clean", "no-change", "one-param", "scenario", "grid")
    }
    for run in range(args.runs):
        print(f"run {run + 1}/{args.runs}", flush=True)
        samples["baseline"].append(baseline(root))
        remove_outputs(root)
        samples["clean"].append(timed(build, root))
        samples["no-change"].append(timed(build, root))
        shutil.rmtree(root / "_build" / "variants", ignore_errors=True)
        samples["one-param"].append(timed(build + ["-p", ONE_PARAM], root, only_one_ran))
        shutil.rmtree(root / "_build" / "variants", ignore_errors=True)
        samples["scenario"].append(timed(build + ["--scenario", "bear"], root))
        samples["grid"].append(grid_seconds())
    base = statistics.median(samples["baseline"])
    rows = []
    for case, values in samples.items():
        median = statistics.median(values)
        rows.append(
            {
                "case": case,
                "median_s": round(median, 3),
                "runs": len(values),
                "speedup_vs_baseline": round(base / median, 1) if median else None,
            }
        )
    result = {"cpu_count": os.cpu_count(), "runs": args.runs, "rows": rows}
    out = root / "_build" / "bench"
    out.mkdir(parents=True, exist_ok=True)
    (out / "bench.json").write_text(json.dumps(result, indent=2) + "\n")
    lines = [
        f"Medians of {args.runs} runs on {os.cpu_count()} cores; speed-up is the baseline's time over the case's.",
        "",
        "| Case | Median (s) | Speed-up vs baseline |",
        "|---|---|---|",
    ]
    lines += [f"| {r['case']} | {r['median_s']:.3f} | {r['speedup_vs_baseline']}× |" for r in rows]
    table = "\n".join(lines) + "\n"
    (out / "bench.md").write_text(table)
    print(table)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
