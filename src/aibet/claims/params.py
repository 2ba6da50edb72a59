"""Notebook parameters: parse a notebook's `parameters` cell, validate and coerce values.

A parameters cell has one literal per line::

    price_base_year: int = 2025  # year | 1956..2025 | express dollars in this year's prices

The comment holds three fields separated by ``|``: the unit (``-`` for none), what is allowed, and
the meaning. Allowed is one of ``LO..HI`` (inclusive), ``LO..HI or published`` (a number, or the source's own
figure read from the data), ``one of a, b``, ``subset of a, b``, ``date or latest`` or ``any``. A line whose comment is just ``# common`` takes its unit, allowed
values and meaning from `COMMON` below, the one place for parameters shared by notebooks.
"""

from __future__ import annotations

import ast
import difflib
import json
import re
from dataclasses import dataclass

from aibet.claims.engine import EARLIEST_AS_OF, check_as_of
from aibet.claims.rubric import DEFAULT_TOLERANCE

TYPES = {"int": int, "float": float, "bool": bool, "str": str, "list": list}

_LINE = re.compile(
    r"^(?P<name>[a-z_][a-z0-9_]*)\s*:\s*(?P<type>\w+)\s*=\s*(?P<value>.+?)\s*#\s*(?P<doc>.*)$"
)


PUBLISHED_SUFFIX = " or published"
"""`LO..HI or published`: a number, or 'published' for the figure the source itself used."""


class ParamError(ValueError):
    """A parameter declaration or value that cannot be used; the message says what is allowed."""

    def _render_traceback_(self) -> list[str]:
        # IPython shows these lines instead of a traceback: a notebook run by plain Papermill
        # with a bad value stops with the message alone, as `aibet run` does.
        return [f"ParamError: {self}"]


@dataclass(frozen=True)
class ParamSpec:
    name: str
    type: str
    default: object
    unit: str
    allowed: str
    help: str

    @property
    def choices(self) -> list[str]:
        """The values a `one of …` parameter allows (empty for any other kind)."""
        return _choices(self.allowed) if self.allowed.startswith("one of ") else []

    def coerce(self, raw: object) -> object:
        """Turn a command-line string (or a YAML/JSON value) into this parameter's type."""
        if not isinstance(raw, str):
            return raw
        text = raw.strip()
        if self.type == "int":
            try:
                return int(text)
            except ValueError:
                raise ParamError(f"{self.name} must be a whole number, got {raw!r}") from None
        if self.type == "float":
            try:
                return float(text)
            except ValueError:
                raise ParamError(f"{self.name} must be a number, got {raw!r}") from None
        if self.type == "bool":
            lowered = text.lower()
            if lowered in {"true", "yes", "1", "on"}:
                return True
            if lowered in {"false", "no", "0", "off"}:
                return False
            raise ParamError(f"{self.name} must be true or false, got {raw!r}")
        if self.type == "list":
            if text.startswith("["):
                try:
                    return json.loads(text)
                except (json.JSONDecodeError, RecursionError):  # nested a thousand deep
                    raise ParamError(
                        f"{self.name} must be a JSON list or a, b, c; got {raw!r}"
                    ) from None
            return [item.strip() for item in text.split(",") if item.strip()]
        return text

    def validate(self, value: object) -> object:
        """Return the value coerced and checked against the declared type and allowed values."""
        if self.allowed.endswith(PUBLISHED_SUFFIX):
            return self._number_or_published(value)
        value = self.coerce(value)
        expected = TYPES[self.type]
        if self.type == "float" and isinstance(value, int) and not isinstance(value, bool):
            value = float(value)
        if isinstance(value, bool) and self.type != "bool" or not isinstance(value, expected):
            raise ParamError(
                f"{self.name} must be of type {self.type}, got {type(value).__name__} {value!r}"
            )
        allowed = self.allowed
        if ".." in allowed and self.type in {"int", "float"}:
            lo_text, hi_text = allowed.split("..")
            lo, hi = float(lo_text), float(hi_text)
            if not lo <= value <= hi:
                raise ParamError(
                    f"{self.name}={value!r} is out of range: allowed {allowed} ({self.unit})"
                )
        elif allowed.startswith("one of "):
            choices = _choices(allowed)
            if value not in choices:
                raise ParamError(
                    f"{self.name}={value!r} is not allowed: choose one of {', '.join(choices)}"
                    + _did_you_mean(str(value), choices)
                )
        elif allowed.startswith("subset of "):
            choices = _choices(allowed)
            if not value:
                raise ParamError(f"{self.name} must name at least one of {', '.join(choices)}")
            for item in value:
                if item not in choices:
                    raise ParamError(
                        f"{self.name}: {item!r} is not allowed: choose from {', '.join(choices)}"
                        + _did_you_mean(str(item), choices)
                    )
            if len(set(value)) != len(value):
                raise ParamError(f"{self.name} lists an item twice: {value!r}")
        elif allowed == "date or latest":
            if value != "latest":
                try:
                    value = check_as_of(value)
                except ValueError as error:
                    raise ParamError(str(error)) from None
        elif allowed != "any":
            raise ParamError(f"{self.name}: cannot read what is allowed: {allowed!r}")
        return value

    def series(self, text: str) -> list:
        """The values a sweep takes, each validated: `LO..HI[:STEPS]` for a number (every whole
        number for an int with no STEPS, else STEPS evenly spaced, 11 by default) or a list of
        values, separated by `;` for a list parameter and by `,` otherwise."""
        low, dots, rest = text.partition("..")
        if dots and self.type in {"int", "float"}:
            high, _, steps_text = rest.partition(":")
            try:
                lo, hi = float(low), float(high)
                steps = int(steps_text) if steps_text else None
            except ValueError:
                raise ParamError(
                    f"{self.name}: write LO..HI or LO..HI:STEPS (e.g. 0.05..0.3:6), got {text!r}"
                ) from None
            if hi < lo or (steps is not None and not 2 <= steps <= 1000):
                raise ParamError(f"{self.name}: need LO <= HI and 2..1000 steps, got {text!r}")
            if self.type == "int" and steps is None:
                raw = list(range(int(lo), int(hi) + 1))
            else:
                count = steps or 11
                raw = [lo + (hi - lo) * i / (count - 1) for i in range(count)]
                raw = [round(v) if self.type == "int" else round(v, 10) for v in raw]
        else:
            raw = [v.strip() for v in text.split(";" if self.type == "list" else ",")]
        values = [self.validate(v) for v in raw if v != ""]
        unique = [v for i, v in enumerate(values) if v not in values[:i]]
        if not unique:
            raise ParamError(f"{self.name}: no value to sweep in {text!r}")
        return unique

    def _number_or_published(self, value: object) -> object:
        """`LO..HI or published`: a number in range, or the source's own figure from the data."""
        if value == "published":
            return value
        span = self.allowed.removesuffix(PUBLISHED_SUFFIX)
        try:
            number = float(value)  # type: ignore[arg-type]
        except (TypeError, ValueError):
            raise ParamError(
                f"{self.name} must be a number in {span} or 'published', got {value!r}"
            ) from None
        lo, hi = (float(x) for x in span.split(".."))
        if isinstance(value, bool) or not lo <= number <= hi:
            raise ParamError(
                f"{self.name}={value!r} is out of range: allowed {self.allowed} ({self.unit})"
            )
        return number


