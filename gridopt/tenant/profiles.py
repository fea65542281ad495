r"""The tenant PROFILE syntax: ``SOURCE[:key=value,...]`` -> a :class:`ProfileSpec`, and the
tenant's hourly profile N_t [MW] on the horizon from it.

SOURCE is a library profile (:data:`LIBRARY`: the load shapes of :mod:`gridopt.data.loads`
and a flat load) or the path of a CSV/Excel file (read by
:func:`gridopt.data.importer.read_profile`). The ``key=value`` list is split and read by
:mod:`gridopt.keyvalue`, the parser every command uses; the keys and their checks are here.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

import numpy as np
import pandas as pd
from pydantic import ConfigDict, Field, ValidationError

from gridopt.data import loads as libloads
from gridopt.data.generators import Params
from gridopt.data.importer import read_profile
from gridopt.errors import InputError, Problem
from gridopt.keyvalue import read_value, split_items, split_pair
from gridopt.model import DECLARATIONS
from gridopt.scenario.fields import field_docs

FILE_SUFFIXES = (".csv", ".txt", ".xlsx", ".xlsm")
"""Suffixes that make SOURCE a file (a path with a folder separator is one as well)."""


class FlatParams(Params):
    """A constant load (data centre, electrolyser at rated power)."""

    model_config = ConfigDict(extra="forbid", frozen=True, use_attribute_docstrings=True)
    p_mw: float = Field(gt=0)
    """Constant power [MW]."""


def _flat(index: pd.DatetimeIndex, p_mw: float) -> pd.Series:
    """A constant load of ``p_mw`` [MW] on ``index``."""
    return pd.Series(np.full(len(index), float(p_mw)), index=index, name="p_mw")


LIBRARY: dict[str, tuple[Callable[..., pd.Series], type[Params]]] = {
    "aluminium_smelter": (libloads.aluminium_smelter, libloads.AluminiumSmelterParams),
    "steel_works": (libloads.steel_works, libloads.SteelWorksParams),
    "graphitisation": (libloads.graphitisation, libloads.GraphitisationParams),
    "city_load": (libloads.city_load, libloads.CityLoadParams),
    "flat": (_flat, FlatParams),
    **{name: entry for family in DECLARATIONS for name, entry in family.profiles.items()},
}
"""Named library profiles: function of (index, **params) -> MW, and its parameter model; the
load shapes of :mod:`gridopt.data.loads`, a flat load, and the profiles each model family
declares (:attr:`gridopt.model.family.Family.profiles`)."""

TENANT_KEYS = ("name", "bus", "flex_band", "window_h")
"""Keys any profile takes: the tenant's name, its bus, its flexibility band [-] and window [h]."""
FILE_KEYS = ("column", "unit", "sheet", "repeat", "scale")
"""Keys of a file profile (see :func:`gridopt.data.importer.read_profile`; scale multiplies)."""

SYNTAX = (
    "write PROFILE as SOURCE[:key=value,...], e.g. aluminium_smelter:capacity_t_per_yr=200000 "
    "or load.xlsx:unit=kW,name=dc_campus"
)


@dataclass(frozen=True)
class ProfileSpec:
    """A parsed PROFILE argument (before the horizon is known).

    text : the argument as given; kind : 'file' or 'library'; source : the file path or the
    library profile name; params : profile parameters (library parameters, or file options);
    name, bus, flex_band [-], window_h [h] : tenant keys (None: the command's default).
    """

    text: str
    kind: Literal["file", "library"]
    source: str
    params: dict[str, Any]
    name: str
    bus: str | None = None
    flex_band: float | None = None
    window_h: int | None = None


def _bad(text: str, message: str, value: object = None, fix: str = "") -> InputError:
    return InputError(Problem(f"profile {text!r}", message, value, fix))


