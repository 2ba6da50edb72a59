"""Published as its ecosystem publishes: a CI workflow that runs the README's commands and deploys
to Pages (checked offline), licences, a valid citation, the data as packages, and every page
carrying its description, link-preview tags, footer and a place in the sitemap."""

import html
import io
import json
import os
import re
import subprocess
import sys
import tomllib
import zipfile
from pathlib import Path

import yaml
from tests.conftest import ROOT

from aibet.present import front, publishing

WORKFLOW = ROOT / ".github" / "workflows" / "book.yml"
BIN = Path(sys.executable).parent


def readme_commands() -> list[str]:
    """The commands of the README's "Two commands" block."""
    block = re.search(
        r"## Two commands\n\n```bash\n(.*?)```", (ROOT / "README.md").read_text(), re.S
    )
    return [line.split("#")[0].strip() for line in block.group(1).splitlines() if line.strip()]


def test_the_workflow_passes_its_schema_and_a_security_audit_offline():
    schema = subprocess.run(
        [BIN / "check-jsonschema", "--builtin-schema", "vendor.github-workflows", WORKFLOW],
        capture_output=True,
        text=True,
    )
    assert schema.returncode == 0, schema.stdout + schema.stderr
    audit = subprocess.run(
        [BIN / "zizmor", "--offline", "--no-progress", WORKFLOW], capture_output=True, text=True
    )
    assert audit.returncode == 0, (
        audit.stdout + audit.stderr
    )  # actions pinned by hash, among others


def test_the_workflow_runs_the_readmes_commands_and_deploys_main_to_pages():
    workflow = yaml.safe_load(WORKFLOW.read_text())
    triggers = workflow[True]  # YAML reads the key `on` as true
    assert {"push", "pull_request"} <= set(triggers)
    build = workflow["jobs"]["build"]
    runs = [step.get("run") for step in build["steps"]]
    assert readme_commands() == ["make book", "make test"]
    for command in readme_commands():
        assert command in runs, command
    assert "concurrency" in workflow
    uses = [
        step["uses"] for job in workflow["jobs"].values() for step in job["steps"] if "uses" in step
    ]
    assert any(u.startswith("actions/upload-pages-artifact@") for u in uses)
    assert any(u.startswith("actions/deploy-pages@") for u in uses)
    upload = next(s for s in build["steps"] if s.get("uses", "").startswith("actions/upload-pages"))
    assert upload["with"]["path"] == "_build/html"
    assert "refs/heads/main" in upload["if"]
    deploy = workflow["jobs"]["deploy"]
    assert deploy["permissions"] == {"pages": "write", "id-token": "write"}
    # The Pages address reaches the build, which names it in the sitemap and link previews.
    assert any(publishing.SITE_URL_VARIABLE in (s.get("env") or {}) for s in build["steps"])


def test_the_citation_file_is_valid_and_carries_the_packages_version():
    cff = ROOT / ".venv" / "cffconvert"
    result = subprocess.run(
        [sys.executable, "-c", "from cffconvert.cli.cli import cli; cli()", "--validate"]
        + ["-i", str(ROOT / publishing.CITATION_FILE)],
        capture_output=True,
        text=True,
        env={**os.environ, "PYTHONPATH": str(cff)},
    )
    assert result.returncode == 0, result.stdout + result.stderr
    meta = publishing.citation(ROOT)
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    assert meta["version"] == project["version"]
    assert meta["license"] == [spdx for spdx, _, _ in publishing.LICENCES.values()]


def test_the_licences_are_stated_in_their_files_and_the_readme():
    assert "MIT License" in (ROOT / "LICENSE").read_text()
    assert "Attribution 4.0 International" in (ROOT / "LICENSE-CC-BY-4.0.txt").read_text()
    readme = (ROOT / "README.md").read_text()
    for _, name, _ in publishing.LICENCES.values():
        assert name in readme, name
    assert "fair use" in readme


def test_the_site_url_comes_from_ci_when_set(monkeypatch):
    monkeypatch.delenv(publishing.SITE_URL_VARIABLE, raising=False)
    configured = publishing.configured_url(ROOT)
    assert publishing.site_url(configured) == configured.rstrip("/") + "/"
    monkeypatch.setenv(publishing.SITE_URL_VARIABLE, "https://example.org/book")
    assert publishing.site_url(configured) == "https://example.org/book/"


