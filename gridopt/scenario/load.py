"""Reading scenario files: YAML, ``extends:`` inheritance, and schema validation.

``extends: base.yaml`` (a path relative to the file) takes another scenario as the base; the
file's keys override the base's key by key (mappings merge recursively, anything else is
replaced). Setting a key to ``null`` removes it from the base, e.g. ``thermal: {old_unit: null}``.
Relative file paths written in a base file (``csv:``, and a generator's ``path:`` or
``weather:``) are relative to the base file's folder, wherever the file that extends it is.

Scenario files are read by :func:`read_yaml`: UTF-8 or GBK/GB18030 text
(:mod:`gridopt.textfile`), every key once per mapping, and aliases (``*name``) that do not
expand beyond :data:`MAX_YAML_NODES` values.
"""

from __future__ import annotations

import functools
import hashlib
import json
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ValidationError

from gridopt.errors import InputError, Problem
from gridopt.scenario.schema import CsvSeries, Scenario
from gridopt.textfile import read_text

_SAFE_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml when installed: faster

MAX_YAML_NODES = 5_000_000
"""Largest number of values a YAML file may expand to with its aliases (a year-long scenario
with a hundred hourly lists has about a million); more is refused as an alias bomb."""


@dataclass(frozen=True)
class LoadedScenario:
    """A validated scenario with where it came from.

    path : the scenario file named by the user
    sha256 : hash of the merged scenario (canonical YAML)
    input_files : SHA-256 of every file the scenario refers to (CSV series, weather files,
        profiles), by the text that names it
    inputs_sha256 : hash of the scenario and those files together: identifies the inputs of a
        run (editing a referenced CSV changes it; ``sha256`` does not change)
    """

    scenario: Scenario
    path: Path
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


def read_yaml(path: Path, label: str | None = None) -> Any:
    """The data of the YAML file at ``path`` (``label`` names it in messages).

    Raises :class:`InputError` for a file that is not UTF-8 or GBK/GB18030 text, not valid
    YAML, has a key twice in one mapping (both lines named), or expands through aliases to
    more than :data:`MAX_YAML_NODES` values."""
    label = label or str(path)
    text = read_text(path, label)
    loader = _SAFE_LOADER(text)
    try:
        node = loader.get_single_node()
        if node is None:
            return None
        problems = _duplicate_keys(node, label)
        if problems:
            raise InputError(problems, title=f"{label}: a key is given twice")
        size = _expanded_size(node, {})
        if size > MAX_YAML_NODES:
            raise InputError(
                Problem(
                    label,
                    f"aliases (*name) expand to {size:,} values, more than the "
                    f"{MAX_YAML_NODES:,} allowed",
                    fix="write the values out, or use aliases that do not nest",
                )
            )
        return loader.construct_document(node)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        loc = f"{label}: line {mark.line + 1}, column {mark.column + 1}" if mark else label
        raise InputError(Problem(loc, f"not valid YAML: {getattr(exc, 'problem', exc)}")) from None
    finally:
        loader.dispose()


def _duplicate_keys(node: yaml.Node, label: str) -> list[Problem]:
    """Every key given twice in one mapping, at any depth, naming both lines (a merge key
    ``<<`` may be overridden: that is what it is for)."""
    out: list[Problem] = []
    seen_nodes: set[int] = set()
    stack: list[tuple[yaml.Node, str]] = [(node, "")]
    while stack:
        n, path = stack.pop()
        if id(n) in seen_nodes:
            continue
        seen_nodes.add(id(n))
        if isinstance(n, yaml.MappingNode):
            first: dict[str, int] = {}
            for k, v in n.value:
                key = str(k.value) if isinstance(k, yaml.ScalarNode) else None
                if key is not None and key != "<<":
                    line = k.start_mark.line + 1
                    field = f"{path}.{key}" if path else key
                    if key in first:
                        out.append(
                            Problem(
                                f"{label}: line {line}: {field}",
                                f"duplicate key, also on line {first[key]}; "
                                "the second would silently replace the first",
                                fix="keep one (merge the two into one section)",
                            )
                        )
                    else:
                        first[key] = line
                    stack.append((v, field))
                else:
                    stack.append((v, path))
        elif isinstance(n, yaml.SequenceNode):
            stack.extend((v, f"{path}[{i}]") for i, v in enumerate(n.value))
    return out


def _expanded_size(node: yaml.Node, memo: dict[int, int]) -> int:
    """How many values ``node`` holds once every alias is expanded (each shared node counted
    every time it is used; memoised, so an alias bomb is measured without expanding it)."""
    if id(node) in memo:
        return memo[id(node)]
    memo[id(node)] = 1  # a recursive alias counts once (construction would loop on it)
    if isinstance(node, yaml.MappingNode):
        size = 1 + sum(_expanded_size(k, memo) + _expanded_size(v, memo) for k, v in node.value)
    elif isinstance(node, yaml.SequenceNode):
        size = 1 + sum(_expanded_size(v, memo) for v in node.value)
    else:
        size = 1
    memo[id(node)] = size
    return size


def _read_scenario_file(path: Path, referenced_from: str | None = None) -> dict[str, Any]:
    where = f"{referenced_from}: extends" if referenced_from else str(path)
    if not path.exists():
        raise InputError(Problem(where, "scenario file not found", str(path), "check the path"))
    data = read_yaml(path)
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
        data = _read_scenario_file(current, referenced_from)
        if files and current.parent != files[0][0].parent:
            data = _rebase_paths(data, current.parent, files[0][0].parent)
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
    return merged, list(reversed(files))


