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
from gridopt.console import say, text
from gridopt.data.clock import HOURS_PER_YEAR
from gridopt.errors import InputError, Problem, SolveError
from gridopt.io import json_safe
from gridopt.model import build
from gridopt.plan import read_plan
from gridopt.prices import year_fraction
from gridopt.results import operating_cost_cny
from gridopt.solve import check_options
from gridopt.tenant.figures import KWH_PER_MWH, figures, hourly
from gridopt.tenant.longrun import Base, changing_capacities, long_run_figures, solve_base
from gridopt.tenant.profiles import SYNTAX, parse_profile_spec, profile_mw
from gridopt.tenant.tenants import DEFAULT_WINDOW_H, Tenant, default_bus, with_fixed_load
from gridopt.tenant.warm import Case, Progress, solve_cases

FLEX_BANDS: tuple[float, ...] = (0.0, 0.05, 0.10, 0.20)
"""Bands of the flexibility value curve [-]."""
STABLE_KEYS = (
    "name",
    "bus",
    "energy_mwh",
    "short_run_incremental_cost_cny_per_mwh",
    "marginal_weighted_price_cny_per_mwh",
    "short_run_price_cny_per_kwh",
    "long_run_incremental_cost_cny_per_mwh",
    "offer_price_cny_per_kwh",
    "green_share",
    "absorbed_curtailment_mwh",
    "unserved_energy_mwh",
    "fits",
    "flexibility_curve",
)
"""Keys every tenant in ``tenant.json`` has (scripts may rely on them); the long-run cost and
the offer price are null without expansion options (``mode: "dispatch"``)."""


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
    hosting: dict[str, Any] | None = None
    """The load-hosting curve (:func:`gridopt.tenant.hosting.hosting_curve`), or None."""

    def ranked(self) -> list[dict[str, Any]]:
        """Tenant figures by rank: those that fit first, then the lowest offer price (the
        short-run price with charges without expansion options), then the highest green
        share."""
        return sorted((t.figures for t in self.tenants), key=lambda f: f["rank"])

    def to_dict(self) -> dict[str, Any]:
        return json_safe(
            {
                **self.header,
                "base": self.base,
                "ranking": [f["name"] for f in self.ranked()],
                "tenants": [t.figures for t in self.tenants],
                **({"hosting": self.hosting} if self.hosting is not None else {}),
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
    hosting_mw: Sequence[float] | None = None,
    lang: str = "en",
) -> TenantStudy:
    """Evaluate each tenant against the base case of the input Dataset ``ds``.

    The base is built and solved once; each tenant is solved at every band of ``bands`` and at
    its own band, narrow to wide (``method='warm'``: on the base HiGHS instance; ``'rebuild'``:
    a new model each time). With expansion options (:mod:`gridopt.tenant.longrun`) the base
    plan is solved too and each tenant re-planned at every band: long-run cost, offer price,
    what is built for it. ``hosting_mw``: also the load-hosting curve of the first tenant's
    profile at these mean loads [MW] (:mod:`gridopt.tenant.hosting`; progress in ``lang``).
    Raises SolveError if any case is not solved to optimality.
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
        say(progress, "tenant_policy_rebuild")
        method = "rebuild"
    T = ds.sizes["time"]
    timings: dict[str, float] = {}
    t0 = time.perf_counter()
    say(progress, "tenant_base_model", hours=T)
    built = build(ds, plan=True)  # without expansion options: the dispatch model itself
    expansion = changing_capacities(built)
    timings["build_plan" if expansion else "build"] = time.perf_counter() - t0
    keep = method == "warm"
    lr: Base | None = None
    if expansion:
        say(progress, "tenant_planning_mode", n=len(expansion), names=", ".join(expansion))
        lr = solve_base(
            ds,
            plan=True,
            warm=keep,
            options=solver_options,
            timings=timings,
            progress=progress,
            built=built,
        )
        built = None  # the short run builds its own (dispatch) model
    # without expansion options the model built above is the dispatch LP: solved once
    sr = solve_base(
        ds,
        plan=False,
        warm=keep,
        options=solver_options,
        timings=timings,
        progress=progress,
        built=built,
    )
    del built
    sol0, c0, r0 = sr.sol, sr.cost_cny, sr.results
    net = float(ds["tariff_network_charge_cny_per_kwh"]) + float(ds["tariff_funds_cny_per_kwh"])
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
            "mode": "plan" if lr is not None else "dispatch",
            "expansion_options": expansion,
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
            **(
                {
                    "plan_cost_cny": lr.cost_cny,
                    "plan_capacity_cost_cny": lr.plan.capacity_cost_cny,
                }
                if lr is not None and lr.plan is not None
                else {}
            ),
        },
        base_results=r0,
    )
    for k, tenant in enumerate(tenants, start=1):
        say(
            progress,
            "tenant_k",
            k=k,
            n=len(tenants),
            name=tenant.name,
            bus=tenant.bus,
            mwh=float(np.sum(tenant.p_mw)),
        )
        tb = sorted(set(float(x) for x in bands) | {0.0, float(tenant.flex_band)})
        t1 = time.perf_counter()
        cases = solve_cases(ds, tenant, tb, sr.warm, solver_options, progress)
        E = float(np.sum(tenant.p_mw))
        own = next(c for c in cases if c.band == float(tenant.flex_band))
        ds1 = with_fixed_load(ds, tenant.name, tenant.bus, own.x_mw) if method == "warm" else own.ds
        r1 = res.extract(ds1, own.sol)
        cost = _lowest_so_far(cases)
        f = figures(ds, r0, r1, tenant, own.x_mw, c0, cost[own.band])
        sric = {band: (cost[band] - c0) / E for band in tb}
        f["flexibility_curve"] = {_band_key(band): sric[band] for band in tb}
        lric: dict[float, float] | None = None
        f.update(
            {
                "long_run_incremental_cost_cny_per_mwh": None,
                "offer_price_cny_per_kwh": None,
                "long_run_flexibility_curve": None,
                "build_for_tenant": None,
            }
        )
        if lr is not None:
            lcases = solve_cases(ds, tenant, tb, lr.warm, solver_options, progress, plan=True)
            lcost = _lowest_so_far(lcases)
            lric = {band: (lcost[band] - lr.cost_cny) / E for band in tb}
            lown = next(c for c in lcases if c.band == float(tenant.flex_band))
            f.update(long_run_figures(lr, lown.sol, lcost[lown.band], E, net, ds))
            # a plan may leave demand unserved where VOLL is cheaper than building: then the
            # long-run cost includes VOLL and the tenant does not fit in the long run either
            ds1l = (
                with_fixed_load(ds, tenant.name, tenant.bus, lown.x_mw)
                if method == "warm"
                else lown.ds
            )
            r1l = res.extract(read_plan(ds1l, lown.sol, lr.pos).ds, lown.sol)
            u_lr = float((hourly(r1l, "unserved") - hourly(lr.results, "unserved")).sum())
            f["long_run_unserved_energy_mwh"] = max(u_lr, 0.0)
            if u_lr > max(1e-3, 1e-6 * E):
                f["fits"] = False
                f["unserved_energy_mwh"] = max(f["unserved_energy_mwh"], u_lr)
            f["long_run_flexibility_curve"] = {_band_key(band): lric[band] for band in tb}
            cases = cases + lcases
        timings[f"tenant:{tenant.name}"] = time.perf_counter() - t1
        f["flexibility_value"] = [
            _flex_entry(band, sric, lric, E, net, year_fraction(r0)) for band in tb
        ]
        f["solves"] = [
            {
                "band": c.band,
                "model": "plan" if c.plan else "dispatch",
                "objective_cny": operating_cost_cny(c.ds, c.sol),
                "iterations": c.sol.iterations,
                "seconds": c.seconds,
            }
            for c in cases
        ]
        study.tenants.append(TenantResult(f, r1, own.x_mw))
        verdict = (
            text(progress, "tenant_fits")
            if f["fits"]
            else text(progress, "tenant_unfit", mwh=f["unserved_energy_mwh"])
        )
        lr_text = (
            ""
            if lr is None
            else text(
                progress,
                "tenant_long_run",
                lric=f["long_run_incremental_cost_cny_per_mwh"],
                offer=f["offer_price_cny_per_kwh"],
            )
        )
        say(
            progress,
            "tenant_result",
            name=tenant.name,
            sric=f["short_run_incremental_cost_cny_per_mwh"],
            long_run=lr_text,
            green=f["green_share"],
            verdict=verdict,
        )
    order = sorted(
        study.tenants,
        key=lambda t: (
            not t.figures["fits"],
            t.figures["offer_price_cny_per_kwh"]
            if t.figures["offer_price_cny_per_kwh"] is not None
            else t.figures["short_run_price_cny_per_kwh"],
            -t.figures["green_share"],
        ),
    )
    for rank, t in enumerate(order, start=1):
        t.figures["rank"] = rank
    if hosting_mw is not None and tenants:
        from gridopt.tenant.hosting import hosting_curve

        t1 = time.perf_counter()
        study.hosting = hosting_curve(
            ds,
            tenants[0],
            hosting_mw,
            lr if lr is not None else sr,
            method=method,
            options=solver_options,
            progress=progress,
            lang=lang,
        )
        timings["hosting"] = time.perf_counter() - t1
    return study


def _lowest_so_far(cases: Sequence[Case]) -> dict[float, float]:
    """Band -> the lowest cost found at that band or a narrower one [CNY]: a wider band
    contains the narrower optimum, so this only removes solver tolerance noise."""
    cost, best = {}, math.inf
    for c in cases:
        best = min(best, operating_cost_cny(c.ds, c.sol))
        cost[c.band] = best
    return cost


def _flex_entry(
    band: float,
    sric: dict[float, float],
    lric: dict[float, float] | None,
    energy_mwh: float,
    net_cny_per_kwh: float,
    year_share: float,
) -> dict[str, Any]:
    """One point of the flexibility value curve: the short-run cost at ``band`` and its saving
    against a fixed tenant (and the same long-run, with the offer price, in plan mode)."""
    out: dict[str, Any] = {
        "band": band,
        "short_run_incremental_cost_cny_per_mwh": sric[band],
        "short_run_saving_cny_per_mwh": sric[0.0] - sric[band],
        "short_run_saving_cny_per_yr": (sric[0.0] - sric[band]) * energy_mwh / year_share,
    }
    if lric is not None:
        out.update(
            {
                "long_run_incremental_cost_cny_per_mwh": lric[band],
                "long_run_saving_cny_per_mwh": lric[0.0] - lric[band],
                "long_run_saving_cny_per_yr": (lric[0.0] - lric[band]) * energy_mwh / year_share,
                "offer_price_cny_per_kwh": lric[band] / KWH_PER_MWH + net_cny_per_kwh,
            }
        )
    return out


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
    hosting_mw: Sequence[float] | None = None,
    lang: str = "en",
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
    say(progress, "tenant_profiles", n=len(specs))
    curves = [profile_mw(s, index) for s in specs]
    say(progress, "tenant_inputs", path=path)
    ds = build_inputs(ls, hours)
    default = bus
    if bus is None and any(s.bus is None for s in specs):
        default, load = default_bus(ds)
        say(progress, "tenant_bus", bus=default, load=load)
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
            ds,
            tenants,
            bands=bands,
            solver_options=options,
            method=method,
            progress=progress,
            hosting_mw=hosting_mw,
            lang=lang,
        )
    except SolveError as exc:
        raise SolveError(f"{path}: {exc}") from None
