"""The tenant study: the base case built and solved once, each tenant solved at every band
(:mod:`gridopt.tenant.warm`), its figures (:mod:`gridopt.tenant.figures`), the ranking, and
the whole as :class:`TenantStudy` (the content of ``tenant.json``); from a scenario file and
PROFILE arguments with :func:`evaluate_scenario`."""

from __future__ import annotations

import math
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

import numpy as np
import pandas as pd
import xarray as xr

from gridopt import results as res
from gridopt.data.loads import HOURS_PER_YEAR
from gridopt.errors import InputError, Problem, SolveError
from gridopt.io import json_safe
from gridopt.model import build
from gridopt.prices import year_fraction
from gridopt.results import operating_cost_cny
from gridopt.solve import check_options, solve
from gridopt.tenant.figures import figures, hourly
from gridopt.tenant.profiles import SYNTAX, parse_profile_spec, profile_mw
from gridopt.tenant.tenants import DEFAULT_WINDOW_H, Tenant, default_bus, with_fixed_load
from gridopt.tenant.warm import Progress, Warm, solve_cases

FLEX_BANDS: tuple[float, ...] = (0.0, 0.05, 0.10, 0.20)
"""Bands of the flexibility value curve [-]."""
STABLE_KEYS = (
    "name",
    "bus",
    "energy_mwh",
    "incremental_cost_cny_per_mwh",
    "marginal_weighted_price_cny_per_mwh",
    "delivered_price_cny_per_kwh",
    "green_share",
    "absorbed_curtailment_mwh",
    "unserved_energy_mwh",
    "fits",
    "flexibility_curve",
)
"""Keys every tenant in ``tenant.json`` has (scripts may rely on them)."""


def _band_key(band: float) -> str:
    return f"{band:g}"


@dataclass
class TenantResult:
    """Figures of one tenant (``figures``: the ``tenant.json`` entry), the with-tenant results
    Dataset at its declared band, and its consumption schedule [MW]."""

    figures: dict[str, Any]
    results: xr.Dataset
    x_mw: np.ndarray


@dataclass
class TenantStudy:
    """All tenants of one scenario: ``to_dict()`` is the content of ``tenant.json``."""

    header: dict[str, Any]
    base: dict[str, Any]
    tenants: list[TenantResult] = field(default_factory=list)
    base_results: xr.Dataset | None = None

    def ranked(self) -> list[dict[str, Any]]:
        """Tenant figures by rank: those that fit first, then the lowest delivered price, then
        the highest green share."""
        return sorted((t.figures for t in self.tenants), key=lambda f: f["rank"])

    def to_dict(self) -> dict[str, Any]:
        return json_safe(
            {
                **self.header,
                "base": self.base,
                "ranking": [f["name"] for f in self.ranked()],
                "tenants": [t.figures for t in self.tenants],
            }
        )


