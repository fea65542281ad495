"""The main job: scenario file -> solved dispatch (or plan) -> results files, with timings and
memory."""

from __future__ import annotations

import resource
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
import xarray as xr

from gridopt import results as res
from gridopt.console import live_of, say, status, text, unserved_lines
from gridopt.data.clock import timestamp_text
from gridopt.errors import SolveError
from gridopt.inputs import expansion_warnings, load_inputs, local_time_index
from gridopt.io import (
    atomic_write,
    check_folder,
    staged_folder,
    write_json,
    write_netcdf,
    yaml_text,
)
from gridopt.model import build
from gridopt.plan import plan_block, policy_block, positions, read_plan
from gridopt.prices import summary_fields
from gridopt.solve import Solution, check_options, solve

Progress = Callable[[str], None]


def peak_memory_mb() -> float:
    """Peak resident memory of this process so far [MB] (Linux ru_maxrss is in KiB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


@dataclass
class RunResult:
    results: xr.Dataset
    summary: dict
    build: pd.DataFrame | None = None
    """The build table of a plan (``build.csv``); None for a dispatch run."""
    scenario: dict | None = None
    """The scenario as it was read (``extends`` merged, every default filled in), written as
    ``scenario_resolved.yaml`` so a results folder says what produced it; None: not known."""


def solve_inputs(
    ds: xr.Dataset,
    solver_options: dict | None = None,
    progress: Progress = lambda s: None,
    timings: dict[str, float] | None = None,
    plan: bool = False,
) -> RunResult:
    """Build, solve and extract one input Dataset (no files written); with ``plan``, the
    capacities the scenario lets change are decisions too (:mod:`gridopt.plan`): the results
    are then the planned year's, and ``objective_cny`` its operating cost (the plan's capital
    cost is in the summary's ``plan`` block).

    Raises SolveError when HiGHS finds no optimum, naming the assets, hours and scenario
    fields at fault when the model is infeasible or unbounded.
    """
    timings = {} if timings is None else timings
    say(progress, "build_plan" if plan else "build", hours=ds.sizes["time"])
    t0 = time.perf_counter()
    b = build(ds, plan=plan)
    timings["build"] = time.perf_counter() - t0
    say(progress, "solving")
    sol = solve(
        b.m,
        solver_options,
        name=str(ds.attrs.get("scenario")),
        explain=b.explain,
        live=live_of(progress),
    )
    pos = positions(b.planned)
    del b  # the Pyomo model is no longer needed: free it before extracting
    timings.update(sol.timings_s)
    return solved_result(ds, sol, pos if plan else None, progress, timings)


def solved_result(
    ds: xr.Dataset,
    sol: Solution,
    pos: dict | None,
    progress: Progress = lambda s: None,
    timings: dict[str, float] | None = None,
) -> RunResult:
    """Results and summary of a solved case: with ``pos`` (:func:`gridopt.plan.positions` of
    a planning model) the planned year's (:func:`gridopt.plan.read_plan`)."""
    timings = {} if timings is None else timings
    plan = pos is not None
    built = read_plan(ds, sol, pos) if plan else None
    capital = built.capacity_cost_cny if built else 0.0
    say(
        progress,
        "solved",
        status=status(getattr(progress, "lang", "en"), sol.status),
        cost=res.operating_cost_cny(ds, sol) - capital,
        capacity=text(progress, "solved_capacity", cost=capital) if plan else "",
    )
    t0 = time.perf_counter()
    r = res.extract(built.ds if built else ds, sol)
    if built:
        r["objective_cny"] = r["objective_cny"].copy(data=float(r["objective_cny"]) - capital)
    timings["extract"] = time.perf_counter() - t0
    summary = res.summary(r, timings, peak_memory_mb())
    summary.update(
        summary_fields(r)
    )  # cost-recovery and delivered price, decomposition (gridopt.prices)
    summary["lp_size"] = sol.lp_size
    if built:
        summary["plan"] = plan_block(built)
    if any(name.startswith("policy_") for name in ds.data_vars):
        summary["policy"] = policy_block(r, sol)  # limits, achieved, shadow prices
    for line in unserved_lines(summary["unserved_energy_by_bus"], getattr(progress, "lang", "en")):
        say(progress, "unserved", line=line)
    return RunResult(r, summary, built.table if built else None)


