"""The ledger and the verdict timeline as files (JSON, CSV), and the committed lock that makes
every change of a verdict or a value a reviewed diff."""

from __future__ import annotations

import csv
import io
import json
import math
from pathlib import Path

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
    "latest_data_date",
    "confidence",
    "flips_to",
    "flips_if",
    "evidence_grade",
    "reason_at_publication",
    "as_of",
)
"""The ledger's columns (contract: CLAIMS.md), in order."""
TIMELINE_FIELDS = (
    "id",
    "as_of",
    "value",
    "article_value",
    "unit",
    "verdict",
    "confidence",
    "reason",
)
LOCK = Path("ledger.lock.json")
"""The committed ledger (both verdicts and values of every claim), at the project's root."""
LOCKED = (
    "value_at_publication",
    "verdict_at_publication",
    "value_latest",
    "verdict_latest",
    "confidence",
)
"""What the lock pins per claim: a change in any of these fails the tests until relocked."""


def _finite(rows: list[dict]) -> None:
    for row in rows:
        for key, value in row.items():
            if isinstance(value, float) and not math.isfinite(value):
                raise ValueError(f"{row.get('id')}: {key} is {value}; the ledger holds no NaN")


def to_json(rows: list[dict], fields=LEDGER_FIELDS) -> str:
    _finite(rows)
    ordered = [{key: row.get(key) for key in fields} for row in rows]
    return json.dumps(ordered, ensure_ascii=False, indent=2, allow_nan=False) + "\n"


def to_csv(rows: list[dict], fields=LEDGER_FIELDS) -> str:
    _finite(rows)
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=fields, lineterminator="\n")
    writer.writeheader()
    for row in rows:
        cells = {key: row.get(key) for key in fields}
        if isinstance(cells.get("sources"), list):
            cells["sources"] = ";".join(cells["sources"])
        writer.writerow({k: "" if v is None else v for k, v in cells.items()})
    return buffer.getvalue()


def lock_text(rows: list[dict]) -> str:
    """The lock file's text: per claim, the pinned fields."""
    return to_json(rows, ("id", *LOCKED))


def read_lock(root: Path) -> list[dict]:
    path = root / LOCK
    if not path.exists():
        raise FileNotFoundError(f"no {LOCK} yet: write it with `aibet lock`")
    return json.loads(path.read_text())


def _shown(value) -> str:
    return "null" if value is None else str(value)


def diff(old: list[dict], new: list[dict]) -> list[str]:
    """One readable line per change: 'INV-2 verdict_latest: roughly right → accurate'."""
    before = {row["id"]: row for row in old}
    after = {row["id"]: row for row in new}
    lines = []
    for claim_id in [*before, *(i for i in after if i not in before)]:
        if claim_id not in after:
            lines.append(f"{claim_id}: removed")
            continue
        if claim_id not in before:
            lines.append(f"{claim_id}: new claim")
            continue
        for field in LOCKED:
            was, now = before[claim_id].get(field), after[claim_id].get(field)
            if was != now:
                lines.append(f"{claim_id} {field}: {_shown(was)} → {_shown(now)}")
    return lines
