"""What the planner asks a sweep for: a study file or the command line (scenario, ``--set``,
weather years or seeds, hours, output folder, cluster), read, checked and combined into the
arguments of :func:`gridopt.sweep.plan.plan_sweep`; and the study file that reruns a plan.

The plan itself (cases, case ids) is :mod:`gridopt.sweep.plan`; dotted paths into a scenario
are :mod:`gridopt.sweep.paths`.
"""

from __future__ import annotations

import re
import socket
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Any

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from gridopt.errors import InputError, Problem
from gridopt.keyvalue import read_yaml_value, split_items, split_pair
from gridopt.scenario.load import read_yaml
from gridopt.solve import check_options
from gridopt.sweep.paths import WEATHER_GENERATORS, resolve_path, set_path, synthetic_weather_paths
from gridopt.sweep.plan import Case, Scalar, SweepPlan, case_id, plan_sweep
from gridopt.textfile import read_text


class Study(BaseModel):
    """A sweep described in a YAML file (``gridopt sweep study.yaml``); unknown keys are errors.

    Paths (``scenario``, ``out``) are relative to the study file. Options given on the command
    line override the file's; ``--set`` adds sets (or replaces the set of the same path).
    """

    model_config = ConfigDict(extra="forbid", frozen=True, use_attribute_docstrings=True)

    scenario: str
    """Scenario file to sweep (``extends`` is followed as for ``gridopt run``)."""
    sets: dict[str, Annotated[list[Any], Field(min_length=1)]] = {}
    """Dotted path into the merged scenario -> the values it takes; the cases are the
    cartesian product of the sets, in the order given. A value may be any YAML value the
    field accepts (a number, a string, a list, a mapping)."""
    weather_years: Annotated[int, Field(ge=1)] | None = None
    """Repeat every case over this many synthetic weather years: seeds base, base+1, … where
    base is the scenario's own seed of its synthetic weather."""
    seeds: list[Annotated[int, Field(ge=0)]] | str | None = None
    """Explicit weather-year seeds instead of ``weather_years``: a list, or ``"A..B"``
    (inclusive)."""
    hours: Annotated[int, Field(ge=1)] | None = None
    """Solve only the first N hours of each case (default: the scenario's horizon)."""
    out: str | None = None
    """Output folder (default: ``results/<study file name>``)."""
    workers: Annotated[int, Field(ge=1)] | None = None
    """Workers of the local Dask cluster (default: the number of cores)."""
    scheduler: str | None = None
    """Address of an existing Dask scheduler (``tcp://host:8786``) instead of a local cluster."""
    shared_fs: bool | None = None
    """The workers see ``out`` at the same path (a shared file system) and write the case
    folders themselves; default: yes on a local cluster, no on a ``scheduler``."""
    solver_options: dict[str, Scalar] = {}
    """Extra HiGHS options for every case (on top of the scenario's; ``threads`` is 1 unless
    given here)."""

    @model_validator(mode="after")
    def _exclusive(self) -> Study:
        if self.weather_years is not None and self.seeds is not None:
            raise ValueError("give weather_years or seeds, not both")
        if self.workers is not None and self.scheduler is not None:
            raise ValueError(
                "give workers (local cluster) or scheduler (existing cluster), not both"
            )
        return self


def is_study_file(path: Path) -> bool:
    """True when ``path`` is a study file (a YAML mapping with ``scenario:`` and no ``buses:``);
    False for anything else, also a file that cannot be read (the scenario loader then says
    why)."""
    try:
        data = read_yaml(Path(path))
    except InputError:  # not valid as it is: judged by its top-level keys, so the right loader
        try:  # (study or scenario) reports the problems
            text = read_text(Path(path))
        except InputError:
            return False
        return bool(re.search(r"^scenario\s*:", text, re.M)) and not re.search(
            r"^buses\s*:", text, re.M
        )
    return isinstance(data, dict) and "scenario" in data and "buses" not in data


def load_study(path: str | Path) -> Study:
    """Read and validate a study file; raises :class:`InputError` listing every problem.

    Read as a scenario file is (:func:`gridopt.scenario.load.read_yaml`): UTF-8 or GBK text, a
    key given twice (e.g. the same path twice under ``sets``) refused with both lines."""
    path = Path(path)
    data = read_yaml(path)
    if not isinstance(data, dict):
        raise InputError(Problem(str(path), "a study must be a YAML mapping", type(data).__name__))
    try:
        return Study.model_validate(data)
    except ValidationError as exc:
        problems = []
        for err in exc.errors():
            loc = ".".join(str(k) for k in err["loc"]) or "(top level)"
            if err["type"] == "extra_forbidden":
                problems.append(
                    Problem(
                        f"{path}: {loc}",
                        "unknown key",
                        None,
                        "valid keys: " + ", ".join(Study.model_fields),
                    )
                )
            elif err["type"] == "missing":
                problems.append(
                    Problem(f"{path}: {loc}", "required field is missing", None, "add it")
                )
            else:
                msg = err["msg"].replace("Value error, ", "")
                problems.append(
                    Problem(
                        f"{path}: {loc}",
                        msg,
                        err.get("input") if err["type"] != "value_error" else None,
                    )
                )
        raise InputError(problems, title=f"{path}: study is not valid") from None


