"""Dotted paths into a scenario (``storage.battery_jyg.e_max_mwh``): walked through the
scenario schema and the merged scenario file, set in place, and the generators driven by
synthetic weather found."""

from __future__ import annotations

import inspect
import re
import types
from collections.abc import Sequence
from typing import Annotated, Any, Union, get_args, get_origin

from pydantic import BaseModel

from gridopt.data.generators import WEATHER_GENERATORS
from gridopt.errors import InputError, Problem
from gridopt.scenario.schema import GeneratorSeries, Scenario

#: generators whose ``weather`` parameter defaults to ``synthetic`` when left out
#: (``gridopt.data.wind.WindParams``, ``gridopt.data.solar.SolarParams``)


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
