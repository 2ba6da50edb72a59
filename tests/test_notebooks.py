"""The notebooks tell, the package decides: no `def`, no rule, no data selection in a notebook,
about twenty lines of code per claim, and ruff-clean code."""

import ast
import re
import subprocess
import sys
from pathlib import Path

import jupytext
import pytest
from tests.conftest import ROOT

NOTEBOOKS = sorted((ROOT / "notebooks").glob("[0-9][0-9]-*.md"))
MAX_LINES_PER_CLAIM = 20
SELECTING = {"loc", "iloc", "query", "merge", "groupby", "pivot_table", "drop_duplicates"}
"""DataFrame methods that select or reshape data: the package's work, not a notebook's."""
FORBIDDEN_MODULES = ("aibet.data", "aibet.build", "aibet.cli")
"""A notebook reads the evidence through the engine, and never drives the build."""
CLAIM_LABEL = re.compile(r"^\(([a-z]+-\d+)\)=$", re.M)


def _code(path: Path) -> list[str]:
    notebook = jupytext.read(path, fmt="md:myst")
    return [c.source for c in notebook.cells if c.cell_type == "code"]


def _problems(source: str) -> list[str]:
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
            found.append(f"defines {node.name!r}")
        elif isinstance(node, ast.Lambda):
            found.append("defines a lambda")
        elif isinstance(node, ast.Attribute) and node.attr in SELECTING:
            found.append(f"selects data with .{node.attr}")
        elif isinstance(node, ast.Subscript) and any(
            isinstance(n, ast.Compare | ast.BoolOp) for n in ast.walk(node.slice)
        ):
            found.append("filters rows with a condition")
        elif isinstance(node, ast.ImportFrom) and (node.module or "").startswith(FORBIDDEN_MODULES):
            found.append(f"imports {node.module}")
        elif isinstance(node, ast.ImportFrom) and node.module == "aibet":
            layers = {"data", "build", "cli"} & {alias.name for alias in node.names}
            found += [f"imports aibet.{name}" for name in sorted(layers)]
        elif isinstance(node, ast.If | ast.IfExp):
            found.append("decides with an if")
    return found


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_notebooks_hold_no_rule_def_or_data_selection(path):
    problems = [p for source in _code(path) for p in _problems(source)]
    assert not problems, f"{path.name}: {problems}"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_each_claim_section_holds_about_twenty_lines_of_code(path):
    text = path.read_text()
    sections = CLAIM_LABEL.split(text)[1:]
    assert sections, f"{path.name} labels no claim section"
    for label, body in zip(sections[::2], sections[1::2], strict=True):
        body = body.split("\n## Sources")[0]
        cells = re.findall(r"```\{code-cell\}[^\n]*\n(.*?)```", body, re.S)
        lines = [
            line
            for cell in cells
            for line in cell.splitlines()
            if line.strip() and not line.startswith((":tags:", "#"))
        ]
        assert len(lines) <= MAX_LINES_PER_CLAIM, f"{path.name} {label}: {len(lines)} lines"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_notebook_code_passes_ruff(path):
    code = "\n\n".join(_code(path)) + "\n"
    ruff = Path(sys.executable).parent / "ruff"
    result = subprocess.run(
        [str(ruff), "check", "--stdin-filename", f"notebooks/{path.stem}.py", "-"],
        input=code,
        capture_output=True,
        text=True,
        cwd=ROOT,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_the_checks_can_fail():
    bad = "def f(x):\n    return x\nrows = frame[frame['a'] > 1]\ny = frame.loc[0]\n"
    assert set(_problems(bad)) == {
        "defines 'f'",
        "filters rows with a condition",
        "selects data with .loc",
    }


def test_plain_papermill_with_a_bad_value_stops_with_the_message(tmp_path):
    """The notebook's error output is the message alone, not a traceback of the package."""
    import json
    import subprocess
    import sys

    bin_dir = Path(sys.executable).parent
    converted, executed = tmp_path / "inv.ipynb", tmp_path / "out.ipynb"
    subprocess.run(
        [
            bin_dir / "jupytext",
            "--to",
            "ipynb",
            "-o",
            converted,
            "notebooks/01-investment-scale.md",
        ],
        cwd=ROOT,
        check=True,
        capture_output=True,
    )
    result = subprocess.run(
        [bin_dir / "papermill", converted, executed, "-p", "tolerance", "5", "--cwd", ROOT],
        capture_output=True,
        text=True,
    )
    assert result.returncode != 0
    message = "ParamError: notebooks/01-investment-scale.md: tolerance=5.0 is out of range"
    assert message in result.stderr
    errors = [
        output
        for cell in json.loads(executed.read_text())["cells"]
        for output in cell.get("outputs", [])
        if output["output_type"] == "error"
    ]
    assert len(errors) == 1
    assert len(errors[0]["traceback"]) == 1 and errors[0]["traceback"][0].startswith(message)
