"""What a chapter notebook shows of a claim: its numbers glued into the prose, its verdict box,
and its verdict over time. The engine decides; this module only formats.

In a notebook, per claim::

    inv1 = story.Story(book, "INV-1", as_of)
    inv1.glue()                                       # inv1_<fact>, inv1_<fact>_pub, …
    inv1.figure(investment_charts.capex_bars)         # the claim's chart, or why there is none
    inv1.verdict_box()
    inv1.timeline_figure()
"""

from __future__ import annotations

import html
import string

from aibet import PUBLICATION_DATE
from aibet.claims import catalog, engine
from aibet.present import charts, front
from aibet.present.formats import fmt_day, fmt_robustness, fmt_value, value_phrase, verdict_badge

UNKNOWN = "not yet known"
"""What the prose shows for a fact the date judged does not give (the verdict says why)."""


def fmt_fact(value, unit: str | None) -> str:
    """A fact as the prose prints it: money and ratios by `fmt_value`, shares as percents."""
    if value is None:
        return UNKNOWN
    if unit == "share":
        return f"{value:.0%}"
    if unit is None:
        return str(value)
    return fmt_value(value, unit)


class Story:
    """One claim judged at publication and on the chapter's `as_of`, ready to show."""

    def __init__(self, book: catalog.Book, claim_id: str, as_of: str = "latest"):
        self.claim = engine.REGISTRY[claim_id]
        self.prefix = claim_id.lower().replace("-", "")
        self.book = book
        self.as_of = as_of
        self.at_publication = book.judge(self.claim, PUBLICATION_DATE)
        self.latest = book.judge(self.claim, as_of)

    def fact(self, name: str, at_publication: bool = False) -> str:
        judged = self.at_publication if at_publication else self.latest
        return fmt_fact(judged.facts.get(name), self.claim.facts[name])

    def sentence(self, template: str, otherwise: str | None = None) -> str:
        """`template` filled with `texts` (a fact `{name}` as of the chapter's date,
        `{name_pub}` as known at publication, a range `{x_range}`, …). Where a fact it names is not known: `otherwise`,
        or else what keeps the claim from being reproduced on that date, rather than "not yet
        known" in every blank."""
        names = [name for _, name, _, _ in string.Formatter().parse(template) if name]
        for judged, pub in ((self.latest, False), (self.at_publication, True)):
            wanted = [n.removesuffix("_pub") for n in names if n.endswith("_pub") == pub]
            if any(judged.facts.get(n) is None for n in wanted):
                if otherwise is not None:
                    return otherwise
                when = (
                    "what was public at publication"
                    if pub
                    else f"the data of {fmt_day(judged.as_of)}"
                )
                return f"{self.claim.id} cannot be reproduced with {when}: {judged.reason}."
        return template.format_map(self.texts())

    def glue_sentences(self, templates: dict) -> None:
        """Glue each `sentence` as `<id>_<name>`: {name: template, or (template, otherwise)}."""
        from myst_nb import glue

        for name, template in templates.items():
            template, otherwise = template if isinstance(template, tuple) else (template, None)
            glue(f"{self.prefix}_{name}", self.sentence(template, otherwise), display=False)

    def texts(self) -> dict[str, str]:
        """Every declared fact (latest as `<fact>`, at publication as `<fact>_pub`), each pair
        `<x>_low`/`<x>_high` also as one range `<x>_range` ("1.2%" when both ends read the
        same, never "1.2% to 1.2%"), and the verdicts, values and reasons, as formatted text."""
        texts = {}
        for name in self.claim.facts:
            texts[name] = self.fact(name)
            texts[f"{name}_pub"] = self.fact(name, at_publication=True)
        for name in self.claim.facts:
            base = name.removesuffix("_low")
            if base != name and f"{base}_high" in self.claim.facts:
                for suffix in ("", "_pub"):
                    low, high = texts[f"{base}_low{suffix}"], texts[f"{base}_high{suffix}"]
                    texts[f"{base}_range{suffix}"] = low if low == high else f"{low} to {high}"
        for suffix, judged in (("", self.latest), ("_pub", self.at_publication)):
            texts[f"verdict{suffix}"] = judged.verdict
            texts[f"value{suffix}"] = value_phrase(self.claim, judged.value) or UNKNOWN
            texts[f"reason{suffix}"] = judged.reason
            texts[f"date{suffix}"] = fmt_day(judged.as_of)
        return texts

    def glue(self) -> None:
        """Glue each of `texts` as `<id>_<name>`."""
        from myst_nb import glue

        for key, text in self.texts().items():
            glue(f"{self.prefix}_{key}", text, display=False)

    def figure(self, draw) -> charts.Figure | charts.Note:
        """The claim's chart drawn by `draw(judgement)` from the latest judgement's frame, or a
        note saying why there is nothing to draw on this date."""
        if self.latest.frame is None:
            return charts.Note(f"No chart for {fmt_day(self.latest.as_of)}: {self.latest.reason}.")
        return draw(self.latest)

    def verdict_box(self) -> charts.Html:
        """Both verdicts with their values, the reason, the confidence and the evidence grade;
        for a verdict that is not firm, menus to move its assumptions and see the verdict."""
        box = verdict_box_html(self.at_publication, self.latest)
        if self.latest.confidence in (None, "firm"):
            return charts.Html(box)
        explorer = charts.assumption_explorer(
            self.claim,
            self.book.explore(self.claim, self.as_of),
            self.book.values.get(self.claim.chapter, {}),
        )
        return charts.Html(box + explorer._repr_html_())

    def timeline(self) -> list[dict]:
        return self.book.timeline(claim_id=self.claim.id)

    def timeline_figure(self) -> charts.Figure:
        rows = self.timeline()
        return charts.verdict_timeline(self.claim, rows, front.timeline_sentence(rows))


