"""A build's profile: each notebook's kernel start and cells, from Papermill's timestamps."""

import json
from datetime import UTC, datetime

import nbformat
import pytest

from aibet.build.profile import Profile, notebook_profile


def _cell(source: str, start: str, seconds: float, tags=()):
    return nbformat.v4.new_code_cell(
        source,
        metadata={"tags": list(tags), "papermill": {"start_time": start, "duration": seconds}},
    )


def test_a_notebooks_profile_is_read_from_papermills_timestamps(tmp_path):
    """Nothing is timed here: the profile is arithmetic on the timestamps Papermill wrote
    (kernel start = first cell's start - the call; cells = the sum of their durations)."""
    called = datetime(2026, 1, 1, tzinfo=UTC).timestamp()
    first_start, second_start = called + 2.0, called + 2.1
    durations = [0.1, 1.5]

    def stamp(moment: float) -> str:
        return datetime.fromtimestamp(moment, UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")

    notebook = nbformat.v4.new_notebook()
    notebook.cells = [
        _cell("tolerance = 0.2", stamp(first_start), durations[0], ["injected-parameters"]),
        nbformat.v4.new_markdown_cell("Some prose."),
        _cell("from aibet import x\nbook = x.book()", stamp(second_start), durations[1]),
    ]
    finished = second_start + durations[1]
    profile = notebook_profile(notebook, called, finished)
    assert profile["kernel_start_seconds"] == pytest.approx(first_start - called)
    assert [c["code"] for c in profile["cells"]] == ["parameters (injected)", "book = x.book()"]
    assert [c["seconds"] for c in profile["cells"]] == durations
    assert profile["cells_seconds"] == pytest.approx(sum(durations))
    assert profile["total_seconds"] == pytest.approx(finished - called)

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
