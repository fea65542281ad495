"""Labelled access to the solved LP: rows and columns by component, asset and hour.

Micro network (as in the tenant tests): one bus ``a``, coal 100 MW at heat rate 300 gce/kWh
(fuel 0.7 x 300 = 210 CNY/MWh), a 50 MW load, 3 hours. The cheapest dispatch is coal at the
load: 150 MWh x 210 = 31,500 CNY, and the price is 210 CNY/MWh every hour.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pyomo.environ as pyo
import pytest

from gridopt.inputs import build_inputs, load_inputs
from gridopt.model import FAMILIES, build, network
from gridopt.model.core import Build, Meaning, Rows
from gridopt.scenario.load import scenario_from_dict
from gridopt.solve import resolve, solve
from tests.conftest import DEMO, coal, micro


def _micro_ds(hours: int = 3):
    data = micro(
        hours,
        buses={"a": {}, "b": {}},
        lines={"ab": {"bus0": "a", "bus1": "b", "p_max_mw": 1000}},
        thermal={"coal_a": coal("a", 100, 300)},
        loads={"l": {"bus": "a", "p_mw": 50}},
    )
    return build_inputs(scenario_from_dict(data, Path("micro.yaml")))


def test_rhs_changed_by_name_is_the_load_of_that_bus_and_hour():
    """Raising bus a's balance in hour 1 from 50 to 80 MW by name costs 30 x 210 = 6,300 CNY
    more (37,800), and that row's dual stays the coal price, 210 CNY/MWh."""
    ds = _micro_ds()
    b = build(ds)
    sol = solve(b.m, keep=True, layout=b.layouts)
    assert sol.objective == pytest.approx(31_500)
    r = sol.rows("bus_balance", bus="a", hours=1)
    assert r.dtype == np.int32 and r.shape == (1,)
    # the row found by name is the Pyomo row of bus a (position 0) in hour 1: its key, and
    # its body holds coal_a's output in hour 1 and no other hour's
    pos = int(r[0]) - sol.row_slices["bus_balance"].start
    assert b.layouts["bus_balance"].key(pos) == (0, 1)
    body = b.m.bus_balance[pos].body.linear_vars
    assert any(v is b.m.thermal_p[0, 1] for v in body)
    assert not any(v is b.m.thermal_p[0, t] for v in body for t in (0, 2))
    assert sol.row_dual[r][0] == pytest.approx(210)
    sol.highs.changeRowsBounds(1, r, np.array([80.0]), np.array([80.0]))
    again = resolve(sol)
    assert again.objective == pytest.approx(37_800)
    assert again.rows("bus_balance", bus="a", hours=1)[0] == r[0]  # the layout travels along
    # rows of a bus in hour order; asset by position as well as by name; slices of hours
    assert sol.rows("bus_balance", "b").tolist() == sol.rows("bus_balance", bus=1).tolist()
    assert np.diff(sol.rows("bus_balance", bus="b")).tolist() == [1, 1]
    assert sol.rows("bus_balance", bus="b", hours=slice(1, None)).tolist() == (
        sol.rows("bus_balance", bus="b")[1:].tolist()
    )
    both = sol.rows("bus_balance", bus=["b", "a"], hours=[2])
    assert both.tolist() == [
        sol.rows("bus_balance", bus="b", hours=2)[0],
        sol.rows("bus_balance", bus="a", hours=2)[0],
    ]


def test_columns_by_name_read_the_values_of_that_asset():
    ds = _micro_ds()
    b = build(ds)
    sol = solve(b.m, layout=b.layouts)
    c = sol.cols("thermal_p", thermal="coal_a")
    assert sol.x[c] == pytest.approx([50, 50, 50])
    assert sol.x[sol.cols("thermal_p", "coal_a", hours=[0, 2])] == pytest.approx([50, 50])
    assert sol.x[sol.cols("bus_unserved", bus="b")] == pytest.approx([0, 0, 0])
    # no coordinates: the whole component, layout or not
    assert sol.cols("thermal_p").tolist() == list(
        range(*sol.col_slices["thermal_p"].indices(10**9))
    )


def test_unknown_names_and_coordinates_are_refused():
    ds = _micro_ds()
    b = build(ds)
    sol = solve(b.m, layout=b.layouts)
    with pytest.raises(KeyError, match="bus_balanc"):
        sol.rows("bus_balanc", bus="a")
    with pytest.raises(KeyError, match="'c'"):
        sol.rows("bus_balance", bus="c")
    with pytest.raises(TypeError, match="bus="):
        sol.rows("bus_balance", thermal="a")
    with pytest.raises(KeyError, match="hour 3"):
        sol.rows("bus_balance", bus="a", hours=[3])
    bare = solve(b.m)  # no layout given
    with pytest.raises(ValueError, match="layout"):
        bare.rows("bus_balance", bus="a")


def _with_capacity(ds, cost_cny_per_mw: float) -> Build:
    """The model of ``ds`` plus a capacity per thermal cluster: cap_g >= thermal_p[g, t],
    costing ``cost_cny_per_mw`` per MW (one variable per asset, no hour index)."""
    b = Build(ds)
    for family in FAMILIES:
        family.add(b)
    ng = ds.sizes["thermal"]
    cap = b.var(
        "thermal_capacity",
        0.0,
        500.0,
        n=ng,
        meaning=Meaning("thermal", "thermal", upper="capacity <= {v:g} MW"),
        hourly=False,
    )
    p = b.cols("thermal_p")  # column numbers, [g, t] g-major
    rows = Rows()
    for g in range(ng):
        for t in range(b.T):
            rows.add((g, t), None, (1.0, -1.0), (p[g * b.T + t], cap[g]), 0.0)
    b.rows("thermal_capacity_limit", rows)
    b.cost(cost_cny_per_mw, cap)
    network.add_lines(b)
    network.add_balance(b)
    b.m.objective = pyo.Objective(expr=b.objective_expression(), sense=pyo.minimize)
    return b


