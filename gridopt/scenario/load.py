"""Reading scenario files: YAML, ``extends:`` inheritance, and schema validation.

``extends: base.yaml`` (a path relative to the file) takes another scenario as the base; the
file's keys override the base's key by key (mappings merge recursively, anything else is
replaced). Setting a key to ``null`` removes it from the base, e.g. ``thermal: {old_unit: null}``.
"""

from __future__ import annotations

import functools
import hashlib
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ValidationError

from gridopt.errors import InputError, Problem
from gridopt.scenario.schema import Scenario


@dataclass(frozen=True)
class LoadedScenario:
    """A validated scenario with where it came from.

    path : the scenario file named by the user
    chain : the files merged, base first
    sha256 : hash of the merged scenario (canonical YAML)
    input_files : SHA-256 of every file the scenario refers to (CSV series, weather files,
        profiles), by the text that names it
    inputs_sha256 : hash of the scenario and those files together: identifies the inputs of a
        run (editing a referenced CSV changes it; ``sha256`` does not change)
    """

    scenario: Scenario
    path: Path
    chain: tuple[Path, ...]
    raw: dict[str, Any]
    sha256: str

    @property
    def base_dir(self) -> Path:
        return self.path.parent

    @functools.cached_property
    def input_files(self) -> dict[str, str]:
        return referenced_files(self.raw, self.base_dir)

    @functools.cached_property
    def inputs_sha256(self) -> str:
        key = json.dumps({"scenario": self.sha256, "files": self.input_files}, sort_keys=True)
        return hashlib.sha256(key.encode()).hexdigest()


def referenced_files(data: Any, base_dir: Path) -> dict[str, str]:
    """SHA-256 of every file ``data`` refers to: any text value that names an existing file,
    relative to ``base_dir`` or absolute (CSV series, weather files, profiles), by that text."""
    out: dict[str, str] = {}

    def walk(x: Any) -> None:
        if isinstance(x, dict):
            for v in x.values():
                walk(v)
        elif isinstance(x, list):
            for v in x:
                walk(v)
        elif isinstance(x, str) and x and len(x) < 1024 and "\n" not in x and x not in out:
            try:
                p = Path(x) if Path(x).is_absolute() else base_dir / x
                if p.is_file():
                    out[x] = hashlib.sha256(p.read_bytes()).hexdigest()
            except (OSError, ValueError):
                pass

    walk(data)
    return out


def _read_yaml(path: Path, referenced_from: str | None = None) -> dict[str, Any]:
    where = f"{referenced_from}: extends" if referenced_from else str(path)
    if not path.exists():
        raise InputError(Problem(where, "scenario file not found", str(path), "check the path"))
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        loc = f"{path}: line {mark.line + 1}, column {mark.column + 1}" if mark else str(path)
        raise InputError(Problem(loc, f"not valid YAML: {getattr(exc, 'problem', exc)}")) from None
    if not isinstance(data, dict):
        raise InputError(
            Problem(str(path), "a scenario must be a YAML mapping", type(data).__name__)
        )
    return data


def merge(base: dict[str, Any], override: dict[str, Any]) -> dict[str, Any]:
    """Merge ``override`` into ``base`` key by key; ``None`` deletes the key."""
    out = dict(base)
    for key, value in override.items():
        if value is None:
            out.pop(key, None)
        elif isinstance(value, dict) and isinstance(out.get(key), dict):
            out[key] = merge(out[key], value)
        else:
            out[key] = value
    return out


def read_merged(path: Path) -> tuple[dict[str, Any], list[tuple[Path, dict[str, Any]]]]:
    """Read ``path`` and its ``extends`` chain; return the merged mapping and the raw files."""
    files: list[tuple[Path, dict[str, Any]]] = []
    seen: set[Path] = set()
    current, referenced_from = path.resolve(), None
    while True:
        if current in seen:
            raise InputError(Problem(str(path), "extends forms a cycle", str(current)))
        seen.add(current)
        data = _read_yaml(current, referenced_from)
        files.append((current, data))
        ext = data.get("extends")
        if ext is None:
            break
        if not isinstance(ext, str):
            raise InputError(Problem(f"{current}: extends", "must be a file path", ext))
        referenced_from, current = str(current), (current.parent / ext).resolve()
    merged: dict[str, Any] = {}
    for _, data in reversed(files):
        merged = merge(merged, {k: v for k, v in data.items() if k != "extends"})
    # Relative file paths inside a base file are resolved against the base file's folder.
    return merged, list(reversed(files))


def _origin(files: list[tuple[Path, dict[str, Any]]], loc: tuple) -> Path:
    """The file (child first) that sets the deepest existing prefix of ``loc``."""
    best, best_depth = files[-1][0], -1
    for fpath, data in reversed(files):
        node, depth = data, 0
        for key in loc:
            if isinstance(node, dict) and key in node:
                node, depth = node[key], depth + 1
            else:
                break
        if depth > best_depth:
            best, best_depth = fpath, depth
    return best


SERIES_HELP = (
    "an hourly series is a number, a list of numbers (one per hour), "
    "{csv: path, column: name} or {generator: name, ...}"
)