def run_scenario(
    path: str | Path,
    out_dir: str | Path | None = None,
    *,
    hours: int | None = None,
    solver_options: dict | None = None,
    progress: Progress = lambda s: None,
    plan: bool = False,
    baseline: bool = True,
) -> RunResult:
    """Load, check, solve and (if ``out_dir``) write ``results.nc``, ``prices.csv``, ``summary.json``
    (and, with ``plan``, ``build.csv``: :func:`solve_inputs`).

    A plan with ``baseline`` also solves the scenario's dispatch as it is (nothing built or
    retired) and keeps its key figures in ``summary['plan']['dispatch']`` (:func:`baseline_figures`),
    so the planned year can be read against it.

    ``out_dir`` is checked before anything is solved. Raises InputError for a bad scenario or
    an ``out_dir`` that cannot be written, and SolveError when HiGHS does not reach optimality;
    then nothing is written and earlier results in ``out_dir`` are left as they were.
    """
    if out_dir is not None:
        check_folder(Path(out_dir))
    timings: dict[str, float] = {}
    t0 = time.perf_counter()
    say(progress, "reading", path=path)
    ls, ds = load_inputs(path, hours)
    timings["inputs"] = time.perf_counter() - t0
    if plan:
        for warning in expansion_warnings(ls, ds):
            say(progress, "warning", text=warning)
    options = {**ls.scenario.solver.options, **(solver_options or {})}
    try:
        check_options(options)  # a misspelt HiGHS option fails before the model is built
        out = solve_inputs(ds, options, progress, timings, plan=plan)
        if plan and baseline:
            say(progress, "baseline")
            try:
                before = solve_inputs(ds, options, timings={})
            except SolveError as exc:  # e.g. a policy today's fleet cannot meet
                say(progress, "baseline_failed", error=exc)
                out.summary["plan"]["dispatch"] = {"solver_status": "no solution", "note": str(exc)}
            else:
                out.summary["plan"]["dispatch"] = baseline_figures(before.summary)
                out.summary["timings_s"]["baseline"] = sum(
                    before.summary["timings_s"].get(k, 0.0) for k in ("build", "handoff", "solve")
                )
    except SolveError as exc:
        raise SolveError(f"{path}: {exc}") from None
    out.scenario = ls.scenario.model_dump(mode="json")
    if out_dir is not None:
        say(progress, "writing", path=out_dir)
        write_outputs(out, Path(out_dir))
    return out


BASELINE_KEYS = (
    "objective_cny",
    "delivered_price_cny_per_kwh",
    "cost_recovery_cny_per_mwh",
    "price_decomposition",
    "curtailment_mwh",
    "emissions_t",
    "unserved_energy_mwh",
    "average_marginal_price_cny_per_mwh",
)
"""The figures of the dispatch as it is that a plan's summary keeps beside its own."""


def baseline_figures(summary: dict) -> dict:
    """The :data:`BASELINE_KEYS` of a dispatch run's summary (those it has)."""
    return {k: summary[k] for k in BASELINE_KEYS if k in summary}


RESOLVED_FILE = "scenario_resolved.yaml"
RESOLVED_HEADER = (
    "# The scenario as gridopt read it for these results: {file} with extends merged and every\n"
    "# default filled in (inputs sha256 {sha}). File names inside are relative to that file's\n"
    "# folder. Written by gridopt for the record; edit the scenario file, not this copy.\n"
)


def write_outputs(out: RunResult, out_dir: Path) -> None:
    """Write ``results.nc``, ``prices.csv`` and ``summary.json`` into ``out_dir`` as a whole
    (:func:`gridopt.io.staged_folder`): the files of an earlier run there are replaced only
    once all three new ones are complete, so a failure at any point leaves them intact."""
    stale = () if out.build is not None else ("build.csv",)  # a dispatch replaces a plan
    if out.scenario is None:
        stale += (RESOLVED_FILE,)
    with staged_folder(Path(out_dir), remove=stale) as stage:
        write_files(out, stage)


def write_files(out: RunResult, folder: Path) -> None:
    """Write the three result files into ``folder``, ``summary.json`` last, with the time
    spent writing the others in its ``timings_s['write']`` [s] and the peak memory so far.

    For a folder already staged by the caller (e.g. a sweep case with files of its own);
    otherwise use :func:`write_outputs`.
    """
    t0 = time.perf_counter()
    write_netcdf(folder / "results.nc", out.results)
    prices = out.results["price_cny_per_mwh"].to_pandas()
    prices.index = pd.Index(timestamp_text(local_time_index(out.results)), name="timestamp")
    prices.columns.name = None
    atomic_write(folder / "prices.csv", lambda p: prices.to_csv(p, float_format="%.4f"))
    if out.build is not None:
        atomic_write(folder / "build.csv", lambda p: out.build.to_csv(p, index=False))
    if out.scenario is not None:
        text = RESOLVED_HEADER.format(
            file=out.summary.get("scenario_file", ""), sha=out.summary.get("inputs_sha256", "")
        ) + yaml_text(out.scenario)
        atomic_write(folder / RESOLVED_FILE, lambda p: p.write_text(text, encoding="utf-8"))
    out.summary.setdefault("timings_s", {})["write"] = time.perf_counter() - t0
    out.summary["peak_memory_mb"] = peak_memory_mb()
    write_json(folder / "summary.json", out.summary)
