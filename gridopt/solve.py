"""Hand the Pyomo model to HiGHS in memory, solve, and return primal values and duals.

The hand-off reads each constraint's linear body once and passes the whole matrix to
``highspy.Highs.passModel`` as a row-wise ``HighsLp`` (no LP file, no row-by-row API calls).
Every constraint becomes exactly one row with its lower and upper bound (ranged rows stay one
row), and every Var component's columns are contiguous, so results and duals map back by
slicing. Bodies that are not ``LinearExpression`` objects are compiled with Pyomo's generic
linear representation.

When HiGHS finds no optimum, :class:`SolveError` says why in a planner's words: for an
infeasible model the rows and bounds of an irreducible infeasible subset (HiGHS ``getIis``),
for an unbounded one the variables of a primal ray that earn money without limit, each mapped
back to its asset, hour and scenario fields by the ``explain`` callback the model builder
provides (:meth:`gridopt.model.core.Build.explain`). The list is capped at
:data:`MAX_CAUSES` lines.
"""

from __future__ import annotations

import bisect
import contextlib
import os
import sys
import time
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field

import highspy
import numpy as np
import pyomo.environ as pyo
import scipy.sparse as sp
from pyomo.core.expr.numeric_expr import LinearExpression
from pyomo.repn.standard_repn import generate_standard_repn
from scipy.sparse.csgraph import connected_components

from gridopt.errors import SolveError
from gridopt.model.core import Explained, Layout, gc_paused

DEFAULT_OPTIONS: dict[str, object] = {"output_flag": False, "threads": 1}
MAX_CAUSES = 12
"""Most lines a diagnosis lists (grouped by asset and limit over hours)."""
IIS_TIME_LIMIT_S = 60.0
"""Time allowed for finding irreducible infeasible subsets [s]; past it, the diagnosis lists
every limit of the infeasible asset instead."""

Explain = Callable[[str, int, str, float], Explained]
"""(component name, offset in the component, 'lower' or 'upper', bound value) -> Explained"""


