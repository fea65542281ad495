"""The headline card of a tenant study's folder (``gridopt tenant --report``): the results there
are the base case, the grid without the tenants (the fleet as it is), and ``tenant.json`` beside
them holds each tenant's figures (:mod:`gridopt.tenant`).

- With an offer price (``offer_price_cny_per_kwh`` of a tenant not null: the scenario has
  expansion options, ``mode: "plan"``; the same figure ``--offer`` prints on the offer sheet),
  the card leads with it, P_offer = LRIC / 1000 + network charge + funds [CNY/kWh], against the
  coal benchmark and the provincial tariff (P_offer - R, as the delivered price), one line per
  tenant with an offer in rank order, the first one large; the grid's delivered price
  P_del of the base case stands beside it under its own name (never as the offer).
- Without an offer (dispatch mode: there is only a short-run price, in the tenant table), the
  card leads with P_del as before, labelled as the grid's price without the tenants.
"""

from __future__ import annotations

import math

from gridopt.report.headline_types import CardRow, Headline, compare_text

OFFER = "offer_price_cny_per_kwh"


def tenant_offers(tenants: list[dict]) -> list[tuple[str, float]]:
    """(name, P_offer [CNY/kWh]) of each tenant of tenant.json with a finite offer price, in
    the order given (rank order)."""
    out = []
    for t in tenants:
        v = t.get(OFFER)
        if isinstance(v, (int, float)) and not isinstance(v, bool) and math.isfinite(v):
            out.append((str(t.get("name")), float(v)))
    return out


def offer_key(i: int) -> str:
    """The card row key of the i-th offer (0: the one shown large)."""
    return "offer-cny-per-kwh" if i == 0 else f"offer-cny-per-kwh-{i + 1}"


def offer_rows(h: Headline, tr) -> list[CardRow]:
    """One card row per tenant offer: P_offer with its comparisons and its definition."""
    return [
        CardRow(
            offer_key(i),
            tr("hl_offer", name=name),
            price,
            tr("hl_kwh"),
            4,
            tr("hl_sep").join(
                [
                    compare_text(
                        price - h.benchmark_cny_per_kwh, "hl_benchmark", h.benchmark_cny_per_kwh, tr
                    ),
                    compare_text(
                        price - h.provincial_cny_per_kwh,
                        "hl_provincial",
                        h.provincial_cny_per_kwh,
                        tr,
                    ),
                ]
            ),
            tr("hl_offer_note"),
        )
        for i, (name, price) in enumerate(h.offers)
    ]
