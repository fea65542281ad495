"""The in-memory HiGHS hand-off, the warm re-solve and what a solution may be asked, on models
small enough to solve by hand."""

from __future__ import annotations

import numpy as np
import pyomo.environ as pyo
import pytest
import yaml

from gridopt.errors import SolveError
from gridopt.run import run_scenario
from gridopt.solve import check_options, resolve, solve
from tests.conftest import micro


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
    assert sol.row_dual[sol.rows("cap")][0] == pytest.approx(1.0)
    r = sol.rows("cap")  # a component without asset or hour: all its rows, here one
    sol.highs.changeRowsBounds(1, r, np.array([-np.inf]), np.array([6.0]))
    again = resolve(sol)
    assert again.objective == pytest.approx(9.0)
    assert again.row_dual[again.rows("cap")][0] == pytest.approx(1.0)


def test_minimise_with_a_floor():
    """min 2x + y with x + y >= 4 (written as -(x + y) <= -4 is the same row), x <= 3: y = 4 alone
    costs 4, cheaper than any x; objective 4."""
    m = _tiny(pyo.minimize)
    m.cap.deactivate()
    m.floor = pyo.Constraint(expr=m.x + m.y >= 4)
    sol = solve(m, keep=True)
    assert sol.objective == pytest.approx(4.0)
    assert resolve(sol).objective == pytest.approx(4.0)


def test_unknown_names_raise_instead_of_reading_as_zero():
    """A typo in a component name must not read as zero dispatch or a zero price: value() and
    dual() raise KeyError naming the known components, and a wrong shape raises ValueError."""
    sol = solve(_tiny(pyo.maximize))
    assert sol.value("x", (1,)) == pytest.approx([3.0])
    with pytest.raises(KeyError, match=r"'thermal_p'.*known: x, y"):
        sol.value("thermal_p", (1, 1))
    with pytest.raises(KeyError, match=r"'bus_balance'.*known: cap"):
        sol.dual("bus_balance", (1, 1))
    with pytest.raises(ValueError, match="has 1 entries"):
        sol.value("x", (2, 3))


def test_keep_false_releases_the_highs_instance():
    """solve(keep=False) (the default) keeps no HiGHS instance, so resolve() refuses; keep=True
    keeps it."""
    sol = solve(_tiny(pyo.minimize))
    assert sol.highs is None
    with pytest.raises(ValueError, match="keep=True"):
        resolve(sol)
    assert solve(_tiny(pyo.minimize), keep=True).highs is not None


@pytest.mark.parametrize(
    "options", [{}, {"solver": "ipm", "run_crossover": "off"}], ids=["simplex", "ipm"]
)
def test_lossy_line_carries_power_one_way_and_losses_are_unique(tmp_path, options):
    """Buses a and b, line a-b of 100 MW each way with 10 % loss; wind of 100 MW at each bus,
    load 20 MW at each; 2 hours, wind at b available in hour 0 only.

    Hour 0: both buses have 80 MW surplus. Curtailing it or burning part of it by sending power
    both ways over the line costs nothing in a model without a tie-break, so losses are not
    unique (interior point without crossover, which returns the middle of the optimal face,
    then reports about 3.5 MWh of losses). With the tie-break the line carries nothing:
    losses 0, curtailment 80 + 80 MW.
    Hour 1: b needs 20 MW, all from a: a sends 20 / 0.9 = 22.222 MW, losses 2.2222 MWh; wind
    at a curtails 100 - 20 - 22.222 = 57.778 MW.
    Objective 0 (wind costs nothing; the tie-break is not a cost)."""
    data = micro(
        2,
        buses={"a": {}, "b": {}},
        lines={"ab": {"bus0": "a", "bus1": "b", "p_max_mw": 100, "loss_factor": 0.1}},
        renewables={
            "wa": {"bus": "a", "carrier": "wind", "p_nom_mw": 100, "availability": 1.0},
            "wb": {"bus": "b", "carrier": "wind", "p_nom_mw": 100, "availability": [1.0, 0.0]},
        },
        loads={"la": {"bus": "a", "p_mw": 20}, "lb": {"bus": "b", "p_mw": 20}},
    )
    path = tmp_path / "lossy.yaml"
    path.write_text(yaml.safe_dump(data))
    r = run_scenario(path, solver_options=options).results
    loss, flow = r["line_loss_mw"].values[:, 0], r["line_flow_mw"].values[:, 0]
    np.testing.assert_allclose(loss, [0.0, 20 / 0.9 * 0.1], atol=1e-5)
    np.testing.assert_allclose(loss, 0.1 * np.abs(flow), atol=1e-5)  # one direction per hour
    np.testing.assert_allclose(
        r["renewable_curtailment_mw"].values, [[80, 80], [100 - 20 - 20 / 0.9, 0]], atol=1e-4
    )
    assert float(r["objective_cny"]) == pytest.approx(0.0, abs=1e-6)


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"threads": "abc"}, "HiGHS rejected option threads='abc'"),
        ({"time_limit": 10, "no_such_option": 1}, "HiGHS rejected option no_such_option=1"),
    ],
)
def test_bad_solver_options_are_refused_before_any_model_is_built(options, message):
    """check_options names the option HiGHS rejects (a wrong type, an unknown name) without a
    model, with the very message solve() gives once the model is built."""
    with pytest.raises(SolveError) as checked:
        check_options(options)
    assert str(checked.value) == message
    with pytest.raises(SolveError) as solved:
        solve(_tiny(pyo.minimize), options)
    assert str(solved.value) == message


def test_good_solver_options_pass_the_check():
    """Options as the CLI and the scenario give them (numbers, words) pass; none at all too."""
    check_options({"time_limit": 600, "threads": 2, "presolve": "off", "solver": "ipm"})
    check_options({})
    check_options(None)
