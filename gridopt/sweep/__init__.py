"""Scenario sweeps and weather-year studies on Dask (``gridopt sweep``): the price band a
planner can put in front of an investor.

Stages, one module each:

- :mod:`gridopt.sweep.study` — the study (scenario, ``--set`` paths and values, weather years)
  read from a study file or the command line and checked;
- :mod:`gridopt.sweep.plan` — the study expanded into validated cases with content-hash ids
  (nothing solved yet), walking dotted paths through the schema (:mod:`gridopt.sweep.paths`);
- :mod:`gridopt.sweep.cases` — one case solved on a worker and written to
  ``DIR/cases/<case-id>/``;
- :mod:`gridopt.sweep.run` — one Dask task per case not yet done, each case written as it
  completes, with progress and time left;
- :mod:`gridopt.sweep.collect` — ``sweep.csv``, ``sweep_bands.csv`` (P10/P50/P90 across
  weather years), ``sweep.nc`` and ``sweep.html``, rebuilt from the case folders.

``docs/sweep.md`` describes the command, the study file, case ids and resume, the outputs and
how to run on a cluster.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from gridopt.console import say as console_say
from gridopt.console import text
from gridopt.prices import average_marginal_price
from gridopt.sweep.cases import CaseOutcome, run_case
from gridopt.sweep.collect import (
    price_bands,
    read_price_bands,
    sweep_dataset,
    sweep_table,
    write_tables,
)
from gridopt.sweep.plan import Case, SweepPlan, plan_sweep
from gridopt.sweep.run import ProgressLine, SweepProgress, SweepResult, dask_client, run_sweep
from gridopt.sweep.study import (
    Study,
    SweepOptions,
    load_study,
    parse_seeds,
    parse_set,
    study_from_cli,
)


def sweep(
    target: str | Path,
    sets: Sequence[str] = (),
    *,
    weather_years: int | None = None,
    seeds: str | None = None,
    out: str | Path | None = None,
    workers: int | None = None,
    scheduler: str | None = None,
    hours: int | None = None,
    solver_options: dict[str, Any] | None = None,
    shared_fs: bool | None = None,
    progress: Callable[[SweepProgress], None] | None = None,
    say: Callable[[str], None] = lambda s: None,
    client: Any = None,
    lang: str = "zh",
) -> SweepResult:
    """``gridopt sweep``: plan (validate every case), then run what is not done and write the
    tables. ``target`` is a scenario or a study file; ``sets`` are ``PATH=V1,V2,...`` texts;
    ``lang`` (zh or en) is the language of ``sweep.html``. The options, the scheduler address and
    the output folder are checked before the cases are planned."""
    from gridopt.report import check_lang

    lang = check_lang(lang)
    kwargs, opts = study_from_cli(
        Path(target),
        sets,
        weather_years=weather_years,
        seeds=seeds,
        out=Path(out) if out is not None else None,
        workers=workers,
        scheduler=scheduler,
        hours=hours,
        solver_options=solver_options,
        shared_fs=shared_fs,
    )
    from gridopt.io import check_folder

    check_folder(opts.out_dir, "--out" if out is not None else "output folder")  # before planning
    plan = plan_sweep(**kwargs, progress=say)
    dims = [f"{len(v)} {p}" for p, v in plan.sets] + (
        [text(say, "sweep_dim_wy", n=len(plan.weather_years))] if plan.weather_years else []
    )
    console_say(
        say,
        "sweep_planned",
        n=len(plan.cases),
        dims=" × ".join(dims) or text(say, "sweep_as_is"),
        path=opts.out_dir,
    )
    return run_sweep(
        plan,
        opts.out_dir,
        workers=opts.workers,
        scheduler=opts.scheduler,
        client=client,
        shared_fs=opts.shared_fs,
        progress=progress,
        lang=lang,
    )


__all__ = [
    "Case",
    "CaseOutcome",
    "ProgressLine",
    "Study",
    "SweepOptions",
    "SweepPlan",
    "SweepProgress",
    "SweepResult",
    "average_marginal_price",
    "dask_client",
    "load_study",
    "parse_seeds",
    "parse_set",
    "plan_sweep",
    "price_bands",
    "read_price_bands",
    "run_case",
    "run_sweep",
    "study_from_cli",
    "sweep",
    "sweep_dataset",
    "sweep_table",
    "write_tables",
]
