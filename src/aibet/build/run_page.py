"""The page of one `aibet run`: the executed chapter as a reader sees it, on its own and offline.

The book's Sphinx build is not needed to read one rerun: the chapter's prose gets its glued
values, the outputs of its cells are kept (their code is not), and the page carries the book's
stylesheet and chart script beside it. A banner says which parameters differ from the book's and
which verdicts that changed against the published ledger.
"""

from __future__ import annotations

import ast
import html
import json
import re
import shutil
from pathlib import Path

from markdown_it import MarkdownIt

from aibet.build.site import VEGA_BUNDLE
from aibet.present.charts import DOWNLOADS_HREF
from aibet.present.pages import EXTRA

GLUE = re.compile(r"\{glue:text\}`([^`]+)`")
LABEL = re.compile(r"^\([^)\s]+\)=\s*$", re.M)
"""A MyST target line such as `(inv-1)=`: an anchor for the book's cross-references."""
RECORD = "application/papermill.record/text/plain"
"""The output type a glued value is stored under."""
ASSETS = "assets"
CHARTS = Path("downloads") / "charts"
"""Where a run's chart downloads go, beside its page (`DOWNLOADS_HREF` is rewritten to it)."""
STYLES = ("aibet.css", "aibet-charts.js")


def glued(notebook: dict) -> dict[str, str]:
    """Every value the notebook glued, by name, as the text the book shows."""
    values = {}
    for cell in notebook["cells"]:
        for output in cell.get("outputs", []):
            name = output.get("metadata", {}).get("scrapbook", {}).get("name")
            if name and RECORD in output.get("data", {}):
                values[name] = str(ast.literal_eval(_text(output["data"][RECORD])))
    return values


def _text(value) -> str:
    return "".join(value) if isinstance(value, list) else value


def _prose(source: str, values: dict[str, str], markdown: MarkdownIt) -> str:
    def value(match: re.Match) -> str:
        name = match[1]
        if name not in values:
            raise KeyError(f"the page shows {{glue:text}}`{name}` but the notebook glued no {name}")
        return html.escape(values[name])

    return markdown.render(GLUE.sub(value, LABEL.sub("", source)))


def _outputs(cell: dict) -> str:
    parts = []
    for output in cell.get("outputs", []):
        data = output.get("data", {})
        if "text/html" in data:
            parts.append(_text(data["text/html"]).replace(DOWNLOADS_HREF, CHARTS.as_posix()))
        elif "text/plain" in data and RECORD not in data:
            parts.append(f"<pre>{html.escape(_text(data['text/plain']))}</pre>")
    return "\n".join(parts)


def body(notebook: dict) -> str:
    """The chapter's HTML: prose with its values, and the outputs of the cells a reader sees."""
    values = glued(notebook)
    markdown = MarkdownIt("commonmark", {"html": True}).enable("table")
    parts = []
    for cell in notebook["cells"]:
        if cell["cell_type"] == "markdown":
            parts.append(_prose(_text(cell["source"]), values, markdown))
        elif cell["cell_type"] == "code" and "remove-cell" not in cell["metadata"].get("tags", []):
            parts.append(_outputs(cell))
    return "\n".join(p for p in parts if p)


def banner(title: str, changed: dict[str, tuple], verdict_changes: list[str]) -> str:
    """What this run is: the parameters that differ from the book's and what that changed."""
    esc = html.escape
    items = "".join(
        f"<li><code>{esc(name)}</code> = <code>{esc(json.dumps(value))}</code>"
        f" (the book's: <code>{esc(json.dumps(default))}</code>)</li>"
        for name, (value, default) in changed.items()
    )
    said = [f"<p><strong>A rerun of “{esc(title)}”.</strong>"]
    said.append(
        f" Parameters that differ from the book's:</p><ul>{items}</ul>"
        if changed
        else " Every parameter has the book's value.</p>"
    )
    if verdict_changes:
        lines = "".join(f"<li>{esc(line)}</li>" for line in verdict_changes)
        said.append(f"<p>Against the published ledger, this changes:</p><ul>{lines}</ul>")
    else:
        said.append("<p>No verdict or value differs from the published ledger.</p>")
    return f'<div class="aibet-variant" role="note" aria-label="Rerun">{"".join(said)}</div>'


def write(
    notebook_path: Path, root: Path, changed: dict[str, tuple], verdict_changes: list[str]
) -> Path:
    """Write `index.html` beside the executed notebook, with the assets it needs; return it."""
    notebook = json.loads(notebook_path.read_text())
    folder = notebook_path.parent
    assets = folder / ASSETS
    assets.mkdir(exist_ok=True)
    for name in STYLES:
        shutil.copy2(root / "book" / "_static" / name, assets / name)
    shutil.copy2(root / EXTRA / VEGA_BUNDLE, assets / VEGA_BUNDLE.name)
    title = next(
        (
            line.removeprefix("# ").strip()
            for cell in notebook["cells"]
            if cell["cell_type"] == "markdown"
            for line in _text(cell["source"]).splitlines()
            if line.startswith("# ")
        ),
        notebook_path.stem,
    )
    page = f"""<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{html.escape(title)} (rerun)</title>
<link rel="stylesheet" href="{ASSETS}/aibet.css">
<style>body {{ max-width: 46rem; margin: 2rem auto; padding: 0 1rem;
  font: 1rem/1.6 system-ui, sans-serif; }} .aibet-variant {{ border-left: 4px solid #b36b00;
  padding: 0.5rem 1rem; background: #fff6e6; overflow-wrap: anywhere; }}
  pre, table {{ display: block; max-width: 100%; overflow-x: auto; }}</style>
<script defer src="{ASSETS}/aibet-charts.js" data-vega="{ASSETS}/{VEGA_BUNDLE.name}"></script>
</head>
<body>
<main>
{banner(title, changed, verdict_changes)}
{body(notebook)}
</main>
</body>
</html>
"""
    target = folder / "index.html"
    staged = target.with_suffix(".partial")
    staged.write_text(page)
    staged.replace(target)
    return target
