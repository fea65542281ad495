"""Planning: the capacities a plan built or retired, read back from the solved planning LP.

``gridopt plan`` solves capacity and hourly dispatch together (:func:`gridopt.model.build` with
``plan=True``: each capacity a family declares, :attr:`gridopt.model.family.Family.capacities`,
may grow within the entry's ``new_min``/``new_max`` bounds, or retire where the entry allows,
at its annual cost pro-rated to the horizon). This module turns the solution into

- the *planned* input Dataset: each capacity replaced by existing + new - retired, the new
  capacity's investment added to ``<dim>_capex_cny`` and its fixed O&M to
  ``<dim>_fixed_om_cny_per_yr`` (the retired capacity's fixed O&M taken off), so that the
  results, the prices (cost recovery with the plan's capital) and the report read a planned
  year like any other;
- the build table (``build.csv``): per asset and capacity, existing, new, retired and total
  capacity, and the annual cost of what is new;
- the plan block of ``summary.json``;

and reads back the policy rows (:mod:`gridopt.model.policy`, in a plan and a dispatch alike):
each constraint's limit, what the solution achieves and its shadow price in its unit, the
``policy`` block of ``summary.json`` (:func:`policy_block`).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
import xarray as xr

from gridopt.data.costs import crf
from gridopt.model import BALANCE, DECLARATIONS, policy
from gridopt.model.core import Planned
from gridopt.results import emissions_t
from gridopt.solve import Solution

UNITS = {"mw": "MW", "mwh": "MWh"}
BUILD_COLUMNS = [
    "asset",
    "family",
    "bus",
    "capacity",
    "unit",
    "existing",
    "new",
    "retired",
    "total",
    "capex_new_cny",
    "annual_cost_new_cny_per_yr",
    "fixed_om_saved_cny_per_yr",
    "in_local_price",
]
"""Columns of ``build.csv``: capacities in ``unit`` (MW or MWh); ``capex_new_cny`` the
overnight investment in the new capacity [CNY]; ``annual_cost_new_cny_per_yr`` its annuity +
fixed O&M [CNY/yr]; ``fixed_om_saved_cny_per_yr`` the fixed O&M the retired capacity saves;
``in_local_price`` whether the local grid's price recovers the new capacity's capital (a
hydrogen plant's is its owner's; a tie's new capacity is the local grid's, its existing
capacity the provincial grid's: :attr:`Economics.component`, ``new_component``)."""


@dataclass
class Plan:
    """A solved plan: the build table, the planned input Dataset and the capital cost the
    planning objective carried for the horizon (not an operating cost) [CNY]."""

    table: pd.DataFrame
    ds: xr.Dataset
    capacity_cost_cny: float
    sunk_capital_cny_per_yr: float = 0.0
    """Annuity of the existing capacity whose investment is sunk (``economics.capital``)."""
    committed_capital_cny_per_yr: float = 0.0
    """Annuity of the existing capacity whose investment is new (committed, still to be paid)."""


def positions(planned: dict[str, Planned]) -> dict[str, tuple[list[int], list[int]]]:
    """``<dim>_<capacity>`` -> (positions of the assets with new capacity, of those that may
    retire): what :func:`read_plan` needs of the model, so the Pyomo model can be freed."""
    return {k: (sorted(p.new), sorted(p.retired)) for k, p in planned.items()}


def read_plan(ds: xr.Dataset, sol: Solution, pos: dict[str, tuple[list[int], list[int]]]) -> Plan:
    """The plan the solution ``sol`` of ``build(ds, plan=True)`` makes (see the module)."""
    out = ds.copy()
    rows = []
    share = float(ds.attrs["year_fraction"])
    cost = 0.0
    for fam in DECLARATIONS:
        for cap in fam.capacities:
            key = f"{fam.dim}_{cap.name}"
            grow, retire = pos.get(key, ([], []))
            n = ds.sizes[fam.dim]
            new, retired = np.zeros(n), np.zeros(n)
            if grow:
                new[grow] = sol.value(f"{fam.dim}_{cap.base}_new", (len(grow),))
            if retire:
                retired[retire] = sol.value(f"{fam.dim}_{cap.base}_retired", (len(retire),))
            new, retired = np.maximum(new, 0.0), np.maximum(retired, 0.0)
            fixed = ds[key].values
            unit = UNITS[cap.unit]
            capex = ds[cap.input(fam.dim, "capex")].values
            annual = ds[cap.input(fam.dim, "annual")].values
            fom = ds[cap.input(fam.dim, "fom")].values
            cost += share * float((annual * new).sum() - (fom * retired).sum())
            out[key] = ds[key].copy(data=fixed + new - retired)
            out[key].attrs["description"] = "planned capacity: existing + new - retired"
            for other in cap.also:  # limits the same capacity sets (reverse, import …)
                name = f"{fam.dim}_{other}"
                out[name] = ds[name].copy(data=ds[name].values + new - retired)
            for what, values in (("new", new), ("retired", retired)):
                out[cap.input(fam.dim, what)] = xr.DataArray(
                    values, dims=(fam.dim,), attrs={"units": unit, "role": "result"}
                )
            if fam.economics.component is None and fam.economics.new_component is not None:
                key_new = f"{fam.dim}_new_capital_cny_per_yr"  # the local grid pays for it
                before = out[key_new].values if key_new in out else np.zeros(n)
                out[key_new] = xr.DataArray(
                    before + annual * new,
                    dims=(fam.dim,),
                    attrs={
                        "units": "CNY/yr",
                        "role": "result",
                        "description": "annuity + fixed O&M of the capacity the plan built",
                    },
                )
            out[f"{fam.dim}_capex_cny"] = out[f"{fam.dim}_capex_cny"] + capex * new
            out[f"{fam.dim}_fixed_om_cny_per_yr"] = out[f"{fam.dim}_fixed_om_cny_per_yr"] + fom * (
                new - retired
            )
            for a, name in enumerate(ds[fam.dim].values):
                if fixed[a] == 0 and new[a] == 0 and a not in grow:
                    continue
                rows.append(
                    {
                        "asset": str(name),
                        "family": fam.dim,
                        "bus": "-".join(
                            str(ds[f"{fam.dim}_{f}"].values[a])
                            for f, section in fam.references.items()
                            if section == "buses"
                        ),
                        "capacity": cap.name,
                        "unit": unit,
                        "existing": float(fixed[a]),
                        "new": float(new[a]),
                        "retired": float(retired[a]),
                        "total": float(fixed[a] + new[a] - retired[a]),
                        "capex_new_cny": float(capex[a] * new[a]),
                        "annual_cost_new_cny_per_yr": float(annual[a] * new[a]),
                        "fixed_om_saved_cny_per_yr": float(fom[a] * retired[a]),
                        "in_local_price": (fam.economics.component or fam.economics.new_component)
                        is not None,
                    }
                )
    sunk = new_existing = 0.0
    rate = float(ds["discount_rate"])
    for fam in DECLARATIONS:
        if fam.economics is None or fam.economics.component is None or not ds.sizes.get(fam.dim, 0):
            continue  # the local grid's capital only (a tie's or a customer's plant's is not)
        annuity = np.array(
            [
                c * crf(rate, life)
                for c, life in zip(
                    ds[f"{fam.dim}_capex_cny"].values, ds[f"{fam.dim}_lifetime_yr"].values
                )
            ]
        )
        is_sunk = ds[f"{fam.dim}_capital_sunk"].values
        sunk += float(annuity[is_sunk].sum())
        new_existing += float(annuity[~is_sunk].sum())
    return Plan(pd.DataFrame(rows, columns=BUILD_COLUMNS), out, cost, sunk, new_existing)


def plan_block(plan: Plan) -> dict:
    """The ``plan`` block of ``summary.json``: what was built and retired per asset and
    capacity [MW, MWh], the annual cost of the new capacity [CNY/yr], and the annuity of the
    existing capacity, sunk apart from new (committed) capital [CNY/yr] (the cost-recovery
    price includes both: an owner must be repaid either way; a decision changes neither)."""
    t = plan.table
    changed = t[(t["new"] > 1e-6) | (t["retired"] > 1e-6)]
    return {
        "built": {
            f"{r.asset}.{r.capacity}": {"new": r.new, "retired": r.retired, "total": r.total}
            for r in changed.itertuples()
        },
        "capex_new_cny": float(t["capex_new_cny"].sum()),
        "annual_cost_new_cny_per_yr": float(t["annual_cost_new_cny_per_yr"].sum()),
        "fixed_om_saved_cny_per_yr": float(t["fixed_om_saved_cny_per_yr"].sum()),
        "capacity_cost_horizon_cny": plan.capacity_cost_cny,
        "existing_capital_sunk_cny_per_yr": plan.sunk_capital_cny_per_yr,
        "existing_capital_new_cny_per_yr": plan.committed_capital_cny_per_yr,
    }


BINDING_TOL = 1e-6
"""A policy constraint binds when its shadow price exceeds this [CNY per unit of the row]."""


def _dual(sol: Solution, name: str) -> float:
    """The dual of the one-row constraint ``name`` [CNY per unit]; 0 for a row the model does
    not have (every term a constant: it cannot bind)."""
    sl = sol.row_slices.get(name)
    return float(sol.dual(name, (1,))[0]) if sl is not None and sl.stop > sl.start else 0.0


def _price(value: float, unit: str) -> dict:
    value = 0.0 if abs(value) < 1e-9 else value
    return {f"shadow_price_{unit}": value, "binding": bool(abs(value) > BINDING_TOL)}


def _total(r: xr.Dataset, keep) -> float:
    return sum((float(r[e.result].sum()) for _, e in policy.items(r, keep, BALANCE)), 0.0)


def firm_capacity_mw(r: xr.Dataset) -> float:
    """Firm capacity of the results' (planned) year [MW]: capacity credit x the firm capacity
    of each supply item (:func:`gridopt.model.policy.firm_input`, planned by
    :func:`read_plan`)."""
    credit = policy.credits_of(r)
    firm = 0.0
    for fam, e in policy.items(r, lambda e: e.supply, BALANCE):
        name = policy.firm_input(r, fam, e)
        if name is not None:
            k = np.array([credit.get(t, 0.0) for t in policy.technologies(r, fam, e)])
            firm += float((k * r[name].values).sum())
    return firm


def policy_block(r: xr.Dataset, sol: Solution) -> dict:
    """The ``policy`` block of ``summary.json`` for the results ``r`` of the solution ``sol``:
    per constraint the scenario sets, its limit, what the solution achieves and its shadow
    price in its unit (positive when it binds: what relaxing it by one unit would save), with
    ``binding``. Empty when the scenario sets none.

    ``green_share``: CNY per MWh of green energy; ``co2``: CNY/t; ``curtailment``: CNY per MWh
    of curtailment allowed; ``reserve_margin``: CNY/kW-yr of firm capacity (the dual per MW
    over the horizon / year fraction / 1000).
    """
    out: dict = {}
    if "policy_green_share_min_fraction" in r:
        green, load = _total(r, policy.is_green), _total(r, policy.is_load)
        out["green_share"] = {
            "min_fraction": float(r["policy_green_share_min_fraction"]),
            "achieved_fraction": green / load if load else float("nan"),
            "green_mwh": green,
            "load_mwh": load,
            **_price(_dual(sol, "policy_green_share"), "cny_per_mwh"),
        }
    if "policy_co2_max_t" in r:
        out["co2"] = {
            "max_t": float(r["policy_co2_max_t"]),
            "emissions_t": emissions_t(r),
            **_price(-_dual(sol, "policy_co2"), "cny_per_t"),
        }
    if "policy_curtailment_max_fraction" in r:
        items = list(policy.items(r, lambda e: e.available is not None, BALANCE))
        avail = sum((float(r[e.available].sum()) for _, e in items), 0.0)
        curt = sum((float(r[e.curtailed].sum()) for _, e in items if e.curtailed), 0.0)
        out["curtailment"] = {
            "max_fraction": float(r["policy_curtailment_max_fraction"]),
            "achieved_fraction": curt / avail if avail else 0.0,
            "curtailed_mwh": curt,
            "available_mwh": avail,
            **_price(_dual(sol, "policy_curtailment"), "cny_per_mwh"),
        }
    if "policy_reserve_margin_fraction" in r:
        margin, peak = float(r["policy_reserve_margin_fraction"]), policy.peak_load_mw(r, BALANCE)
        per_kw_yr = _dual(sol, "policy_reserve_margin") / float(r.attrs["year_fraction"]) / 1e3
        out["reserve_margin"] = {
            "margin_fraction": margin,
            "peak_load_mw": peak,
            "required_mw": (1.0 + margin) * peak,
            "firm_capacity_mw": firm_capacity_mw(r),
            **_price(per_kw_yr, "cny_per_kw_yr"),
        }
    return out
