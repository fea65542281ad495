"""Planning thermal clusters (``gridopt plan``): new build and retirement, hand-solved.

Every case has one bus ``a`` and 4 hours (the equilibrium check 8). Costs are chosen so that
the horizon's share of a MW's annual cost is a round number, as in tests/test_plan.py:
discount rate 0 and a one-year life make the annuity the investment itself, and the horizon
is 4 / 8760 of a year, so ``capex_cny_per_kw`` = 2.19 x X costs X CNY per MW for the horizon
(876 -> 400, 438 -> 200, 219 -> 100), and ``fixed_om_cny_per_kw_yr`` = 65.7 saves 30 CNY per
MW retired. Marginal costs: the micro coal costs 0.7 CNY/MWh per gce/kWh of heat rate (no
carbon price), plus the cluster's VOM.
"""

from __future__ import annotations

import numpy as np
import pytest
import yaml

from gridopt.run import run_scenario
from tests.conftest import coal, micro, tie


def cluster(
    heat_rate: float,
    vom: float,
    capex_cny_per_kw: float = 0.0,
    *,
    n_units: int = 0,
    p_unit_mw: float = 100.0,
    fom_cny_per_kw_yr: float = 0.0,
    **kw,
) -> dict:
    """A coal cluster at ``a``: by default no existing capacity and no limit on new capacity."""
    return coal(
        "a",
        p_unit_mw,
        heat_rate,
        n_units=n_units,
        vom_cny_per_mwh=vom,
        **{"new_max_mw": None, **kw},
        economics={
            "capex_cny_per_kw": capex_cny_per_kw,
            "fixed_om_cny_per_kw_yr": fom_cny_per_kw_yr,
            "lifetime_yr": 1,
        },
    )


def case(load_mw, thermal: dict, import_cny_per_mwh=1000.0) -> dict:
    """The bus ``a`` with ``load_mw`` (a number or one per hour), the clusters ``thermal`` and a
    tie importing up to 1,000 MW at ``import_cny_per_mwh``."""
    data = micro(
        len(load_mw) if isinstance(load_mw, list) else 4,
        loads={"l": {"bus": "a", "p_mw": load_mw}},
        ties={"grid": tie("a", import_cny_per_mwh, 0)},
        thermal=thermal,
    )
    data["settings"]["discount_rate"] = 0.0
    return data


def solve(tmp_path, data: dict, plan: bool = True):
    path = tmp_path / "plan.yaml"
    path.write_text(yaml.safe_dump(data))
    return run_scenario(path, plan=plan)


def test_screening_curve_base_load_and_peaker_by_hand(tmp_path):
    """Base load: 400 CNY/MW for the horizon, 50 CNY/MWh (heat rate 50: 35 + VOM 15). Peaker:
    100 CNY/MW, 250 CNY/MWh (heat rate 300: 210 + VOM 40). Load [200, 150, 100, 100] MW; the
    tie (1,000 CNY/MWh) is dearer than either for any slice of load.

    Screening curves: a MW running h hours costs 400 + 50 h (base) or 100 + 250 h (peaker);
    they cross at h = 1.5. The load-duration curve's slice 150-200 MW runs 1 hour: peaker
    (350 < 450); the slices below run 2 or 4 hours: base. Base 150 MW, peaker 50 MW.
    Capacity cost 150 x 400 + 50 x 100 = 65,000 CNY; operating cost: base (4 x 100 + 2 x 50)
    MWh x 50 = 25,000, peaker 50 MWh x 250 = 12,500, together 37,500 CNY; objective 102,500.

    Prices (duals): the peaker runs only in hour 0, at capacity: p0 = 250 + 100 = 350. Base is
    below capacity in hours 2-3: p2 = p3 = 50; its capacity earns its cost: (350 - 50) +
    (p1 - 50) = 400, so p1 = 150 (< 250: the idle peaker stays off). Each technology's
    revenue equals its cost: base 350 x 150 + 150 x 150 + 50 x 100 x 2 = 85,000 = 60,000 +
    25,000; peaker 350 x 50 = 17,500 = 5,000 + 12,500.
    """
    out = solve(
        tmp_path,
        case([200, 150, 100, 100], {"base": cluster(50, 15, 876), "peak": cluster(300, 40, 219)}),
    )
    r = out.results
    new = r["thermal_p_nom_new_mw"]
    assert float(new.sel(thermal="base")) == pytest.approx(150)
    assert float(new.sel(thermal="peak")) == pytest.approx(50)
    assert float(r["thermal_p_nom_mw"].sel(thermal="base")) == pytest.approx(150)
    assert out.summary["plan"]["capacity_cost_horizon_cny"] == pytest.approx(65_000)
    assert float(r["objective_cny"]) == pytest.approx(37_500)
    p = r["thermal_p_mw"]
    np.testing.assert_allclose(p.sel(thermal="base").values, [150, 150, 100, 100], atol=1e-6)
    np.testing.assert_allclose(p.sel(thermal="peak").values, [50, 0, 0, 0], atol=1e-6)
    price = r["price_cny_per_mwh"].sel(bus="a").values
    np.testing.assert_allclose(price, [350, 150, 50, 50], atol=1e-6)
    for g, cost in (("base", 85_000), ("peak", 17_500)):
        assert float((price * p.sel(thermal=g).values).sum()) == pytest.approx(cost, rel=1e-6)


