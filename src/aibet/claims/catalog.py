"""Every claim of the book, in reading order, and what is computed from all of them: the ledger
(each claim as known at publication and with the latest data) and the verdict timeline."""

from __future__ import annotations

import math
import multiprocessing
import os
from concurrent.futures import ProcessPoolExecutor

import pandas as pd

from aibet import PUBLICATION_DATE, end_with_parent

# Importing a chapter's module registers its claims (hence the names never used here).
from aibet.claims import engine, financing, history, investment, local, shortfall  # noqa: F401
from aibet.data.evidence import Evidence, Store, iso_date

CHAPTERS = (
    "investment-scale",
    "revenue-shortfall",
    "debt-and-financing",
    "historical-bubbles",
    "ellendale",
)
FIGURE_TABLES = (
    "capex",
    "plans",
    "interstate",
    "revenue_chains",
    "company_revenue",
    "ai_revenue",
    "useful_lives",
    "balance_sheets",
    "coreweave_flows",
    "financing_events",
    "manias",
    "gdp",
    "ellendale",
)
"""The tables of dated figures: the newest row among them is 'the latest data'."""


def claims(chapter: str | None = None) -> list[engine.Claim]:
    """The registered claims in reading order (chapter order, then as declared)."""
    chosen = [c for c in engine.REGISTRY.values() if chapter in (None, c.chapter)]
    return sorted(chosen, key=lambda c: CHAPTERS.index(c.chapter))


LATEST_ENV = "AIBET_LATEST_DATE"
"""Set by the notebook runner to the date 'latest' means for the whole book, so that a chapter
reads only the tables it declares and still agrees with the ledger on that date."""


def latest_date(store: Store | None = None) -> str:
    """The publication date of the newest figure in `data/`: what 'latest' means."""
    store = store or Store.default()
    if not store.handmade and os.environ.get(LATEST_ENV):
        return os.environ[LATEST_ENV]
    return store.latest_published(FIGURE_TABLES)


def resolve_as_of(as_of: str, store: Store | None = None) -> str:
    """'latest' as the date of the newest figure; any other value checked against the range."""
    return latest_date(store) if as_of == "latest" else engine.check_as_of(as_of)


def _number(value):
    return None if value is None else round(float(value), 6)


def record(at_publication: engine.Judgement, latest: engine.Judgement) -> dict:
    """One ledger row (contract: CLAIMS.md) from a claim judged on the two dates."""
    claim = latest.claim
    for judged in (at_publication, latest):
        for name in ("value", "robustness", "evidence_grade"):
            number = getattr(judged, name)
            if number is not None and not math.isfinite(number):
                raise engine.ClaimError(f"{claim.id}: {name} is {number} on {judged.as_of}")
    return {
        "id": claim.id,
        "chapter": claim.chapter,
        "claim": claim.text,
        "article_value": _number(claim.article_value),
        "unit": claim.unit,
        "comparator": claim.comparator,
        "value_at_publication": _number(at_publication.value),
        "verdict_at_publication": at_publication.verdict,
        "value_latest": _number(latest.value),
        "verdict_latest": latest.verdict,
        "robustness": _number(latest.robustness),
        "reason": latest.reason,
        "sources": sorted(set(at_publication.sources) | set(latest.sources)),
        "latest_data_date": latest.latest_data_date,
        "confidence": latest.confidence,
        "flips_to": latest.flips_to,
        "flips_if": latest.flips_if,
        "evidence_grade": _number(latest.evidence_grade),
        "reason_at_publication": at_publication.reason,
        "as_of": latest.as_of,
    }


