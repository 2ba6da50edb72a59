"""Where the build puts what it generates for the book, and the files it reads beside the book:
names only, so that the site's Sphinx extension and the build record can know them without
importing the data stack."""

from pathlib import Path

GENERATED = Path("book") / "_generated"
"""Everything the build writes for the book (never committed)."""
EXTRA = GENERATED / "_extra"
"""Copied to the site root by `html_extra_path`: files only some pages load."""
DOWNLOADS = EXTRA / "downloads"
CHART_DOWNLOADS = DOWNLOADS / "charts"
CITATION_FILE = "CITATION.cff"
BENCH_REPORT = Path("_build") / "bench" / "bench.md"
"""The benchmark's table (`make bench`), which the reproducibility page shows."""
"""Each chart's data (CSV) and images (SVG, PNG), named by its id."""
RUN_RECORD = "reproducibility.md"
"""The generated record of how the notebooks ran. It is not a page input for the site's cache
key: a build that changes nothing else publishes nothing, so the record on the site stays the
one of the build that made the site."""
CLAIM_REVIEWS = "claim-reviews.json"
"""Each chapter page's claims, for the site extension to embed as ClaimReview JSON-LD."""
