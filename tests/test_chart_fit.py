"""Every chart of the built book, drawn in real Chromium on a phone (390 px) and on a desktop
(1280 px), fits its page and can be read. The desktop's checks run on the one visit
test_browser.py makes of every page; the phone's here.

The charts take their container's width (`width: "container"`), so a chart that fits at one
width can break at another: a title or a legend wider than the phone's column, bars squeezed
below a pixel, labels that Vega shortens with "…" or lays over each other. Neither Altair nor
Vega reports any of this, and `test_browser.py` only checks that something was drawn, so this
test measures the drawn SVG. For each chart it checks that:

a. the SVG fits inside its `.aibet-chart` container (and is not drawn wider and shrunk to fit),
   and the container fits inside the page's text column;
b. every data mark (bars, points, lines, areas, rules) has something visible inside the SVG,
   and every bar whose data are not zero is more than half a pixel wide and high;
c. no text runs out of the SVG, and none was shortened by Vega (a trailing "…");
d. no two labels of one axis, or of one legend, overlap.

All the problems of all the pages are gathered and reported together, one line each.
"""

import pytest
from tests.test_browser import CHROMIUM, FLAGS, pages, serving

from aibet.build.pdf import DRAW_ALL

pytestmark = pytest.mark.browser

PHONE, DESKTOP = 390, 1280
HEIGHT = 900
DRAW_TIMEOUT_MS = 60_000
"""A generous wait, not a measure: a chapter draws many charts, and a loaded machine is slow."""

KEEP_EMBEDS = """
(() => {
  // Keep what each vegaEmbed() call gives back (its Vega view and compiled spec) so the checks
  // can wait for every view to finish drawing and can read which fields give a bar its length.
  let embed;
  window.__aibetEmbeds = {};
  window.__aibetEmbedCalls = 0;
  Object.defineProperty(window, "vegaEmbed", {
    configurable: true,
    set(fn) { embed = fn; },
    get() {
      return embed && function (el, spec, options) {
        window.__aibetEmbedCalls += 1;
        const key = typeof el === "string" ? el.replace(/^#/, "") : el.id;
        const drawn = embed(el, spec, options);
        drawn.then(
          (result) => { window.__aibetEmbeds[key] = result; },
          () => { window.__aibetEmbeds[key] = null; },
        );
        return drawn;
      };
    },
  });
})();
"""

DRAWN = """() => {
  const charts = document.querySelectorAll(".aibet-chart").length;
  const svgs = document.querySelectorAll(".aibet-chart svg").length;
  const settled = Object.keys(window.__aibetEmbeds || {}).length;
  return svgs === charts && settled === (window.__aibetEmbedCalls || 0);
}"""

