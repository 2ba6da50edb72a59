import pytest
from tests.conftest import ROOT

from aibet.claims import notebooks, params

CELL = """
window: int = 3  # years | 1..6 | length of the window
basis: str = "fiscal"  # - | one of fiscal, calendar | which years
who: list = ["a", "b"]  # - | subset of a, b, c | companies
share: float = 0.1  # share | 0.01..0.5 | tolerance
as_of: str = "latest"  # common
"""


def specs():
    return params.parse_parameters_cell(CELL)


def test_defaults_and_coercion_from_command_line_strings():
    values = params.resolve(specs(), {"window": "5", "who": "a, c", "share": "0.2"}, "nb")
    assert values == {
        "window": 5,
        "basis": "fiscal",
        "who": ["a", "c"],
        "share": 0.2,
        "as_of": "latest",
    }


@pytest.mark.parametrize(
    ("overrides", "expected"),
    [
        ({"window": "9"}, "window=9 is out of range: allowed 1..6 (years)"),
        ({"window": "three"}, "window must be a whole number, got 'three'"),
        ({"basis": "calender"}, "did you mean 'calendar'?"),
        ({"who": "a,d"}, "'d' is not allowed: choose from a, b, c"),
        ({"windw": "3"}, "nb has no parameter 'windw' (did you mean 'window'?)"),
        ({"as_of": "2025-13-01"}, "must be a date YYYY-MM-DD or 'latest'"),
        ({"as_of": "20250101"}, "must be a date YYYY-MM-DD or 'latest'"),
        ({"as_of": "2018-12-31"}, "out of range: allowed 2019-01-01 to"),
        ({"as_of": "2999-01-01"}, "out of range: allowed 2019-01-01 to"),
        ({"share": True}, "share must be of type float"),
    ],
)
def test_bad_values_are_rejected_with_what_is_allowed(overrides, expected):
    with pytest.raises(params.ParamError) as error:
        params.resolve(specs(), overrides, "nb")
    assert expected in str(error.value)


def test_derived_value_in_parameters_cell_is_rejected():
    with pytest.raises(params.ParamError, match="must be a literal"):
        params.parse_parameters_cell("x: int = 2 * y  # - | 1..9 | derived")


def test_declaration_without_unit_range_meaning_is_rejected():
    with pytest.raises(params.ParamError, match="unit \\| allowed \\| meaning"):
        params.parse_parameters_cell("x: int = 2  # just a comment")


def test_common_parameter_must_keep_its_shared_default():
    with pytest.raises(params.ParamError, match="must default to 'latest'"):
        params.parse_parameters_cell('as_of: str = "2024-01-01"  # common')


def test_every_notebook_declares_valid_parameters():
    sources = notebooks.discover(ROOT)
    assert sources, "no notebooks found"
    for source in sources:
        assert source.specs, source.name
        for spec in source.specs.values():
            spec.validate(spec.default)


def test_number_or_published():
    [spec] = params.parse_parameters_cell(
        'ratio: str = "published"  # share | 0.05..0.9 or published | capex share of revenue'
    ).values()
    assert spec.validate("published") == "published"
    assert spec.validate("0.3") == pytest.approx(0.3)
    assert spec.validate(0.3) == pytest.approx(0.3)  # from a scenario file
    with pytest.raises(params.ParamError, match="out of range: allowed 0.05..0.9 or published"):
        spec.validate("2")
    with pytest.raises(params.ParamError, match="a number in 0.05..0.9 or 'published'"):
        spec.validate("publish")


def test_a_notebook_validates_the_values_it_is_given():
    """What Papermill injects is checked as the notebook starts: a string 'false' is false, not
    truthy, and a tolerance of 5 stops the notebook instead of judging with it."""
    book, as_of = notebooks.chapter_book(
        "investment-scale", {"include_finance_leases": "false", "window_years": "4"}
    )
    assert book.values["investment-scale"]["include_finance_leases"] is False
    assert book.values["investment-scale"]["window_years"] == 4
    assert as_of != "latest"  # resolved to the newest figure's date
    with pytest.raises(params.ParamError, match="tolerance=5.0 is out of range: allowed 0.01..0.5"):
        notebooks.chapter_book("investment-scale", {"tolerance": 5})


def test_a_sweep_series_is_validated_and_evenly_spaced():
    spec = specs()
    assert spec["window"].series("2..5") == [2, 3, 4, 5]
    assert spec["share"].series("0.1..0.3:3") == [0.1, 0.2, 0.3]
    assert spec["basis"].series("fiscal, calendar") == ["fiscal", "calendar"]
    assert spec["who"].series("a,b; a") == [["a", "b"], ["a"]]
    for text, words in [
        ("0..9", "out of range"),
        ("5..2", "need LO <= HI"),
        ("1..x", "write LO..HI"),
        ("1..3:1", "2..1000 steps"),
    ]:
        with pytest.raises(params.ParamError, match=words):
            spec["window"].series(text)