def _side(title: str, judged: engine.Judgement) -> str:
    value = value_phrase(judged.claim, judged.value)
    return (
        f'<div class="aibet-verdict-side"><p class="aibet-verdict-when">{html.escape(title)}</p>'
        f"<p>{verdict_badge(judged.verdict)} {html.escape(value)}</p>"
        f'<p class="aibet-verdict-reason">{html.escape(judged.reason)}.</p></div>'
    )


def confidence_sentence(judged: engine.Judgement) -> str:
    """'Firm: holds under every plausible assumption.' / 'Contested: … roughly right if …'."""
    if judged.robustness is None:
        return ""
    from aibet.claims.rubric import plain_share

    text = f"{judged.confidence.capitalize()}: holds {plain_share(judged.robustness)}"
    text += f" ({fmt_robustness(judged.robustness)} of the grid)"
    if judged.flips_to:
        text += f"; {judged.flips_to} with {judged.flips_if}"
    return text + "."


def grade_sentence(judged: engine.Judgement) -> str:
    if judged.evidence_grade is None:
        return ""
    return f"Evidence: {judged.evidence_grade:.0%} of the figures used come from their producers."


def verdict_box_html(at_publication: engine.Judgement, latest: engine.Judgement) -> str:
    latest_title = f"With the data of {fmt_day(latest.as_of)}"
    notes = " ".join(s for s in (confidence_sentence(latest), grade_sentence(latest)) if s)
    return (
        f'<div class="aibet-verdict" role="group" aria-label="Verdict on {latest.claim.id}">'
        f"{_side(f'As known at publication ({fmt_day(PUBLICATION_DATE)})', at_publication)}"
        f"{_side(latest_title, latest)}"
        + (f'<p class="aibet-verdict-notes">{html.escape(notes)}</p>' if notes else "")
        + "</div>"
    )


def sources_table(*stories: Story) -> charts.Html:
    """The chapter's source list: every document any of its claims read, on either date."""
    import pandas as pd

    documents = pd.concat(
        [j.documents for s in stories for j in (s.at_publication, s.latest)], ignore_index=True
    ).drop_duplicates("source_id")
    return charts.Html(charts.sources_table(documents, list(documents["source_id"])))
