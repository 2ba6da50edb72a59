import html
import json
import os
import re
import shutil

import pytest
from tests.conftest import ROOT, ROOT_BUILDS, run_aibet, run_main

from aibet.claims import catalog, notebooks, params
from aibet.present import ledger, pages
from aibet.present.pages import read_ledger

EXECUTED = ROOT / "book" / "_generated" / "notebooks" / "01-investment-scale.ipynb"


def _fingerprint():
    return EXECUTED.read_bytes(), os.readlink(ROOT / "_build" / "html")


def test_bad_parameters_exit_2_and_change_nothing(site):
    before = _fingerprint()
    cases = [
        (["run", "investment-scale", "-p", "tolerance", "5"], "out of range: allowed 0.01..0.5"),
        (["run", "investment-scale", "-p", "tolerence", "0.2"], "did you mean 'tolerance'?"),
        (["run", "investment-scale", "-p", "year_basis", "calender"], "did you mean 'calendar'?"),
        (["run", "investment-scale", "-p", "window_years", "three"], "must be a whole number"),
        (["run", "investment-scal"], "no notebook 'investment-scal'"),
        (["run", "investment-scale", "-p", "tolerance"], "write -p NAME VALUE or -p NAME=VALUE"),
        (["run", "investment-scale", "-p", "ellendale.tolerance=0.2"], "no notebook 'ellendale'"),
        (["run", "investment-scale", "-p", "*.tolerance=5"], "out of range"),
        (["build", "-p", "*.no_such=1"], "no notebook has a parameter 'no_such'"),
        (["build", "-p", "tolerance=0.2"], "write NOTEBOOK.PARAM=VALUE"),
        (["sweep", "investment-scale.window=1..3"], "did you mean 'window_years'?"),
        (["sweep", "investment-scale.window_years=1..9"], "out of range"),
        (["sweep", "tolerance=0.1..0.2"], "write NOTEBOOK.PARAM=LO..HI"),
    ]
    # The first run and the first build through the installed command, as a user types them
    # (a build starts its kernel parent before it reads its options); the rest in this process
    # (the same `main`, without a second of imports each).
    through_the_command = {0, next(i for i, (args, _) in enumerate(cases) if args[0] == "build")}
    for index, (args, message) in enumerate(cases):
        if index in through_the_command:
            result = run_aibet(*args)
            code, stderr = result.returncode, result.stderr
        else:
            code, stderr = run_main(*args)
        assert code == 2, (args, stderr)
        assert message in stderr and "Traceback" not in stderr, (args, stderr)
    assert _fingerprint() == before


def test_params_lists_type_default_range_and_unit():
    result = run_aibet("params", "investment-scale")
    assert result.returncode == 0, result.stderr
    line = next(x for x in result.stdout.splitlines() if x.startswith("window_years"))
    assert "int" in line and "1..6" in line and "years" in line


def test_the_built_ledger_and_timeline_are_the_engines(site):
    built = read_ledger(ROOT)
    computed = json.loads(run_aibet("claims", "--format", "json").stdout)
    assert built == computed
    header = run_aibet("claims", "--format", "csv").stdout.splitlines()[0]
    assert header.split(",") == list(ledger.LEDGER_FIELDS)
    downloads = ROOT / pages.TIMELINE_JSON
    timeline = json.loads(run_aibet("timeline", "--format", "json").stdout)
    assert json.loads(downloads.read_text()) == timeline


@pytest.mark.slow
@ROOT_BUILDS
def test_unchanged_rebuild_executes_no_notebook(site):
    assert run_aibet("build").returncode == 0  # bring everything up to date first
    result = run_aibet("build")
    assert result.returncode == 0, result.stderr
    assert "cached   01-investment-scale" in result.stdout
    assert "0 ran" in result.stdout
    assert "cached   book (no input changed since the last build)" in result.stdout
    verdicts = [line for line in result.stdout.splitlines() if "at publication:" in line]
    assert len(verdicts) == len(read_ledger(ROOT))  # the report of the build that made the book


