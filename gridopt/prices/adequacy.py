"""Revenue adequacy: what each asset earns at its bus's marginal prices against its annual
cost, the congestion rent of the lines, and the gap between the cost-recovery price and the
average marginal price (nomenclature: :mod:`gridopt.prices`)."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import xarray as xr

from gridopt.prices.basis import year_fraction
from gridopt.prices.marginal import average_marginal_price
from gridopt.prices.recovery import CostRecovery, asset_fixed_costs, cost_recovery


def _bus_prices(r: xr.Dataset, busvar: str) -> np.ndarray:
    """(time, asset) array of the marginal price at each asset's bus."""
    pos = {str(b): j for j, b in enumerate(r.bus.values)}
    idx = [pos[str(b)] for b in r[busvar].values]
    return r["price_cny_per_mwh"].transpose("time", "bus").values[:, idx]


def line_rent(r: xr.Dataset) -> np.ndarray:
    """Congestion (and loss) rent of each line over the horizon [CNY], shape (line,).

    With F the net flow from bus0 to bus1 at the sending end and lf the loss factor, power
    F+ = max(F, 0) leaves bus0 and (1 - lf) F+ arrives at bus1, and F- = max(-F, 0) leaves bus1
    and (1 - lf) F- arrives at bus0 (a line carries power one way in an hour):
    rent = sum_t p1 (1 - lf) F+ - p0 F+ + p0 (1 - lf) F- - p1 F-.
    """
    if not r.sizes["line"]:
        return np.zeros(0)
    p0, p1 = _bus_prices(r, "line_bus0"), _bus_prices(r, "line_bus1")
    flow = r["line_flow_mw"].transpose("time", "line").values
    lf = r["line_loss_factor"].values
    fwd, rev = np.maximum(flow, 0), np.maximum(-flow, 0)
    return (p1 * (1 - lf) * fwd - p0 * fwd + p0 * (1 - lf) * rev - p1 * rev).sum(axis=0)


def revenue_adequacy(r: xr.Dataset) -> pd.DataFrame:
    """Market revenue of every asset at its bus's marginal prices against its annual cost.

    Per asset a at bus b (over the horizon, then scaled to a year by 1/f):
    - thermal:    revenue = sum_t p[t, b] P_a[t];  operating = (fuel + VOM + CO2 x carbon price) x
                  energy + start-up cost
    - renewable:  revenue = sum_t p[t, b] P_a[t] (output used);  operating = VOM x energy
    - storage:    revenue = sum_t p[t, b] (discharge - charge);  operating = VOM x discharge
    - line:       revenue = congestion rent (:func:`line_rent`);  operating = 0

    Columns: ``family``, ``technology``, ``bus``, ``energy_mwh_per_yr`` (net energy injected),
    ``revenue_cny_per_yr``, ``operating_cost_cny_per_yr``, ``margin_cny_per_yr`` = revenue -
    operating, ``annual_fixed_cny_per_yr`` = A_a, ``net_cny_per_yr`` = margin - A_a,
    ``recovery_ratio`` = margin / A_a (NaN without fixed cost), ``realised_price_cny_per_mwh`` =
    revenue / energy (generators only; NaN for storage and lines), ``status`` 'recovers' (net >= 0), 'gap' (net < 0) and ``gap_cny_per_yr`` =
    max(-net, 0), the money the asset needs beyond the market.
    """
    f = year_fraction(r)
    scale = 1.0 / f  # horizon -> year
    fixed = asset_fixed_costs(r)
    rows = []

    def add(name, fam, tech, bus, energy, revenue, operating):
        annual = float(fixed.loc[name, "annual_fixed_cny_per_yr"]) if name in fixed.index else 0.0
        rev, op, e = revenue * scale, operating * scale, energy * scale
        margin = rev - op
        net = margin - annual
        rows.append(
            {
                "asset": name,
                "family": fam,
                "technology": tech,
                "bus": bus,
                "energy_mwh_per_yr": e,
                "revenue_cny_per_yr": rev,
                "operating_cost_cny_per_yr": op,
                "margin_cny_per_yr": margin,
                "annual_fixed_cny_per_yr": annual,
                "net_cny_per_yr": net,
                "recovery_ratio": margin / annual if annual > 0 else math.nan,
                "realised_price_cny_per_mwh": rev / e
                if fam in ("thermal", "renewable") and e > 1e-9
                else math.nan,
                "status": "recovers" if net >= 0 else "gap",
                "gap_cny_per_yr": max(-net, 0.0),
            }
        )

    if r.sizes["thermal"]:
        pr = _bus_prices(r, "thermal_bus")
        p = r["thermal_p_mw"].transpose("time", "thermal").values
        start = (
            r["thermal_startup_mw"].transpose("time", "thermal").values
            * r["thermal_startup_cost_cny_per_mw"].values
        )
        mc = (
            r["thermal_fuel_cost_cny_per_mwh"].values
            + r["thermal_vom_cny_per_mwh"].values
            + r["thermal_co2_t_per_mwh"].values * float(r["carbon_price_cny_per_t"])
        )
        for g, name in enumerate(r.thermal.values):
            add(
                str(name),
                "thermal",
                str(r["thermal_fuel"].values[g]),
                str(r["thermal_bus"].values[g]),
                p[:, g].sum(),
                (pr[:, g] * p[:, g]).sum(),
                mc[g] * p[:, g].sum() + start[:, g].sum(),
            )
    if r.sizes["renewable"]:
        pr = _bus_prices(r, "renewable_bus")
        p = r["renewable_p_mw"].transpose("time", "renewable").values
        for j, name in enumerate(r.renewable.values):
            add(
                str(name),
                "renewable",
                str(r["renewable_carrier"].values[j]),
                str(r["renewable_bus"].values[j]),
                p[:, j].sum(),
                (pr[:, j] * p[:, j]).sum(),
                float(r["renewable_vom_cny_per_mwh"].values[j]) * p[:, j].sum(),
            )
    if r.sizes["storage"]:
        pr = _bus_prices(r, "storage_bus")
        d = r["storage_discharge_mw"].transpose("time", "storage").values
        c = r["storage_charge_mw"].transpose("time", "storage").values
        for s, name in enumerate(r.storage.values):
            add(
                str(name),
                "storage",
                str(r["storage_kind"].values[s]),
                str(r["storage_bus"].values[s]),
                (d[:, s] - c[:, s]).sum(),
                (pr[:, s] * (d[:, s] - c[:, s])).sum(),
                float(r["storage_vom_cny_per_mwh"].values[s]) * d[:, s].sum(),
            )
    rent = line_rent(r)
    for i, name in enumerate(r.line.values):
        bus = f"{r['line_bus0'].values[i]}-{r['line_bus1'].values[i]}"
        add(str(name), "line", "line", bus, 0.0, float(rent[i]), 0.0)
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
