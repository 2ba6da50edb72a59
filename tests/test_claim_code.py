"""Claim code reaches the data only through Evidence, so the date rule cannot be bypassed."""

import ast

import pytest
from tests.conftest import ROOT

CLAIMS = ROOT / "src" / "aibet" / "claims"
CHAPTER_MODULES = sorted(
    p
    for p in CLAIMS.glob("*.py")
    if p.stem not in {"__init__", "engine", "catalog", "rubric", "params", "notebooks"}
)


def _bypasses(source: str) -> list[str]:
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Attribute) and node.attr in {"store", "load", "as_known"}:
            found.append(f"reads .{node.attr}")
        elif (
            isinstance(node, ast.Attribute)
            and node.attr.startswith("_")
            and (isinstance(node.value, ast.Name) and node.value.id == "ev")
        ):
            found.append(f"reaches into ev.{node.attr}")
        elif (
            isinstance(node, ast.ImportFrom)
            and node.module == "aibet"
            and any(alias.name == "data" for alias in node.names)
        ):
            found.append("imports the data loader")
    return found


@pytest.mark.parametrize("path", CHAPTER_MODULES, ids=lambda p: p.stem)
def test_chapter_modules_read_only_through_evidence(path):
    assert not _bypasses(path.read_text()), path.name


def test_the_check_can_fail():
    bad = "from aibet import data\nrows = data.load('capex')\nraw = ev.store.table('x')\nev._base\n"
    assert len(_bypasses(bad)) == 4