def _rebase_paths(data: Any, base_dir: Path, top_dir: Path) -> Any:
    """``data`` of a base file with its relative file paths (a series' ``csv:``, a generator's
    ``path:`` and ``weather:``) rewritten relative to ``top_dir``, the folder of the scenario
    named by the user, so that they keep naming the files next to the base file."""

    def rebase(text: Any) -> Any:
        if not isinstance(text, str) or not text or Path(text).is_absolute():
            return text
        target = os.path.normpath(base_dir / text)
        try:
            return Path(os.path.relpath(target, top_dir)).as_posix()
        except ValueError:  # another drive (Windows): keep it absolute
            return target

    if isinstance(data, list):
        return [_rebase_paths(v, base_dir, top_dir) for v in data]
    if not isinstance(data, dict):
        return data
    out = {k: _rebase_paths(v, base_dir, top_dir) for k, v in data.items()}
    if "csv" in out:
        out["csv"] = rebase(out["csv"])
    if "generator" in out:
        if "path" in out:
            out["path"] = rebase(out["path"])
        if out.get("weather") not in (None, "synthetic"):
            out["weather"] = rebase(out["weather"])
    return out


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


_ALTERNATIVES = {
    "float": "number",
    "list[float]": "list",
    "CsvSeries": "csv",
    "GeneratorSeries": "generator",
}
"""Names pydantic gives the alternatives of a Series union, and the form each one reads."""


def schema_problems(
    exc: ValidationError, files: list[tuple[Path, dict[str, Any]]]
) -> list[Problem]:
    """Turn pydantic errors into one Problem each (union alternatives folded into one: the
    alternative the value was written as is the one reported; in a list, the hour)."""
    problems: dict[tuple, Problem] = {}
    bad_hours: dict[tuple, list[tuple[int, Any, str]]] = {}
    for err in exc.errors():
        loc = tuple(err["loc"])
        # Errors inside the alternatives of a Series union carry the alternative's type name.
        cut = next((i for i, k in enumerate(loc) if str(k) in _ALTERNATIVES), None)
        if cut is not None:
            key, alt, rest = loc[:cut], _ALTERNATIVES[str(loc[cut])], loc[cut + 1 :]
            node = _lookup(files, key)
            form = _series_form(node)
            where = f"{_origin(files, key)}: {'.'.join(str(k) for k in key)}"
            if form != alt:
                if form is None:
                    problems.setdefault(
                        key, Problem(where, "not a valid hourly series", node, SERIES_HELP)
                    )
                continue
            if alt == "list" and rest and isinstance(rest[0], int):
                bad_hours.setdefault(key, []).append((rest[0], err.get("input"), err["msg"]))
                continue
            if rest:
                where += "." + ".".join(str(k) for k in rest)
            problems.setdefault(key + rest, _one(err, where, loc))
            continue
        path = ".".join(str(k) for k in loc)
        problems[loc] = _one(err, f"{_origin(files, loc)}: {path}", loc)
    for key, hours in bad_hours.items():
        h, value, msg = hours[0]
        more = f" ({len(hours)} bad values)" if len(hours) > 1 else ""
        problems[key] = Problem(
            f"{_origin(files, key)}: {'.'.join(str(k) for k in key)}",
            f"hour {h} (list item {h + 1}): {msg[0].lower() + msg[1:]}{more}",
            value,
            "every value of an hourly series must be a finite number",
        )
    return list(problems.values())


def _series_form(node: Any) -> str | None:
    """Which alternative of a Series a value is written as (None: none of them)."""
    if isinstance(node, bool):
        return None
    if isinstance(node, (int, float)):
        return "number"
    if isinstance(node, list):
        return "list"
    if isinstance(node, dict):
        return "csv" if "csv" in node else "generator" if "generator" in node else None
    return None


def _one(err: dict, where: str, loc: tuple) -> Problem:
    """One pydantic error as a Problem at ``where``."""
    if err["type"] == "extra_forbidden":
        fix = "remove it or correct the spelling"
        model = CsvSeries if "CsvSeries" in map(str, loc) else _model_for_extra(loc)
        if model is not None:
            fix += "; valid keys here: " + ", ".join(model.model_fields)
        return Problem(where, "unknown key", None, fix)
    if err["type"] == "missing":
        return Problem(where, "required field is missing", None, "add it")
    msg = err["msg"].replace("Value error, ", "")
    if err["type"] == "finite_number":
        msg = "must be a finite number (not .inf or .nan)"
    value = err.get("input")
    return Problem(where, msg, None if isinstance(value, dict) else value)


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
        error.partial = _pruned(merged, exc, path)
        raise error from None
    return _loaded(scenario, path, merged)


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
    return _loaded(scenario, path, data)


def _loaded(scenario: Scenario, path: Path, merged: dict) -> LoadedScenario:
    canonical = yaml.safe_dump(merged, sort_keys=True, allow_unicode=True)
    return LoadedScenario(
        scenario=scenario,
        path=path,
        raw=merged,
        sha256=hashlib.sha256(canonical.encode()).hexdigest(),
    )


def _pruned(merged: dict, exc: ValidationError, path: Path) -> LoadedScenario | None:
    """The scenario without the entries that failed the schema, so that the remaining checks
    can still run and every problem is reported at once; None if even that fails."""
    if any(err["loc"][:1] == ("time",) for err in exc.errors()):
        return None  # without a horizon no series can be checked
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
        return _loaded(Scenario.model_validate(data), path, data)
    except ValidationError:
        return None


def _is_named_section(name: str) -> bool:
    from typing import get_origin

    return get_origin(Scenario.model_fields[name].annotation) is dict
