"""Hard to break: killed builds, Ctrl-C, two builds at once, a corrupted cache entry, a hanging
notebook, a clean build that must agree with the published one, and hostile text in names,
parameters and data."""

import fcntl
import json
import os
import signal
import subprocess
import sys
import time

import pytest
from tests.conftest import AIBET, ROOT, edit_csv, processes_left_in, run_aibet, run_main

from aibet.build import pdf, runner

CHAPTER = "05-ellendale"
UNTOUCHED = "04-historical-bubbles"
"""A chapter whose cached output a test damages: the build must run it again."""


SLOW_CELL = """```{code-cell} ipython3
:tags: [remove-cell]

import pathlib, time
pathlib.Path(r"MARKER").touch()
time.sleep(60)
```

"""


def sleeping_marker(root):
    """The file the touched chapter's kernel writes as it starts to sleep (beside the project)."""
    return root.parent / "sleeping"


def touch_notebook(root):
    """Change a chapter so that the next build must run it, and make the run last a while: the
    slow cell goes first after the parameters, so that it starts at once."""
    path = root / "notebooks" / f"{CHAPTER}.md"
    head, parameters, rest = path.read_text().partition(":tags: [parameters")
    own_cells = rest.index("```{code-cell}")
    slow = SLOW_CELL.replace("MARKER", str(sleeping_marker(root)))
    path.write_text(head + parameters + rest[:own_cells] + slow + rest[own_cells:])


def hurry_notebook(root):
    """The touched chapter, changed again so that it runs at once (and still must run)."""
    path = root / "notebooks" / f"{CHAPTER}.md"
    path.write_text(path.read_text().replace("time.sleep(60)", "time.sleep(0)"))


def build_while_a_notebook_runs(root):
    """`aibet build` started in its own process group, returned once the touched chapter's
    notebook is running in its worker and kernel (sleeping in `SLOW_CELL`)."""
    build = subprocess.Popen(
        [AIBET, "build"],
        cwd=root,
        start_new_session=True,
        # Ctrl-C as a terminal delivers it: the test process may ignore SIGINT (a library in
        # it can), and an ignored SIGINT is inherited, so the build would never see it.
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
    )
    marker = sleeping_marker(root)
    while not marker.exists():  # until the kernel has started and the notebook sleeps
        assert build.poll() is None, build.communicate()
        time.sleep(0.05)
    marker.unlink()
    return build


def left_behind(root, within_s: float = 30) -> list[str]:
    """The processes a stopped build leaves working in `root` once they have had `within_s`
    seconds to notice (each checks its parent every second or less)."""
    deadline = time.monotonic() + within_s
    while (left := processes_left_in(root)) and time.monotonic() < deadline:
        time.sleep(0.2)
    return left


def site_target(root):
    return os.path.realpath(root / "_build" / "html")


@pytest.mark.slow
@pytest.mark.browser
def test_a_build_stopped_any_way_leaves_the_last_good_book_and_the_next_build_recovers(
    project_copy,
):
    """A build stopped while its notebook runs: by Ctrl-C, then (the next build) by SIGTERM,
    then by SIGKILL. None of them moves the published book. Ctrl-C reaches every process of the
    terminal's group (the CLI, its workers, their kernels): one message, exit code 130, no
    traceback from any of them. SIGTERM goes to the group too, as `kill -- -PGID` sends it;
    SIGKILL to the command alone, as an out-of-memory killer sends it, and everything it started
    goes with it. The build after all three recovers and publishes, and the hostile words its
    data now carry show on the chapter's page as text. One copy of the project serves every
    step."""
    before = site_target(project_copy)
    touch_notebook(project_copy)
    build = build_while_a_notebook_runs(project_copy)
    os.killpg(build.pid, signal.SIGINT)
    _, stderr = build.communicate(timeout=60)
    assert build.returncode == 130, stderr
    assert "interrupted; the last good book is unchanged" in stderr
    assert "Traceback" not in stderr and "KeyboardInterrupt" not in stderr, stderr
    assert site_target(project_copy) == before
    for stop in (lambda pid: os.killpg(pid, signal.SIGTERM), lambda pid: os.kill(pid, 9)):
        build = build_while_a_notebook_runs(project_copy)
        stop(build.pid)
        build.wait(timeout=60)
        assert not left_behind(project_copy)  # workers, kernels, their parent, the Sphinx pass
        assert site_target(project_copy) == before  # the published site never moved
        assert (project_copy / "_build" / "html" / "index.html").is_file()

    hurry_notebook(project_copy)
    write_hostile_note(project_copy)
    result = run_aibet("build", cwd=project_copy)
    assert result.returncode == 0, result.stderr
    assert f"ran      {CHAPTER}" in result.stdout
    assert site_target(project_copy) != before  # the next build published the new book
    ran = json.loads((project_copy / "_build" / "profile.json").read_text())["notebooks"]
    assert ran[CHAPTER]["kernel"] == "forked"  # from the new build's kernel parent
    assert_shown_as_text(
        project_copy / "_build" / "html", f"book/_generated/notebooks/{CHAPTER}.html"
    )


