"""Running a planned sweep on Dask: one task per case, results written case by case.

Each case is solved on a Dask worker by :func:`run_case` (scenario mapping -> input Dataset ->
model -> HiGHS with one thread -> results Dataset and summary); the client writes what comes
back into ``DIR/cases/<case-id>/`` with the same code as ``gridopt run`` (``results.nc``,
``prices.csv``, ``summary.json`` last), after ``scenario.yaml`` (the resolved scenario) and
``case.json`` (the sweep's record of the case). A case is done when its ``summary.json``
exists; cases already done are skipped, so a sweep that was stopped resumes where it stopped.
A case that fails (an error in the case, a worker that died) gets ``error.txt`` instead of a
summary and is tried again by the next run.

Workers need gridopt installed and read access to the files the scenario refers to (CSV,
weather files) at the same path. On a LocalCluster (or with ``shared_fs``: ``DIR`` is on a file
system the workers share) each worker writes its case folder; otherwise the results travel
back to the client, which writes them.
"""

from __future__ import annotations

import contextlib
import logging
import os
import socket
import sys
import time
import traceback
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TextIO

import yaml

import gridopt
from gridopt.errors import GridoptError
from gridopt.io import atomic_write, write_json
from gridopt.run import RunResult
from gridopt.sweep.study import Case, SweepPlan, study_yaml

DONE_FILE = "summary.json"
ERROR_FILE = "error.txt"
CASE_FILE = "case.json"
SCENARIO_FILE = "scenario.yaml"


@dataclass
class CaseOutcome:
    """What a worker sends back for one case.

    run : results and summary (None when the case failed or the worker wrote them); error : the
    message (and traceback for an unexpected error) when it failed;
    avg_marginal_price_cny_per_mwh : see :func:`average_marginal_price`; wall_s : time on the
    worker [s]; worker : host and pid; written : the worker wrote the case folder itself
    """

    case_id: str
    run: RunResult | None = None
    error: str | None = None
    avg_marginal_price_cny_per_mwh: float = float("nan")
    wall_s: float = 0.0
    worker: str = ""
    written: bool = False

    @property
    def ok(self) -> bool:
        return self.error is None


def average_marginal_price(results) -> float:
    """Load-weighted average marginal price over all buses and hours [CNY/MWh].

    avg = sum_{t,b} p[t,b] c[t,b] / sum_{t,b} c[t,b], with p the marginal price of bus b in hour
    t [CNY/MWh] and c the consumption of the loads at bus b (fixed + flexible + interruptible
    served) [MW]; NaN when there is no load. The same definition as
    ``average_marginal_price_cny_per_mwh`` of :mod:`gridopt.prices`.
    """
    from gridopt.results import consumption_by_bus

    c = consumption_by_bus(results)
    total = float(c.sum())
    return float((results["price_cny_per_mwh"] * c).sum()) / total if total > 0 else float("nan")


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
        except Exception:  # noqa: BLE001 - e.g. the folder is not writable here: the client writes it
            outcome.written = False
    gc.collect()
    return outcome


# ---------------------------------------------------------------------------------------------
# case folders
# ---------------------------------------------------------------------------------------------


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
    return head + yaml.safe_dump(case.scenario, sort_keys=False, allow_unicode=True)


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
    """Write one case's folder atomically, file by file: ``scenario.yaml``, ``case.json``, then
    the files of ``gridopt run`` with ``summary.json`` last; or ``error.txt`` if it failed."""
    from gridopt.run import write_outputs

    d = case_dir(out_dir, case)
    d.mkdir(parents=True, exist_ok=True)
    (d / DONE_FILE).unlink(missing_ok=True)
    atomic_write(d / SCENARIO_FILE, lambda p: p.write_text(_scenario_text(case), encoding="utf-8"))
    write_json(d / CASE_FILE, _record(case, outcome))
    if outcome.ok:
        (d / ERROR_FILE).unlink(missing_ok=True)
        write_outputs(outcome.run, d)
    else:
        text = f"case {case.case_id}: {case.label()}\n{outcome.error}\n"
        atomic_write(d / ERROR_FILE, lambda p: p.write_text(text, encoding="utf-8"))
    return d


