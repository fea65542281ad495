"""The array-backed model (gridopt.model.lazy) read through Pyomo and changed through Pyomo.

Micro network of tests/test_labelled_lp.py: bus a with coal 100 MW at 210 CNY/MWh and a 50 MW
load, 3 hours (bus b joined by a line, nothing there); VOLL 10,000 CNY/MWh. As built: coal
serves the load, 150 MWh x 210 = 31,500 CNY.
"""

from __future__ import annotations

import pyomo.environ as pyo
import pytest

from gridopt.handoff import matrix
from gridopt.model import build
from gridopt.solve import solve
from tests.test_labelled_lp import _micro_ds


def test_a_bound_set_and_a_row_added_through_pyomo_are_solved():
    """Through Pyomo's own API: coal's upper bound in hour 1 set to 20 MW (30 MWh unserved at
    VOLL), and an ordinary Constraint coal <= 40 MW in hour 2 (10 MWh unserved):
    coal 50 + 20 + 40 = 110 MWh x 210 = 23,100, unserved 40 MWh x 10,000 = 400,000:
    423,100 CNY. The added row binds; one more MW there saves 10,000 - 210 = 9,790 CNY, so
    its dual (a <= row of a minimisation) is -9,790."""
    b = build(_micro_ds())
    b.m.thermal_p[0, 1].setub(20.0)
    b.m.extra = pyo.Constraint(expr=b.m.thermal_p[0, 2] <= 40.0)
    sol = solve(b.m, layout=b.layouts)
    assert sol.objective == pytest.approx(423_100)
    assert sol.row_dual[sol.row_slices["extra"]][0] == pytest.approx(-9_790)
    p = sol.value("thermal_p", (1, 3))[0]
    assert p.tolist() == pytest.approx([50.0, 20.0, 40.0])


def test_pyomo_reads_the_same_lp_the_hand_off_takes():
    """Every row read through Pyomo (its body, lower and upper, from the row block's matrix)
    and the objective's expression (built from the cost arrays when first read) give, at the
    optimum, the hand-off's row activities and objective; the rows' count matches the
    layout's."""
    b = build(_micro_ds())
    mat = matrix(b.m)
    sol = solve(b.m, layout=b.layouts)
    for comp in b.m.component_objects(pyo.Var):
        sl = sol.col_slices[comp.name]
        start = b.col_start[comp.name]
        for k, v in enumerate(b.vardata(range(start, start + sl.stop - sl.start))):
            v.set_value(float(sol.x[sl.start + k]), skip_validation=True)
    assert pyo.value(b.m.objective.expr) == pytest.approx(sol.objective, rel=1e-12)
    for comp in b.m.component_objects(pyo.Constraint):
        sl = sol.row_slices[comp.name]
        assert len(comp) == len(b.layouts[comp.name].keys) == sl.stop - sl.start
        for k, row in comp.items():
            i = sl.start + k
            a, z = mat["indptr"][i], mat["indptr"][i + 1]
            activity = float(mat["value"][a:z] @ sol.x[mat["index"][a:z]])
            assert pyo.value(row.body) == pytest.approx(activity, abs=1e-9)
            lo, hi = row.lower, row.upper
            assert (mat["row_lo"][i], mat["row_hi"][i]) == (
                -float("inf") if lo is None else lo,
                float("inf") if hi is None else hi,
            )
