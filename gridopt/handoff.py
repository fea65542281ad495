"""A Pyomo model as the arrays HiGHS takes: column bounds and costs, one CSR row matrix, row
sides — every constraint exactly one row (a ranged row stays one row), every Var component's
columns contiguous and in Pyomo's order, so values and duals map back by slicing.

Components built by :class:`gridopt.model.core.Build` hold their data as arrays
(:mod:`gridopt.model.lazy`): a Var component's bounds, a row block's CSR matrix over column
numbers, the objective's cost per column. Those are taken whole, with no Python object per
variable or nonzero; any other component is read through Pyomo (each ``VarData``'s bounds, each
constraint's linear body), and so is a ``VarData`` of an array-backed family that Pyomo has
created (its bounds may have been changed or the variable fixed since). A model may mix both:
the column numbers of the arrays are mapped to HiGHS's through each family's first column.
"""

from __future__ import annotations

import numpy as np
import pyomo.core as pyo
from pyomo.core.expr.numeric_expr import LinearExpression

from gridopt.model.lazy import Columns, cost_objective, row_block


def matrix(m: pyo.ConcreteModel) -> dict:
    """Columns, bounds, costs and the CSR matrix of ``m`` (one row per constraint):
    ``cost, offset, lb, ub, indptr, index, value, row_lo, row_hi, col_slices, row_slices,
    sense``."""
    cols = _Cols()
    for comp in m.component_objects(pyo.Var, active=True, descend_into=True):
        cols.add(comp)
    lb, ub = cols.bounds()

    rows = _Rows()
    for comp in m.component_objects(pyo.Constraint, active=True, descend_into=True):
        rows.add(comp, cols)
    indptr, index, value, row_lo, row_hi = rows.arrays()

    cost, offset, sense = _objective(m, cols)
    return dict(
        cost=cost * sense,
        offset=float(offset) * sense,
        lb=lb,
        ub=ub,
        indptr=indptr.astype(np.int32),
        index=index,
        value=value,
        row_lo=row_lo,
        row_hi=row_hi,
        col_slices=cols.slices,
        row_slices=rows.slices,
        sense=sense,
    )


class _Cols:
    """HiGHS columns of the model's Var components, in Pyomo's order."""

    def __init__(self) -> None:
        self.count = 0
        self.slices: dict[str, slice] = {}
        self.of_id: dict[int, int] = {}  # id(VarData) -> column, for VarData read one by one
        self.lo: list[np.ndarray] = []
        self.hi: list[np.ndarray] = []
        self.first: dict[int, int] = {}  # id(array-backed component) -> its first column
        self.remaps: dict[int, np.ndarray] = {}  # id(Columns) -> column number -> HiGHS column

    def add(self, comp) -> None:
        start = self.count
        arrays = getattr(comp, "_gridopt", None)
        if arrays is not None:  # bounds as arrays; the VarData Pyomo has made read one by one
            lo, hi = arrays.lower.copy(), arrays.upper.copy()
            hours = arrays.hours
            for idx, v in comp._data.items():
                k = (
                    idx[0] * hours + idx[1]
                    if hours
                    else (idx[0] if isinstance(idx, tuple) else idx)
                )
                lo[k], hi[k] = _var_bounds(v)
                self.of_id[id(v)] = start + k
            self.first[id(comp)] = start
            self.count += len(lo)
        else:
            lo, hi = np.empty(len(comp)), np.empty(len(comp))
            for k, v in enumerate(comp.values()):
                self.of_id[id(v)] = start + k
                lo[k], hi[k] = _var_bounds(v)
            self.count += len(lo)
        self.lo.append(lo)
        self.hi.append(hi)
        self.slices[comp.name] = slice(start, self.count)

    def bounds(self) -> tuple[np.ndarray, np.ndarray]:
        if not self.lo:
            return np.zeros(0), np.zeros(0)
        return np.concatenate(self.lo), np.concatenate(self.hi)

    def remap(self, columns: Columns) -> np.ndarray:
        """Column number of ``columns`` -> HiGHS column."""
        out = self.remaps.get(id(columns))
        if out is None:
            out = np.empty(columns.count, np.int64)
            for var, start in zip(columns.families, columns.starts):
                n = var._gridopt.lower.size
                if id(var) not in self.first:
                    raise ValueError(f"variable {var.name} is not an active part of this model")
                out[start : start + n] = self.first[id(var)] + np.arange(n)
            self.remaps[id(columns)] = out
        return out

    def of(self, v) -> int:
        """HiGHS column of VarData ``v``."""
        return self.of_id[id(v)]


