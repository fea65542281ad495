"""The shared state every component family adds to while the model is built.

A family module (``thermal``, ``renewables``, ``storage``, ``loads``, ``tie``, ``network``)
exposes ``add(b: Build) -> None``: it adds its variables (:meth:`Build.var`, which returns
column numbers) and rows (:meth:`Build.rows`) to ``b.m``, records its power injections at each bus-hour with :meth:`Build.inject` and its costs with
:meth:`Build.cost`, and declares it, with what is read back from it, as a
:class:`gridopt.model.family.Family`. :func:`gridopt.model.build` calls them in order and
closes the recipe with the bus energy balance and the objective.

The model is held as arrays (bounds, CSR row blocks over column numbers, a cost per column)
and given to Pyomo through array-backed components (:mod:`gridopt.model.lazy`). Var
components are named ``<family>_<what>`` and indexed ``[asset, hour]`` (or ``[asset]`` for a
capacity-shaped variable) by integer positions along the input Dataset's dims; a row block is
indexed by row position, its :class:`Layout` giving each row's key ``(asset, hour)`` (or
``asset`` for a row over the whole horizon), so values and duals map back mechanically. Each component may carry
a :class:`Meaning`: which assets its first index counts, and in words which scenario fields
set its bounds, so that :meth:`Build.explain` can name them when HiGHS finds the model
infeasible or unbounded. Each component's index is recorded as a :class:`Layout`
(``Build.layouts``), the one place that turns (asset, hour) into a position in the component,
so a solved LP is read and changed by name (:meth:`gridopt.solve.Solution.rows` and
:meth:`~gridopt.solve.Solution.cols`), never by offsets computed elsewhere.
"""

from __future__ import annotations

import contextlib
import gc
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from itertools import chain
from typing import TYPE_CHECKING, NamedTuple

import numpy as np

from gridopt.model.lazy import Bounds, Columns, cost_objective, expression_classes, row_block

if TYPE_CHECKING:
    import xarray as xr
    from pyomo.core.expr.numeric_expr import LinearExpression


INF = float("inf")


def pyomo():
    """``pyomo.core`` (the modelling components: ConcreteModel, Var, Objective …), imported
    when a model is first built, not when the family declarations are: the scenario schema,
    ``gridopt validate`` and the reports need no Pyomo (tests/test_imports.py keeps it out).
    Not ``pyomo.environ``: that also loads every solver and transformation plugin, 0.3 s a
    run that building the model never uses (the hand-off is gridopt's own)."""
    import pyomo.core

    return pyomo.core


@contextlib.contextmanager
def gc_paused() -> Iterator[None]:
    """Pause Python's cyclic garbage collector: scanning millions of Pyomo objects during model
    construction and hand-off costs seconds and frees nothing (PERFORMANCE.md)."""
    was = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was:
            gc.enable()


def linear(coefs: Sequence[float], variables: Sequence) -> LinearExpression:
    """sum(coef * var) as a Pyomo LinearExpression, built from its terms directly (a term with
    coefficient 1 is the variable itself), which is several times faster than operator
    overloading or the ``linear_coefs=`` constructor."""
    lin, mono = expression_classes()[:2]
    return lin([v if c == 1.0 else mono((c, v)) for c, v in zip(coefs, variables)])


@dataclass(frozen=True)
class Meaning:
    """What a variable's bounds or a constraint's sides stand for, in a planner's words.

    section : scenario section of the assets (``thermal``, ``storage`` …)
    dim : input Dataset dim the first index counts (``thermal``, ``bus`` …)
    lower, upper : the limit each side sets, with the scenario fields behind it, as a format
        string of the bound value ``v`` (and its magnitude ``a``), e.g.
        ``"output >= {v:g} MW (must_run_mw)"``; empty: never the cause of a conflict
    assets : positions along ``dim`` when the first index counts a subset of the assets
    labels : the location text of each first index instead (e.g. a cycle of lines)
    """

    section: str
    dim: str
    lower: str = ""
    upper: str = ""
    assets: tuple[int, ...] | None = None
    labels: tuple[str, ...] | None = None


class Explained(NamedTuple):
    """One bound of the model in a planner's words (see :meth:`Build.explain`)."""

    subject: str
    """the scenario entry, e.g. ``thermal.coal_a`` or ``lines (cycle ab, bc, ca)``"""
    hour: str
    """local clock time ``YYYY-MM-DD HH:MM`` of the hour, or empty for the whole horizon"""
    limit: str
    """the limit with its value and the fields behind it; empty for a bound no scenario field
    sets (e.g. output >= 0)"""


