"""The in-memory HiGHS hand-off and the warm re-solve, on models small enough to solve by hand."""

from __future__ import annotations

import numpy as np
import pyomo.environ as pyo
import pytest

from gridopt.solve import resolve, solve


def _tiny(sense):
    """max/min 2x + y  s.t.  x + y <= 4 (row 'cap'),  x <= 3,  x, y >= 0."""
    m = pyo.ConcreteModel()
    m.x = pyo.Var(bounds=(0, 3))
    m.y = pyo.Var(bounds=(0, None))
    m.cap = pyo.Constraint(expr=m.x + m.y <= 4)
    m.obj = pyo.Objective(expr=2 * m.x + m.y, sense=sense)
    return m


def test_maximise_and_warm_resolve_keep_the_sign():
    """max 2x + y with x + y <= 4, x <= 3: x = 3, y = 1, objective 7; the dual of 'cap' is the
    value of one more unit of y, +1. Raising the row to <= 6 gives x = 3, y = 3, objective 9, and
    the warm re-solve must report +9 and dual +1 (HiGHS itself minimises the negated objective)."""
    sol = solve(_tiny(pyo.maximize), keep=True)
    assert sol.objective == pytest.approx(7.0)
    assert sol.row_dual[sol.row_slices["cap"]][0] == pytest.approx(1.0)
    r = sol.row_slices["cap"].start
    sol.highs.changeRowsBounds(1, np.array([r], np.int32), np.array([-np.inf]), np.array([6.0]))
    again = resolve(sol)
    assert again.objective == pytest.approx(9.0)
    assert again.row_dual[again.row_slices["cap"]][0] == pytest.approx(1.0)


def test_minimise_with_a_floor():
    """min 2x + y with x + y >= 4 (written as -(x + y) <= -4 is the same row), x <= 3: y = 4 alone
    costs 4, cheaper than any x; objective 4."""
    m = _tiny(pyo.minimize)
    m.cap.deactivate()
    m.floor = pyo.Constraint(expr=m.x + m.y >= 4)
    sol = solve(m, keep=True)
    assert sol.objective == pytest.approx(4.0)
    assert resolve(sol).objective == pytest.approx(4.0)
