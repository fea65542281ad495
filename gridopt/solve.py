"""Hand the Pyomo model to HiGHS in memory, solve, and return primal values and duals.

The hand-off reads each constraint's linear body once and passes the whole matrix to
``highspy.Highs.passModel`` as a row-wise ``HighsLp`` (no LP file, no row-by-row API calls).
Every constraint becomes exactly one row with its lower and upper bound (ranged rows stay one
row), and every Var component's columns are contiguous, so results and duals map back by
slicing. Bodies that are not ``LinearExpression`` objects are compiled with Pyomo's generic
linear representation.
"""

from __future__ import annotations

import contextlib
import os
import sys
import time
from dataclasses import dataclass, field

import highspy
import numpy as np
import pyomo.environ as pyo
from pyomo.core.expr.numeric_expr import LinearExpression
from pyomo.repn.standard_repn import generate_standard_repn

from gridopt.errors import SolveError
from gridopt.model.core import gc_paused

DEFAULT_OPTIONS: dict[str, object] = {"output_flag": False, "threads": 1}


@dataclass
class Solution:
    """Primal values and duals of a solved model, with the layout to slice them.

    x : column values; row_dual : row duals [objective units per unit of row activity]
    col_slices / row_slices : Pyomo component name -> slice of x / row_dual
    """

    status: str
    objective: float
    x: np.ndarray
    row_dual: np.ndarray
    col_slices: dict[str, slice]
    row_slices: dict[str, slice]
    timings_s: dict[str, float] = field(default_factory=dict)
    iterations: int = 0
    highs: highspy.Highs | None = None
    """The solved HiGHS instance when ``solve(..., keep=True)``: change bounds or costs and
    call :func:`resolve` to re-solve warm from the current basis."""
    lp_size: dict[str, int] = field(default_factory=dict)
    """Rows, columns and nonzeros of the LP HiGHS solved."""
    sense: float = 1.0
    """+1 for a Pyomo model that minimises, -1 for one that maximises: HiGHS always minimises
    ``sense x objective``, and objective and duals are turned back by this factor."""

    def value(self, name: str, shape: tuple[int, ...]) -> np.ndarray:
        sl = self.col_slices.get(name)
        return np.zeros(shape) if sl is None else self.x[sl].reshape(shape)

    def dual(self, name: str, shape: tuple[int, ...]) -> np.ndarray:
        sl = self.row_slices.get(name)
        return np.zeros(shape) if sl is None else self.row_dual[sl].reshape(shape)


@contextlib.contextmanager
def _quiet_stdout():
    """Silence C-level stdout (the HiGHS constructor prints a banner before options apply)."""
    try:
        sys.stdout.flush()
        fd = sys.stdout.fileno()
    except (AttributeError, OSError, ValueError):  # no real file descriptor (e.g. captured)
        yield
        return
    saved = os.dup(fd)
    try:
        with open(os.devnull, "w") as devnull:
            os.dup2(devnull.fileno(), fd)
            yield
    finally:
        os.dup2(saved, fd)
        os.close(saved)


def _matrix(m: pyo.ConcreteModel):
    """Columns, bounds, costs and the CSR matrix of ``m`` (one row per constraint)."""
    col_of: dict[int, int] = {}
    col_slices: dict[str, slice] = {}
    lbs: list = []
    ubs: list = []
    for comp in m.component_objects(pyo.Var, active=True, descend_into=True):
        start = len(col_of)
        for v in comp.values():
            col_of[id(v)] = len(col_of)
            lo, hi = v._lb, v._ub  # plain floats as gridopt sets them; anything else the slow way
            if v.fixed:
                lo = hi = v.value
            elif lo.__class__ is not float or hi.__class__ is not float:
                lo, hi = v.bounds
            lbs.append(-np.inf if lo is None else lo)
            ubs.append(np.inf if hi is None else hi)
        col_slices[comp.name] = slice(start, len(col_of))
    n = len(col_of)

    indptr, index, value, row_lo, row_hi = [0], [], [], [], []
    row_slices: dict[str, slice] = {}
    add_index, add_value = index.extend, value.extend
    for comp in m.component_objects(pyo.Constraint, active=True, descend_into=True):
        start = len(row_lo)
        for con in comp.values():
            lo, body, hi = con.to_bounded_expression()
            if body.__class__ is LinearExpression:
                add_index([col_of[id(v)] for v in body.linear_vars])
                add_value(body.linear_coefs)
                k = body.constant
            else:
                repn = generate_standard_repn(body, compute_values=True)
                if repn.nonlinear_expr is not None or repn.quadratic_vars:
                    raise ValueError(f"constraint {con.name} is not linear")
                add_index([col_of[id(v)] for v in repn.linear_vars])
                add_value(repn.linear_coefs)
                k = repn.constant
            indptr.append(len(index))
            row_lo.append(-np.inf if lo is None else pyo.value(lo) - k)
            row_hi.append(np.inf if hi is None else pyo.value(hi) - k)
        row_slices[comp.name] = slice(start, len(row_lo))

    cost = np.zeros(n)
    offset = 0.0
    objs = list(m.component_data_objects(pyo.Objective, active=True))
    if len(objs) != 1:
        raise ValueError(f"expected one active objective, found {len(objs)}")
    obj = objs[0]
    expr = obj.expr
    if expr.__class__ is LinearExpression:
        cols, coefs, offset = (
            [col_of[id(v)] for v in expr.linear_vars],
            expr.linear_coefs,
            expr.constant,
        )
    else:
        repn = generate_standard_repn(expr, compute_values=True)
        cols, coefs, offset = (
            [col_of[id(v)] for v in repn.linear_vars],
            repn.linear_coefs,
            repn.constant,
        )
    np.add.at(cost, np.asarray(cols, dtype=np.int64), np.asarray(coefs, dtype=float))
    sense = 1.0 if obj.sense == pyo.minimize else -1.0
    return dict(
        cost=cost * sense,
        offset=float(offset) * sense,
        lb=np.array(lbs, float),
        ub=np.array(ubs, float),
        indptr=np.asarray(indptr, np.int32),
        index=np.asarray(index, np.int32),
        value=np.asarray(value, float),
        row_lo=np.array(row_lo, float),
        row_hi=np.array(row_hi, float),
        col_slices=col_slices,
        row_slices=row_slices,
        sense=sense,
    )


