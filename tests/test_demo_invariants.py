"""Invariants on the bundled demo scenario (72 h) that a wrong model would break."""

from __future__ import annotations

import numpy as np
import pyomo.environ as pyo
import pytest
import xarray as xr
from pyomo.repn.standard_repn import generate_standard_repn

from gridopt.inputs import build_inputs
from gridopt.model import build
from gridopt.results import cost_breakdown
from gridopt.run import solve_inputs
from gridopt.scenario.load import load_scenario
from gridopt.solve import solve
from tests.conftest import DEMO

HOURS = 72


@pytest.fixture(scope="module")
def inputs() -> xr.Dataset:
    return build_inputs(load_scenario(DEMO), hours=HOURS)


@pytest.fixture(scope="module")
def results(inputs) -> xr.Dataset:
    return solve_inputs(inputs).results


def _by_bus(r: xr.Dataset, var: str, bus_var: str) -> np.ndarray:
    """Sum a (time, asset) variable onto (time, bus) using the asset's bus."""
    out = np.zeros((r.sizes["time"], r.sizes["bus"]))
    buses = list(r.bus.values)
    for j, b in enumerate(r[bus_var].values):
        out[:, buses.index(b)] += r[var].values[:, j]
    return out


def test_energy_balance_closes_at_every_bus_hour(results):
    r = results
    buses = list(r.bus.values)
    net = (
        _by_bus(r, "thermal_p_mw", "thermal_bus")
        + _by_bus(r, "renewable_p_mw", "renewable_bus")
        + _by_bus(r, "storage_discharge_mw", "storage_bus")
        - _by_bus(r, "storage_charge_mw", "storage_bus")
        + _by_bus(r, "tie_import_mw", "tie_bus")
        - _by_bus(r, "tie_export_mw", "tie_bus")
        - _by_bus(r, "load_served_mw", "load_bus")
        - _by_bus(r, "flex_p_mw", "flex_bus")
        - _by_bus(r, "intr_served_mw", "intr_bus")
        + r["bus_unserved_mw"].values
        - r["bus_excess_mw"].values
    )
    flow, loss = r["line_flow_mw"].values, r["line_loss_mw"].values
    lf = r["line_loss_factor"].values
    # The loss is lf x (forward + reverse flow); it equals lf x |net flow| when the line
    # carries power one way only, which lets the two ends be reconstructed from the results.
    np.testing.assert_allclose(loss, lf * np.abs(flow), atol=1e-6)
    for pos, (a, b) in enumerate(zip(r["line_bus0"].values, r["line_bus1"].values)):
        fwd, rev = np.maximum(flow[:, pos], 0), np.maximum(-flow[:, pos], 0)
        net[:, buses.index(a)] += -fwd + (1 - lf[pos]) * rev
        net[:, buses.index(b)] += (1 - lf[pos]) * fwd - rev
    assert np.abs(net).max() < 1e-6


def test_cost_components_add_up_to_objective(results):
    parts = cost_breakdown(results)
    assert sum(parts.values()) == pytest.approx(float(results["objective_cny"]), rel=1e-9)


def test_scaling_all_costs_scales_all_prices(inputs, results):
    """Multiplying every CNY-valued input by k = 3 multiplies the objective and every marginal
    price by 3 (the LP's optimal basis does not change)."""
    k = 3.0
    scaled = inputs.copy(deep=True)
    for name, var in scaled.data_vars.items():
        if "CNY" in var.attrs.get("units", ""):
            scaled[name] = var * k
    r2 = solve_inputs(scaled).results
    assert float(r2["objective_cny"]) == pytest.approx(
        k * float(results["objective_cny"]), rel=1e-7
    )
    np.testing.assert_allclose(
        r2["price_cny_per_mwh"].values,
        k * results["price_cny_per_mwh"].values,
        rtol=1e-6,
        atol=1e-6,
    )


def test_dc_power_flow_respects_kvl(results):
    """With DC power flow there are bus angles theta with x_l f_l = theta_a - theta_b on every
    line: solve for theta by least squares each hour and require a zero residual."""
    r = results
    assert r.attrs["power_flow"] == "dc"
    buses = list(r.bus.values)
    n_l = r.sizes["line"]
    A = np.zeros((n_l, len(buses)))
    for line_pos, (a, b) in enumerate(zip(r["line_bus0"].values, r["line_bus1"].values)):
        A[line_pos, buses.index(a)], A[line_pos, buses.index(b)] = 1, -1
    xf = r["line_flow_mw"].values * r["line_x_pu"].values  # (time, line)
    theta, *_ = np.linalg.lstsq(A, xf.T, rcond=None)
    residual = A @ theta - xf.T
    assert np.abs(residual).max() < 1e-6 * max(1.0, np.abs(xf).max())
    assert np.abs(r["line_flow_mw"].values).max() > 1  # the lines are used


