"""The site's Sphinx pass keeps its environment between builds and reads only what changed
(see `aibet.build.site`): a changed page is read again even when it keeps its old time, and a
pass Sphinx refuses publishes nothing and leaves no environment to trust."""

import os

import pytest
from tests.conftest import run_aibet

from aibet.build import site


def _rewrite_keeping_its_time(path, old: str, new: str) -> None:
    """Change a page as a copy would: new content, the old modification time."""
    stat = path.stat()
    path.write_text(path.read_text().replace(old, new, 1))
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns))


@pytest.mark.slow
def test_a_changed_page_is_read_again_and_a_refused_pass_leaves_nothing(project_copy):
    page = project_copy / "book" / "methods.md"
    published = project_copy / "_build" / "html" / "book" / "methods.html"
    read = project_copy / "_build" / site.SPHINX_ENV / site.READ
    first = next(b for b in page.read_text().split("\n\n") if b[:1].isalpha())  # prose
    for marker in ("first-marker", "second-marker"):  # the second pass reads from the first's
        _rewrite_keeping_its_time(page, first, f"{first} {marker}")
        result = run_aibet("build", cwd=project_copy)
        assert result.returncode == 0, result.stderr
        assert marker in published.read_text()
        assert read.is_file()
        first = f"{first} {marker}"
    before = os.path.realpath(published)
    _rewrite_keeping_its_time(page, first, f"{first} {{ref}}`no-such-label`")
    result = run_aibet("build", cwd=project_copy)
    assert result.returncode == 1
    assert "FAILED   book" in result.stdout and "no-such-label" in result.stdout
    assert os.path.realpath(published) == before  # the published book did not move
    assert not read.exists()  # the next pass reads every page again
