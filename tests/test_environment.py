"""The environment is installed from exact pins with hashes, by uv bootstrapped from its own
hash-checked lock: nothing unpinned or unchecked enters the venv."""

import os
import re
from pathlib import Path

import pytest
from tests.conftest import ROOT


def requirements(lock: Path) -> dict[str, list[str]]:
    """Each requirement of a lock file and its hashes (continuation lines joined)."""
    text = re.sub(r"\\\n\s*", " ", lock.read_text())
    found = {}
    for line in text.splitlines():
        line = line.split("#", 1)[0].strip()
        if line:
            name, *options = line.split()
            found[name] = [o.removeprefix("--hash=") for o in options if o.startswith("--hash=")]
    return found


@pytest.mark.parametrize(
    "lock", ["requirements.lock", "requirements-uv.lock", "requirements-cff.lock"]
)
def test_every_package_is_pinned_exactly_with_its_hashes(lock):
    pinned = requirements(ROOT / lock)
    assert pinned
    for name, hashes in pinned.items():
        assert re.fullmatch(r"[A-Za-z0-9._-]+==[A-Za-z0-9.+!-]+", name), name
        assert hashes and all(h.startswith("sha256:") for h in hashes), name


def test_every_direct_dependency_is_in_the_lock_at_its_pinned_version():
    direct = requirements(ROOT / "requirements.in")
    locked = {name.lower().replace("_", "-") for name in requirements(ROOT / "requirements.lock")}
    for name in direct:
        assert name.lower().replace("_", "-") in locked, name


def test_make_installs_with_uv_and_checks_every_hash():
    recipe = (ROOT / "Makefile").read_text().replace("\\\n", " ")
    bootstrap = next(line for line in recipe.splitlines() if "-r requirements-uv.lock" in line)
    install = next(line for line in recipe.splitlines() if "pip sync" in line)
    assert "--require-hashes" in bootstrap and "$(UV)" in install
    assert "--require-hashes" in install and "requirements.lock" in install
    cffconvert = next(line for line in recipe.splitlines() if "-r requirements-cff.lock" in line)
    assert "$(UV)" in cffconvert and "--require-hashes" in cffconvert


GROUPED = """
import os
import pytest

def note(tmp, name):
    (tmp / name).write_text(os.environ["PYTEST_XDIST_WORKER"])

@pytest.mark.xdist_group("together")
@pytest.mark.parametrize("i", range(4))
def test_grouped(i):
    note(Path(__file__).parent, f"grouped-{i}")

@pytest.mark.parametrize("i", range(4))
def test_free(i):
    note(Path(__file__).parent, f"free-{i}")
"""


def test_the_suites_workers_keep_a_group_on_one_worker(tmp_path):
    """`make test` runs on every core, and the tests that build in the project itself share
    one worker (`ROOT_BUILDS`: they take its build lock). pytest-xdist 3.8 stops grouping,
    silently, under pytest 9.2; this fails if an upgrade brings that back."""
    import subprocess
    import sys

    (tmp_path / "test_grouped.py").write_text("from pathlib import Path\n" + GROUPED)
    result = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-p", "xdist", "-n", "2"]
        + ["--dist", "loadgroup", str(tmp_path)],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        # Only the plugin under test: the others (browsers, property tests) load for nothing.
        env={**os.environ, "PYTEST_DISABLE_PLUGIN_AUTOLOAD": "1"},
    )
    assert result.returncode == 0, result.stdout + result.stderr
    workers = {p.name: p.read_text() for p in tmp_path.glob("*-*") if p.suffix != ".py"}
    assert len({workers[f"grouped-{i}"] for i in range(4)}) == 1, workers
    assert len(set(workers.values())) == 2, workers  # and the others go to both workers
