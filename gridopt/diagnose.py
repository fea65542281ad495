"""Explain in a planner's words why HiGHS found no optimum: the text of a failed solve's
:class:`~gridopt.errors.SolveError`.

Infeasible: the rows and bounds of an irreducible infeasible subset (HiGHS ``getIis``). When
HiGHS's cheap test for incompatible bounds finds none, the model is split into independent
blocks (one per asset once the always-feasible bus balances are set aside), each block is
solved alone, and the subset is computed on the small blocks that are infeasible.
Unbounded: the variables of a primal ray that earn money without limit. Each row or column is
mapped back to its asset, hour and scenario fields by the ``explain`` callback the model
builder provides (:meth:`gridopt.model.core.Build.explain`); the list is capped at
:data:`MAX_CAUSES` lines. Anything else (time or iteration limit …): the status and a hint.
"""

from __future__ import annotations

import bisect
import contextlib
import os
import sys
import time
from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING

import highspy
import numpy as np

from gridopt.model.core import Explained

if TYPE_CHECKING:
    import scipy.sparse as sp

MAX_CAUSES = 12
"""Most lines a diagnosis lists (grouped by asset and limit over hours)."""
IIS_TIME_LIMIT_S = 60.0
"""Time allowed for finding irreducible infeasible subsets [s]; past it, the diagnosis lists
every limit of the infeasible asset instead."""

Explain = Callable[[str, int, str, float], Explained]
"""(component name, offset in the component, 'lower' or 'upper', bound value) -> Explained"""


@contextlib.contextmanager
def quiet_stdout():
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


def failure_message(
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
        with quiet_stdout():
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
    import scipy.sparse as sp  # imported here: only a failed solve needs scipy (slow import)

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
    import scipy.sparse as sp
    from scipy.sparse.csgraph import connected_components

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
