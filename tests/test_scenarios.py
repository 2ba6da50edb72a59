"""Variant books: scenario files and `-p NOTEBOOK.PARAM=VALUE` build into their own folder with a
banner on every page, and never touch the published book."""

import html
import json
import os
import re

import pytest
from tests.conftest import ROOT, ROOT_BUILDS, run_aibet, run_main

from aibet.build import scenarios
from aibet.claims import notebooks, params
from aibet.present import ledger

DEFAULT_BOOK = ROOT / "_build" / "html"


def test_every_scenario_file_is_valid_and_documented():
    names = scenarios.available(ROOT)
    assert {"bear", "bull"} <= set(names)
    sources = notebooks.discover(ROOT)
    for name in names:
        scenario = scenarios.load(ROOT, name)
        assert scenario.title and len(scenario.description) > 40, name
        for notebook, values in scenario.parameters.items():
            source = notebooks.match(sources, notebook)
            params.resolve(source.specs, values, source.relpath)  # raises on a bad value


@pytest.mark.parametrize(
    "name, message",
    [
        ("../../etc", "is not allowed"),
        ("bear/../../x", "is not allowed"),
        ("Bear", "is not allowed"),
        ("beer", "no scenario 'beer'; the scenarios are: bear, bull"),
    ],
)
def test_bad_scenario_names_are_refused(name, message):
    with pytest.raises(params.ParamError, match=re.escape(message)):
        scenarios.load(ROOT, name)


def test_overrides_parse_and_refuse_malformed_options():
    assert scenarios.parse_overrides(["a.x=1", "a.y=two=2", "a.x=3"]) == {
        "a": {"x": "3", "y": "two=2"}
    }
    for bad in ["a=1", "x", ".x=1", "a.=1"]:
        with pytest.raises(params.ParamError, match="NOTEBOOK.PARAM=VALUE"):
            scenarios.parse_overrides([bad])


def test_banner_escapes_everything():
    scenario = scenarios.Scenario("x", "<b>Title</b>", "a <script>alert(1)</script> case", {})
    html = scenarios.banner_html(scenario, [("nb", "p<", "<img src=x>", "d")])
    assert "<script>" not in html and "<img" not in html and "<b>" not in html
    assert "&lt;script&gt;" in html and "&lt;img src=x&gt;" in html


def test_bad_build_options_exit_2_and_change_nothing(site):
    before = os.readlink(DEFAULT_BOOK)
    cases = [
        (["--scenario", "../outside"], "is not allowed"),
        (["--scenario", "beer"], "no scenario 'beer'"),
        (["-p", "revenue-shortfall.useful_life_years=40"], "out of range"),
        (["-p", "revenue-shortfal.useful_life_years=4"], "no notebook 'revenue-shortfal'"),
        (["-p", "revenue-shortfall.usefull_life_years=4"], "did you mean 'useful_life_years'?"),
        (["-p", "useful_life_years=4"], "NOTEBOOK.PARAM=VALUE"),
    ]
    for args, message in cases:
        code, stderr = run_main("build", *args)
        assert code == 2, (args, stderr)
        assert message in stderr, (args, stderr)
    assert os.readlink(DEFAULT_BOOK) == before
    assert not (ROOT / "outside").exists()


@pytest.mark.slow
@ROOT_BUILDS
def test_a_scenario_builds_its_own_book_with_a_banner_on_every_page(site):
    published = {p: p.read_bytes() for p in sorted(DEFAULT_BOOK.rglob("*.html"))}
    link = os.readlink(DEFAULT_BOOK)
    result = run_aibet("build", "--scenario", "bear", "-p", "revenue-shortfall.useful_life_years=4")
    assert result.returncode == 0, result.stderr
    variant = "bear+revenue-shortfall.useful_life_years=4.0"  # says what it is
    folder = ROOT / "_build" / "variants" / variant
    pages = sorted((folder / "html").rglob("*.html"))
    # Skip the theme's template fragments and the root redirect (it has no content to label).
    content = [p for p in pages if "_static" not in p.parts and p != folder / "html" / "index.html"]
    assert len(content) >= 4
    bear = scenarios.load(ROOT, "bear")
    expected = dict(bear.parameters["revenue-shortfall"], useful_life_years=4)
    for page in content:
        text = page.read_text()
        assert 'class="aibet-variant"' in text, page
        assert "Bear case" in text, page
        for name in expected:
            assert f"revenue-shortfall.{name}" in text, (page, name)  # every non-default one
    intro = (folder / "html" / "book" / "intro.html").read_text()
    assert "useful_life_years</code> = <code>4.0</code>" in intro  # -p wins over the scenario
    # The chapter's "Rerun this chapter" box shows the values the variant was built with.
    chapter = folder / "html" / "book" / "_generated" / "notebooks" / "02-revenue-shortfall.html"
    shown = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", chapter.read_text()))
    default = notebooks.find(ROOT, "revenue-shortfall").specs["useful_life_years"].default
    assert f"useful_life_years 4.0 (default {default})" in shown
    # The banner lists what moved against the published ledger, as `aibet diff NAME` does.
    compared = run_aibet("diff", variant)
    moved = compared.stdout.splitlines()
    assert moved and compared.returncode == 1, compared.stderr
    assert all(html.escape(line) in intro for line in moved)
    records = json.loads(run_aibet("claims", "--variant", variant, "--format", "json").stdout)
    assert ledger.diff(ledger.read_lock(ROOT), records) == moved
    # Every chart download a variant page links to is there (a reused notebook brings its own).
    for page in content:
        for href in re.findall(r'href="([^"]+\.(?:csv|svg|png))"', page.read_text()):
            assert (page.parent / href).resolve().exists(), (page, href)
    # The published book is untouched: same link, same bytes, no banner.
    assert os.readlink(DEFAULT_BOOK) == link
    assert {p: p.read_bytes() for p in sorted(DEFAULT_BOOK.rglob("*.html"))} == published
    assert "aibet-variant" not in (DEFAULT_BOOK / "book" / "intro.html").read_text()