def test_capacity_shaped_variable_one_per_asset():
    """A capacity at 1,000 CNY/MW for coal serving 50 MW for 3 h: capacity 50 MW, cost
    31,500 + 50 x 1,000 = 81,500 CNY; the capacity's column is found by asset alone, and the
    dual of the capacity limit sums to the capacity cost over the hours (1,000 CNY/MW)."""
    ds = _micro_ds()
    b = _with_capacity(ds, 1000.0)
    assert len(b.m.thermal_capacity) == ds.sizes["thermal"]  # no hour index
    sol = solve(b.m, layout=b.layouts, explain=b.explain)
    assert sol.objective == pytest.approx(81_500)
    c = sol.cols("thermal_capacity", thermal="coal_a")
    assert c.shape == (1,) and sol.x[c][0] == pytest.approx(50)
    assert sol.value("thermal_capacity", (1,))[0] == pytest.approx(50)
    assert -sol.row_dual[sol.rows("thermal_capacity_limit", thermal="coal_a")].sum() == (
        pytest.approx(1000)
    )
    with pytest.raises(ValueError, match="no hours"):
        sol.cols("thermal_capacity", thermal="coal_a", hours=0)
    e = b.explain("thermal_capacity", 0, "upper", 500.0)
    assert (e.subject, e.hour, e.limit) == ("thermal.coal_a", "", "capacity <= 500 MW")


def test_every_component_layout_follows_pyomos_order():
    """On the demo (48 h): each row key of the layout is the Pyomo key of that row, each
    column's (asset, hour) that of the Pyomo variable, and the first index names the asset
    the component's Meaning (or its ``<dim>_`` prefix) says."""
    ds = load_inputs(DEMO, 48)[1]
    b = build(ds)
    for comp in b.m.component_objects((pyo.Var, pyo.Constraint)):
        lay = b.layouts[comp.name]
        keys = list(comp.keys())
        if comp.ctype is pyo.Constraint:  # rows are indexed by position; the layout keys them
            assert keys == list(range(len(lay.keys))), comp.name
        else:
            assert [lay.key(i) for i in range(len(keys))] == [
                k if isinstance(k, tuple) else (k, None) for k in keys
            ], comp.name
        if lay.dim is not None and lay.labels is not None:
            mn = b.meanings.get(comp.name)
            if mn is None or (mn.labels is None and mn.assets is None):
                names = [str(x) for x in ds[lay.dim].values]
                assert list(lay.labels) == names[: len(lay.labels)], comp.name
    assert b.layouts["bus_balance"].dim == "bus"
    assert b.layouts["bus_balance"].labels == tuple(str(x) for x in ds.bus.values)


def test_window_rows_and_horizon_rows_by_name():
    """A flexible load with 2-hour energy windows over 4 hours has one ``flex_energy`` row per
    window, keyed by the window's first hour (0 and 2; hour 1 starts none); an interruptible
    load's energy cap is one row over the whole horizon, found by asset alone.

    Coal 100 MW at 210 against 80 (fixed) + 10 (flexible, energy kept per window) + 50
    (interruptible at 900 CNY/MWh, cap 100 MWh) = 140 MW for 4 hours: 40 MW short each hour,
    160 MWh, of which the cap lets 100 be interrupted and 60 go unserved at VOLL 10,000:
    84,000 + 90,000 + 600,000 = 774,000 CNY. Raising the cap by name to 2,000 MWh lets all
    160 MWh be interrupted: 84,000 + 144,000 = 228,000 CNY."""
    data = micro(
        4,
        thermal={"c": coal("a", 100, 300)},
        loads={"l": {"bus": "a", "p_mw": 80}},
        interruptible_loads={
            "i": {"bus": "a", "p_mw": 50, "cost_cny_per_mwh": 900, "max_energy_mwh": 100}
        },
        flexible_loads={
            "f": {"bus": "a", "p_nominal_mw": 10, "band_down_fraction": 0.1, "window_h": 2}
        },
    )
    ds = build_inputs(scenario_from_dict(data, Path("micro.yaml")))
    b = build(ds)
    sol = solve(b.m, keep=True, layout=b.layouts)
    assert sol.objective == pytest.approx(774_000)
    energy = sol.rows("flex_energy", flex="f")
    assert energy.tolist() == sol.rows("flex_energy", flex="f", hours=[0, 2]).tolist()
    assert len(energy) == 2
    with pytest.raises(KeyError, match="hour 1"):
        sol.rows("flex_energy", flex="f", hours=1)
    cap = sol.rows("intr_energy_cap", intr="i")
    assert cap.shape == (1,)
    assert sol.highs.getLp().row_upper_[cap[0]] == pytest.approx(100)
    sol.highs.changeRowsBounds(1, cap, np.array([-np.inf]), np.array([2000.0]))
    again = resolve(sol)
    assert again.objective == pytest.approx(228_000)
    assert again.x[again.cols("intr_interrupted", intr="i")].sum() == pytest.approx(160)
