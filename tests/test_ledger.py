"""The ledger and the timeline from the engine: the contract, no NaN, every claim at every
date, and the committed lock that turns any change of a verdict or value into a failing test."""

import json
import math

import pandas as pd
import pytest
from tests.conftest import ROOT, run_aibet

from aibet import PUBLICATION_DATE, data
from aibet.claims import catalog, engine, rubric
from aibet.cli import chapter_values
from aibet.present import ledger

IDS = (
    ["INV-1", "INV-2", "INV-3", "INV-4", "INV-5"]
    + ["REV-1", "REV-2", "REV-3", "REV-4", "REV-5", "REV-6"]
    + ["DEBT-1", "DEBT-2", "DEBT-3", "DEBT-4"]
    + ["HIST-1", "HIST-2", "HIST-3", "HIST-4"]
    + ["ELL-1", "ELL-2", "ELL-3"]
)


@pytest.fixture(scope="module")
def book():
    return catalog.Book(chapter_values(ROOT, None))


@pytest.fixture(scope="module")
def records(book):
    return [book.record(claim) for claim in catalog.claims()]


@pytest.fixture(scope="module")
def timeline(book):
    return book.timeline()


def test_the_ledger_follows_the_contract(records):
    assert [r["id"] for r in records] == IDS
    for row in records:
        assert set(ledger.LEDGER_FIELDS) <= set(row)
        assert row["verdict_at_publication"] in rubric.VERDICTS
        assert row["verdict_latest"] in rubric.VERDICTS
        assert row["reason"] and row["sources"], row["id"]
        assert row["confidence"] == rubric.confidence(row["robustness"]), row["id"]
        not_firm = row["confidence"] in ("leaning", "contested")
        assert bool(row["flips_to"]) == not_firm and bool(row["flips_if"]) == not_firm, row["id"]
        for value in row.values():
            assert not (isinstance(value, float) and not math.isfinite(value)), row["id"]
    assert json.loads(ledger.to_json(records))  # strict JSON: no NaN or Infinity


def _verdict_rows_by_grade(book) -> pd.DataFrame:
    grade = data.load("sources", ROOT).set_index("source_id")["grade"]
    rows = book.verdict_inputs()
    return rows.assign(grade=rows["source_id"].map(grade))


def test_every_figure_a_verdict_reads_is_a_or_b_or_a_listed_exception(book, timeline):
    """Issue 14's target: verdicts rest on producers and the press. A grade-C row a verdict
    reads must be listed, with why, in data/grade_c_kept.csv; a listed row no verdict reads any
    more must go. The timeline fixture has judged every claim at every date first."""
    rows = _verdict_rows_by_grade(book)
    assert rows["grade"].isin(["A", "B", "C"]).all()
    weak = rows[rows["grade"] == "C"]
    key = ["table", "entity", "metric", "period", "source_id"]
    read = set(weak[key].itertuples(index=False, name=None))
    listed = set(data.load("grade_c_kept", ROOT)[key].itertuples(index=False, name=None))
    assert read - listed == set(), "grade-C rows a verdict reads, not in data/grade_c_kept.csv"
    assert listed - read == set(), "rows in data/grade_c_kept.csv that no verdict reads"
    assert len(listed) <= 0.02 * len(rows)  # exceptions, not a second rule


def test_the_ledger_matches_the_committed_lock(records):
    changes = ledger.diff(ledger.read_lock(ROOT), records)
    assert not changes, (
        "the ledger differs from ledger.lock.json (review, then run `aibet lock`):\n"
        + "\n".join(changes)
    )


def test_every_claim_at_every_date_of_the_timeline(timeline, records):
    dates = engine.timeline_dates(catalog.latest_date())
    assert {(r["id"], r["as_of"]) for r in timeline} == {(i, d) for i in IDS for d in dates}
    by_key = {(r["id"], r["as_of"]): r for r in timeline}
    # The timeline's rows come from grid points where those settle them, the ledger's from
    # whole judgements: the same verdict, value and words.
    for rec in records:
        at_publication = by_key[(rec["id"], PUBLICATION_DATE)]
        assert at_publication["verdict"] == rec["verdict_at_publication"], rec["id"]
        assert at_publication["value"] == rec["value_at_publication"], rec["id"]
        assert at_publication["reason"] == rec["reason_at_publication"], rec["id"]
        last = by_key[(rec["id"], dates[-1])]
        assert last["verdict"] == rec["verdict_latest"], rec["id"]
        assert last["value"] == rec["value_latest"], rec["id"]
        assert last["reason"] == rec["reason"], rec["id"]
        assert last["confidence"] == rec["confidence"], rec["id"]


