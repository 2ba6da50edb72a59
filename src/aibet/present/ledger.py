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


def field_schemas() -> dict[str, dict]:
    """Each column of the ledger and the timeline as a Table Schema field (the downloads'
    data package, see `publishing.results_package`)."""
    from aibet import PUBLICATION_DATE
    from aibet.claims.rubric import COMPARATORS, CONFIDENCE, VERDICTS

    def text(description, **more):
        return {"type": "string", "description": description, **more}

    def number(description):
        return {"type": "number", "description": description}

    def date(description):
        return {"type": "date", "description": description}

    def verdict(description):
        return text(description, constraints={"enum": list(VERDICTS)})

    confidence = {"enum": list(CONFIDENCE)}
    return {
        "id": text("The claim's id (CLAIMS.md).", constraints={"required": True}),
        "chapter": text("The chapter the claim is checked in."),
        "claim": text("The claim, in short."),
        "article_value": number("The article's figure, in `unit` (empty for a claim in words)."),
        "unit": text("The unit of the values, such as USD bn."),
        "comparator": text(
            "How the article's figure is meant.", constraints={"enum": list(COMPARATORS)}
        ),
        "value_at_publication": number(f"The value with data public on {PUBLICATION_DATE}."),
        "verdict_at_publication": verdict(f"The verdict with data public on {PUBLICATION_DATE}."),
        "value_latest": number("The value with all the data."),
        "verdict_latest": verdict("The verdict with all the data."),
        "robustness": number("Share (0-1) of the assumption grid under which the verdict holds."),
        "reason": text("Why this verdict, in one line."),
        "sources": text("The source ids the verdict read, separated by semicolons."),
        "latest_data_date": date("When the newest figure the latest verdict read became public."),
        "confidence": text("firm, leaning or contested, from robustness.", constraints=confidence),
        "flips_to": verdict("For a verdict that is not firm: the verdict it could become."),
        "flips_if": text("The assumption under which it becomes `flips_to`."),
        "evidence_grade": number("Share (0-1) of the verdict's inputs from grade-A sources."),
        "reason_at_publication": text("Why the verdict at publication."),
        "as_of": date("The date the row is judged at."),
        "value": number("The value as known on `as_of`."),
        "verdict": verdict("The verdict as known on `as_of`."),
    }


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
