"""The assumptions table of a scenario file, read from the comments beside its numbers.

Every number in a bundled scenario carries its source or an "assumption" label in a YAML
comment on its line (or on the line of the mapping that holds it). This module lists them as
a table (field path, value, unit, source or reasoning) for ``docs/assumptions.md`` and the
``gridopt assumptions`` command, and finds numbers that carry no label.
"""

from __future__ import annotations

import functools
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import yaml

from gridopt.textfile import read_text

if TYPE_CHECKING:
    from gridopt.model.family import Family

UNITS = [  # suffix of the field name -> unit
    ("_cny_per_mwh", "CNY/MWh"),
    ("_cny_per_kwh", "CNY/kWh"),
    ("_cny_per_kw_yr", "CNY/kW/yr"),
    ("_cny_per_kw", "CNY/kW"),
    ("_cny_per_mw", "CNY/MW"),
    ("_cny_per_t", "CNY/t"),
    ("_cny", "CNY"),
    ("_gce_per_kwh", "gce/kWh"),
    ("_kcal_per_kg", "kcal/kg"),
    ("_t_per_tce", "t CO2/tce"),
    ("_t_per_mwh", "t/MWh"),
    ("_mwh", "MWh"),
    ("_mw", "MW"),
    ("_kv", "kV"),
    ("_pu", "pu"),
    ("_fraction_per_h", "1/h"),
    ("_per_h", "1/h"),
    ("_fraction_per_yr", "1/yr"),
    ("_fraction", "-"),
    ("_yr", "yr"),
    ("_h", "h"),
    ("_deg", "deg"),
    ("_m", "m"),
    ("_t_per_yr", "t/yr"),
    ("_kwh_per_t", "kWh/t"),
    ("kwh_per_t", "kWh/t"),
    ("_ratio", "-"),
]


def declared_units(families: Sequence[Family]) -> dict[tuple[str, str], str]:
    """``(section, field) -> unit`` of every scenario field a family declares an input of
    (:attr:`InputVar.units` of the input whose ``field or name`` it is), where that is a
    physical unit: dimensionless (``1``) and unitless fields keep the table's notation
    (``-`` for a share, none for a count)."""
    out: dict[tuple[str, str], str] = {}
    for family in families:
        for var in family.inputs:
            if var.units not in ("", "1"):
                out.setdefault((family.section, var.field or var.name), var.units)
    return out


@functools.cache
def _model_units() -> dict[tuple[str, str], str]:
    from gridopt.model import SECTIONS

    return declared_units(SECTIONS)


def unit_of(
    field: str, section: str | None = None, families: Sequence[Family] | None = None
) -> str:
    """The unit of a scenario field: the one its family declares for it, for a field of an
    entry of ``section`` (:func:`declared_units` of ``families``, default
    :data:`gridopt.model.SECTIONS`), else the one its name's suffix says (:data:`UNITS`)."""
    if section is not None:
        units = _model_units() if families is None else declared_units(families)
        if (section, field) in units:
            return units[section, field]
    if field.startswith("eff_") or field in ("loss_factor", "discount_rate"):
        return "-"
    for suffix, unit in UNITS:
        if field.endswith(suffix):
            return unit
    return ""


def _unit_at(path: list[str]) -> str:
    """The unit of the number at ``path``: a field of a section's entry is ``section.name.field``."""
    return unit_of(path[-1], path[0] if len(path) == 3 else None)


@dataclass(frozen=True)
class Row:
    field: str
    value: object
    unit: str
    source: str
    line: int


def _comments(text: str) -> dict[int, str]:
    """Comment text on each line (0-based), ignoring '#' inside quoted strings."""
    out = {}
    for i, line in enumerate(text.splitlines()):
        quote = None
        for j, ch in enumerate(line):
            if quote:
                if ch == quote:
                    quote = None
            elif ch in "\"'":
                quote = ch
            elif ch == "#" and (j == 0 or line[j - 1] in " \t"):
                out[i] = line[j + 1 :].strip()
                break
    return out


def _walk(
    node, path: list[str], parents: list[int], comments: dict[int, str], rows: list[Row]
) -> None:
    if isinstance(node, yaml.MappingNode):
        for key, value in node.value:
            _walk(value, path + [key.value], parents + [key.start_mark.line], comments, rows)
    elif isinstance(node, yaml.SequenceNode):
        values = [v.value for v in node.value if isinstance(v, yaml.ScalarNode)]
        if values and all(_is_number(v) for v in values):
            line = node.start_mark.line
            rows.append(
                Row(
                    ".".join(path),
                    "[" + ", ".join(values) + "]",
                    _unit_at(path),
                    _label(line, parents, comments),
                    line + 1,
                )
            )
    elif (
        isinstance(node, yaml.ScalarNode)
        and _is_number(node.value)
        and node.tag.endswith(("int", "float"))
    ):
        line = node.start_mark.line
        rows.append(
            Row(
                ".".join(path),
                node.value,
                _unit_at(path),
                _label(line, parents, comments),
                line + 1,
            )
        )


def _label(line: int, parents: list[int], comments: dict[int, str]) -> str:
    for ln in [line, *reversed(parents)]:
        if comments.get(ln):
            return comments[ln]
    return ""


def _is_number(text: str) -> bool:
    try:
        float(text)
        return True
    except ValueError:
        return False


def assumption_rows(path: str | Path) -> list[Row]:
    """Every number in the scenario file with its field path, unit and label."""
    text = read_text(path)
    rows: list[Row] = []
    _walk(yaml.compose(text), [], [], _comments(text), rows)
    return rows


def unlabelled(path: str | Path) -> list[Row]:
    """Numbers with no source or assumption label."""
    return [r for r in assumption_rows(path) if not r.source]


def assumptions_markdown(paths: list[Path]) -> str:
    out = [
        "# Assumptions and sources of the bundled scenarios",
        "",
        "Generated from the comments in the scenario files by `gridopt assumptions`; do not edit by hand.",
        'Figures and sources are discussed in ../shared/DOMAIN.md; "assumption" marks a figure chosen by',
        "the gridopt team with the reasoning given.",
        "",
    ]
    for p in paths:
        out += [
            f"## `{p.as_posix()}`",
            "",
            "| field | value | unit | source or reasoning |",
            "|---|---|---|---|",
        ]
        for r in assumption_rows(p):
            out.append(f"| `{r.field}` | {r.value} | {r.unit} | {r.source.replace('|', '/')} |")
        out.append("")
    return "\n".join(out)


BUNDLED = [
    "scenarios/demo_small.yaml",
    "scenarios/jiayuguan_jiuquan_2025.yaml",
    "scenarios/jiayuguan_jiuquan_2030.yaml",
    "scenarios/plan_2030.yaml",
]


if (
    __name__ == "__main__"
):  # python -m gridopt.scenario.assumptions > docs/assumptions.md (from the repo root)
    print(assumptions_markdown([Path(p) for p in BUNDLED if Path(p).exists()]), end="")
