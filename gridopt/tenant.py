r"""Tenant evaluation (用户评估, 招商引资): what a prospective factory would pay, how much otherwise
curtailed wind and PV it would use (消纳), and what its arrival changes for the grid.

Pipeline: scenario -> input Dataset -> base model built and solved once (the HiGHS instance is
kept) -> for each tenant, the case with its load added at its bus, re-solved warm from the
base basis -> figures. A fixed tenant raises the right-hand side of its bus's ``bus_balance``
rows; a flexible tenant adds one column per hour (its deviation from the profile) and one
row per window (energy kept) to the same HiGHS instance, which are removed again afterwards.
``method="rebuild"`` instead adds the tenant to the input Dataset (a fixed load, or a
flexible load like ``flexible_loads`` in the scenario) and builds and solves a new model: the
same LP, used to cross-check the warm path and to time it.

Nomenclature (every step is one hour, so MW summed over the hours is MWh)
-------------------------------------------------------------------------
t          hour of the horizon, H hours in all; b the tenant's bus
N_t        tenant profile [MW]
beta       flexibility band [-]; window_h the energy window [h]
x_t        tenant consumption in the solved case [MW]:
           (1 - beta) N_t <= x_t <= (1 + beta) N_t, and sum_{t in w} x_t = sum_{t in w} N_t for
           each window w of window_h consecutive hours from the start (the last may be shorter);
           beta = 0 gives x = N (a fixed tenant)
E          tenant energy = sum_t x_t = sum_t N_t [MWh]
C0, C1     total system cost = objective without / with the tenant: fuel, VOM, carbon, start-ups,
           imports minus exports, flexible-load shift, interruption, and the slack penalties
           (unserved energy at VOLL, dumped excess) [CNY]; without the tie-break cost on lossy
           line flows, which nobody pays (:func:`operating_cost_cny`)
l0, l1     marginal price at bus b (dual of its energy balance) without / with the tenant [CNY/MWh]
R0_t, R1_t renewable output used, all plants [MW]; K0, K1 curtailment [MWh]

Figures (keys of ``tenant.json``)
---------------------------------
incremental_cost_cny_per_mwh          IC = (C1 - C0) / E. The lowest energy price that leaves
                                      every other user whole (short run: the build-out is fixed).
marginal_weighted_price_cny_per_mwh   MWP = sum_t l1_t x_t / E: what the tenant would pay at the
                                      with-tenant marginal prices of its bus
                                      (``..._base_cny_per_mwh``: the same with l0).
delivered_price_cny_per_kwh           P = IC / 1000 + network charge + funds [CNY/kWh], next to
                                      the coal benchmark and the provincial tariff.
absorbed_curtailment_mwh              A = K0 - K1: curtailment avoided because of the tenant.
green_share                           G = sum_t min(x_t, max(R1_t - R0_t, 0)) / E: in each hour,
                                      the share of the tenant's consumption met by renewable
                                      output that would otherwise have been curtailed (matched
                                      hour by hour, never across hours), energy-weighted.
green_share_grid_mix                  sum_t x_t s_t / E with s_t = R1_t / (R1_t + thermal_t +
                                      import_t): the hour's renewable share of supply (attributional).
unserved_energy_mwh, fits             U = unserved(with) - unserved(base) [MWh]; fits = U <= tol.
flexibility_curve                     IC at bands 0, 5, 10, 20 % (and the tenant's own band).

Flexibility never raises the incremental cost: the LP at a wider band contains every solution
of a narrower one (x stays feasible: the bands are nested and the window energies equal), the
bands are solved from narrow to wide, each warm from the previous optimum, and a reported
cost is the smallest found at that band or any narrower one (a narrower optimum is a feasible
point of the wider LP, so this only removes solver tolerance noise).
"""

from __future__ import annotations

import math
import re
import time
import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

import numpy as np
import pandas as pd
import xarray as xr
from pydantic import ConfigDict, Field, ValidationError

from gridopt import results as res
from gridopt.data import loads as libloads
from gridopt.data.generators import Params
from gridopt.data.importer import read_profile
from gridopt.errors import GridoptError, InputError, Problem, SolveError
from gridopt.io import atomic_write, write_json
from gridopt.model import build
from gridopt.model.network import lossy_flow_cost_cny_per_mwh
from gridopt.prices import json_safe, year_fraction
from gridopt.report import check_lang
from gridopt.solve import Solution, resolve, solve

Progress = Callable[[str], None]

FLEX_BANDS: tuple[float, ...] = (0.0, 0.05, 0.10, 0.20)
"""Bands of the flexibility value curve [-]."""
DEFAULT_WINDOW_H = 24
"""Default energy window of a flexible tenant [h]: energy made up within a day (DOMAIN.md)."""
HOURS_PER_YEAR = 8760.0
KWH_PER_MWH = 1000.0
FILE_SUFFIXES = (".csv", ".txt", ".xlsx", ".xlsm")
NON_INDUSTRIAL = ("city", "residential", "urban", "household", "城市", "居民", "城区")
"""A fixed load whose name contains one of these is not an industrial load (default bus)."""
STABLE_KEYS = (
    "name",
    "bus",
    "energy_mwh",
    "incremental_cost_cny_per_mwh",
    "marginal_weighted_price_cny_per_mwh",
    "delivered_price_cny_per_kwh",
    "green_share",
    "absorbed_curtailment_mwh",
    "unserved_energy_mwh",
    "fits",
    "flexibility_curve",
)
"""Keys every tenant in ``tenant.json`` has (scripts may rely on them)."""


# --------------------------------------------------------------------------------------------
# Profiles: "SOURCE[:key=value,...]"
# --------------------------------------------------------------------------------------------


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
}
"""Named library profiles: function of (index, **params) -> MW, and its parameter model."""

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


def _split_params(text: str) -> list[str]:
    """Split ``a=1,b=[8,20]`` on the commas outside brackets."""
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


