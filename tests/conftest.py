import os
import shutil
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

ROOT = Path(__file__).resolve().parents[1]
AIBET = str(Path(sys.executable).parent / "aibet")


def run_aibet(*args, cwd=ROOT):
    """Run the CLI as a user would; returns the completed process (never raises)."""
    env = {**os.environ, "PYTHONWARNINGS": "ignore"}
    return subprocess.run([AIBET, *args], cwd=cwd, capture_output=True, text=True, env=env)


def run_main(*args, cwd=None) -> tuple[int, str]:
    """The CLI's `main` in this process (for commands refused before they start: no two
    seconds of imports per case); returns the exit code and what it printed on stderr."""
    import contextlib
    import io

    from aibet import cli

    err = io.StringIO()
    with (
        contextlib.chdir(cwd or Path.cwd()),
        contextlib.redirect_stderr(err),
        contextlib.redirect_stdout(io.StringIO()),
    ):
        try:
            code = cli.main(list(args))
        except SystemExit as stop:  # as the interpreter ends on it: a message means exit code 1
            if isinstance(stop.code, str):
                print(stop.code, file=sys.stderr)
            code = 1 if isinstance(stop.code, str) else (stop.code or 0)
    return code, err.getvalue()


ROOT_BUILDS = pytest.mark.xdist_group("builds-in-the-project")
"""For tests that build, run or print in the project itself: they take its build lock, so they
run one after another on one worker (`make test` runs the suite on every core, see pytest-xdist)."""


def pytest_collection_modifyitems(config, items):
    """The slow tests first, so that the workers finish together rather than one waiting on
    the last long test. A stable sort: the order within each kind stays as written."""
    items.sort(
        key=lambda item: not (item.get_closest_marker("slow") or item.get_closest_marker("browser"))
    )


@pytest.fixture(scope="session")
def site():
    """The built book; built here if the README's build command has not run yet."""
    html = ROOT / "_build" / "html"
    if not (html / "index.html").exists():
        result = run_aibet("build")
        assert result.returncode == 0, result.stderr
    return html


def _copy_project(target: Path, *left_behind: str) -> Path:
    ignore = shutil.ignore_patterns(
        *(".venv", ".git", "__pycache__", ".*_cache", "node_modules"),  # tools, not the project
        *("scratch", "staging", "variants", "runs", "print", "*.pdf"),
        *left_behind,
    )
    shutil.copytree(ROOT, target, symlinks=True, ignore=ignore)
    return target


@pytest.fixture
def project_copy(tmp_path):
    """A throwaway copy of the project (sources, data and the last build) to break on purpose.
    What other tests may be writing in the project meanwhile (variants, runs, the printout)
    stays behind."""
    return _copy_project(tmp_path / "project")


@pytest.fixture
def sources_copy(tmp_path):
    """A throwaway copy of the project as a fresh clone has it: no build (a tenth of the bytes),
    for a command that must stop before it builds anything."""
    return _copy_project(tmp_path / "project", "_build")


@pytest.fixture
def data_copy(tmp_path):
    """A throwaway project holding only a copy of its data: all that the data check and
    `data.load` read. The whole project's copy is 50 MB, a few tenths of a second per case."""
    target = tmp_path / "project"
    shutil.copytree(ROOT / "data", target / "data")
    return target


def edit_csv(root: Path, relpath: str, change) -> None:
    """Rewrite `data/relpath` after `change(rows)` has changed its rows in place (lists of
    cells, the header first), as a spreadsheet would save it."""
    import csv

    path = root / "data" / relpath
    with path.open(newline="") as handle:
        rows = list(csv.reader(handle))
    change(rows)
    with path.open("w", newline="") as handle:
        csv.writer(handle, lineterminator="\n").writerows(rows)


def processes_left_in(root: Path) -> list[str]:
    """The command lines of processes still working in `root` (a build's kernels, its kernel
    parent, its Sphinx pass and what that starts): none once the build has returned."""
    import psutil

    left = []
    for process in psutil.process_iter(["pid", "cmdline"]):
        try:
            where = Path(process.cwd())
        except psutil.Error:
            continue
        if process.info["pid"] != os.getpid() and where.is_relative_to(root):
            left.append(" ".join(process.info["cmdline"] or []))
    return left


FIGURE_COLUMNS = [
    "entity",
    "metric",
    "period",
    "period_end",
    "period_months",
    "value",
    "source_id",
    "published",
]


def figure_rows(*items):
    """A small figures table (the columns the code reads) for hand-checked cases."""
    return pd.DataFrame([dict(zip(FIGURE_COLUMNS, item, strict=True)) for item in items])


def assert_reported(root, *expected: tuple[str, str]) -> None:
    """`data.check` on `root` reports, for each (where, words), a problem starting with `where`
    that says `words`."""
    from aibet import data

    messages = [str(issue) for issue in data.check(root)]
    for where, words in expected:
        assert any(m.startswith(where) and words in m for m in messages), (where, words, messages)
