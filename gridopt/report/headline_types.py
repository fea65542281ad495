"""The figures of the headline card and its lines, as plain data (what
:mod:`gridopt.report.headline` computes and :mod:`gridopt.report.headline_tenant` adds to; the
definitions are in :mod:`gridopt.report.headline`'s docstring)."""

from __future__ import annotations

import math
from dataclasses import dataclass, field

__all__ = ["CardRow", "Headline", "Limit", "compare_text"]


@dataclass
class Limit:
    """A limit named on the card: a policy row that binds (``kind`` 'policy', ``name`` its key
    in summary.json's policy block, ``value`` its shadow price in ``unit``) or an asset's
    energy item at its limit input most hours (``kind`` the item's kind, ``name`` the asset,
    ``value`` the share of hours, ``cap_mw`` the limit)."""

    kind: str
    name: str
    value: float
    unit: str = ""
    cap_mw: float = math.nan
    fields: dict = field(default_factory=dict)


@dataclass
class Headline:
    """The card's figures (definitions: the module docstring)."""

    delivered_cny_per_kwh: float
    provincial_cny_per_kwh: float
    benchmark_cny_per_kwh: float
    customer_load_mw: float
    saving_per_year_cny: float
    green_mwh: float
    load_mwh: float
    green_matched_mwh: float  # sum_t min(green_t, load_t)
    drivers: list[tuple[str, float, float]]  # component, CNY/kWh, share of P_del
    limits: list[Limit]
    operating_costs_cny: float
    operating_revenue_cny: float
    plan_as_is_cny_per_kwh: float | None = None
    band: dict | None = None  # p10, p50, p90 [CNY/kWh], n (weather years)
    tenants: list[str] = field(default_factory=list)  # tenant.json's tenants (rank order)
    offers: list[tuple[str, float]] = field(default_factory=list)  # (tenant, offer [CNY/kWh])

    @property
    def vs_provincial_cny_per_kwh(self) -> float:
        return self.delivered_cny_per_kwh - self.provincial_cny_per_kwh

    @property
    def vs_benchmark_cny_per_kwh(self) -> float:
        return self.delivered_cny_per_kwh - self.benchmark_cny_per_kwh

    @property
    def green_share(self) -> float:
        """Hour-matched: sum_t min(green_t, load_t) / sum_t load_t (at most 1)."""
        return self.green_matched_mwh / self.load_mwh if self.load_mwh > 0 else math.nan

    @property
    def green_policy_share(self) -> float:
        """The policy's: sum_t green_t / sum_t load_t (annual matching, exports count)."""
        return self.green_mwh / self.load_mwh if self.load_mwh > 0 else math.nan

    @property
    def operating_cost_cny(self) -> float:
        return self.operating_costs_cny - self.operating_revenue_cny


@dataclass
class CardRow:
    """One line of the card: ``key`` (the data attribute of the HTML card), a label, a value in
    ``unit`` (None for a line of words only) shown with ``decimals``, and the words that explain
    it (``text``; ``note``: the formula or definition, a tooltip on the page)."""

    key: str
    label: str
    value: float | None
    unit: str
    decimals: int
    text: str = ""
    note: str = ""


def compare_text(diff: float, what: str, ref: float, tr) -> str:
    """``diff`` = price - ``ref`` [CNY/kWh] in words: "0.0342 CNY/kWh above the coal benchmark
    (0.3078 CNY/kWh)" (below for a negative difference; equal when it rounds to 0)."""
    key = "hl_equal" if round(diff, 4) == 0 else ("hl_above" if diff > 0 else "hl_below")
    return tr(key, diff=f"{abs(diff):.4f}", what=tr(what), ref=f"{ref:.4f}")