def _value(text: str) -> Any:
    """'200000' -> 200000, '2e5' -> 200000.0, 'true' -> True, '[8,20]' -> [8, 20], else text."""
    t = text.strip()
    if t.lower() in ("true", "false"):
        return t.lower() == "true"
    for cast in (int, float):
        try:
            return cast(t)
        except ValueError:
            pass
    if t[:1] in "[(" and t[-1:] in "])":
        return [_value(x) for x in _split_params(t[1:-1]) if x]
    return t


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
        for part in _split_params(rest):
            key, eq, val = part.partition("=")
            key = key.strip()
            if not eq or not key or not val.strip():
                raise _bad(text, "parameter is not key=value", part, SYNTAX)
            if key not in TENANT_KEYS and key not in profile_keys:
                raise _bad(
                    text,
                    "unknown parameter",
                    key,
                    "use one of: " + ", ".join(profile_keys + TENANT_KEYS),
                )
            if key in params:
                raise _bad(text, "parameter given twice", key)
            params[key] = _value(val)
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
            f = model.model_fields[missing[0]]
            raise _bad(
                text,
                "missing parameter",
                missing[0],
                f"{f.description or ''} e.g. {source}:{missing[0]}=...".strip(),
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
                (model.model_fields[loc].description or "") if loc in model.model_fields else "",
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


# --------------------------------------------------------------------------------------------
# Tenants and the input Dataset
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Tenant:
    """A prospective load: name, bus, profile N_t [MW] on the horizon, band beta [-], window [h]."""

    name: str
    bus: str
    p_mw: np.ndarray
    flex_band: float = 0.0
    window_h: int = DEFAULT_WINDOW_H
    source: str = ""

    def check(self, ds: xr.Dataset) -> None:
        """Raise :class:`InputError` unless the tenant fits the Dataset's buses and horizon."""
        buses = [str(b) for b in ds.bus.values]
        if self.bus not in buses:
            raise InputError(
                Problem(
                    f"tenant {self.name}: bus",
                    "unknown bus",
                    self.bus,
                    "use one of: " + ", ".join(buses),
                )
            )
        p = np.asarray(self.p_mw, float)
        if p.shape != (ds.sizes["time"],):
            raise InputError(
                Problem(
                    f"tenant {self.name}",
                    f"profile has {p.size} values",
                    p.size,
                    f"give one per hour of the horizon ({ds.sizes['time']})",
                )
            )
        if not np.all(np.isfinite(p)) or p.min() < 0:
            raise InputError(
                Problem(f"tenant {self.name}", "profile values must be finite and >= 0")
            )
        if p.sum() <= 0:
            raise InputError(
                Problem(
                    f"tenant {self.name}",
                    "profile has no energy over the horizon",
                    fix="check its parameters or file",
                )
            )
        if not 0 <= self.flex_band < 1:
            raise InputError(
                Problem(
                    f"tenant {self.name}: flex_band", "must be from 0 to below 1", self.flex_band
                )
            )
        if int(self.window_h) < 1:
            raise InputError(
                Problem(f"tenant {self.name}: window_h", "must be >= 1 h", self.window_h)
            )


def default_bus(ds: xr.Dataset) -> tuple[str, str]:
    """Bus of the scenario's largest industrial load by energy over the horizon, and its name.

    Industrial loads: flexible loads, interruptible loads and fixed loads whose name does not
    contain a word of :data:`NON_INDUSTRIAL` (city, residential, ...). Raises InputError when
    the scenario has none.
    """
    cands: list[tuple[float, str, str]] = []
    for dim, var, busvar in (
        ("flex", "flex_p_nominal_mw", "flex_bus"),
        ("intr", "intr_p_mw", "intr_bus"),
        ("load", "load_p_mw", "load_bus"),
    ):
        for j, name in enumerate(ds[dim].values):
            if dim == "load" and any(w in str(name).lower() for w in NON_INDUSTRIAL):
                continue
            cands.append((float(ds[var].values[:, j].sum()), str(name), str(ds[busvar].values[j])))
    if not cands:
        raise InputError(
            Problem(
                "--bus",
                "the scenario has no industrial load to place the tenant beside",
                fix="give --bus, one of: " + ", ".join(str(b) for b in ds.bus.values),
            )
        )
    _, name, bus = max(cands, key=lambda c: c[0])
    return bus, name


def _append(ds: xr.Dataset, dim: str, label: str, values: dict[str, Any]) -> xr.Dataset:
    """``ds`` with one more asset ``label`` along ``dim``; ``values`` gives every variable on that
    dim its value for the new asset (shaped like the variable without ``dim``)."""
    if label in [str(x) for x in ds[dim].values]:
        raise ValueError(f"{dim} {label!r} already exists")
    out = ds.drop_dims(dim).assign_coords({dim: np.append(ds[dim].values.astype(str), label)})
    for name, var in ds.data_vars.items():
        if dim not in var.dims:
            continue
        if name not in values:
            raise ValueError(f"no value for {name} of the new {dim} {label!r}")
        ax = var.dims.index(dim)
        new = np.expand_dims(np.asarray(values[name]), ax)
        out[name] = xr.DataArray(
            np.concatenate([var.values, new], axis=ax), dims=var.dims, attrs=var.attrs
        )
    out.attrs = dict(ds.attrs)
    return out


def with_fixed_load(ds: xr.Dataset, name: str, bus: str, p_mw: np.ndarray) -> xr.Dataset:
    """The input Dataset with a fixed load ``tenant:<name>`` of ``p_mw`` [MW] at ``bus``."""
    return _append(
        ds, "load", f"tenant:{name}", {"load_bus": bus, "load_p_mw": np.asarray(p_mw, float)}
    )


def with_flexible_load(
    ds: xr.Dataset, name: str, bus: str, p_nominal_mw: np.ndarray, band: float, window_h: int
) -> xr.Dataset:
    """The input Dataset with a flexible load ``tenant:<name>`` at ``bus``: nominal ``p_nominal_mw``
    [MW], band +-``band`` [-], energy kept per ``window_h`` [h], no ramp limit, no shift cost."""
    return _append(
        ds,
        "flex",
        f"tenant:{name}",
        {
            "flex_bus": bus,
            "flex_p_nominal_mw": np.asarray(p_nominal_mw, float),
            "flex_band_down_fraction": float(band),
            "flex_band_up_fraction": float(band),
            "flex_window_h": int(window_h),
            "flex_ramp_fraction_per_h": np.nan,
            "flex_shift_cost_cny_per_mwh": 0.0,
        },
    )


def windows(T: int, window_h: int) -> list[range]:
    """Consecutive windows of ``window_h`` hours from the start (the last may be shorter)."""
    return [range(s, min(s + window_h, T)) for s in range(0, T, window_h)]


# --------------------------------------------------------------------------------------------
# Solving: the base once, then each tenant warm (or rebuilt)
# --------------------------------------------------------------------------------------------


@dataclass
class _Case:
    """One solved case: solution, tenant consumption x_t [MW], and the Dataset to extract with."""

    band: float
    sol: Solution
    x_mw: np.ndarray
    ds: xr.Dataset
    seconds: float


class _Warm:
    """The base HiGHS instance, and adding/removing a tenant on it.

    Rows of ``bus_balance`` are ordered [bus, hour]: row = start + i*T + t.
    """

    def __init__(self, sol0: Solution, T: int, nb: int):
        self.sol0, self.h, self.T = sol0, sol0.highs, T
        sl = sol0.row_slices["bus_balance"]
        if sl.stop - sl.start != nb * T:
            raise GridoptError(
                f"bus_balance has {sl.stop - sl.start} rows, expected buses x hours = {nb * T}"
            )
        self.start = sl.start
        lp = self.h.getLp()
        self.rhs = np.asarray(lp.row_lower_, float)[
            sl.start : sl.stop
        ].copy()  # lower == upper: equalities

    def rows(self, i: int) -> np.ndarray:
        return (self.start + i * self.T + np.arange(self.T)).astype(np.int32)

    def set_load(self, i: int, p_mw: np.ndarray) -> None:
        """Balance rows of bus i: demand = base demand + p_mw."""
        idx = self.rows(i)
        rhs = self.rhs[i * self.T : (i + 1) * self.T] + np.asarray(p_mw, float)
        self.h.changeRowsBounds(self.T, idx, rhs, rhs)

    def add_deviation(self, i: int, window_h: int) -> tuple[np.ndarray, np.ndarray]:
        """Add columns d_t (coefficient -1 in bus i's balance rows, bounds 0 for now) and rows
        sum_{t in w} d_t = 0; returns (column indices, row indices)."""
        T = self.T
        c0, r0 = self.h.getNumCol(), self.h.getNumRow()
        self.h.addCols(
            T,
            np.zeros(T),
            np.zeros(T),
            np.zeros(T),
            T,
            np.arange(T, dtype=np.int32),
            self.rows(i),
            -np.ones(T),
        )
        cols = np.arange(c0, c0 + T, dtype=np.int32)
        ws = windows(T, window_h)
        starts = np.cumsum([0] + [len(w) for w in ws[:-1]]).astype(np.int32)
        idx = np.concatenate([cols[list(w)] for w in ws]).astype(np.int32)
        self.h.addRows(len(ws), np.zeros(len(ws)), np.zeros(len(ws)), T, starts, idx, np.ones(T))
        return cols, np.arange(r0, r0 + len(ws), dtype=np.int32)

    def remove(self, cols: np.ndarray, rows: np.ndarray) -> None:
        self.h.deleteRows(len(rows), rows)
        self.h.deleteCols(len(cols), cols)


def _solve_cases(
    ds: xr.Dataset,
    tenant: Tenant,
    bands: list[float],
    bus_i: int,
    warm: _Warm | None,
    options: dict | None,
    progress: Progress,
) -> list[_Case]:
    """Solve the tenant at each band (increasing), warm on the base instance or rebuilt."""
    p = np.asarray(tenant.p_mw, float)
    cases: list[_Case] = []
    label = f"tenant {tenant.name}"
    if warm is not None:
        cols = rows = None
        try:
            warm.set_load(bus_i, p)
            for band in bands:
                t0 = time.perf_counter()
                if band > 0 and cols is None:
                    cols, rows = warm.add_deviation(bus_i, tenant.window_h)
                if cols is not None:
                    warm.h.changeColsBounds(len(cols), cols, -band * p, band * p)
                sol = resolve(warm.sol0, name=f"{label}, band {band:g}")
                x = p + (sol.x[cols] if cols is not None else 0.0)
                cases.append(_Case(band, sol, x, ds, time.perf_counter() - t0))
                progress(
                    f"  {tenant.name}: band {band:.0%} solved warm in {cases[-1].seconds:.2f} s "
                    f"({sol.iterations} iterations), cost {sol.objective:,.0f} CNY"
                )
        finally:  # back to the base model for the next tenant
            if cols is not None:
                warm.remove(cols, rows)
            warm.set_load(bus_i, np.zeros_like(p))
        return cases
    for band in bands:
        t0 = time.perf_counter()
        if band == 0:
            dsm = with_fixed_load(ds, tenant.name, tenant.bus, p)
        else:
            dsm = with_flexible_load(ds, tenant.name, tenant.bus, p, band, tenant.window_h)
        bm = build(dsm)
        sol = solve(bm.m, options, name=f"{label}, band {band:g}", explain=bm.explain)
        x = p if band == 0 else sol.value("flex_p", (dsm.sizes["flex"], ds.sizes["time"]))[-1]
        cases.append(_Case(band, sol, x, dsm, time.perf_counter() - t0))
        progress(
            f"  {tenant.name}: band {band:.0%} rebuilt and solved in {cases[-1].seconds:.2f} s, "
            f"cost {sol.objective:,.0f} CNY"
        )
    return cases


# --------------------------------------------------------------------------------------------
# Figures
# --------------------------------------------------------------------------------------------


def operating_cost_cny(ds: xr.Dataset, sol: Solution) -> float:
    """C of a solved case [CNY]: the solver's objective without the tie-break cost on lossy
    line flows (:func:`gridopt.model.network.lossy_flow_cost_cny_per_mwh` x the MWh sent both
    ways on lossy lines), as ``objective_cny`` of :func:`gridopt.results.extract`: the tie-break
    only makes losses unique, nobody pays it."""
    n = int((ds["line_loss_factor"].values > 0).sum())
    if n == 0:
        return float(sol.objective)
    T = ds.sizes["time"]
    sent = sol.value("line_flow_fwd", (n, T)).sum() + sol.value("line_flow_rev", (n, T)).sum()
    return float(sol.objective) - lossy_flow_cost_cny_per_mwh(ds) * float(sent)


def _sum_t(r: xr.Dataset, var: str) -> np.ndarray:
    """Sum over the asset dim of an hourly results variable [MW] per hour."""
    v = r[var].values
    return v.sum(axis=1) if v.ndim == 2 else v


def figures(
    ds: xr.Dataset,
    r0: xr.Dataset,
    r1: xr.Dataset,
    tenant: Tenant,
    x_mw: np.ndarray,
    c0: float,
    c1: float,
) -> dict[str, Any]:
    """Every figure of one tenant from the base results ``r0``, the with-tenant results ``r1``,
    its consumption ``x_mw`` [MW] and the two costs ``c0``, ``c1`` [CNY] (see the module doc)."""
    x = np.asarray(x_mw, float)
    E = float(x.sum())
    b = [str(v) for v in ds.bus.values].index(tenant.bus)
    l0, l1 = r0["price_cny_per_mwh"].values[:, b], r1["price_cny_per_mwh"].values[:, b]
    ic = (c1 - c0) / E
    re0, re1 = _sum_t(r0, "renewable_p_mw"), _sum_t(r1, "renewable_p_mw")
    green = float(np.minimum(x, np.maximum(re1 - re0, 0.0)).sum() / E)
    supply = re1 + _sum_t(r1, "thermal_p_mw") + _sum_t(r1, "tie_import_mw")
    mix = np.divide(re1, supply, out=np.zeros_like(re1), where=supply > 0)
    k0, k1 = (
        float(r0["renewable_curtailment_mw"].sum()),
        float(r1["renewable_curtailment_mw"].sum()),
    )
    u = _sum_t(r1, "bus_unserved_mw") - _sum_t(r0, "bus_unserved_mw")
    unserved = float(u.sum())
    fits = unserved <= max(1e-3, 1e-6 * E)
    coal = ds["thermal_fuel"].values == "coal"
    th0, th1 = r0["thermal_p_mw"].values, r1["thermal_p_mw"].values
    co2 = ds["thermal_co2_t_per_mwh"].values
    d_em = float(((th1 - th0) * co2).sum())
    cons0 = res.consumption_by_bus(r0).values  # existing loads, base schedule [MW] (time, bus)
    w = float(cons0.sum())
    dprice = r1["price_cny_per_mwh"].values - r0["price_cny_per_mwh"].values
    imp0, imp1 = _sum_t(r0, "tie_import_mw"), _sum_t(r1, "tie_import_mw")
    thr0, thr1 = float(r0["storage_discharge_mw"].sum()), float(r1["storage_discharge_mw"].sum())
    e_store = float(ds["storage_e_max_mwh"].sum())
    net = float(ds["tariff_network_charge_cny_per_kwh"]) + float(ds["tariff_funds_cny_per_kwh"])
    setters = r1["price_setter"].values[:, b]
    share: dict[str, float] = {}
    for s, xv in zip(setters, x):
        share[str(s)] = share.get(str(s), 0.0) + float(xv) / E
    H = len(x)
    return {
        "name": tenant.name,
        "source": tenant.source,
        "bus": tenant.bus,
        "flex_band": float(tenant.flex_band),
        "window_h": int(tenant.window_h),
        "energy_mwh": E,
        "annual_energy_mwh": E / year_fraction(r0),
        "mean_mw": E / H,
        "peak_mw": float(np.asarray(tenant.p_mw).max()),
        "delta_cost_cny": c1 - c0,
        "incremental_cost_cny_per_mwh": ic,
        "marginal_weighted_price_cny_per_mwh": float((l1 * x).sum() / E),
        "marginal_weighted_price_base_cny_per_mwh": float((l0 * x).sum() / E),
        "delivered_price_cny_per_kwh": ic / KWH_PER_MWH + net,
        "delivered_price_marginal_cny_per_kwh": float((l1 * x).sum() / E) / KWH_PER_MWH + net,
        "benchmark_cny_per_kwh": float(ds["tariff_benchmark_cny_per_kwh"]),
        "provincial_tariff_cny_per_kwh": float(ds["tariff_provincial_cny_per_kwh"]),
        "saving_vs_provincial_cny_per_kwh": float(ds["tariff_provincial_cny_per_kwh"])
        - (ic / KWH_PER_MWH + net),
        "green_share": green,
        "green_share_grid_mix": float((x * mix).sum() / E),
        "absorbed_curtailment_mwh": k0 - k1,
        "unserved_energy_mwh": max(unserved, 0.0),
        "peak_unserved_mw": float(max(u.max(), 0.0)),
        "fits": bool(fits),
        "delta_coal_mwh": float((th1 - th0)[:, coal].sum()),
        "delta_thermal_mwh": float((th1 - th0).sum()),
        "delta_emissions_t": d_em,
        "emissions_intensity_t_per_mwh": d_em / E,
        "existing_loads_price_change_cny_per_mwh": float((dprice * cons0).sum() / w)
        if w > 0
        else 0.0,
        "existing_loads_bill_change_cny": float((dprice * cons0).sum()),
        "peak_import_mw": float(imp1.max()) if imp1.size else 0.0,
        "delta_peak_import_mw": float(imp1.max() - imp0.max()) if imp1.size else 0.0,
        "delta_import_mwh": float(imp1.sum() - imp0.sum()),
        "delta_export_mwh": float(
            _sum_t(r1, "tie_export_mw").sum() - _sum_t(r0, "tie_export_mw").sum()
        ),
        "delta_storage_throughput_mwh": thr1 - thr0,
        "delta_storage_cycles": (thr1 - thr0) / e_store if e_store > 0 else 0.0,
        "price_setters": dict(sorted(share.items(), key=lambda kv: -kv[1])),
    }


def _band_key(band: float) -> str:
    return f"{band:g}"


@dataclass
class TenantResult:
    """Figures of one tenant (``figures``: the ``tenant.json`` entry), the with-tenant results
    Dataset at its declared band, and its consumption schedule [MW]."""

    figures: dict[str, Any]
    results: xr.Dataset
    x_mw: np.ndarray


@dataclass
class TenantStudy:
    """All tenants of one scenario: ``to_dict()`` is the content of ``tenant.json``."""

    header: dict[str, Any]
    base: dict[str, Any]
    tenants: list[TenantResult] = field(default_factory=list)
    base_results: xr.Dataset | None = None

    def ranked(self) -> list[dict[str, Any]]:
        """Tenant figures by rank: those that fit first, then the lowest delivered price, then
        the highest green share."""
        return sorted((t.figures for t in self.tenants), key=lambda f: f["rank"])

    def to_dict(self) -> dict[str, Any]:
        return json_safe(
            {
                **self.header,
                "base": self.base,
                "ranking": [f["name"] for f in self.ranked()],
                "tenants": [t.figures for t in self.tenants],
            }
        )


def evaluate(
    ds: xr.Dataset,
    tenants: Sequence[Tenant],
    *,
    bands: Sequence[float] = FLEX_BANDS,
    solver_options: dict | None = None,
    method: Literal["warm", "rebuild"] = "warm",
    progress: Progress = lambda s: None,
) -> TenantStudy:
    """Evaluate each tenant against the base case of the input Dataset ``ds``.

    The base is built and solved once; each tenant is solved at every band of ``bands`` and at
    its own band, narrow to wide (``method='warm'``: on the base HiGHS instance; ``'rebuild'``:
    a new model each time). Raises SolveError if any case is not solved to optimality.
    """
    if method not in ("warm", "rebuild"):
        raise ValueError(f"method must be 'warm' or 'rebuild', got {method!r}")
    names = [t.name for t in tenants]
    if len(set(names)) != len(names):
        raise InputError(
            Problem("tenants", "two tenants have the same name", names, "give each a name=...")
        )
    for t in tenants:
        t.check(ds)
    T, nb = ds.sizes["time"], ds.sizes["bus"]
    timings: dict[str, float] = {}
    t0 = time.perf_counter()
    progress(f"building the base model ({T} hours)")
    b = build(ds)
    timings["build"] = time.perf_counter() - t0
    sol0 = solve(
        b.m,
        solver_options,
        name=str(ds.attrs.get("scenario")),
        keep=method == "warm",
        explain=b.explain,
    )
    timings["base_solve"] = sol0.timings_s["handoff"] + sol0.timings_s["solve"]
    progress(f"base case solved: {sol0.status}, cost {sol0.objective:,.0f} CNY")
    r0 = res.extract(ds, sol0)
    c0 = operating_cost_cny(ds, sol0)
    warm = _Warm(sol0, T, nb) if method == "warm" else None
    study = TenantStudy(
        header={
            "scenario": ds.attrs.get("scenario"),
            "scenario_file": ds.attrs.get("scenario_file"),
            "scenario_sha256": ds.attrs.get("scenario_sha256"),
            "inputs_sha256": ds.attrs.get("inputs_sha256"),
            "hours": int(T),
            "start": str(pd.Timestamp(ds.time.values[0])),
            "timezone": ds.attrs.get("timezone"),
            "solver_status": sol0.status,
            "method": method,
            "flex_bands": [float(x) for x in sorted(set(bands) | {0.0})],
            "tariffs_cny_per_kwh": {
                k: float(ds[f"tariff_{k}_cny_per_kwh"])
                for k in ("network_charge", "funds", "benchmark", "provincial")
            },
            "annualisation": (
                None
                if T >= HOURS_PER_YEAR
                else f"per-year figures (annual_energy_mwh, saving_cny_per_yr) scale the {T}-hour horizon "
                f"by 8760/{T} = {HOURS_PER_YEAR / T:.3f}: they assume the whole year is like these hours"
            ),
            "timings_s": timings,
        },
        base={
            "objective_cny": c0,
            "unserved_energy_mwh": float(r0["bus_unserved_mw"].sum()),
            "curtailment_mwh": float(r0["renewable_curtailment_mw"].sum()),
            "emissions_t": float((r0["thermal_p_mw"] * r0["thermal_co2_t_per_mwh"]).sum()),
            "peak_import_mw": float(_sum_t(r0, "tie_import_mw").max()) if ds.sizes["tie"] else 0.0,
        },
        base_results=r0,
    )
    for k, tenant in enumerate(tenants, start=1):
        progress(
            f"tenant {k}/{len(tenants)}: {tenant.name} at {tenant.bus}, {float(np.sum(tenant.p_mw)):,.0f} MWh"
        )
        tb = sorted(set(float(x) for x in bands) | {0.0, float(tenant.flex_band)})
        bus_i = [str(v) for v in ds.bus.values].index(tenant.bus)
        t1 = time.perf_counter()
        cases = _solve_cases(ds, tenant, tb, bus_i, warm, solver_options, progress)
        timings[f"tenant:{tenant.name}"] = time.perf_counter() - t1
        cost, best = {}, math.inf
        for c in cases:  # a wider band contains the narrower optimum: never report more
            best = min(best, operating_cost_cny(c.ds, c.sol))
            cost[c.band] = best
        E = float(np.sum(tenant.p_mw))
        own = next(c for c in cases if c.band == float(tenant.flex_band))
        ds1 = with_fixed_load(ds, tenant.name, tenant.bus, own.x_mw) if method == "warm" else own.ds
        r1 = res.extract(ds1, own.sol)
        f = figures(ds, r0, r1, tenant, own.x_mw, c0, cost[own.band])
        ic = {band: (cost[band] - c0) / E for band in tb}
        f["flexibility_curve"] = {_band_key(band): ic[band] for band in tb}
        f["flexibility_value"] = [
            {
                "band": band,
                "incremental_cost_cny_per_mwh": ic[band],
                "saving_cny_per_mwh": ic[0.0] - ic[band],
                "saving_cny_per_yr": (ic[0.0] - ic[band]) * E / year_fraction(r0),
            }
            for band in tb
        ]
        f["solves"] = [
            {
                "band": c.band,
                "objective_cny": operating_cost_cny(c.ds, c.sol),
                "iterations": c.sol.iterations,
                "seconds": c.seconds,
            }
            for c in cases
        ]
        study.tenants.append(TenantResult(f, r1, own.x_mw))
        verdict = (
            "fits" if f["fits"] else f"DOES NOT FIT ({f['unserved_energy_mwh']:,.1f} MWh unserved)"
        )
        progress(
            f"  {tenant.name}: incremental cost {f['incremental_cost_cny_per_mwh']:,.1f} CNY/MWh, "
            f"green share {f['green_share']:.0%}, {verdict}"
        )
    order = sorted(
        study.tenants,
        key=lambda t: (
            not t.figures["fits"],
            t.figures["delivered_price_cny_per_kwh"],
            -t.figures["green_share"],
        ),
    )
    for rank, t in enumerate(order, start=1):
        t.figures["rank"] = rank
    return study


def evaluate_scenario(
    path: str | Path,
    profiles: Sequence[str],
    *,
    bus: str | None = None,
    flex_band: float = 0.0,
    window_h: int = DEFAULT_WINDOW_H,
    hours: int | None = None,
    bands: Sequence[float] = FLEX_BANDS,
    solver_options: dict | None = None,
    method: Literal["warm", "rebuild"] = "warm",
    progress: Progress = lambda s: None,
) -> TenantStudy:
    """Load the scenario at ``path``, read each PROFILE (see :func:`parse_profile_spec`) and
    evaluate the tenants. Bad input raises :class:`InputError` before any solving: profile
    syntax first, then buses, then the profile files, then the scenario's series."""
    from gridopt.inputs import build_inputs, load_inputs, time_index
    from gridopt.scenario.load import load_scenario

    if not profiles:
        raise InputError(Problem("PROFILE", "no profile given", fix=SYNTAX))
    specs = [parse_profile_spec(p) for p in profiles]
    if not 0 <= flex_band < 1:
        raise InputError(
            Problem("--flex-band", "must be from 0 to below 1 (a share: 0.1 is +-10 %)", flex_band)
        )
    try:
        ls = load_scenario(path)
    except InputError:
        load_inputs(path, hours)  # reports schema and series problems together
        raise
    buses = list(ls.scenario.buses)
    for where, b in [("--bus", bus)] + [(f"profile {s.text!r}: bus", s.bus) for s in specs]:
        if b is not None and b not in buses:
            raise InputError(Problem(where, "unknown bus", b, "use one of: " + ", ".join(buses)))
    index = time_index(ls, hours)
    progress(f"reading {len(specs)} profile(s)")
    curves = [profile_mw(s, index) for s in specs]
    progress(f"resolving the inputs of {path}")
    ds = build_inputs(ls, hours)
    default = bus
    if bus is None and any(s.bus is None for s in specs):
        default, load = default_bus(ds)
        progress(
            f"tenant bus {default}: bus of the largest industrial load ({load}); --bus to change"
        )
    names: dict[str, int] = {}
    tenants = []
    for s, p in zip(specs, curves):
        n = names[s.name] = names.get(s.name, 0) + 1
        name = s.name if n == 1 else f"{s.name}_{n}"
        tenants.append(
            Tenant(
                name,
                s.bus or str(default),
                p,
                flex_band if s.flex_band is None else s.flex_band,
                window_h if s.window_h is None else s.window_h,
                s.text,
            )
        )
    options = {**ls.scenario.solver.options, **(solver_options or {})}
    try:
        return evaluate(
            ds, tenants, bands=bands, solver_options=options, method=method, progress=progress
        )
    except SolveError as exc:
        raise SolveError(f"{path}: {exc}") from None


# --------------------------------------------------------------------------------------------
# Output: tenant.json, tenant.csv, a DataFrame for the report, the printed table
# --------------------------------------------------------------------------------------------

LABELS: dict[str, dict[str, tuple[str, str]]] = {
    # key: (label, unit)
    "en": {
        "rank": ("rank", ""),
        "name": ("tenant", ""),
        "bus": ("bus", ""),
        "flex_band": ("band", "%"),
        "mean_mw": ("mean load", "MW"),
        "energy_mwh": ("energy", "MWh"),
        "incremental_cost_cny_per_mwh": ("incr. cost", "CNY/MWh"),
        "marginal_weighted_price_cny_per_mwh": ("marg. price", "CNY/MWh"),
        "delivered_price_cny_per_kwh": ("delivered", "CNY/kWh"),
        "green_share": ("green share", "%"),
        "absorbed_curtailment_mwh": ("absorbed", "MWh"),
        "fits": ("fits", ""),
        "unserved_energy_mwh": ("unserved", "MWh"),
        "delta_coal_mwh": ("coal output", "MWh"),
        "delta_emissions_t": ("CO2", "t"),
        "existing_loads_price_change_cny_per_mwh": ("price for existing loads", "CNY/MWh"),
        "peak_import_mw": ("peak import", "MW"),
        "delta_storage_throughput_mwh": ("storage throughput", "MWh"),
        "flexibility": ("flexibility value: incremental cost at each band", "CNY/MWh"),
        "benchmark": ("coal benchmark", "CNY/kWh"),
        "provincial": ("provincial tariff", "CNY/kWh"),
        "network": ("network charge + funds", "CNY/kWh"),
        "yes": ("yes", ""),
        "no": ("NO", ""),
        "title": (
            "Tenant evaluation: {scenario}, {hours} h from {start} ({timezone}), solver {status}",
            "",
        ),
        "changes": ("grid changes", ""),
        "not_fit": ("DOES NOT FIT: {mwh:,.1f} MWh of demand not served (peak {mw:,.1f} MW)", ""),
        "saves": ("saves {per_mwh:,.1f} CNY/MWh = {per_yr:,.2f} M CNY/yr", ""),
        "sep": (", ", ""),
    },
    "zh": {
        "rank": ("排名", ""),
        "name": ("用户", ""),
        "bus": ("母线", ""),
        "flex_band": ("柔性", "%"),
        "mean_mw": ("平均负荷", "MW"),
        "energy_mwh": ("用电量", "MWh"),
        "incremental_cost_cny_per_mwh": ("增量成本", "元/MWh"),
        "marginal_weighted_price_cny_per_mwh": ("边际电价", "元/MWh"),
        "delivered_price_cny_per_kwh": ("到户电价", "元/kWh"),
        "green_share": ("绿电占比", "%"),
        "absorbed_curtailment_mwh": ("消纳弃电", "MWh"),
        "fits": ("可接入", ""),
        "unserved_energy_mwh": ("缺供电量", "MWh"),
        "delta_coal_mwh": ("煤电出力", "MWh"),
        "delta_emissions_t": ("碳排放", "t"),
        "existing_loads_price_change_cny_per_mwh": ("现有负荷电价变化", "元/MWh"),
        "peak_import_mw": ("峰值外购电力", "MW"),
        "delta_storage_throughput_mwh": ("储能吞吐量", "MWh"),
        "flexibility": ("柔性调节价值：各柔性幅度下的增量成本", "元/MWh"),
        "benchmark": ("燃煤基准价", "元/kWh"),
        "provincial": ("省网电价", "元/kWh"),
        "network": ("输配电价 + 政府性基金及附加", "元/kWh"),
        "yes": ("是", ""),
        "no": ("否", ""),
        "title": (
            "新用户评估：{scenario}，{hours} 小时，自 {start} 起（{timezone}），求解状态 {status}",
            "",
        ),
        "changes": ("电网变化", ""),
        "not_fit": ("不可接入：缺供电量 {mwh:,.1f} MWh（最大缺供 {mw:,.1f} MW）", ""),
        "saves": ("节省 {per_mwh:,.1f} 元/MWh，每年 {per_yr:,.0f} 万元", ""),
        "sep": ("，", ""),
    },
}
"""Labels of the printed table and of :func:`tenant_frame` (``lang='zh'``): key -> (label, unit)."""

TABLE_COLUMNS = (
    "rank",
    "name",
    "bus",
    "flex_band",
    "mean_mw",
    "energy_mwh",
    "incremental_cost_cny_per_mwh",
    "marginal_weighted_price_cny_per_mwh",
    "delivered_price_cny_per_kwh",
    "green_share",
    "absorbed_curtailment_mwh",
    "fits",
)

FRAME_COLUMNS = (
    "rank",
    "name",
    "bus",
    "source",
    "flex_band",
    "window_h",
    "mean_mw",
    "peak_mw",
    "energy_mwh",
    "annual_energy_mwh",
    "incremental_cost_cny_per_mwh",
    "marginal_weighted_price_cny_per_mwh",
    "marginal_weighted_price_base_cny_per_mwh",
    "delivered_price_cny_per_kwh",
    "delivered_price_marginal_cny_per_kwh",
    "benchmark_cny_per_kwh",
    "provincial_tariff_cny_per_kwh",
    "saving_vs_provincial_cny_per_kwh",
    "green_share",
    "green_share_grid_mix",
    "absorbed_curtailment_mwh",
    "unserved_energy_mwh",
    "peak_unserved_mw",
    "fits",
    "delta_cost_cny",
    "delta_coal_mwh",
    "delta_thermal_mwh",
    "delta_emissions_t",
    "emissions_intensity_t_per_mwh",
    "existing_loads_price_change_cny_per_mwh",
    "existing_loads_bill_change_cny",
    "peak_import_mw",
    "delta_peak_import_mw",
    "delta_import_mwh",
    "delta_export_mwh",
    "delta_storage_throughput_mwh",
    "delta_storage_cycles",
)
"""Columns of :func:`tenant_frame` (and ``tenant.csv``) before the flexibility-curve columns."""


def _load(source: TenantStudy | dict | str | Path) -> dict:
    if isinstance(source, TenantStudy):
        return source.to_dict()
    if isinstance(source, dict):
        return source
    import json

    p = Path(source)
    if p.is_dir():
        p = p / "tenant.json"
    return json.loads(p.read_text(encoding="utf-8"))


def tenant_frame(source: TenantStudy | dict | str | Path, lang: str | None = None) -> pd.DataFrame:
    """The tenants as a DataFrame, one row per tenant in rank order, for reports and workbooks.

    ``source``: a :class:`TenantStudy`, the ``tenant.json`` dict, or the path of ``tenant.json``
    (or of its folder). Columns: :data:`FRAME_COLUMNS`, then ``incremental_cost_band_<b>_cny_per_mwh``
    per band (b in %). Shares are fractions (0..1). ``lang='zh'`` or ``'en'`` renames the columns
    that have a label to ``label [unit]`` (shares then in %); None keeps the stable keys.
    """
    data = _load(source)
    rows = []
    for t in sorted(data["tenants"], key=lambda f: f.get("rank", 0)):
        row = {k: t.get(k) for k in FRAME_COLUMNS}
        for band, ic in t["flexibility_curve"].items():
            row[f"incremental_cost_band_{float(band) * 100:g}pct_cny_per_mwh"] = ic
        rows.append(row)
    df = pd.DataFrame(rows)
    if lang is not None:
        lab = LABELS[check_lang(lang)]
        for k in df.columns:  # shares are fractions in the data, shown in % under a "%" label
            if k in lab and lab[k][1] == "%":
                df[k] = 100 * df[k]
        df = df.rename(
            columns={
                k: (f"{lab[k][0]} [{lab[k][1]}]" if lab[k][1] else lab[k][0])
                for k in df.columns
                if k in lab
            }
        )
    return df


def _base_run(study: TenantStudy):
    """The base case (without tenants) as a :class:`gridopt.run.RunResult`: results and the
    summary ``gridopt run`` would write."""
    from gridopt.prices import summary_fields
    from gridopt.run import RunResult, peak_memory_mb

    if study.base_results is None:
        raise ValueError("the study has no base results")
    r0 = study.base_results
    summary = res.summary(r0, dict(study.header.get("timings_s", {})), peak_memory_mb())
    summary.update(summary_fields(r0))
    return RunResult(r0, summary)


def write_base_results(study: TenantStudy, out_dir: str | Path) -> list[Path]:
    """Write the base case (without tenants) as ``gridopt run`` would: ``results.nc``,
    ``prices.csv`` and ``summary.json`` in ``out_dir`` (replacing earlier ones only once all
    three are complete), so ``gridopt report out_dir`` shows the grid the tenants were
    evaluated against, with the tenant section from ``tenant.json``."""
    from gridopt.run import write_outputs as write_run

    out = Path(out_dir)
    write_run(_base_run(study), out)
    return [out / "results.nc", out / "prices.csv", out / "summary.json"]


def write_outputs(study: TenantStudy, out_dir: str | Path) -> list[Path]:
    """Write ``tenant.csv`` and then ``tenant.json`` atomically into ``out_dir``; returns the paths.

    The CSV is UTF-8 with a byte-order mark so Excel shows Chinese names correctly.
    """
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    df = tenant_frame(study)
    csv, js = out / "tenant.csv", out / "tenant.json"
    atomic_write(
        csv, lambda p: df.to_csv(p, index=False, encoding="utf-8-sig", float_format="%.6f")
    )
    write_json(js, study.to_dict())
    return [js, csv]


def write_study(
    study: TenantStudy,
    out_dir: str | Path,
    *,
    report_formats: str | Sequence[str] | None = ("html", "xlsx"),
    lang: str = "zh",
    progress: Progress = lambda s: None,
) -> list[Path]:
    """Write everything ``gridopt tenant`` writes into ``out_dir`` as a whole; returns the paths.

    ``tenant.csv`` and ``tenant.json``; with ``report_formats`` (None: none) also the base
    case's ``results.nc``, ``prices.csv``, ``summary.json`` and the report with the tenant
    section. The files are written into a staging folder (:func:`gridopt.io.staged_folder`)
    and moved into ``out_dir`` only when all are complete, ``summary.json`` and ``tenant.json``
    last: a failure at any point leaves the files of an earlier study there as they were.
    """
    from gridopt.io import staged_folder
    from gridopt.run import write_files

    out = Path(out_dir)
    with staged_folder(out, last=("summary.json", "tenant.json")) as stage:
        files = write_outputs(study, stage)
        if report_formats:
            from gridopt.report import make_report

            write_files(_base_run(study), stage)
            files += [stage / "results.nc", stage / "prices.csv", stage / "summary.json"]
            written = make_report(
                stage, lang=lang, formats=report_formats, progress=progress, shown_as=out
            )
            files += [p for paths in written.values() for p in paths]
    return [out / p.relative_to(stage) for p in files]


def _width(s: str) -> int:
    """Display width in a terminal (CJK characters take two cells)."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in s)


def _pad(s: str, w: int, left: bool) -> str:
    fill = " " * max(w - _width(s), 0)
    return s + fill if left else fill + s


def _cell(key: str, f: dict, lab: dict) -> str:
    v = f.get(key)
    if key == "fits":
        return lab["yes"][0] if v else lab["no"][0]
    if key in ("rank",):
        return str(v)
    if key in ("name", "bus"):
        return str(v)
    if key in ("green_share", "flex_band"):
        return f"{100 * v:.0f}"
    if key == "delivered_price_cny_per_kwh":
        return f"{v:.4f}"
    if key in ("energy_mwh", "absorbed_curtailment_mwh"):
        return f"{v:,.0f}"
    return f"{v:,.1f}"


def format_table(source: TenantStudy | dict, lang: str = "en") -> str:
    """The comparison table (tenants ranked: fitting first, then by delivered price and green
    share), the tariffs to compare with, and one block per tenant with its grid changes and its
    flexibility value curve; headers in ``lang`` ('en' or 'zh')."""
    lang = check_lang(lang)
    lab = LABELS[lang]
    data = _load(source)
    ranked = sorted(data["tenants"], key=lambda f: f["rank"])
    tf = data["tariffs_cny_per_kwh"]
    start = str(data["start"])[:16]
    lines = [
        lab["title"][0].format(
            scenario=data["scenario"],
            hours=data["hours"],
            start=start,
            timezone=data["timezone"],
            status=data["solver_status"],
        )
    ]
    heads = [(lab[k][0], lab[k][1]) for k in TABLE_COLUMNS]
    cells = [[_cell(k, f, lab) for k in TABLE_COLUMNS] for f in ranked]
    widths = [
        max([_width(h[0]), _width(h[1])] + [_width(r[j]) for r in cells])
        for j, h in enumerate(heads)
    ]
    left = [k in ("name", "bus") for k in TABLE_COLUMNS]
    for row in ([h[0] for h in heads], [h[1] for h in heads]):
        lines.append("  ".join(_pad(c, w, lf) for c, w, lf in zip(row, widths, left)).rstrip())
    for r in cells:
        lines.append("  ".join(_pad(c, w, lf) for c, w, lf in zip(r, widths, left)).rstrip())
    lines.append(
        f"{lab['benchmark'][0]} {tf['benchmark']:.4f} {lab['benchmark'][1]} · "
        f"{lab['provincial'][0]} {tf['provincial']:.4f} {lab['provincial'][1]} · "
        f"{lab['network'][0]} {tf['network_charge']:.4f} + {tf['funds']:.4f} {lab['network'][1]}"
    )
    sep = lab["sep"][0]
    per_yr_unit = 1e4 if lang == "zh" else 1e6  # 万元 / million CNY
    for f in ranked:
        lines.append("")
        head = f"{f['name']} ({f['bus']}, {lab['flex_band'][0]} {100 * f['flex_band']:.0f} %)"
        if not f["fits"]:
            head += " — " + lab["not_fit"][0].format(
                mwh=f["unserved_energy_mwh"], mw=f["peak_unserved_mw"]
            )
        lines.append(head)
        ch = [
            (k, f[k])
            for k in (
                "delta_coal_mwh",
                "delta_emissions_t",
                "existing_loads_price_change_cny_per_mwh",
                "delta_storage_throughput_mwh",
            )
        ]
        parts = [f"{lab[k][0]} {v:+,.1f} {lab[k][1]}" for k, v in ch]
        parts.insert(
            3,
            f"{lab['peak_import_mw'][0]} {f['peak_import_mw']:,.0f} MW ({f['delta_peak_import_mw']:+,.0f})",
        )
        lines.append(f"  {lab['changes'][0]}: " + sep.join(parts))
        curve = []
        for v in f["flexibility_value"]:
            s = f"{100 * v['band']:g} % {v['incremental_cost_cny_per_mwh']:,.1f}"
            if v["band"] > 0:
                s += (
                    " ("
                    + lab["saves"][0].format(
                        per_mwh=v["saving_cny_per_mwh"], per_yr=v["saving_cny_per_yr"] / per_yr_unit
                    )
                    + ")"
                )
            curve.append(s)
        lines.append(f"  {lab['flexibility'][0]} [{lab['flexibility'][1]}]: " + " | ".join(curve))
    return "\n".join(lines)
