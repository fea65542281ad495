"""Registry of named hourly-series generators that scenario files can reference.

A scenario field that takes an hourly series may name a generator::

    availability: {generator: solar_simple, peak_pu: 0.8}

Each generator is declared in :data:`DECLARED` (its module and cache policy) and defined by
``@generator(name)`` in that module, which is imported when the generator first runs. The
resolver calls ``GENERATORS["solar_simple"](ctx, params)``, which must return a float
array of length ``len(ctx.hours)``. A generator validates its own parameters and raises
:class:`gridopt.errors.InputError` naming the parameter (``ctx.where`` is the field path to
prefix); the resolver checks length and finiteness.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from importlib import import_module
from pathlib import Path
from typing import Literal

import numpy as np
from pydantic import BaseModel, ConfigDict, ValidationError

from gridopt.data.clock import Hours
from gridopt.errors import InputError, Problem


@dataclass(frozen=True)
class Site:
    """A geographic site [deg, deg, m] in a time zone."""

    name: str
    latitude_deg: float
    longitude_deg: float
    altitude_m: float
    timezone: str = "Asia/Shanghai"


@dataclass(frozen=True)
class GeneratorContext:
    """What a generator may know about the scenario it is filling in.

    hours : the hours of the scenario horizon (:class:`gridopt.data.clock.Hours`; a
        time-zone-aware pandas DatetimeIndex given here is taken as those hours);
        ``ctx.index`` is the same hours as a DatetimeIndex, made (and pandas imported) when a
        generator first reads it
    base_dir : folder of the scenario file (relative file paths are resolved against it)
    sites : named sites from the scenario's ``sites`` section
    where : the field path being filled, for error messages (``"scenario.yaml: renewables.pv.availability"``)
    """

    hours: Hours
    base_dir: Path = Path(".")
    sites: dict[str, Site] = field(default_factory=dict)
    where: str = ""

    def __post_init__(self) -> None:
        if not isinstance(self.hours, Hours):
            object.__setattr__(self, "hours", Hours.of(self.hours))

    @property
    def index(self):
        """The horizon's hours as a time-zone-aware pandas DatetimeIndex."""
        return self.hours.index

    def site(self, name: str) -> Site:
        if name not in self.sites:
            known = ", ".join(sorted(self.sites)) or "none defined"
            raise InputError(
                Problem(f"{self.where}.site", "unknown site", name, f"use one of: {known}")
            )
        return self.sites[name]

    def path(self, p: str | Path) -> Path:
        p = Path(p)
        return p if p.is_absolute() else (self.base_dir / p)


Generator = Callable[[GeneratorContext, dict], np.ndarray]


@dataclass(frozen=True)
class Declared:
    """Where a generator is defined and what its series depends on, known without importing
    its module (so that checking a scenario whose series are cached imports none of them)."""

    module: str
    """The module whose ``@generator(name)`` defines it (imported when the generator runs)."""
    cache: Literal["weather", "parameters"] | None = None
    """What the series depends on besides its parameters and the horizon, for the disk cache
    (:mod:`gridopt.data.cache`): ``weather``, its site when its weather is synthetic (a weather
    file, which may change under the same name, is not cached); ``parameters``, nothing else;
    None, not cached (cheap to compute, or read from a file)."""


DECLARED: dict[str, Declared] = {
    "solar_simple": Declared("gridopt.data.profiles"),
    "wind_simple": Declared("gridopt.data.profiles"),
    "daily_shape": Declared("gridopt.data.profiles"),
    "gansu_tou": Declared("gridopt.data.profiles"),
    "monthly_shape": Declared("gridopt.data.profiles"),
    "solar": Declared("gridopt.data.solar", cache="weather"),
    "wind": Declared("gridopt.data.wind", cache="weather"),
    "aluminium_smelter": Declared("gridopt.data.loads", cache="parameters"),
    "steel_works": Declared("gridopt.data.loads", cache="parameters"),
    "graphitisation": Declared("gridopt.data.loads", cache="parameters"),
    "city_load": Declared("gridopt.data.loads", cache="parameters"),
    "profile_file": Declared("gridopt.data.importer"),
}
"""Every generator a scenario may name: its module and cache policy. The function itself is
registered by ``@generator(name)`` in that module (a name missing here, or declared in
another module, is an error when the module is imported; tests/test_data_generators.py
imports every module and checks both ways)."""

