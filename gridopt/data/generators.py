"""Registry of named hourly-series generators that scenario files can reference.

A scenario field that takes an hourly series may name a generator::

    availability: {generator: solar_simple, peak_pu: 0.8}

The resolver calls ``GENERATORS["solar_simple"](ctx, params)``, which must return a float
array of length ``len(ctx.hours)``. A generator validates its own parameters and raises
:class:`gridopt.errors.InputError` naming the parameter (``ctx.where`` is the field path to
prefix); the resolver checks length and finiteness.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
from pydantic import BaseModel, ConfigDict, ValidationError

from gridopt.data.clock import Hours
from gridopt.errors import InputError, Problem
from gridopt.scenario.fields import attribute_docs


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
GENERATORS: dict[str, Generator] = {}

CacheKey = Callable[[GeneratorContext, dict], "dict | None"]
CACHE_KEYS: dict[str, CacheKey] = {}
"""Generator name -> what its series depends on besides its parameters and the horizon (None:
not cached), for the disk cache of :mod:`gridopt.data.cache`."""


def generator(name: str, cache_key: CacheKey | None = None) -> Callable[[Generator], Generator]:
    """Register ``func`` under ``name`` so scenario files can use ``{generator: name, ...}``.

    With ``cache_key``, a series that takes long to compute is kept on disk
    (:mod:`gridopt.data.cache`) whenever ``cache_key(ctx, params)`` returns a dict."""

    def register(func: Generator) -> Generator:
        if name in GENERATORS:
            raise ValueError(f"generator {name!r} registered twice")
        GENERATORS[name] = func
        if cache_key is not None:
            CACHE_KEYS[name] = cache_key
        return func

    return register


class Params(BaseModel):
    """Base class for generator parameters: strict, unknown keys and non-finite numbers are
    errors; subclasses give each parameter its unit in its name and its range.

    A parameter's docstring (the string under it in the class body) becomes its
    ``description`` (read when the class is made, one parse per source file:
    :func:`gridopt.scenario.fields.attribute_docs`; pydantic's own ``use_attribute_docstrings``
    costs about 40 ms per class on Python 3.11)."""

    model_config = ConfigDict(extra="forbid", frozen=True, allow_inf_nan=False, defer_build=True)

    @classmethod
    def __pydantic_init_subclass__(cls, **kwargs) -> None:
        super().__pydantic_init_subclass__(**kwargs)
        for name, doc in attribute_docs(cls).items():
            field = cls.model_fields.get(name)
            if field is not None and field.description is None:
                field.description = doc


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