def test_a_build_with_nothing_to_do_is_answered_from_its_record_and_only_then(tmp_path):
    """What the record of the last build answers (see `aibet.build.unchanged`): the same
    command, every input and every output as they were, no other build holding the book."""
    import fcntl

    from aibet.build import unchanged

    for name in ("notebooks/01-a.md", "data/figures/a.csv", "book/intro.md", "_config.yml"):
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text("as built")
    output = tmp_path / pages.GENERATED / "notebooks" / "01-a.ipynb"
    output.parent.mkdir(parents=True)
    output.write_text("{}")
    opening = ["aibet build", "  a.x = 1 (default 0)"]
    report = {"opening": opening, "notebooks": ["01-a"], "claims": 1, "verdicts": ["  A-1"]}
    key = unchanged.inputs_key(tmp_path, [])
    published = tmp_path / "_build" / "html.key"
    published.parent.mkdir()
    published.write_text("the site")
    unchanged.remember(tmp_path, [], key, [output], [published], report)

    def answered() -> bool:
        return unchanged.look(tmp_path, []).report is not None

    def notebooks_may_run() -> bool:  # then the command starts a kernel parent early
        return unchanged.look(tmp_path, []).notebooks_may_run

    repeated = unchanged.look(tmp_path, []).report
    assert repeated.startswith("\n".join(opening)) and "cached   01-a" in repeated
    assert unchanged.look(tmp_path, ["-p", "a.x=1"]).report is None  # another command
    (tmp_path / pages.GENERATED / "sources.md").write_text("written by the build")
    assert answered()  # what the build writes is not what it reads
    assert not notebooks_may_run()
    for changed, reruns in (
        (tmp_path / "data/figures/a.csv", True),
        (tmp_path / "notebooks/01-a.md", True),
        (output, True),
        (tmp_path / "book/intro.md", False),  # only the pages changed
        (published, False),
    ):
        before = changed.read_text()
        changed.write_text(before + " changed")
        assert not answered(), changed
        assert notebooks_may_run() is reruns, changed
        changed.write_text(before)
        assert answered(), changed
    output.unlink()
    assert not answered()  # an output gone
    output.write_text("{}")
    with (tmp_path / "_build" / ".lock").open("w") as held:
        fcntl.flock(held, fcntl.LOCK_EX | fcntl.LOCK_NB)
        assert not answered()  # the build itself refuses, with its message
        assert unchanged.look(tmp_path, []).busy  # and no kernel parent is started for it
    assert answered() and not unchanged.look(tmp_path, []).busy
    copy = tmp_path.parent / "copy"
    shutil.copytree(tmp_path, copy)
    (copy / output.relative_to(tmp_path)).unlink()
    assert unchanged.look(copy, []).report is None  # a copy checks its own outputs


def test_a_broken_data_row_stops_the_build_and_names_the_place(project_copy):
    path = project_copy / "data" / "figures" / "capex.csv"
    lines = path.read_text().splitlines()
    cells = lines[1].split(",")
    cells[5] = "lots"
    lines[1] = ",".join(cells)
    path.write_text("\n".join(lines) + "\n")
    result = run_aibet("check", cwd=project_copy)
    assert result.returncode == 1
    assert "data/figures/capex.csv, row 2, column 'value'" in result.stderr
    # The rest in this process: each stops at the data check, before any work starts.
    for command in (["build"], ["run", "investment-scale"], ["claims"], ["timeline"]):
        code, stderr = run_main(*command, cwd=project_copy)
        assert code == 1, command
        assert "Traceback" not in stderr, command
        assert "data/figures/capex.csv, row 2, column 'value'" in stderr, command
        assert "stopped: fix the data first" in stderr, command
    assert (project_copy / "_build" / "html" / "index.html").exists()


@pytest.mark.slow
@ROOT_BUILDS
def test_a_variant_run_is_readable_and_stays_out_of_the_book(site):
    """`aibet run` reports both verdicts of every claim of the chapter and what moved against
    the published ledger, and writes a page of the chapter as a reader sees it, with its
    parameters, its chart downloads and no notebook markup; the book is untouched."""
    before = _fingerprint()
    args = ["run", "investment-scale", "-p", "year_basis=calendar", "-p", "*.tolerance=0.3"]
    result = run_aibet(*args, "-p", "companies", "microsoft,alphabet,amazon,meta,oracle")
    assert result.returncode == 0, result.stderr
    assert _fingerprint() == before
    text = result.stdout
    assert "at publication:" in text and "as of " in text and "against the published ledger" in text
    again = run_aibet(
        *args,
        "-p",
        "investment-scale.companies=microsoft,alphabet,amazon,meta,oracle",
        "--format",
        "json",
    )  # the same run, named the other ways: found in the cache
    assert again.returncode == 0, again.stderr
    report = json.loads(again.stdout)
    assert report["changed"] == {
        "companies": ["microsoft", "alphabet", "amazon", "meta", "oracle"],
        "year_basis": "calendar",
        "tolerance": 0.3,
    }
    assert report["page"].startswith("_build/runs/01-investment-scale/companies=microsoft+")
    assert report["page"] in text and "cached" in again.stderr
    published = {row["id"]: row for row in ledger.read_lock(ROOT)}
    for claim in report["claims"]:
        assert claim["id"] in text
        was = published[claim["id"]]
        for field in ("verdict_at_publication", "verdict_latest"):
            moved = f"{claim['id']} {field}: {was[field]} → {claim[field]}"
            assert (moved in report["changes_against_published_ledger"]) == (
                was[field] != claim[field]
            )
    page = (ROOT / report["page"]).read_text()
    assert "{glue:" not in page and "aibet-chart" in page and "tolerance" in page
    for change in report["changes_against_published_ledger"]:
        assert html.escape(change) in page
    links = re.findall(r'href="(downloads/charts/[^"]+)"', page)
    assert links and all((ROOT / report["page"]).parent.joinpath(link).exists() for link in links)
    for asset in re.findall(r'(?:src|href|data-vega)="(assets/[^"]+)"', page):
        assert (ROOT / report["page"]).parent.joinpath(asset).exists(), asset