class Layout:
    """Where each variable or row of one Pyomo component sits within the component, by name.

    The hand-off (:mod:`gridopt.solve`) places a component's columns or rows contiguously in
    the order Pyomo iterates it; this class turns (asset, hour) into offsets in that order.

    dim : input Dataset dim the first index counts (``bus``, ``thermal`` …), or None when it
        counts nothing named (then assets are given as positions)
    labels : name of each first index (asset names along ``dim``, or e.g. cycles of lines);
        None when ``dim`` is None
    hours : hours per first index of a dense variable (T), 0 for a capacity-shaped variable
        (one per asset), None for rows (``keys`` then gives the order)
    keys : the rows' keys in row order, ``(first index, hour)`` or a first index alone
    """

    __slots__ = ("dim", "labels", "hours", "keys", "_pos", "_groups")

    def __init__(
        self,
        dim: str | None,
        labels: tuple[str, ...] | None,
        hours: int | None,
        keys: list | None = None,
    ):
        self.dim, self.labels, self.hours, self.keys = dim, labels, hours, keys
        self._pos: dict | None = None
        self._groups: dict[int, list[int]] | None = None

    def __repr__(self) -> str:
        n = len(self.keys) if self.keys is not None else None
        return f"Layout(dim={self.dim!r}, hours={self.hours!r}, rows={n})"

    def first(self, asset) -> list[int]:
        """First-index positions of ``asset``: a label (str), a first-index position (int), a
        sequence of either, or None for all."""
        if asset is None:
            if self.labels is not None:
                return list(range(len(self.labels)))
            if self.keys is not None:
                return sorted({k[0] if isinstance(k, tuple) else k for k in self.keys})
            raise ValueError("this component names no assets: give asset= positions")
        if isinstance(asset, (str, int, np.integer)):
            asset = [asset]
        out = []
        for a in asset:
            if isinstance(a, (int, np.integer)) and not isinstance(a, bool):
                out.append(int(a))
            elif self.labels is not None and str(a) in self.labels:
                out.append(self.labels.index(str(a)))
            else:
                where = f"{self.dim} " if self.dim else ""
                choices = ", ".join(self.labels) if self.labels is not None else "positions"
                raise KeyError(f"no {where}{a!r} in this component; it has: {choices}")
        return out

    def offsets(self, asset=None, hours=None) -> np.ndarray:
        """Offsets within the component of ``asset`` (see :meth:`first`) at ``hours`` (an int, a
        slice, a sequence of ints, or None for every hour; must be None for a capacity-shaped
        variable or a row over the whole horizon), ordered [asset, hour]. KeyError for a row
        that does not exist (e.g. a row that had no variables)."""
        js = self.first(asset)
        if self.hours is not None:  # dense variable
            if self.hours == 0:
                if hours is not None:
                    raise ValueError("a capacity-shaped variable has no hours")
                return np.asarray(js, np.int64)
            ts = np.arange(self.hours)[hours if hours is not None else slice(None)]
            ts = np.atleast_1d(ts)
            return (np.asarray(js, np.int64)[:, None] * self.hours + ts[None, :]).ravel()
        if hours is None:  # every row of each asset, ordered [asset, hour]
            if self._groups is None:
                groups: dict[int, list[tuple[int, int]]] = {}
                for i, k in enumerate(self.keys):
                    j, t = k if isinstance(k, tuple) else (k, -1)
                    groups.setdefault(j, []).append((t, i))
                self._groups = {j: [i for _, i in sorted(g)] for j, g in groups.items()}
            return np.asarray([i for j in js for i in self._groups.get(j, ())], np.int64)
        if self._pos is None:
            self._pos = {k: i for i, k in enumerate(self.keys)}
        if isinstance(hours, slice):
            top = 1 + max((k[1] for k in self.keys if isinstance(k, tuple)), default=-1)
            ts: list[int] = list(range(top)[hours])
        else:
            ts = np.atleast_1d(np.asarray(hours, np.int64)).tolist()
        out = []
        for j in js:
            for t in ts:
                i = self._pos.get((j, t))
                if i is None:
                    raise KeyError(f"no row at first index {j}, hour {t}")
                out.append(i)
        return np.asarray(out, np.int64)

    def key(self, offset: int) -> tuple[int, int | None]:
        """(first index, hour or None) of the ``offset``-th variable or row."""
        if self.hours is not None:
            return divmod(offset, self.hours) if self.hours else (offset, None)
        k = self.keys[offset]
        return k if isinstance(k, tuple) else (k, None)


