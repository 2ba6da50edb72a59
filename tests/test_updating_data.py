"""The worked example of book/updating-data.md, replayed on a copy of the project without
building the book: the page's row is a real row of data/figures/capex.csv, the page's own command
adds it, and `aibet check`, `diff` and `lock` answer as the page shows."""

import csv
import io
import re
import shutil
import subprocess

import pytest
from tests.conftest import ROOT, run_aibet

PAGE = ROOT / "book" / "updating-data.md"
CAPEX = ROOT / "data" / "figures" / "capex.csv"
NEEDED = ("_config.yml", "data", "notebooks", "scenarios", "ledger.lock.json")
"""What `aibet check`, `diff` and `lock` read: `project_root()` looks for `_config.yml` beside
`data/datapackage.yaml`, and each chapter's default parameters come from its notebook."""
APPEND = "cat >> data/figures/capex.csv <<'EOF'\n"


def blocks(kind: str) -> list[str]:
    """The page's fenced code blocks of one kind (bash, text), in order."""
    return re.findall(rf"^```{kind}\n(.*?)^```$", PAGE.read_text(), flags=re.M | re.S)


def block(kind: str, containing: str) -> str:
    [found] = [b for b in blocks(kind) if containing in b]
    return found


def as_shown(text: str) -> re.Pattern:
    """Output as the page shows it: '…' stands for a figure the page leaves out, and a row
    number for whichever line the row is on."""
    parts = re.split(r"(…|row \d+)", text.strip())
    return re.compile(
        "".join(
            ".+?" if p == "…" else r"row \d+" if p.startswith("row ") else re.escape(p)
            for p in parts
        )
    )


def example_row() -> str:
    """The line the page's command appends, which must be a line of the real capex.csv."""
    command = block("bash", APPEND)
    assert command.startswith(APPEND) and command.endswith("\nEOF\n"), command
    [row] = command[len(APPEND) : -len("EOF\n")].splitlines()
    assert row in CAPEX.read_text().splitlines(), "the page's row is not in data/figures/capex.csv"
    return row


def before_the_row(tmp_path, row: str):
    """A copy of the project as it was before the row was added."""
    project = tmp_path / "project"
    project.mkdir()
    for name in NEEDED:
        (shutil.copytree if (ROOT / name).is_dir() else shutil.copy2)(ROOT / name, project / name)
    path = project / "data" / "figures" / "capex.csv"
    lines = path.read_text().splitlines(keepends=True)
    lines.remove(row + "\n")
    path.write_text("".join(lines))
    return project


@pytest.mark.slow
def test_the_pages_row_goes_in_and_the_ledger_moves_as_the_page_shows(tmp_path):
    row = example_row()
    project = before_the_row(tmp_path, row)
    assert run_aibet("lock", cwd=project).returncode == 0  # the ledger before the row

    added = subprocess.run(["bash", "-c", block("bash", APPEND)], cwd=project, check=False)
    assert added.returncode == 0
    path = project / "data" / "figures" / "capex.csv"
    assert sorted(path.read_text().splitlines()) == sorted(CAPEX.read_text().splitlines())

    check = run_aibet("check", cwd=project)
    assert check.returncode == 0, check.stderr
    assert as_shown(block("text", "data OK")).fullmatch(check.stdout.strip()), check.stdout

    diff = run_aibet("diff", cwd=project)
    assert diff.returncode == 1, diff.stderr
    assert re.search(r"^[A-Z]+-\d+ \w+: .+ → .+$", diff.stdout, flags=re.M), diff.stdout
    shown = as_shown(block("text", "change(s) between"))
    assert shown.fullmatch((diff.stdout + diff.stderr).strip()), diff.stdout + diff.stderr

    lock = run_aibet("lock", cwd=project)
    assert lock.returncode == 0, lock.stderr
    assert lock.stdout.startswith(diff.stdout)
    assert as_shown("wrote ledger.lock.json (… claims)").fullmatch(lock.stdout.splitlines()[-1])

    again = run_aibet("diff", cwd=project)
    assert again.returncode == 0, again.stdout
    assert "0 change(s) between ledger.lock.json and the ledger" in again.stderr


def test_a_broken_row_is_refused_naming_file_row_and_column(tmp_path):
    row = example_row()
    project = before_the_row(tmp_path, row)
    cells = next(csv.reader(io.StringIO(row)))
    cells[5], cells[6] = f"-{cells[5]}", "USD b"  # the minus sign and the unit of the page
    broken = io.StringIO()
    csv.writer(broken, lineterminator="\n").writerow(cells)
    path = project / "data" / "figures" / "capex.csv"
    path.write_text(path.read_text() + broken.getvalue())
    line = len(path.read_text().splitlines())

    check = run_aibet("check", cwd=project)
    assert check.returncode == 1
    assert f"data/figures/capex.csv, row {line}, column 'value': " in check.stderr
    assert f"data/figures/capex.csv, row {line}, column 'unit': " in check.stderr
    assert as_shown(block("text", "data problem(s) found")).fullmatch(check.stderr.strip())
