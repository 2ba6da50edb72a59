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

from aibet.claims.params import ParamError

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


def parse_overrides(items: list[str] | None) -> dict[str, dict[str, str]]:
    """`-p NOTEBOOK.PARAM=VALUE` options as {notebook: {param: raw value}}; a later one wins."""
    result: dict[str, dict[str, str]] = {}
    for item in items or []:
        target, sep, value = item.partition("=")
        notebook, dot, name = target.partition(".")
        if not sep or not dot or not notebook or not name:
            raise ParamError(
                f"-p {item!r}: write NOTEBOOK.PARAM=VALUE, e.g. -p investment-scale.window_years=4"
            )
        result.setdefault(notebook.strip(), {})[name.strip()] = value
    return result


def variant_name(scenario: Scenario | None, overrides: dict) -> str:
    """The variant's folder name: the scenario's name, plus a short hash of any `-p` overrides."""
    parts = [scenario.name] if scenario else []
    if overrides:
        digest = hashlib.sha256(json.dumps(overrides, sort_keys=True).encode()).hexdigest()[:10]
        parts.append(f"p-{digest}")
    return "+".join(parts)


def banner_html(scenario: Scenario | None, changes: list[tuple[str, str, object, object]]) -> str:
    """The banner of a variant book; every piece of text is escaped (names can hold anything)."""
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
    lines.append("</div>")
    return "\n".join(lines) + "\n"