def schema_problems(
    exc: ValidationError, files: list[tuple[Path, dict[str, Any]]]
) -> list[Problem]:
    """Turn pydantic errors into one Problem each (union alternatives folded into one)."""
    problems: dict[tuple, Problem] = {}
    for err in exc.errors():
        loc = tuple(err["loc"])
        # Errors inside the alternatives of a Series union carry the alternative's type name.
        alt_markers = {"float", "list[float]", "CsvSeries", "GeneratorSeries"}
        cut = next((i for i, k in enumerate(loc) if str(k) in alt_markers), None)
        if cut is not None:
            key = loc[:cut]
            path = ".".join(str(k) for k in key)
            node = _lookup(files, key)
            problems.setdefault(
                key,
                Problem(
                    f"{_origin(files, key)}: {path}", "not a valid hourly series", node, SERIES_HELP
                ),
            )
            continue
        path = ".".join(str(k) for k in loc)
        where = f"{_origin(files, loc)}: {path}"
        if err["type"] == "extra_forbidden":
            fix = "remove it or correct the spelling"
            model = _model_for_extra(loc)
            if model is not None:
                fix += "; valid keys here: " + ", ".join(model.model_fields)
            problems[loc] = Problem(where, "unknown key", None, fix)
        elif err["type"] == "missing":
            problems[loc] = Problem(where, "required field is missing", None, "add it")
        else:
            msg = err["msg"].replace("Value error, ", "")
            problems[loc] = Problem(
                where, msg, err.get("input") if err["type"] != "value_error" else None
            )
    return list(problems.values())


def _lookup(files: list[tuple[Path, dict[str, Any]]], loc: tuple) -> Any:
    for _, data in reversed(files):
        node: Any = data
        ok = True
        for key in loc:
            if isinstance(node, dict) and key in node:
                node = node[key]
            else:
                ok = False
                break
        if ok:
            return node
    return None


def _model_for_extra(loc: tuple) -> type[BaseModel] | None:
    """Walk the schema along ``loc`` (minus the unknown key) to the model that forbids it."""
    from typing import get_args, get_origin

    model: Any = Scenario
    i, keys = 0, loc[:-1]
    while i < len(keys):
        field = model.model_fields.get(str(keys[i]))
        if field is None:
            return None
        ann = field.annotation
        if isinstance(ann, type) and issubclass(ann, BaseModel):
            model, i = ann, i + 1
        elif get_origin(ann) is dict:
            model, i = get_args(ann)[1], i + 2  # skip the asset name
        else:
            return None
    return model


def load_scenario(path: str | Path) -> LoadedScenario:
    """Read, merge and validate a scenario file against the schema.

    Raises :class:`InputError` listing every schema problem. Cross-references (buses, series
    lengths, …) are checked by :func:`gridopt.scenario.check.check_scenario`.
    """
    path = Path(path)
    merged, files = read_merged(path)
    try:
        scenario = Scenario.model_validate(merged)
    except ValidationError as exc:
        error = InputError(schema_problems(exc, files), title=f"{path}: scenario is not valid")
        error.partial = _pruned(merged, exc, path, files)
        raise error from None
    return _loaded(scenario, path, files, merged)


def scenario_from_dict(data: dict[str, Any], path: str | Path) -> LoadedScenario:
    """Validate a scenario held in memory (e.g. a sweep case); ``path`` names it in messages and
    its folder resolves relative file paths. ``extends`` is not followed here."""
    path = Path(path)
    data = {k: v for k, v in data.items() if k != "extends"}
    files = [(path, data)]
    try:
        scenario = Scenario.model_validate(data)
    except ValidationError as exc:
        raise InputError(
            schema_problems(exc, files), title=f"{path}: scenario is not valid"
        ) from None
    return _loaded(scenario, path, files, data)


def _loaded(scenario: Scenario, path: Path, files, merged: dict) -> LoadedScenario:
    canonical = yaml.safe_dump(merged, sort_keys=True, allow_unicode=True)
    return LoadedScenario(
        scenario=scenario,
        path=path,
        chain=tuple(f for f, _ in files),
        raw=merged,
        sha256=hashlib.sha256(canonical.encode()).hexdigest(),
    )


def _pruned(merged: dict, exc: ValidationError, path: Path, files) -> LoadedScenario | None:
    """The scenario without the entries that failed the schema, so that the remaining checks
    can still run and every problem is reported at once; None if even that fails."""
    data = {k: (dict(v) if isinstance(v, dict) else v) for k, v in merged.items()}
    for err in exc.errors():
        loc = err["loc"]
        if (
            len(loc) >= 2
            and isinstance(data.get(loc[0]), dict)
            and loc[0] in Scenario.model_fields
            and _is_named_section(str(loc[0]))
        ):
            data[loc[0]].pop(loc[1], None)
        elif loc and loc[0] in data and loc[0] not in ("name", "buses"):
            data.pop(loc[0], None)
    try:
        return _loaded(Scenario.model_validate(data), path, files, data)
    except ValidationError:
        return None


def _is_named_section(name: str) -> bool:
    from typing import get_origin

    return get_origin(Scenario.model_fields[name].annotation) is dict
