r"""The load-hosting curve: ``gridopt tenant SCENARIO PROFILE --hosting 0:3000:250``.

The profile N_t is scaled so that its mean is each step's load m_k [MW]:
p^k_t = N_t m_k / mean(N), and added at the tenant's bus to the kept base instance (the plan
with expansion options, the dispatch of the scenario as it is otherwise; a scenario with a
policy rebuilds each step), re-solved warm step by step from the previous optimum. Step 0
(m = 0) is the base.

Per step k (C_k the cost of the case [CNY], E_k = sum_t p^k_t [MWh]):

average cost      (C_k - C_0) / E_k [CNY/MWh]: long-run incremental cost in plan mode, short-run
                  in dispatch mode (the column is named for which it is)
step cost         (C_k - C_{k-1}) / (E_k - E_{k-1}) [CNY/MWh]: what the last block costs
price             average cost / 1000 + network charge + funds [CNY/kWh]: the offer price in
                  plan mode, the short-run price with charges (not an offer) otherwise
system delivered  :mod:`gridopt.prices` on the step's results (cost-recovery price + charges,
                  for all loads, the hosted one included), as ``gridopt run`` reports it
absorbed, green   curtailment avoided against step 0 [MWh]; green share matched hour by hour
                  against step 0 (:func:`gridopt.tenant.figures.figures`)
built_*           net capacity added against step 0 per family, technology and capacity
                  (plan mode, :func:`gridopt.tenant.longrun.built_by_technology`)
unserved          unserved energy against step 0 [MWh]

C is convex in m (the value of an LP in its right-hand side), and C(0) = C_0, so the average
cost (C(m) - C_0) / E(m) never falls as m grows (E is proportional to m): a test invariant.
The coal-benchmark crossing is the first MW where the price reaches the benchmark, linearly
interpolated between the two steps around it.
"""

from __future__ import annotations

import math
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import xarray as xr

from gridopt import results as res
from gridopt.errors import InputError, Problem
from gridopt.io import atomic_write
from gridopt.model import build
from gridopt.report.i18n import Translator
from gridopt.solve import resolve, solve
from gridopt.tenant.figures import KWH_PER_MWH, figures
from gridopt.tenant.longrun import Base, built_by_technology
from gridopt.tenant.tenants import Tenant, with_fixed_load
from gridopt.tenant.warm import Progress

SYNTAX = (
    "write --hosting as START:STOP:STEP in MW of mean added load, e.g. 0:3000:250 "
    "(START >= 0, STEP > 0, at most 200 steps)"
)
MAX_STEPS = 200


def parse_hosting(text: str) -> list[float]:
    """``"0:3000:250"`` -> [0, 250, …, 3000] [MW]: STOP included when the steps reach it; 0 is
    put first when START is above it (the base). InputError naming ``--hosting``, the value and
    the fix for anything else."""

    def bad(message: str, value: object = text) -> InputError:
        return InputError(Problem("--hosting", message, value, SYNTAX))

    parts = str(text).split(":")
    if len(parts) != 3:
        raise bad("needs START:STOP:STEP")
    try:
        start, stop, step = (float(p) for p in parts)
    except ValueError:
        raise bad("START, STOP and STEP must be numbers [MW]") from None
    if not all(math.isfinite(x) for x in (start, stop, step)):
        raise bad("START, STOP and STEP must be finite")
    if start < 0:
        raise bad("START must be >= 0 MW")
    if step <= 0 or stop < start:
        raise bad("STEP must be > 0 and STOP >= START")
    n = int(math.floor((stop - start) / step + 1e-9)) + 1
    if n > MAX_STEPS:
        raise bad(f"{n} steps: at most {MAX_STEPS}")
    values = [round(start + k * step, 9) for k in range(n)]
    return values if values[0] == 0 else [0.0] + values


def _price_key(plan: bool) -> tuple[str, str]:
    return (
        ("long_run_incremental_cost_cny_per_mwh", "offer_price_cny_per_kwh")
        if plan
        else ("short_run_incremental_cost_cny_per_mwh", "short_run_price_cny_per_kwh")
    )


