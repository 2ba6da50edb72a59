import pytest
from tests.conftest import ROOT, assert_reported, edit_csv

from aibet import data


def test_the_data_package_is_valid():
    import yaml

    parse = yaml.safe_load
    assert [str(issue) for issue in data.check(ROOT)] == []
    assert yaml.safe_load is parse  # the check lends frictionless a faster parser, then returns it


def test_every_figure_names_a_source_a_locator_and_a_date():
    for name, path in data.resource_paths(ROOT).items():
        if path.parent.name != "figures":
            continue
        frame = data.load(name, ROOT)
        assert (frame["locator"].str.len() > 0).all(), name
        assert (frame["published"].str.len() == 10).all(), name


def _set(column, value, row=1):
    def change(rows):
        rows[row][rows[0].index(column)] = value

    return change


def _drop_column(column):
    def change(rows):
        index = rows[0].index(column)
        for row in rows:
            del row[index]

    return change


def _duplicate_row(rows):
    rows.append(list(rows[1]))


@pytest.mark.parametrize(
    ("relpath", "change", "row", "column", "words"),
    [
        ("figures/capex.csv", _set("value", "abc"), 2, "value", "not a valid value"),
        ("figures/capex.csv", _set("source_id", "nowhere"), 2, "source_id", "add the source"),
        ("figures/plans.csv", _set("published", "2025-13-01"), 2, "published", "not a valid value"),
        ("figures/interstate.csv", _duplicate_row, 5, None, "duplicate key"),
        ("series/cpi_u.csv", _drop_column("value"), None, "value", "missing"),
    ],
)
def test_broken_rows_are_reported_with_file_row_and_column(
    data_copy, relpath, change, row, column, words
):
    edit_csv(data_copy, relpath, change)
    messages = [str(issue) for issue in data.check(data_copy)]
    assert messages, "the broken copy passed validation"
    expected_place = f"data/{relpath}"
    if row is not None:
        expected_place += f", row {row}"
    matching = [m for m in messages if m.startswith(expected_place)]
    assert matching, messages
    if column:
        assert any(f"column '{column}'" in m for m in matching), matching
    assert any(words in m for m in matching), matching


def test_conflicting_values_for_one_figure_on_one_day_are_reported(data_copy):
    def conflict(rows):
        clone = list(rows[1])
        clone[rows[0].index("source_id")] = rows[2][rows[0].index("source_id")]
        clone[rows[0].index("value")] = "999"
        rows.append(clone)

    edit_csv(data_copy, "figures/capex.csv", conflict)
    assert_reported(data_copy, ("data/figures/capex.csv", "conflicts with row 2"))


def test_a_total_that_is_not_the_sum_of_its_parts_is_reported(data_copy):
    """Debt is summed from its current and non-current parts; a total beside them must agree."""
    added = {}

    def add_total(rows):
        header = rows[0]
        col = {name: header.index(name) for name in ("entity", "metric", "period", "value")}
        totals = {
            (r[col["entity"]], r[col["period"]])
            for r in rows[1:]
            if r[col["metric"]] == "debt_total"
        }
        part = next(
            r
            for r in rows[1:]
            if r[col["metric"]] == "debt_current"
            and (r[col["entity"]], r[col["period"]]) not in totals
        )
        total = list(part)
        total[col["metric"]], total[col["value"]] = "debt_total", "999"
        rows.append(total)
        added["row"] = len(rows)

    edit_csv(data_copy, "figures/balance_sheets.csv", add_total)
    where = f"data/figures/balance_sheets.csv, row {added['row']}, column 'value'"
    assert_reported(data_copy, (where, "not the sum of its parts"))


def test_a_source_no_figure_cites_is_reported(data_copy):
    def add_stray(rows):
        stray = list(rows[1])
        stray[rows[0].index("source_id")] = "stray_document"
        rows.append(stray)

    edit_csv(data_copy, "sources.csv", add_stray)
    assert_reported(data_copy, ("data/sources.csv, row", "stray_document is cited by no figure"))


def test_a_gap_the_data_now_fills_is_reported(data_copy):
    capex = data.load("capex", data_copy).iloc[0]

    def add_gap(rows):
        rows.append(
            [
                "capex",
                capex.entity,
                capex.metric,
                capex.period,
                "a figure",
                "2025-01-01",
                "why",
                "where",
                "2026-11-29",
            ]
        )

    edit_csv(data_copy, "gaps.csv", add_gap)
    assert_reported(data_copy, ("data/gaps.csv, row", "now holds this figure: remove the gap"))


