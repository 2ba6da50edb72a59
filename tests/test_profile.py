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


def test_a_notebooks_profile_has_its_kernel_start_and_each_cells_time(tmp_path):
    notebook = nbformat.v4.new_notebook()
    notebook.cells = [
        _cell("tolerance = 0.2", "2026-01-01T00:00:02.000000Z", 0.1, ["injected-parameters"]),
        nbformat.v4.new_markdown_cell("Some prose."),
        _cell("from aibet import x\nbook = x.book()", "2026-01-01T00:00:02.100000Z", 1.5),
    ]
    called = datetime(2026, 1, 1, tzinfo=UTC).timestamp()
    profile = notebook_profile(notebook, called, called + 4.0)
    assert profile["kernel_start_seconds"] == pytest.approx(2.0)
    assert [c["code"] for c in profile["cells"]] == ["parameters (injected)", "book = x.book()"]
    assert profile["cells_seconds"] == pytest.approx(1.6)
    assert profile["total_seconds"] == pytest.approx(4.0)

    whole = Profile(started=datetime.now(UTC).timestamp())
    with whole.phase("engine"):
        pass
    whole.notebooks["01-chapter"] = profile
    whole.add_work("chart images", 0.25)
    whole.add_work("chart images", 0.5)
    written = json.loads(whole.write(tmp_path).read_text())
    assert [p["phase"] for p in written["phases"]][1:] == ["engine"]
    assert written["beside_the_notebooks"] == {"chart images": {"count": 2, "seconds": 0.75}}
    assert written["notebooks"]["01-chapter"]["cells"][1]["seconds"] == 1.5
