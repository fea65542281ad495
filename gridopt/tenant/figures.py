"""The figures of one tenant (``tenant.json``) from the base and with-tenant results: see the
nomenclature and definitions in :mod:`gridopt.tenant`."""

from __future__ import annotations

from typing import Any

import numpy as np
import xarray as xr

from gridopt import results as res
from gridopt.model import BALANCE
from gridopt.model.family import Energy, Family
from gridopt.prices import year_fraction
from gridopt.results import weighted_average
from gridopt.tenant.tenants import Tenant

KWH_PER_MWH = 1000.0


def sum_over_assets(r: xr.Dataset, var: str) -> np.ndarray:
    """Sum over the asset dim of an hourly results variable [MW] per hour."""
    v = r[var].values
    return v.sum(axis=1) if v.ndim == 2 else v


def items(kind: str) -> list[tuple[Family, Energy]]:
    """The energy items of ``kind`` the families declare (:data:`gridopt.model.BALANCE`), each
    with its family, in declaration order."""
    return [(f, e) for f in BALANCE for e in f.energy if e.kind == kind]


def hourly(r: xr.Dataset, kind: str) -> np.ndarray:
    """The items of ``kind`` summed over their assets, per hour [MW] (zero with no item)."""
    total = np.zeros(r.sizes["time"])
    for _, e in items(kind):
        total = total + sum_over_assets(r, e.result)
    return total


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
    re0, re1 = hourly(r0, "renewable"), hourly(r1, "renewable")
    green = float(np.minimum(x, np.maximum(re1 - re0, 0.0)).sum() / E)
    supply = re1 + hourly(r1, "thermal") + hourly(r1, "import")
    mix = np.divide(re1, supply, out=np.zeros_like(re1), where=supply > 0)
    curtailed = [e.curtailed for f in BALANCE for e in f.energy if e.curtailed]
    k0 = sum(float(r0[c].sum()) for c in curtailed)
    k1 = sum(float(r1[c].sum()) for c in curtailed)
    u = hourly(r1, "unserved") - hourly(r0, "unserved")
    unserved = float(u.sum())
    fits = unserved <= max(1e-3, 1e-6 * E)
    d_coal = d_thermal = d_em = 0.0
    for f, e in items("thermal"):
        d = r1[e.result].values - r0[e.result].values  # (time, asset) [MW]
        if e.tech:
            d_coal += float(d[:, ds[f"{f.dim}_{e.tech}"].values == "coal"].sum())
        d_thermal += float(d.sum())
    for fam in BALANCE:
        for e in (e for e in fam.energy if e.co2):
            d = r1[e.result].values - r0[e.result].values
            d_em += float((d * ds[f"{fam.dim}_{e.co2}"].values).sum())
    cons0 = res.consumption_by_bus(r0).values  # existing loads, base schedule [MW] (time, bus)
    w = float(cons0.sum())
    mwp = weighted_average(l1, x)  # the marginal prices of the tenant's bus, weighted by x
    dprice = r1["price_cny_per_mwh"].values - r0["price_cny_per_mwh"].values
    imp0, imp1 = hourly(r0, "import"), hourly(r1, "import")
    thr0 = sum(float(r0[e.result].sum()) for _, e in items("discharge"))
    thr1 = sum(float(r1[e.result].sum()) for _, e in items("discharge"))
    e_store = sum(float(ds[f"{f.dim}_{f.expandable}"].sum()) for f, _ in items("discharge"))
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
        "short_run_incremental_cost_cny_per_mwh": ic,
        "marginal_weighted_price_cny_per_mwh": mwp,
        "marginal_weighted_price_base_cny_per_mwh": weighted_average(l0, x),
        "short_run_price_cny_per_kwh": ic / KWH_PER_MWH + net,
        "marginal_weighted_price_with_charges_cny_per_kwh": mwp / KWH_PER_MWH + net,
        "benchmark_cny_per_kwh": float(ds["tariff_benchmark_cny_per_kwh"]),
        "provincial_tariff_cny_per_kwh": float(ds["tariff_provincial_cny_per_kwh"]),
        "short_run_price_minus_provincial_cny_per_kwh": ic / KWH_PER_MWH
        + net
        - float(ds["tariff_provincial_cny_per_kwh"]),
        "green_share": green,
        "green_share_grid_mix": weighted_average(mix, x),
        "absorbed_curtailment_mwh": k0 - k1,
        "unserved_energy_mwh": max(unserved, 0.0),
        "peak_unserved_mw": float(max(u.max(), 0.0)),
        "fits": bool(fits),
        "delta_coal_mwh": d_coal,
        "delta_thermal_mwh": d_thermal,
        "delta_emissions_t": d_em,
        "emissions_intensity_t_per_mwh": d_em / E,
        "existing_loads_price_change_cny_per_mwh": weighted_average(dprice, cons0)
        if w > 0
        else 0.0,
        "existing_loads_bill_change_cny": float((dprice * cons0).sum()),
        "peak_import_mw": float(imp1.max()) if imp1.size else 0.0,
        "delta_peak_import_mw": float(imp1.max() - imp0.max()) if imp1.size else 0.0,
        "delta_import_mwh": float(imp1.sum() - imp0.sum()),
        "delta_export_mwh": float(hourly(r1, "export").sum() - hourly(r0, "export").sum()),
        "delta_storage_throughput_mwh": thr1 - thr0,
        "delta_storage_cycles": (thr1 - thr0) / e_store if e_store > 0 else 0.0,
        "price_setters": dict(sorted(share.items(), key=lambda kv: -kv[1])),
    }
