"""A tenant (name, bus, hourly profile N_t, flexibility band and window), the bus it goes to
by default, and the input Dataset with it added as a fixed or flexible load (to extract the
with-tenant results, and to build the model anew with ``method="rebuild"``)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import xarray as xr

from gridopt.errors import InputError, Problem

DEFAULT_WINDOW_H = 24
"""Default energy window of a flexible tenant [h]: energy made up within a day (DOMAIN.md)."""
NON_INDUSTRIAL = ("city", "residential", "urban", "household", "城市", "居民", "城区")
"""A fixed load whose name contains one of these is not an industrial load (default bus)."""


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