def parse_set(text: str) -> tuple[str, list[Any]]:
    """``"PATH=V1,V2,..."`` -> (path, values); each value is read as YAML (``4000`` is a number,
    ``dc`` a string, ``true`` a boolean, ``null`` null). Lists and mappings need a study file."""
    pair = split_pair(text)
    if pair is None:
        raise InputError(
            Problem(
                f"--set {text}",
                "write it as PATH=V1,V2,...",
                fix="e.g. --set storage.battery_jyg.e_max_mwh=2000,4000,8000",
            )
        )
    path, raw = pair
    items = split_items(raw, brackets=False)
    if not path or any(not v for v in items):
        raise InputError(
            Problem(
                f"--set {text}",
                "empty path or value",
                fix="e.g. --set fuels.coal.price_cny_per_t=500,600,700",
            )
        )
    return path, [read_yaml_value(item) for item in items]


def parse_seeds(spec: str | Sequence[int]) -> list[int]:
    """``"A..B"`` (inclusive), ``"A,B,C"`` or a list -> the seeds (non-negative integers)."""
    if isinstance(spec, str):
        m = re.fullmatch(r"\s*(\d+)\s*\.\.\s*(\d+)\s*", spec)
        if m:
            a, b = int(m.group(1)), int(m.group(2))
            if b < a:
                raise InputError(
                    Problem(
                        "--seeds",
                        "the range is empty",
                        spec,
                        f"write A..B with A <= B, e.g. {b}..{a}",
                    )
                )
            return list(range(a, b + 1))
        try:
            seeds = [int(s) for s in spec.split(",") if s.strip()]
        except ValueError:
            raise InputError(
                Problem(
                    "--seeds",
                    "not a seed range",
                    spec,
                    "write A..B (inclusive) or A,B,C with non-negative integers",
                )
            ) from None
    else:
        seeds = [int(s) for s in spec]
    if not seeds or any(s < 0 for s in seeds):
        raise InputError(
            Problem(
                "--seeds", "seeds must be non-negative integers", spec, "e.g. --seeds 2025..2034"
            )
        )
    if len(set(seeds)) != len(seeds):
        raise InputError(Problem("--seeds", "a seed is repeated", spec, "give each seed once"))
    return seeds


SCHEDULER_FIX = (
    "write it as tcp://HOST:PORT, e.g. tcp://10.0.0.5:8786 (the address `dask scheduler` prints)"
)


def check_scheduler(address: str, where: str = "--scheduler", timeout_s: float = 3.0) -> str:
    """Check a Dask scheduler address before anything is planned or solved; returns it.

    The address must be ``scheme://host:port`` with a scheme Dask knows (``tcp://`` when left
    out); for ``tcp``/``tls`` something must accept a TCP connection at host:port within
    ``timeout_s`` [s] (a refused port answers at once). Raises :class:`InputError` naming
    ``where`` (``--scheduler`` or the study file's key), the address and the fix.
    """
    from distributed.comm.registry import backends

    text = str(address).strip()
    head, sep, loc = text.partition("://")
    scheme, loc = (head, loc) if sep else ("tcp", text)
    host, colon, port = loc.rpartition(":")
    host = host.strip("[]")
    if scheme not in backends:
        why = f"unknown scheme {scheme}://; Dask knows {', '.join(f'{b}://' for b in backends)}"
    elif scheme not in ("tcp", "tls"):
        return text
    elif not colon:
        why = "no port"
    elif not (port.isdigit() and 0 < int(port) < 65536):
        why = f"the port {port or '(empty)'} is not a number from 1 to 65535"
    else:
        why = ""
    if why:
        raise InputError(
            Problem(f"{where} {text}", f"not a Dask scheduler address ({why})", None, SCHEDULER_FIX)
        )
    try:
        with socket.create_connection((host or "127.0.0.1", int(port)), timeout=timeout_s):
            pass
    except OSError as exc:
        why = (
            f"no answer within {timeout_s:g} s"
            if isinstance(exc, TimeoutError)
            else (exc.strerror or str(exc) or type(exc).__name__)
        )
        raise InputError(
            Problem(
                f"{where} {text}",
                f"no Dask scheduler answers at {host or '127.0.0.1'}:{port} ({why})",
                None,
                "start one (`dask scheduler --port 8786`) or correct the address",
            )
        ) from None
    return text


