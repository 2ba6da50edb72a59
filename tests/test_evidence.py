"""The evidence known on a date: the one date rule, restatements, gaps and what is recorded."""

import pandas as pd
import pytest

from aibet.data.evidence import (
    Evidence,
    LeftOut,
    MissingFigure,
    NotYetPublic,
    Store,
    series_published,
)


def _row(entity, metric, period, value, published, source="s1"):
    return {
        "entity": entity,
        "metric": metric,
        "period": period,
        "period_end": f"{period[2:6]}-12-31",
        "period_months": 12,
        "value": value,
        "unit": "USD bn",
        "source_id": source,
        "published": published,
    }


@pytest.fixture
def store():
    capex = pd.DataFrame(
        [
            _row("acme", "capex", "FY2024", 10.0, "2025-02-01", "acme_10k"),
            _row("acme", "capex", "FY2024", 11.0, "2025-08-01", "acme_restated"),  # restatement
            _row("acme", "capex", "FY2025", 14.0, "2026-02-01", "acme_10k_2025"),
        ]
    )
    cpi = pd.DataFrame({"year": [2023, 2024, 2025], "value": [300.0, 310.0, 320.0]}).assign(
        source_id="bls"
    )
    return Store.of({"capex": capex, "cpi_u": cpi})


def test_only_rows_published_on_or_before_the_date_count(store):
    assert Evidence("2025-01-31", store).rows("capex").empty
    assert Evidence("2025-02-01", store).value("capex", entity="acme", period="FY2024") == 10.0


def test_the_latest_restatement_by_the_date_wins(store):
    assert Evidence("2025-07-31", store).value("capex", period="FY2024") == 10.0
    assert Evidence("2025-08-01", store).value("capex", period="FY2024") == 11.0
    later = Evidence("2026-03-01", store).rows("capex", entity="acme")
    assert sorted(later["value"]) == [11.0, 14.0]


def test_a_figure_not_yet_public_says_when_it_became_public(store):
    with pytest.raises(NotYetPublic) as caught:
        Evidence("2025-12-31", store).require("capex", "Acme's 2025 capex", period="FY2025")
    assert caught.value.first_public == "2026-02-01"
    assert "Acme's 2025 capex was not yet public on 2025-12-31" in str(caught.value)


def test_a_figure_absent_from_the_data_is_a_bug_named_in_the_error(store):
    with pytest.raises(MissingFigure, match="capex \\[period=FY2030\\]"):
        Evidence("2026-03-01", store).require("capex", period="FY2030")


def test_lists_match_any_of_their_values(store):
    ev = Evidence("2026-03-01", store)
    assert len(ev.rows("capex", period=["FY2024", "FY2025"])) == 2


def test_a_year_of_an_annual_series_counts_from_the_end_of_the_next_january(store):
    assert series_published(2024) == "2025-01-31"
    assert list(Evidence("2025-01-30", store).series("cpi_u").index) == [2023]
    assert list(Evidence("2025-01-31", store).series("cpi_u").index) == [2023, 2024]


def test_every_row_handed_out_is_recorded_once_with_its_source(store):
    ev = Evidence("2026-03-01", store)
    ev.begin()
    ev.rows("capex", period="FY2024")
    ev.rows("capex", period="FY2024")
    ev.series("cpi_u")
    touched, reads = ev.end()
    assert touched == {("capex", (("period", "FY2024"),)), ("cpi_u", ())}
    inputs = store.inputs(reads)
    assert sorted(inputs["source_id"]) == ["acme_restated", "bls", "bls", "bls"]
    assert store.source_ids(reads) == list(inputs["source_id"])  # the timeline's grade check


def test_two_dates_with_the_same_rows_known_have_the_same_version(store):
    touched = frozenset({("capex", (("entity", "acme"),))})
    assert Evidence("2025-03-01", store).version(touched) == Evidence("2025-07-31", store).version(
        touched
    )
    assert Evidence("2025-03-01", store).version(touched) != Evidence("2025-08-01", store).version(
        touched
    )