class Rows:
    """Rows collected for one constraint family: ``lower <= sum(coef * var) <= upper``."""

    def __init__(self) -> None:
        self.keys: list = []
        self.lower: list = []
        self.coefs: list = []
        self.variables: list = []
        self.upper: list = []

    def add(
        self,
        key,
        lower: float | None,
        coefs: Sequence[float],
        variables: Sequence,
        upper: float | None,
    ) -> None:
        self.keys.append(key)
        self.lower.append(lower)
        self.coefs.append(coefs)
        self.variables.append(variables)
        self.upper.append(upper)


def ramp_rows(x: Sequence, T: int, up: np.ndarray, down: np.ndarray) -> Rows:
    """Ramp limits of a family: :math:`-down_a \\le x_{a,t} - x_{a,t-1} \\le up_a` for
    :math:`t \\ge 1`, keyed ``(a, t)``, for each asset ``a`` of ``x`` (its variables by hour)
    with a limit: ``up``/``down`` [MW] per asset, NaN for no limit that way (an asset with
    neither has no row)."""
    rows = Rows()
    for a in range(len(up)):
        if np.isnan(up[a]) and np.isnan(down[a]):
            continue
        hi = None if np.isnan(up[a]) else float(up[a])
        lo = None if np.isnan(down[a]) else float(-down[a])
        for t in range(1, T):
            rows.add((a, t), lo, (1.0, -1.0), (x[a][t], x[a][t - 1]), hi)
    return rows


@dataclass
class Planned:
    """One capacity of a family's assets in the model: the existing capacity and, in a plan,
    the variables that change it (see :meth:`Build.capacity`).

    fixed : the existing capacity per asset [MW or MWh]
    new : asset position -> its new-capacity variable (the assets that may expand)
    retired : asset position -> its retired-capacity variable (the assets that may retire)

    The capacity of asset ``a`` is ``fixed[a] + new[a] - retired[a]``. Without a plan (or for
    an asset that cannot change) it is ``fixed[a]``: a family writes its limits as bounds
    (:meth:`bound`) exactly as before, and as rows only for the assets that change
    (:meth:`limit`), so a dispatch LP is the same with or without planning in the code.
    """

    fixed: np.ndarray
    new: dict
    retired: dict

    def changes(self, a: int) -> bool:
        """Whether asset ``a``'s capacity is a decision."""
        return a in self.new or a in self.retired

    @property
    def changing(self) -> list[int]:
        """The assets whose capacity is a decision, in order."""
        return sorted(set(self.new) | set(self.retired))

    def bound(self, coef) -> np.ndarray:
        """``coef x fixed`` shaped (asset, T) (``coef`` per asset, per hour or both), with no
        bound (+inf) on the assets that change: the bound of a variable the capacity limits."""
        coef = np.asarray(coef, float)
        coef = coef[:, None] if coef.ndim == 1 else coef
        out = np.array(coef * self.fixed[:, None], float)
        for a in self.changing:
            out[a] = INF
        return out

    def terms(self, a: int, coef: float) -> tuple[list[float], list]:
        """The changing part of asset ``a``'s capacity times ``coef``, as (coefs, variables):
        ``coef x (new - retired)``."""
        cs, vs = [], []
        if a in self.new:
            cs.append(coef)
            vs.append(self.new[a])
        if a in self.retired:
            cs.append(-coef)
            vs.append(self.retired[a])
        return cs, vs

    def limit(
        self,
        b: Build,
        name: str,
        x: Sequence,
        coef,
        meaning: Meaning,
        lower: bool = False,
        fixed=None,
    ):
        """Rows ``x[a][t] <= coef[a, t] x capacity_a`` (``>=`` with ``lower``) for the assets
        that change, named ``name``: ``x - coef (new - retired) <= coef fixed``.

        ``fixed`` (per asset) replaces the existing capacity on the right-hand side, for a
        second limit the same new capacity adds to (a line's reverse limit, a tie's import
        limit): ``x - coef (new - retired) <= coef fixed``."""
        fixed = self.fixed if fixed is None else np.asarray(fixed, float)
        coef = np.asarray(coef, float)
        coef = np.broadcast_to(coef[:, None] if coef.ndim == 1 else coef, (len(self.fixed), b.T))
        rows = Rows()
        for a in self.changing:
            for t in range(b.T):
                cs, vs = self.terms(a, -float(coef[a, t]))
                rhs = float(coef[a, t] * fixed[a])
                lo, hi = (rhs, None) if lower else (None, rhs)
                rows.add((a, t), lo, (1.0, *cs), (x[a][t], *vs), hi)
        b.rows(name, rows, meaning)