def evaluate(
    ds: xr.Dataset,
    tenants: Sequence[Tenant],
    *,
    bands: Sequence[float] = FLEX_BANDS,
    solver_options: dict | None = None,
    method: Literal["warm", "rebuild"] = "warm",
    progress: Progress = lambda s: None,
) -> TenantStudy:
    """Evaluate each tenant against the base case of the input Dataset ``ds``.

    The base is built and solved once; each tenant is solved at every band of ``bands`` and at
    its own band, narrow to wide (``method='warm'``: on the base HiGHS instance; ``'rebuild'``:
    a new model each time). Raises SolveError if any case is not solved to optimality.
    """
    if method not in ("warm", "rebuild"):
        raise ValueError(f"method must be 'warm' or 'rebuild', got {method!r}")
    names = [t.name for t in tenants]
    if len(set(names)) != len(names):
        raise InputError(
            Problem("tenants", "two tenants have the same name", names, "give each a name=...")
        )
    for t in tenants:
        t.check(ds)
    if method == "warm" and any(str(v).startswith("policy_") for v in ds.data_vars):
        # a policy row sums the loads: the warm re-solve only raises a bus's balance, so a
        # tenant would be left out of the green share and the reserve margin
        progress("the scenario sets a policy: each tenant case is rebuilt (not warm)")
        method = "rebuild"
    T = ds.sizes["time"]
    timings: dict[str, float] = {}
    t0 = time.perf_counter()
    progress(f"building the base model ({T} hours)")
    b = build(ds)
    timings["build"] = time.perf_counter() - t0
    sol0 = solve(
        b.m,
        solver_options,
        name=str(ds.attrs.get("scenario")),
        keep=method == "warm",
        explain=b.explain,
        layout=b.layouts,
    )
    timings["base_solve"] = sol0.timings_s["handoff"] + sol0.timings_s["solve"]
    c0 = operating_cost_cny(ds, sol0)
    progress(f"base case solved: {sol0.status}, operating cost {c0:,.0f} CNY")
    r0 = res.extract(ds, sol0)
    buses = [str(v) for v in ds.bus.values]
    warm = Warm(sol0, buses, T) if method == "warm" else None
    study = TenantStudy(
        header={
            "scenario": ds.attrs.get("scenario"),
            "scenario_file": ds.attrs.get("scenario_file"),
            "scenario_sha256": ds.attrs.get("scenario_sha256"),
            "inputs_sha256": ds.attrs.get("inputs_sha256"),
            "hours": int(T),
            "start": str(pd.Timestamp(ds.time.values[0])),
            "timezone": ds.attrs.get("timezone"),
            "solver_status": sol0.status,
            "method": method,
            "flex_bands": [float(x) for x in sorted(set(bands) | {0.0})],
            "tariffs_cny_per_kwh": {
                k: float(ds[f"tariff_{k}_cny_per_kwh"])
                for k in ("network_charge", "funds", "benchmark", "provincial")
            },
            "annualisation": (
                None
                if T >= HOURS_PER_YEAR
                else f"per-year figures (annual_energy_mwh, saving_cny_per_yr) scale the {T}-hour horizon "
                f"by 8760/{T} = {HOURS_PER_YEAR / T:.3f}: they assume the whole year is like these hours"
            ),
            "timings_s": timings,
        },
        base={
            "objective_cny": c0,
            "unserved_energy_mwh": float(r0["bus_unserved_mw"].sum()),
            "curtailment_mwh": sum(
                (float(r0[e.curtailed].sum()) for _, e in res.energy_items(r0, "curtailed")), 0.0
            ),
            "emissions_t": res.emissions_t(r0),
            "peak_import_mw": float(hourly(r0, "import").max()),
        },
        base_results=r0,
    )
    for k, tenant in enumerate(tenants, start=1):
        progress(
            f"tenant {k}/{len(tenants)}: {tenant.name} at {tenant.bus}, {float(np.sum(tenant.p_mw)):,.0f} MWh"
        )
        tb = sorted(set(float(x) for x in bands) | {0.0, float(tenant.flex_band)})
        t1 = time.perf_counter()
        cases = solve_cases(ds, tenant, tb, warm, solver_options, progress)
        timings[f"tenant:{tenant.name}"] = time.perf_counter() - t1
        cost, best = {}, math.inf
        for c in cases:  # a wider band contains the narrower optimum: never report more
            best = min(best, operating_cost_cny(c.ds, c.sol))
            cost[c.band] = best
        E = float(np.sum(tenant.p_mw))
        own = next(c for c in cases if c.band == float(tenant.flex_band))
        ds1 = with_fixed_load(ds, tenant.name, tenant.bus, own.x_mw) if method == "warm" else own.ds
        r1 = res.extract(ds1, own.sol)
        f = figures(ds, r0, r1, tenant, own.x_mw, c0, cost[own.band])
        ic = {band: (cost[band] - c0) / E for band in tb}
        f["flexibility_curve"] = {_band_key(band): ic[band] for band in tb}
        f["flexibility_value"] = [
            {
                "band": band,
                "incremental_cost_cny_per_mwh": ic[band],
                "saving_cny_per_mwh": ic[0.0] - ic[band],
                "saving_cny_per_yr": (ic[0.0] - ic[band]) * E / year_fraction(r0),
            }
            for band in tb
        ]
        f["solves"] = [
            {
                "band": c.band,
                "objective_cny": operating_cost_cny(c.ds, c.sol),
                "iterations": c.sol.iterations,
                "seconds": c.seconds,
            }
            for c in cases
        ]
        study.tenants.append(TenantResult(f, r1, own.x_mw))
        verdict = (
            "fits" if f["fits"] else f"DOES NOT FIT ({f['unserved_energy_mwh']:,.1f} MWh unserved)"
        )
        progress(
            f"  {tenant.name}: incremental cost {f['incremental_cost_cny_per_mwh']:,.1f} CNY/MWh, "
            f"green share {f['green_share']:.0%}, {verdict}"
        )
    order = sorted(
        study.tenants,
        key=lambda t: (
            not t.figures["fits"],
            t.figures["delivered_price_cny_per_kwh"],
            -t.figures["green_share"],
        ),
    )
    for rank, t in enumerate(order, start=1):
        t.figures["rank"] = rank
    return study


