"""What a sweep runs: the study (scenario, swept fields, weather years), checked and expanded
into cases before anything is solved.

A *study* names a scenario file, a list of *sets* (a dotted path into the merged scenario and
the values it takes) and optionally a number of synthetic weather years (or explicit seeds).
The cases are the cartesian product of the sets, in the order given, times the weather years.

Every case is validated before any case runs: each path is walked through the schema (a bad
path names the point where it went wrong and the valid keys there), and each case is validated
with the scenario schema and resolved on a one-hour horizon (a bad value is reported with the
schema's message). Problems are collected and reported together, one line each.

Case id: the first 16 hex digits of the SHA-256 of the case's validated scenario (pydantic
``model_dump``, defaults filled in, so ``4000`` and ``4000.0`` give the same id), its number of
hours and any extra solver options. Files the scenario refers to (CSV, weather files) enter the
id by name only.
"""

from __future__ import annotations

import copy
import hashlib
import inspect
import itertools
import json
import math
import re
import types
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Annotated, Any, Union, get_args, get_origin

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from gridopt.errors import InputError, Problem
from gridopt.keyvalue import read_yaml_value, split_items, split_pair
from gridopt.scenario.load import read_merged, read_yaml, referenced_files, scenario_from_dict
from gridopt.scenario.schema import GeneratorSeries, Scenario
from gridopt.textfile import read_text

#: generators whose ``weather`` parameter defaults to ``synthetic`` when left out
#: (``gridopt.data.wind.WindParams``, ``gridopt.data.solar.SolarParams``)
WEATHER_GENERATORS = frozenset({"wind", "solar"})

Scalar = str | int | float | bool


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


# ---------------------------------------------------------------------------------------------
# command-line values
# ---------------------------------------------------------------------------------------------


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


# ---------------------------------------------------------------------------------------------
# dotted paths through the scenario schema
# ---------------------------------------------------------------------------------------------


def _alternatives(ann: Any) -> list[Any]:
    """The types a field annotation allows, with Annotated, unions and None unwrapped."""
    origin = get_origin(ann)
    if origin is Annotated:
        return _alternatives(get_args(ann)[0])
    if origin in (Union, types.UnionType):
        return [a for x in get_args(ann) for a in _alternatives(x)]
    if ann is type(None):
        return []
    return [ann]


def _is_model(a: Any) -> bool:
    return inspect.isclass(a) and issubclass(a, BaseModel)


def _path_error(
    where: str, walked: list, key: Any, message: str, valid: Sequence[str] | None
) -> InputError:
    at = ".".join(map(str, walked)) or "the top level of the scenario"
    fix = ("valid keys there: " + ", ".join(map(str, valid))) if valid else ""
    return InputError(Problem(where, f"{message} {key!r} under {at}", None, fix))


def resolve_path(path: str, merged: dict, where: str | None = None) -> tuple[str | int, ...]:
    """Walk ``path`` (``storage.battery_jyg.e_max_mwh``) through the schema and the merged
    scenario; return its keys (list positions as ints).

    A key must be a field of the schema (present in the file or not: a default may be swept), an
    existing asset name in a named section (``storage``, ``thermal`` …), any key in a free
    mapping (``solver.options``, a generator's parameters: the generator checks them), or a
    position in a list. Raises :class:`InputError` naming the path, the key and the valid keys.
    """
    where = where or f"--set {path}"
    keys = path.split(".")
    if any(not k for k in keys):
        raise InputError(
            Problem(where, "empty key in the dotted path", path, "write section.name.field")
        )
    alts: list[Any] = [Scenario]
    node: Any = merged
    walked: list[str | int] = []
    for key in keys:
        models = [a for a in alts if _is_model(a)]
        dicts = [a for a in alts if get_origin(a) is dict]
        lists = [a for a in alts if get_origin(a) is list or a is list]
        free = any(a is Any for a in alts)
        if isinstance(node, dict) and len(models) > 1:  # an hourly series given as a mapping
            models = (
                [GeneratorSeries]
                if "generator" in node
                else [m for m in models if m is not GeneratorSeries]
            )
        if isinstance(node, list) and (lists or free):
            if not re.fullmatch(r"\d+", key) or int(key) >= len(node):
                raise _path_error(
                    where,
                    walked,
                    key,
                    "no list position",
                    [f"0..{len(node) - 1}"] if node else None,
                )
            walked.append(int(key))
            node = node[int(key)]
            inner = get_args(lists[0]) if lists else ()
            alts = _alternatives(inner[0]) if inner else [Any]
        elif len(models) == 1 and (node is None or isinstance(node, dict)):
            model = models[0]
            if model is GeneratorSeries:  # free parameters: checked by the generator itself
                walked.append(key)
                node = node.get(key) if isinstance(node, dict) else None
                alts = [Any]
            else:
                if key not in model.model_fields:
                    raise _path_error(where, walked, key, "no field", list(model.model_fields))
                walked.append(key)
                node = node.get(key) if isinstance(node, dict) else None
                alts = _alternatives(model.model_fields[key].annotation)
        elif dicts and (node is None or isinstance(node, dict)):
            value_alts = _alternatives(get_args(dicts[0])[1])
            names = list(node) if isinstance(node, dict) else []
            if any(_is_model(a) for a in value_alts) and key not in names:
                raise _path_error(where, walked, key, "no entry", names or None)
            walked.append(key)
            node = node.get(key) if isinstance(node, dict) else None
            alts = value_alts
        elif free and (node is None or isinstance(node, dict)):
            walked.append(key)
            node = node.get(key) if isinstance(node, dict) else None
            alts = [Any]
        else:
            kind = (
                type(node).__name__
                if node is not None
                else "/".join(getattr(a, "__name__", str(a)) for a in alts)
            )
            raise InputError(
                Problem(
                    where,
                    f"{'.'.join(map(str, walked))} is a value ({kind}), it has no key {key!r}",
                    None,
                    f"end the path at {'.'.join(map(str, walked))}",
                )
            )
    return tuple(walked)


