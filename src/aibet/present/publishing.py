"""What the published book carries beyond its pages: its licences, how to cite it, its version and
build date, its address on the web, and its data as packages to take away.

No pandas here: the site's Sphinx extension reads the footer and the address from this module.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import os
import zipfile
from pathlib import Path

import yaml

from aibet.present.layout import CITATION_FILE, DOWNLOADS, EXTRA

LICENCES = {
    "code": ("MIT", "MIT License", "https://opensource.org/license/mit/"),
    "text and data": (
        "CC-BY-4.0",
        "Creative Commons Attribution 4.0 International",
        "https://creativecommons.org/licenses/by/4.0/",
    ),
}
"""The one statement of the licences: the footer, the citation page and both data packages
read it (the LICENSE files hold the texts)."""
QUOTATIONS = (
    "Quotations of the article and of the sources remain their authors' and are used for "
    "criticism and review (fair use); neither licence covers them."
)
SITE_URL_VARIABLE = "AIBET_SITE_URL"
"""Where the book is published, when set (CI sets the Pages address); else `_config.yml`'s
html.baseurl."""
DATA_PACKAGE_ZIP = DOWNLOADS / "trillion-dollar-bet-data.zip"
"""The whole of data/ as one Frictionless data package: every CSV and its schema."""
RESULTS_PACKAGE = DOWNLOADS / "datapackage.json"
"""The ledger and the verdict timeline (the CSVs beside it) as a data package with schemas."""
ROBOTS = EXTRA / "robots.txt"
SOCIAL_CARD = EXTRA / "social" / "scorecard.png"
"""The verdict tally as a picture, for link previews (Open Graph and Twitter cards)."""
HOW_TO_CITE = "how-to-cite.md"
ZIP_TIME = (1980, 1, 1, 0, 0, 0)
"""Every file in the zip carries this time: the same data make the same bytes."""


def citation(root: Path) -> dict:
    return yaml.safe_load((root / CITATION_FILE).read_text())


def build_date() -> str:
    """Today (UTC), or the day of SOURCE_DATE_EPOCH when a reproducible build sets it."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    moment = dt.datetime.fromtimestamp(int(epoch), dt.UTC) if epoch else dt.datetime.now(dt.UTC)
    return moment.date().isoformat()


def configured_url(root: Path) -> str:
    """`_config.yml`'s html.baseurl: where a local build says the book is."""
    config = yaml.safe_load((root / "_config.yml").read_text())
    return (config.get("html") or {}).get("baseurl", "")


def site_url(configured: str) -> str:
    """The published book's address, ending in a slash: AIBET_SITE_URL when set (CI sets the
    Pages address), else `configured`."""
    url = os.environ.get(SITE_URL_VARIABLE, "").strip() or configured
    return url.rstrip("/") + "/"


def how_to_cite_markdown(meta: dict, url: str, built: str) -> str:
    """The citation page's section, from CITATION.cff (`meta`): a reference and its BibTeX.
    Only the year of `built` enters it, so that the page changes once a year, not every day."""
    authors = ", ".join(
        a.get("name") or f"{a['family-names']}, {a['given-names']}" for a in meta["authors"]
    )
    year = built[:4]
    reference = f"{authors} ({year}). *{meta['title']}* (version {meta['version']}). {url}"
    key = "trillion_dollar_bet_" + year
    bibtex = "\n".join(
        [
            f"@misc{{{key},",
            f"  author = {{{{{authors}}}}},",
            f"  title = {{{{{meta['title']}}}}},",
            f"  version = {{{meta['version']}}},",
            f"  year = {{{year}}},",
            f"  url = {{{url}}}",
            "}",
        ]
    )
    return (
        f"> {reference}\n\n"
        f"```bibtex\n{bibtex}\n```\n\n"
        f"The citation is made from the project's `{CITATION_FILE}`. Cite a claim by its id and "
        "the date of the data it was judged with, as the scorecard shows it.\n"
    )


def footer_html(version: str, built: str, cite_href: str) -> str:
    """The line at the foot of every page: licences, version, build date, how to cite."""
    licences = " · ".join(
        f'{part.capitalize()}: <a href="{url}" rel="license">{spdx.replace("-", " ")}</a>'
        for part, (spdx, _, url) in LICENCES.items()
    )
    return (
        f"<p>{licences} · Quotations of sources: fair use · "
        f"Version {version}, built {built} · "
        f'<a href="{cite_href}">How to cite</a></p>'
    )


def robots_txt(url: str) -> str:
    return f"User-agent: *\nAllow: /\n\nSitemap: {url}sitemap.xml\n"


def _licences() -> list[dict]:
    spdx, name, url = LICENCES["text and data"]
    return [{"name": spdx, "title": name, "path": url}]


def data_package(data_root: Path, version: str) -> dict:
    """data/datapackage.yaml with its schemas inlined, its licence and version."""
    import copy

    from aibet import data

    package = copy.deepcopy(data.descriptor(data_root))  # the parsed descriptor is shared
    for resource in package["resources"]:
        if isinstance(resource.get("schema"), str):
            resource["schema"] = data.schema(resource, data_root)
    return {**package, "version": version, "licenses": _licences()}


def data_package_zip(data_root: Path, version: str) -> bytes:
    """The zip: datapackage.json and every CSV it names, at the paths it names them."""
    package = data_package(data_root, version)
    files = {
        "datapackage.json": (json.dumps(package, indent=1, ensure_ascii=False) + "\n").encode()
    }
    for resource in package["resources"]:
        files[resource["path"]] = (data_root / "data" / resource["path"]).read_bytes()
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name in sorted(files):
            info = zipfile.ZipInfo(f"trillion-dollar-bet-data/{name}", ZIP_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            archive.writestr(info, files[name])
    return buffer.getvalue()


def results_package(version: str, fields: dict[str, dict], ledger: tuple, timeline: tuple) -> dict:
    """The ledger and timeline CSVs as a data package; `fields` describes every column."""

    def schema(names, key):
        return {"fields": [{"name": n, **fields[n]} for n in names], "primaryKey": key}

    return {
        "name": "trillion-dollar-bet-verdicts",
        "title": "The Trillion-Dollar Bet - claims ledger and verdict timeline",
        "version": version,
        "licenses": _licences(),
        "resources": [
            {
                "name": "claims_ledger",
                "path": "claims-ledger.csv",
                "description": "Each claim: the article's figure, both values and verdicts, and why.",
                "schema": schema(ledger, ["id"]),
            },
            {
                "name": "verdict_timeline",
                "path": "verdict-timeline.csv",
                "description": "Each claim's value and verdict at every date its data changed.",
                "schema": schema(timeline, ["id", "as_of"]),
            },
        ],
    }
