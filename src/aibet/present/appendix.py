"""Pages the build writes from the data and the run: the data-sources appendix, the
reproducibility record, and each chapter's ClaimReviews for the site to embed."""

from __future__ import annotations

import hashlib
import html
import json
import platform
from collections import defaultdict
from importlib import metadata
from pathlib import Path

import pandas as pd

from aibet import data
from aibet.present import charts

KEY_PACKAGES = (
    "jupyter-book",
    "sphinx",
    "myst-nb",
    "pandas",
    "numpy",
    "altair",
    "vl-convert-python",
    "papermill",
    "playwright",
)
"""The packages whose versions shape the book most; `requirements.lock` pins every one."""


def source_anchor(source_id: str) -> str:
    return f"src-{source_id.replace('_', '-')}"


def figure_tables(root: Path | None = None) -> dict[str, pd.DataFrame]:
    """Every figures table of the package, by file name, loaded once for the generated pages."""
    return {
        path.name: data.load(name, root)
        for name, path in data.resource_paths(root).items()
        if path.parent.name == "figures"
    }


def figures_by_source(tables: dict[str, pd.DataFrame]) -> dict[str, list[str]]:
    """For every source id, the data files (and how many rows each) whose figures cite it."""
    counts: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for file_name, frame in tables.items():
        for source_id, n in frame["source_id"].value_counts().items():
            counts[source_id][file_name] += int(n)
    return {s: [f"{f} ({n})" for f, n in sorted(files.items())] for s, files in counts.items()}


def sources_markdown(
    records: list[dict],
    pages: dict[str, str],
    tables: dict[str, pd.DataFrame],
    root: Path | None = None,
) -> str:
    """Every source document: publisher, title, link, dates, the files that cite it and the
    claims that rest on it (an HTML table, so that each row can be linked to)."""
    sources = data.load("sources", root)
    used_by: dict[str, list[str]] = defaultdict(list)
    for rec in records:
        for source_id in rec.get("sources") or []:
            used_by[source_id].append(rec["id"])
    files = figures_by_source(tables)
    rows = []
    for row in sources.sort_values("source_id").itertuples():
        claims = " ".join(
            f'<a href="{_claim_href(c, records, pages)}">{html.escape(c)}</a>'
            for c in sorted(set(used_by[row.source_id]))
        )
        title = html.escape(f"{row.publisher}: {row.title}")
        link = f'<a href="{html.escape(row.url, quote=True)}">{title}</a>' if row.url else title
        # Five columns fit the text column of a desktop page: the id and kind go under the
        # document's title, both dates share a cell.
        rows.append(
            f'<tr id="{source_anchor(row.source_id)}"><td>{link}<br>'
            f'<span class="aibet-source-id"><code>{html.escape(row.source_id)}</code>'
            f" · {html.escape(str(row.kind))}</span></td>{charts.grade_cell(row.grade)}"
            f"<td>{html.escape(str(row.date_published or '—'))}<br>"
            f'<span class="aibet-source-id">read {html.escape(str(row.date_accessed or "—"))}'
            "</span></td>"
            f"<td>{'<br>'.join(html.escape(f) for f in files.get(row.source_id, [])) or '—'}</td>"
            f"<td>{claims or '—'}</td></tr>"
        )
    head = (
        "<tr><th>Document (id · kind)</th><th>Grade</th><th>Published (read)</th>"
        "<th>Figures citing it (file, rows)</th><th>Claims</th></tr>"
    )
    summary = (
        f"{len(sources)} documents; {sum(1 for s in sources['source_id'] if used_by[s])} of them"
        f" support the {len(records)} claims directly. {grade_shares_sentence(root)}\n\n"
    )
    return (
        summary
        + charts.grade_key()
        + f'<table class="aibet-sources aibet-appendix"><thead>{head}</thead>'
        f"<tbody>{''.join(rows)}</tbody></table>\n"
        + gaps_markdown(root)
        + kept_markdown(sources.set_index("source_id"), root)
    )


def gaps_markdown(root: Path | None = None) -> str:
    """The figures left out because no source a verdict may rest on carries them, and what was
    searched."""
    gaps = data.load("gaps", root)
    if gaps.empty:
        return ""
    rows = "".join(
        f'<tr><td data-label="Figure">{html.escape(g.what)}</td>'
        f'<td data-label="Why it is left out">{html.escape(g.reason)}</td>'
        f'<td data-label="What was searched">{html.escape(g.searched)}</td></tr>'
        for g in gaps.itertuples()
    )
    return (
        "\n## Figures left out\n\n"
        f"{len(gaps)} figures a claim reads exist, but no source a verdict may rest on was found to"
        " carry them: only a mirror, forum, machine translation, AI summary, pirated copy or"
        " content farm, or a page of grade C. A claim that cannot go on without one is"
        " **unsupported** and names it; one that has other reports of the same figure (earlier"
        " or later) uses those.\n\n"
        '<table class="aibet-gaps"><thead><tr><th>Figure</th><th>Why it is left'
        f" out</th><th>What was searched</th></tr></thead><tbody>{rows}</tbody></table>\n"
    )