def test_the_data_package_zip_is_the_same_for_the_same_data_and_validates(tmp_path, site):
    import frictionless

    built = (site / publishing.DATA_PACKAGE_ZIP.relative_to(publishing.EXTRA)).read_bytes()
    assert built == publishing.data_package_zip(ROOT, publishing.citation(ROOT)["version"])
    zipfile.ZipFile(io.BytesIO(built)).extractall(tmp_path)
    package = tmp_path / "trillion-dollar-bet-data" / "datapackage.json"
    report = frictionless.validate(str(package))
    assert report.valid, report.flatten(["rowNumber", "fieldName", "message"])[:5]
    listed = [r["path"] for r in json.loads(package.read_text())["resources"]]
    declared = yaml.safe_load((ROOT / "data" / "datapackage.yaml").read_text())["resources"]
    assert listed == [r["path"] for r in declared]
    assert json.loads(package.read_text())["licenses"][0]["name"] == "CC-BY-4.0"


def test_the_ledger_and_timeline_downloads_validate_against_their_schemas(site):
    import frictionless

    package = site / publishing.RESULTS_PACKAGE.relative_to(publishing.EXTRA)
    report = frictionless.validate(str(package))
    assert report.valid, report.flatten(["rowNumber", "fieldName", "message"])[:5]
    for resource in json.loads(package.read_text())["resources"]:
        header = (package.parent / resource["path"]).read_text().splitlines()[0].split(",")
        assert header == [f["name"] for f in resource["schema"]["fields"]], resource["name"]


def content_pages(site):
    return sorted(
        p
        for p in site.rglob("*.html")
        if "_static" not in p.parts and p.name not in {"genindex.html", "search.html", "index.html"}
    )


def test_every_page_has_its_description_link_preview_and_footer(site):
    card = site / publishing.SOCIAL_CARD.relative_to(publishing.EXTRA)
    width, height = front.SOCIAL_CARD_SIZE
    assert card.read_bytes()[16:24] == width.to_bytes(4, "big") + height.to_bytes(4, "big")
    url = publishing.site_url(publishing.configured_url(ROOT))
    version = publishing.citation(ROOT)["version"]
    pages = content_pages(site)
    assert len(pages) >= 10
    for page in pages:
        text = page.read_text()
        name = page.relative_to(site).as_posix()
        assert re.search(r'<meta name="description" content="[^"]{60,}">', text), name
        for tag in ("og:title", "og:description", "og:url", "og:image", "og:site_name"):
            assert f'<meta property="{tag}" content="' in text, (name, tag)
        image = url + publishing.SOCIAL_CARD.relative_to(publishing.EXTRA).as_posix()
        assert f'<meta property="og:image" content="{image}"' in text, name
        assert '<meta name="twitter:card" content="summary_large_image">' in text, name
        footer = html.unescape(text.split('<footer class="bd-footer-content">')[1])
        assert f"Version {version}, built " in footer, name
        for spdx, _, licence_url in publishing.LICENCES.values():
            shown = spdx.replace("-", " ")
            assert f'<a href="{licence_url}" rel="license">{shown}</a>' in footer, (name, spdx)
        cite = re.search(r'<a href="([^"]+)">How to cite</a>', footer).group(1)
        target, anchor = cite.split("#")
        assert f'id="{anchor}"' in ((page.parent / target) if target else page).read_text(), name


def test_the_sitemap_lists_every_page_and_robots_points_to_it(site):
    url = publishing.site_url(publishing.configured_url(ROOT))
    sitemap = (site / "sitemap.xml").read_text()
    listed = set(re.findall(r"<loc>([^<]+)</loc>", sitemap))
    for page in content_pages(site):
        assert url + page.relative_to(site).as_posix() in listed, page
    assert (site / "robots.txt").read_text() == publishing.robots_txt(url)
    assert f"Sitemap: {url}sitemap.xml" in (site / "robots.txt").read_text()


def test_how_to_cite_is_made_from_the_citation_file(site):
    text = html.unescape(re.sub(r"<[^>]+>", "", (site / "book" / "about.html").read_text()))
    meta = publishing.citation(ROOT)
    assert meta["title"] in text and f"version {meta['version']}" in text
    assert "@misc{" in text