def evaluate_scenario(
    path: str | Path,
    profiles: Sequence[str],
    *,
    bus: str | None = None,
    flex_band: float = 0.0,
    window_h: int = DEFAULT_WINDOW_H,
    hours: int | None = None,
    bands: Sequence[float] = FLEX_BANDS,
    solver_options: dict | None = None,
    method: Literal["warm", "rebuild"] = "warm",
    progress: Progress = lambda s: None,
) -> TenantStudy:
    """Load the scenario at ``path``, read each PROFILE (see :func:`parse_profile_spec`) and
    evaluate the tenants. Bad input raises :class:`InputError` before any solving: profile
    syntax first, then buses, then the profile files, then the scenario's series."""
    from gridopt.inputs import build_inputs, load_inputs, time_index
    from gridopt.scenario.load import load_scenario

    if not profiles:
        raise InputError(Problem("PROFILE", "no profile given", fix=SYNTAX))
    specs = [parse_profile_spec(p) for p in profiles]
    if not 0 <= flex_band < 1:
        raise InputError(
            Problem("--flex-band", "must be from 0 to below 1 (a share: 0.1 is +-10 %)", flex_band)
        )
    try:
        ls = load_scenario(path)
    except InputError:
        load_inputs(path, hours)  # reports schema and series problems together
        raise
    buses = list(ls.scenario.buses)
    for where, b in [("--bus", bus)] + [(f"profile {s.text!r}: bus", s.bus) for s in specs]:
        if b is not None and b not in buses:
            raise InputError(Problem(where, "unknown bus", b, "use one of: " + ", ".join(buses)))
    index = time_index(ls, hours)
    progress(f"reading {len(specs)} profile(s)")
    curves = [profile_mw(s, index) for s in specs]
    progress(f"resolving the inputs of {path}")
    ds = build_inputs(ls, hours)
    default = bus
    if bus is None and any(s.bus is None for s in specs):
        default, load = default_bus(ds)
        progress(
            f"tenant bus {default}: bus of the largest industrial load ({load}); --bus to change"
        )
    names: dict[str, int] = {}
    tenants = []
    for s, p in zip(specs, curves):
        n = names[s.name] = names.get(s.name, 0) + 1
        name = s.name if n == 1 else f"{s.name}_{n}"
        tenants.append(
            Tenant(
                name,
                s.bus or str(default),
                p,
                flex_band if s.flex_band is None else s.flex_band,
                window_h if s.window_h is None else s.window_h,
                s.text,
            )
        )
    options = {**ls.scenario.solver.options, **(solver_options or {})}
    try:
        check_options(options)  # a misspelt HiGHS option fails before anything is solved
        return evaluate(
            ds, tenants, bands=bands, solver_options=options, method=method, progress=progress
        )
    except SolveError as exc:
        raise SolveError(f"{path}: {exc}") from None
