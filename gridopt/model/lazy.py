"""The Pyomo side of a built model, created when Pyomo asks for it.

:class:`gridopt.model.core.Build` records the LP as arrays — each variable's bounds, each
block of rows as a CSR matrix over column numbers, the cost of each column — and gives Pyomo
the same model through three components that read those arrays:

- a ``Var`` per variable family, declared over its whole index with a ``bounds`` rule reading
  the arrays, *sparse*: a ``VarData`` is created when something asks for ``x[j, t]``;
- a :func:`row_block` per constraint family: Pyomo's ``MatrixConstraint`` (rows held as one
  CSR matrix, bodies built when read) over :class:`Columns`, which hands Pyomo the ``VarData``
  of a column number when a body is read;
- a :func:`cost_objective`: a ``ScalarObjective`` whose expression is built from the cost
  arrays the first time it is read.

Read through Pyomo (``con.body``, ``obj.expr``, appsi, the writers), the model is the full LP:
``tests/test_demo_invariants.py`` solves it with Pyomo's own HiGHS interface and checks the
optimum and the duals against gridopt's hand-off. The hand-off
(:func:`gridopt.solve.solve`) takes the arrays whole and creates no Python object per
variable or nonzero — at a year's size that was most of the time outside HiGHS
(docs/performance.md).
"""

from __future__ import annotations

import functools
import weakref
from bisect import bisect_right
from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class Bounds:
    """A variable family's columns: the first column number, the bounds flat in ``[j, t]``
    order (±inf: none) and the hours per asset (0 for a capacity-shaped family)."""

    start: int
    lower: np.ndarray
    upper: np.ndarray
    hours: int

    def __call__(self, model, *index) -> tuple[float | None, float | None]:
        """Pyomo's ``bounds`` rule: (lower, upper) of ``x[index]``, ``None`` for no bound."""
        k = index[0] * self.hours + index[1] if self.hours else index[0]
        lo, hi = float(self.lower[k]), float(self.upper[k])
        return (None if lo == -np.inf else lo, None if hi == np.inf else hi)


class Columns:
    """Column number -> the Pyomo ``VarData`` (created on first access), for the row blocks
    and the objective; ``families`` are the Var components in column order."""

    def __init__(self) -> None:
        self.families: list = []
        self.starts: list[int] = []
        self.count = 0

    def add(self, var, n: int) -> None:
        self.families.append(var)
        self.starts.append(self.count)
        self.count += n

    def __len__(self) -> int:
        return self.count

    def __getitem__(self, col):
        col = int(col)
        if not 0 <= col < self.count:
            raise IndexError(f"no column {col}")
        i = bisect_right(self.starts, col) - 1
        var = self.families[i]
        hours = var._gridopt.hours
        off = col - self.starts[i]
        return var[divmod(off, hours)] if hours else var[off]


def expression_classes() -> tuple[type, type, type, type, type]:
    """Pyomo's ``LinearExpression``, ``MonomialTermExpression``, ``EqualityExpression``,
    ``InequalityExpression`` and ``RangedExpression`` (imported on first use, see :func:`pyomo`)."""
    from pyomo.core.expr.numeric_expr import LinearExpression, MonomialTermExpression
    from pyomo.core.expr.relational_expr import (
        EqualityExpression,
        InequalityExpression,
        RangedExpression,
    )

    return (
        LinearExpression,
        MonomialTermExpression,
        EqualityExpression,
        InequalityExpression,
        RangedExpression,
    )


@functools.cache
def row_block() -> type:
    """The class of a block of rows: Pyomo's ``MatrixConstraint`` over :class:`Columns`, with
    what Pyomo 6.10's walkers need and its class lacks: ``keys``/``values``/``items`` taking
    ``sort`` (it takes them from ``collections.abc.Mapping``) and each row's ``expr`` and
    ``to_bounded_expression``."""
    from pyomo.core.base.constraint import IndexedConstraint
    from pyomo.core.base.matrix_constraint import MatrixConstraint, _MatrixConstraintData
    from pyomo.core.base.set_types import Any

    _, _, equality, inequality, ranged = expression_classes()

    class Row(_MatrixConstraintData):
        __slots__ = ()

        def to_bounded_expression(self, evaluate_bounds=False):
            return self.lower, self.body, self.upper

        @property
        def expr(self):
            lo, body, hi = self.lower, self.body, self.upper
            if lo is not None and hi is not None:
                return equality((body, lo)) if lo == hi else ranged((lo, body, hi), (False, False))
            return inequality((body, hi), False) if lo is None else inequality((lo, body), False)

    class RowBlock(MatrixConstraint):
        """``lower <= A x <= upper`` with ``A`` in CSR over column numbers of ``columns``."""

        def __init__(self, data, indices, indptr, lower, upper, columns: Columns):
            IndexedConstraint.__init__(self, Any)
            self._A_data, self._A_indices, self._A_indptr = data, indices, indptr
            self._lower, self._upper = lower, upper
            self._x = columns  # MatrixConstraint's own __init__ would copy it to a tuple

        def construct(self, data=None):
            if self._constructed:
                return
            self._constructed = True
            ref = weakref.ref(self)
            self._data = tuple(Row(i, ref) for i in range(len(self._lower)))

        def keys(self, sort=None, ordered=None):
            return iter(range(len(self._data)))

        def values(self, sort=None, ordered=None):
            return iter(self._data)

        def items(self, sort=None, ordered=None):
            return enumerate(self._data)

    return RowBlock


@functools.cache
def cost_objective() -> type:
    """The class of the objective: a ``ScalarObjective`` whose expression is built from the
    cost arrays when first read (:meth:`arm`); ``from_arrays`` stays True until someone sets
    another expression."""
    from pyomo.core.base.objective import ObjectiveData, ScalarObjective

    slot = ObjectiveData._args_

    class CostObjective(ScalarObjective):
        _build = None
        from_arrays = False

        def arm(self, expression, arrays, columns: Columns) -> None:
            """From now on the objective is ``arrays()`` — (column numbers of ``columns``,
            coefficients) — as the hand-off reads it, and its Pyomo expression
            ``expression()``, built when first read. Call once the component is on its model
            (Pyomo's construction sets the expression)."""
            self._build, self.from_arrays = expression, True
            self._build_arrays, self._columns = arrays, columns

        @property
        def _args_(self):
            if self._build is not None:
                expr, self._build = self._build(), None
                slot.__set__(self, (expr,))
            return slot.__get__(self)

        @_args_.setter
        def _args_(self, value):
            self._build, self.from_arrays = None, False
            slot.__set__(self, value)

    return CostObjective