@dataclass(frozen=True)
class SweepOptions:
    """How to run a planned sweep: where to write, on which cluster."""

    out_dir: Path
    workers: int | None = None
    scheduler: str | None = None
    shared_fs: bool | None = None


def study_from_cli(
    target: Path,
    sets: Sequence[str] = (),
    *,
    weather_years: int | None = None,
    seeds: str | None = None,
    out: Path | None = None,
    workers: int | None = None,
    scheduler: str | None = None,
    hours: int | None = None,
    solver_options: dict[str, Scalar] | None = None,
    shared_fs: bool | None = None,
) -> tuple[dict[str, Any], SweepOptions]:
    """Combine a scenario or study file with command-line options into the keyword arguments of
    :func:`plan_sweep` and the run options (the command line wins over the study file).

    Raises :class:`InputError` for a path given twice in ``sets`` and, before anything is
    planned, for a scheduler address that is not a Dask scheduler answering
    (:func:`check_scheduler`)."""
    where: dict[str, str] = {}
    if is_study_file(target):
        study = load_study(target)
        base = target.parent
        scenario = base / study.scenario
        study_sets = dict(study.sets)
        where.update({p: f"{target}: sets.{p}" for p in study_sets})
        default_out = Path("results") / target.stem
        study_out = base / study.out if study.out else None
        wy = study.weather_years
        sd: str | list[int] | None = study.seeds
        w, sch, h, shared = study.workers, study.scheduler, study.hours, study.shared_fs
        opts = dict(study.solver_options)
    else:
        scenario, study_sets, default_out, study_out = (
            target,
            {},
            Path("results") / f"{target.stem}-sweep",
            None,
        )
        wy, sd, w, sch, h, shared, opts = None, None, None, None, None, None, {}
    given: dict[str, list[Any]] = {}
    for text in sets:
        path, values = parse_set(text)
        if path in given:
            every = ",".join(str(v) for v in dict.fromkeys([*given[path], *values]))
            raise InputError(
                Problem(
                    f"--set {path}",
                    "the same path is given twice",
                    None,
                    f"give it once with all its values: --set {path}={every}",
                )
            )
        given[path] = values
        study_sets.pop(path, None)  # the command line replaces the study file's set
        study_sets[path] = values
    if weather_years is not None or seeds is not None:
        wy, sd = weather_years, seeds
    if workers is not None or scheduler is not None:
        w, sch = workers, scheduler
    if workers is not None and scheduler is not None:
        raise InputError(
            Problem(
                "--workers/--scheduler",
                "give one of them, not both",
                fix="--workers N runs a local cluster; --scheduler ADDRESS uses an existing one",
            )
        )
    if sch is not None:
        check_scheduler(sch, "--scheduler" if scheduler is not None else f"{target}: scheduler")
    opts.update(solver_options or {})
    check_options(opts)  # a misspelt HiGHS option stops the sweep before any case runs
    kwargs = dict(
        scenario=scenario,
        sets=list(study_sets.items()),
        weather_years=wy,
        seeds=parse_seeds(sd) if sd is not None else None,
        hours=hours if hours is not None else h,
        solver_options=opts,
        where=where,
    )
    return kwargs, SweepOptions(
        out or study_out or default_out, w, sch, shared if shared_fs is None else shared_fs
    )


def study_yaml(plan: SweepPlan) -> str:
    """The study file that reruns ``plan`` (absolute scenario path), written to ``DIR/study.yaml``
    so ``gridopt sweep DIR/study.yaml`` resumes the sweep."""
    data: dict[str, Any] = {
        "scenario": str(plan.scenario_path.resolve()),
        "sets": {p: v for p, v in plan.sets},
    }
    if plan.weather_years:
        data["seeds"] = list(plan.weather_years)
    if plan.hours is not None:
        data["hours"] = plan.hours
    if plan.solver_options:
        data["solver_options"] = plan.solver_options
    data["out"] = "."
    head = "# written by gridopt sweep: rerun (resume) with `gridopt sweep <this file>`\n"
    return head + yaml.safe_dump(data, sort_keys=False, allow_unicode=True)


__all__ = [
    "SCHEDULER_FIX",
    "WEATHER_GENERATORS",
    "Case",
    "Scalar",
    "Study",
    "SweepOptions",
    "SweepPlan",
    "case_id",
    "check_scheduler",
    "is_study_file",
    "load_study",
    "parse_seeds",
    "parse_set",
    "plan_sweep",
    "resolve_path",
    "set_path",
    "study_from_cli",
    "study_yaml",
    "synthetic_weather_paths",
]
