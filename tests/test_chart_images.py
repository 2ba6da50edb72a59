"""Chart images (SVG, PNG) are drawn by the build's workers from the specs the notebooks write,
once per chart: a chart drawn before is copied from the cache. A chart that cannot be drawn
stops the build, named. Each case runs in a fresh interpreter: the renderer starts threads, and
a process forked after that (the engine's and the build's workers) can hang."""

import json
import subprocess
import sys
import textwrap

from aibet.present import charts

SPEC = {
    "$schema": "https://vega.github.io/schema/vega-lite/v6.json",
    "data": {"values": [{"year": 2024, "value": 1.0}, {"year": 2025, "value": 2.0}]},
    "mark": "bar",
    "encoding": {
        "x": {"field": "year", "type": "ordinal"},
        "y": {"field": "value", "type": "quantitative"},
    },
}


def run_python(code: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-c", textwrap.dedent(code)], capture_output=True, text=True
    )


def test_a_chart_is_drawn_once_and_copied_from_the_cache_after(tmp_path):
    first, second, cache = tmp_path / "book", tmp_path / "variant", tmp_path / "cache"
    for folder in (first, second):
        folder.mkdir()
    name = f"aibet-chart-000000000001{charts.IMAGE_SPEC}"
    (first / name).write_text(json.dumps(SPEC))
    # The same chart id again: its spec is not even read (a drawn id is never drawn again).
    (second / name).write_text("not a spec")
    result = run_python(f"""
        from pathlib import Path
        from aibet.present import charts
        for folder in ({str(first)!r}, {str(second)!r}):
            for spec in charts.images_to_draw(Path(folder)):
                charts.draw_images(spec, Path({str(cache)!r}))
    """)
    assert result.returncode == 0, result.stderr
    for folder in (first, second):
        assert not charts.images_to_draw(folder)  # the specs are gone, the images there
        svg = (folder / "aibet-chart-000000000001.svg").read_text()
        assert svg.startswith("<svg") and "2025" in svg
        png = (folder / "aibet-chart-000000000001.png").read_bytes()
        assert png.startswith(b"\x89PNG")
    assert (first / "aibet-chart-000000000001.png").read_bytes() == png


def test_a_chart_that_cannot_be_drawn_stops_the_build_naming_it(tmp_path):
    folder = tmp_path / "charts"
    folder.mkdir()
    (folder / f"aibet-chart-00000000000b{charts.IMAGE_SPEC}").write_text(
        json.dumps({"mark": "no-such-mark"})
    )
    result = run_python(f"""
        from pathlib import Path
        from aibet.build import runner
        with runner.Workers(Path({str(tmp_path)!r}), 1, report=lambda line: None) as workers:
            workers._folders.add(Path({str(folder)!r}))
            workers._draw_what_is_ready()
            try:
                workers.finish()
            except runner.ChartImageError as error:
                print("stopped:", error)
    """)
    assert result.returncode == 0, result.stderr
    assert "stopped: aibet-chart-00000000000b.vl.json" in result.stdout