JUDGING_FOR_A_MINUTE = """
import time
from aibet.claims import catalog


def judging(claim_id):
    time.sleep(60)


catalog._judged_part = judging  # the pool's workers are forked with it
catalog.Book({}).judged_in_parallel(2)
"""


def test_the_judging_workers_end_with_a_command_killed_outright():
    """`aibet claims`, `timeline` and `build` judge the claims in a pool of their own; SIGKILL to
    the command (which it cannot pass on) must not leave that pool's workers waiting for ever."""
    import psutil

    command = subprocess.Popen([sys.executable, "-c", JUDGING_FOR_A_MINUTE], cwd=ROOT)
    deadline = time.monotonic() + 60
    while len(workers := psutil.Process(command.pid).children()) < 2:
        assert command.poll() is None and time.monotonic() < deadline
        time.sleep(0.05)
    command.kill()
    command.wait()
    gone, alive = psutil.wait_procs(workers, timeout=30)
    assert not alive, alive


def test_two_builds_at_once_the_second_is_refused(project_copy):
    """A build, a run or a PDF while another holds the book: refused, with a message."""
    lock = project_copy / "_build" / ".lock"
    with lock.open("w") as held:
        fcntl.flock(held, fcntl.LOCK_EX | fcntl.LOCK_NB)
        result = run_aibet("build", cwd=project_copy)  # the command itself, record and all
        assert result.returncode != 0
        assert "another aibet build is running" in result.stderr
        for command in (["run", CHAPTER], ["pdf"]):  # in this process: a lock is per open file
            code, stderr = run_main(*command, cwd=project_copy)
            assert code != 0, command
            assert "another aibet build is running" in stderr, command