# ---------------------------------------------------------------------------------------------
# progress
# ---------------------------------------------------------------------------------------------


@dataclass
class SweepProgress:
    """Counts of a running sweep, passed to the progress callback after every change.

    total : cases in the sweep; skipped : already done before this run; done : ok so far
    (skipped included); failed : failed in this run; running : cases being solved (at most
    one per worker thread); computed : cases finished in this run (ok or failed)
    """

    total: int
    skipped: int = 0
    done: int = 0
    failed: int = 0
    running: int = 0
    computed: int = 0
    started: float = field(default_factory=time.perf_counter)
    last: str = ""

    @property
    def remaining(self) -> int:
        return self.total - self.done - self.failed

    def eta_s(self) -> float | None:
        """Time left [s]: cases left x (time so far / cases finished in this run)."""
        if self.computed == 0:
            return None
        return self.remaining * (time.perf_counter() - self.started) / self.computed

    def line(self) -> str:
        eta = self.eta_s()
        left = (
            "estimating time left"
            if eta is None and self.remaining
            else f"~{_duration(eta or 0)} left"
        )
        text = (
            f"sweep: {self.done}/{self.total} done"
            + (f" ({self.skipped} already done)" if self.skipped else "")
            + f", {self.running} running, {self.failed} failed, {left}"
        )
        return text + (f" — last: {self.last}" if self.last else "")


def _duration(s: float) -> str:
    s = int(round(s))
    if s < 60:
        return f"{s} s"
    if s < 3600:
        return f"{s // 60} min {s % 60:02d} s"
    return f"{s // 3600} h {s % 3600 // 60:02d} min"


class ProgressLine:
    """Writes :meth:`SweepProgress.line` to ``stream``: one line updated in place on a terminal,
    a new line per update otherwise (logs)."""

    def __init__(self, stream: TextIO | None = None):
        self.stream = stream or sys.stderr
        self.tty = hasattr(self.stream, "isatty") and self.stream.isatty()
        self.width = 0

    def __call__(self, p: SweepProgress) -> None:
        line = f"[{time.perf_counter() - p.started:7.1f} s] {p.line()}"
        if self.tty:
            import shutil

            cols = shutil.get_terminal_size((120, 24)).columns - 1
            line = line if len(line) <= cols else line[: cols - 1] + "…"
            pad = max(self.width - len(line), 0)
            self.stream.write("\r" + line + " " * pad)
            self.width = len(line)
        else:
            self.stream.write(line + "\n")
        self.stream.flush()

    def close(self) -> None:
        if self.tty and self.width:
            self.stream.write("\n")
            self.stream.flush()


# ---------------------------------------------------------------------------------------------
# the sweep
# ---------------------------------------------------------------------------------------------


@contextlib.contextmanager
def dask_client(
    workers: int | None = None, scheduler: str | None = None, timeout_s: float = 30
) -> Iterator[Any]:
    """A ``dask.distributed`` client: on an existing scheduler (``tcp://host:8786``), or on a
    LocalCluster of ``workers`` processes (default: the number of cores), one thread each."""
    from dask.distributed import Client, LocalCluster

    if scheduler:
        client = Client(scheduler, timeout=timeout_s)
        try:
            yield client
        finally:
            client.close()
        return
    n = workers or os.cpu_count() or 1
    cluster = LocalCluster(
        n_workers=n,
        threads_per_worker=1,
        processes=True,
        dashboard_address=None,
        silence_logs=logging.ERROR,
    )
    try:
        client = Client(cluster)
        try:
            yield client
        finally:
            client.close()
    finally:
        cluster.close()


@dataclass
class SweepResult:
    """What a sweep did: counts, the tables written and any notes for the planner."""

    out_dir: Path
    total: int
    skipped: int
    computed: int
    failed: list[tuple[str, str]]
    elapsed_s: float
    files: dict[str, Path]
    notes: list[str]


Task = Callable[[Case, dict, "str | None"], CaseOutcome]


