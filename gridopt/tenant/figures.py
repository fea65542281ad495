"""The figures of one tenant (``tenant.json``) from the base and with-tenant results: see the
nomenclature and definitions in :mod:`gridopt.tenant`."""

from __future__ import annotations

from typing import Any

import numpy as np
import xarray as xr

from gridopt import results as res
from gridopt.prices import year_fraction
from gridopt.results import weighted_average
from gridopt.tenant.tenants import Tenant

KWH_PER_MWH = 1000.0


def sum_over_assets(r: xr.Dataset, var: str) -> np.ndarray:
    """Sum over the asset dim of an hourly results variable [MW] per hour."""
    v = r[var].values
    return v.sum(axis=1) if v.ndim == 2 else v


def figures(
    ds: xr.Dataset,
    r0: xr.Dataset,
    r1: xr.Dataset,
    tenant: Tenant,
    x_mw: np.ndarray,
    c0: float,
    c1: float,
) -> dict[str, Any]:
    """Every figure of one tenant from the base results ``r0``, the with-tenant results ``r1``,
    its consumption ``x_mw`` [MW] and the two costs ``c0``, ``c1`` [CNY] (see the module doc)."""
    x = np.asarray(x_mw, float)
    E = float(x.sum())
    b = [str(v) for v in ds.bus.values].index(tenant.bus)
    l0, l1 = r0["price_cny_per_mwh"].values[:, b], r1["price_cny_per_mwh"].values[:, b]
    ic = (c1 - c0) / E
    re0, re1 = sum_over_assets(r0, "renewable_p_mw"), sum_over_assets(r1, "renewable_p_mw")
    green = float(np.minimum(x, np.maximum(re1 - re0, 0.0)).sum() / E)
    supply = re1 + sum_over_assets(r1, "thermal_p_mw") + sum_over_assets(r1, "tie_import_mw")
    mix = np.divide(re1, supply, out=np.zeros_like(re1), where=supply > 0)
    k0, k1 = (
        float(r0["renewable_curtailment_mw"].sum()),
        float(r1["renewable_curtailment_mw"].sum()),
    )
    u = sum_over_assets(r1, "bus_unserved_mw") - sum_over_assets(r0, "bus_unserved_mw")
    unserved = float(u.sum())
    fits = unserved <= max(1e-3, 1e-6 * E)
    coal = ds["thermal_fuel"].values == "coal"
    th0, th1 = r0["thermal_p_mw"].values, r1["thermal_p_mw"].values
    co2 = ds["thermal_co2_t_per_mwh"].values
    d_em = float(((th1 - th0) * co2).sum())
    cons0 = res.consumption_by_bus(r0).values  # existing loads, base schedule [MW] (time, bus)
    w = float(cons0.sum())
    mwp = weighted_average(l1, x)  # the marginal prices of the tenant's bus, weighted by x
    dprice = r1["price_cny_per_mwh"].values - r0["price_cny_per_mwh"].values
    imp0, imp1 = sum_over_assets(r0, "tie_import_mw"), sum_over_assets(r1, "tie_import_mw")
    thr0, thr1 = float(r0["storage_discharge_mw"].sum()), float(r1["storage_discharge_mw"].sum())
    e_store = float(ds["storage_e_max_mwh"].sum())
    net = float(ds["tariff_network_charge_cny_per_kwh"]) + float(ds["tariff_funds_cny_per_kwh"])
    setters = r1["price_setter"].values[:, b]
    share: dict[str, float] = {}
    for s, xv in zip(setters, x):
        share[str(s)] = share.get(str(s), 0.0) + float(xv) / E
    H = len(x)
    return {
        "name": tenant.name,
        "source": tenant.source,
        "bus": tenant.bus,
        "flex_band": float(tenant.flex_band),
        "window_h": int(tenant.window_h),
        "energy_mwh": E,
        "annual_energy_mwh": E / year_fraction(r0),
        "mean_mw": E / H,
        "peak_mw": float(np.asarray(tenant.p_mw).max()),
        "delta_cost_cny": c1 - c0,
        "incremental_cost_cny_per_mwh": ic,
        "marginal_weighted_price_cny_per_mwh": mwp,
        "marginal_weighted_price_base_cny_per_mwh": weighted_average(l0, x),
        "delivered_price_cny_per_kwh": ic / KWH_PER_MWH + net,
        "delivered_price_marginal_cny_per_kwh": mwp / KWH_PER_MWH + net,
        "benchmark_cny_per_kwh": float(ds["tariff_benchmark_cny_per_kwh"]),
        "provincial_tariff_cny_per_kwh": float(ds["tariff_provincial_cny_per_kwh"]),
        "saving_vs_provincial_cny_per_kwh": float(ds["tariff_provincial_cny_per_kwh"])
        - (ic / KWH_PER_MWH + net),
        "green_share": green,
        "green_share_grid_mix": weighted_average(mix, x),
        "absorbed_curtailment_mwh": k0 - k1,
        "unserved_energy_mwh": max(unserved, 0.0),
        "peak_unserved_mw": float(max(u.max(), 0.0)),
        "fits": bool(fits),
        "delta_coal_mwh": float((th1 - th0)[:, coal].sum()),
        "delta_thermal_mwh": float((th1 - th0).sum()),
        "delta_emissions_t": d_em,
        "emissions_intensity_t_per_mwh": d_em / E,
        "existing_loads_price_change_cny_per_mwh": weighted_average(dprice, cons0)
        if w > 0
        else 0.0,
        "existing_loads_bill_change_cny": float((dprice * cons0).sum()),
        "peak_import_mw": float(imp1.max()) if imp1.size else 0.0,
        "delta_peak_import_mw": float(imp1.max() - imp0.max()) if imp1.size else 0.0,
        "delta_import_mwh": float(imp1.sum() - imp0.sum()),
        "delta_export_mwh": float(
            sum_over_assets(r1, "tie_export_mw").sum() - sum_over_assets(r0, "tie_export_mw").sum()
        ),
        "delta_storage_throughput_mwh": thr1 - thr0,
        "delta_storage_cycles": (thr1 - thr0) / e_store if e_store > 0 else 0.0,
        "price_setters": dict(sorted(share.items(), key=lambda kv: -kv[1])),
    }
