"""A build's profile: each notebook's kernel start and cells, from Papermill's timestamps."""

import json
from datetime import UTC, datetime

import nbformat

from aibet.build.profile import Profile, notebook_profile


def _cell(source: str, start: str, seconds: float, tags=()):
    return nbformat.v4.new_code_cell(
        source,
        metadata={"tags": list(tags), "papermill": {"start_time": start, "duration": seconds}},
    )


WRITTEN = {"kernel ready after": 2.0, "durations": [0.125, 1.5]}
"""What this test writes into a notebook's Papermill metadata, as Papermill would: when the
first cell started (after the call) and how long each cell took. Nothing is timed here."""


def test_a_notebooks_profile_is_read_from_papermills_timestamps(tmp_path):
    """The profile reads back what was written: the kernel start is the first cell's start
    less the call, each cell keeps its written duration under its label, and the sums follow."""
    called = datetime(2026, 1, 1, tzinfo=UTC).timestamp()
    first_start = called + WRITTEN["kernel ready after"]
    first, second = WRITTEN["durations"]

    def stamp(moment: float) -> str:
        return datetime.fromtimestamp(moment, UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")

    notebook = nbformat.v4.new_notebook()
    notebook.cells = [
        _cell("tolerance = 0.2", stamp(first_start), first, ["injected-parameters"]),
        nbformat.v4.new_markdown_cell("Some prose."),
        _cell("from aibet import x\nbook = x.book()", stamp(first_start + first), second),
    ]
    finished = first_start + first + second
    profile = notebook_profile(notebook, called, finished)
    read_back = {
        "kernel_start_seconds": WRITTEN["kernel ready after"],
        "cells_seconds": first + second,
        "total_seconds": finished - called,
        "cells": [
            {"cell": 0, "code": "parameters (injected)", "seconds": first},
            {"cell": 1, "code": "book = x.book()", "seconds": second},
        ],
    }
    assert profile == read_back

    whole = Profile(started=datetime.now(UTC).timestamp())
    with whole.phase("engine"):
        pass
    whole.notebooks["01-chapter"] = profile
    for _ in range(2):
        whole.add_work("chart images", 0)
    written = json.loads(whole.write(tmp_path).read_text())
    assert [p["phase"] for p in written["phases"]][1:] == ["engine"]
    assert written["beside_the_notebooks"] == whole.workers  # written as it was kept
    assert written["beside_the_notebooks"]["chart images"]["count"] == 2
    assert written["notebooks"]["01-chapter"] == profile
