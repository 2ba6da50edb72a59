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


KERNEL_READY_AFTER = 2.0
"""Seconds from the call to the first cell, as this test writes them into the notebook."""
WRITTEN_DURATIONS = [0.125, 1.5]
"""Each cell's duration, as this test writes it into the notebook's Papermill metadata."""


def test_a_notebooks_profile_is_read_from_papermills_timestamps(tmp_path):
    """Nothing is timed here: the test writes timestamps and durations into a notebook, as
    Papermill does, and the profile must read back exactly what was written (kernel start =
    first cell's start - the call; cells = their written durations and their sum)."""
    called = datetime(2026, 1, 1, tzinfo=UTC).timestamp()
    first_start = called + KERNEL_READY_AFTER
    second_start = first_start + WRITTEN_DURATIONS[0]

    def stamp(moment: float) -> str:
        return datetime.fromtimestamp(moment, UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")

    notebook = nbformat.v4.new_notebook()
    notebook.cells = [
        _cell("tolerance = 0.2", stamp(first_start), WRITTEN_DURATIONS[0], ["injected-parameters"]),
        nbformat.v4.new_markdown_cell("Some prose."),
        _cell("from aibet import x\nbook = x.book()", stamp(second_start), WRITTEN_DURATIONS[1]),
    ]
    finished = second_start + WRITTEN_DURATIONS[1]
    profile = notebook_profile(notebook, called, finished)
    assert profile["kernel_start_seconds"] == KERNEL_READY_AFTER
    assert [c["code"] for c in profile["cells"]] == ["parameters (injected)", "book = x.book()"]
    assert [c["seconds"] for c in profile["cells"]] == WRITTEN_DURATIONS
    assert profile["cells_seconds"] == sum(WRITTEN_DURATIONS)
    assert profile["total_seconds"] == finished - called

    whole = Profile(started=datetime.now(UTC).timestamp())
    with whole.phase("engine"):
        pass
    whole.notebooks["01-chapter"] = profile
    work = [0.25, 0.5]
    for seconds in work:
        whole.add_work("chart images", seconds)
    written = json.loads(whole.write(tmp_path).read_text())
    assert [p["phase"] for p in written["phases"]][1:] == ["engine"]
    assert written["beside_the_notebooks"] == {"chart images": {"count": 2, "seconds": sum(work)}}
    assert written["notebooks"]["01-chapter"] == profile
