"""Source grades (VERDICTS.md rule 6): the host rule, the data check that enforces it, and the
targets the book's data must meet."""

import pandas as pd
import pytest
from tests.conftest import ROOT, assert_reported, edit_csv

from aibet import data
from aibet.data import grades
from aibet.present import charts

RULES = {
    "sec.gov": grades.HostRule("sec.gov", "A", "the companies' filings"),
    "example-news.com": grades.HostRule("example-news.com", "B", "a newsroom"),
    "ir.example-news.com": grades.HostRule("ir.example-news.com", "A", "its own releases"),
    "wiki-mirror.org": grades.HostRule("wiki-mirror.org", "banned", "a copy of Wikipedia"),
}


def test_the_most_specific_listed_host_decides():
    assert grades.rule_for("https://www.sec.gov/Archives/x.htm", RULES).grade == "A"
    assert grades.rule_for("https://news.example-news.com/a", RULES).grade == "B"
    assert grades.rule_for("https://ir.example-news.com/q3", RULES).grade == "A"
    assert grades.rule_for("https://notsec.gov/x", RULES) is None  # a suffix is not a subdomain


@pytest.mark.parametrize(
    ("url", "grade", "words"),
    [
        ("https://www.sec.gov/x.htm", "A", None),
        ("https://www.sec.gov/x.htm", "B", "should be A"),
        ("https://en.wiki-mirror.org/Ellendale", "C", "banned (a copy of Wikipedia)"),
        ("https://unknown.example/x", "C", "is not graded: list it in data/source_grades.yaml"),
    ],
)
def test_a_grade_must_be_the_one_its_host_is_listed_under(url, grade, words):
    found = grades.problems(url, grade, RULES)
    assert (found == []) if words is None else any(words in p for p in found), found


def test_the_rule_file_lists_each_host_once_with_a_reason(tmp_path):
    rule = tmp_path / "rules.yaml"
    rule.write_text("A:\n  sec.gov: filings\nB:\n  sec.gov: again\n")
    with pytest.raises(ValueError, match="listed twice"):
        grades.load_rules(rule)
    rule.write_text("A:\n  sec.gov:\n")
    with pytest.raises(ValueError, match="needs a reason"):
        grades.load_rules(rule)
    rule.write_text("D:\n  sec.gov: filings\n")
    with pytest.raises(ValueError, match="unknown heading"):
        grades.load_rules(rule)


def _edit_sources(root, change):
    edit_csv(root, "sources.csv", lambda rows: change(rows[0], rows[1:]))


def test_the_data_check_rejects_a_banned_host_and_a_wrong_grade(data_copy):
    rules = grades.load_rules(ROOT / "data" / grades.RULE_FILE)
    banned = next(r.host for r in rules.values() if r.grade == grades.BANNED)

    def change(header, rows):
        rows[0][header.index("url")] = f"https://{banned}/copy"
        graded = next(r for r in rows[1:] if r[header.index("grade")] == "A")
        graded[header.index("grade")] = "C"

    _edit_sources(data_copy, change)
    assert_reported(
        data_copy,
        ("data/sources.csv, row 2, column 'grade'", "banned"),
        ("data/sources.csv, row", "should be A"),
    )


def test_most_figures_come_from_their_producers():
    """Targets: at least 60% of the figure rows cite grade A, at least 80% A or B."""
    shares = data.cited_grades(ROOT)["grade"].value_counts(normalize=True)
    assert shares.get("A", 0) >= 0.60, shares.to_dict()
    assert shares.get("A", 0) + shares.get("B", 0) >= 0.80, shares.to_dict()


def test_a_chart_names_the_filers_first_and_once():
    sources = pd.DataFrame(
        {
            "source_id": ["meta_10k", "meta_release", "msft_10q", "reuters"],
            "publisher": [
                "Meta Platforms, Inc. (SEC EDGAR)",
                "Meta Platforms, Inc. (Investor Relations)",
                "Microsoft Corporation (SEC EDGAR)",
                "Reuters",
            ],
            "kind": ["filing", "company statement", "filing", "news"],
            "grade": ["A", "A", "A", "B"],
        }
    )
    line = charts.source_line(list(sources["source_id"]), sources)
    assert line == (
        "Source: Meta Platforms, Microsoft filings (SEC); Reuters"
        " (4 documents; full list under Sources)."
    )


def test_a_filing_whose_publisher_does_not_name_its_filer_is_reported(data_copy):
    def rename(header, rows):
        filing = next(row for row in rows if row[header.index("kind")] == "filing")
        filing[header.index("publisher")] = "Amazon / SEC EDGAR"

    _edit_sources(data_copy, rename)
    assert_reported(data_copy, ("data/sources.csv, row", "write the filer, then where"))
