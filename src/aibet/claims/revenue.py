"""The revenue arithmetic: what the build-out must earn, in three published styles.

Every function is pure and vectorised: pass NumPy arrays (or scalars) for any assumption and the
result broadcasts, so a 10,000-point parameter grid is one call. Money is in USD bn throughout.

- `bain_required_revenue` / `bain_shortfall`: Bain & Company's chain from yearly data-center
  capex to the revenue that sustains it (capex as a share of revenue).
- `sequoia_required_revenue` / `sequoia_gap`: Sequoia's "AI's $600B question": an accelerator
  revenue run-rate scaled up to the whole data center, then to end-user revenue at a gross margin.
- `payback_required_revenue`: the yearly cost of a capex stock (straight-line depreciation over
  a useful life, a return on the undepreciated capital, and operating costs) grossed up by an
  end-user gross margin: the revenue that pays the build-out back.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass

import numpy as np


def bain_required_revenue(capex_per_year, capex_to_revenue):
    """Revenue that carries `capex_per_year` when capex may be `capex_to_revenue` of revenue."""
    return np.asarray(capex_per_year, dtype=float) / np.asarray(capex_to_revenue, dtype=float)


def bain_shortfall(required_revenue, funded_revenue):
    """What is left unfunded once the revenue sources counted in `funded_revenue` are applied."""
    return np.asarray(required_revenue, dtype=float) - np.asarray(funded_revenue, dtype=float)


def sequoia_required_revenue(accelerator_run_rate, accelerator_share_of_cost, end_user_margin):
    """Revenue end users must pay for the data centers an accelerator run-rate implies.

    The accelerators are `accelerator_share_of_cost` of a data center's cost (Sequoia: half, so
    the rest — energy, buildings, backup — doubles it), and the companies selling AI to end users
    need `end_user_margin` of gross margin on top (Sequoia: 50%, doubling it again).
    """
    cost = np.asarray(accelerator_run_rate, dtype=float) / np.asarray(accelerator_share_of_cost)
    return cost / (1.0 - np.asarray(end_user_margin, dtype=float))


def sequoia_gap(required_revenue, ai_revenue):
    """Sequoia's "hole": revenue needed minus the AI revenue one can find or assume."""
    return np.asarray(required_revenue, dtype=float) - np.asarray(ai_revenue, dtype=float)


def depreciation_weights(useful_life, years: int):
    """Share of a year's capex expensed 0, 1, … `years`-1 years after it was spent.

    Straight line over `useful_life` years (fractional lives allowed: 5.5 years expenses 1/5.5 in
    each of the first five years and half of that in the sixth), full-year convention: an asset
    starts depreciating in the year it is bought. Shape: ``(*np.shape(useful_life), years)``.
    """
    life = np.asarray(useful_life, dtype=float)[..., None]
    age = np.arange(years, dtype=float)
    return np.clip(life - age, 0.0, 1.0) / life


def net_book_weights(useful_life, years: int):
    """Share of a year's capex still undepreciated at the end of each later year."""
    life = np.asarray(useful_life, dtype=float)[..., None]
    age = np.arange(years, dtype=float)
    return np.clip(1.0 - (age + 1.0) / life, 0.0, 1.0)


def _stack(capex_history) -> np.ndarray:
    """Yearly capex, newest year first, as a float array."""
    return np.asarray(capex_history, dtype=float)[::-1]


def annual_depreciation(capex_history, useful_life):
    """Depreciation in the last year of `capex_history` (oldest first) for each useful life."""
    newest_first = _stack(capex_history)
    return (depreciation_weights(useful_life, newest_first.size) * newest_first).sum(axis=-1)


def net_book_value(capex_history, useful_life):
    """Undepreciated capital at the end of the last year of `capex_history` (oldest first)."""
    newest_first = _stack(capex_history)
    return (net_book_weights(useful_life, newest_first.size) * newest_first).sum(axis=-1)


def payback_required_revenue(
    capex_history, useful_life, required_return, operating_share, end_user_margin, ai_share=1.0
):
    """Revenue that pays back the AI share of a capex stock in the last year of its history.

    Capital cost = depreciation + `required_return` × net book value; the operating costs
    (power, cooling, staff) are `operating_share` of the data centers' total yearly cost, so total
    cost = capital cost / (1 − operating_share); end users then need `end_user_margin` of gross
    margin on top, as in Sequoia's chain. `ai_share` is the part of the capex that is for AI.
    """
    capital = annual_depreciation(capex_history, useful_life) + np.asarray(
        required_return, dtype=float
    ) * net_book_value(capex_history, useful_life)
    total_cost = capital * np.asarray(ai_share, dtype=float) / (1.0 - np.asarray(operating_share))
    return total_cost / (1.0 - np.asarray(end_user_margin, dtype=float))


def cost_coverage(
    ai_revenue, capex_history, useful_life, required_return, operating_share, ai_share
):
    """How much of the AI capital's yearly cost (no end-user margin) AI revenue covers: 1 is all."""
    cost = payback_required_revenue(
        capex_history, useful_life, required_return, operating_share, 0.0, ai_share
    )
    return np.asarray(ai_revenue, dtype=float) / cost


def lifetime_required_revenue(
    spend, useful_life, required_return, operating_share, end_user_margin, ai_share=1.0
):
    """Revenue over an asset's whole life that pays back `spend` made in one year.

    The sum over the life of `payback_required_revenue` for that single year of spending: the
    spend itself, plus the return on what is left undepreciated each year, grossed up for
    operating costs and the end users' margin. With no return and no operating costs this is
    Sequoia's chain: spend / (1 − margin).
    """
    life = np.asarray(useful_life, dtype=float)
    years = int(np.ceil(life.max())) + 1
    carried = net_book_weights(life, years).sum(axis=-1)
    capital = np.asarray(spend, dtype=float) * (1.0 + np.asarray(required_return) * carried)
    total = capital * np.asarray(ai_share, dtype=float) / (1.0 - np.asarray(operating_share))
    return total / (1.0 - np.asarray(end_user_margin, dtype=float))


@dataclass(frozen=True)
class Assumption:
    """One assumption of the payback model, its central value and its plausible range."""

    name: str
    label: str
    central: float
    low: float
    high: float
    why: str


def grid(**axes) -> dict[str, np.ndarray]:
    """Every combination of the given axes, as flat arrays of equal length (a full grid)."""
    names = list(axes)
    combos = np.array(list(itertools.product(*(np.atleast_1d(axes[n]) for n in names))), float)
    return {name: combos[:, i] for i, name in enumerate(names)}


def tornado(model, assumptions: list[Assumption]) -> list[dict]:
    """Swing of `model(**values)` when each assumption moves alone from its low to its high.

    Returns one row per assumption, largest swing first: the model's value at the low and the
    high end with every other assumption at its central value.
    """
    central = {a.name: a.central for a in assumptions}
    base = float(model(**central))
    rows = []
    for a in assumptions:
        at_low = float(model(**{**central, a.name: a.low}))
        at_high = float(model(**{**central, a.name: a.high}))
        rows.append(
            {
                "assumption": a.label,
                "low": a.low,
                "high": a.high,
                "at_low": at_low,
                "at_high": at_high,
                "base": base,
                "swing": abs(at_high - at_low),
            }
        )
    return sorted(rows, key=lambda r: r["swing"], reverse=True)
