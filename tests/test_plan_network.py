"""Planning (``gridopt plan``): lines and ties that may expand, on hand-solved micro plans.

Costs as in tests/test_plan.py: discount rate 0, a one-year life and no fixed O&M make the
annuity the investment itself; the horizon is 4 / 8760 of a year, so a MW at
``capex_cny_per_kw`` = k costs k x 1000 x 4 / 8760 CNY for the horizon: k = 438 gives
200 CNY/MW, k = 657 gives 300, k = 876 gives 400.

Line cases: bus ``a`` imports up to 1,000 MW at 100 CNY/MWh, bus ``b`` at 300 CNY/MWh and has
the load; a line a-b may be built from nothing (``p_max_mw: 0``).
"""

from __future__ import annotations

import numpy as np
import pytest
import yaml

from gridopt.errors import InputError
from gridopt.inputs import load_inputs
from gridopt.model.network import lossy_flow_cost_cny_per_mwh
from gridopt.run import run_scenario
from tests.conftest import micro, tie


def econ(k: float) -> dict:
    """Economics at ``k`` CNY/kW, annuity = investment (see the module docstring)."""
    return {"capex_cny_per_kw": k, "fixed_om_fraction_per_yr": 0.0, "lifetime_yr": 1}


def solve(tmp_path, data: dict, plan: bool = True, name: str = "plan.yaml"):
    path = tmp_path / name
    path.write_text(yaml.safe_dump(data))
    return run_scenario(path, plan=plan)


def two_buses(line: dict, load_b: list[float]) -> dict:
    data = micro(
        4,
        buses={"a": {}, "b": {}},
        loads={"l": {"bus": "b", "p_mw": load_b}},
        ties={"cheap": tie("a", 100, 0), "dear": tie("b", 300, 0)},
        lines={"ab": line},
    )
    data["settings"]["discount_rate"] = 0.0
    return data


def candidate(k: float, forward: bool = True, **kw) -> dict:
    """A line that does not exist yet, from a to b (or declared from b to a)."""
    ends = {"bus0": "a", "bus1": "b"} if forward else {"bus0": "b", "bus1": "a"}
    return {**ends, "p_max_mw": 0, "new_max_mw": None, "economics": econ(k), **kw}


@pytest.mark.parametrize(
    "forward, existing",
    [(True, {}), (False, {}), (False, {"p_max_mw": 10, "p_max_reverse_mw": 30})],
    ids=["a_to_b", "declared_b_to_a", "b_to_a_with_30_mw_towards_b"],
)
def test_line_built_where_the_price_difference_pays_for_it(tmp_path, forward, existing):
    """A lossless line at 300 CNY/MW, load at b 100, 60, 20, 20 MW. Each MW saves
    300 - 100 = 200 CNY in every hour the load at b exceeds the line: up to 20 MW in 4 hours
    (800), 20-60 MW in 2 hours (400 > 300), 60-100 MW in 1 hour (200 < 300): the line from a
    to b is built to 60 MW. Declared from b to a the flow runs the reverse way, so the new
    capacity must add to the reverse limit as well: the same plan; with 30 MW towards b
    already (and 10 MW towards a), 30 MW new.

    Operating cost: 160 MWh over the line at 100 + 40 MWh imported at b in hour 0 at 300 =
    28,000 CNY; capacity 300 CNY per new MW. Prices: a 100 throughout; b 300 in hour 0
    (import), 100 in hours 2-3 (line not full) and, in hour 1, where the line is exactly full,
    the price the line's capacity condition leaves: the congestion rents per MW add up to the
    cost of a MW, 200 + mu_1 = 300, so b's price is 200. The line's revenue per MW
    (congestion rent, sum (p_b - p_a) x flow = 200 x 60 + 100 x 60 = 18,000 over 60 MW)
    equals the cost of a MW.
    """
    new_mw = 60 - existing.get("p_max_reverse_mw", 0)
    out = solve(tmp_path, two_buses({**candidate(657.0, forward), **existing}, [100, 60, 20, 20]))
    r, p = out.results, out.summary["plan"]
    assert float(r["line_p_max_new_mw"].sel(line="ab")) == pytest.approx(new_mw)
    assert p["capacity_cost_horizon_cny"] == pytest.approx(300 * new_mw)
    assert float(r["objective_cny"]) == pytest.approx(28_000)
    sign = 1.0 if forward else -1.0
    flow = sign * r["line_flow_mw"].sel(line="ab")
    np.testing.assert_allclose(flow.values, [60, 60, 20, 20], atol=1e-6)
    price = r["price_cny_per_mwh"]
    np.testing.assert_allclose(price.sel(bus="a").values, [100] * 4, atol=1e-6)
    np.testing.assert_allclose(price.sel(bus="b").values, [300, 200, 100, 100], atol=1e-6)
    rent = float(((price.sel(bus="b") - price.sel(bus="a")) * flow).sum())
    assert rent == pytest.approx(300 * 60, rel=1e-6)
    # the planned year's limits: the new capacity in both directions
    ln = r.sel(line="ab")
    assert float(ln["line_p_max_mw"]) == pytest.approx(existing.get("p_max_mw", 0) + new_mw)
    assert float(ln["line_p_max_reverse_mw"]) == pytest.approx(
        existing.get("p_max_reverse_mw", 0) + new_mw
    )
    assert out.build.set_index("asset").loc["ab", "bus"] == ("a-b" if forward else "b-a")