def hosting_curve(
    ds: xr.Dataset,
    tenant: Tenant,
    steps_mw: Sequence[float],
    base: Base,
    *,
    method: str = "warm",
    options: dict | None = None,
    progress: Progress = lambda s: None,
    lang: str = "en",
) -> dict[str, Any]:
    """The load-hosting curve of ``tenant``'s profile at its bus at the mean loads
    ``steps_mw`` [MW] (the first 0), on the solved ``base`` (see the module docstring): a
    dict with ``mode``, ``bus``, ``profile``, ``steps`` (one row per step) and
    ``benchmark_crossing``. The base instance is left as it was."""
    from gridopt.prices import summary_fields
    from gridopt.run import solved_result

    tr = Translator(lang)
    plan = base.is_plan
    avg_key, price_key = _price_key(plan)
    shape = np.asarray(tenant.p_mw, float)
    shape = shape / shape.mean()
    net = float(ds["tariff_network_charge_cny_per_kwh"]) + float(ds["tariff_funds_cny_per_kwh"])
    bench = float(ds["tariff_benchmark_cny_per_kwh"])
    prov = float(ds["tariff_provincial_cny_per_kwh"])
    steps = [float(m) for m in steps_mw]
    if not steps or steps[0] != 0:
        steps = [0.0] + steps
    progress(
        tr(
            "hosting_mode_plan" if plan else "hosting_mode_dispatch",
            name=tenant.name,
            bus=tenant.bus,
            n=len(steps) - 1,
        )
    )
    r0 = base.results
    s0 = dict(summary_fields(r0))
    rows: list[dict[str, Any]] = []
    prev_c, prev_e = base.cost_cny, 0.0
    name = f"hosted_{tenant.name}"
    try:
        for k, m in enumerate(steps):
            if m == 0:
                rows.append(_row(0.0, 0.0, math.nan, math.nan, math.nan, s0, None, {}, 0, 0.0))
                continue
            t0 = time.perf_counter()
            p = shape * m
            ds_k = with_fixed_load(ds, name, tenant.bus, p)
            if method == "warm" and base.warm is not None:
                base.warm.set_load(tenant.bus, p)
                sol = resolve(base.sol, name=f"hosting {m:g} MW")
            else:
                b = build(ds_k, plan=plan)
                sol = solve(b.m, options, name=f"hosting {m:g} MW", explain=b.explain)
                del b
            c = res.operating_cost_cny(ds_k, sol)
            step = solved_result(ds_k, sol, base.pos)
            seconds = time.perf_counter() - t0
            e = float(p.sum())
            f = figures(
                step.results, r0, step.results, Tenant(name, tenant.bus, p), p, base.cost_cny, c
            )
            built = {}
            if plan:
                from gridopt.plan import read_plan

                built = built_by_technology(base.plan, read_plan(ds, sol, base.pos))
            avg = (c - base.cost_cny) / e
            row = _row(
                m,
                e,
                avg,
                (c - prev_c) / (e - prev_e),
                avg / KWH_PER_MWH + net,
                step.summary,
                f,
                built,
                sol.iterations,
                seconds,
            )
            rows.append(row)
            prev_c, prev_e = c, e
            progress(
                tr(
                    "hosting_step",
                    k=k,
                    n=len(steps) - 1,
                    mw=m,
                    price=f"{tr('tenant_' + price_key)} {row['price_cny_per_kwh']:.4f} "
                    f"{tr('u_cny_per_kwh')}{tr('tenant_sep')}{tr('tenant_' + avg_key)} {avg:,.1f} "
                    f"{tr('u_cny_per_mwh')}",
                    seconds=seconds,
                )
            )
    finally:
        if base.warm is not None:
            base.warm.set_load(tenant.bus, np.zeros_like(shape))
    table = pd.DataFrame(rows)
    table = table.rename(
        columns={"average_cost_cny_per_mwh": avg_key, "price_cny_per_kwh": price_key}
    )
    built_cols = sorted({c for c in table.columns if c.startswith("built_")})
    table[built_cols] = table[built_cols].fillna(0.0)
    crossing = benchmark_crossing(table["added_mean_mw"], table[price_key], bench)
    key = {
        "below": "hosting_cross_none",
        "above": "hosting_cross_above",
        "crosses": "hosting_cross" if plan else "hosting_cross_short_run",
    }[crossing["where"]]
    positive = table["added_mean_mw"][table["added_mean_mw"] > 0]
    progress(
        tr(
            key,
            mw=crossing["mw"] if crossing["mw"] is not None else float(positive.min()),
            benchmark=bench,
            lo=float(positive.min()) if len(positive) else 0.0,
            hi=float(positive.max()) if len(positive) else 0.0,
        )
    )
    unserved_from = first_unserved(table)
    crossing["unserved_from_mw"] = unserved_from
    if unserved_from is not None:  # beyond the grid's reach: the price there is VOLL, no offer
        row = table[table["added_mean_mw"] == unserved_from].iloc[0]
        progress(tr("hosting_unserved", mw=unserved_from, mwh=float(row["unserved_energy_mwh"])))
    return {
        "mode": "plan" if plan else "dispatch",
        "name": tenant.name,
        "bus": tenant.bus,
        "profile": tenant.source,
        "average_cost_key": avg_key,
        "price_key": price_key,
        "network_and_funds_cny_per_kwh": net,
        "benchmark_cny_per_kwh": bench,
        "provincial_tariff_cny_per_kwh": prov,
        "benchmark_crossing": crossing,
        "columns": list(table.columns),
        "steps": table.to_dict(orient="records"),
    }