@pytest.mark.parametrize("as_of", [engine.EARLIEST_AS_OF, "2021-06-30", "2023-06-30"])
def test_every_claim_evaluates_long_before_the_article(book, as_of):
    for claim in catalog.claims():
        judged = book.judge(claim, as_of)
        assert judged.verdict in rubric.VERDICTS and judged.reason, claim.id


def test_nan_never_reaches_the_ledger_files():
    with pytest.raises(ValueError, match="no NaN"):
        ledger.to_json([{"id": "X", "value_latest": float("nan")}])


def test_diff_names_claim_field_and_both_values():
    old = [{"id": "INV-1", "verdict_latest": "overstated", "value_latest": 724.0}]
    new = [{"id": "INV-1", "verdict_latest": "accurate", "value_latest": 1004.0}]
    assert ledger.diff(old, new) == [
        "INV-1 value_latest: 724.0 → 1004.0",
        "INV-1 verdict_latest: overstated → accurate",
    ]


def test_aibet_diff_prints_the_changes_against_the_lock(project_copy):
    lock = json.loads((project_copy / ledger.LOCK).read_text())
    lock[0]["verdict_latest"] = "accurate" if lock[0]["verdict_latest"] != "accurate" else "context"
    (project_copy / ledger.LOCK).write_text(json.dumps(lock))
    result = run_aibet("diff", cwd=project_copy)
    assert result.returncode == 1
    assert result.stdout.startswith(f"INV-1 verdict_latest: {lock[0]['verdict_latest']} → ")
    assert run_aibet("diff").returncode == 0, "the working tree's ledger differs from its lock"


def test_claims_as_of_a_date_and_out_of_range():
    rows = json.loads(run_aibet("claims", "--as-of", "2025-06-30", "--format", "json").stdout)
    assert {r["as_of"] for r in rows} == {"2025-06-30"}
    bad = run_aibet("claims", "--as-of", "2018-01-01")
    assert bad.returncode == 2 and "allowed 2019-01-01 to" in bad.stderr


def test_the_strip_reads_as_letters_and_as_words():
    from aibet.present.front import strip_html

    rows = [
        {"as_of": "2025-08-31", "verdict": "unsupported"},
        {"as_of": "2025-09-26", "verdict": "overstated"},
        {"as_of": "2025-09-30", "verdict": "overstated"},
        {"as_of": "2026-01-31", "verdict": "accurate"},
    ]
    strip = strip_html(rows)
    assert strip.count("aibet-strip-cell") == 4
    assert ">?</span>" in strip and strip.count(">O</span>") == 2 and ">A</span>" in strip
    assert 'title="26 September 2025: overstated"' in strip
    assert (
        'aria-label="Verdict by date: unsupported Aug 2025; overstated Sep 2025; accurate Jan 2026"'
        in strip
    )


def test_the_scorecard_shows_every_claims_strip_and_confidence(records, timeline):
    from aibet.present.front import scorecard_html

    pages = {c: f"book/{c}.html" for c in catalog.CHAPTERS}
    html = scorecard_html(records, pages, timeline)
    assert html.count('class="aibet-strip"') == len(records)
    for row in records:
        if row["flips_to"]:
            assert f"{row['flips_to']} with {row['flips_if']}" in html.replace("&#x27;", "'")


def test_a_timeline_reads_as_one_sentence():
    from aibet.present.front import timeline_sentence

    steady = [{"as_of": d, "verdict": "overstated"} for d in ("2025-03-31", "2026-08-31")]
    assert timeline_sentence(steady) == (
        "Overstated at every month-end from March 2025 to August 2026."
    )
    moving = [
        {"as_of": "2025-08-31", "verdict": "unsupported"},
        {"as_of": "2025-09-30", "verdict": "overstated"},
        {"as_of": "2025-12-31", "verdict": "overstated"},
        {"as_of": "2026-01-31", "verdict": "roughly right"},
    ]
    assert timeline_sentence(moving) == (
        "Unsupported until August 2025, overstated from September 2025,"
        " roughly right since January 2026."
    )
