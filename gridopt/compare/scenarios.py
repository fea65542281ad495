"""The resolved scenario of a results folder, and the fields in which several differ.

A results folder does not hold its scenario: ``results.nc`` and ``summary.json`` name the
scenario file (``scenario_file``) and hash it (``scenario_sha256``; ``inputs_sha256`` the
scenario with every file it refers to). The resolved scenario — the scenario as read, with
``extends`` merged and every default filled in (the validated schema model) — is found, in
this order:

1. ``DIR/scenario_resolved.yaml``, which ``gridopt run`` and ``gridopt plan`` write beside
   their results (the validated scenario, every default filled in), read as it is;
2. ``DIR/scenario.yaml`` (a sweep case keeps its own resolved copy), validated;
3. the scenario file named by the results (a relative name is looked for from the current
   folder, then from each folder above the results folder), re-read and validated, used only when its
   ``inputs_sha256`` (or, for older results, ``scenario_sha256``) equals the run's: a file
   edited since the run is not the scenario that produced the results.

Otherwise the folder has none, and the diff says why. :func:`diff` flattens each scenario to
dotted field paths (lists are one field) and lists every path whose values are not equal in
all folders that have a scenario, sorted by path; a path a folder lacks is "absent", every path of a folder without a
scenario "unknown". Files the
scenarios refer to (``summary.json``'s ``input_files``: SHA-256 by the text naming each file)
that differ are listed too, as ``input_files.<name>``.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from gridopt.errors import InputError

RUN_FILE = "scenario_resolved.yaml"  # gridopt.run.RESOLVED_FILE: written with the results
CASE_FILE = "scenario.yaml"  # gridopt.sweep.cases.SCENARIO_FILE
ABSENT = object()
"""The value of a field a folder's scenario does not have."""
UNKNOWN = object()
"""The value of every field for a folder without a resolved scenario."""


@dataclass
class Resolved:
    """A folder's resolved scenario (``data``: field -> value, JSON-like) or None with why.

    source : 'run' (``DIR/scenario_resolved.yaml``), 'case' (``DIR/scenario.yaml``), 'file'
        (the scenario file re-read) or '' (none)
    path : the file read (or looked for)
    why : text key of why there is none (``why_*``), '' when found
    """

    data: dict[str, Any] | None
    source: str
    path: str
    why: str = ""


def resolve(folder: Path, summary: dict) -> Resolved:
    """The resolved scenario of the results ``folder`` (order in the module docstring)."""
    from gridopt.scenario.load import load_scenario, read_yaml, scenario_from_dict

    kept = Path(folder) / RUN_FILE
    if kept.is_file():
        try:
            data = read_yaml(kept)
        except InputError:
            return Resolved(None, "", str(kept), "why_invalid")
        if isinstance(data, dict):
            return Resolved(data, "run", str(kept))
        return Resolved(None, "", str(kept), "why_invalid")
    case = Path(folder) / CASE_FILE
    if case.is_file():
        try:
            data = read_yaml(case)
            ls = scenario_from_dict(data, case)
        except InputError:
            return Resolved(None, "", str(case), "why_invalid")
        return Resolved(ls.scenario.model_dump(mode="json"), "case", str(case))
    name = summary.get("scenario_file")
    if not name:
        return Resolved(None, "", "", "why_no_file")
    path = Path(name)
    if not path.is_absolute():  # named as given on the command line, from the run's folder
        tried = [path, *(p / path for p in Path(folder).resolve().parents)]
        path = next((p for p in tried if p.is_file()), path)
    if not path.is_file():
        return Resolved(None, "", str(path), "why_not_found")
    try:
        ls = load_scenario(path)
    except InputError:
        return Resolved(None, "", str(path), "why_invalid")
    want = summary.get("inputs_sha256")
    have = ls.inputs_sha256 if want else ls.sha256
    if (want or summary.get("scenario_sha256")) != have:
        return Resolved(None, "", str(path), "why_changed")
    return Resolved(ls.scenario.model_dump(mode="json"), "file", str(path))


def flatten(data: Any, prefix: str = "") -> dict[str, Any]:
    """``{'a': {'b': 1}, 'c': [1, 2]}`` -> ``{'a.b': 1, 'c': [1, 2]}`` (lists are one field;
    an empty mapping is kept as one field)."""
    if isinstance(data, dict) and data:
        out: dict[str, Any] = {}
        for k, v in data.items():
            out.update(flatten(v, f"{prefix}.{k}" if prefix else str(k)))
        return out
    return {prefix: data}


@dataclass
class Diff:
    """The differing fields: ``rows`` of (path, one value per folder; :data:`UNKNOWN` for a
    folder with no scenario, :data:`ABSENT` for a path its scenario lacks), sorted by path; ``compared``: the
    positions of the folders that have a scenario."""

    rows: list[tuple[str, list[Any]]]
    compared: list[int]


def diff(resolved: list[Resolved], summaries: list[dict]) -> Diff:
    """Every field path whose value is not the same in all folders that have a resolved
    scenario (at least two, else no rows), then every referenced file whose SHA-256 differs."""
    have = [i for i, r in enumerate(resolved) if r.data is not None]
    if len(have) < 2:
        return Diff([], have)
    flat = {i: flatten(resolved[i].data) for i in have}
    files = {
        i: {f"input_files.{k}": v for k, v in (summaries[i].get("input_files") or {}).items()}
        for i in have
    }
    rows = []
    for source in (flat, files):
        paths = sorted(set().union(*(source[i] for i in have)))
        for path in paths:
            values = [
                source[i].get(path, ABSENT) if i in source else UNKNOWN
                for i in range(len(resolved))
            ]
            shown = [values[i] for i in have]
            if any(v != shown[0] for v in shown[1:]):
                rows.append((path, values))
    return Diff(rows, have)
