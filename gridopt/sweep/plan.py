"""The plan of a sweep: a study (scenario, swept fields, weather years) checked and expanded
into validated cases before anything is solved.

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
import itertools
import json
import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from gridopt.console import say
from gridopt.errors import InputError, Problem
from gridopt.scenario.load import read_merged, referenced_files, scenario_from_dict
from gridopt.scenario.schema import Scenario
from gridopt.sweep.paths import _get, resolve_path, set_path, synthetic_weather_paths

Scalar = str | int | float | bool


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

    def label(self, lang: str = "en") -> str:
        """``path=value, ..., weather_year=seed`` (the weather year's name in ``lang``)."""
        from gridopt.console_texts import TEXTS

        tr = TEXTS[lang if lang in TEXTS else "en"]
        parts = [f"{p}={v}" for p, v in self.params.items()]
        if self.weather_year is not None:
            parts.append(tr["sweep_label_wy"].format(seed=self.weather_year))
        return ", ".join(parts) or tr["sweep_as_is"]


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
            say(progress, "sweep_combos", n=n + 1, m=len(combos))
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
