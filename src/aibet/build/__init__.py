"""Turning notebooks and data into the book: parameters, the notebook runner, the site."""

import fcntl
import subprocess
from pathlib import Path

DEFAULT_TIMEOUT = 600
"""Seconds a single cell may run before the notebook is stopped."""


def stop_process(process: subprocess.Popen, within: float) -> None:
    """Ask `process` to stop (SIGTERM: it stops what it started, then itself); kill it if it
    has not within `within` seconds."""
    if process.poll() is not None:
        return
    process.terminate()
    try:
        process.wait(timeout=within)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


class BuildLock:
    """One build at a time: a second one is refused with a clear message. `taken()` asks
    without waiting and without refusing (see `aibet.build.unchanged`)."""

    def __init__(self, build_dir: Path):
        self.path = build_dir / ".lock"
        self.handle = None

    def taken(self) -> bool:
        """Take the lock if no other build holds it; whether it was taken."""
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self.handle = self.path.open("w")
        try:
            fcntl.flock(self.handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            self.release()
            return False
        return True

    def release(self) -> None:
        if self.handle is not None:
            self.handle.close()  # closing the file lets the lock go
            self.handle = None

    def __enter__(self):
        if not self.taken():
            raise SystemExit(
                f"another aibet build is running (it holds {self.path}); wait for it to finish"
            )
        return self

    def __exit__(self, *exc):
        self.release()