def run_sweep(
    plan: SweepPlan,
    out_dir: str | Path,
    *,
    workers: int | None = None,
    scheduler: str | None = None,
    client: Any = None,
    shared_fs: bool | None = None,
    progress: Callable[[SweepProgress], None] | None = None,
    task: Task = run_case,
    lang: str = "en",
) -> SweepResult:
    """Run every case of ``plan`` that is not done yet and write the sweep tables.

    Cases go to ``client`` if given, else to a new client on ``scheduler`` or on a LocalCluster
    of ``workers`` processes (started only when there is something to compute). Workers write
    the case folders themselves when ``shared_fs`` (default: on a LocalCluster, which shares
    this machine's disk); otherwise each case's results travel back and this process writes
    them. ``task`` is the function run for each case on a worker (:func:`run_case`). On
    KeyboardInterrupt the pending cases are cancelled and the interrupt is raised again; what
    was written stays.
    """
    from dask.distributed import as_completed

    from gridopt.sweep.collect import write_tables

    out_dir = Path(out_dir)
    t0 = time.perf_counter()
    (out_dir / "cases").mkdir(parents=True, exist_ok=True)
    atomic_write(out_dir / "study.yaml", lambda p: p.write_text(study_yaml(plan), encoding="utf-8"))
    todo = [c for c in plan.cases if not is_done(out_dir, c)]
    state = SweepProgress(total=len(plan.cases), skipped=len(plan.cases) - len(todo))
    state.done = state.skipped
    failed: list[tuple[str, str]] = []
    report = progress or (lambda p: None)

    if todo:
        with contextlib.ExitStack() as stack:
            if client is None:
                client = stack.enter_context(dask_client(workers, scheduler))
            threads = sum(client.nthreads().values())
            if threads == 0:
                state.last = "waiting for workers to join the scheduler"
            threads = max(threads, 1)
            if shared_fs is None:
                from dask.distributed import LocalCluster

                shared_fs = isinstance(getattr(client, "cluster", None), LocalCluster)
            target = str(out_dir.resolve()) if shared_fs else None
            by_key = {}
            futures = []
            for c in todo:
                f = client.submit(
                    task,
                    c,
                    dict(plan.solver_options),
                    target,
                    key=f"gridopt-case-{c.case_id}-{os.urandom(3).hex()}",
                    pure=False,
                    retries=0,
                )
                by_key[f.key] = c
                futures.append(f)
            state.started = time.perf_counter()
            state.running = min(threads, len(todo))
            report(state)
            try:
                for fut in as_completed(futures):
                    c = by_key[fut.key]
                    try:
                        outcome = fut.result()
                    except Exception as exc:  # noqa: BLE001 - a worker died, the task was lost …
                        outcome = CaseOutcome(c.case_id, error=f"{type(exc).__name__}: {exc}")
                    fut.release()
                    if not outcome.written:
                        write_case(out_dir, c, outcome)
                    elif not (
                        case_dir(out_dir, c) / (DONE_FILE if outcome.ok else ERROR_FILE)
                    ).exists():
                        outcome = CaseOutcome(
                            c.case_id,
                            error=f"the worker {outcome.worker} wrote the case to a folder this "
                            "machine does not see; run with --no-shared-fs (shared_fs: false)",
                            worker=outcome.worker,
                        )
                        write_case(out_dir, c, outcome)
                    state.computed += 1
                    if outcome.ok:
                        state.done += 1
                        state.last = f"{c.label()} ok in {outcome.wall_s:.1f} s"
                    else:
                        state.failed += 1
                        first = (
                            outcome.error.strip().splitlines()[0]
                            if outcome.error.strip()
                            else "failed"
                        )
                        failed.append((c.case_id, first))
                        state.last = f"{c.label()} FAILED: {first}"
                    state.running = min(threads, len(todo) - state.computed)
                    report(state)
            except BaseException:
                client.cancel(futures)
                raise
    else:
        report(state)
    files, notes = write_tables(plan, out_dir, lang)
    return SweepResult(
        out_dir,
        len(plan.cases),
        state.skipped,
        state.computed,
        failed,
        time.perf_counter() - t0,
        files,
        notes,
    )
