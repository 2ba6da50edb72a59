"""Benchmark the build against two peers, in one invocation (not part of the tests).

Cases, each timed `--runs` times (median reported):
  baseline    the naive way: every notebook executed serially with plain Papermill, then
              `jupyter-book build --all`
  jb-cache    what a Jupyter Book user would do instead: the notebooks executed by Jupyter Book's
              own cache (`execute_notebooks: cache`) in a copy of the book, from no cache
  jb-cache no-change   the same copy built again with nothing changed
  clean       `aibet build` from nothing: executed notebooks, site, engine memo, chart images,
              saved Sphinx environment, data-check stamp removed (what depends only on the
              installed packages, the vendored Vega bundle, is removed too)
  no-change   `aibet build` again with nothing changed
  one-param   `aibet build -p NOTEBOOK.PARAM=VALUE`: a variant book; only that notebook may run
  scenario    `aibet build --scenario bear` (its variant folder removed first)
  timeline    the engine's whole verdict timeline (22 claims at every date) and the ledger,
              from scratch, one process a core (as `aibet build` judges them)
  grid        the 10,000-point robustness grid (scripts/bench_grid.py's vectorised model)

Every peer starts without the engine's memo, as a fresh checkout does. Also measured: the peak
memory of a clean build (all its processes together, sampled in one more clean build, untimed),
and where a clean build's time goes (its profile). Prints the table, the targets and the profile, and writes them
to _build/bench/bench.json and _build/bench/bench.md, which the reproducibility page shows.

    .venv/bin/python scripts/bench.py [--runs 3]
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
import threading
import time
from pathlib import Path

import jupytext
import psutil
import yaml

from aibet import project_root
from aibet.build import DEFAULT_TIMEOUT, profile, runner, site, unchanged
from aibet.claims import notebooks
from aibet.data.evidence import MEMO_DIR, Store
from aibet.present.layout import BENCH_REPORT

BIN = Path(sys.executable).parent
ONE_PARAM = "debt-and-financing.debt_lines=plus_all_leases"
TARGETS = {  # case: (how many times faster than the baseline, at least) — issue 17
    "clean": 2.0,
    "no-change": 20.0,
    "one-param": 4.0,
}
SECONDS = {"timeline": 2.0, "grid": 2.0}
PEAK_MEMORY_GB = 1.5


class PeakMemory:
    """The peak memory of a process and all its children, sampled: the sum of their proportional
    set sizes (a page that forked processes share counted once, split among them), which is what
    the build occupies; and, for comparison, the sum of their resident sizes, which counts a
    shared page once in every process that maps it."""

    def __init__(self, pid: int, every: float = 0.05):
        self.root, self.every = psutil.Process(pid), every
        self.peak = self.peak_rss = 0
        self._done = threading.Event()
        self._thread = threading.Thread(target=self._sample, daemon=True)
        self._thread.start()

    def _sample(self):
        while not self._done.is_set():
            pss = rss = 0
            try:
                for proc in [self.root, *self.root.children(recursive=True)]:
                    try:
                        used = proc.memory_full_info()
                    except psutil.Error:
                        continue
                    pss, rss = pss + used.pss, rss + used.rss
            except psutil.Error:
                pass
            self.peak, self.peak_rss = max(self.peak, pss), max(self.peak_rss, rss)
            time.sleep(self.every)

    def stop(self) -> tuple[int, int]:
        self._done.set()
        self._thread.join()
        return self.peak, self.peak_rss


def timed(command: list[str], root: Path, check_output=None, memory: list | None = None) -> float:
    started = time.perf_counter()
    process = subprocess.Popen(
        command, cwd=root, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )
    sampler = PeakMemory(process.pid) if memory is not None else None
    stdout, stderr = process.communicate()
    elapsed = time.perf_counter() - started
    if sampler:
        memory.append(sampler.stop())
    if process.returncode != 0:
        raise SystemExit(f"{' '.join(command)} failed:\n{stdout[-1500:]}{stderr[-1500:]}")
    if check_output:
        check_output(stdout)
    return elapsed


def forget_memo(root: Path) -> None:
    shutil.rmtree(root / MEMO_DIR, ignore_errors=True)


def remove_outputs(root: Path) -> None:
    """Everything a build writes and keeps, as on a fresh checkout."""
    for path in (
        root / "book" / "_generated",
        root / "_build" / "html",
        root / "_build" / "html.key",
        root / runner.CHART_IMAGES,
        root / "_build" / "data-check.key",
        root / "_build" / site.SPHINX_ENV,  # the saved Sphinx environment
        root / site.SPHINX_SOURCE,
        root / unchanged.RECORDS,  # what the last build read and published
    ):
        if path.is_dir() and not path.is_symlink():
            shutil.rmtree(path)
        elif path.exists() or path.is_symlink():
            path.unlink()
    for version in (root / "_build").glob("site-*"):
        shutil.rmtree(version)
    forget_memo(root)


def only_one_ran(stdout: str) -> None:
    ran = re.search(r"summary: (\d+) ran", stdout)
    if not ran or int(ran.group(1)) != 1:
        raise SystemExit(f"the one-parameter rebuild ran more than one notebook:\n{stdout}")


def baseline(root: Path) -> float:
    """The naive way: convert and execute every notebook serially, then build everything."""
    forget_memo(root)
    work = Path(tempfile.mkdtemp(prefix="aibet-baseline-"))
    started = time.perf_counter()
    for source in notebooks.discover(root):
        notebook = work / f"{source.name}.ipynb"
        jupytext.write(jupytext.read(source.path), notebook)
        subprocess.run(
            [str(BIN / "papermill"), str(notebook), str(notebook), "--cwd", str(root)]
            + ["-k", "python3"],
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


def jupyter_book_copy(root: Path) -> Path:
    """A copy of the book whose chapters are the notebooks' sources, executed by Jupyter Book's
    own cache (the other pages as the last build wrote them)."""
    work = Path(tempfile.mkdtemp(prefix="aibet-jbcache-"))
    for name in site.BOOK_FILES:  # the config is rewritten below
        if (root / name).is_dir():
            shutil.copytree(root / name, work / name, ignore=shutil.ignore_patterns("*.ipynb"))
        else:
            shutil.copy2(root / name, work / name)
    config = yaml.safe_load((root / "_config.yml").read_text())
    config["execute"] = {"execute_notebooks": "cache", "timeout": DEFAULT_TIMEOUT}
    config["sphinx"]["config"]["nb_execution_raise_on_error"] = True
    (work / "_config.yml").write_text(yaml.safe_dump(config, sort_keys=False))
    for source in notebooks.discover(root):  # the chapter's page name, its MyST source
        shutil.copy2(source.path, work / runner.EXECUTED / source.path.name)
    return work


def jupyter_book_build(work: Path, root: Path) -> float:
    command = [str(BIN / "jupyter-book"), "build", str(work), "--path-output", str(work / "out")]
    return timed(command + ["-q"], root)


def timeline_seconds() -> float:
    """The engine's whole timeline from scratch, as `make bench-engine` times it."""
    sys.path.insert(0, str(Path(__file__).parent))
    import bench_engine

    bench_engine.values()
    started = time.perf_counter()
    bench_engine.timeline(Store(None))
    return time.perf_counter() - started


