"""Variant books: named scenarios (`scenarios/NAME.yaml`) and `-p NOTEBOOK.PARAM=VALUE` overrides.

A scenario file holds a title, a description and, per notebook (by chapter slug), the parameters
it changes::

    title: Bear case
    description: Why these values.
    parameters:
      revenue-shortfall:
        useful_life_years: 4

A variant book is built into its own folder under `_build/variants/`, never touching the default
book, and every page carries a banner that lists each non-default parameter.
"""

from __future__ import annotations

import hashlib
import html
import json
import re
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from aibet.claims.notebooks import match
from aibet.claims.params import ParamError
from aibet.present.rerun import as_typed

NAME = re.compile(r"^[a-z0-9][a-z0-9_-]{0,63}$")
"""Scenario names are plain words: they become folder names, so nothing path-like is allowed."""
VARIANTS = Path("_build") / "variants"


@dataclass
class Scenario:
    name: str
    title: str
    description: str
    parameters: dict[str, dict[str, object]] = field(default_factory=dict)


def available(root: Path) -> list[str]:
    return sorted(p.stem for p in (root / "scenarios").glob("*.yaml"))


def load(root: Path, name: str) -> Scenario:
    """A scenario by name; a clear error for a bad name, a missing file or a malformed one."""
    names = available(root)
    if not NAME.match(name):
        raise ParamError(
            f"scenario name {name!r} is not allowed: use lowercase letters, digits, '-' and '_'"
            f" (the scenarios are: {', '.join(names)})"
        )
    path = root / "scenarios" / f"{name}.yaml"
    if not path.exists():
        raise ParamError(f"no scenario {name!r}; the scenarios are: {', '.join(names)}")
    where = f"scenarios/{name}.yaml"
    try:
        spec = yaml.safe_load(path.read_text())
    except yaml.YAMLError as error:
        raise ParamError(f"{where}: not valid YAML: {error}") from None
    if not isinstance(spec, dict) or not {"title", "description", "parameters"} <= set(spec):
        raise ParamError(f"{where}: needs the keys title, description and parameters")
    parameters = spec["parameters"] or {}
    if not isinstance(parameters, dict) or not all(
        isinstance(v, dict) for v in parameters.values()
    ):
        raise ParamError(f"{where}: parameters must map each notebook to its parameter values")
    return Scenario(name, str(spec["title"]), str(spec["description"]).strip(), parameters)


EVERY = "*"
"""`-p *.PARAM=VALUE`: every notebook that has PARAM."""


def parse_overrides(items: list[str] | None) -> dict[str, dict[str, str]]:
    """`-p NOTEBOOK.PARAM=VALUE` options as {notebook: {param: raw value}}; a later one wins.
    NOTEBOOK may be `*`, for every notebook that has the parameter (see `spread`)."""
    result: dict[str, dict[str, str]] = {}
    for item in items or []:
        target, sep, value = item.partition("=")
        notebook, dot, name = target.partition(".")
        if not sep or not dot or not notebook or not name:
            raise ParamError(
                f"-p {item!r}: write NOTEBOOK.PARAM=VALUE, e.g. -p investment-scale.window_years=4"
                f" (or {EVERY}.PARAM=VALUE for every notebook that has PARAM)"
            )
        result.setdefault(notebook.strip(), {})[name.strip()] = value
    return result


def spread(overrides: dict[str, dict], sources: list) -> dict[str, dict]:
    """Overrides by notebook file name: `*` goes to every notebook that declares the parameter
    (one naming the notebook wins over it); an unknown notebook or a `*` parameter no notebook
    has is an error."""
    result: dict[str, dict] = {}
    for name, value in overrides.get(EVERY, {}).items():
        having = [s for s in sources if name in s.specs]
        if not having:
            raise ParamError(f"{EVERY}.{name}: no notebook has a parameter {name!r}")
        for source in having:
            result.setdefault(source.name, {})[name] = value
    for notebook, values in overrides.items():
        if notebook != EVERY:
            result.setdefault(match(sources, notebook).name, {}).update(values)
    return result


def readable(changes: dict[str, object]) -> str:
    """A folder name that says what changed (`tolerance=0.3,year_basis=calendar`), made safe
    for any file system; a long one is cut and keeps a short hash, so that it stays unique."""
    text = ",".join(
        f"{name}={as_typed(value).replace(',', '+')}" for name, value in changes.items()
    )
    safe = re.sub(r"[^A-Za-z0-9_.=+,-]+", "_", text).strip("._")
    if len(safe) <= 80:
        return safe
    digest = hashlib.sha256(text.encode()).hexdigest()[:8]
    return f"{safe[:70].rstrip('._,=+-')}~{digest}"


def variant_name(scenario: Scenario | None, changes: list[tuple[str, str, object, object]]) -> str:
    """The variant's folder name: the scenario's name, then each `-p` change it makes
    (`bear+revenue-shortfall.useful_life_years=4`)."""
    parts = [scenario.name] if scenario else []
    if changes:
        parts.append(readable({f"{chapter}.{name}": value for chapter, name, value, _ in changes}))
    return "+".join(parts)


def banner_html(
    scenario: Scenario | None,
    changes: list[tuple[str, str, object, object]],
    moved: list[str] = (),
) -> str:
    """The banner of a variant book: its parameters and the verdicts and values that moved
    against the published ledger (`moved`); every piece of text is escaped."""
    esc = html.escape
    heading = "Variant book"
    if scenario:
        heading += f": {esc(scenario.title)} (scenario <code>{esc(scenario.name)}</code>)"
    lines = [
        '<div class="aibet-variant" role="note" aria-label="Variant book">',
        f"<p><strong>{heading}.</strong> Verdicts here follow these parameters, not the"
        " published book's defaults.</p>",
    ]
    if scenario and scenario.description:
        lines.append(f"<p>{esc(scenario.description)}</p>")
    if changes:
        lines.append("<ul>")
        for notebook, name, value, default in changes:
            lines.append(
                f"<li><code>{esc(notebook)}.{esc(name)}</code> = <code>{esc(json.dumps(value))}</code>"
                f" (default <code>{esc(json.dumps(default))}</code>)</li>"
            )
        lines.append("</ul>")
    else:
        lines.append("<p>No parameter differs from the defaults.</p>")
    if moved:
        lines.append("<p>Against the published ledger, this changes:</p><ul>")
        lines += [f"<li>{esc(line)}</li>" for line in moved]
        lines.append("</ul>")
    else:
        lines.append("<p>No verdict or value differs from the published ledger.</p>")
    lines.append("</div>")
    return "\n".join(lines) + "\n"
