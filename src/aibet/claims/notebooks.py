"""The chapter notebooks' declarations: the parameters each one takes and the data it reads.

The parameters cell of `notebooks/NN-slug.md` is the one place a parameter is declared. The
runner validates values against it before a notebook starts, and the notebook validates them
again as it starts (`chapter_book`), so that plain Papermill with a bad value stops with the same
message as `aibet run`.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import jupytext

from aibet import data, project_root
from aibet.claims import catalog, params


@dataclass(frozen=True)
class NotebookSource:
    path: Path
    name: str
    chapter: str
    specs: dict
    reads: tuple[str, ...]

    @property
    def relpath(self) -> str:
        return f"notebooks/{self.path.name}"


def _paths(root: Path) -> list[Path]:
    return sorted((root / "notebooks").glob("[0-9][0-9]-*.md"))


def discover(root: Path) -> list[NotebookSource]:
    """Every chapter notebook `notebooks/NN-slug.md`, in reading order, with its declarations."""
    return [load_source(path) for path in _paths(root)]


def load_source(path: Path) -> NotebookSource:
    notebook = jupytext.read(path, fmt="md:myst")
    cells = [c for c in notebook.cells if "parameters" in c.metadata.get("tags", [])]
    where = f"notebooks/{path.name}"
    if len(cells) != 1:
        raise params.ParamError(
            f"{where}: needs exactly one cell tagged `parameters`, has {len(cells)}"
        )
    specs = params.parse_parameters_cell(cells[0].source, where=f"{where}, parameters cell")
    reads = tuple(notebook.metadata.get("aibet", {}).get("reads", []))
    data.files_of(list(reads), path.parents[1])  # fails early on an unknown resource name
    name = path.stem
    return NotebookSource(path, name, name.split("-", 1)[1], specs, reads)


def find(root: Path, wanted: str) -> NotebookSource:
    """A notebook by file name, stem, chapter slug or number; a clear error otherwise. Reads
    only the notebook named (each notebook's kernel calls this as it starts)."""
    for path in _paths(root):
        if _named(path.stem, wanted):
            return load_source(path)
    return match(discover(root), wanted)  # the error names every notebook


def _named(stem: str, wanted: str) -> bool:
    """Whether `wanted` names the notebook `stem` ("01-investment-scale"): by file name, stem,
    chapter slug or number."""
    number, chapter = stem.split("-", 1)
    return Path(wanted).stem in {stem, chapter, number}


def match(sources: list[NotebookSource], wanted: str) -> NotebookSource:
    """The source `wanted` names (file name, stem, chapter slug or number) among `sources`."""
    for source in sources:
        if _named(source.name, wanted):
            return source
    names = ", ".join(s.chapter for s in sources)
    raise params.ParamError(f"no notebook {wanted!r}; the notebooks are: {names}")


def chapter_book(chapter: str, namespace: dict) -> tuple[catalog.Book, str]:
    """The Book a chapter's notebook tells, and the date it is judged at, from the parameter
    values in the notebook's `namespace` (its globals, after Papermill injected any), each
    validated against the chapter's parameters cell; raise ParamError naming what is allowed."""
    source = find(project_root(), chapter)
    given = {name: namespace[name] for name in source.specs if name in namespace}
    values = params.resolve(source.specs, given, source.relpath)
    as_of = catalog.resolve_as_of(values.get("as_of", "latest"))
    return catalog.Book({source.chapter: values}), as_of
