"""Read ``key=value`` text from the command line: the one parser every command uses.

Three commands take such text: ``gridopt run --solver-option KEY=VALUE``, a tenant PROFILE
``SOURCE:key=value,...`` and ``gridopt sweep --set PATH=V1,V2``. Each caller keeps its own
messages (it knows the option and the example to show); splitting and reading values is here.

Values are read one of two ways, because they go to two different places:

- :func:`read_value` for an option of a command (a HiGHS option, a profile parameter):
  ``true``/``false`` -> bool, ``200000`` -> int, ``2e5`` -> float, ``[8,20]`` -> list,
  anything else -> the text, stripped. :func:`read_scalar` is the same without lists.
- :func:`read_yaml_value` for a value that replaces a field of a scenario file: read as YAML,
  as the scenario file itself is read (``null``, dates), with numbers such as ``7e2`` kept as
  numbers (YAML 1.1 would read them as text).
"""

from __future__ import annotations

import re
from typing import Any

import yaml

__all__ = ["read_scalar", "read_value", "read_yaml_value", "split_items", "split_pair"]

_NUMBER = re.compile(r"[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?")
_INTEGER = re.compile(r"[+-]?\d+")


def split_items(text: str, *, brackets: bool = True) -> list[str]:
    """Split ``text`` on commas into stripped items.

    ``brackets``: commas inside ``[...]`` or ``(...)`` do not split (``a=1,b=[8,20]`` is two
    items); False splits on every comma. Empty items are kept (the caller says what is wrong).
    """
    if not brackets:
        return [p.strip() for p in text.split(",")]
    parts, depth, cur = [], 0, ""
    for ch in text:
        depth += ch in "[("
        depth -= ch in "])"
        if ch == "," and depth == 0:
            parts.append(cur)
            cur = ""
        else:
            cur += ch
    parts.append(cur)
    return [p.strip() for p in parts]


def split_pair(text: str) -> tuple[str, str] | None:
    """``"key = value"`` -> ``("key", "value")`` (both stripped, split at the first ``=``);
    None when there is no ``=``. Empty keys or values are returned for the caller to refuse."""
    key, eq, value = text.partition("=")
    if not eq:
        return None
    return key.strip(), value.strip()


def read_scalar(text: str) -> bool | int | float | str:
    """'true' -> True, '200000' -> 200000, '2e5' -> 200000.0, anything else -> the text."""
    t = text.strip()
    if t.lower() in ("true", "false"):
        return t.lower() == "true"
    for cast in (int, float):
        try:
            return cast(t)
        except ValueError:
            pass
    return t


def read_value(text: str) -> Any:
    """:func:`read_scalar`, and ``[8,20]`` or ``(8,20)`` -> ``[8, 20]`` (items read the same
    way, empty items dropped)."""
    t = text.strip()
    if t[:1] in "[(" and t[-1:] in "])" and len(t) >= 2:
        return [read_value(x) for x in split_items(t[1:-1]) if x]
    return read_scalar(t)


def read_yaml_value(text: str) -> Any:
    """A scenario field's value as YAML reads it (``4000`` a number, ``dc`` a string, ``true``
    a boolean, ``null`` None, ``2025-02-01`` a date); ``7e2`` -> 700.0. Text YAML cannot read
    (e.g. the date 2025-13-01) is kept as written, for the schema to say what is wrong."""
    t = text.strip()
    if _NUMBER.fullmatch(t):  # YAML 1.1 reads 7e2 as a string
        return int(t) if _INTEGER.fullmatch(t) else float(t)
    try:
        return yaml.safe_load(t)
    except (yaml.YAMLError, ValueError):  # ValueError: a date like 2025-13-01
        return t
