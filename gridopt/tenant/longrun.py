r"""The base cases a tenant study solves, and the long-run side of it.

A scenario has *expansion options* when the planning model (:func:`gridopt.model.build` with
``plan=True``) has a capacity that is a decision (:class:`gridopt.model.core.Planned`: an
asset with ``new_max`` above 0 or unbounded, or one that may retire). Then the study runs in
``mode="plan"``: besides the dispatch of the scenario as it is (short run: the fleet fixed,
its capital sunk), the *plan* without the tenant is solved and kept, and each tenant is
re-planned warm on it (the balance rows of its bus raised, :class:`gridopt.tenant.warm.Warm`).
Without expansion options the planning model is the dispatch model (``Planned`` writes the
same LP either way), so it is solved once and ``mode="dispatch"``.

Long-run figures (plan mode)
----------------------------
C0p, C1p   the plan's cost for the horizon without / with the tenant [CNY]: operating cost +
           the horizon's share f of the annual cost of new capacity (annuity + fixed O&M)
           minus f x the fixed O&M retirements save (the planning LP's objective without the
           lossy-line tie-break, :func:`gridopt.results.operating_cost_cny`); the sunk
           capital of the existing fleet is the same in both and drops out
LRIC       = (C1p - C0p) / E [CNY/MWh]: long-run incremental cost
offer      = LRIC / 1000 + network charge + funds [CNY/kWh]: the offer price
build_for_tenant  per asset and capacity whose plan changes: delta new, delta retired [MW or
           MWh] and delta annual cost = delta(annual cost of new capacity) - delta(fixed O&M
           saved) [CNY/yr] (:func:`build_for_tenant`)

SRIC prices the tenant on the scenario as it is (existing fleet, capital sunk), LRIC on the
plan, whose base already fits the fleet to the existing loads: they answer different
questions and neither bounds the other in general (a base plan may retire plant the short
run still has spare). Where the fleet as it is has spare but costly capacity and the tenant
makes the plan build cheaper capacity, SRIC < LRIC (tests/test_tenant_longrun.py).
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Any

import xarray as xr

from gridopt import results as res
from gridopt.console import live_of, say, status
from gridopt.model import build
from gridopt.plan import Plan, positions, read_plan
from gridopt.solve import Solution, solve
from gridopt.tenant.warm import Progress, Warm

CHANGE_TOL = 1e-6
"""A capacity change smaller than this [MW or MWh] is not a build."""


@dataclass
class Base:
    """One solved base case (no tenant): its solution (the HiGHS instance kept when warm),
    the warm handle, its cost C0 [CNY], its results, and for a plan the model's capacity
    positions (:func:`gridopt.plan.positions`) and the plan read back."""

    sol: Solution
    warm: Warm | None
    cost_cny: float
    results: xr.Dataset
    pos: dict | None = None
    plan: Plan | None = None

    @property
    def is_plan(self) -> bool:
        return self.pos is not None


def solve_base(
    ds: xr.Dataset,
    *,
    plan: bool,
    warm: bool,
    options: dict | None,
    timings: dict[str, float],
    progress: Progress,
    built=None,
) -> Base:
    """Build (unless ``built`` is given) and solve the base case of ``ds`` (a plan with
    ``plan``), keeping the HiGHS instance for warm re-solves with ``warm``."""
    tag = "_plan" if plan else ""
    t0 = time.perf_counter()
    b = built if built is not None else build(ds, plan=plan)
    if built is None:
        timings[f"build{tag}"] = time.perf_counter() - t0
    sol = solve(
        b.m,
        options,
        name=str(ds.attrs.get("scenario")),
        keep=warm,
        explain=b.explain,
        layout=b.layouts,
        live=live_of(progress),
    )
    timings[f"base_solve{tag}"] = sol.timings_s["handoff"] + sol.timings_s["solve"]
    pos = positions(b.planned) if plan else None
    cost = res.operating_cost_cny(ds, sol)
    buses = [str(v) for v in ds.bus.values]
    if plan:
        p = read_plan(ds, sol, pos)
        r = res.extract(p.ds, sol)
        say(
            progress,
            "tenant_base_plan_solved",
            status=status(getattr(progress, "lang", "en"), sol.status),
            cost=cost,
            capacity=p.capacity_cost_cny,
        )
        return Base(sol, Warm(sol, buses, ds.sizes["time"]) if warm else None, cost, r, pos, p)
    say(
        progress,
        "tenant_base_solved",
        status=status(getattr(progress, "lang", "en"), sol.status),
        cost=cost,
    )
    r = res.extract(ds, sol)
    return Base(sol, Warm(sol, buses, ds.sizes["time"]) if warm else None, cost, r)


def changing_capacities(built) -> list[str]:
    """``<dim>_<capacity>`` of every capacity the planning model ``built`` may change (the
    expansion options): empty for a scenario with none."""
    return [k for k, p in built.planned.items() if p.changing]


def build_for_tenant(p0: Plan, p1: Plan) -> list[dict[str, Any]]:
    """What the plan with the tenant ``p1`` builds or retires beyond the plan without it ``p0``:
    one dict per asset and capacity that changes (see the module docstring)."""
    a = p0.table.set_index(["asset", "capacity"])
    out = []
    for r in p1.table.itertuples():
        b = a.loc[(r.asset, r.capacity)]
        d_new, d_ret = r.new - float(b["new"]), r.retired - float(b["retired"])
        if abs(d_new) <= CHANGE_TOL and abs(d_ret) <= CHANGE_TOL:
            continue
        unit = r.unit
        out.append(
            {
                "asset": r.asset,
                "family": r.family,
                "bus": r.bus,
                "capacity": r.capacity,
                "unit": unit,
                "delta_new": d_new,
                "delta_retired": d_ret,
                "delta_annual_cost_cny_per_yr": (
                    r.annual_cost_new_cny_per_yr
                    - float(b["annual_cost_new_cny_per_yr"])
                    - (r.fixed_om_saved_cny_per_yr - float(b["fixed_om_saved_cny_per_yr"]))
                ),
            }
        )
    return out


def built_by_technology(p0: Plan, p1: Plan) -> dict[str, float]:
    """Net capacity the plan ``p1`` adds beyond ``p0`` (new - retired), summed per family,
    technology and capacity: ``"<family>.<technology>.<capacity>"`` -> MW or MWh (the
    technology is the asset's declared ``tech`` input where the family has one)."""
    from gridopt.model import DECLARATIONS

    tech: dict[tuple[str, str], str] = {}
    for fam in DECLARATIONS:
        names = [e.tech for e in fam.energy if getattr(e, "tech", None)]
        if names and f"{fam.dim}_{names[0]}" in p1.ds:
            for asset, t in zip(p1.ds[fam.dim].values, p1.ds[f"{fam.dim}_{names[0]}"].values):
                tech[(fam.dim, str(asset))] = str(t)
    out: dict[str, float] = {}
    for d in build_for_tenant(p0, p1):
        t = tech.get((d["family"], d["asset"]), d["family"])
        key = f"{d['family']}.{t}.{d['capacity']}"  # the capacity's name ends in its unit
        out[key] = out.get(key, 0.0) + d["delta_new"] - d["delta_retired"]
    return {k: v for k, v in sorted(out.items()) if abs(v) > CHANGE_TOL}


def long_run_figures(
    base: Base, sol1: Solution, c1: float, energy_mwh: float, net_cny_per_kwh: float, ds
) -> dict[str, Any]:
    """The long-run figures of one tenant from the base plan and the plan with it (cost
    ``c1`` [CNY], solution ``sol1``): LRIC, the offer price, the split of the cost change into
    capacity and operating cost, and what is built for it."""
    assert base.plan is not None and base.pos is not None
    p1 = read_plan(ds, sol1, base.pos)
    lric = (c1 - base.cost_cny) / energy_mwh
    d_cap = p1.capacity_cost_cny - base.plan.capacity_cost_cny
    bench = float(ds["tariff_benchmark_cny_per_kwh"])
    prov = float(ds["tariff_provincial_cny_per_kwh"])
    offer = lric / 1000.0 + net_cny_per_kwh
    return {
        "long_run_incremental_cost_cny_per_mwh": lric,
        "offer_price_cny_per_kwh": offer,
        "offer_minus_benchmark_cny_per_kwh": offer - bench,
        "offer_minus_provincial_cny_per_kwh": offer - prov,
        "long_run_delta_cost_cny": c1 - base.cost_cny,
        "long_run_delta_capacity_cost_cny": d_cap,
        "long_run_delta_operating_cost_cny": c1 - base.cost_cny - d_cap,
        "build_for_tenant": build_for_tenant(base.plan, p1),
    }
