"""The main job: scenario file -> solved dispatch -> results files, with timings and memory."""

from __future__ import annotations

import resource
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
import xarray as xr

from gridopt import results as res
from gridopt.errors import SolveError
from gridopt.inputs import load_inputs
from gridopt.io import atomic_write, write_json, write_netcdf
from gridopt.model import build
from gridopt.prices import summary_fields
from gridopt.solve import solve

Progress = Callable[[str], None]


def peak_memory_mb() -> float:
    """Peak resident memory of this process so far [MB] (Linux ru_maxrss is in KiB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


@dataclass
class RunResult:
    results: xr.Dataset
    summary: dict


def solve_inputs(
    ds: xr.Dataset,
    solver_options: dict | None = None,
    progress: Progress = lambda s: None,
    timings: dict[str, float] | None = None,
) -> RunResult:
    """Build, solve and extract one input Dataset (no files written)."""
    timings = {} if timings is None else timings
    progress(f"building the model ({ds.sizes['time']} hours)")
    t0 = time.perf_counter()
    b = build(ds)
    timings["build"] = time.perf_counter() - t0
    progress("handing off to HiGHS and solving")
    sol = solve(b.m, solver_options, name=str(ds.attrs.get("scenario")))
    timings.update(sol.timings_s)
    progress(f"solved: {sol.status}, objective {sol.objective:,.0f} CNY; extracting results")
    t0 = time.perf_counter()
    r = res.extract(ds, sol)
    timings["extract"] = time.perf_counter() - t0
    summary = res.summary(r, timings, peak_memory_mb())
    summary.update(
        summary_fields(r)
    )  # cost-recovery and delivered price, decomposition (gridopt.prices)
    summary["lp_size"] = sol.lp_size
    return RunResult(r, summary)


def run_scenario(
    path: str | Path,
    out_dir: str | Path | None = None,
    *,
    hours: int | None = None,
    solver_options: dict | None = None,
    progress: Progress = lambda s: None,
) -> RunResult:
    """Load, check, solve and (if ``out_dir``) write ``results.nc``, ``prices.csv``, ``summary.json``.

    Raises InputError for a bad scenario and SolveError when HiGHS does not reach optimality;
    then nothing is written.
    """
    timings: dict[str, float] = {}
    t0 = time.perf_counter()
    progress(f"reading {path}")
    ls, ds = load_inputs(path, hours)
    timings["inputs"] = time.perf_counter() - t0
    options = {**ls.scenario.solver.options, **(solver_options or {})}
    try:
        out = solve_inputs(ds, options, progress, timings)
    except SolveError as exc:
        raise SolveError(f"{path}: {exc}") from None
    if out_dir is not None:
        t0 = time.perf_counter()
        write_outputs(out, Path(out_dir))
        timings["write"] = time.perf_counter() - t0
        out.summary["timings_s"] = timings
    return out


def write_outputs(out: RunResult, out_dir: Path) -> None:
    """Write the three result files atomically; ``summary.json`` goes last, so a directory with
    a summary is complete (an old summary is removed first)."""
    out_dir.mkdir(parents=True, exist_ok=True)
    (out_dir / "summary.json").unlink(missing_ok=True)
    write_netcdf(out_dir / "results.nc", out.results)
    prices = out.results["price_cny_per_mwh"].to_pandas()
    prices.index = pd.DatetimeIndex(prices.index).tz_localize(
        out.results.attrs.get("timezone", "Asia/Shanghai")
    )
    prices.index.name = "timestamp"
    prices.columns.name = None
    atomic_write(out_dir / "prices.csv", lambda p: prices.to_csv(p, float_format="%.4f"))
    write_json(out_dir / "summary.json", out.summary)