def _choices(allowed: str) -> list[str]:
    return [c.strip() for c in allowed.split(" of ", 1)[1].split(",")]


def _did_you_mean(word: str, options: list[str]) -> str:
    close = difflib.get_close_matches(word, options, n=1, cutoff=0.6)
    return f" (did you mean {close[0]!r}?)" if close else ""


COMMON = {
    "as_of": (
        "date",
        "date or latest",
        f"use only figures published on or before this date ({EARLIEST_AS_OF} to today)",
    ),
    "price_base_year": ("year", "1956..2025", "express dollars in this year's prices"),
    "deflator": ("-", "one of cpi_u", "price index used to convert dollars between years"),
    "tolerance": ("share", "0.01..0.5", "relative tolerance of a numeric verdict (see Methods)"),
}
"""Unit, allowed values and meaning of the parameters that several notebooks share."""

COMMON_DEFAULTS = {
    "as_of": "latest",
    "price_base_year": 2025,
    "deflator": "cpi_u",
    "tolerance": DEFAULT_TOLERANCE,
}


def parse_parameters_cell(source: str, where: str = "parameters cell") -> dict[str, ParamSpec]:
    """Read the declarations of a parameters cell; raise ParamError naming the bad line."""
    specs: dict[str, ParamSpec] = {}
    for number, line in enumerate(source.splitlines(), start=1):
        stripped = line.strip()
        if not stripped or stripped.startswith("#"):
            continue
        match = _LINE.match(stripped)
        if not match:
            raise ParamError(
                f"{where}, line {number}: expected `name: type = literal  # unit | allowed | meaning`,"
                f" got {stripped!r}"
            )
        name, type_name = match["name"], match["type"]
        if type_name not in TYPES:
            raise ParamError(f"{where}, line {number}: unknown type {type_name!r} for {name}")
        try:
            default = ast.literal_eval(match["value"])
        except (ValueError, SyntaxError):
            raise ParamError(
                f"{where}, line {number}: the default of {name} must be a literal"
                f" (derived values belong in the next cell), got {match['value']!r}"
            ) from None
        doc = match["doc"].strip()
        if doc == "common":
            if name not in COMMON:
                raise ParamError(f"{where}, line {number}: {name} is not a common parameter")
            unit, allowed, meaning = COMMON[name]
            if default != COMMON_DEFAULTS[name]:
                raise ParamError(
                    f"{where}, line {number}: common parameter {name} must default to"
                    f" {COMMON_DEFAULTS[name]!r}"
                )
        else:
            parts = [p.strip() for p in doc.split("|")]
            if len(parts) != 3:
                raise ParamError(
                    f"{where}, line {number}: the comment of {name} needs `unit | allowed | meaning`"
                )
            unit, allowed, meaning = parts
        spec = ParamSpec(name, type_name, default, unit, allowed, meaning)
        spec.validate(default)
        specs[name] = spec
    return specs


def resolve(specs: dict[str, ParamSpec], overrides: dict[str, object], notebook: str) -> dict:
    """Defaults updated by overrides, each validated; unknown names get a 'did you mean'."""
    values = {name: spec.default for name, spec in specs.items()}
    for name, raw in overrides.items():
        if name not in specs:
            hint = _did_you_mean(name, list(specs))
            raise ParamError(
                f"{notebook} has no parameter {name!r}{hint}; its parameters are: {', '.join(specs)}"
            )
        try:
            values[name] = specs[name].validate(raw)
        except ParamError as error:  # say which notebook: a build validates them all
            raise ParamError(f"{notebook}: {error}") from None
    return values
