"""A build with nothing to do, answered before the build's imports (pandas, Altair, Jupytext:
most of a second) from the record the last successful build of the same command left.

The record holds a digest of everything a build reads (the notebooks, the data, the book's
pages and config, the scenarios, the lock files, the package's code, the Python and the
installed packages) and of every output it published (each executed notebook, the site). When
both still match, the build would run nothing and publish nothing, so its report is given
again. Anything else, or a record that cannot be read, goes to the build itself. When only the
book's own pages changed, no notebook can run, and the build starts no kernel parent early.
"""

from __future__ import annotations

import hashlib
import json
import os
import sys
import sysconfig
import time
from dataclasses import dataclass
from pathlib import Path

from aibet.build import BuildLock
from aibet.build.site import file_digest, package_digest, tree_digest
from aibet.present.layout import BENCH_REPORT, CITATION_FILE, GENERATED

RECORDS = Path("_build") / "unchanged"
NOTEBOOK_INPUTS = ("notebooks", "data", "scenarios")
NOTEBOOK_FILES = ("_config.yml", "ledger.lock.json", "requirements.lock", "pyproject.toml")
"""What the notebooks can read or rest on (with the package and the installed packages): a
config or a lock file among them, to be safe."""
PAGE_INPUTS = ("book",)
PAGE_FILES = ("_toc.yml", CITATION_FILE, BENCH_REPORT.as_posix())
"""What only the site's pages read."""


def _files(root: Path, folders: tuple[str, ...], names: tuple[str, ...]) -> list[Path]:
    skipped = root / GENERATED
    files = [root / name for name in names if (root / name).is_file()]
    for folder in folders:
        files += [
            p
            for p in (root / folder).rglob("*")
            if p.is_file() and not p.is_relative_to(skipped) and "__pycache__" not in p.parts
        ]
    return files


def inputs_key(root: Path, argv: list[str]) -> dict[str, str]:
    """The digests of the command and of everything a build of it reads: what the notebooks
    can read (`notebooks`), and what only the pages read (`pages`)."""
    packages = Path(sysconfig.get_paths()["purelib"])
    notebooks = {
        "argv": argv,
        "files": tree_digest(_files(root, NOTEBOOK_INPUTS, NOTEBOOK_FILES), root),
        "package": package_digest(),
        "python": sys.version,
        # Installing or removing a package touches its folder.
        "installed": packages.stat().st_mtime_ns if packages.exists() else None,
    }
    return {
        "notebooks": hashlib.sha256(json.dumps(notebooks).encode()).hexdigest(),
        "pages": tree_digest(_files(root, PAGE_INPUTS, PAGE_FILES), root),
    }


def _record_path(root: Path, argv: list[str]) -> Path:
    return root / RECORDS / f"{hashlib.sha256(json.dumps(argv).encode()).hexdigest()[:16]}.json"


def _digest(path: Path) -> str | None:
    try:
        return file_digest(path)
    except OSError:  # gone: an output to make again
        return None


def outputs_digest(root: Path, outputs: list[Path]) -> dict[str, str | None]:
    """Each output's digest by its path in the project (a copied project checks its own)."""
    return {path.relative_to(root).as_posix(): _digest(path) for path in outputs}


def remember(
    root: Path,
    argv: list[str],
    key: dict[str, str],
    notebooks: list[Path],
    site: list[Path],
    report: dict,
) -> None:
    """After a successful build: its key, its outputs (the executed `notebooks`, the published
    `site`) and what it reported (`report`: the lines it opened with, the notebooks' names, the
    claims and one line a claim)."""
    path = _record_path(root, argv)
    path.parent.mkdir(parents=True, exist_ok=True)
    staged = path.with_suffix(f".{os.getpid()}.partial")
    record = {
        "key": key,
        "notebooks": outputs_digest(root, notebooks),
        "site": outputs_digest(root, site),
        "report": report,
    }
    staged.write_text(json.dumps(record))
    os.replace(staged, path)


def summary_line(ran: int, cached: int, claims: int, started: float) -> str:
    """A build's last line before its verdicts (`started`: its `time.perf_counter()` start)."""
    return (
        f"summary: {ran} ran, {cached} cached, {claims} claims,"
        f" {time.perf_counter() - started:.1f} s"
    )


@dataclass(frozen=True)
class Look:
    """What the record of the last build of a command says of the build about to run."""

    report: str | None
    """That build's report again, when this one has nothing to do; else None."""
    notebooks_may_run: bool
    """False when what the notebooks read and what they wrote are as that build left them."""
    busy: bool = False
    """Another build holds the book: this one is refused at once (the record is not read)."""


def look(root: Path, argv: list[str]) -> Look:
    """Compare the project with the record of the last successful build of `argv`. A record
    missing or unreadable says nothing: the build itself decides."""
    started = time.perf_counter()
    if not (root / "_build").is_dir():  # never built: no record, no other build
        return Look(None, notebooks_may_run=True)
    lock = BuildLock(root / "_build")
    if not lock.taken():
        return Look(None, notebooks_may_run=True, busy=True)
    try:
        return _compared(root, argv, started)
    finally:
        lock.release()


def _compared(root: Path, argv: list[str], started: float) -> Look:
    unknown = Look(None, notebooks_may_run=True)
    try:
        record = json.loads(_record_path(root, argv).read_text())
        kept, report = record["key"], record["report"]
        notebooks, site = record["notebooks"], record["site"]
    except (OSError, ValueError, KeyError, TypeError):
        return unknown
    if not isinstance(kept, dict):
        return unknown  # a record of an older layout
    key = inputs_key(root, argv)
    if kept.get("notebooks") != key["notebooks"] or not _as_left(root, notebooks):
        return unknown
    if kept != key or not _as_left(root, site):
        return Look(None, notebooks_may_run=False)
    lines = [*report["opening"], *(f"  cached   {name}" for name in report["notebooks"])]
    lines.append("  cached   book (no input changed since the last build)")
    lines.append(summary_line(0, len(report["notebooks"]), report["claims"], started))
    return Look("\n".join(lines + report["verdicts"]) + "\n", notebooks_may_run=False)


def _as_left(root: Path, outputs: dict[str, str | None]) -> bool:
    return outputs_digest(root, [root / p for p in outputs]) == outputs
