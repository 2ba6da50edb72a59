"""The "Rerun this chapter" box at the end of every chapter: the parameter values the page was
built with and the commands that rebuild it with others. Readers see no notebook machinery
anywhere else."""

from __future__ import annotations

import html
from dataclasses import dataclass


@dataclass(frozen=True)
class Setting:
    """One parameter as the box shows it."""

    name: str
    value: object
    default: object
    unit: str
    allowed: str
    meaning: str
    choices: tuple[str, ...] = ()
    """The values a `one of …` parameter allows, as its spec parsed them."""


def as_typed(value: object) -> str:
    """A value as an analyst types it after `-p NAME=`: lists comma-separated, booleans lower case."""
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, list | tuple):
        return ",".join(map(str, value))
    return str(value)


def _example(settings: list[Setting]) -> str:
    """One concrete change to show: another choice of the first parameter offering one."""
    for s in settings:
        others = [c for c in s.choices if c != str(s.value)]
        if others:
            return f"-p {s.name}={others[0]}"
        if isinstance(s.value, bool):
            return f"-p {s.name}={as_typed(not s.value)}"
    return "-p NAME=VALUE"


def _cell(text: str) -> str:
    return html.escape(text).replace("|", "&#124;")


def rerun_box(notebook: str, settings: list[Setting]) -> str:
    """The box as MyST Markdown: a table of the values used (a changed one names its default)
    and the commands to change them."""
    lines = [
        "## Rerun this chapter",
        "",
        ":::{div} aibet-rerun",
        "",
        "This page was built with the values below. To see the verdicts under other",
        "assumptions, run the chapter yourself from a copy of the project (after `make book`):",
        "",
        "```bash",
        f".venv/bin/aibet params {notebook}   # each parameter's allowed values and unit",
        f".venv/bin/aibet run {notebook} {_example(settings)}",
        "```",
        "",
        "| Parameter | Value used | Allowed | Meaning |",
        "|---|---|---|---|",
    ]
    for s in settings:
        used = f"`{_cell(as_typed(s.value))}`"
        if s.value != s.default:
            used += f" (default `{_cell(as_typed(s.default))}`)"
        unit = "" if s.unit in {"-", "date"} else f" ({_cell(s.unit)})"
        lines.append(f"| `{s.name}` | {used} | {_cell(s.allowed)}{unit} | {_cell(s.meaning)} |")
    lines += [
        "",
        "The README lists every command, and how to run a chapter with plain Papermill.",
        ":::",
    ]
    return "\n".join(lines) + "\n"