@pytest.mark.parametrize("forward", [True, False], ids=["a_to_b", "declared_b_to_a"])
def test_lossy_line_built_to_what_its_delivered_energy_is_worth(tmp_path, forward):
    """Loss factor 0.2, 200 CNY/MW of sending capacity; load at b 80, 48, 16, 16 MW, which
    needs 100, 60, 20, 20 MW sent. A MW-hour sent delivers 0.8 MWh worth 0.8 x 300 = 240 at b
    and costs 100 + eps at a (eps: the tie-break per MWh sent, 0.001 CNY/MWh at VOLL 10,000),
    a saving of 140 - eps in every hour it is used: 20-60 MW in 2 hours (280 > 200), beyond in
    1 hour (140 < 200): build 60 MW (sent one way, by the reverse flow when declared b to a).

    Operating cost: 160 MWh sent at 100 + (80 - 48) MWh imported at b in hour 0 at 300 =
    25,600 CNY (eps is in no cost); capacity 60 x 200 = 12,000 CNY; losses 0.2 x 160 = 32 MWh.
    Prices at b: 300 in hour 0, (100 + eps) / 0.8 in hours 2-3; in hour 1 the capacity
    condition sum_t (0.8 p_b - 100 - eps) = 200 leaves 0.8 p_b = 160 + 2 eps. The line's rent,
    sum_t (p_b x delivered - p_a x sent), less eps per MWh sent, equals its cost.
    """
    line = candidate(438.0, forward, loss_factor=0.2)
    out = solve(tmp_path, two_buses(line, [80, 48, 16, 16]))
    r, p = out.results, out.summary["plan"]
    eps = lossy_flow_cost_cny_per_mwh(r)
    assert eps == pytest.approx(0.001)
    assert float(r["line_p_max_new_mw"].sel(line="ab")) == pytest.approx(60)
    assert p["capacity_cost_horizon_cny"] == pytest.approx(12_000)
    assert float(r["objective_cny"]) == pytest.approx(25_600)
    sign = 1.0 if forward else -1.0
    sent = sign * r["line_flow_mw"].sel(line="ab").values
    np.testing.assert_allclose(sent, [60, 60, 20, 20], atol=1e-6)
    assert float(r["line_loss_mw"].sum()) == pytest.approx(32)
    pa = r["price_cny_per_mwh"].sel(bus="a").values
    pb = r["price_cny_per_mwh"].sel(bus="b").values
    np.testing.assert_allclose(pa, [100] * 4, atol=1e-6)
    want = [300, (160 + 2 * eps) / 0.8, (100 + eps) / 0.8, (100 + eps) / 0.8]
    np.testing.assert_allclose(pb, want, rtol=1e-9, atol=1e-6)
    rent = float((pb * 0.8 * sent - pa * sent - eps * sent).sum())
    assert rent == pytest.approx(p["capacity_cost_horizon_cny"], rel=1e-6)