@dataclass
class Solution:
    """Primal values and duals of a solved model, with the layout to slice them.

    x : column values; row_dual : row duals [objective units per unit of row activity]
    col_slices / row_slices : Pyomo component name -> slice of x / row_dual
    layout : Pyomo component name -> its index (:class:`gridopt.model.core.Layout`), from
        which :meth:`cols` and :meth:`rows` find HiGHS indices by asset and hour
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

    explain: Explain | None = None
    """Kept with the HiGHS instance, to explain a failed :func:`resolve`."""
    layout: Mapping[str, Layout] = field(default_factory=dict)
    """Component name -> index layout, as the model builder recorded it (``Build.layouts``)."""

    def cols(self, name: str, asset=None, hours=None, **by_dim) -> np.ndarray:
        """HiGHS column indices of Var component ``name`` for ``asset`` at ``hours``, ordered
        [asset, hour], e.g. ``sol.cols("flex_p", flex="smelter", hours=slice(0, 24))``.

        ``asset`` (or the keyword named after the component's dim: ``bus=``, ``thermal=`` …):
        an asset name, a position along the component's first index, a sequence of either,
        or None for all; ``hours``: an hour position, a slice, a sequence, or None for all
        (None for a capacity-shaped variable). KeyError for an unknown name or asset."""
        return _index(self.col_slices, self.layout, name, asset, hours, by_dim, "variable")

    def rows(self, name: str, asset=None, hours=None, **by_dim) -> np.ndarray:
        """HiGHS row indices of Constraint component ``name`` for ``asset`` at ``hours``,
        ordered [asset, hour], e.g. ``sol.rows("bus_balance", bus="b", hours=[0, 1])``; the
        arguments as for :meth:`cols` (a row over the whole horizon has no hours; a row that
        was not created, having no variables, is a KeyError)."""
        return _index(self.row_slices, self.layout, name, asset, hours, by_dim, "constraint")

    def value(self, name: str, shape: tuple[int, ...]) -> np.ndarray:
        """Values of Var component ``name`` shaped ``shape``; KeyError for an unknown name
        (an absent family is the caller's to handle: a typo must not read as zero dispatch),
        ValueError when the sizes differ."""
        return _take(self.x, self.col_slices, name, shape, "variable")

    def dual(self, name: str, shape: tuple[int, ...]) -> np.ndarray:
        """Duals of Constraint component ``name`` shaped ``shape`` [objective units per unit of
        row activity]; KeyError for an unknown name, ValueError when the sizes differ."""
        return _take(self.row_dual, self.row_slices, name, shape, "constraint")


def _index(
    slices: dict[str, slice],
    layout: Mapping[str, Layout],
    name: str,
    asset,
    hours,
    by_dim: dict,
    kind: str,
) -> np.ndarray:
    """Global HiGHS indices (int32) of ``asset`` at ``hours`` in component ``name``."""
    sl = slices.get(name)
    if sl is None:
        known = ", ".join(sorted(slices)) or "none"
        raise KeyError(f"no {kind} component {name!r} in the solved model; known: {known}")
    if asset is None and hours is None and not by_dim:
        return np.arange(sl.start, sl.stop, dtype=np.int32)
    lay = layout.get(name)
    if lay is None:
        raise ValueError(
            f"no layout of {kind} component {name!r}: solve(..., layout=build.layouts) "
            "records where each asset and hour is"
        )
    if by_dim:
        if len(by_dim) > 1 or asset is not None or next(iter(by_dim)) != lay.dim:
            counts = f"counts {lay.dim}: give asset= or {lay.dim}=" if lay.dim else "give asset="
            raise TypeError(f"{kind} component {name!r} {counts}")
        asset = next(iter(by_dim.values()))
    return (sl.start + lay.offsets(asset, hours)).astype(np.int32)


def _take(arr: np.ndarray, slices: dict[str, slice], name: str, shape, kind: str) -> np.ndarray:
    sl = slices.get(name)
    if sl is None:
        known = ", ".join(sorted(slices)) or "none"
        raise KeyError(f"no {kind} component {name!r} in the solved model; known: {known}")
    n = sl.stop - sl.start
    if n != int(np.prod(shape)):
        raise ValueError(f"{kind} component {name!r} has {n} entries, not shape {tuple(shape)}")
    return arr[sl].reshape(shape)


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
    explain: Explain | None = None,
    layout: Mapping[str, Layout] | None = None,
) -> Solution:
    """Solve ``m`` with HiGHS; raise :class:`SolveError` unless the solution is optimal.

    ``options`` are HiGHS options (``threads``, ``time_limit``, ``solver``, ``presolve`` …).
    ``keep``: keep the HiGHS instance in ``Solution.highs`` for :func:`resolve`; otherwise it
    is released here. ``explain`` names the assets, hours and fields of a bound in the
    message of an infeasible or unbounded model (default: component name and position).
    ``layout`` (``Build.layouts``) lets :meth:`Solution.rows` and :meth:`Solution.cols` find
    rows and columns by asset and hour.
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
    sense, col_slices, row_slices = mat["sense"], mat["col_slices"], mat["row_slices"]
    del mat, lp  # HiGHS holds its own copy
    t1 = time.perf_counter()
    try:
        out = _run(h, name, sense, col_slices, row_slices, keep=keep, explain=explain)
        out.layout = layout or {}
    finally:
        if not keep:
            del h  # nothing else refers to the instance: HiGHS frees the model here
    out.timings_s = {"handoff": t1 - t0, "solve": out.timings_s["solve"]}
    return out


def _run(
    h: highspy.Highs,
    name: str,
    sense: float,
    col_slices: dict,
    row_slices: dict,
    *,
    keep: bool,
    explain: Explain | None,
) -> Solution:
    t0 = time.perf_counter()
    h.run()
    t1 = time.perf_counter()
    if h.getModelStatus() != highspy.HighsModelStatus.kOptimal:
        raise SolveError(_failure(h, name, col_slices, row_slices, explain))
    status = h.modelStatusToString(h.getModelStatus())
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
        highs=h if keep else None,
        explain=explain if keep else None,
        sense=sense,
        lp_size={
            "rows": int(h.getNumRow()),
            "columns": int(h.getNumCol()),
            "nonzeros": int(h.getNumNz()),
        },
    )


# --------------------------------------------------------------------------------------------
# Why there is no optimum
# --------------------------------------------------------------------------------------------


def _failure(
    h: highspy.Highs,
    name: str,
    col_slices: dict[str, slice],
    row_slices: dict[str, slice],
    explain: Explain | None,
) -> str:
    """The SolveError message for a model HiGHS did not solve to optimality."""
    S = highspy.HighsModelStatus
    head = name or "model"
    if h.getModelStatus() == S.kUnboundedOrInfeasible:  # presolve could not tell: ask simplex
        presolve = h.getOptionValue("presolve")[1]
        h.setOptionValue("presolve", "off")
        h.run()
        h.setOptionValue("presolve", presolve)  # a kept instance keeps the caller's options
    code = h.getModelStatus()
    status = h.modelStatusToString(code)
    locate = _Locator(col_slices, row_slices, explain)
    if code == S.kInfeasible:
        causes, irreducible = _iis(h, locate)
        if causes:
            which = "these limits cannot all hold at once" if irreducible else "the conflict is"
            which += "" if irreducible else " among these limits"
            return (
                f"{head}: no dispatch meets every limit (HiGHS: {status}); {which}:\n"
                f"{_lines(causes)}\nchange one of the fields named; no results written"
            )
        return f"{head}: no dispatch meets every limit (HiGHS: {status}); no results written"
    if code == S.kUnbounded:
        causes = _ray(h, locate)
        text = f"{head}: the cost can fall without limit (HiGHS: {status})"
        if causes:
            text += f"; these grow without bound and each MWh earns money:\n{_lines(causes)}\n"
            text += (
                "give them a finite limit, or a price that does not pay for energy that "
                "is then dumped"
            )
        return text + "; no results written"
    hint = ""
    if code in (S.kTimeLimit, S.kIterationLimit):
        hint = " (raise time_limit in solver.options or --solver-option, or shorten --hours)"
    return f"{head}: HiGHS finished with status '{status}', not optimal{hint}; no results written"


class _Locator:
    """Global column/row index -> (component, offset) -> Explained."""

    def __init__(self, col_slices, row_slices, explain: Explain | None):
        self.explain = explain
        self.cols = sorted((sl.start, sl.stop, n) for n, sl in col_slices.items())
        self.rows = sorted((sl.start, sl.stop, n) for n, sl in row_slices.items())

    def __call__(self, kind: str, index: int, side: str, value: float) -> tuple[str, Explained]:
        table = self.cols if kind == "col" else self.rows
        k = bisect.bisect_right([start for start, _, _ in table], index) - 1
        if k < 0 or index >= table[k][1]:  # added after the hand-off (e.g. a tenant's columns)
            return f"{kind}{index}", Explained(f"{kind} {index}", "", f"{side} bound {value:g}")
        start, _, comp = table[k]
        if self.explain is None:
            return comp, Explained(f"{comp}[{index - start}]", "", f"{side} bound {value:g}")
        return comp, self.explain(comp, index - start, side, value)


_SIDES = {2: ("lower",), 3: ("upper",), 4: ("lower", "upper")}  # IisBoundStatus Lower/Upper/Boxed


def _iis(h: highspy.Highs, locate: _Locator) -> tuple[list[tuple[str, Explained]], bool]:
    """The bounds of an irreducible infeasible subset of the model in ``h``, explained, and
    whether it is irreducible (else: every limit of the infeasible part). Empty if none found.

    HiGHS's cheap test for incompatible bounds runs first. Otherwise the model is split into
    independent blocks: rows that private unbounded columns can always satisfy (the bus
    balance with its unserved-energy and excess slacks) are set aside, and what they joined
    falls apart into one block per asset (a store, a thermal cluster, a flexible load …).
    Each block is solved alone, and the irreducible subset is computed on the small blocks
    that are infeasible, which takes seconds even for a year.
    """
    lp = h.getLp()
    found = _iis_of(h, highspy.IisStrategy.kIisStrategyLight)
    if found is not None:
        return _explain_bounds(found, lp, locate), True
    A = _sparse(lp)
    out: list = []
    irreducible = True
    deadline = time.perf_counter() + IIS_TIME_LIMIT_S
    for rows, cols in _blocks(lp, A):
        with _quiet_stdout():
            sub = highspy.Highs()
        sub.setOptionValue("output_flag", False)
        sub.setOptionValue("threads", 1)
        sub.passModel(_sub_lp(lp, A, rows, cols))
        sub.run()
        if sub.getModelStatus() != highspy.HighsModelStatus.kInfeasible:
            continue
        sub.setOptionValue("iis_time_limit", max(1.0, deadline - time.perf_counter()))
        local = _iis_of(sub, highspy.IisStrategy.kIisStrategyLight)
        if local is None:
            local = _iis_of(sub, highspy.IisStrategy.kIisStrategyIrreducible)
        if local is None or time.perf_counter() >= deadline:
            # no irreducible subset in time: every limit of the block is involved
            irreducible = False
            local = (
                [(j, 4) for j in range(len(cols))],
                [(i, 4) for i in range(len(rows))],
            )
        found = (
            [(int(cols[j]), b) for j, b in local[0]],
            [(int(rows[i]), b) for i, b in local[1]],
        )
        out += _explain_bounds(found, lp, locate)
        if len(out) >= 4 * MAX_CAUSES or time.perf_counter() > deadline:
            break
    return out, irreducible


def _iis_of(h: highspy.Highs, strategy) -> tuple[list, list] | None:
    """(column index, bound status) and (row index, bound status) lists of HiGHS's IIS with
    ``strategy``, or None if it finds none."""
    h.setOptionValue("iis_strategy", int(strategy))
    status, iis = h.getIis()
    if status == highspy.HighsStatus.kError or not iis.valid_:
        return None
    cols = [(int(j), int(b)) for j, b in zip(iis.col_index_, iis.col_bound_)]
    rows = [(int(i), int(b)) for i, b in zip(iis.row_index_, iis.row_bound_)]
    if not any(b in _SIDES for _, b in cols + rows):
        return None
    return cols, rows


def _explain_bounds(found: tuple[list, list], lp, locate: _Locator) -> list:
    out = []
    for kind, items, lo, hi in (
        ("col", found[0], lp.col_lower_, lp.col_upper_),
        ("row", found[1], lp.row_lower_, lp.row_upper_),
    ):
        for i, bound in items:
            for side in _SIDES.get(bound, ()):
                value = lo[i] if side == "lower" else hi[i]
                if np.isfinite(value):
                    out.append(locate(kind, i, side, float(value)))
    return out


def _sparse(lp) -> sp.csr_matrix:
    """The constraint matrix of ``lp`` as a SciPy CSR matrix (rows x columns)."""
    a = lp.a_matrix_
    shape = (lp.num_row_, lp.num_col_)
    data = (np.asarray(a.value_, float), np.asarray(a.index_), np.asarray(a.start_))
    if a.format_ == highspy.MatrixFormat.kColwise:
        return sp.csc_matrix(data, shape=shape).tocsr()
    return sp.csr_matrix(data, shape=shape)


def _blocks(lp, A: sp.csr_matrix) -> Iterator[tuple[np.ndarray, np.ndarray]]:
    """(rows, columns) of each independent block of the model once the rows that are always
    feasible are set aside; blocks without rows (bounds only) are left out.

    A row is always feasible when columns that appear in no other row can move its activity
    without limit in each direction in which a side of the row is finite (e.g. a bus balance
    with unserved-energy and excess slacks, or a start-up row with its unbounded start-up
    column)."""
    m, n = A.shape
    lo, hi = np.asarray(lp.col_lower_, float), np.asarray(lp.col_upper_, float)
    rlo, rhi = np.asarray(lp.row_lower_, float), np.asarray(lp.row_upper_, float)
    C = A.tocsc()
    private = np.diff(C.indptr) == 1  # columns in exactly one row
    coo = A.tocoo()
    mine = private[coo.col]
    r, c, v = coo.row[mine], coo.col[mine], coo.data[mine]
    up = np.zeros(m, bool)
    down = np.zeros(m, bool)
    up[r[((v > 0) & (hi[c] == np.inf)) | ((v < 0) & (lo[c] == -np.inf))]] = True
    down[r[((v > 0) & (lo[c] == -np.inf)) | ((v < 0) & (hi[c] == np.inf))]] = True
    elastic = (up | (rhi == np.inf)) & (down | (rlo == -np.inf))
    keep = ~elastic[coo.row]
    graph = sp.coo_matrix(
        (np.ones(int(keep.sum())), (coo.col[keep], n + coo.row[keep])), shape=(n + m, n + m)
    )
    _, label = connected_components(graph, directed=False)
    col_label, row_label = label[:n], label[n:]
    rows_of: dict[int, list[int]] = {}
    for i in np.flatnonzero(~elastic):
        rows_of.setdefault(int(row_label[i]), []).append(int(i))
    order = np.argsort(col_label, kind="stable")
    starts = np.searchsorted(col_label[order], sorted(rows_of))
    ends = np.searchsorted(col_label[order], sorted(rows_of), side="right")
    for lab, a, b in zip(sorted(rows_of), starts, ends):
        yield np.asarray(rows_of[lab]), np.sort(order[a:b])


def _sub_lp(lp, A: sp.csr_matrix, rows: np.ndarray, cols: np.ndarray) -> highspy.HighsLp:
    """The feasibility problem (no cost) of ``rows`` x ``cols`` of ``lp``."""
    sub = A[rows][:, cols].tocsr()
    out = highspy.HighsLp()
    out.num_col_, out.num_row_ = len(cols), len(rows)
    out.col_cost_ = np.zeros(len(cols))
    out.col_lower_ = np.asarray(lp.col_lower_, float)[cols]
    out.col_upper_ = np.asarray(lp.col_upper_, float)[cols]
    out.row_lower_ = np.asarray(lp.row_lower_, float)[rows]
    out.row_upper_ = np.asarray(lp.row_upper_, float)[rows]
    out.a_matrix_.format_ = highspy.MatrixFormat.kRowwise
    out.a_matrix_.num_col_, out.a_matrix_.num_row_ = len(cols), len(rows)
    out.a_matrix_.start_ = sub.indptr.astype(np.int32)
    out.a_matrix_.index_ = sub.indices.astype(np.int32)
    out.a_matrix_.value_ = sub.data.astype(float)
    return out


def _ray(h: highspy.Highs, locate: _Locator) -> list[tuple[str, Explained]]:
    """The variables of a primal ray that lower the cost, explained at their open bound."""
    status, has_ray, ray = h.getPrimalRay()
    if status == highspy.HighsStatus.kError or not has_ray:
        return []
    lp = h.getLp()
    cost = np.asarray(lp.col_cost_, float)
    ray = np.asarray(ray, float)
    out = []
    for i in np.flatnonzero(cost * ray < -1e-9):
        up = ray[i] > 0
        comp, e = locate(
            "col", int(i), "upper" if up else "lower", lp.col_upper_[i] if up else lp.col_lower_[i]
        )
        out.append((comp, e._replace(limit=f"{e.limit}, at {cost[i]:g} CNY/MWh")))
    return out


def _lines(causes: list[tuple[str, Explained]]) -> str:
    """One line per (component, subject, limit text without hour), with the hours it holds in;
    at most MAX_CAUSES lines."""
    groups: dict[tuple[str, str, str], list[str]] = {}
    for comp, e in causes:
        if e.limit:  # bounds no scenario field sets (output >= 0) are left out
            groups.setdefault((comp, e.subject, e.limit), []).append(e.hour)
    lines = []
    for (_, subject, limit), hours in groups.items():
        hours = [x for x in hours if x]
        if not hours:
            lines.append(f"  - {subject}: {limit}")
        elif len(hours) == 1:
            lines.append(f"  - {subject} at {hours[0]}: {limit}")
        else:
            lines.append(
                f"  - {subject} in {len(hours)} hours ({min(hours)} to {max(hours)}): {limit}"
            )
    if len(lines) > MAX_CAUSES:
        more = len(lines) - (MAX_CAUSES - 1)
        lines = lines[: MAX_CAUSES - 1] + [f"  - … and {more} more"]
    return "\n".join(lines)


def resolve(sol: Solution, *, name: str = "") -> Solution:
    """Re-solve a kept HiGHS instance after changing its bounds or costs (warm start from the
    previous basis; e.g. ``sol.highs.changeRowsBounds(...)`` on the rows
    ``sol.rows("bus_balance", bus=...)`` to add a load). Returns a new Solution sharing the
    instance (and the layout)."""
    if sol.highs is None:
        raise ValueError("solve(..., keep=True) keeps the HiGHS instance needed to resolve")
    out = _run(
        sol.highs, name, sol.sense, sol.col_slices, sol.row_slices, keep=True, explain=sol.explain
    )
    out.layout = sol.layout
    return out