def _row(
    mw: float,
    e: float,
    avg: float,
    step_cost: float,
    price: float,
    summary: dict,
    f: dict | None,
    built: dict[str, float],
    iterations: int,
    seconds: float,
) -> dict[str, Any]:
    row = {
        "added_mean_mw": mw,
        "added_energy_mwh": e,
        "average_cost_cny_per_mwh": avg,
        "step_incremental_cost_cny_per_mwh": step_cost,
        "price_cny_per_kwh": price,
        "system_delivered_price_cny_per_kwh": summary.get("delivered_price_cny_per_kwh"),
        "absorbed_curtailment_mwh": f["absorbed_curtailment_mwh"] if f else 0.0,
        "green_share": f["green_share"] if f else math.nan,
        "unserved_energy_mwh": f["unserved_energy_mwh"] if f else 0.0,
        "iterations": iterations,
        "solve_s": seconds,
    }
    row.update({f"built_{k}": v for k, v in built.items()})
    return row


def benchmark_crossing(mw: pd.Series, price: pd.Series, benchmark: float) -> dict[str, Any]:
    """Where ``price`` [CNY/kWh] against ``mw`` first reaches ``benchmark`` (steps above 0 MW
    only: at 0 the average is undefined), linearly interpolated between the two steps around it:
    ``{"where": "crosses", "mw": …}``, ``"above"`` (from the first step: mw None) or
    ``"below"`` (not within the range: mw None)."""
    pts = [(float(m), float(p)) for m, p in zip(mw, price) if m > 0 and math.isfinite(p)]
    if not pts:
        return {"where": "below", "mw": None}
    if pts[0][1] >= benchmark:
        return {"where": "above", "mw": None}
    for (m0, p0), (m1, p1) in zip(pts, pts[1:]):
        if p1 >= benchmark > p0:
            return {"where": "crosses", "mw": m0 + (benchmark - p0) * (m1 - m0) / (p1 - p0)}
    return {"where": "below", "mw": None}


def first_unserved(table: pd.DataFrame) -> float | None:
    """The first step [MW] at which some of the added load is not served (more than 1e-3 MWh
    + 1e-6 of its energy): from there on the grid cannot take the load even with every
    expansion option, and the step's price is the value of lost load, not an offer; None: every
    step is served."""
    for m, e, u in zip(
        table["added_mean_mw"], table["added_energy_mwh"], table["unserved_energy_mwh"]
    ):
        if m > 0 and u > max(1e-3, 1e-6 * e):
            return float(m)
    return None


def hosting_frame(hosting: dict[str, Any]) -> pd.DataFrame:
    """The steps of a hosting curve as a DataFrame (``hosting.csv``)."""
    return pd.DataFrame(hosting["steps"], columns=hosting["columns"])


def write_csv(hosting: dict[str, Any], path: Path) -> Path:
    """``hosting.csv``: UTF-8 with BOM (Excel), units in the column names, written atomically."""
    df = hosting_frame(hosting)
    atomic_write(
        path, lambda p: df.to_csv(p, index=False, encoding="utf-8-sig", float_format="%.6f")
    )
    return path