def test_line_in_a_meshed_dc_network_keeps_its_reactance(tmp_path):
    """Triangle a-b-c, every line x_pu 0.1 and 100 MW; only a-c may expand, at 400 CNY/MW,
    from 40 MW. Cheap import at a (100), dear at c (300), load at c 200, 150, 90, 90 MW.
    The reactance does not change with new capacity: a transfer P from a to c splits 2/3 on
    a-c and 1/3 on a-b-c (Kirchhoff: f_ab + f_bc - f_ac = 0 with f_ab = f_bc), so a-c at C MW
    carries P = 1.5 C. Each MW of a-c moves 1.5 MW more in every hour the load exceeds
    1.5 C: C up to 60 in 4 hours, 60-100 in 2 (1.5 x 200 x 2 = 600 > 400), 100-133 in 1
    (300 < 400): C = 100, 60 MW new.

    Operating cost: 480 MWh from a at 100 + 50 MWh imported at c in hour 0 at 300 = 63,000
    CNY; capacity 60 x 400 = 24,000 CNY. Price at c: 300 in hour 0, 100 in hours 2-3, and in
    hour 1 (a-c exactly full) the capacity condition 1.5 (p_c0 - 100) + 1.5 (p_c1 - 100) = 400
    gives p_c1 = 166.67.
    """
    lines = {
        "ab": {"bus0": "a", "bus1": "b", "p_max_mw": 100, "x_pu": 0.1},
        "bc": {"bus0": "b", "bus1": "c", "p_max_mw": 100, "x_pu": 0.1},
        "ac": {
            "bus0": "a",
            "bus1": "c",
            "p_max_mw": 40,
            "x_pu": 0.1,
            "new_max_mw": None,
            "economics": econ(876.0),
        },
    }
    data = micro(
        4,
        buses={"a": {}, "b": {}, "c": {}},
        loads={"l": {"bus": "c", "p_mw": [200, 150, 90, 90]}},
        ties={"cheap": tie("a", 100, 0), "dear": tie("c", 300, 0)},
        lines=lines,
    )
    data["settings"]["discount_rate"] = 0.0
    out = solve(tmp_path, data)
    r = out.results
    assert r.attrs["power_flow"] == "dc"
    assert float(r["line_p_max_new_mw"].sel(line="ac")) == pytest.approx(60)
    assert out.summary["plan"]["capacity_cost_horizon_cny"] == pytest.approx(24_000)
    assert float(r["objective_cny"]) == pytest.approx(63_000)
    f = r["line_flow_mw"]
    np.testing.assert_allclose(f.sel(line="ac").values, [100, 100, 60, 60], atol=1e-6)
    kvl = f.sel(line="ab") + f.sel(line="bc") - f.sel(line="ac")
    np.testing.assert_allclose(kvl.values, 0, atol=1e-6)
    pc = r["price_cny_per_mwh"].sel(bus="c").values
    np.testing.assert_allclose(pc, [300, 100 + 100 / 1.5, 100, 100], atol=1e-6)