def test_idle_old_unit_retires_and_saves_its_fixed_om(tmp_path):
    """An old 100 MW cluster at 400 CNY/MWh (heat rate 500: 350 + VOM 50), fixed O&M 65.7
    CNY/kW/yr (30 CNY/MW for the horizon), retirable; imports at 300 serve the 100 MW load.

    The cluster never runs, so all 100 MW retire, saving 100 x 30 = 3,000 CNY for the horizon
    (capacity cost -3,000) and 100 x 65,700 = 6,570,000 CNY/yr; operating cost 4 x 100 x 300 =
    120,000 CNY. Not retirable (the default), nothing changes.
    """
    old = cluster(500, 50, n_units=1, fom_cny_per_kw_yr=65.7, new_max_mw=0)
    out = solve(tmp_path, case(100, {"old": {**old, "retirable": True}}, 300))
    r, plan = out.results, out.summary["plan"]
    assert float(r["thermal_p_nom_retired_mw"].sel(thermal="old")) == pytest.approx(100)
    assert float(r["thermal_p_nom_mw"].sel(thermal="old")) == pytest.approx(0, abs=1e-6)
    assert plan["capacity_cost_horizon_cny"] == pytest.approx(-3_000)
    assert plan["fixed_om_saved_cny_per_yr"] == pytest.approx(6_570_000)
    assert plan["built"]["old.p_nom_mw"]["retired"] == pytest.approx(100)
    assert float(r["objective_cny"]) == pytest.approx(120_000)
    np.testing.assert_allclose(r["thermal_p_mw"].values, 0, atol=1e-6)

    kept = solve(tmp_path, case(100, {"old": old}, 300))
    assert kept.summary["plan"]["built"] == {}
    assert kept.summary["plan"]["capacity_cost_horizon_cny"] == 0


def test_must_run_keeps_the_capacity_that_carries_it(tmp_path):
    """The retirable old cluster with must_run_mw 40 and availability 0.8: must-run is an
    absolute MW, so the capacity left must carry it, 0.8 K >= 40, K >= 50: 50 MW retire
    (saving 1,500 CNY), 40 MW run every hour at 400 and 60 MW are imported at 300: operating
    cost 4 x (16,000 + 18,000) = 136,000 CNY."""
    old = cluster(
        500,
        50,
        n_units=1,
        fom_cny_per_kw_yr=65.7,
        new_max_mw=0,
        retirable=True,
        must_run_mw=40,
        availability=0.8,
    )
    out = solve(tmp_path, case(100, {"old": old}, 300))
    r = out.results
    assert float(r["thermal_p_nom_retired_mw"].sel(thermal="old")) == pytest.approx(50)
    assert out.summary["plan"]["capacity_cost_horizon_cny"] == pytest.approx(-1_500)
    assert float(r["objective_cny"]) == pytest.approx(136_000)
    np.testing.assert_allclose(r["thermal_p_mw"].values[:, 0], 40, atol=1e-6)


@pytest.mark.parametrize(
    ("load_mw", "ramp", "output_mw"),
    [
        ([100, 100, 200, 200], "ramp_up_fraction_per_h", [100, 100, 150, 200]),
        ([200, 200, 100, 100], "ramp_down_fraction_per_h", [200, 150, 100, 100]),
    ],
)
def test_ramp_limit_scales_with_the_planned_capacity(tmp_path, load_mw, ramp, output_mw):
    """A new cluster at 200 CNY/MW for the horizon and 100 CNY/MWh (heat rate 100: 70 + VOM
    30), ramping at most 0.25 x its capacity K per hour; imports at 300; load steps between
    100 and 200 MW (up, or down: the same case backwards in time).

    Each MWh of its own saves 200 CNY of imports. K = 200 serves every hour but the step
    allows only 0.25 x 200 = 50 MW per hour: output steps 100, 150, 200 (50 MW imported in
    one hour). Beyond 200 MW a MW adds 0.25 MWh (150 CNY net of 200), below it a MW loses
    1.25 MWh (saving 250 net): K = 200. Capacity cost 40,000 CNY; operating cost 550 MWh x
    100 + 50 MWh x 300 = 70,000 CNY. (A ramp limit on the existing capacity, 0, would keep
    output flat at 100 MW: 100 MW built, objective 120,000 instead of 110,000.)
    """
    out = solve(tmp_path, case(load_mw, {"c": cluster(100, 30, 438, **{ramp: 0.25})}, 300))
    r = out.results
    assert float(r["thermal_p_nom_new_mw"].sel(thermal="c")) == pytest.approx(200)
    assert out.summary["plan"]["capacity_cost_horizon_cny"] == pytest.approx(40_000)
    assert float(r["objective_cny"]) == pytest.approx(70_000)
    np.testing.assert_allclose(r["thermal_p_mw"].values[:, 0], output_mw, atol=1e-6)


