"""Where a build's time goes: its phases, each notebook's kernel start and cells, the workers'
side work. Written to `profile.json` beside the site it built; `make bench` prints it."""

from __future__ import annotations

import json
import os
import time
from contextlib import contextmanager
from pathlib import Path

PROFILE = "profile.json"


class Profile:
    def __init__(self, started: float | None = None):
        self.phases: list[dict] = []
        self.notebooks: dict[str, dict] = {}
        self.workers: dict[str, dict] = {}
        """Work done beside the notebooks, in the drawing workers: {what: {count, seconds}}."""
        if started is None:  # the process's own start: its imports count as the first phase
            started = _process_started()
        self.phases.append(
            {"phase": "start: the command's imports", "seconds": time.time() - started}
        )

    @contextmanager
    def phase(self, name: str):
        began = time.perf_counter()
        try:
            yield
        finally:
            self.phases.append({"phase": name, "seconds": time.perf_counter() - began})

    def add_work(self, what: str, seconds: float) -> None:
        done = self.workers.setdefault(what, {"count": 0, "seconds": 0.0})
        done["count"] += 1
        done["seconds"] += seconds

    def write(self, folder: Path) -> Path:
        path = folder / PROFILE
        path.parent.mkdir(parents=True, exist_ok=True)
        data = {
            "total_seconds": sum(p["seconds"] for p in self.phases),
            "phases": self.phases,
            "notebooks": self.notebooks,
            "beside_the_notebooks": self.workers,
        }
        staged = path.with_suffix(".partial")
        staged.write_text(json.dumps(data, indent=2) + "\n")
        os.replace(staged, path)
        return path


def notebook_profile(notebook, called_at: float, finished_at: float) -> dict:
    """A notebook's kernel start (from the call to its first cell) and each code cell's time,
    from the timestamps Papermill writes into an executed notebook."""
    from datetime import datetime

    cells = []
    first = None
    for number, cell in enumerate(c for c in notebook.cells if c.cell_type == "code"):
        timing = cell.metadata.get("papermill", {})
        if not timing.get("start_time"):
            continue
        start = datetime.fromisoformat(timing["start_time"].replace("Z", "+00:00")).timestamp()
        first = start if first is None else min(first, start)
        tags = cell.metadata.get("tags", [])
        label = (
            "parameters (injected)"
            if "injected-parameters" in tags
            else (cell.source.strip().splitlines() or [""])[-1][:70]
        )
        cells.append({"cell": number, "code": label, "seconds": timing.get("duration") or 0.0})
    return {
        "kernel_start_seconds": (first - called_at) if first is not None else None,
        "cells_seconds": sum(c["seconds"] for c in cells),
        "total_seconds": finished_at - called_at,
        "cells": cells,
    }


def _process_started() -> float:
    try:
        import psutil

        return psutil.Process().create_time()
    except Exception:  # no psutil: the imports are not counted
        return time.time()