def test_a_truncated_javascript_bundle_is_written_again(tmp_path):
    """The vendored Vega bundle carries its own hash: a cut file does not pass for a whole one."""
    from aibet.build import site

    good = site.vendor_javascript(ROOT)
    target = tmp_path / site.EXTRA / site.VEGA_BUNDLE
    target.parent.mkdir(parents=True)
    target.write_text(good.read_text()[: len(good.read_text()) // 2])
    site.vendor_javascript(tmp_path)
    assert target.read_text() == good.read_text()
    assert not list(target.parent.glob("*.partial"))


def test_the_packaged_bundle_is_what_the_pinned_vl_convert_makes():
    """The copy of the Vega bundle kept with the package (builds copy it) is, byte for byte, the
    bundle the installed vl-convert makes."""
    from aibet.build import site

    assert site.PACKAGED_BUNDLE.read_text() == site.bundle_text(), (
        "write it again: python -c 'from aibet.build import site;"
        " site.write_bundle(site.PACKAGED_BUNDLE)'"
    )


def test_the_ledger_read_is_the_published_books(tmp_path):
    """The generated copy is written before the site is built, and that build can fail; what
    `read_ledger` (and the tests) read is the copy inside the published site."""
    from aibet.present import pages

    published = tmp_path / pages.SITE / pages.LEDGER_JSON.relative_to(pages.EXTRA)
    published.parent.mkdir(parents=True)
    published.write_text(json.dumps([{"id": "INV-1", "verdict_latest": "accurate"}]))
    staged = tmp_path / pages.LEDGER_JSON
    staged.parent.mkdir(parents=True)
    staged.write_text(json.dumps([{"id": "INV-1", "verdict_latest": "false"}]))
    assert pages.read_ledger(tmp_path) == [{"id": "INV-1", "verdict_latest": "accurate"}]


@pytest.mark.slow
def test_a_failing_and_a_hanging_notebook_are_named_and_the_last_good_book_kept(project_copy):
    """Two chapters gone wrong in one build: one raises, the other would sleep two minutes and
    is stopped by the timeout. Each is named with what went wrong; the published book stays."""
    before = site_target(project_copy)
    folder = project_copy / "notebooks"
    header = (folder / "01-investment-scale.md").read_text().split("```{code-cell}")[0]
    header += "```{code-cell} ipython3\n:tags: [parameters]\n\nx: int = 1  # - | 0..9 | x\n```\n\n"
    (folder / "06-broken.md").write_text(
        header + "```{code-cell} ipython3\nraise ValueError('bad row in the data')\n```\n"
    )
    (folder / "07-hang.md").write_text(
        header + "```{code-cell} ipython3\nimport time\ntime.sleep(120)\n```\n"
    )
    result = run_aibet("build", "--timeout", "2", cwd=project_copy)
    assert result.returncode == 1
    assert "notebooks/06-broken.md: code cell 2" in result.stderr
    assert "ValueError: bad row in the data" in result.stderr
    assert "notebooks/07-hang.md" in result.stderr and "longer than 2 s" in result.stderr
    assert site_target(project_copy) == before
    assert (project_copy / "_build" / "html" / "index.html").exists()


HOSTILE = '<script>window.pwned = 1</script><img src=x onerror="window.pwned = 2">'


@pytest.mark.parametrize(
    "option",
    [
        ["--scenario", HOSTILE],
        ["--scenario", "../../outside"],
        ["-p", f"ellendale.capacity_basis={HOSTILE}"],
        ["-p", f"{HOSTILE}.x=1"],
    ],
)
def test_hostile_names_and_parameters_are_refused_and_write_nothing(sources_copy, option):
    """Refused as the command starts: asked in this process (test_cli runs refusals through
    the command's own process)."""
    root = sources_copy
    before = sorted(p.relative_to(root.parent) for p in root.parent.rglob("*"))
    code, stderr = run_main("build", *option, cwd=root)
    assert code == 2, stderr
    assert "Traceback" not in stderr
    assert sorted(p.relative_to(root.parent) for p in root.parent.rglob("*")) == before
    assert not (root.parent / "outside").exists()


def write_hostile_note(root) -> None:
    """Markup in the data: our note on who spoke, in the chapter's table of officials' words."""

    def change(rows):
        header = rows[0]
        said = next(r for r in rows[1:] if r[header.index("metric")] == "official_statement")
        said[header.index("note")] = HOSTILE

    edit_csv(root, "figures/ellendale.csv", change)


def assert_shown_as_text(site, page_path) -> None:
    """The page shows the hostile words as text in Chromium, and none of them runs."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=pdf.chromium(), args=["--no-sandbox"])
        page = browser.new_page()
        page.goto((site / page_path).as_uri())
        page.wait_for_timeout(300)
        assert page.evaluate("() => window.pwned") is None, page_path
        assert "<script>window.pwned = 1</script>" in page.inner_text("body"), page_path
        browser.close()


def test_a_hostile_publisher_is_text_in_the_sources_appendix(data_copy):
    """A publisher's name that is markup: the appendix writes it escaped, in its title and link
    (the page is that HTML as it stands; the chapter's case is seen in Chromium above)."""
    import html

    from aibet.present import appendix

    def change(rows):
        rows[1][rows[0].index("publisher")] = HOSTILE

    edit_csv(data_copy, "sources.csv", change)
    tables = appendix.figure_tables(data_copy)
    written = appendix.sources_markdown([], {}, tables, data_copy)
    assert html.escape(HOSTILE) in written
    assert "<script>" not in written and "<img" not in written


def published_outputs(root) -> tuple[bytes, dict[str, bytes]]:
    """The ledger and every executed notebook, as bytes."""
    ledger = root / "book" / "_generated" / "_extra" / "downloads" / "claims-ledger.json"
    notebooks = {p.name: p.read_bytes() for p in sorted((root / runner.EXECUTED).glob("*.ipynb"))}
    return ledger.read_bytes(), notebooks


@pytest.mark.slow
def test_a_clean_build_agrees_byte_for_byte_with_the_published_book(project_copy):
    """Outputs hold no timestamps, durations or paths: the build normalizes them away. So a
    clean build of the copy gives, byte for byte, the ledger and notebooks the project's own
    build published (a clean build too on a fresh clone), and leaves no process behind. One
    cached output is not removed but cut in half, as a writer stopped midway could leave it."""
    published = published_outputs(project_copy)  # the project's, copied with it
    assert published[1]
    for notebook in (project_copy / runner.EXECUTED).glob("*.ipynb"):
        notebook.unlink()
    cut = project_copy / runner.EXECUTED / f"{UNTOUCHED}.ipynb"
    cut.write_bytes(published[1][cut.name][: len(published[1][cut.name]) // 2])
    result = run_aibet("build", cwd=project_copy)
    assert result.returncode == 0, result.stderr
    assert f"ran      {UNTOUCHED}" in result.stdout  # the cut output was detected
    assert result.stdout.count("ran      ") == len(published[1])  # every notebook ran
    clean = published_outputs(project_copy)
    assert clean[0] == published[0]
    assert clean[1].keys() == published[1].keys()
    for name in clean[1]:
        assert clean[1][name] == published[1][name], name
    assert not processes_left_in(project_copy)  # kernels, their parent, Sphinx and its helpers


if __name__ == "__main__":  # pragma: no cover
    sys.exit(pytest.main([__file__]))