def grid_seconds() -> float:
    sys.path.insert(0, str(Path(__file__).parent))
    import bench_grid

    stock, ai, grid = bench_grid.setup()
    started = time.perf_counter()
    bench_grid.vectorised(stock, ai, grid)
    return time.perf_counter() - started


def profile_lines(data: dict) -> list[str]:
    lines = [
        "Where a clean build's time goes (its last run; phases in order, wall-clock seconds):",
        "",
        "| Phase | Seconds |",
        "|---|---:|",
    ]
    lines += [f"| {p['phase']} | {p['seconds']:.2f} |" for p in data["phases"]]
    lines += [f"| **total** | **{data['total_seconds']:.2f}** |", ""]
    lines += [
        "Each notebook (run side by side in the workers):",
        "",
        "| Notebook | Kernel start | Cells | Slowest cell | Total |",
        "|---|---:|---:|---|---:|",
    ]
    for name, nb in data["notebooks"].items():
        slowest = max(nb["cells"], key=lambda c: c["seconds"], default=None)
        said = f"`{slowest['code']}` {slowest['seconds']:.2f}" if slowest else ""
        start = nb["kernel_start_seconds"]
        lines.append(
            f"| {name} | {start:.2f} | {nb['cells_seconds']:.2f} | {said} | {nb['total_seconds']:.2f} |"
            if start is not None
            else f"| {name} | | {nb['cells_seconds']:.2f} | {said} | {nb['total_seconds']:.2f} |"
        )
    if data.get("beside_the_notebooks"):
        lines += ["", "Beside the notebooks, in the drawing workers (seconds each kind took):", ""]
        lines += [
            f"- {what}: {w['count']} in {w['seconds']:.2f} s"
            for what, w in data["beside_the_notebooks"].items()
        ]
    return lines


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    root = project_root()
    build = [str(BIN / "aibet"), "build"]
    cases = ("baseline", "jb-cache", "jb-cache no-change", "clean", "no-change", "one-param")
    samples: dict[str, list[float]] = {k: [] for k in (*cases, "scenario", "timeline", "grid")}
    memory: list[tuple[int, int]] = []
    if not (root / runner.EXECUTED).is_dir():  # the Jupyter Book peer copies the other pages
        timed(build, root)
    for run in range(args.runs):
        print(f"run {run + 1}/{args.runs}", flush=True)
        samples["baseline"].append(baseline(root))
        work = jupyter_book_copy(root)
        forget_memo(root)
        samples["jb-cache"].append(jupyter_book_build(work, root))
        samples["jb-cache no-change"].append(jupyter_book_build(work, root))
        shutil.rmtree(work, ignore_errors=True)
        remove_outputs(root)
        samples["clean"].append(timed(build, root))
        clean_profile = json.loads((root / "_build" / profile.PROFILE).read_text())
        samples["no-change"].append(timed(build, root))
        shutil.rmtree(root / "_build" / "variants", ignore_errors=True)
        samples["one-param"].append(timed(build + ["-p", ONE_PARAM], root, only_one_ran))
        shutil.rmtree(root / "_build" / "variants", ignore_errors=True)
        samples["scenario"].append(timed(build + ["--scenario", "bear"], root))
        samples["timeline"].append(timeline_seconds())
        samples["grid"].append(grid_seconds())
    # Memory is sampled in a clean build of its own: reading every process's memory twenty
    # times a second takes CPU time the timed builds would lose.
    remove_outputs(root)
    timed(build, root, memory=memory)
    base = statistics.median(samples["baseline"])
    rows = []
    for case, values in samples.items():
        median = statistics.median(values)
        compared = case not in SECONDS
        rows.append(
            {
                "case": case,
                "median_s": round(median, 3),
                "runs": len(values),
                "samples_s": [round(v, 3) for v in values],
                "speedup_vs_baseline": round(base / median, 1) if compared and median else None,
            }
        )
    by_case = {r["case"]: r for r in rows}
    peak, peak_rss = (max(m[i] for m in memory) for i in (0, 1))
    peak_gb, peak_rss_gb = peak / 1e9, peak_rss / 1e9
    checks = [
        (
            f"{case} at least {times:g}× faster than the baseline",
            by_case[case]["speedup_vs_baseline"] >= times,
        )
        for case, times in TARGETS.items()
    ]
    checks.append(
        (
            "clean faster than Jupyter Book's cache",
            by_case["clean"]["median_s"] < by_case["jb-cache"]["median_s"],
        )
    )
    checks += [
        (f"{case} under {limit:g} s", by_case[case]["median_s"] < limit)
        for case, limit in SECONDS.items()
    ]
    checks.append(
        (f"clean build's peak memory at most {PEAK_MEMORY_GB:g} GB", peak_gb <= PEAK_MEMORY_GB)
    )
    result = {
        "cpu_count": os.cpu_count(),
        "runs": args.runs,
        "rows": rows,
        "clean_peak_memory_bytes": peak,
        "clean_peak_resident_sum_bytes": peak_rss,
        "targets": [{"target": t, "met": ok} for t, ok in checks],
        "clean_profile": clean_profile,
    }
    out = (root / BENCH_REPORT).parent
    out.mkdir(parents=True, exist_ok=True)
    (out / "bench.json").write_text(json.dumps(result, indent=2) + "\n")
    lines = [
        f"Medians of {args.runs} runs on {os.cpu_count()} cores; speed-up is the baseline's time"
        " over the case's. Every case starts without the engine's memo.",
        "",
        "| Case | Median (s) | Speed-up vs baseline | Runs (s) |",
        "|---|---:|---:|---|",
    ]
    lines += [
        f"| {r['case']} | {r['median_s']:.3f} | "
        + (f"{r['speedup_vs_baseline']}× | " if r["speedup_vs_baseline"] is not None else "— | ")
        + ", ".join(f"{v:.2f}" for v in r["samples_s"])
        + " |"
        for r in rows
    ]
    lines += [
        "",
        f"Peak memory of a clean build, all its processes: {peak_gb:.2f} GB (the sum of their"
        " proportional set sizes, each page forked processes share counted once; the sum of"
        f" their resident sizes, which counts a shared page in each of them, {peak_rss_gb:.2f} GB).",
        "",
    ]
    lines += ["| Target | Met |", "|---|---|"]
    lines += [f"| {t} | {'yes' if ok else '**no**'} |" for t, ok in checks]
    lines += ["", *profile_lines(clean_profile)]
    table = "\n".join(lines) + "\n"
    (root / BENCH_REPORT).write_text(table)
    print(table)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