class Book:
    """The claims judged with one set of parameters per chapter; Evidence built once per date."""

    def __init__(self, values: dict[str, dict], store: Store | None = None):
        self.values = values
        self.store = store or Store.default()
        self._evidence: dict[str, Evidence] = {}

    def save(self) -> None:
        """Keep what was judged for the next run on the same data and code."""
        if not self.store.handmade:
            self.store.save_memo()

    def evidence(self, as_of: str) -> Evidence:
        # Dates from the CLI and notebooks are range-checked there; the timeline's last
        # month-end may lie a day or two ahead of today.
        day = latest_date(self.store) if as_of == "latest" else iso_date(as_of)
        if day not in self._evidence:
            self._evidence[day] = Evidence(day, self.store)
        return self._evidence[day]

    def judge(self, claim: engine.Claim | str, as_of: str) -> engine.Judgement:
        claim = engine.REGISTRY[claim] if isinstance(claim, str) else claim
        return engine.judge(claim, self.evidence(as_of), self.values.get(claim.chapter, {}))

    def explore(self, claim: engine.Claim | str, as_of: str) -> list[dict]:
        """The claim at every point of its grid of assumptions (see `engine.explore`)."""
        claim = engine.REGISTRY[claim] if isinstance(claim, str) else claim
        return engine.explore(claim, self.evidence(as_of), self.values.get(claim.chapter, {}))

    def record(self, claim: engine.Claim | str, as_of: str = "latest") -> dict:
        """The ledger row of a claim, 'latest' meaning `as_of` (the publication side is fixed)."""
        return record(self.judge(claim, PUBLICATION_DATE), self.judge(claim, as_of))

    def ledger(self, as_of: str = "latest", chapter: str | None = None) -> list[dict]:
        return [self.record(c, as_of) for c in claims(chapter)]

    def verdict_inputs(self) -> pd.DataFrame:
        """Every row a verdict read, at publication, with the latest data and at every date of
        the timeline, once each, with the claims that read it (column `claims`)."""
        days = [PUBLICATION_DATE, "latest", *engine.timeline_dates(latest_date(self.store))]
        frames = [
            self.judge(claim, day).inputs.assign(claims=claim.id)
            for day in days
            for claim in claims()
        ]
        rows = pd.concat(frames, ignore_index=True)
        key = [c for c in rows.columns if c != "claims"]
        return rows.groupby(key, dropna=False, as_index=False)["claims"].agg(
            lambda ids: " ".join(sorted(set(ids)))
        )

    def judged_in_parallel(self, workers: int) -> tuple[list[dict], list[dict]]:
        """The ledger (each claim at its chapter's `as_of`) and the timeline, with the claims
        shared among `workers` processes; what they judge joins this book's memo."""
        chosen = claims()
        if workers < 2 or self.store.handmade:
            return [self.record(c, self._as_of(c)) for c in chosen], self.timeline()
        # One task a claim, each worker taking the next as it finishes: neither waits long,
        # even when one chapter's claims are all there is to judge (a variant). A worker keeps
        # this book, forked with its store, so the claims it judges share sums through the
        # evidence's memo.
        global _FORKED_BOOK
        _FORKED_BOOK = self
        latest_date(self.store), self.store.sources(), self.store.gaps()  # read once, then shared
        context = multiprocessing.get_context("fork")  # the children share the loaded data
        try:
            with ProcessPoolExecutor(
                workers, mp_context=context, initializer=end_with_parent
            ) as pool:
                done = list(pool.map(_judged_part, [c.id for c in chosen]))
        finally:
            _FORKED_BOOK = None
        records, rows = [], []
        for ledger_row, part_rows, memo in done:
            records.append(ledger_row)
            rows += part_rows
            self.store.memo.update(memo)  # a child's lists hold what this memo held, and more
        return records, rows  # in reading order, each claim's dates in order (as `timeline`)

    def _as_of(self, claim: engine.Claim) -> str:
        return self.values.get(claim.chapter, {}).get("as_of", "latest")

    def timeline(self, chapter: str | None = None, claim_id: str | None = None) -> list[dict]:
        """Every claim at every timeline date (contract: CLAIMS.md)."""
        rows = []
        chosen = [c for c in claims(chapter) if claim_id in (None, c.id)]
        for day in engine.timeline_dates(latest_date(self.store)):
            for claim in chosen:
                row = engine.verdict_row(
                    claim, self.evidence(day), self.values.get(claim.chapter, {})
                )
                rows.append(
                    {
                        "id": claim.id,
                        "as_of": day,
                        "value": _number(row.value),
                        "article_value": _number(claim.article_value),
                        "unit": claim.unit,
                        "verdict": row.verdict,
                        "confidence": row.confidence,
                        "reason": row.reason,
                    }
                )
        return sorted(rows, key=lambda r: (claims().index(engine.REGISTRY[r["id"]]), r["as_of"]))


_FORKED_BOOK: Book | None = None
"""The book whose claims the worker processes judge (they inherit it when forked)."""


def _judged_part(claim_id: str) -> tuple[dict, list[dict], dict]:
    """In a worker: one claim's ledger row and timeline rows, and the outcomes judged for it."""
    book = _FORKED_BOOK
    claim = engine.REGISTRY[claim_id]
    rows = book.timeline(claim_id=claim_id)
    ledger_row = book.record(claim, book._as_of(claim))
    memo = {key: entries for key, entries in book.store.memo.items() if key[0] == claim_id}
    return ledger_row, rows, memo