def _dual_bound(m: pyo.ConcreteModel, row_dual: dict, tol: float = 1e-9) -> float:
    """Lagrangian dual bound g(y) [CNY] of the LP as Pyomo itself represents ``m``, for row
    duals ``y`` (constraint data -> dual, CNY per unit of row activity, d objective / d rhs).

    For min c x subject to lo <= A x <= hi and l <= x <= u:
    g(y) = sum_i y_i r_i + sum_j min over [l_j, u_j] of (c - A^T y)_j x_j, with r_i = lo_i
    where y_i > 0 and hi_i where y_i < 0 (an infinite side gives -inf: y is not a dual).
    g(y) <= the optimum for every y (weak duality), with equality exactly when y is an optimal
    dual: this holds for any optimal dual, so it stays true on a degenerate LP whose duals are
    not unique. Bodies, bounds and costs come from Pyomo's public API, not gridopt's hand-off.
    """
    col: dict[int, int] = {}
    lb, ub = [], []
    for v in m.component_data_objects(pyo.Var, active=True):
        col[id(v)] = len(col)
        lb.append(-np.inf if v.lb is None else v.lb)
        ub.append(np.inf if v.ub is None else v.ub)
    reduced = np.zeros(len(col))
    obj = generate_standard_repn(m.objective.expr, compute_values=True)
    for v, a in zip(obj.linear_vars, obj.linear_coefs):
        reduced[col[id(v)]] += a
    bound = float(obj.constant)
    for con, y in row_dual.items():
        if abs(y) <= tol:
            continue
        body = generate_standard_repn(con.body, compute_values=True)
        side = con.lower if y > 0 else con.upper
        bound += y * ((-np.inf if y > 0 else np.inf) if side is None else pyo.value(side))
        bound -= y * body.constant
        for v, a in zip(body.linear_vars, body.linear_coefs):
            reduced[col[id(v)]] -= a * y
    for j, d in enumerate(reduced):
        if abs(d) > tol:
            bound += d * (lb[j] if d > 0 else ub[j])
    return bound


def _duals_by_constraint(m: pyo.ConcreteModel, sol) -> dict:
    """gridopt's row duals keyed by Pyomo constraint data (rows follow each component's
    order, ``Solution.row_slices`` gives where each component starts)."""
    out = {}
    for comp in m.component_objects(pyo.Constraint, active=True):
        sl = sol.row_slices[comp.name]
        out.update(zip(comp.values(), sol.row_dual[sl]))
    return out


def test_handoff_matches_pyomo_own_highs_interface(inputs):
    """Our in-memory matrix hand-off and Pyomo's appsi HiGHS interface reach the same
    objective, and our duals are an optimal dual of the LP as Pyomo represents it: their
    Lagrangian bound equals Pyomo's optimum. (Comparing the two solvers' duals entry by entry
    would test the LP's degeneracy, not the hand-off: on this model they differ by up to
    ~90 CNY on some rows and both are optimal.) A wrong coefficient, bound or sign in the
    hand-off gives duals whose bound falls short of the optimum (a bus price off by
    1 CNY/MWh in one hour already costs ~1,700 CNY of bound)."""
    b = build(inputs)
    ours = solve(b.m)
    b.m.dual = pyo.Suffix(direction=pyo.Suffix.IMPORT)
    res = pyo.SolverFactory("appsi_highs").solve(b.m)
    assert str(res.solver.termination_condition) == "optimal"
    optimum = pyo.value(b.m.objective)
    assert optimum == pytest.approx(ours.objective, rel=1e-9)
    ours_y = _duals_by_constraint(b.m, ours)
    assert _dual_bound(b.m, ours_y) == pytest.approx(optimum, rel=1e-9)
    # the check itself: Pyomo's own duals pass it, and a nudged price fails it
    pyomo_y = {con: b.m.dual[con] for con in ours_y}
    assert _dual_bound(b.m, pyomo_y) == pytest.approx(optimum, rel=1e-9)
    nudged = dict(ours_y)
    nudged[b.m.bus_balance[int(b.layouts["bus_balance"].offsets(0, 5)[0])]] += 1.0
    assert _dual_bound(b.m, nudged) < optimum - 100
