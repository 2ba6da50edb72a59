"""Verdicts computed from numbers, claim records, and the ledger the book and the CLI share."""

from __future__ import annotations

import csv
import io
import itertools
import json
from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass, field

import numpy as np

VERDICTS = (
    "accurate",
    "roughly right",
    "overstated",
    "understated",
    "mischaracterized",
    "unsupported",
    "context",
)
COMPARATORS = ("≈", ">", "<")
DEFAULT_TOLERANCE = 0.10
"""Relative tolerance: within it a numeric claim is accurate, within twice it roughly right."""

LEDGER_FIELDS = (
    "id",
    "chapter",
    "claim",
    "article_value",
    "unit",
    "comparator",
    "value_at_publication",
    "verdict_at_publication",
    "value_latest",
    "verdict_latest",
    "robustness",
    "reason",
    "sources",
)
CLAIM_MIME = "application/vnd.aibet.claim+json"


def numeric_verdict(
    value: float, article_value: float, comparator: str, tolerance: float = DEFAULT_TOLERANCE
) -> str:
    """Judge a reproduced value against the article's figure.

    ``≈``: within ``tolerance`` (relative) accurate, within twice that roughly right, otherwise
    overstated when the article's figure is the larger, understated when it is the smaller.
    ``>`` (the article says "more than"): at or above accurate, short by at most ``tolerance``
    roughly right, otherwise overstated. ``<`` mirrors ``>``. NaN (nothing computable) is
    unsupported.
    """
    return str(numeric_verdicts(value, article_value, comparator, tolerance)[()])


def numeric_verdicts(values, article_value: float, comparator: str, tolerance=DEFAULT_TOLERANCE):
    """`numeric_verdict` for a whole array of values at once (the rule lives here)."""
    if comparator not in COMPARATORS:
        raise ValueError(f"comparator must be one of {COMPARATORS}, got {comparator!r}")
    values = np.asarray(values, dtype=float)
    gap = values / article_value - 1
    tol = np.asarray(tolerance, dtype=float)
    if comparator == "≈":
        conditions = [np.abs(gap) <= tol, np.abs(gap) <= 2 * tol, gap < 0]
        labels = ["accurate", "roughly right", "overstated"]
        other = "understated"
    elif comparator == ">":
        conditions, labels, other = (
            [gap >= 0, gap >= -tol],
            ["accurate", "roughly right"],
            "overstated",
        )
    else:
        conditions, labels, other = (
            [gap <= 0, gap <= tol],
            ["accurate", "roughly right"],
            "understated",
        )
    judged = np.select(conditions, labels, default=other)
    return np.where(np.isnan(values), "unsupported", judged)


def share(verdicts, target: str) -> float:
    """Share of an array of verdicts equal to `target` (a vectorised robustness)."""
    verdicts = np.asarray(verdicts)
    return float(np.mean(verdicts == target)) if verdicts.size else float("nan")


def robustness(verdict_at: Callable[..., str], grid: dict[str, Iterable], target: str) -> float:
    """Share of the parameter grid (every combination) under which the verdict is `target`."""
    names = list(grid)
    combos = itertools.product(*(list(grid[n]) for n in names))
    return share([verdict_at(**dict(zip(names, c, strict=True))) for c in combos], target)


@dataclass
class ClaimRecord:
    id: str
    chapter: str
    claim: str
    article_value: float | None
    unit: str | None
    comparator: str | None
    value_at_publication: float | None
    verdict_at_publication: str
    value_latest: float | None
    verdict_latest: str
    robustness: float | None
    reason: str
    sources: list[str] = field(default_factory=list)

    def __post_init__(self):
        for verdict in (self.verdict_at_publication, self.verdict_latest):
            if verdict not in VERDICTS:
                raise ValueError(f"{self.id}: unknown verdict {verdict!r}; use one of {VERDICTS}")
        if self.comparator is not None and self.comparator not in COMPARATORS:
            raise ValueError(f"{self.id}: unknown comparator {self.comparator!r}")
        self.sources = sorted(set(self.sources))
        for name in ("article_value", "value_at_publication", "value_latest", "robustness"):
            number = getattr(self, name)
            if number is not None:
                number = float(number)
                # NaN (nothing computable) is no number: null in the ledger, "—" on the page
                setattr(self, name, None if number != number else round(number, 6))

    def to_dict(self) -> dict:
        return asdict(self)


def emit(record: ClaimRecord):
    """Show a claim record as a cell output the runner collects into the ledger.

    The cell that calls this is tagged `remove-cell`, so the record never shows on the page.
    """
    from IPython.display import display

    display({CLAIM_MIME: record.to_dict(), "text/plain": record.id}, raw=True)


def records_from_notebook(notebook) -> list[dict]:
    """Every claim record emitted by an executed notebook, in order."""
    found = []
    for cell in notebook.cells:
        for output in cell.get("outputs", []):
            data = output.get("data", {})
            if CLAIM_MIME in data:
                found.append(dict(data[CLAIM_MIME]))
    return found


def ledger_json(records: list[dict]) -> str:
    rows = [{key: rec.get(key) for key in LEDGER_FIELDS} for rec in records]
    return json.dumps(rows, ensure_ascii=False, indent=2) + "\n"


def ledger_csv(records: list[dict]) -> str:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=LEDGER_FIELDS, lineterminator="\n")
    writer.writeheader()
    for rec in records:
        row = {key: rec.get(key) for key in LEDGER_FIELDS}
        row["sources"] = ";".join(rec.get("sources") or [])
        writer.writerow({k: "" if v is None else v for k, v in row.items()})
    return buffer.getvalue()
