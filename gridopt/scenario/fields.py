"""The building blocks of every scenario section's schema: unit types with their sane ranges,
the strict base model, hourly series and an asset's economics.

A leaf module (pydantic and the standard library only), so that each family's model module can
declare its section's schema next to its equations (:mod:`gridopt.model.family`) and
:mod:`gridopt.scenario.schema` can assemble the scenario from them.

Every number must be finite (``.inf`` and ``.nan`` are errors) and within a generous physical
range for its unit (the ``MAX_*`` constants below): a value outside it is a typing slip, not a
plan, and would otherwise solve to an "Optimal" nonsense.
"""

from __future__ import annotations

import ast
import functools
import inspect
import sys
import textwrap
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field

# Largest sane value of each unit kind: generous for any local grid, but finite.
MAX_MW = 1e6
"""Power [MW] (1 TW: more than any national grid)."""
MAX_MWH = 1e9
"""Energy [MWh] (1,000 TWh)."""
MAX_CNY_PER_MWH = 1e6
"""Prices and costs per energy [CNY/MWh] (1,000 CNY/kWh); tariffs [CNY/kWh] up to 1,000."""
MAX_CNY = 1e13
"""Money [CNY] (10 trillion)."""
MAX_CNY_PER_KW = 1e6
"""Investment or fixed cost per kW or kWh [CNY/kW, CNY/kWh, CNY/kW/yr, CNY/MW]."""
MAX_CNY_PER_T = 1e5
"""Fuel and carbon prices [CNY/t]."""

Fraction = Annotated[float, Field(ge=0, le=1)]
Efficiency = Annotated[float, Field(gt=0, le=1)]
PowerMW = Annotated[float, Field(ge=0, le=MAX_MW)]
PosPowerMW = Annotated[float, Field(gt=0, le=MAX_MW)]
EnergyMWh = Annotated[float, Field(ge=0, le=MAX_MWH)]
CnyPerMWh = Annotated[float, Field(ge=0, le=MAX_CNY_PER_MWH)]
CnyPerKWh = Annotated[float, Field(ge=0, le=MAX_CNY_PER_MWH / 1000)]
CnyPerKW = Annotated[float, Field(ge=0, le=MAX_CNY_PER_KW)]
CnyPerT = Annotated[float, Field(ge=0, le=MAX_CNY_PER_T)]


# The base of every section: unknown keys are errors, entries are read-only, and every number
# must be finite. The field docstrings are the documentation: read from the source by
# field_docs when the documentation is written (pydantic's use_attribute_docstrings reads
# them at every class definition: 0.3-0.5 s of every command's start-up).
class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, allow_inf_nan=False, defer_build=True)


def field_docs(model: type[BaseModel]) -> dict[str, str]:
    """Field name -> the docstring written under it in the class body (``x: float = 0`` then
    a string), for ``model`` and the classes it derives from (the nearest wins); a field's
    ``Field(description=...)`` comes first. The same reading as pydantic's
    ``use_attribute_docstrings`` (text cleaned by :func:`inspect.cleandoc`), done on demand."""
    docs: dict[str, str] = {}
    for cls in reversed(model.__mro__):
        if issubclass(cls, BaseModel) and cls is not BaseModel:
            docs.update(attribute_docs(cls))
    for name, field in model.model_fields.items():
        if field.description is not None:
            docs[name] = field.description
    return {name: docs[name] for name in model.model_fields if name in docs}


def attribute_docs(cls: type) -> dict[str, str]:
    """The attribute docstrings in the body of ``cls`` itself: name -> text cleaned by
    :func:`inspect.cleandoc` ({} when its source cannot be read). The source file of a class
    defined at module level (or in another class) is parsed once for all its classes."""
    module = sys.modules.get(cls.__module__)
    file = getattr(module, "__file__", None)
    if file and file.endswith(".py") and "<locals>" not in cls.__qualname__:
        return _file_docs(file).get(cls.__qualname__, {})
    try:  # a class made inside a function: its own source
        tree = ast.parse(textwrap.dedent(inspect.getsource(cls)))
    except (OSError, TypeError, SyntaxError):
        return {}
    node = tree.body[0] if tree.body else None
    return _body_docs(node) if isinstance(node, ast.ClassDef) else {}