WEATHER_GENERATORS = frozenset(n for n, d in DECLARED.items() if d.cache == "weather")
"""The generators that compute a series from weather (synthetic or a file)."""

_FUNCTIONS: dict[str, Generator] = {}


class _Registry(Mapping):
    """Generator name -> function: the names of :data:`DECLARED`, each function imported from
    its module when first looked up."""

    def __getitem__(self, name: str) -> Generator:
        if name not in _FUNCTIONS:
            import_module(DECLARED[name].module)  # KeyError: not a generator
        return _FUNCTIONS[name]

    def __iter__(self) -> Iterator[str]:
        return iter(DECLARED)

    def __len__(self) -> int:
        return len(DECLARED)


GENERATORS: Mapping[str, Generator] = _Registry()
"""Every generator by name (:data:`DECLARED`); looking one up imports its module."""


def generator(name: str) -> Callable[[Generator], Generator]:
    """Register ``func`` as the generator ``name`` declared in :data:`DECLARED`, so scenario
    files can use ``{generator: name, ...}``."""

    def register(func: Generator) -> Generator:
        declared = DECLARED.get(name)
        if declared is None or declared.module != func.__module__:
            raise ValueError(
                f"generator {name!r} of {func.__module__} is not declared there in "
                "gridopt.data.generators.DECLARED"
            )
        if name in _FUNCTIONS:
            raise ValueError(f"generator {name!r} registered twice")
        _FUNCTIONS[name] = func
        return func

    return register


def cache_key(name: str, ctx: GeneratorContext, params: dict) -> dict | None:
    """What generator ``name``'s series depends on besides its parameters and the horizon
    (:attr:`Declared.cache`), for the disk cache; None: not cached. A weather series on
    synthetic weather depends on its site (None for an unknown site: the generator reports
    it)."""
    cache = DECLARED[name].cache
    if cache == "parameters":
        return {}
    if cache == "weather":
        if params.get("weather", "synthetic") != "synthetic":
            return None
        site = ctx.sites.get(params.get("site"))
        return None if site is None else dataclasses.asdict(site)
    return None


class Params(BaseModel):
    """Base class for generator parameters: strict, unknown keys and non-finite numbers are
    errors; subclasses give each parameter its unit in its name and its range.

    A parameter's docstring (the string under it in the class body) is its description, read
    when asked for by :func:`gridopt.scenario.fields.field_docs` (the docs, a tenant profile's
    messages), not when the class is made: that is a parse of the module's source, about 30 ms
    of every command's start for the generator modules together."""

    model_config = ConfigDict(extra="forbid", frozen=True, allow_inf_nan=False, defer_build=True)


def parse_params(model: type[Params], ctx: GeneratorContext, params: dict) -> Params:
    """Validate ``params`` against ``model``; every problem names the field path, and an
    unknown key lists the valid ones."""
    try:
        return model(**params)
    except ValidationError as exc:
        problems = []
        valid = ", ".join(["generator", *model.model_fields])
        for err in exc.errors():
            loc = ".".join(str(x) for x in err["loc"])
            where = f"{ctx.where}.{loc}" if loc else ctx.where
            if err["type"] == "extra_forbidden":
                problems.append(
                    Problem(
                        where,
                        "unknown parameter",
                        None,
                        f"remove it or correct the spelling; valid keys here: {valid}",
                    )
                )
            elif err["type"] == "missing":
                problems.append(Problem(where, "required parameter is missing", None, "add it"))
            else:
                msg = err["msg"].replace("Value error, ", "")
                if err["type"] == "finite_number":
                    msg = "must be a finite number (not .inf or .nan)"
                problems.append(Problem(where, msg, err.get("input")))
        raise InputError(problems) from None