def test_the_filing_deadline_bounds_the_date_of_an_undated_filing():
    assert data.filing_deadline("2023-05-31", 12) == "2023-07-30"  # a 10-K: 60 days
    assert data.filing_deadline("2019-12-31", 12) == "2020-02-29"  # leap years count
    assert data.filing_deadline("2024-06-30", 3) == "2024-08-09"  # a 10-Q: 40 days


def test_a_figure_dated_after_its_document_is_reported(data_copy):
    sources = data.load("sources", data_copy).set_index("source_id")
    capex = data.load("capex", data_copy)
    dated = capex["source_id"].map(sources["date_published"]).ne("")
    line = int(dated.to_numpy().argmax())  # the first row whose document shows its date
    edit_csv(data_copy, "figures/capex.csv", _set("published", "2099-01-01", row=line + 1))
    where = f"data/figures/capex.csv, row {line + 2}, column 'published'"
    assert_reported(data_copy, (where, "2099-01-01 should be"))


def test_a_kept_grade_c_row_that_is_no_longer_grade_c_is_reported(data_copy):
    sources = data.load("sources", data_copy).set_index("source_id")
    capex = data.load("capex", data_copy)
    graded_a = capex[capex["source_id"].map(sources["grade"]) == "A"].iloc[0]

    def keep(rows):
        rows.append(
            [
                "capex",
                graded_a.entity,
                graded_a.metric,
                graded_a.period,
                graded_a.source_id,
                "a figure",
                "why",
            ]
        )
        rows.append(["capex", "nobody", "capex_purchases_ppe", "FY2024", "nowhere", "a", "why"])

    edit_csv(data_copy, "grade_c_kept.csv", keep)
    assert_reported(
        data_copy,
        ("data/grade_c_kept.csv, row", f"{graded_a.source_id} is graded A, not C: remove the line"),
        ("data/grade_c_kept.csv, row", "no figure row matches it: remove the line"),
    )


def test_a_file_saved_by_a_spreadsheet_loads_the_same(data_copy):
    """Excel's "CSV UTF-8" starts with a byte-order mark and ends lines with CR LF."""
    path = data_copy / "data" / "figures" / "capex.csv"
    path.write_bytes(b"\xef\xbb\xbf" + path.read_text().replace("\n", "\r\n").encode())
    assert [str(issue) for issue in data.check(data_copy)] == []
    assert data.load("capex", data_copy).equals(data.load("capex", ROOT))


def test_a_file_with_a_header_and_no_rows_is_reported(data_copy):
    path = data_copy / "data" / "figures" / "plans.csv"
    path.write_text(path.read_text().splitlines()[0] + "\n")
    assert_reported(data_copy, ("data/figures/plans.csv", "no rows"))


def test_an_amount_in_millions_is_read_in_billions(data_copy):
    """A capex row entered in USD m was once counted as billions (INV-1 became $70,345 bn)."""
    before = data.load("capex", ROOT).iloc[0]
    edit_csv(data_copy, "figures/capex.csv", _set("unit", "USD m"))
    edit_csv(data_copy, "figures/capex.csv", _set("value", f"{before['value'] * 1000:.3f}"))
    assert [str(issue) for issue in data.check(data_copy)] == []
    after = data.load("capex", data_copy).iloc[0]
    assert after["unit"] == "USD bn" and after["value"] == pytest.approx(before["value"])


@pytest.mark.parametrize(
    ("relpath", "change", "column", "words"),
    [
        ("figures/capex.csv", _set("unit", "EUR bn"), "unit", "write USD bn"),
        ("figures/capex.csv", _set("value", "-12.5"), "value", "cannot be negative"),
        ("figures/capex.csv", _set("value", "91450"), "value", "if the figure is in millions"),
        ("figures/plans.csv", _set("published", "2999-01-01"), "published", "later than today"),
    ],
)
def test_a_wrong_unit_sign_or_date_is_reported_where_it_is(
    data_copy, relpath, change, column, words
):
    edit_csv(data_copy, relpath, change)
    assert_reported(data_copy, (f"data/{relpath}, row 2, column '{column}'", words))