FIND_PROBLEMS = """async ({ page, width }) => {
  const embeds = window.__aibetEmbeds || {};
  // Let the last resizes (fonts, a late scrollbar) reach the views before measuring.
  await document.fonts.ready;
  await new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(done)));
  await Promise.all(Object.values(embeds).filter(Boolean).map((e) => e.view.runAsync()));

  const SLACK = 1;
  const px = (n) => `${Math.round(n)}px`;
  const quote = (s) => JSON.stringify(s);
  // Long descriptions cut with "..." (not "…", which is Vega's mark of a truncated label).
  const brief = (s) => JSON.stringify(s.length > 60 ? s.slice(0, 57) + "..." : s);
  const words = (el) => (el.textContent || "").replace(/\\s+/g, " ").trim();
  const overlap = (a, b) =>
    Math.max(0, Math.min(a.right, b.right) - Math.max(a.left, b.left)) *
    Math.max(0, Math.min(a.bottom, b.bottom) - Math.max(a.top, b.top));
  const touches = (a, b) =>
    a.right >= b.left && a.left <= b.right && a.bottom >= b.top && a.top <= b.bottom;
  const painted = (paint, opacity) =>
    paint !== "none" && !/rgba\\(.*,\\s*0\\)$/.test(paint) && parseFloat(opacity) > 0;

  // Drawn and not hidden: no display:none or zero opacity up to the svg, and some paint.
  function shown(el, svg) {
    for (let node = el; node && node !== svg.parentElement; node = node.parentElement) {
      const style = getComputedStyle(node);
      if (style.display === "none" || parseFloat(style.opacity) === 0) return false;
    }
    const style = getComputedStyle(el);
    return style.visibility !== "hidden" &&
      (painted(style.fill, style.fillOpacity) || painted(style.stroke, style.strokeOpacity));
  }

  function findMark(marks, name) {
    for (const mark of marks || []) {
      if (mark.name === name) return mark;
      const inner = findMark(mark.marks, name);
      if (inner) return inner;
    }
    return null;
  }

  // The data value an encoding rule puts through its scale (the last rule of a conditional
  // list is the unconditional one); undefined when the rule is not a plain field or value.
  function dataValue(rules, datum) {
    const rule = [].concat(rules || []).pop();
    if (!rule) return undefined;
    if (typeof rule.field === "string") {
      return window.vega ? window.vega.field(rule.field)(datum) : datum[rule.field];
    }
    if ("value" in rule && rule.scale) return rule.value;
    return undefined;
  }

  // Whether a bar stands for a non-zero amount: its two ends (x/x2 or y/y2) differ in the data.
  // Bars without encoded ends (ticks, heat-map cells) always should show. null: unknown.
  function nonZero(item, spec) {
    const mark = spec && findMark(spec.marks, item.mark && item.mark.name);
    if (!mark) return null;
    const encode = (mark.encode && mark.encode.update) || {};
    for (const [start, end] of [["x", "x2"], ["y", "y2"]]) {
      if (!encode[start] || !encode[end]) continue;
      const a = dataValue(encode[start], item.datum);
      const b = dataValue(encode[end], item.datum);
      if (a === undefined || b === undefined) return true;
      if (a === null || b === null || !isFinite(+a) || !isFinite(+b)) return false;
      return +a !== +b;
    }
    return true;
  }

  const KINDS = { rect: "bars", symbol: "points", line: "lines", area: "areas", rule: "rules" };
  const problems = [];
  const charts = [...document.querySelectorAll(".aibet-chart")];
  charts.forEach((chart, index) => {
    const svg = chart.querySelector("svg");
    const titleText = svg.querySelector("g.role-title-text text");
    const title = titleText && words(titleText) ? words(titleText)
      : chart.getAttribute("aria-label") || "";
    const where = `${page} @ ${width}px, chart ${index + 1}/${charts.length} ${brief(title)}`;
    const say = (what) => problems.push(`${where}: ${what}`);
    const svgBox = svg.getBoundingClientRect();
    const box = chart.getBoundingClientRect();

    // a. The svg inside its container, the container inside the text column.
    if (svgBox.width > box.width + SLACK) {
      say(`svg ${px(svgBox.width)} wider than container ${px(box.width)}`);
    } else if (svgBox.left < box.left - SLACK || svgBox.right > box.right + SLACK) {
      say(`svg sticks out of its container (svg ${px(svgBox.left)}–${px(svgBox.right)},` +
        ` container ${px(box.left)}–${px(box.right)})`);
    }
    const drawnWidth = svg.width && svg.width.baseVal ? svg.width.baseVal.value : svgBox.width;
    if (drawnWidth > box.width + SLACK) {
      say(`svg drawn ${px(drawnWidth)} wide for a ${px(box.width)} container` +
        ` (shrunk to ${Math.round(100 * svgBox.width / drawnWidth)}% to fit, text and all)`);
    }
    const column = chart.closest("article") || chart.closest("main");
    if (column) {
      const c = column.getBoundingClientRect();
      const style = getComputedStyle(column);
      const left = c.left + parseFloat(style.borderLeftWidth) + parseFloat(style.paddingLeft);
      const right = c.right - parseFloat(style.borderRightWidth) - parseFloat(style.paddingRight);
      if (box.left < left - SLACK || box.right > right + SLACK) {
        say(`container (${px(box.left)}–${px(box.right)}) runs out of the text column` +
          ` (${px(left)}–${px(right)})`);
      }
    }

    // b. Every data mark shows; every bar with a non-zero amount is more than half a pixel.
    // A mark split by series (a line per colour) draws one group per series: judge the mark
    // as a whole, as a one-point series draws no line but its point shows it.
    const spec = embeds[chart.id] && embeds[chart.id].vgSpec;
    const marks = new Map();
    for (const group of svg.querySelectorAll("g.role-mark")) {
      const type = Object.keys(KINDS).find((t) => group.classList.contains(`mark-${t}`));
      const items = [...group.children];
      if (!type || items.length === 0) continue;
      const name = (items[0].__data__ && items[0].__data__.mark.name) || `${marks.size + 1}`;
      if (!marks.has(name)) marks.set(name, { type, items: [] });
      marks.get(name).items.push(...items);
    }
    for (const [name, { type, items }] of marks) {
      const thin = type === "rule" || type === "line";
      const visible = items.some((el) => {
        const r = el.getBoundingClientRect();
        const size = thin ? r.width + r.height : r.width * r.height;
        return size > 0 && touches(r, svgBox) && shown(el, svg);
      });
      if (!visible) say(`${KINDS[type]} invisible (${name})`);
      if (type !== "rect") continue;
      const squeezed = [];
      for (const el of items) {
        const item = el.__data__;
        const r = el.getBoundingClientRect();
        const known = item ? nonZero(item, spec) : null;
        // Unknown (no compiled spec): take a bar drawn exactly 0px long as a zero amount.
        const counts = known === null ? r.width > 0 && r.height > 0 : known;
        if (counts && (r.width <= 0.5 || r.height <= 0.5)) {
          const what = el.getAttribute("aria-label") || "";
          squeezed.push(`${brief(what)} ${r.width.toFixed(1)}×${r.height.toFixed(1)}px`);
        }
      }
      if (squeezed.length) {
        say(`${squeezed.length} of ${items.length} bars (${name}) not over 0.5px wide and high: ` +
          squeezed.join("; "));
      }
    }

    // c. No text runs out of the svg or was shortened by Vega.
    for (const text of svg.querySelectorAll("text")) {
      const content = words(text);
      if (!content || !shown(text, svg)) continue;
      const r = text.getBoundingClientRect();
      const out = [
        ["left", svgBox.left - r.left], ["right", r.right - svgBox.right],
        ["top", svgBox.top - r.top], ["bottom", r.bottom - svgBox.bottom],
      ].filter(([, by]) => by > SLACK).map(([side, by]) => `${px(by)} ${side}`);
      if (out.length) say(`text ${quote(content)} runs out of the svg (${out.join(", ")})`);
      const lines = text.querySelectorAll("tspan").length
        ? [...text.querySelectorAll("tspan")].map(words) : [content];
      if (lines.some((line) => line.endsWith("…"))) say(`text ${quote(content)} truncated`);
    }

    // d. No two labels of one axis, or of one legend, overlap.
    const collisions = (groups, labels, what) => {
      for (const group of svg.querySelectorAll(groups)) {
        const texts = [...group.querySelectorAll(labels)]
          .filter((t) => words(t) && shown(t, svg))
          .map((t) => [words(t), t.getBoundingClientRect()]);
        const pairs = [];
        texts.forEach(([a, ra], i) => texts.slice(i + 1).forEach(([b, rb]) => {
          if (overlap(ra, rb) > 1) pairs.push(`${quote(a)} / ${quote(b)}`);
        }));
        if (pairs.length) say(`${what} collide: ${pairs.join(", ")}`);
      }
    };
    collisions("g.role-axis", "g.role-axis-label text", "axis labels");
    collisions("g.role-legend", "g.role-legend-label text", "legend labels");
  });
  return problems;
}"""


def chart_pages(site):
    return [p for p in pages(site) if 'class="aibet-chart"' in (site / p).read_text()]


def test_every_chart_fits_and_reads_on_a_phone(site):
    from playwright.sync_api import sync_playwright

    listed = chart_pages(site)
    assert listed, "no page of the site holds a chart"
    problems = []
    with serving(site) as url, sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=FLAGS, headless=True)
        try:
            page = browser.new_page(viewport={"width": PHONE, "height": HEIGHT})
            page.add_init_script(KEEP_EMBEDS)
            for relpath in listed:
                page.goto(f"{url}/{relpath}", timeout=90_000)
                page.evaluate(DRAW_ALL)
                page.wait_for_function(DRAWN, timeout=DRAW_TIMEOUT_MS)
                problems.extend(page.evaluate(FIND_PROBLEMS, {"page": relpath, "width": PHONE}))
            page.close()
        finally:
            browser.close()
    assert problems == [], f"{len(problems)} chart problems:\n" + "\n".join(problems)
