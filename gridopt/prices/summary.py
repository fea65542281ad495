"""The price fields of ``summary.json``, each computed once per summary."""

from __future__ import annotations

import xarray as xr

from gridopt.io import json_safe
from gridopt.prices.adequacy import market_gap, revenue_adequacy
from gridopt.prices.marginal import setter_shares, tou_prices
from gridopt.prices.recovery import (
    CUSTOMER_LOAD_MW,
    cost_recovery,
    decomposition,
    delivered_price,
)


def summary_fields(r: xr.Dataset, customer_load_mw: float = CUSTOMER_LOAD_MW) -> dict:
    """Price fields added to ``summary.json`` (stable keys for scripts).

    ``cost_recovery_cny_per_mwh`` (P_cr), ``delivered_price_cny_per_kwh`` (P_del),
    ``price_decomposition`` (component -> CNY/kWh; the parts add up to P_del),
    ``average_marginal_price_cny_per_mwh`` (load-weighted over all buses),
    ``price_gap_cny_per_mwh`` (P_cr - average marginal), ``cost_recovery`` (basis: energy,
    fixed and operating cost, pro-rating, excluded slack penalties), ``delivered_price``
    (comparison with the benchmark and provincial tariff, saving for a flat
    ``customer_load_mw`` load), ``tou_average_prices_cny_per_mwh`` (period -> bus -> price),
    ``price_setter_share_by_technology`` (technology -> share of all bus-hours) and
    ``revenue_adequacy`` (asset -> status, recovery ratio, gap per year). Prices that cannot be
    computed (no load) are null. The cost-recovery price is computed once and shared.
    """
    cr = cost_recovery(r)
    dp = delivered_price(r, customer_load_mw, cr)
    gap = market_gap(r, cr)
    tou = tou_prices(r)
    setters = setter_shares(r, "technology")
    ra = revenue_adequacy(r)
    out = {
        "cost_recovery_cny_per_mwh": cr.price_cny_per_mwh,
        "delivered_price_cny_per_kwh": dp["delivered_cny_per_kwh"],
        "price_decomposition": decomposition(r, cr),
        "average_marginal_price_cny_per_mwh": gap["average_marginal_cny_per_mwh"],
        "price_gap_cny_per_mwh": gap["gap_cny_per_mwh"],
        "cost_recovery": {
            "energy_delivered_mwh": cr.energy_delivered_mwh,
            "fixed_cost_cny": cr.fixed_cost_cny,
            "operating_cost_cny": cr.operating_cost_cny,
            "excluded_slack_penalty_cny": cr.slack_penalty_cny,
            "year_fraction": cr.year_fraction,
            "fixed_costs_prorated": cr.year_fraction < 1.0,
            "note": cr.note,
            "items_cny": cr.items_cny,
        },
        "delivered_price": dp,
        "tou_average_prices_cny_per_mwh": {
            k: {c: tou.loc[k, c] for c in tou.columns} for k in tou.index
        },
        "price_setter_share_by_technology": {str(k): float(v) for k, v in setters["all"].items()},
        "revenue_adequacy": {
            str(a): {
                "status": row["status"],
                "recovery_ratio": row["recovery_ratio"],
                "gap_cny_per_yr": row["gap_cny_per_yr"],
            }
            for a, row in ra.iterrows()
        },
    }
    return json_safe(out)