@functools.cache
def _file_docs(file: str) -> dict[str, dict[str, str]]:
    """Class qualified name -> its attribute docstrings, for the classes of one source file."""
    try:
        with open(file, encoding="utf-8") as f:
            tree = ast.parse(f.read(), file)
    except (OSError, SyntaxError, UnicodeDecodeError):
        return {}
    out: dict[str, dict[str, str]] = {}
    todo = [("", n) for n in tree.body]
    while todo:
        prefix, node = todo.pop()
        if isinstance(node, ast.ClassDef):
            out[prefix + node.name] = _body_docs(node)
            todo += [(f"{prefix}{node.name}.", n) for n in node.body]
    return out


def _body_docs(node: ast.ClassDef) -> dict[str, str]:
    """``name: type [= default]`` followed by a string, in the body of ``node`` (pydantic's
    ``use_attribute_docstrings`` reads the same)."""
    out: dict[str, str] = {}
    for stmt, after in zip(node.body, node.body[1:]):
        if (
            isinstance(stmt, ast.AnnAssign)
            and isinstance(stmt.target, ast.Name)
            and isinstance(after, ast.Expr)
            and isinstance(after.value, ast.Constant)
            and isinstance(after.value.value, str)
        ):
            out[stmt.target.id] = inspect.cleandoc(after.value.value)
    return out


class CsvSeries(Strict):
    csv: str
    """Path of a CSV file (relative to the scenario file), one row per hour of the horizon."""
    column: str | None = None
    """Column to read; may be omitted when the file has one value column."""
    scale: Annotated[float, Field(ge=-MAX_MW, le=MAX_MW)] = 1.0
    """Multiplier applied to every value."""


class GeneratorSeries(BaseModel):
    model_config = ConfigDict(extra="allow", frozen=True, allow_inf_nan=False)
    generator: str
    """Name of a registered generator; the other keys are its parameters."""

    def params(self) -> dict[str, Any]:
        return dict(self.model_extra or {})


Series = float | list[float] | CsvSeries | GeneratorSeries


class Economics(Strict):
    """Investment and fixed costs of an asset; a figure left out takes the technology default
    from ``gridopt/data/costs.py`` (sources there and in docs/assumptions.md)."""

    capex_cny_per_kw: CnyPerKW | None = None
    """Overnight investment per kW of power (charging power for storage) [CNY/kW]."""
    capex_cny_per_kwh: CnyPerKW | None = None
    """Investment per kWh of storage energy [CNY/kWh] (storage only)."""
    capex_cny: Annotated[float, Field(ge=0, le=MAX_CNY)] | None = None
    """Total investment, instead of the per-kW figures (lines use this) [CNY]."""
    fixed_om_cny_per_kw_yr: CnyPerKW | None = None
    """Fixed operation and maintenance per kW and year [CNY/kW/yr]."""
    fixed_om_fraction_per_yr: Annotated[float, Field(ge=0, le=1)] | None = None
    """Fixed operation and maintenance as a share of investment per year [1/yr]."""
    lifetime_yr: Annotated[float, Field(gt=0, le=200)] | None = None
    """Economic lifetime [yr]."""
    source: str = ""
    """Where the figures come from."""
    capital: Literal["sunk", "new"] = "sunk"
    """The existing capacity's investment: ``sunk`` (built: it changes no planning decision, and
    a plan's summary shows it apart from new capital) or ``new`` (committed but still to be
    paid: counted with the plan's new capital). Cost-recovery prices include both."""


def new_capacity_in_order(entry: BaseModel, lower: str, upper: str) -> None:
    """Raise a ValueError naming both fields when the least new capacity a plan must build
    (``lower``) exceeds the most it may build (``upper``; None: no limit)."""
    lo, hi = getattr(entry, lower), getattr(entry, upper)
    if hi is not None and lo > hi:
        raise ValueError(
            f"{lower} ({lo:g}) exceeds {upper} ({hi:g}): the least new capacity must not exceed "
            "the most"
        )
