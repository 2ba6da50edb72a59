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


def run_main(*args) -> tuple[int, str]:
    """The CLI's `main` in this process (for commands refused before they start: no two
    seconds of imports per case); returns the exit code and what it printed on stderr."""
    import contextlib
    import io

    from aibet import cli

    err = io.StringIO()
    with contextlib.redirect_stderr(err), contextlib.redirect_stdout(io.StringIO()):
        code = cli.main(list(args))
    return code, err.getvalue()


@pytest.fixture(scope="session")
def site():
    """The built book; built here if the README's build command has not run yet."""
    html = ROOT / "_build" / "html"
    if not (html / "index.html").exists():
        result = run_aibet("build")
        assert result.returncode == 0, result.stderr
    return html


@pytest.fixture
def project_copy(tmp_path):
    """A throwaway copy of the project (sources, data and the last build) to break on purpose."""
    target = tmp_path / "project"
    ignore = shutil.ignore_patterns(".venv", ".git", "__pycache__", "scratch", "staging")
    shutil.copytree(ROOT, target, symlinks=True, ignore=ignore)
    return target


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
