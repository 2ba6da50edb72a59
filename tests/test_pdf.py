"""`make pdf`: the whole book in one PDF, every chart drawn, every chapter in it."""

import re
import unicodedata

import pypdf
import pytest
from tests.conftest import ROOT, ROOT_BUILDS, run_aibet

from aibet.claims import notebooks

pytestmark = [pytest.mark.browser, ROOT_BUILDS]


def test_the_book_prints_to_one_pdf_with_every_chapter_and_chart(site):
    result = run_aibet("pdf")
    assert result.returncode == 0, result.stderr
    reader = pypdf.PdfReader(ROOT / "_build" / "book.pdf")
    text = unicodedata.normalize("NFKC", "".join(page.extract_text() for page in reader.pages))
    titles = ["The Trillion-Dollar Bet", "Methods", "Data sources", "Reproducibility"]
    for source in notebooks.discover(ROOT):
        titles.append(source.path.read_text().split("\n# ", 1)[1].splitlines()[0])
    for title in titles:
        assert title in text, title
    drawn = int(re.search(r"\((\d+) charts\)", result.stdout).group(1))
    on_site = sum(
        len(
            set(
                re.findall(
                    r'id="aibet-chart-[0-9a-f]{12}"',
                    (site / "book" / "_generated" / "notebooks" / f"{s.name}.html").read_text(),
                )
            )
        )
        for s in notebooks.discover(ROOT)
    )
    assert drawn == on_site  # printing waited for every chart to draw
    assert len(reader.pages) >= 3 * len(titles)  # a book, not a title page
