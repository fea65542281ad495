r"""Technology statistics of a results Dataset: what each asset and each technology produced,
earned and cost, and what each load pays (as PyPSA's ``statistics()``), from the family
declarations (:data:`gridopt.model.BALANCE`) without naming a family.

Pure functions on the results Dataset written by ``gridopt run`` (no solver); every step is one
hour, so MW summed over the hours is MWh. Money and energy are over the horizon, except the
columns named ``_per_yr``.

Nomenclature
------------
t            hour of the horizon, H hours in all; f = min(H / 8760, 1) the share of a year
a            an asset with a supply energy item of its own (``Energy.supply``, ``per_asset``,
             a ``kind``: today thermal units, wind and PV, stores, ties), at bus b(a)
s[a, t]      its supply: the sum of its supply items [MW] (a store: discharge; a tie: import)
u[a, t]      its use: the sum of its other items on the use side [MW] (a store: charge)
p[t, b]      marginal price at bus b [CNY/MWh] (dual of the bus balance)
C_a          capacity [MW] of its first supply item (:func:`gridopt.model.policy.firm_input`:
             ``p_nom_mw``, ``p_discharge_max_mw``, ``import_max_mw``)
K[a, t]      curtailed output, A[a, t] available output [MW] (items that declare them)
A_a          annual capital + fixed O&M [CNY/yr] (:func:`gridopt.prices.asset_fixed_costs`,
             the cost-recovery inputs; NaN for an asset whose capital the local price does not
             recover: a tie)
P_avg        load-weighted average marginal price over all buses and hours [CNY/MWh]

Columns (per asset; per technology the sums, and the ratios recomputed from the sums)
-------------------------------------------------------------------------------------
energy_mwh                   E_a = sum_t s[a, t]
capacity_mw                  C_a
capacity_factor              E_a / (C_a H)  (NaN for C_a = 0)
curtailment_mwh              sum_t K[a, t]
available_mwh                sum_t A[a, t]
curtailment_share            curtailment / available  (NaN without an available output)
capture_price_cny_per_mwh    sum_t p[t, b(a)] s[a, t] / E_a: the output-weighted marginal price
market_value_ratio           capture price / P_avg
revenue_cny                  sum_t p[t, b(a)] (s[a, t] - u[a, t]): the asset's market revenue
operating_cost_cny           its cost items with a price component, on the asset alone (fuel,
                             VOM, carbon, start-ups; a tie: imports paid minus exports sold)
annual_fixed_cny_per_yr      A_a
fixed_cny                    f A_a: the horizon's share
levelised_cost_cny_per_mwh   (f A_a + operating) / E_a: with all capital, sunk or new

Per technology (the supply item's ``tech`` input: fuel, carrier, store kind; else its kind)
the columns are summed over its assets, and capacity_factor, curtailment_share, capture price
(= sum of p s / sum of s), market_value_ratio and levelised cost are recomputed from the sums.

Per load (every asset of an item declared ``load``: fixed, flexible, interruptible loads,
electrolysers): energy_mwh = sum_t x[l, t] and the price it pays weighted by its own profile,
``load_weighted_price_cny_per_mwh`` = sum_t p[t, b(l)] x[l, t] / energy.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import xarray as xr

from gridopt.model import BALANCE
from gridopt.model import policy as _policy
from gridopt.model.network import bus_prices
from gridopt.prices import asset_fixed_costs, average_marginal_price, year_fraction
from gridopt.results import weighted_average

ASSET_COLUMNS = (
    "family",
    "technology",
    "bus",
    "energy_mwh",
    "capacity_mw",
    "capacity_factor",
    "curtailment_mwh",
    "available_mwh",
    "curtailment_share",
    "capture_price_cny_per_mwh",
    "market_value_ratio",
    "revenue_cny",
    "operating_cost_cny",
    "annual_fixed_cny_per_yr",
    "fixed_cny",
    "levelised_cost_cny_per_mwh",
)
"""The columns of :func:`asset_statistics` (index ``asset``)."""

SUMMED = (
    "energy_mwh",
    "capacity_mw",
    "curtailment_mwh",
    "available_mwh",
    "revenue_cny",
    "operating_cost_cny",
    "annual_fixed_cny_per_yr",
    "fixed_cny",
)
"""Columns a technology sums over its assets."""

LOAD_COLUMNS = ("family", "bus", "energy_mwh", "load_weighted_price_cny_per_mwh")


def producers(r: xr.Dataset):
    """The families of the results with a per-asset supply item that has a kind, in the order of
    :data:`gridopt.model.BALANCE`: (family, its supply items, its other per-asset use items)."""
    for fam in BALANCE:
        if not r.sizes.get(fam.dim, 0):
            continue
        supply = [e for e in fam.energy if e.supply and e.per_asset and e.kind is not None]
        if not supply:
            continue
        use = [e for e in fam.energy if not e.supply and e.per_asset and e.kind is not None]
        yield fam, supply, use


def _ratio(num: float, den: float) -> float:
    return num / den if den > 0 else math.nan


def asset_statistics(r: xr.Dataset) -> pd.DataFrame:
    """Per asset: energy, capacity factor, curtailment, capture price, market value, revenue,
    costs and levelised cost (columns :data:`ASSET_COLUMNS`, index ``asset``; the module
    docstring defines each)."""
    H = int(r.sizes["time"])
    f = year_fraction(r)
    avg = average_marginal_price(r)
    fixed = asset_fixed_costs(r)
    rows = []
    for fam, supply, use in producers(r):
        n = r.sizes[fam.dim]
        p = bus_prices(r, f"{fam.dim}_bus")  # (T, n)
        s = sum(r[e.result].transpose("time", fam.dim).values for e in supply)
        u = sum((r[e.result].transpose("time", fam.dim).values for e in use), np.zeros_like(s))
        curt = sum(
            (r[e.curtailed].transpose("time", fam.dim).values for e in supply if e.curtailed),
            np.zeros_like(s),
        )
        avail = sum(
            (r[e.available].transpose("time", fam.dim).values for e in supply if e.available),
            np.zeros_like(s),
        )
        cap_name = _policy.firm_input(r, fam, supply[0])
        caps = r[cap_name].values if cap_name in r else np.full(n, math.nan)
        techs = _policy.technologies(r, fam, supply[0])
        priced = [c for c in fam.costs if c.component is not None]
        own = fixed[fixed["family"] == fam.dim]
        for a, name in enumerate(map(str, r[fam.dim].values)):
            e = float(s[:, a].sum())
            op = sum((c.cost_cny(r.isel({fam.dim: [a]})) for c in priced), 0.0)
            annual = (
                float(own.loc[name, "annual_fixed_cny_per_yr"]) if name in own.index else math.nan
            )
            capture = _ratio(float((p[:, a] * s[:, a]).sum()), e)
            cap = float(caps[a])
            rows.append(
                {
                    "asset": name,
                    "family": fam.dim,
                    "technology": techs[a],
                    "bus": str(r[f"{fam.dim}_bus"].values[a]),
                    "energy_mwh": e,
                    "capacity_mw": cap,
                    "capacity_factor": _ratio(e, cap * H),
                    "curtailment_mwh": float(curt[:, a].sum()),
                    "available_mwh": float(avail[:, a].sum()),
                    "curtailment_share": _ratio(float(curt[:, a].sum()), float(avail[:, a].sum())),
                    "capture_price_cny_per_mwh": capture,
                    "market_value_ratio": capture / avg if avg else math.nan,
                    "revenue_cny": float((p[:, a] * (s[:, a] - u[:, a])).sum()),
                    "operating_cost_cny": float(op),
                    "annual_fixed_cny_per_yr": annual,
                    "fixed_cny": f * annual,
                    "levelised_cost_cny_per_mwh": _ratio(f * annual + float(op), e),
                }
            )
    return pd.DataFrame(rows, columns=["asset", *ASSET_COLUMNS]).set_index("asset")


def technology_statistics(r: xr.Dataset, assets: pd.DataFrame | None = None) -> pd.DataFrame:
    """Per technology (index ``technology``, columns :data:`ASSET_COLUMNS` but ``bus``): the
    columns of :data:`SUMMED` summed over its assets, the ratios recomputed from the sums (the
    capture price is the output-weighted price over all its assets). ``assets``:
    :func:`asset_statistics` of ``r`` when already computed."""
    a = asset_statistics(r) if assets is None else assets
    H = int(r.sizes["time"])
    avg = average_marginal_price(r)
    rows = []
    for (fam, tech), g in a.groupby(["family", "technology"], sort=False):
        row = {"technology": tech, "family": fam}
        row.update({c: float(g[c].sum(min_count=1)) for c in SUMMED})
        e = row["energy_mwh"]
        value = float((g["capture_price_cny_per_mwh"].fillna(0.0) * g["energy_mwh"]).sum())
        capture = _ratio(value, e)
        has_fixed = g["annual_fixed_cny_per_yr"].notna().all()
        row.update(
            {
                "capacity_factor": _ratio(e, row["capacity_mw"] * H),
                "curtailment_share": _ratio(row["curtailment_mwh"], row["available_mwh"]),
                "capture_price_cny_per_mwh": capture,
                "market_value_ratio": capture / avg if avg else math.nan,
                "levelised_cost_cny_per_mwh": (
                    _ratio(row["fixed_cny"] + row["operating_cost_cny"], e)
                    if has_fixed
                    else math.nan
                ),
            }
        )
        if not has_fixed:
            row["annual_fixed_cny_per_yr"] = row["fixed_cny"] = math.nan
        rows.append(row)
    cols = [c for c in ASSET_COLUMNS if c not in ("bus", "technology")]
    return pd.DataFrame(rows, columns=["technology", *cols]).set_index("technology")


def load_statistics(r: xr.Dataset) -> pd.DataFrame:
    """Per load (index ``load``; columns :data:`LOAD_COLUMNS`): its energy [MWh] and the
    marginal price it pays weighted by its own consumption [CNY/MWh] (NaN without any)."""
    rows = []
    for fam in BALANCE:
        if not r.sizes.get(fam.dim, 0):
            continue
        for e in fam.energy:
            if not e.load:
                continue
            x = r[e.result].transpose("time", fam.dim).values
            p = bus_prices(r, f"{fam.dim}_bus")
            for a, name in enumerate(map(str, r[fam.dim].values)):
                rows.append(
                    {
                        "load": name,
                        "family": fam.dim,
                        "bus": str(r[f"{fam.dim}_bus"].values[a]),
                        "energy_mwh": float(x[:, a].sum()),
                        "load_weighted_price_cny_per_mwh": weighted_average(p[:, a], x[:, a]),
                    }
                )
    return pd.DataFrame(rows, columns=["load", *LOAD_COLUMNS]).set_index("load")


def statistics_table(r: xr.Dataset) -> pd.DataFrame:
    """The long table of ``statistics.csv``: one row per technology (``level`` 'technology'),
    asset ('asset') and load ('load'), columns ``level``, ``name`` then the union of the
    columns (empty where a level has none)."""
    a = asset_statistics(r)
    t = technology_statistics(r, a)
    loads = load_statistics(r)
    frames = [
        t.reset_index(names="name").assign(level="technology", technology=list(t.index)),
        a.reset_index(names="name").assign(level="asset"),
        loads.reset_index(names="name").assign(level="load"),
    ]
    cols = ["level", "name", *ASSET_COLUMNS, "load_weighted_price_cny_per_mwh"]
    return pd.concat(frames, ignore_index=True).reindex(columns=cols)


def write_csv(r: xr.Dataset, path) -> None:
    """Write :func:`statistics_table` of ``r`` to ``path`` atomically (UTF-8 CSV)."""
    from gridopt.io import atomic_write

    table = statistics_table(r)
    atomic_write(path, lambda p: table.to_csv(p, index=False, encoding="utf-8"))


__all__ = [
    "ASSET_COLUMNS",
    "LOAD_COLUMNS",
    "asset_statistics",
    "load_statistics",
    "producers",
    "statistics_table",
    "technology_statistics",
    "write_csv",
]