def test_a_test_of_the_date_counts_by_its_answer_not_by_the_date(store):
    """`reached` makes what a claim read depend on the answer alone: every date before the
    day shares one version, every date from it on another."""
    asked = {}
    for day in ["2025-01-31", "2025-06-30", "2025-12-31", "2026-01-01", "2026-06-30"]:
        ev = Evidence(day, store)
        ev.begin()
        answer = ev.reached("2026-01-01")
        touched, _ = ev.end()
        asked[day] = (answer, ev.version(touched))
    assert [answer for answer, _ in asked.values()] == [False, False, False, True, True]
    assert len({version for _, version in asked.values()}) == 2


def test_a_date_that_is_not_a_date_is_refused(store):
    with pytest.raises(ValueError, match="not a date"):
        Evidence("2025-13-01", store)


def test_versions_and_estimates_keep_what_rows_collapses(store):
    ev = Evidence("2026-03-01", store)
    assert list(ev.versions("capex", period="FY2024")["value"]) == [10.0, 11.0]  # oldest first
    assert sorted(ev.estimates("capex", period="FY2024")["source_id"]) == [
        "acme_10k",
        "acme_restated",
    ]
    assert list(Evidence("2025-03-01", store).versions("capex", period="FY2024")["value"]) == [10.0]


def test_a_memo_replays_what_its_computation_read(store):
    ev = Evidence("2026-03-01", store)
    ev.begin()
    first = ev.memo(("total",), lambda: ev.rows("capex")["value"].sum())
    ev.end()
    ev.begin()
    again = ev.memo(("total",), lambda: pytest.fail("computed twice"))
    touched, reads = ev.end()
    assert first == again == 25.0
    assert touched == {("capex", ())}
    assert sorted(store.inputs(reads)["source_id"]) == ["acme_10k_2025", "acme_restated"]


def test_a_figure_left_out_for_want_of_a_citable_source_says_why():
    gaps = pd.DataFrame(
        [
            {
                "table": "capex",
                "entity": "acme",
                "metric": "capex",
                "period": "",  # every period
                "what": "Acme's capex",
                "published": "2025-02-01",
                "reason": "only a forum copy of the filing carries it.",  # the stop is dropped
                "searched": "the filing, the company's site",
                "noted": "2026-11-29",
            }
        ]
    )
    capex = pd.DataFrame(
        [
            _row("other", "capex", "FY2024", 1.0, "2025-02-01"),
            _row("acme", "capex", "FY2025", 2.0, "2026-02-01"),  # citable, but a year later
        ]
    )
    store = Store.of({"capex": capex}, gaps=gaps)
    with pytest.raises(LeftOut, match="Acme's 2024 capex is left out: only a forum copy.*it$"):
        Evidence("2026-03-01", store).require(
            "capex", "Acme's 2024 capex", entity="acme", period="FY2024"
        )
    with pytest.raises(LeftOut):  # left out on its own date, though a later figure exists
        Evidence("2025-06-30", store).require("capex", "Acme's capex", entity="acme")
    with pytest.raises(NotYetPublic) as early:  # before the left-out figure was public
        Evidence("2025-01-15", store).require("capex", "Acme's capex", entity="acme")
    assert early.value.first_public == "2025-02-01"
    with pytest.raises(MissingFigure):  # a gap covers only what it names
        Evidence("2026-03-01", store).require("capex", "Zeta's capex", entity="zeta")


def test_each_claims_kept_outcomes_are_read_only_when_that_claim_is_judged(tmp_path):
    """A notebook judges its own chapter's claims: it reads their outcomes, not every claim's.
    Outcomes kept for other data are removed when new ones are kept."""
    (tmp_path / "data").mkdir()
    (tmp_path / "data" / "capex.csv").write_text("value\n1\n")
    first = Store(tmp_path)
    first.memo = {("INV-1", ()): ["inv"], ("REV-6", ()): ["rev"]}
    first.save_memo()
    kept = first.memo_path()
    assert sorted(p.name for p in kept.iterdir()) == ["INV-1.pickle", "REV-6.pickle"]

    later = Store.default(tmp_path)
    assert later.outcomes("INV-1") == {("INV-1", ()): ["inv"]}  # REV-6's file is not read
    assert later.memo == {("INV-1", ()): ["inv"], ("REV-6", ()): ["rev"]}

    (tmp_path / "data" / "capex.csv").write_text("value\n2\n")  # other data: start afresh
    changed = Store(tmp_path)
    changed.memo = {("INV-1", ()): ["new"]}
    changed.save_memo()
    assert not kept.exists() and changed.memo_path().exists()
