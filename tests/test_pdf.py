"""`make pdf`: the whole book in one PDF, every chart drawn, every chapter in it."""

import re
import unicodedata

import pypdf
import pytest
from tests.conftest import ROOT, ROOT_BUILDS, run_aibet

from aibet.claims import notebooks

pytestmark = [pytest.mark.browser, ROOT_BUILDS]

PAGES = {"methods": "Methods", "data-sources": "Data sources", "reproducibility": "Reproducibility"}


def squeezed(text: str) -> str:
    """Text as compared here: no spaces or line breaks (a title may wrap), ligatures undone."""
    return "".join(unicodedata.normalize("NFKC", text).split())


def test_the_book_prints_to_one_pdf_with_every_chapter_and_chart(site):
    result = run_aibet("pdf")
    assert result.returncode == 0, result.stderr
    reader = pypdf.PdfReader(ROOT / "_build" / "book.pdf")
    # Where each page of the book begins: Chromium keeps the single page's anchors. Only the
    # pages where a title should be are read (the text of all 100 pages takes 6 s to extract);
    # the front page's contents list every title, so a search of the whole text proved little.
    begins = {
        name.removeprefix("/document-"): reader.get_destination_page_number(destination)
        for name, destination in reader.named_destinations.items()
        if name.startswith("/document-")
    }

    def text_from(page: int) -> str:  # and the next: a title may follow its anchor over a break
        return squeezed("".join(p.extract_text() for p in reader.pages[page : page + 2]))

    titles = {f"book/{page}": title for page, title in PAGES.items()}
    for source in notebooks.discover(ROOT):
        title = source.path.read_text().split("\n# ", 1)[1].splitlines()[0]
        titles[f"book/_generated/notebooks/{source.name}"] = title
    assert squeezed("The Trillion-Dollar Bet") in text_from(0)
    for document, title in titles.items():
        assert document in begins, f"{document} is not in the PDF"
        assert squeezed(title) in text_from(begins[document]), (document, title)
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
    assert len(reader.pages) >= 3 * (len(titles) + 1)  # a book, not a title page
