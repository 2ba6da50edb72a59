"""The build's handle on its kernel parent (see `aibet.build.kernels`, which it runs): light to
import, so that a build can start the parent before its own imports."""

from __future__ import annotations

import atexit
import os
import subprocess
import sys
import tempfile
import uuid
from pathlib import Path

from aibet.build import stop_process

LOG = Path("_build") / "scratch" / "kernel-parent.log"


class KernelParent:
    """The build's kernel parent: started on entry (its imports overlap the build's first
    phases), stopped on exit. `address` is what the workers need to ask it for a kernel."""

    def __init__(self, root: Path, log: Path):
        self.root, self.log = root, log
        self.socket = Path(tempfile.gettempdir()) / f"aibet-kernels-{uuid.uuid4().hex[:12]}"
        self.process: subprocess.Popen | None = None

    def __enter__(self) -> KernelParent:
        if self.process is not None:  # started early (see `start_early`)
            return self
        self.log.parent.mkdir(parents=True, exist_ok=True)
        with self.log.open("ab") as log:
            self.process = subprocess.Popen(
                [sys.executable, "-m", "aibet.build.kernels", str(self.socket)],
                cwd=self.root,
                stdin=subprocess.DEVNULL,
                stdout=log,
                stderr=log,
                env={**os.environ, "OPENBLAS_NUM_THREADS": "1"},  # no threads before a fork
            )
        return self

    @property
    def address(self) -> tuple[str, int] | None:
        return (str(self.socket), self.process.pid) if self.process else None

    def __exit__(self, *exc) -> None:
        self.stop()

    def stop(self) -> None:
        """Stop the parent (it stops the kernels it made, then itself); done once the notebooks
        have run, so that it is gone before the book is."""
        if self.process is not None:
            stop_process(self.process, within=5)
        self.socket.unlink(missing_ok=True)


_early: list[KernelParent] = []


def start_early(root: Path) -> None:
    """Start the parent of a build that will likely run a notebook (it was not answered from its
    record) before the build's own imports, which its imports then overlap. The build takes it
    (`take_early`) or stops it (`stop_early`); one not taken goes with the command."""
    parent = KernelParent(root, root / LOG).__enter__()
    atexit.register(parent.stop)
    _early.append(parent)


def take_early() -> KernelParent | None:
    return _early.pop() if _early else None


def stop_early() -> None:
    while _early:
        _early.pop().stop()