def wind_and_door(**door) -> dict:
    """Bus a: 200 MW of wind (availability 1, 0.75, 0.5, 0; no variable cost), a 50 MW load,
    and a tie that imports at 300 and exports at 200 CNY/MWh, 100 MW of import and no export
    today."""
    data = micro(
        4,
        loads={"l": {"bus": "a", "p_mw": 50}},
        renewables={
            "wind": {
                "bus": "a",
                "carrier": "wind",
                "p_nom_mw": 200,
                "availability": [1.0, 0.75, 0.5, 0.0],
            }
        },
        ties={"door": {**tie("a", 300, 200, imax=100, emax=0), **door}},
    )
    data["settings"]["discount_rate"] = 0.0
    return data


def test_export_tie_built_when_the_export_price_beats_the_local_value(tmp_path):
    """Surplus wind 150, 100, 50, 0 MW; the tie may grow at 300 CNY/MW. A MW of export
    capacity earns 200 - 0 (the surplus is otherwise curtailed) in every hour the surplus
    exceeds it: up to 50 MW in 3 hours (600), 50-100 MW in 2 (400 > 300), 100-150 MW in 1
    (200 < 300): build 100 MW, which raises the import limit to 200 MW too.

    Exports 100, 100, 50, 0 MW (-50,000 CNY), import 50 MW in hour 3 (15,000): operating
    cost -35,000 CNY; capacity 100 x 300 = 30,000 CNY. Prices: 0 in hour 0 (wind curtailed),
    200 in hour 2 (export below its limit), 300 in hour 3 (import), and in hour 1 (export
    exactly full) the capacity condition (200 - 0) + (200 - p_1) = 300 gives p_1 = 100. The
    tie's congestion rent, sum (200 - p) x export + (p - 300) x import, equals its cost.
    """
    out = solve(tmp_path, wind_and_door(new_max_mw=None, economics=econ(657.0)))
    r, p = out.results, out.summary["plan"]
    assert float(r["tie_export_max_new_mw"].sel(tie="door")) == pytest.approx(100)
    assert p["capacity_cost_horizon_cny"] == pytest.approx(30_000)
    assert float(r["objective_cny"]) == pytest.approx(-35_000)
    x = r["tie_export_mw"].sel(tie="door").values
    m = r["tie_import_mw"].sel(tie="door").values
    np.testing.assert_allclose(x, [100, 100, 50, 0], atol=1e-6)
    np.testing.assert_allclose(m, [0, 0, 0, 50], atol=1e-6)
    price = r["price_cny_per_mwh"].sel(bus="a").values
    np.testing.assert_allclose(price, [0, 100, 200, 300], atol=1e-6)
    rent = float(((200 - price) * x + (price - 300) * m).sum())
    assert rent == pytest.approx(p["capacity_cost_horizon_cny"], rel=1e-6)
    # the planned year's limits: the new capacity on both; its investment is the tie's own
    assert float(r["tie_export_max_mw"].sel(tie="door")) == pytest.approx(100)
    assert float(r["tie_import_max_mw"].sel(tie="door")) == pytest.approx(200)
    existing = 657.0 * 100 * 1e3  # today's 100 MW (the larger limit) at 657 CNY/kW
    assert float(r["tie_capex_cny"].sel(tie="door")) == pytest.approx(existing + 657.0 * 100e3)


def test_new_tie_capacity_adds_to_imports(tmp_path):
    """A 150 MW load supplied only by a tie importing up to 100 MW at 300 CNY/MWh (else
    unserved at 10,000): each MW of new tie capacity (300 CNY/MW) serves 4 MWh, so 50 MW are
    built and the import limit grows with it: 150 MW imported every hour, no unserved energy;
    operating cost 4 x 150 x 300 = 180,000 CNY, capacity 50 x 300 = 15,000 CNY."""
    data = micro(
        4,
        loads={"l": {"bus": "a", "p_mw": 150}},
        ties={"door": {**tie("a", 300, 0, imax=100), "new_max_mw": None, "economics": econ(657.0)}},
    )
    data["settings"]["discount_rate"] = 0.0
    out = solve(tmp_path, data)
    r = out.results
    assert float(r["tie_export_max_new_mw"].sel(tie="door")) == pytest.approx(50)
    np.testing.assert_allclose(r["tie_import_mw"].sel(tie="door").values, [150] * 4, atol=1e-6)
    assert out.summary["unserved_energy_mwh"] == pytest.approx(0, abs=1e-6)
    assert float(r["objective_cny"]) == pytest.approx(180_000)
    assert out.summary["plan"]["capacity_cost_horizon_cny"] == pytest.approx(15_000)