def parse_profile_spec(text: str) -> ProfileSpec:
    """Parse a PROFILE argument: ``SOURCE[:key=value,...]``.

    SOURCE is a library profile name (:data:`LIBRARY`) or the path of a ``.csv``/``.xlsx`` file;
    keys are the tenant keys (:data:`TENANT_KEYS`), plus the library profile's parameters or
    the file options (:data:`FILE_KEYS`). Raises :class:`InputError` naming the bad part and
    the valid choices.
    """
    text = str(text).strip()
    if not text:
        raise _bad(text, "empty profile", fix=SYNTAX)
    skip = 2 if re.match(r"^[A-Za-z]:[\\/]", text) else 0  # Windows drive letter
    if Path(text).is_file():
        source, rest = text, ""
    else:
        cut = text.find(":", skip)
        source, rest = (text, "") if cut < 0 else (text[:cut], text[cut + 1 :])
    source = source.strip()
    is_file = Path(source).suffix.lower() in FILE_SUFFIXES or "/" in source or "\\" in source
    if is_file:
        kind: Literal["file", "library"] = "file"
        profile_keys: tuple[str, ...] = FILE_KEYS
        default_name = (
            re.sub(r"[^\w\-.\u4e00-\u9fff]+", "_", Path(source).stem).strip("_") or "tenant"
        )
    elif source in LIBRARY:
        kind = "library"
        profile_keys = tuple(LIBRARY[source][1].model_fields)
        default_name = source
    else:
        raise _bad(
            text,
            "unknown library profile" if source else "no profile name",
            source,
            "use one of: " + ", ".join(LIBRARY) + "; or a .csv/.xlsx file path",
        )
    params: dict[str, Any] = {}
    if rest.strip():
        for part in split_items(rest):
            pair = split_pair(part)
            if pair is None or not pair[0] or not pair[1]:
                raise _bad(text, "parameter is not key=value", part, SYNTAX)
            key, val = pair
            if key not in TENANT_KEYS and key not in profile_keys:
                raise _bad(
                    text,
                    "unknown parameter",
                    key,
                    "use one of: " + ", ".join(profile_keys + TENANT_KEYS),
                )
            if key in params:
                raise _bad(text, "parameter given twice", key)
            params[key] = read_value(val)
    tenant = {k: params.pop(k) for k in TENANT_KEYS if k in params}
    name = str(tenant.get("name", default_name))
    if not re.fullmatch(r"[\w\-.\u4e00-\u9fff]+", name):
        raise _bad(text, "tenant name must be letters, digits, _ - . or Chinese characters", name)
    band = tenant.get("flex_band")
    if band is not None and (
        isinstance(band, bool) or not isinstance(band, (int, float)) or not 0 <= band < 1
    ):
        raise _bad(
            text,
            "flex_band must be a number from 0 to below 1 (a share, e.g. 0.1 for +-10 %)",
            band,
        )
    window = tenant.get("window_h")
    if window is not None and (
        isinstance(window, bool) or not isinstance(window, int) or window < 1
    ):
        raise _bad(text, "window_h must be a whole number of hours >= 1", window)
    if kind == "library":
        model = LIBRARY[source][1]
        missing = [k for k, f in model.model_fields.items() if f.is_required() and k not in params]
        if missing:
            raise _bad(
                text,
                "missing parameter",
                missing[0],
                f"{field_docs(model).get(missing[0], '')} e.g. {source}:{missing[0]}=...".strip(),
            )
        try:
            model(**params)
        except ValidationError as exc:
            err = exc.errors()[0]
            loc = ".".join(str(x) for x in err["loc"])
            raise _bad(
                text,
                f"parameter {loc}: {err['msg']}",
                err.get("input"),
                field_docs(model).get(loc, ""),
            ) from None
    else:
        scale = params.get("scale", 1.0)
        if isinstance(scale, bool) or not isinstance(scale, (int, float)) or scale <= 0:
            raise _bad(text, "scale must be a number > 0", scale)
    return ProfileSpec(
        text,
        kind,
        source,
        params,
        name,
        None if tenant.get("bus") is None else str(tenant["bus"]),
        None if band is None else float(band),
        window,
    )


def profile_mw(spec: ProfileSpec, index: pd.DatetimeIndex) -> np.ndarray:
    """The tenant's hourly profile N_t on ``index`` [MW].

    A file is read with :func:`gridopt.data.importer.read_profile` (row-level errors), then
    multiplied by ``scale``; a library profile is its function evaluated on ``index``.
    """
    if spec.kind == "file":
        opts = {k: v for k, v in spec.params.items() if k in ("column", "unit", "sheet", "repeat")}
        opts = {k: str(v) for k, v in opts.items()}
        s = read_profile(spec.source, index, **opts)
        return s.to_numpy(dtype=float) * float(spec.params.get("scale", 1.0))
    func, model = LIBRARY[spec.source]
    p = model(**spec.params)
    try:
        return func(index, **p.model_dump(exclude_none=True)).to_numpy(dtype=float)
    except ValueError as exc:
        raise _bad(spec.text, str(exc), fix="see the parameters in docs/data_loads.md") from None
