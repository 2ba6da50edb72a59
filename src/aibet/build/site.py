"""The static site: vendored JavaScript, the Sphinx extension, and an atomic publish of the HTML.

The book is built into a fresh folder and `_build/html` is switched to it with one atomic
rename of a symlink, so a failed build never leaves a half-written site behind.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import html
import json
import os
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

from aibet.build import sphinx_pass, stop_process
from aibet.build.profile import Profile
from aibet.present import publishing
from aibet.present.layout import CHART_DOWNLOADS, CLAIM_REVIEWS, EXTRA, GENERATED, RUN_RECORD

VEGA_BUNDLE = Path("vendor") / "vega-bundle.js"
BANNER = "variant-banner.html"
"""A variant book's banner (see `aibet.scenarios`), shown atop every page when present."""


PACKAGED_BUNDLE = Path(__file__).parents[1] / "vendor" / "vega-bundle.js"
"""The bundle as the pinned vl-convert makes it, kept with the package, so that a build copies
it rather than spend a second and a half of a core making it. A test checks that it is what
vl-convert makes; after an upgrade, `write_bundle(PACKAGED_BUNDLE)` writes it again (until then
builds make their own)."""


def vendor_javascript(root: Path) -> Path:
    """Put the Vega + Vega-Lite + vega-embed bundle shipped inside vl-convert in the book, once
    per version: copied from the package's copy when that is whole and of the installed version,
    else made. The first line names the versions and the hash of the rest, so that a truncated or
    edited file is written again; the file is replaced in one step, never left half-written."""
    target = root / EXTRA / VEGA_BUNDLE
    versions = _bundle_versions()
    if target.exists() and _bundle_is_whole(target.read_text(), versions):
        return target
    packaged = PACKAGED_BUNDLE.read_text() if PACKAGED_BUNDLE.exists() else ""
    _write_whole(target, packaged if _bundle_is_whole(packaged, versions) else bundle_text())
    return target


def write_bundle(target: Path) -> None:
    """Make the bundle with the installed vl-convert and write it to `target`."""
    _write_whole(target, bundle_text())


def bundle_text() -> str:
    """The bundle with its first line: the versions and the hash of the rest."""
    import altair as alt
    import vl_convert

    vl_version = alt.SCHEMA_VERSION.lstrip("v").rsplit(".", 1)[0]
    # The bundle declares top-level names; an IIFE keeps them off the page's global scope.
    body = "(function () {\n" + vl_convert.javascript_bundle(vl_version=vl_version) + "\n})();\n"
    return f"/* {_bundle_versions()}, sha256 {_sha256(body)} */\n" + body


def _bundle_versions() -> str:
    import altair as alt
    import vl_convert

    return f"vl-convert {vl_convert.__version__}, Vega-Lite {alt.SCHEMA_VERSION}"


def _write_whole(target: Path, text: str) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    staged = target.with_name(target.name + ".partial")
    staged.write_text(text)
    os.replace(staged, target)


