"""Hand the Pyomo model to HiGHS in memory, solve, and return primal values and duals.

The hand-off turns the model into one row-wise CSR matrix (:func:`gridopt.handoff.matrix`:
array-backed components taken whole, any other read through Pyomo) and passes it to
``highspy.Highs.passModel`` as a ``HighsLp`` (no LP file, no row-by-row API calls). Every
constraint becomes exactly one row with its lower and upper bound (ranged rows stay one row),
and every Var component's columns are contiguous, so results and duals map back by slicing.

When HiGHS finds no optimum, :class:`SolveError` says why in a planner's words; the text
comes from :mod:`gridopt.diagnose` (the infeasible subset or the unbounded ray, mapped back to
assets, hours and scenario fields).
"""

from __future__ import annotations

import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import highspy
import numpy as np

# MAX_CAUSES, IIS_TIME_LIMIT_S and Explain live in gridopt.diagnose; still importable from here
from gridopt.console import Live, highs_progress
from gridopt.diagnose import IIS_TIME_LIMIT_S, MAX_CAUSES, Explain, failure_message, quiet_stdout
from gridopt.errors import SolveError
from gridopt.handoff import matrix
from gridopt.model.core import Layout, gc_paused

if TYPE_CHECKING:
    from pyomo.core import ConcreteModel

__all__ = [
    "DEFAULT_OPTIONS",
    "IIS_TIME_LIMIT_S",
    "MAX_CAUSES",
    "Explain",
    "Solution",
    "check_options",
    "resolve",
    "solve",
]

DEFAULT_OPTIONS: dict[str, object] = {"output_flag": False, "threads": 1}
"""HiGHS options every solve starts from; the caller's options override them."""


def check_options(options: Mapping[str, object] | None) -> None:
    """Raise :class:`SolveError` naming the first HiGHS option in ``options`` that HiGHS
    rejects (an unknown name, or a value of the wrong type or out of range, e.g.
    ``threads='abc'``), with the same message :func:`solve` gives, but before any model is
    built: each option is tried on a throwaway, silenced ``highspy.Highs()``."""
    if not options:
        return
    with quiet_stdout():  # the constructor's banner and HiGHS's own complaint
        h = highspy.Highs()
        h.setOptionValue("output_flag", False)
        _set_options(h, options)


def _set_options(h: highspy.Highs, options: Mapping[str, object]) -> None:
    """Set each of ``options`` on ``h``; SolveError for the first one HiGHS rejects."""
    for key, val in options.items():
        status = h.setOptionValue(str(key), val)
        if status != highspy.HighsStatus.kOk:
            raise SolveError(f"HiGHS rejected option {key}={val!r}")


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


def release_freed_memory() -> None:
    """Hand the memory HiGHS has just freed back to the operating system (glibc's
    ``malloc_trim``; elsewhere nothing). Without it the freed pages stay in the process's heap,
    fragmented, and the arrays of the results are allocated on top of them: a year's peak
    memory was the solve's plus the extraction's (942 MB against 818 MB on the default year)."""
    try:
        import ctypes

        ctypes.CDLL("libc.so.6").malloc_trim(0)
    except (OSError, AttributeError):  # not glibc: the allocator keeps what it keeps
        pass


def solve(
    m: ConcreteModel,
    options: dict[str, object] | None = None,
    *,
    name: str = "",
    keep: bool = False,
    explain: Explain | None = None,
    layout: Mapping[str, Layout] | None = None,
    live: Live | None = None,
) -> Solution:
    """Solve ``m`` with HiGHS; raise :class:`SolveError` unless the solution is optimal.

    ``options`` are HiGHS options (``threads``, ``time_limit``, ``solver``, ``presolve`` …).
    ``keep``: keep the HiGHS instance in ``Solution.highs`` for :func:`resolve`; otherwise it
    is released here. ``explain`` names the assets, hours and fields of a bound in the
    message of an infeasible or unbounded model (default: component name and position).
    ``layout`` (``Build.layouts``) lets :meth:`Solution.rows` and :meth:`Solution.cols` find
    rows and columns by asset and hour. ``live(iterations, objective, seconds)`` is told
    HiGHS's progress during the solve (:func:`gridopt.console.highs_progress`; read-only).
    Timings returned: ``handoff`` (matrix extraction + passModel) and ``solve`` [s].
    """
    t0 = time.perf_counter()
    with gc_paused():
        mat = matrix(m)
        with quiet_stdout():
            h = highspy.Highs()
        _set_options(h, {**DEFAULT_OPTIONS, **(options or {})})
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
        out = _run(h, name, sense, col_slices, row_slices, keep=keep, explain=explain, live=live)
        out.layout = layout or {}
    finally:
        if not keep:
            del h  # nothing else refers to the instance: HiGHS frees the model here
            release_freed_memory()
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
    live: Live | None = None,
) -> Solution:
    t0 = time.perf_counter()
    with highs_progress(h, live):
        h.run()
    t1 = time.perf_counter()
    if h.getModelStatus() != highspy.HighsModelStatus.kOptimal:
        raise SolveError(failure_message(h, name, col_slices, row_slices, explain))
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