def solve(
    m: pyo.ConcreteModel,
    options: dict[str, object] | None = None,
    *,
    name: str = "",
    keep: bool = False,
) -> Solution:
    """Solve ``m`` with HiGHS; raise :class:`SolveError` unless the solution is optimal.

    ``options`` are HiGHS options (``threads``, ``time_limit``, ``solver``, ``presolve`` …).
    Timings returned: ``handoff`` (matrix extraction + passModel) and ``solve`` [s].
    """
    t0 = time.perf_counter()
    with gc_paused():
        mat = _matrix(m)
        with _quiet_stdout():
            h = highspy.Highs()
        for key, val in {**DEFAULT_OPTIONS, **(options or {})}.items():
            status = h.setOptionValue(str(key), val)
            if status != highspy.HighsStatus.kOk:
                raise SolveError(f"HiGHS rejected option {key}={val!r}")
        lp = highspy.HighsLp()
        lp.num_col_ = len(mat["cost"])
        lp.num_row_ = len(mat["row_lo"])
        lp.col_cost_ = mat["cost"]
        lp.col_lower_ = mat["lb"]
        lp.col_upper_ = mat["ub"]
        lp.row_lower_ = mat["row_lo"]
        lp.row_upper_ = mat["row_hi"]
        lp.offset_ = mat["offset"]
        lp.a_matrix_.format_ = highspy.MatrixFormat.kRowwise
        lp.a_matrix_.num_col_ = lp.num_col_
        lp.a_matrix_.num_row_ = lp.num_row_
        lp.a_matrix_.start_ = mat["indptr"]
        lp.a_matrix_.index_ = mat["index"]
        lp.a_matrix_.value_ = mat["value"]
        h.passModel(lp)
    t1 = time.perf_counter()
    out = _run(h, name, mat["sense"], mat["col_slices"], mat["row_slices"])
    out.timings_s = {"handoff": t1 - t0, "solve": out.timings_s["solve"]}
    if keep:
        out.highs = h
    return out


def _run(h: highspy.Highs, name: str, sense: float, col_slices: dict, row_slices: dict) -> Solution:
    t0 = time.perf_counter()
    h.run()
    t1 = time.perf_counter()
    status = h.modelStatusToString(h.getModelStatus())
    if h.getModelStatus() != highspy.HighsModelStatus.kOptimal:
        raise SolveError(
            f"{name or 'model'}: HiGHS finished with status '{status}', not optimal; no results written"
        )
    sol = h.getSolution()
    info = h.getInfo()
    return Solution(
        status=status,
        objective=float(info.objective_function_value) * sense,
        x=np.asarray(sol.col_value, float),
        row_dual=np.asarray(sol.row_dual, float) * sense,
        col_slices=col_slices,
        row_slices=row_slices,
        timings_s={"solve": t1 - t0},
        iterations=int(info.simplex_iteration_count + info.ipm_iteration_count),
        highs=h,
        sense=sense,
        lp_size={
            "rows": int(h.getNumRow()),
            "columns": int(h.getNumCol()),
            "nonzeros": int(h.getNumNz()),
        },
    )


def resolve(sol: Solution, *, name: str = "") -> Solution:
    """Re-solve a kept HiGHS instance after changing its bounds or costs (warm start from the
    previous basis; e.g. ``sol.highs.changeRowsBounds(...)`` on ``sol.row_slices['bus_balance']``
    rows to add a load). Returns a new Solution sharing the instance."""
    if sol.highs is None:
        raise ValueError("solve(..., keep=True) keeps the HiGHS instance needed to resolve")
    return _run(sol.highs, name, sol.sense, sol.col_slices, sol.row_slices)