def set_path(data: dict, keys: Sequence[str | int], value: Any) -> None:
    """Set ``data[k0][k1]…`` to ``value`` in place, creating missing mappings on the way."""
    node: Any = data
    for key in keys[:-1]:
        if isinstance(node, list):
            node = node[key]
            continue
        if not isinstance(node.get(key), (dict, list)):
            node[key] = {}
        node = node[key]
    node[keys[-1]] = value


def synthetic_weather_paths(merged: dict) -> list[tuple[str | int, ...]]:
    """Paths of every generator mapping driven by synthetic weather: ``weather: synthetic``, or a
    ``wind``/``solar`` generator without ``weather`` (its default is synthetic)."""
    out: list[tuple[str | int, ...]] = []

    def walk(node: Any, at: tuple) -> None:
        if isinstance(node, dict):
            gen = node.get("generator")
            if isinstance(gen, str) and (
                node.get("weather") == "synthetic"
                or ("weather" not in node and gen in WEATHER_GENERATORS)
            ):
                out.append(at)
                return
            for k, v in node.items():
                walk(v, at + (k,))
        elif isinstance(node, list):
            for i, v in enumerate(node):
                walk(v, at + (i,))

    walk(merged, ())
    return out


def _get(data: Any, keys: Sequence[str | int]) -> Any:
    for k in keys:
        data = data[k]
    return data


# ---------------------------------------------------------------------------------------------
# the plan: every case, validated
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True, eq=False)
class Case:
    """One case of a sweep: a resolved scenario and where it sits in the grid.

    case_id : hash of the validated scenario, the files it refers to, hours and extra solver
        options (16 hex digits)
    params : swept path -> value, in the order of the sets
    weather_year : seed of the synthetic weather of the case (None: not applicable)
    position : index along each swept path and along the weather years
    scenario : the resolved scenario mapping (what ``scenario.yaml`` of the case holds)
    scenario_path : the scenario file swept; its folder resolves relative file paths
    hours : hours solved
    """

    case_id: str
    params: dict[str, Any]
    weather_year: int | None
    position: tuple[int, ...]
    scenario: dict
    scenario_path: str
    hours: int

    def label(self) -> str:
        parts = [f"{p}={v}" for p, v in self.params.items()]
        if self.weather_year is not None:
            parts.append(f"weather_year={self.weather_year}")
        return ", ".join(parts) or "the scenario as it is"


@dataclass(frozen=True)
class SweepPlan:
    """Every case of a study, validated, in grid order (last set varies fastest, then the
    weather year).

    sets : (path, values) in order; weather_years : the seeds (empty: weather not swept);
    base_weather_year : the seed the scenario itself uses (None: none or several)
    """

    scenario_path: Path
    sets: list[tuple[str, list[Any]]]
    weather_years: list[int]
    base_weather_year: int | None
    cases: list[Case]
    hours: int | None = None
    solver_options: dict[str, Scalar] = field(default_factory=dict)

    @property
    def params(self) -> list[str]:
        return [p for p, _ in self.sets]

    @property
    def weather_coords(self) -> list[int | None]:
        return list(self.weather_years) if self.weather_years else [self.base_weather_year]