def _sha256(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


def _bundle_is_whole(text: str, versions: str) -> bool:
    first, _, body = text.partition("\n")
    return first == f"/* {versions}, sha256 {_sha256(body)} */"


def prepare_variant(root: Path, target: Path, banner: str) -> None:
    """Lay out a variant book's sources in `target`: the config and hand-written pages copied
    from `root`, its own generated folder (kept between builds, so its notebooks cache), and the
    banner every page shows."""
    (target / EXTRA / VEGA_BUNDLE).parent.mkdir(parents=True, exist_ok=True)
    for name in ("_config.yml", "_toc.yml", publishing.CITATION_FILE):
        shutil.copy2(root / name, target / name)
    pages = target / "book"
    if pages.exists():
        for child in pages.iterdir():
            if child.name != GENERATED.name:
                shutil.rmtree(child) if child.is_dir() else child.unlink()
    shutil.copytree(
        root / "book", pages, dirs_exist_ok=True, ignore=shutil.ignore_patterns(GENERATED.name)
    )
    bundle = root / EXTRA / VEGA_BUNDLE
    if bundle.exists():
        shutil.copy2(bundle, target / EXTRA / VEGA_BUNDLE)
    (target / GENERATED / BANNER).write_text(banner)


def tree_digest(paths: list[Path], root: Path) -> str:
    h = hashlib.sha256()
    for path in sorted(paths):
        h.update(str(path.relative_to(root)).encode())
        h.update(path.read_bytes())
    return h.hexdigest()


NOTEBOOK_LAYERS = ("__init__.py", "data", "claims", "present")
"""What a notebook can import: the layers below `build` (a test keeps notebooks to them)."""


@functools.cache
def package_digest(parts: tuple[str, ...] | None = None) -> str:
    """The package's code (or only `parts` of it: files or folders of the package), hashed once
    per process (it cannot change under a running build)."""
    folder = Path(__file__).parents[1]
    chosen = [folder / part for part in parts] if parts else [folder]
    files = [
        p
        for place in chosen
        for p in ([place] if place.is_file() else place.rglob("*"))
        if p.is_file() and "__pycache__" not in p.parts
    ]
    return tree_digest(files, folder)


IMAGES = (".svg", ".png")
DRAWN_BESIDE = (*IMAGES, ".json")
"""What the workers may still be drawing in the charts' folder while Sphinx runs: images, and
the specs they are drawn from (named by chart id, which the notebooks carry: no key input)."""


def drawn_beside(root: Path) -> list[Path]:
    """The site's files the workers make while Sphinx runs (chart images, the Vega bundle, the
    social card): copied into the site once made. Their inputs are in the key (the notebooks
    name each chart by the hash of its spec; the bundle is a function of the installed packages;
    the card is drawn from the ledger)."""
    charts = root / CHART_DOWNLOADS
    files = [root / EXTRA / VEGA_BUNDLE, root / publishing.SOCIAL_CARD]
    files += [p for p in charts.iterdir() if p.suffix in IMAGES] if charts.is_dir() else []
    return [p for p in files if p.is_file()]


def input_digests(root: Path) -> dict[str, str]:
    """Each page input's digest by its path in the book (what a Sphinx pass is told to go with)."""
    return {p.relative_to(root).as_posix(): file_digest(p) for p in book_inputs(root)}


def book_inputs(root: Path) -> list[Path]:
    """Every page input under `root`: config, pages, executed notebooks, generated files (not
    what is drawn beside the site's build, see `drawn_beside`)."""
    files = [root / "_config.yml", root / "_toc.yml", root / publishing.CITATION_FILE]
    files += [p for p in (root / "book").rglob("*") if p.is_file()]
    record = root / GENERATED / RUN_RECORD
    charts = root / CHART_DOWNLOADS
    return [
        p
        for p in files
        if not p.name.endswith(".partial")
        and p != record
        and p not in (root / EXTRA / VEGA_BUNDLE, root / publishing.SOCIAL_CARD)
        and not (p.parent == charts and p.suffix in DRAWN_BESIDE)
    ]


def _installed(*packages: str) -> str:
    from importlib.metadata import version

    return " ".join(f"{name}=={version(name)}" for name in packages)


SPHINX_SOURCE = Path("_build") / "sphinx-source"
"""The one folder Sphinx reads every book of a project from: links to the book's files. Sphinx
trusts a saved environment only in the folder it was read from, so through this one a variant
book starts from the default book's environment and reads only the pages it changed."""
BOOK_FILES = ("_config.yml", "_toc.yml", publishing.CITATION_FILE, "book")
SPHINX_ENV = "sphinx-env"
"""A book's saved Sphinx environment, in its build folder (a cache: deleting it costs time)."""
READ = "read.json"
"""Beside the saved environment: what made it and the digest of every page input it read.
Present only after a pass succeeded: a failed or stopped pass leaves nothing to trust."""


class SphinxPass:
    """A Sphinx pass over the book at `root` (see `aibet.build.sphinx_pass`), started ahead: its
    imports, configuration and saved environment load while the notebooks run. `go` starts the
    build once the pages are written; leaving without it ends the pass unbuilt."""

    def __init__(
        self, root: Path, build_dir: Path, project: Path | None = None, builder: str = "html"
    ):
        self.root, self.build_dir, self.builder = root, build_dir, builder
        self.project = project or root
        self.staging = build_dir / "staging"
        self.log = build_dir / "book-build.log"
        self.process: subprocess.Popen | None = None

    def __enter__(self) -> SphinxPass:
        shutil.rmtree(self.staging, ignore_errors=True)
        self.made_by = _made_by(self.project)
        self.environment, self.read = _saved_environment(self.build_dir, self.project, self.made_by)
        source = _sphinx_source(self.root, self.project)
        folders = (source, self.staging, self.environment / "doctrees")
        with self.log.open("w") as log:
            self.process = subprocess.Popen(
                [sys.executable, "-m", "aibet.build.sphinx_pass", *map(str, folders), self.builder],
                stdin=subprocess.PIPE,
                stdout=log,
                stderr=subprocess.STDOUT,
                cwd=self.root,
                text=True,
            )
        return self

    def go(self, inputs: dict[str, str]) -> None:
        """Build: the pages whose content differs from what the saved environment read are
        marked changed first (Sphinx compares times only, and a copied page keeps its old one).
        The record of what was read goes until the pass succeeds (see `READ`)."""
        (self.environment / READ).unlink(missing_ok=True)
        for name, digest in inputs.items() if self.read else ():
            if self.read.get(name) != digest:
                os.utime(self.root / name)
        self.inputs = inputs
        with contextlib.suppress(BrokenPipeError):  # it stopped already: `wait` says how
            self.process.stdin.write(f"{sphinx_pass.GO}\n")
            self.process.stdin.close()

    def wait(self) -> int:
        returncode = self.process.wait()
        if returncode == 0:
            record = {"made_by": self.made_by, "inputs": self.inputs}
            (self.environment / READ).write_text(json.dumps(record))
        return returncode

    def __exit__(self, kind, error, trace) -> None:
        if self.process.poll() is None:
            if kind is None and not self.process.stdin.closed:
                self.process.stdin.close()  # not told to go: it ends unbuilt
            else:
                self.stop()
        self.process.wait()

    def stop(self) -> None:
        """End the pass now (it stops what it started, then itself)."""
        stop_process(self.process, within=10)


def build_html(
    root: Path,
    build_dir: Path,
    report=print,
    profile=None,
    meanwhile=None,
    project: Path | None = None,
    started: SphinxPass | None = None,
) -> bool:
    """Build the book with warnings as errors; publish it only if the build succeeds.

    Returns False (and leaves the published site untouched) when the build fails. Skips the
    build entirely when no input changed since the last published one. `meanwhile()` runs while
    Sphinx does (it waits for what the workers still draw, see `drawn_beside`); what it raises
    stops Sphinx and the build. `project`: the project whose book `root` is a variant of;
    `started`: its Sphinx pass, if one was started ahead.
    """
    inputs = input_digests(root)
    # The package is the Sphinx extension too, so its code is part of the key.
    key = hashlib.sha256(
        (
            json.dumps(inputs, sort_keys=True)
            + package_digest()
            + _installed("vl-convert-python", "altair")  # what the Vega bundle is made from
            # in every page's Open Graph tags and the sitemap
            + publishing.site_url(publishing.configured_url(root))
        ).encode()
    ).hexdigest()
    published = build_dir / "html"
    stamp = build_dir / "html.key"
    if published.exists() and stamp.exists() and stamp.read_text() == key:
        if meanwhile:
            meanwhile()
        report("  cached   book (no page changed)")
        return True
    profile = profile or Profile(started=time.time())
    with (
        profile.phase("Sphinx (jupyter-book), chart images finishing beside it"),
        contextlib.ExitStack() as stack,
    ):
        sphinx = started or stack.enter_context(SphinxPass(root, build_dir, project))
        sphinx.go(inputs)
        try:
            if meanwhile:
                meanwhile()
            returncode = sphinx.wait()
        except BaseException:
            sphinx.stop()
            raise
    if returncode != 0:
        report(f"  FAILED   book: jupyter-book exited {returncode}; see {sphinx.log}")
        for line in sphinx.log.read_text().splitlines():
            if "WARNING" in line or "ERROR" in line:
                report(f"           {line.strip()}")
        return False
    with profile.phase("publish"):
        _publish(root, build_dir, sphinx.staging, key)
    report(f"  built    book -> {published}")
    return True


def file_digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _made_by(project: Path) -> str:
    """What a saved Sphinx environment depends on besides the pages: the package (the site's
    extension) and every installed package."""
    lock = project / "requirements.lock"
    return hashlib.sha256(
        (package_digest() + sys.version + (lock.read_text() if lock.exists() else "")).encode()
    ).hexdigest()


def _saved_environment(
    build_dir: Path, project: Path, made_by: str
) -> tuple[Path, dict[str, str] | None]:
    """The saved environment a pass starts from, and the digests of the inputs it read: the
    book's own when whole and made by the same code and packages; else, for a variant, a copy
    of the default book's; else none (every page is read)."""
    saved = build_dir / SPHINX_ENV
    read = _what_was_read(saved, made_by)
    if read is None:
        shutil.rmtree(saved, ignore_errors=True)
        default = project / "_build" / SPHINX_ENV
        read = _what_was_read(default, made_by) if default != saved else None
        if read is not None:
            shutil.copytree(default, saved)
    return saved, read


def _what_was_read(saved: Path, made_by: str) -> dict[str, str] | None:
    try:
        record = json.loads((saved / READ).read_text())
    except (OSError, ValueError):
        return None
    return record["inputs"] if record.get("made_by") == made_by else None


def _sphinx_source(root: Path, project: Path) -> Path:
    """The project's Sphinx source folder, its links pointed at the book at `root`."""
    source = project / SPHINX_SOURCE
    source.mkdir(parents=True, exist_ok=True)
    for name in BOOK_FILES:
        _switch(source / name, (root / name).resolve())
    return source


def _publish(root: Path, build_dir: Path, html_dir: Path, key: str) -> None:
    """Finish the staged site, add what the workers drew beside Sphinx, and switch to it."""
    _finish_pages(html_dir)
    for made in drawn_beside(root):  # Sphinx may have copied them before they were whole
        target = html_dir / made.relative_to(root / EXTRA)
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(made, target)
    for spec in (html_dir / CHART_DOWNLOADS.relative_to(EXTRA)).glob("*.json"):
        spec.unlink()  # a chart's spec, copied while its images were being drawn
    version_dir = build_dir / f"site-{key[:12]}"
    shutil.rmtree(version_dir, ignore_errors=True)
    os.replace(html_dir, version_dir)
    _switch(build_dir / "html", Path(version_dir.name))
    (build_dir / "html.key").write_text(key)
    for old in build_dir.glob("site-*"):
        if old != version_dir:
            shutil.rmtree(old, ignore_errors=True)


def _switch(link: Path, target: Path) -> None:
    """Point `link` at `target` (relative to the link's folder, or absolute) atomically,
    replacing a plain folder left by an older layout."""
    if link.exists() and not link.is_symlink():
        shutil.rmtree(link)
    temporary = link.with_name(link.name + ".new")
    temporary.unlink(missing_ok=True)
    temporary.symlink_to(target)
    os.replace(temporary, link)


# --- Sphinx extension -----------------------------------------------------------------------


ICON_SCRIPT = re.compile(
    r'<script defer src="[./]*_static/scripts/fontawesome\.js[^"]*"></script>\s*'
)
"""The theme's icon script (1.45 MB): the few icons it drew are CSS masks in aibet.css."""
INLINE_SEARCH = re.compile(
    r'<script src="[^"]*(?:searchtools|language_data|searchindex)\.js"></script>\s*'
)
"""The theme loads the search index on every page for a search-as-you-type box the book does
not enable; its search box sends the reader to the search page, which loads them itself."""
THEME_SIDEBAR = '<div id="pst-primary-sidebar" class="bd-sidebar-primary bd-sidebar">'
"""The theme's primary sidebar: a plain div, so its title block sits outside any landmark
(axe 'region'). Marking it as complementary puts everything on the page in a landmark."""


def _finish_pages(html_dir: Path) -> None:
    """What the theme's templates hard-code: a landmark for the sidebar; no icon script, and
    the search scripts only on the search page."""
    fixed = THEME_SIDEBAR.replace(">", ' role="complementary" aria-label="Book navigation">')
    for page in html_dir.rglob("*.html"):
        text = page.read_text()
        done = ICON_SCRIPT.sub("", text.replace(THEME_SIDEBAR, fixed))
        if page.name != "search.html":
            done = INLINE_SEARCH.sub("", done)
        if done != text:
            page.write_text(done)


UNUSED_SCRIPTS = (
    *("sphinx-thebe", "togglebutton", "design-tabs", "sphinx-design"),
    *("toggleHint", "toggleOpenOnPrint", "THEBE_JS_URL", "kernelName"),
)
"""Scripts and styles (files, or words of inline scripts) of extensions the book does not use on
any page: no live code, toggles or tabs."""
CHARTS_SCRIPT = "_static/aibet-charts.js"
"""Draws each chart as it comes into view (see aibet.charts), loading the Vega bundle then."""


def _page_context(app, pagename, templatename, context, doctree):
    """Only the scripts a page uses (once each, deferred), the chart script where there are charts,
    the light theme for a first visit, and the page's description and ClaimReview data."""
    from sphinx.builders.html._assets import _JavaScript

    scripts = context.get("script_files")
    if scripts is None:
        return
    seen, kept = set(), []
    for script in scripts:
        name = str(getattr(script, "filename", script) or "")
        attributes = getattr(script, "attributes", {})
        said = name or attributes.get("body", "")
        if (name and name in seen) or any(word in said for word in UNUSED_SCRIPTS):
            continue
        seen.add(name)
        if name and pagename != "search" and not {"defer", "async", "body"} & set(attributes):
            # Nothing on a page runs before it is parsed: every file script waits (in order).
            # The search page's own inline script calls Sphinx's at once, so it keeps them.
            script = _JavaScript(name, priority=script.priority, **attributes, defer="defer")
        kept.append(script)
    body = context.get("body", "")
    if "aibet-chart" in body:
        bundle = context["pathto"](VEGA_BUNDLE.as_posix(), 1)
        kept.append(_JavaScript(CHARTS_SCRIPT, defer="defer", **{"data-vega": bundle}))
    context["script_files"] = kept
    context["css_files"] = [
        css
        for css in context.get("css_files", [])
        if not any(word in str(getattr(css, "filename", css)) for word in UNUSED_SCRIPTS)
    ]
    context["default_mode"] = "light"
    about = context["pathto"]("book/about").rstrip("#")  # "#" on the About page itself
    context["theme_extra_footer"] = publishing.footer_html(
        app.config.aibet_version, app.config.aibet_build_date, about + "#how-to-cite"
    )
    context["metatags"] = (
        context.get("metatags", "") + _description(body) + _claim_reviews(app, pagename)
    )


def _description(body: str) -> str:
    """A meta description from the page's first paragraph of prose (its lede)."""

    for paragraph in re.findall(r"<p>(.*?)</p>", body, flags=re.S):
        text = " ".join(html.unescape(re.sub(r"<[^>]+>", "", paragraph)).split())
        if len(text) > 60:
            if len(text) > 160:
                text = text[:157].rsplit(" ", 1)[0] + "…"
            return f'\n<meta name="description" content="{html.escape(text)}">\n'
    return ""


def _claim_reviews(app, pagename: str) -> str:
    """The page's ClaimReview JSON-LD, from the file the build writes beside the ledger."""
    from aibet.present import review

    path = Path(app.srcdir) / GENERATED / CLAIM_REVIEWS
    if not path.exists():
        return ""
    reviews = json.loads(path.read_text())
    records = reviews["pages"].get(pagename, [])
    return review.json_ld(records, f"/{pagename}.html", reviews["reviewed_on"])


READER_THEME_OPTIONS = {"use_download_button": False, "use_fullscreen_button": False}
"""Buttons a reader of a report has no use for (the page's source, full screen)."""


def _theme_options(app, config):
    """Reader-only buttons, and a variant book's banner atop every page, search and index
    included."""
    options = {**config.html_theme_options, **READER_THEME_OPTIONS}
    banner = Path(app.srcdir) / GENERATED / BANNER
    if banner.exists():
        options["announcement"] = banner.read_text()
    config.html_theme_options = options


def _publishing(app, config):
    """The book's address on the web (its sitemap and every page's Open Graph tags name it),
    its picture for link previews, and the day it is built (in every page's footer)."""
    url = publishing.site_url(config.html_baseurl)  # _config.yml's html.baseurl
    config.html_baseurl = url
    config.ogp_site_url = url
    config.ogp_site_name = config.project
    config.ogp_image = url + publishing.SOCIAL_CARD.relative_to(EXTRA).as_posix()
    config.ogp_image_alt = "How many of the article's claims got each verdict, when written and now"
    config.aibet_build_date = publishing.build_date()
    config.aibet_version = publishing.citation(Path(app.srcdir))["version"]  # read once, not a page


def setup(app):
    app.add_config_value("aibet_build_date", "", "html")
    app.add_config_value("aibet_version", "", "html")
    app.connect("html-page-context", _page_context)
    app.connect("config-inited", _theme_options)
    app.connect("config-inited", _publishing)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