def kept_markdown(sources: pd.DataFrame, root: Path | None = None) -> str:
    """The few figures a verdict still reads from a grade-C page, and why each is kept
    (`sources` indexed by source_id, for the publishers' names)."""
    kept = data.load("grade_c_kept", root)
    if kept.empty:
        return ""
    rows = "".join(  # figures kept for one reason share a row
        f'<tr><td data-label="Figures">{"<br>".join(html.escape(w) for w in group["what"])}</td>'
        f'<td data-label="Page">{_source_links(group["source_id"], sources)}</td>'
        f'<td data-label="Why it is kept">{html.escape(why)}</td></tr>'
        for why, group in kept.groupby("why", sort=False)
    )
    return (
        "\n## Figures still read from grade-C pages\n\n"
        f"{len(kept)} figures a verdict reads come from a page of grade C: the producer's document"
        " exists, but neither it nor a newsroom's report of it was within reach, and leaving the"
        " figure out would change what a verdict answers rather than how sure it is. The claims"
        " that read them show it in their evidence grade.\n\n"
        '<table class="aibet-gaps"><thead><tr><th>Figures</th><th>Page</th><th>Why they are'
        f" kept</th></tr></thead><tbody>{rows}</tbody></table>\n"
    )


def _source_links(source_ids: pd.Series, sources: pd.DataFrame) -> str:
    """Links to the rows of the sources table for these documents, each once."""
    return "<br>".join(
        f'<a href="#{source_anchor(s)}">{html.escape(sources.loc[s, "publisher"])}</a>'
        for s in dict.fromkeys(source_ids)
    )


def grade_shares_sentence(root: Path | None = None) -> str:
    """How the figure rows divide among the source grades."""
    cited = data.cited_grades(root)
    shares = cited["grade"].value_counts(normalize=True)
    parts = ", ".join(f"{shares.get(g, 0):.0%} grade {g}" for g in ("A", "B", "C"))
    return f"Of the {len(cited)} figure rows, {parts}."


def _claim_href(claim_id: str, records: list[dict], pages: dict[str, str]) -> str:
    """A claim's section, relative to the appendix page (both sit under book/)."""
    chapter = next(r["chapter"] for r in records if r["id"] == claim_id)
    return f"../{pages[chapter]}#{claim_id.lower()}"


def file_hash(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def reproducibility_markdown(root: Path, runs: list[dict], variant: str | None) -> str:
    """What this book was built from: packages, data (hashed), each notebook's parameters, and
    which notebooks ran or came from the cache."""
    lines = [
        f"**Book:** {'variant ' + variant if variant else 'the published defaults (no scenario)'}.",
        "",
        f"**Python** {platform.python_version()}; every package is pinned in `requirements.lock`"
        f" (SHA-256 `{file_hash(root / 'requirements.lock')[:16]}`).",
        "",
        "| Package | Version |",
        "|---|---|",
    ]
    for name in KEY_PACKAGES:
        try:
            version = metadata.version(name)
        except metadata.PackageNotFoundError:
            version = "not installed"
        lines.append(f"| `{name}` | {version} |")
    lines += ["", "## Data", "", "| File | Rows | SHA-256 |", "|---|---|---|"]
    folder = data.data_dir(root)
    for path in sorted(p for p in folder.rglob("*") if p.is_file()):
        rel = path.relative_to(root).as_posix()
        rows = max(0, len(path.read_text().splitlines()) - 1) if path.suffix == ".csv" else "—"
        lines.append(f"| `{rel}` | {rows} | `{file_hash(path)[:16]}` |")
    lines += [
        "",
        "## Notebooks",
        "",
        "| Notebook | This build | Seconds | Parameters |",
        "|---|---|---|---|",
    ]
    for run in runs:
        params = ", ".join(
            f"`{k}={json.dumps(v, ensure_ascii=False)}`"
            for k, v in sorted(run["parameters"].items())
        )
        seconds = f"{run['seconds']:.1f}" if run["status"] == "ran" else "—"
        lines.append(f"| `{run['name']}` | {run['status']} | {seconds} | {params} |")
    return "\n".join(lines) + "\n"


def claim_reviews(records: list[dict], pages: dict[str, str], reviewed_on: str) -> dict:
    """For each chapter page (site path without .html), the records it reviews, and the date
    of the data they rest on."""
    by_page: dict[str, list[dict]] = defaultdict(list)
    for rec in records:
        by_page[pages[rec["chapter"]].removesuffix(".html")].append(rec)
    return {"reviewed_on": reviewed_on, "pages": by_page}


def latest_data_date(tables: dict[str, pd.DataFrame]) -> str:
    """The latest publication date of any figure: the date the verdicts are current to."""
    return max(str(frame["published"].max()) for frame in tables.values())
