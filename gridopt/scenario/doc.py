"""Generate the scenario reference (docs/scenario.md) from the schema's field docstrings: the
common sections of :mod:`gridopt.scenario.schema`, then each family's section (its entry schema
and one line, declared with the family: :attr:`gridopt.model.family.Family.entry`, ``doc``).

    python -m gridopt.scenario.doc > docs/scenario.md

A test checks that the committed file matches the schema.
"""

from __future__ import annotations

import typing
from collections.abc import Sequence

from pydantic import BaseModel
from pydantic_core import PydanticUndefined

from gridopt.model import SECTIONS as MODEL_SECTIONS
from gridopt.model.family import Family
from gridopt.scenario import schema
from gridopt.scenario.fields import field_docs

COMMON: list[tuple[str, type[BaseModel], str]] = [
    ("time", schema.TimeSpec, "The horizon."),
    ("settings", schema.Settings, "Model-wide settings."),
    ("tariffs", schema.Tariffs, "Charges and comparison prices for a delivered industrial price."),
    ("solver", schema.SolverSpec, "HiGHS options."),
    (
        "policy",
        schema.Policy,
        "Policy constraints over the horizon (green share, CO2 cap, curtailment share, reserve "
        "margin) and capacity credits, in gridopt run and gridopt plan alike.",
    ),
    ("sites.<name>", schema.SiteSpec, "Geographic sites that profile generators refer to."),
    ("fuels.<name>", schema.Fuel, "Fuels that thermal units burn."),
]
"""The common sections of a scenario, before the families' sections."""


def economics_row(families: Sequence[Family]) -> tuple[str, type[BaseModel], str]:
    """The economics of an asset, after the families' sections: the sections whose entry has
    an ``economics`` field are named."""
    with_costs = [
        f"`{f.section}`"
        for f in families
        if f.entry is not None and "economics" in f.entry.model_fields
    ]
    return (
        "<asset>.economics",
        schema.Economics,
        "Investment and fixed costs of an asset of " + ", ".join(with_costs) + ".",
    )


def sections(families: Sequence[Family]) -> list[tuple[str, type[BaseModel], str]]:
    """The documented sections: key, schema and one line each; the families' sections
    (``<section>.<name>``, :attr:`Family.entry`, :attr:`Family.doc`) between the common ones and
    the economics."""
    declared = [(f"{f.section}.<name>", f.entry, f.doc) for f in families if f.entry is not None]
    return [*COMMON, *declared, economics_row(families)]


SECTIONS: list[tuple[str, type[BaseModel], str]] = sections(MODEL_SECTIONS)
"""Every section of the scenario reference, in order."""


def _type_name(ann) -> str:
    text = str(ann) if not isinstance(ann, type) else ann.__name__
    text = text.replace("typing.", "").replace("gridopt.scenario.schema.", "")
    text = text.replace("Annotated[", "").replace("NoneType", "null")
    if text.startswith("dict"):
        return "mapping"
    if "CsvSeries" in text:
        return "series" + (" or null" if "null" in text else "")
    for noise in (
        ", Interval(gt=0, ge=None, lt=None, le=None)",
        ", FieldInfo(annotation=NoneType, required=True, metadata=[Ge(ge=0)])",
    ):
        text = text.replace(noise, "")
    if "int" in text and "float" not in text:
        return "integer"
    if "float" in text:
        return "number" + (" or null" if "null" in text else "")
    if "Literal" in text:
        return " \\| ".join(repr(a) for a in typing.get_args(ann))
    if "bool" in text:
        return "true/false"
    if "str" in text and "dict" not in text:
        return "text"
    return "mapping"


def _number(v: float) -> str:
    """A limit as a person writes it: 1,000,000 rather than 1000000.0."""
    return f"{int(v):,}" if float(v).is_integer() else f"{v:g}"


def _limits(field) -> str:
    out = []
    metadata = list(field.metadata)
    for arg in typing.get_args(field.annotation):
        metadata += list(getattr(arg, "__metadata__", ()))
    for m in metadata:
        for attr, sym in (("gt", ">"), ("ge", ">="), ("lt", "<"), ("le", "<=")):
            v = getattr(m, attr, None)
            if v is not None:
                out.append(f"{sym} {_number(v)}")
    return ", ".join(out)


def scenario_reference_markdown(families: Sequence[Family] | None = None) -> str:
    """The scenario reference (docs/scenario.md) for the declared families (default:
    :data:`gridopt.model.SECTIONS`)."""
    lines = [
        "# Scenario file reference",
        "",
        "Generated from the family declarations (each asset section's schema is its `Family.entry` in",
        "`gridopt/model/<family>.py`) and `gridopt/scenario/schema.py` by `python -m gridopt.scenario.doc`;",
        "do not edit by hand.",
        "",
        "A scenario is a YAML mapping with `name` (required), `description`, optional `extends: base.yaml`",
        "and the sections below. Unknown keys are errors. A *series* is an hourly series: a number (every",
        "hour), a list with one value per hour, `{csv: path, column: name, scale: 1}` (path relative to",
        "the scenario file; read like profile files: comma, semicolon or tab, `#` comments, rows",
        "named by file line; the value column is `column`, else the only non-empty column whose",
        "name has no `time`, `date` or `hour`), or `{generator: name, ...parameters}`.",
        "",
        "Every number must be finite (`.inf`, `.nan` are errors) and within the limits below; the",
        "values of an hourly series too (power 0 to 1,000,000 MW, prices -1,000,000 to 1,000,000",
        "CNY/MWh, shares 0 to 1).",
        "",
        "Files: scenario, CSV, weather and profile files are read as UTF-8 (with or without a",
        "byte-order mark) or, when that is the file's encoding, GBK/GB18030 (what Chinese Excel and",
        "Notepad save); any other encoding is an error naming the file: save it as UTF-8. A key",
        "given twice in one mapping (two `storage:` sections, a load defined twice) is an error",
        "naming both lines. YAML aliases (`*name`) may not expand beyond 5,000,000 values.",
        "",
        "`extends: base.yaml` is relative to the file that names it; relative file paths written",
        "in the base file (`csv:`, a generator's `path:` or `weather:`) are relative to the base",
        "file's folder, and those files count in the inputs hash.",
        "",
        "Time: `time.start` is local clock time in `time.timezone`. In a zone with daylight saving",
        "time (Europe/Berlin) the horizon's hours are laid out in the zone's standard time",
        "(UTC+01:00) all year, so every hour exists once; results state it (`timezone` is then",
        "`UTC+01:00` and `scenario_timezone` the zone). Zones without daylight saving time",
        "(Asia/Shanghai) are used as they are.",
        "",
    ]
    for key, model, text in SECTIONS if families is None else sections(families):
        lines += [
            f"## `{key}`",
            "",
            text,
            "",
            "| field | type | default | limits | meaning |",
            "|---|---|---|---|---|",
        ]
        docs = field_docs(model)
        for name, field in model.model_fields.items():
            default = "required" if field.default is PydanticUndefined else repr(field.default)
            if default == "{}":
                default = "{}"
            desc = docs.get(name, "").replace("\n", " ").replace("|", "\\|")
            lines.append(
                f"| `{name}` | {_type_name(field.annotation)} | {default} | {_limits(field)} | {desc} |"
            )
        lines.append("")
    return "\n".join(lines)


if __name__ == "__main__":
    print(scenario_reference_markdown(), end="")