def test_a_ties_new_capacity_is_the_local_grids_to_pay(tmp_path):
    """A tie's existing investment is the provincial grid's (no tie item in a dispatch), but
    capacity the plan builds for the local grid's export revenue is the local grid's: the
    plan's cost recovery is a dispatch of the planned capacities (tie export 100 MW, import
    200 MW) plus one item, ``tie_new_capital`` = f x annual cost x new MW, in the network
    component; the cost-recovery price differs by exactly that item / energy delivered."""
    plan = solve(tmp_path, wind_and_door(new_max_mw=None, economics=econ(657.0)))
    built = wind_and_door(economics=econ(657.0))
    built["ties"]["door"].update(import_max_mw=200, export_max_mw=100)
    run = solve(tmp_path, built, plan=False, name="built.yaml")
    assert not any(k.startswith("tie") for k in run.summary["cost_recovery"]["items_cny"])
    items = plan.summary["cost_recovery"]["items_cny"]
    share = 4 / 8760
    annual = float(plan.results["tie_export_max_new_mw"].sum()) * 657.0 * 1000  # life 1, r 0
    assert items["tie_new_capital"] == pytest.approx(share * annual, rel=1e-9)
    e = plan.summary["cost_recovery"]["energy_delivered_mwh"]
    assert plan.summary["cost_recovery_cny_per_mwh"] == pytest.approx(
        run.summary["cost_recovery_cny_per_mwh"] + items["tie_new_capital"] / e, rel=1e-9
    )
    assert plan.summary["objective_cny"] == pytest.approx(run.summary["objective_cny"], rel=1e-9)


def test_with_nothing_expandable_lines_and_ties_plan_as_they_dispatch(tmp_path):
    """An existing lossy line and ties whose bounds are all zero (the default): the plan
    solves the very dispatch LP (same size) with the same objective (to 1e-9) and prices."""
    line = {"bus0": "a", "bus1": "b", "p_max_mw": 50, "loss_factor": 0.05}
    data = two_buses(line, [100, 60, 20, 20])
    run = solve(tmp_path, data, plan=False, name="run.yaml")
    out = solve(tmp_path, data)
    assert float(out.results["objective_cny"]) == pytest.approx(
        float(run.results["objective_cny"]), rel=1e-9
    )
    np.testing.assert_allclose(
        out.results["price_cny_per_mwh"].values, run.results["price_cny_per_mwh"].values
    )
    assert out.summary["lp_size"] == run.summary["lp_size"]
    assert out.summary["plan"]["built"] == {}


@pytest.mark.parametrize(
    "section, entry, match",
    [
        ("lines", {"p_max_mw": 10, "new_min_mw": 50, "new_max_mw": 20}, "new_min_mw .*exceeds"),
        ("lines", {"p_max_mw": 0, "new_max_mw": 0}, "p_max_mw is 0 and new_max_mw is 0"),
        ("ties", {"new_min_mw": 50, "new_max_mw": 20}, "new_min_mw .*exceeds"),
    ],
)
def test_expansion_bounds_are_checked(tmp_path, section, entry, match):
    """new_min_mw above new_max_mw, or a line that could never carry power, is an error."""
    data = two_buses(candidate(657.0), [100, 60, 20, 20])
    target = data["lines"]["ab"] if section == "lines" else data["ties"]["cheap"]
    target.update(entry)
    path = tmp_path / "bad.yaml"
    path.write_text(yaml.safe_dump(data))
    with pytest.raises(InputError, match=match):
        load_inputs(path)
