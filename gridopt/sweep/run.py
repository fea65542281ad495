"""Running a planned sweep on Dask: one task per case, results written case by case, then the
sweep's tables (:mod:`gridopt.sweep.collect`).

Each case is solved on a Dask worker by :func:`gridopt.sweep.cases.run_case` (scenario mapping -> input Dataset ->
model -> HiGHS with one thread -> results Dataset and summary); the client writes what comes
back into ``DIR/cases/<case-id>/`` with the same code as ``gridopt run`` (``results.nc``,
``prices.csv``, ``summary.json`` last), after ``scenario.yaml`` (the resolved scenario) and
``case.json`` (the sweep's record of the case), all into a staging folder moved into place
when complete (:func:`gridopt.io.staged_folder`). A case is done when its ``summary.json``
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
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TextIO

from gridopt.errors import InputError, Problem
from gridopt.io import atomic_write
from gridopt.prices import average_marginal_price
from gridopt.sweep.cases import (
    CASE_FILE,
    DONE_FILE,
    ERROR_FILE,
    SCENARIO_FILE,
    CaseOutcome,
    _write_here,
    case_dir,
    is_done,
    reason,
    run_case,
    write_case,
)
from gridopt.sweep.plan import Case, SweepPlan
from gridopt.sweep.study import SCHEDULER_FIX, check_scheduler, study_yaml


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
    last: Any = ""
    """The last event: a text, or a function of the language giving it."""

    @property
    def remaining(self) -> int:
        return self.total - self.done - self.failed

    def eta_s(self) -> float | None:
        """Time left [s]: cases left x (time so far / cases finished in this run)."""
        if self.computed == 0:
            return None
        return self.remaining * (time.perf_counter() - self.started) / self.computed

    def line(self, lang: str = "en") -> str:
        """The progress line in ``lang`` (:mod:`gridopt.console_texts`)."""
        from gridopt.console_texts import TEXTS

        tr = TEXTS[lang if lang in TEXTS else "en"]
        eta = self.eta_s()
        left = (
            tr["sweep_estimating"]
            if eta is None and self.remaining
            else tr["sweep_left"].format(duration=_duration(eta or 0))
        )
        text = tr["sweep_line"].format(
            done=self.done,
            total=self.total,
            skipped=tr["sweep_skipped"].format(n=self.skipped) if self.skipped else "",
            running=self.running,
            failed=self.failed,
            left=left,
        )
        last = self.last(lang) if callable(self.last) else self.last
        return text + (tr["sweep_last"].format(text=last) if last else "")


def _duration(s: float) -> str:
    s = int(round(s))
    if s < 60:
        return f"{s} s"
    if s < 3600:
        return f"{s // 60} min {s % 60:02d} s"
    return f"{s // 3600} h {s % 3600 // 60:02d} min"


class ProgressLine:
    """Writes :meth:`SweepProgress.line` to ``stream``: one line updated in place on a terminal,
    a new line per update otherwise (logs). With ``console`` (:class:`gridopt.console.Console`)
    the line carries the command's elapsed clock and is in its language; otherwise the clock
    starts when the cases are submitted."""

    def __init__(self, stream: TextIO | None = None, console: Any = None):
        self.stream = stream or sys.stderr
        self.tty = hasattr(self.stream, "isatty") and self.stream.isatty()
        self.width = 0
        self.console = console

    def __call__(self, p: SweepProgress) -> None:
        if self.console is not None:
            line = self.console.stamp(p.line(self.console.lang))
        else:
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


@contextlib.contextmanager
def dask_client(
    workers: int | None = None, scheduler: str | None = None, timeout_s: float = 10
) -> Iterator[Any]:
    """A ``dask.distributed`` client: on an existing scheduler (``tcp://host:8786``; an address
    that is not a scheduler answering within ``timeout_s`` [s] raises :class:`InputError`), or
    on a LocalCluster of ``workers`` processes (default: the number of cores), one thread each."""
    from dask.distributed import Client, LocalCluster

    if scheduler:
        check_scheduler(scheduler)
        try:
            client = Client(scheduler, timeout=timeout_s)
        except Exception as exc:  # noqa: BLE001 - a foreign server fails in arbitrary ways
            why = (
                f"no Dask scheduler answered ({reason(exc)})"
                if isinstance(exc, OSError)
                else "the server there does not answer as a Dask scheduler"
            )
            raise InputError(
                Problem(
                    f"--scheduler {scheduler}",
                    why,
                    None,
                    "check that the address is the one `dask scheduler` prints",
                )
            ) from None
        try:
            yield client
        finally:
            client.close()
        return
    n = workers or os.cpu_count() or 1
    quiet = logging.getLogger("distributed").getEffectiveLevel() > logging.ERROR
    cluster = LocalCluster(  # no dashboard: no "port 8787 is already in use"
        n_workers=n,
        threads_per_worker=1,
        processes=True,
        dashboard_address=None,
        silence_logs=logging.CRITICAL if quiet else logging.ERROR,
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
    table: Any = None
    """``sweep.csv`` as a DataFrame (:func:`gridopt.sweep.collect.sweep_table`)."""
    bands: Any = None
    """``sweep_bands.csv`` as a DataFrame (:func:`gridopt.sweep.collect.price_bands`)."""
    params: list[str] = field(default_factory=list)
    """The swept paths."""


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

    Nothing is written before the cluster answers: ``DIR/study.yaml`` (the study of the cases in
    ``DIR``) is replaced only once the cases are about to run, so a sweep that cannot start
    leaves the folder of an earlier sweep as it was. A case the client cannot write is recorded
    as failed with the reason; the others go on.
    """
    from dask.distributed import as_completed

    from gridopt.report import check_lang
    from gridopt.sweep.collect import write_tables

    lang = check_lang(lang)
    out_dir = Path(out_dir)
    t0 = time.perf_counter()
    todo = [c for c in plan.cases if not is_done(out_dir, c)]
    state = SweepProgress(total=len(plan.cases), skipped=len(plan.cases) - len(todo))
    state.done = state.skipped
    failed: list[tuple[str, str]] = []
    write_notes: dict[str, int] = {}  # why workers could not write their case -> cases
    report = progress or (lambda p: None)

    def start() -> None:
        (out_dir / "cases").mkdir(parents=True, exist_ok=True)
        atomic_write(
            out_dir / "study.yaml", lambda p: p.write_text(study_yaml(plan), encoding="utf-8")
        )

    if todo:
        with contextlib.ExitStack() as stack:
            if client is None:
                client = stack.enter_context(dask_client(workers, scheduler))
            threads = sum(client.nthreads().values())
            start()  # the cluster answered: the cases are about to run
            if threads == 0:
                state.last = _event("sweep_waiting")
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
                    if outcome.write_error:
                        write_notes[outcome.write_error] = (
                            write_notes.get(outcome.write_error, 0) + 1
                        )
                    if not outcome.written:
                        outcome = _write_here(out_dir, c, outcome)
                    elif not (
                        case_dir(out_dir, c) / (DONE_FILE if outcome.ok else ERROR_FILE)
                    ).exists():
                        outcome = CaseOutcome(
                            c.case_id,
                            error=f"the worker {outcome.worker} wrote the case to a folder this "
                            "machine does not see; run with --no-shared-fs (shared_fs: false)",
                            worker=outcome.worker,
                        )
                        outcome = _write_here(out_dir, c, outcome)
                    state.computed += 1
                    if outcome.ok:
                        state.done += 1
                        state.last = _event("sweep_case_ok", label=c.label, seconds=outcome.wall_s)
                    else:
                        state.failed += 1
                        first = (
                            outcome.error.strip().splitlines()[0]
                            if outcome.error.strip()
                            else "failed"
                        )
                        failed.append((c.case_id, first))
                        state.last = _event("sweep_case_failed", label=c.label, error=first)
                    state.running = min(threads, len(todo) - state.computed)
                    report(state)
            except BaseException:
                client.cancel(futures)
                raise
    else:
        start()
        report(state)
    files, notes, table, bands = write_tables(plan, out_dir, lang, frames=True)
    notes = [
        f"workers could not write {n} case folder(s) themselves ({why}); this process wrote "
        "them from the results sent back (--no-shared-fs does so from the start)"
        for why, n in write_notes.items()
    ] + list(notes)
    return SweepResult(
        out_dir,
        len(plan.cases),
        state.skipped,
        state.computed,
        failed,
        time.perf_counter() - t0,
        files,
        notes,
        table,
        bands,
        list(plan.params),
    )


def _event(key: str, **fields: Any) -> Callable[[str], str]:
    """The last event of a sweep as a function of the language (:mod:`gridopt.console_texts`)."""
    from gridopt.console_texts import TEXTS

    def render(lang: str) -> str:
        values = {k: v(lang) if callable(v) else v for k, v in fields.items()}
        return TEXTS[lang if lang in TEXTS else "en"][key].format(**values)

    return render


__all__ = [
    "CASE_FILE",
    "DONE_FILE",
    "ERROR_FILE",
    "SCENARIO_FILE",
    "SCHEDULER_FIX",
    "CaseOutcome",
    "ProgressLine",
    "SweepProgress",
    "SweepResult",
    "average_marginal_price",
    "case_dir",
    "check_scheduler",
    "dask_client",
    "is_done",
    "run_case",
    "run_sweep",
    "write_case",
]
