"""One case of a sweep: solved on a worker (:func:`run_case`) and written into its folder
``DIR/cases/<case-id>/`` (:func:`write_case`).

The folder holds ``scenario.yaml`` (the resolved scenario), ``case.json`` (the sweep's record
of the case) and the files of ``gridopt run`` (``results.nc``, ``prices.csv``, ``summary.json``
last), all written into a staging folder moved into place when complete
(:func:`gridopt.io.staged_folder`); a case that failed gets ``error.txt`` instead of a summary.
A case is done when its ``summary.json`` exists.
"""

from __future__ import annotations

import contextlib
import os
import socket
import time
import traceback
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import gridopt
from gridopt.errors import GridoptError
from gridopt.io import atomic_write, check_folder, staged_folder, write_json, yaml_text
from gridopt.prices import average_marginal_price
from gridopt.run import RunResult
from gridopt.sweep.plan import Case

DONE_FILE = "summary.json"
ERROR_FILE = "error.txt"
CASE_FILE = "case.json"
SCENARIO_FILE = "scenario.yaml"


@dataclass
class CaseOutcome:
    """What a worker sends back for one case.

    run : results and summary (None when the case failed or the worker wrote them); error : the
    message (and traceback for an unexpected error) when it failed;
    avg_marginal_price_cny_per_mwh : :func:`gridopt.prices.average_marginal_price`; wall_s : time on the
    worker [s]; worker : host and pid; written : the worker wrote the case folder itself;
    write_error : why the worker could not write it (the client then writes it, and says why)
    """

    case_id: str
    run: RunResult | None = None
    error: str | None = None
    avg_marginal_price_cny_per_mwh: float = float("nan")
    wall_s: float = 0.0
    worker: str = ""
    written: bool = False
    write_error: str | None = None

    @property
    def ok(self) -> bool:
        return self.error is None


def run_case(
    case: Case, solver_options: dict[str, Any] | None = None, out_dir: str | None = None
) -> CaseOutcome:
    """Solve one case (on a Dask worker); never raises for a failing case, returns its error.

    HiGHS runs with ``threads=1`` (one core per worker) unless ``solver_options`` says otherwise;
    the scenario's own solver options apply first. With ``out_dir`` (a folder the worker sees
    at the same path as the client) the worker writes the case folder itself and returns the
    outcome without the results (``written`` True); otherwise the client writes it.
    """
    import gc
    import time

    from gridopt.inputs import build_inputs
    from gridopt.run import solve_inputs
    from gridopt.scenario.load import scenario_from_dict

    t0 = time.perf_counter()
    worker = f"{socket.gethostname()}:{os.getpid()}"
    try:
        ls = scenario_from_dict(case.scenario, case.scenario_path)
        ds = build_inputs(ls, case.hours)
        timings = {"inputs": time.perf_counter() - t0}
        options = {**ls.scenario.solver.options, "threads": 1, **(solver_options or {})}
        out = solve_inputs(ds, options, timings=timings)
        outcome = CaseOutcome(
            case.case_id, out, None, average_marginal_price(out.results), 0.0, worker
        )
    except GridoptError as exc:
        outcome = CaseOutcome(case.case_id, error=str(exc), worker=worker)
    except Exception as exc:  # noqa: BLE001 - any error of one case is recorded, the others go on
        outcome = CaseOutcome(
            case.case_id,
            error=f"{type(exc).__name__}: {exc}\n\n{traceback.format_exc()}",
            worker=worker,
        )
    outcome.wall_s = time.perf_counter() - t0
    if out_dir is not None:
        try:
            write_case(Path(out_dir), case, outcome)
            outcome.run, outcome.written = None, True
        except Exception as exc:  # noqa: BLE001 - e.g. not writable here: the client writes it, and says why
            outcome.written = False
            outcome.write_error = reason(exc)
    gc.collect()
    return outcome


def reason(exc: BaseException) -> str:
    """An exception as one line a person reads: ``cases/x: Permission denied`` for an OS error
    (no errno, no quotes), ``Type: message`` otherwise."""
    if isinstance(exc, OSError) and exc.filename is not None and exc.strerror:
        return f"{exc.filename}: {exc.strerror}"
    if isinstance(exc, GridoptError):
        return str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
    lines = str(exc).strip().splitlines()
    return f"{type(exc).__name__}: {lines[0]}" if lines else type(exc).__name__


def case_dir(out_dir: Path, case: Case) -> Path:
    return Path(out_dir) / "cases" / case.case_id


def is_done(out_dir: Path, case: Case) -> bool:
    """A case is done when its ``summary.json`` exists (it is written last)."""
    return (case_dir(out_dir, case) / DONE_FILE).exists()


def _scenario_text(case: Case) -> str:
    head = (
        f"# sweep case {case.case_id}: {case.label()}\n"
        f"# resolved from {case.scenario_path} ({case.hours} hours solved); relative file paths\n"
        f"# in it refer to {Path(case.scenario_path).resolve().parent}\n"
    )
    return head + yaml_text(case.scenario)


def _record(case: Case, outcome: CaseOutcome) -> dict[str, Any]:
    return {
        "case_id": case.case_id,
        "status": "ok" if outcome.ok else "failed",
        "parameters": case.params,
        "weather_year": case.weather_year,
        "hours": case.hours,
        "scenario_file": str(case.scenario_path),
        "avg_marginal_price_cny_per_mwh": outcome.avg_marginal_price_cny_per_mwh
        if outcome.ok
        else None,
        "wall_s": outcome.wall_s,
        "worker": outcome.worker,
        "gridopt_version": gridopt.__version__,
        "finished": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
    }


def write_case(out_dir: Path, case: Case, outcome: CaseOutcome) -> Path:
    """Write one case's folder as a whole (:func:`gridopt.io.staged_folder`): ``scenario.yaml``,
    ``case.json`` and the files of ``gridopt run`` with ``summary.json`` last, or ``error.txt``
    if it failed. The files already there are replaced only once the new ones are complete."""
    from gridopt.run import write_files

    d = case_dir(out_dir, case)
    check_folder(d, what="sweep case folder")
    marker, stale = (DONE_FILE, ERROR_FILE) if outcome.ok else (ERROR_FILE, DONE_FILE)
    with staged_folder(d, last=(marker,), remove=(stale,)) as stage:
        atomic_write(
            stage / SCENARIO_FILE,
            lambda p: p.write_text(_scenario_text(case), encoding="utf-8"),
        )
        write_json(stage / CASE_FILE, _record(case, outcome))
        if outcome.ok:
            write_files(outcome.run, stage)
        else:
            text = f"case {case.case_id}: {case.label()}\n{outcome.error}\n"
            atomic_write(stage / ERROR_FILE, lambda p: p.write_text(text, encoding="utf-8"))
    return d


def _write_here(out_dir: Path, case: Case, outcome: CaseOutcome) -> CaseOutcome:
    """Write a case's folder in this process; if that fails, the case's outcome is a failure
    that says why (its ``error.txt`` is written if the folder takes it)."""
    try:
        write_case(out_dir, case, outcome)
        return outcome
    except Exception as exc:  # noqa: BLE001 - one case that cannot be written must not stop the rest
        failed = CaseOutcome(
            case.case_id,
            error=f"could not write the case folder {case_dir(out_dir, case)}: {reason(exc)}",
            wall_s=outcome.wall_s,
            worker=outcome.worker,
        )
        with contextlib.suppress(Exception):
            write_case(out_dir, case, failed)
        return failed
