"""A build with nothing to do, answered before the build's imports (pandas, Altair, Jupytext:
most of a second) from the record the last successful build of the same command left.

The record holds a digest of everything a build reads (the notebooks, the data, the book's
pages and config, the scenarios, the lock files, the package's code, the Python and the
installed packages) and of every output it published (each executed notebook, the site). When
both still match, the build would run nothing and publish nothing, so its report is given
again. Anything else, or a record that cannot be read, goes to the build itself.
"""

from __future__ import annotations

import hashlib
import json
import os
import sys
import sysconfig
import time
from pathlib import Path

from aibet.build import BuildLock
from aibet.build.site import file_digest, package_digest, tree_digest
from aibet.present.layout import GENERATED

RECORDS = Path("_build") / "unchanged"
INPUT_FOLDERS = ("notebooks", "data", "book", "scenarios")
INPUT_FILES = (
    "_config.yml",
    "_toc.yml",
    "CITATION.cff",
    "ledger.lock.json",
    "requirements.lock",
    "pyproject.toml",
    "_build/bench/bench.md",  # the reproducibility page shows it
)


def inputs_key(root: Path, argv: list[str]) -> str:
    """The digest of the command and of everything a build of it reads."""
    skipped = root / GENERATED
    files = [root / name for name in INPUT_FILES if (root / name).is_file()]
    for folder in INPUT_FOLDERS:
        files += [
            p
            for p in (root / folder).rglob("*")
            if p.is_file() and not p.is_relative_to(skipped) and "__pycache__" not in p.parts
        ]
    packages = Path(sysconfig.get_paths()["purelib"])
    return hashlib.sha256(
        json.dumps(
            {
                "argv": argv,
                "files": tree_digest(files, root),
                "package": package_digest(),
                "python": sys.version,
                # Installing or removing a package touches its folder.
                "installed": packages.stat().st_mtime_ns if packages.exists() else None,
            }
        ).encode()
    ).hexdigest()


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


def remember(root: Path, argv: list[str], key: str, outputs: list[Path], report: dict) -> None:
    """After a successful build: its key, its outputs and what it reported (`report`: the
    heading, the notebooks' names, the claims and one line a claim)."""
    path = _record_path(root, argv)
    path.parent.mkdir(parents=True, exist_ok=True)
    staged = path.with_suffix(f".{os.getpid()}.partial")
    staged.write_text(
        json.dumps({"key": key, "outputs": outputs_digest(root, outputs), "report": report})
    )
    os.replace(staged, path)


def book_is_free(root: Path) -> bool:
    """No other build holds the book now (none has been built yet, or none is building)."""
    if not (root / "_build").is_dir():
        return True
    lock = BuildLock(root / "_build")
    free = lock.taken()
    lock.release()
    return free


def summary_line(ran: int, cached: int, claims: int, started: float) -> str:
    """A build's last line before its verdicts (`started`: its `time.perf_counter()` start)."""
    return (
        f"summary: {ran} ran, {cached} cached, {claims} claims,"
        f" {time.perf_counter() - started:.1f} s"
    )


def replay(root: Path, argv: list[str]) -> str | None:
    """The report of a build that has nothing to do, or None when the build must run: a record
    missing or unreadable, an input or an output changed, or another build holding the book."""
    started = time.perf_counter()
    try:
        record = json.loads(_record_path(root, argv).read_text())
        report = record["report"]
        outputs = record["outputs"]
    except (OSError, ValueError, KeyError):
        return None
    if not (root / "_build").is_dir():
        return None
    lock = BuildLock(root / "_build")
    if not lock.taken():  # another build holds it: the build itself says so
        return None
    try:
        if record["key"] != inputs_key(root, argv):
            return None
        if outputs_digest(root, [root / p for p in outputs]) != outputs:
            return None
    finally:
        lock.release()
    lines = [report["heading"]]
    lines += [f"  cached   {name}" for name in report["notebooks"]]
    lines.append("  cached   book (no input changed since the last build)")
    lines.append(summary_line(0, len(report["notebooks"]), report["claims"], started))
    return "\n".join(lines + report["verdicts"]) + "\n"
