"""Solving one tenant at each flexibility band: warm on the base case's kept HiGHS instance,
or by building and solving a new model with the tenant in the input Dataset (the same LP).

Warm: a fixed tenant raises the right-hand side of its bus's ``bus_balance`` rows, found by
name (:meth:`gridopt.solve.Solution.rows`); a flexible tenant adds one column per hour (its
deviation from the profile, coefficient -1 in those rows) and one row per window (energy
kept), which are removed again afterwards, so the instance is the base case again for the
next tenant.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import xarray as xr

from gridopt.console import live_of, say, text
from gridopt.errors import GridoptError
from gridopt.model import build
from gridopt.solve import Solution, resolve, solve
from gridopt.tenant.tenants import Tenant, windows, with_fixed_load, with_flexible_load

Progress = Callable[[str], None]
"""Where progress lines go (``print``, or nothing)."""


@dataclass
class Case:
    """One solved case: solution, tenant consumption x_t [MW], and the Dataset to extract with."""

    band: float
    sol: Solution
    x_mw: np.ndarray
    ds: xr.Dataset
    seconds: float
    plan: bool = False


class Warm:
    """The base HiGHS instance, and adding/removing a tenant on it. A bus's balance rows are
    found by name (``sol0.rows("bus_balance", bus=...)``, in hour order); their base
    right-hand sides (lower == upper: equalities) are kept to restore the base case."""

    def __init__(self, sol0: Solution, buses: list[str], T: int):
        self.sol0, self.h, self.T = sol0, sol0.highs, T
        lower = np.asarray(self.h.getLp().row_lower_, float)
        self._rows: dict[str, np.ndarray] = {}
        self._rhs: dict[str, np.ndarray] = {}
        for bus in buses:
            idx = sol0.rows("bus_balance", bus=bus)
            if len(idx) != T:
                raise GridoptError(f"bus_balance has {len(idx)} rows at bus {bus}, expected {T}")
            self._rows[bus], self._rhs[bus] = idx, lower[idx].copy()

    def rows(self, bus: str) -> np.ndarray:
        """HiGHS rows of the energy balance of ``bus``, one per hour."""
        return self._rows[bus]

    def set_load(self, bus: str, p_mw: np.ndarray) -> None:
        """Balance rows of ``bus``: demand = base demand + p_mw."""
        rhs = self._rhs[bus] + np.asarray(p_mw, float)
        self.h.changeRowsBounds(self.T, self._rows[bus], rhs, rhs)

    def add_deviation(self, bus: str, window_h: int) -> tuple[np.ndarray, np.ndarray]:
        """Add columns d_t (coefficient -1 in the balance rows of ``bus``, bounds 0 for now) and rows
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
            self.rows(bus),
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


def solve_cases(
    ds: xr.Dataset,
    tenant: Tenant,
    bands: list[float],
    warm: Warm | None,
    options: dict | None,
    progress: Progress,
    plan: bool = False,
) -> list[Case]:
    """Solve the tenant at each band (increasing), warm on the base instance or rebuilt; with
    ``plan`` the planning model (``warm`` then holds the base plan's instance)."""
    p = np.asarray(tenant.p_mw, float)
    cases: list[Case] = []
    label = f"tenant {tenant.name}" + (" (plan)" if plan else "")
    what = text(progress, "tenant_what_replanned" if plan else "tenant_what_solved")
    if warm is not None:
        cols = rows = None
        try:
            warm.set_load(tenant.bus, p)
            for band in bands:
                t0 = time.perf_counter()
                if band > 0 and cols is None:
                    cols, rows = warm.add_deviation(tenant.bus, tenant.window_h)
                if cols is not None:
                    warm.h.changeColsBounds(len(cols), cols, -band * p, band * p)
                sol = resolve(warm.sol0, name=f"{label}, band {band:g}")
                x = p + (sol.x[cols] if cols is not None else 0.0)
                cases.append(Case(band, sol, x, ds, time.perf_counter() - t0, plan))
                say(
                    progress,
                    "tenant_band_warm",
                    name=tenant.name,
                    band=band,
                    what=what,
                    seconds=cases[-1].seconds,
                    iterations=sol.iterations,
                    cost=sol.objective,
                )
        finally:  # back to the base model for the next tenant
            if cols is not None:
                warm.remove(cols, rows)
            warm.set_load(tenant.bus, np.zeros_like(p))
        return cases
    for band in bands:
        t0 = time.perf_counter()
        if band == 0:
            dsm = with_fixed_load(ds, tenant.name, tenant.bus, p)
        else:
            dsm = with_flexible_load(ds, tenant.name, tenant.bus, p, band, tenant.window_h)
        bm = build(dsm, plan=plan)
        sol = solve(
            bm.m,
            options,
            name=f"{label}, band {band:g}",
            explain=bm.explain,
            layout=bm.layouts,
            live=live_of(progress),
        )
        x = p if band == 0 else sol.x[sol.cols("flex_p", flex=f"tenant:{tenant.name}")]
        cases.append(Case(band, sol, x, dsm, time.perf_counter() - t0, plan))
        say(
            progress,
            "tenant_band_rebuilt",
            name=tenant.name,
            band=band,
            what=what,
            seconds=cases[-1].seconds,
            cost=sol.objective,
        )
    return cases