def _var_bounds(v) -> tuple[float, float]:
    lo, hi = v._lb, v._ub  # plain floats as gridopt sets them; anything else the slow way
    if v.fixed:
        lo = hi = v.value
    elif lo.__class__ is not float or hi.__class__ is not float:
        lo, hi = v.bounds
    return (-np.inf if lo is None else lo, np.inf if hi is None else hi)


class _Rows:
    """The rows, in Pyomo's order: array-backed blocks taken whole, others read one by one."""

    def __init__(self) -> None:
        self.parts: list[tuple] = []  # (starts relative, HiGHS columns, values, lo, hi)
        self.count = 0
        self.slices: dict[str, slice] = {}

    def add(self, comp, cols: _Cols) -> None:
        start = self.count
        if isinstance(comp, row_block()) and isinstance(comp._x, Columns):
            index = cols.remap(comp._x)[np.asarray(comp._A_indices, np.int64)]
            part = (
                np.asarray(comp._A_indptr, np.int64),
                index.astype(np.int32),
                np.asarray(comp._A_data, float),
                _sides(comp._lower, -np.inf),
                _sides(comp._upper, np.inf),
            )
        else:
            part = _read(comp, cols)
        self.parts.append(part)
        self.count += len(part[3])
        self.slices[comp.name] = slice(start, self.count)

    def arrays(self):
        indptr = [np.zeros(1, np.int64)]
        total = 0
        for starts, *_ in self.parts:
            indptr.append(starts[1:] + total)
            total += int(starts[-1])
        cat = lambda i, dtype: (  # noqa: E731
            np.concatenate([p[i] for p in self.parts]) if self.parts else np.zeros(0, dtype)
        )
        return (
            np.concatenate(indptr),
            cat(1, np.int32),
            cat(2, float),
            cat(3, float),
            cat(4, float),
        )


def _read(comp, cols: _Cols) -> tuple:
    """One constraint component read row by row through Pyomo."""
    from pyomo.repn.standard_repn import generate_standard_repn

    starts, index, value, lo_, hi_ = [0], [], [], [], []
    for con in comp.values():
        lo, body, hi = con.to_bounded_expression()
        if body.__class__ is LinearExpression:
            variables, coefs, k = body.linear_vars, body.linear_coefs, body.constant
        else:
            repn = generate_standard_repn(body, compute_values=True)
            if repn.nonlinear_expr is not None or repn.quadratic_vars:
                raise ValueError(f"constraint {con.name} is not linear")
            variables, coefs, k = repn.linear_vars, repn.linear_coefs, repn.constant
        index.extend(cols.of(v) for v in variables)
        value.extend(pyo.value(c) for c in coefs)
        starts.append(len(index))
        lo_.append(-np.inf if lo is None else pyo.value(lo) - pyo.value(k))
        hi_.append(np.inf if hi is None else pyo.value(hi) - pyo.value(k))
    return (
        np.asarray(starts, np.int64),
        np.asarray(index, np.int32),
        np.asarray(value, float),
        np.asarray(lo_, float),
        np.asarray(hi_, float),
    )


def _sides(values, open_side: float) -> np.ndarray:
    """Row sides as floats, ``None`` (open) as ``open_side``; numbers directly, anything else
    (a Pyomo expression) through ``pyo.value``."""
    try:
        out = np.array(values, float)  # None -> nan
    except TypeError:
        out = np.array([np.nan if v is None else pyo.value(v) for v in values], float)
    out[np.isnan(out)] = open_side
    return out


def _objective(m: pyo.ConcreteModel, cols: _Cols) -> tuple[np.ndarray, float, float]:
    """(cost per HiGHS column, constant, sense: +1 minimise, -1 maximise) of the one active
    objective."""
    objs = list(m.component_data_objects(pyo.Objective, active=True))
    if len(objs) != 1:
        raise ValueError(f"expected one active objective, found {len(objs)}")
    obj = objs[0]
    cost = np.zeros(cols.count)
    sense = 1.0 if obj.sense == pyo.minimize else -1.0
    if isinstance(obj, cost_objective()) and obj.from_arrays:
        at, coefs = obj._build_arrays()  # (column numbers, CNY per unit), as Build holds them
        np.add.at(cost, cols.remap(obj._columns)[at], coefs)
        return cost, 0.0, sense
    from pyomo.repn.standard_repn import generate_standard_repn

    expr = obj.expr
    if expr.__class__ is LinearExpression:
        variables, coefs, offset = expr.linear_vars, expr.linear_coefs, expr.constant
    else:
        repn = generate_standard_repn(expr, compute_values=True)
        variables, coefs, offset = repn.linear_vars, repn.linear_coefs, repn.constant
    at = np.fromiter((cols.of(v) for v in variables), np.int64, len(variables))
    np.add.at(cost, at, np.asarray([pyo.value(c) for c in coefs], float))
    return cost, float(pyo.value(offset)), sense
