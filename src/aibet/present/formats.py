"""How numbers, dates and verdicts read wherever the book shows them: one rule for each."""

from __future__ import annotations

import html

from aibet.claims import engine

COMPARATOR_WORDS = {">": "more than", "<": "less than", "≈": "about"}


def fmt_value(value: float | None, unit: str | None) -> str:
    """A ledger value as the page and the tests print it."""
    if value is None or value != value:  # None or NaN: nothing computable
        return "—"
    if unit and unit.startswith("USD bn"):
        sign = "−" if value < 0 else ""
        digits = 1 if abs(value) < 10 else 0
        return f"{sign}${abs(value):,.{digits}f} bn"
    if unit == "ratio":
        return f"{value:,.0f}×" if float(value).is_integer() else f"{value:,.2f}×"
    if unit == "percent":  # as a person writes a share: 78%, 5.6%
        return f"{value:,.{1 if abs(value) < 10 else 0}f}%"
    if float(value).is_integer():  # a count: 400 MW, 1,184 people
        return f"{value:,.0f} {unit or ''}".strip()
    return f"{value:,.2f} {unit or ''}".strip()


def value_phrase(claim: engine.Claim | str, value: float | None) -> str:
    """A claim's value in words ('net cash of $195 bn', '94% of the fiber idle'); empty when
    the date judged gives no value (its verdict says why)."""
    claim = engine.REGISTRY[claim] if isinstance(claim, str) else claim
    if value is None or value != value:
        return ""
    positive, negative = claim.value_words
    return (negative if value < 0 else positive).format(fmt_value(abs(value), claim.unit))


def article_phrase(claim: engine.Claim | str) -> str:
    """The article's figure as it reads: 'more than $1,000 bn'; empty for a claim of fact."""
    claim = engine.REGISTRY[claim] if isinstance(claim, str) else claim
    if claim.article_value is None:
        return ""
    figure = claim.value_words[0].format(fmt_value(claim.article_value, claim.unit))
    return f"{COMPARATOR_WORDS.get(claim.comparator or '', '')} {figure}".strip()


def fmt_day(date) -> str:
    """A date as the prose writes it: '26 September 2025'."""
    import pandas as pd

    return pd.Timestamp(date).strftime("%-d %B %Y")


def fmt_robustness(share: float | None) -> str:
    return "—" if share is None else f"{share:.0%}"


def verdict_badge(verdict: str) -> str:
    # The label is the verdict's own words: colour only repeats what the text says.
    css = verdict.replace(" ", "-")
    return f'<span class="verdict verdict-{css}">{html.escape(verdict)}</span>'