def test_a_sweep_gives_each_value_the_engines_verdicts():
    result = run_aibet("sweep", "revenue-shortfall.useful_life_years=4,6", "--format", "json")
    assert result.returncode == 0, result.stderr
    rows = json.loads(result.stdout)
    claims = [c.id for c in catalog.claims("revenue-shortfall")]
    assert [(r["value"], r["id"]) for r in rows] == [(v, c) for v in (4.0, 6.0) for c in claims]
    defaults = {s.chapter: params.resolve(s.specs, {}, s.relpath) for s in notebooks.discover(ROOT)}
    for value in (4.0, 6.0):
        chapter = {**defaults["revenue-shortfall"], "useful_life_years": value}
        book = catalog.Book({**defaults, "revenue-shortfall": chapter})
        for row in (r for r in rows if r["value"] == value):
            expected = book.record(row["id"])
            assert {k: v for k, v in row.items() if k in expected} == {
                k: expected[k] for k in row if k in expected
            }


def test_a_kernel_is_shut_down_without_an_interrupt():
    """The interrupt jupyter_client sends before a shutdown made kernels log "KeyboardInterrupt
    caught in kernel." after good runs; while shutting down, no interrupt is sent."""
    import asyncio

    from aibet.build import runner

    manager = runner._kernel_manager_class()(kernel_name="python3")
    with pytest.raises(RuntimeError, match="No kernel is running"):
        asyncio.run(manager._async_interrupt_kernel())  # an interrupt would be sent
    manager.shutting_down = True
    asyncio.run(manager._async_interrupt_kernel())  # none is


def test_parallel_kernels_cannot_share_a_port():
    """Notebooks run side by side; each kernel gets sockets of its own instead of TCP ports that
    two starting kernels can both pick (the loser never answers and the build stops)."""
    from aibet.build import runner

    manager = runner._kernel_manager_class()
    first, second = manager(kernel_name="python3"), manager(kernel_name="python3")
    assert first.transport == second.transport == "ipc"
    assert first.ip != second.ip


def test_a_reader_who_stops_reading_ends_the_listing_quietly():
    """`aibet timeline | head -1`: the closed pipe ends the command, with no traceback."""
    import subprocess

    from tests.conftest import AIBET

    listing = subprocess.Popen(
        [AIBET, "timeline"], cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE
    )
    assert listing.stdout.readline()  # the first line arrives …
    listing.stdout.close()  # … and the reader goes away
    _, errors = listing.communicate(timeout=300)
    assert listing.returncode == 0, errors
    assert b"Traceback" not in errors and b"BrokenPipe" not in errors, errors


def test_the_readmes_python_example_runs():
    """The README's "From Python" block is run as written: the documented API exists."""
    readme = (ROOT / "README.md").read_text()
    block = re.search(r"From Python.*?```python\n(.*?)```", readme, re.S)
    assert block, "no Python example in the README"
    exec(compile(block[1], "README.md", "exec"), {})


def test_ctrl_c_while_the_command_loads_ends_quietly(monkeypatch, capsys):
    """The command's imports take a second or two; Ctrl-C then gives the message, not a
    traceback from deep inside a library."""
    import sys
    import types

    from aibet import __main__ as entry

    class StillLoading(types.ModuleType):
        def __getattr__(self, name):
            raise KeyboardInterrupt

    monkeypatch.setitem(sys.modules, "aibet.cli", StillLoading("aibet.cli"))
    assert entry.run() == 130
    assert capsys.readouterr().err.strip() == entry.INTERRUPTED


def test_the_judged_book_is_kept_for_each_set_of_values(tmp_path, monkeypatch):
    """The default book and a variant built in turn each find their verdicts kept: the engine
    judges each set of values once (it used to keep one set, so each build undid the other).
    A notebook without claims (a draft) changes no verdict, and judges nothing again."""
    from aibet import cli
    from aibet.data.evidence import Store

    (tmp_path / "data").mkdir()
    judged = []

    class Book(catalog.Book):
        def __init__(self, values):
            super().__init__(values, Store(tmp_path))

        def judged_in_parallel(self, workers):
            judged.append(self.values)
            return [self.values], []

    monkeypatch.setattr(catalog, "Book", Book)
    default, variant = {"ellendale": {"tolerance": 0.1}}, {"ellendale": {"tolerance": 0.2}}
    for values in (default, variant, default, variant):
        assert cli.judge_all(values, 1) == ([values], [])
    assert cli.judge_all({**default, "draft": {"x": 1}}, 1) == ([default], [])
    assert judged == [default, variant]