class Build:
    """Pyomo model under construction, plus the injection and cost collectors.

    m : the Pyomo ConcreteModel
    ds : the input Dataset (see :mod:`gridopt.inputs`)
    T : number of hours
    bus_pos : bus name -> position along ``bus``
    """

    def __init__(self, ds: xr.Dataset, plan: bool = False):
        self.ds = ds
        self.plan = plan
        """Capacities the scenario marks as expandable or retirable are decisions
        (:meth:`capacity`); False: every capacity is as given (dispatch)."""
        self.planned: dict[str, Planned] = {}
        """``<dim>_<capacity name>`` -> its :class:`Planned` (for reading the plan back)."""
        self.m = pyomo().ConcreteModel(name=str(ds.attrs.get("scenario", "gridopt")))
        self.T = int(ds.sizes["time"])
        self.bus_pos = {str(b): i for i, b in enumerate(ds.bus.values)}
        nb = len(self.bus_pos)
        self._inj_c: list[list[list[float]]] = [[[] for _ in range(self.T)] for _ in range(nb)]
        self._inj_v: list[list[list]] = [[[] for _ in range(self.T)] for _ in range(nb)]
        self.demand_mw = np.zeros((nb, self.T))
        self._cost_c: list[float] = []
        self._cost_v: list = []
        self.meanings: dict[str, Meaning] = {}
        self.layouts: dict[str, Layout] = {}
        """Pyomo component name -> its index (pass to :func:`gridopt.solve.solve` as ``layout``)."""
        self.columns = Columns()
        """Column number -> Pyomo VarData (see :mod:`gridopt.model.lazy`)."""
        self.col_start: dict[str, int] = {}
        """Var component name -> the column number of its first variable."""

    def _layout(
        self,
        name: str,
        meaning: Meaning | None,
        n: int | None,
        hours: int | None,
        keys: list | None = None,
    ) -> Layout:
        """The Layout of component ``name``: its assets from ``meaning``, else from the naming
        convention ``<dim>_<what>`` when ``<dim>`` is a dim of the input Dataset."""
        dim = meaning.dim if meaning is not None else name.split("_", 1)[0]
        labels = None
        if meaning is not None and meaning.labels is not None:
            labels = tuple(meaning.labels)
        elif dim in self.ds.dims:
            names = [str(x) for x in self.ds[dim].values]
            pos = meaning.assets if meaning is not None and meaning.assets is not None else None
            labels = tuple(names[p] for p in pos) if pos is not None else tuple(names[:n])
        else:
            dim = None
        return Layout(dim, labels, hours, keys)

    # -- variables -------------------------------------------------------------------------
    def var(
        self,
        name: str,
        lb,
        ub,
        n: int | None = None,
        meaning: Meaning | None = None,
        *,
        hourly: bool = True,
    ) -> list:
        """Add ``Var`` ``name[j, t]`` with bounds shaped (n, T), (n,) per asset, or scalars.

        Returns the variables' column numbers (ints, in the order the variables were added to
        the model) as a nested list ``v[j][t]``: the handles :class:`Rows`, :meth:`inject` and
        :meth:`cost` take. ``hourly=False`` adds a capacity-shaped ``Var`` ``name[j]`` instead
        (one per asset, no hour index; bounds shaped (n,) or scalars) and returns the flat
        list ``v[j]``. (:meth:`vardata` turns handles back into Pyomo VarData.)
        """
        if meaning is not None:
            self.meanings[name] = meaning
        lb, ub = np.asarray(lb, float), np.asarray(ub, float)
        if n is None:
            n = (ub if ub.ndim else lb).shape[0]
        hours = self.T if hourly else 0
        shape = (n, self.T) if hourly else (n,)
        if hourly:
            lb = np.broadcast_to(lb[:, None] if lb.ndim == 1 else lb, shape)
            ub = np.broadcast_to(ub[:, None] if ub.ndim == 1 else ub, shape)
        else:
            lb, ub = np.broadcast_to(lb, shape), np.broadcast_to(ub, shape)
        start = self.columns.count
        bounds = Bounds(start, np.array(lb, float).ravel(), np.array(ub, float).ravel(), hours)
        index = (range(n), range(self.T)) if hourly else (range(n),)
        # sparse: a VarData is made only when Pyomo reads x[j, t] (see gridopt.model.lazy)
        var = pyomo().Var(*index, dense=False, bounds=bounds)
        var._gridopt = bounds
        self.m.add_component(name, var)
        self.layouts[name] = self._layout(name, meaning, n, hours)
        self.columns.add(var, bounds.lower.size)
        self.col_start[name] = start
        cols = list(range(start, start + bounds.lower.size))
        if not hourly:
            return cols
        return [cols[j * self.T : (j + 1) * self.T] for j in range(n)]

    def cols(self, name: str) -> list[int]:
        """The column numbers of Var component ``name``, flat in its order (``[j, t]``,
        j-major): the handles :meth:`var` returned for it."""
        start = self.col_start[name]
        return list(range(start, start + self.m.component(name)._gridopt.lower.size))

    def vardata(self, cols) -> list:
        """The Pyomo VarData of column numbers ``cols`` (handles from :meth:`var`)."""
        return [self.columns[c] for c in cols]

    def capacity(self, dim: str, cap, section: str) -> Planned:
        """Capacity ``cap`` (:class:`gridopt.model.family.Capacity`) of family ``dim``.

        In a plan, an asset with ``new_max > 0`` (or no upper bound) gets a new-capacity
        variable ``<dim>_<base>_new[a]`` in [new_min, new_max] costing its horizon share of
        the annual cost (annuity + fixed O&M) per unit; a retirable asset with existing
        capacity gets ``<dim>_<base>_retired[a]`` in [0, existing] saving its horizon share
        of the fixed O&M per unit. Otherwise (dispatch, or no such asset) the capacity is the
        input ``<dim>_<name>``.
        """
        ds = self.ds
        fixed = np.asarray(ds[f"{dim}_{cap.name}"].values, float)
        planned = Planned(fixed, {}, {})
        self.planned[f"{dim}_{cap.name}"] = planned
        if not self.plan or not len(fixed):
            return planned
        share = float(ds.attrs["year_fraction"])  # the horizon's share of a year
        lo = ds[cap.input(dim, "new_min")].values
        hi = ds[cap.input(dim, "new_max")].values
        grow = [a for a in range(len(fixed)) if np.isnan(hi[a]) or hi[a] > 0]
        if grow:
            unit = {"mw": "MW", "mwh": "MWh"}[cap.unit]
            new = self.var(
                f"{dim}_{cap.base}_new",
                lo[grow],
                np.where(np.isnan(hi[grow]), INF, hi[grow]),
                hourly=False,
                meaning=Meaning(
                    section,
                    dim,
                    lower="new capacity >= {v:g} " + unit + f" ({cap.new_min})",
                    upper="new capacity <= {v:g} " + unit + f" ({cap.new_max})",
                    assets=tuple(grow),
                ),
            )
            planned.new.update(zip(grow, new))
            self.cost(share * ds[cap.input(dim, "annual")].values[grow], new)
        if cap.retirable is not None:
            may = ds[cap.input(dim, "retirable")].values
            out = [a for a in range(len(fixed)) if may[a] and fixed[a] > 0]
            if out:
                retired = self.var(
                    f"{dim}_{cap.base}_retired",
                    0.0,
                    fixed[out],
                    hourly=False,
                    meaning=Meaning(
                        section,
                        dim,
                        upper="retired capacity <= {v:g} (the existing capacity)",
                        assets=tuple(out),
                    ),
                )
                planned.retired.update(zip(out, retired))
                self.cost(-share * ds[cap.input(dim, "fom")].values[out], retired)
        return planned

    # -- constraints -----------------------------------------------------------------------
    def rows(self, name: str, rows: Rows, meaning: Meaning | None = None) -> None:
        """Add ``Constraint`` ``name``: one row ``lower <= sum(coef * var) <= upper`` per entry
        of ``rows`` (variables given as the column numbers :meth:`var` returned).

        ``None`` leaves a side open; lower == upper makes an equality. Rows with no variables
        are not created. Keys are ``(asset position, hour)``, or an asset position alone for a
        row over the whole horizon; the component is indexed by row position 0, 1, … and its
        :class:`Layout` (``layouts[name]``) maps keys to positions.

        The component is a Pyomo ``MatrixConstraint``: the rows are held as one CSR matrix
        (coefficients, column positions, row starts) over the VarData they use, with no
        expression object per row — Pyomo's own component for large linear blocks. Pyomo
        reads each row's body from the matrix on demand (writers, appsi); the hand-off
        (:func:`gridopt.solve.solve`) takes the matrix whole.
        """
        lengths = np.fromiter(map(len, rows.variables), np.int64, len(rows.keys))
        if not lengths.any():
            return
        if meaning is not None:
            self.meanings[name] = meaning
        made = np.flatnonzero(lengths)
        keys = [rows.keys[i] for i in made.tolist()]
        cols = np.fromiter(chain.from_iterable(rows.variables), np.int64, int(lengths.sum()))
        data = np.fromiter(chain.from_iterable(rows.coefs), float, len(cols))
        indptr = np.zeros(len(made) + 1, np.int64)
        np.cumsum(lengths[made], out=indptr[1:])
        if len(made) == len(lengths):
            lower, upper = rows.lower, rows.upper
        else:
            lower = [rows.lower[i] for i in made.tolist()]
            upper = [rows.upper[i] for i in made.tolist()]
        con = row_block()(data, cols, indptr, list(lower), list(upper), self.columns)
        self.m.add_component(name, con)
        self.layouts[name] = self._layout(name, meaning, None, None, keys)

    # -- collectors ------------------------------------------------------------------------
    def inject(self, bus: str, coef: float, series: list) -> None:
        """Record ``coef * series[t]`` as power injected at ``bus`` in each hour [MW]."""
        cs, vs = self._inj_c[self.bus_pos[bus]], self._inj_v[self.bus_pos[bus]]
        for t, v in enumerate(series):
            cs[t].append(coef)
            vs[t].append(v)

    def consume(self, bus: str, p_mw: np.ndarray) -> None:
        """Record fixed demand at ``bus`` [MW per hour] (the balance right-hand side)."""
        self.demand_mw[self.bus_pos[bus]] += p_mw

    def cost(self, coefs, series: list) -> None:
        """Add ``sum_t coefs[t] * series[t]`` to the objective [CNY]; zeros are skipped."""
        coefs = np.broadcast_to(np.asarray(coefs, float), (len(series),))
        for c, v in zip(coefs.tolist(), series):
            if c != 0.0:
                self._cost_c.append(c)
                self._cost_v.append(v)

    # -- closing the recipe ----------------------------------------------------------------
    def injections(self, b: int, t: int) -> tuple[list[float], list]:
        return self._inj_c[b][t], self._inj_v[b][t]

    def objective_expression(self) -> LinearExpression:
        return linear(self._cost_c, self.vardata(self._cost_v))

    def cost_arrays(self) -> tuple[np.ndarray, np.ndarray]:
        """The objective as (column numbers, coefficients [CNY per unit]), a column possibly
        more than once (its coefficients add up)."""
        return np.asarray(self._cost_v, np.int64), np.asarray(self._cost_c, float)

    def objective(self):
        """The model's objective (minimise cost, CNY), added as ``m.objective``: Pyomo builds
        its expression from the cost arrays when first asked (:mod:`gridopt.model.lazy`).
        The last step of a build: nothing can be injected or costed after it."""
        pyo = pyomo()
        obj = cost_objective()(expr=0.0, sense=pyo.minimize)  # the expression: see arm
        self.m.objective = obj
        obj.arm(self.objective_expression, self.cost_arrays, self.columns)
        # the recipe is closed: the costs as arrays, and the injections (in the balance rows
        # now) released — at a year's size tens of MB of Python lists held through the solve
        self._cost_v, self._cost_c = self.cost_arrays()
        self._inj_c = self._inj_v = None
        return obj

    # -- explaining an infeasible or unbounded model ----------------------------------------
    def explain(self, component: str, offset: int, side: str, value: float) -> Explained:
        """Name the asset, the hour and the scenario fields behind one bound of ``component``
        (its ``offset``-th variable or row, in the order the hand-off reads them); ``side`` is
        ``"lower"`` or ``"upper"``, ``value`` the bound [model units: MW, MWh]."""
        mn = self.meanings.get(component)
        j, t = self.layouts[component].key(offset)
        when = ""
        if t is not None:
            when = np.datetime_as_string(self.ds["time"].values[t], unit="m").replace("T", " ")
        if mn is None:
            return Explained(f"{component}[{j}]", when, f"{side} bound {value:g} (model internal)")
        text = getattr(mn, side)
        if mn.labels is not None:
            subject = f"{mn.section} ({mn.labels[j]})"
        else:
            pos = mn.assets[j] if mn.assets is not None else j
            subject = f"{mn.section}.{self.ds[mn.dim].values[pos]}"
        return Explained(subject, when, text.format(v=value, a=abs(value)) if text else "")