def case_id(
    ls_scenario: Scenario,
    hours: int,
    solver_options: dict | None = None,
    base_dir: Path | None = None,
) -> str:
    """Hash of a validated scenario, the contents of the files it refers to (relative to
    ``base_dir``), its hours and extra solver options (16 hex digits). Editing a referenced CSV
    changes the id, so a resumed sweep never reuses a case solved on the old file."""
    dumped = ls_scenario.model_dump(mode="json")
    key: dict[str, Any] = {"scenario": dumped, "hours": int(hours)}
    if base_dir is not None:
        files = referenced_files(dumped, base_dir)
        if files:
            key["files"] = files
    if solver_options:
        key["solver_options"] = dict(solver_options)
    text = json.dumps(key, sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.sha256(text.encode()).hexdigest()[:16]


def _shown(value: Any) -> str:
    """A swept value as a person writes it: ``500``, ``inf``, ``dc``, ``2025-01-01``, ``[1, 2]``."""
    if isinstance(value, str):
        return value
    if isinstance(value, float) and not math.isfinite(value):
        return str(value)
    if isinstance(value, (dict, list)):
        return json.dumps(value, ensure_ascii=False, default=str)
    if value is None:
        return "null"
    return str(value).lower() if isinstance(value, bool) else str(value)


def _relabel(
    p: Problem, scenario_path: Path, label: str, params: dict[str, Any], where: dict[str, str]
) -> Problem:
    """A problem of a case, named by the ``--set`` value that caused it when there is one."""
    loc = p.where
    prefix = f"{scenario_path}: "
    if loc.startswith(prefix):
        loc = loc[len(prefix) :]
    for path, value in params.items():
        if loc == path or loc.startswith(path + "."):
            name = where.get(path, f"--set {path}")
            shown = _shown(value)
            head = f"{name}={shown}" if name.startswith("--set") else f"{name}: value {shown}"
            return Problem(
                head if loc == path else f"{head}: {loc[len(path) + 1 :]}",
                p.message,
                p.value,
                p.fix,
            )
    return Problem(f"case {label}: {loc}", p.message, p.value, p.fix)


def plan_sweep(
    scenario: str | Path,
    sets: Sequence[tuple[str, Sequence[Any]]] = (),
    *,
    weather_years: int | None = None,
    seeds: Sequence[int] | None = None,
    hours: int | None = None,
    solver_options: dict[str, Scalar] | None = None,
    where: dict[str, str] | None = None,
    progress: Callable[[str], None] | None = None,
) -> SweepPlan:
    """Check a study and expand it into validated cases; nothing is solved.

    ``where`` maps a path to how to name it in messages (``--set PATH`` by default). Raises
    :class:`InputError` with every problem found: bad paths (the valid keys at the point where
    the path went wrong), repeated paths or values, weather years without synthetic weather,
    and every case the schema or the one-hour resolution rejects (the value and the message).
    """
    from gridopt.inputs import build_inputs

    scenario_path = Path(scenario)
    merged, _ = read_merged(scenario_path)
    where = where or {}
    solver_options = dict(solver_options or {})

    # 1. paths
    problems: list[Problem] = []
    resolved: list[tuple[str, tuple, list[Any]]] = []
    seen: dict[str, str] = {}
    for path, values in sets:
        name = where.get(path, f"--set {path}")
        if path in seen:
            problems.append(
                Problem(name, "path set twice", path, "give each path once, with all its values")
            )
            continue
        seen[path] = name
        try:
            keys = resolve_path(path, merged, name)
        except InputError as exc:
            problems.extend(exc.problems)
            continue
        values = list(values)
        dup = [v for i, v in enumerate(values) if v in values[:i]]
        if not values:
            problems.append(Problem(name, "no values", None, "give at least one value"))
        elif dup:
            problems.append(Problem(name, "a value is repeated", dup[0], "give each value once"))
        resolved.append((path, keys, values))
    for (p1, k1, _), (p2, k2, _) in itertools.combinations(resolved, 2):
        short, long_ = (k1, k2) if len(k1) <= len(k2) else (k2, k1)
        if long_[: len(short)] == short:
            problems.append(
                Problem(
                    where.get(p2, f"--set {p2}"),
                    f"overlaps the set of {p1}",
                    None,
                    "sweep either the whole mapping or fields inside it, not both",
                )
            )

    # 2. weather years
    weather_paths = synthetic_weather_paths(merged)
    base_seeds = {
        int(_get(merged, p).get("seed") or 0) for p in weather_paths
    }  # the generators' default: 0
    base_weather_year = next(iter(base_seeds)) if len(base_seeds) == 1 else None
    if weather_years is not None and seeds is not None:
        problems.append(Problem("--weather-years/--seeds", "give one of them, not both"))
    wy: list[int] = []
    if weather_years is not None or seeds is not None:
        if not weather_paths:
            problems.append(
                Problem(
                    str(scenario_path),
                    "has no generator with synthetic weather, so there are no weather years to sweep",
                    None,
                    "use generators with weather: synthetic (wind, solar), or leave out --weather-years/--seeds",
                )
            )
        elif seeds is not None:
            wy = list(seeds)
        else:
            start = min(base_seeds)
            wy = list(range(start, start + int(weather_years)))
        for path, keys, _ in resolved:
            for wp in weather_paths:
                if keys[: len(wp)] == wp[: len(keys)] and (
                    len(keys) <= len(wp) or keys[len(wp)] == "seed"
                ):
                    problems.append(
                        Problem(
                            where.get(path, f"--set {path}"),
                            f"sets or replaces the seed of the synthetic weather at {'.'.join(map(str, wp))}, which the weather years set",
                            None,
                            "sweep the weather with --weather-years/--seeds only",
                        )
                    )
                    break
    if problems:
        raise InputError(problems, title="sweep not valid (nothing was run)")

    # 3. cases: schema for every case, one-hour resolution for every parameter combination
    combos = list(itertools.product(*[list(enumerate(v)) for _, _, v in resolved]))
    cases: list[Case] = []
    bad: dict[tuple, tuple[Problem, int]] = {}
    n_bad_cases = 0
    for n, combo in enumerate(combos):
        base = copy.deepcopy(merged)
        for (_, keys, _), (_, value) in zip(resolved, combo):
            set_path(base, keys, copy.deepcopy(value))
        params = {path: value for (path, _, _), (_, value) in zip(resolved, combo)}
        pos = tuple(i for i, _ in combo)
        case_problems: list[Problem] = []
        for k, seed in enumerate(wy or [None]):
            data = copy.deepcopy(base) if seed is not None else base
            if seed is not None:
                for wp in weather_paths:
                    _get(data, wp)["seed"] = seed
            label = (
                ", ".join(
                    [f"{p}={v}" for p, v in params.items()]
                    + ([f"weather_year={seed}"] if seed is not None else [])
                )
                or "base"
            )
            try:
                ls = scenario_from_dict(data, scenario_path)
                if k == 0:
                    build_inputs(ls, 1)
            except InputError as exc:
                case_problems = [
                    _relabel(p, scenario_path, label, params, where) for p in exc.problems
                ]
                break
            h = ls.scenario.time.hours if hours is None else min(hours, ls.scenario.time.hours)
            cases.append(
                Case(
                    case_id(ls.scenario, h, solver_options, scenario_path.parent),
                    params,
                    seed if seed is not None else base_weather_year if weather_paths else None,
                    pos + (k,),
                    data,
                    str(scenario_path.resolve()),
                    h,
                )
            )
        if case_problems:
            n_bad_cases += 1
            for p in case_problems:
                key = (
                    p.where if not p.where.startswith("case ") else p.where.split(": ", 1)[-1],
                    p.message,
                    repr(p.value),
                )
                bad.setdefault(key, (p, 0))
                bad[key] = (bad[key][0], bad[key][1] + 1)
        if progress is not None and len(combos) > 20 and (n + 1) % 20 == 0:
            progress(f"checked {n + 1} of {len(combos)} parameter combinations")
    if bad:
        out = []
        for p, count in bad.values():
            more = (
                f"(and {count - 1} more case(s) with the same problem)"
                if count > 1 and p.where.startswith("case ")
                else ""
            )
            out.append(
                Problem(p.where, p.message, p.value, "; ".join(x for x in (p.fix, more) if x))
            )
        raise InputError(
            out,
            title=f"sweep not valid: {n_bad_cases} of {len(combos)} parameter combination(s) rejected (nothing was run)",
        )
    return SweepPlan(
        scenario_path,
        [(p, v) for p, _, v in resolved],
        wy,
        base_weather_year,
        cases,
        hours,
        solver_options,
    )


# ---------------------------------------------------------------------------------------------
# study <-> plan
# ---------------------------------------------------------------------------------------------


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
    (:func:`gridopt.sweep.run.check_scheduler`)."""
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
        from gridopt.sweep.run import check_scheduler

        check_scheduler(sch, "--scheduler" if scheduler is not None else f"{target}: scheduler")
    opts.update(solver_options or {})
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
    "Case",
    "Study",
    "SweepOptions",
    "SweepPlan",
    "case_id",
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
