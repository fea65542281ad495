"""Revenue adequacy: what each asset earns at its bus's marginal prices against its annual
cost, the congestion rent of the lines, and the gap between the cost-recovery price and the
average marginal price (nomenclature: :mod:`gridopt.prices`)."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import xarray as xr

from gridopt.model import DECLARATIONS
from gridopt.model.network import bus_prices, line_rent  # noqa: F401 (line_rent re-exported)
from gridopt.prices.basis import year_fraction
from gridopt.prices.marginal import average_marginal_price
from gridopt.prices.recovery import (
    GRID,
    CostRecovery,
    asset_fixed_costs,
    cost_recovery,
    technology_of,
)
from gridopt.results import assets_alone


def revenue_adequacy(r: xr.Dataset) -> pd.DataFrame:
    """Market revenue of every asset at its bus's marginal prices against its annual cost.

    Per asset a of each family whose capital the local price recovers (:data:`GRID`, in the
    declarations' order: thermal, renewables, storage, lines), over the horizon, then scaled to a year by
    1/f, from the family's declaration:
    - revenue = sum_t p[t, b] x (supply - use) of its energy items (thermal and renewable
      output; storage discharge - charge), or the family's own ``revenue`` (a line's
      congestion rent, :func:`gridopt.model.network.line_rent`);
    - operating = its cost items with a price component, evaluated on the asset alone
      (:func:`gridopt.results.assets_alone`; thermal: fuel + VOM + CO2 x carbon price per MWh
      and start-ups; renewables and storage: VOM);
    - energy = supply - use [MWh] (0 for a line).

    Columns: ``family``, ``technology``, ``bus``, ``energy_mwh_per_yr`` (net energy injected),
    ``revenue_cny_per_yr``, ``operating_cost_cny_per_yr``, ``margin_cny_per_yr`` = revenue -
    operating, ``annual_fixed_cny_per_yr`` = A_a, ``net_cny_per_yr`` = margin - A_a,
    ``recovery_ratio`` = margin / A_a (NaN without fixed cost), ``realised_price_cny_per_mwh`` =
    revenue / energy (families that only supply; NaN for storage and lines), ``status``
    'recovers' (net >= 0), 'gap' (net < 0) and ``gap_cny_per_yr`` = max(-net, 0), the money the
    asset needs beyond the market.
    """
    f = year_fraction(r)
    scale = 1.0 / f  # horizon -> year
    annual_of = asset_fixed_costs(r)["annual_fixed_cny_per_yr"].to_dict()
    v = r.variables  # arrays read without building a DataArray each time
    rows = []
    for fam in (f for f in DECLARATIONS if f in GRID):  # thermal, renewables, storage, lines
        n = r.sizes.get(fam.dim, 0)
        if not n:
            continue
        ends = [field for field, section in fam.references.items() if section == "buses"]
        if fam.revenue is not None:
            revenue, energy = np.asarray(fam.revenue(r), float), np.zeros(n)
        else:
            net = np.zeros((r.sizes["time"], n))
            for e in fam.energy:
                x = v[e.result].transpose("time", fam.dim).values
                net = net + x if e.supply else net - x
            revenue = (bus_prices(r, f"{fam.dim}_bus") * net).sum(axis=0)
            energy = net.sum(axis=0)
        generator = all(e.supply for e in fam.energy) and fam.revenue is None
        priced = [c for c in fam.costs if c.component is not None]
        operating = [sum(c.cost_cny(alone) for c in priced) for alone in assets_alone(r, fam.dim)]
        techs = technology_of(r, fam)
        bus_of = {x: v[f"{fam.dim}_{x}"].values for x in ends}
        for a, name in enumerate(v[fam.dim].values):
            name = str(name)
            annual = float(annual_of.get(name, 0.0))
            rev, op, e = float(revenue[a]) * scale, float(operating[a]) * scale, energy[a] * scale
            margin = rev - op
            net_a = margin - annual
            rows.append(
                {
                    "asset": name,
                    "family": fam.dim,
                    "technology": techs[a],
                    "bus": "-".join(str(bus_of[x][a]) for x in ends),
                    "energy_mwh_per_yr": float(e),
                    "revenue_cny_per_yr": rev,
                    "operating_cost_cny_per_yr": op,
                    "margin_cny_per_yr": margin,
                    "annual_fixed_cny_per_yr": annual,
                    "net_cny_per_yr": net_a,
                    "recovery_ratio": margin / annual if annual > 0 else math.nan,
                    "realised_price_cny_per_mwh": rev / e if generator and e > 1e-9 else math.nan,
                    "status": "recovers" if net_a >= 0 else "gap",
                    "gap_cny_per_yr": max(-net_a, 0.0),
                }
            )
    cols = [
        "asset",
        "family",
        "technology",
        "bus",
        "energy_mwh_per_yr",
        "revenue_cny_per_yr",
        "operating_cost_cny_per_yr",
        "margin_cny_per_yr",
        "annual_fixed_cny_per_yr",
        "net_cny_per_yr",
        "recovery_ratio",
        "realised_price_cny_per_mwh",
        "status",
        "gap_cny_per_yr",
    ]
    return pd.DataFrame(rows, columns=cols).set_index("asset")


def market_gap(r: xr.Dataset, cr: CostRecovery | None = None) -> dict[str, float]:
    """Gap between what load pays at marginal prices and what the system costs.

    average_marginal = sum_{t,b} p c / E (load-weighted over all buses) [CNY/MWh];
    gap = P_cr - average_marginal [CNY/MWh] (positive: marginal prices alone do not recover
    the system's cost); missing_money = gap x E / f [CNY/yr]. ``cr``: :func:`cost_recovery`
    of ``r`` when already computed.
    """
    cr = cost_recovery(r) if cr is None else cr
    avg = average_marginal_price(r)
    gap = cr.price_cny_per_mwh - avg
    return {
        "average_marginal_cny_per_mwh": avg,
        "cost_recovery_cny_per_mwh": cr.price_cny_per_mwh,
        "gap_cny_per_mwh": gap,
        "missing_money_cny_per_yr": gap * cr.energy_delivered_mwh / year_fraction(r),
    }