def test_interior_clusters_earn_their_cost_share(tmp_path):
    """Long-run equilibrium on a random 8-hour plan (loads, import prices, peak availability): every cluster whose capacity ends strictly
    inside its bounds earns, from the market (bus price x output, minus fuel, VOM and start-up
    costs), exactly the horizon share of its capacity's annual cost: annuity + fixed O&M per
    MW x the new capacity, or, for an existing cluster that partly retires, the fixed O&M
    per MW x the capacity kept. Commitment (minimum stable output, start-up cost), ramp
    limits and availability are all homogeneous in output and capacity, so this holds with
    them; no must-run (an absolute MW breaks it).

    Horizon shares per MW (8 hours): base 669 CNY/kW -> 611 CNY/MW at 52 CNY/MWh, mid 309 ->
    282 at 125, peak 55 -> 50 at 250, the old 300 MW cluster's fixed O&M 186 CNY/kW/yr -> 170
    CNY/MW at 170 CNY/MWh: their screening curves cross near 1.5, 2.5 and 4.5 running hours,
    so with seed 18 all four end inside their bounds (base, mid and peak built, the old
    cluster partly retired) and each is checked."""
    rng = np.random.default_rng(18)
    T = 8
    load = rng.uniform(100, 400, T).round(1).tolist()
    imports = {**tie("a", rng.uniform(300, 700, T).round(1).tolist(), 0), "import_max_mw": 30}
    thermal = {
        "base": cluster(
            60,
            10,
            669,
            min_stable_fraction=0.4,
            startup_cost_cny_per_mw=30,
            ramp_up_fraction_per_h=0.5,
        ),
        "mid": cluster(150, 20, 309, ramp_down_fraction_per_h=0.3),
        "old": cluster(
            200,
            30,
            n_units=3,
            fom_cny_per_kw_yr=186,
            new_max_mw=0,
            retirable=True,
            min_stable_fraction=0.3,
        ),
        "peak": cluster(
            300, 40, 55, new_max_mw=500, availability=rng.uniform(0.8, 1.0, T).round(3).tolist()
        ),
    }
    data = case(load, thermal)
    data["ties"] = {"grid": imports}
    out = solve(tmp_path, data)
    r = out.results
    share = T / 8760
    price = r["price_cny_per_mwh"].sel(bus="a").values
    p = r["thermal_p_mw"].values
    mc = r["thermal_marginal_cost_cny_per_mwh"].values
    start = r["thermal_startup_mw"].reindex(thermal=r.thermal, fill_value=0.0).values
    sc = r["thermal_startup_cost_cny_per_mw"].values
    profit = (price[:, None] * p - mc * p - sc * start).sum(axis=0)
    annual = r["thermal_p_nom_annual_cny_per_mw_yr"].values
    fom = r["thermal_p_nom_fom_cny_per_mw_yr"].values
    new = r["thermal_p_nom_new_mw"].values
    retired = r["thermal_p_nom_retired_mw"].values
    checked = []
    for g, name in enumerate(r.thermal.values):
        if name == "old":
            if 1e-6 < retired[g] < 300 - 1e-6:
                cost = share * fom[g] * (300 - retired[g])
            else:
                continue
        elif 1e-6 < new[g] < (500 if name == "peak" else np.inf) - 1e-6:
            cost = share * annual[g] * new[g]
        else:
            continue
        assert profit[g] == pytest.approx(cost, rel=1e-6), name
        checked.append(str(name))
    assert checked == ["base", "mid", "old", "peak"]  # all four interior in this case


def test_with_nothing_expandable_a_plan_is_the_dispatch(tmp_path):
    """Clusters with commitment, start-up cost, ramp limits, must-run and availability, none
    expandable or retirable (the defaults): the plan solves the dispatch LP: same size, same
    objective (to 1e-9 relative) and prices as ``gridopt run``, nothing built."""
    data = case(
        [120, 260, 180, 90],
        {
            "a1": coal(
                "a",
                150,
                300,
                min_stable_fraction=0.4,
                startup_cost_cny_per_mw=50,
                ramp_up_fraction_per_h=0.5,
                must_run_mw=[30, 30, 0, 0],
            ),
            "a2": coal("a", 100, 350, ramp_down_fraction_per_h=0.6, availability=0.9),
        },
        400,
    )
    run = solve(tmp_path, data, plan=False)
    out = solve(tmp_path, data)
    assert float(out.results["objective_cny"]) == pytest.approx(
        float(run.results["objective_cny"]), rel=1e-9
    )
    np.testing.assert_allclose(
        out.results["price_cny_per_mwh"].values, run.results["price_cny_per_mwh"].values
    )
    assert out.summary["lp_size"] == run.summary["lp_size"]
    assert out.summary["plan"]["built"] == {}
    assert out.summary["plan"]["capacity_cost_horizon_cny"] == 0
