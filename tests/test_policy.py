"""Policy constraints (scenario section ``policy``, :mod:`gridopt.model.policy`) and their
shadow prices, on hand-solved micro networks.

Dispatch cases (``gridopt run``): one bus ``a``, a flat load of 100 MW over 2 hours (200 MWh),
a 200 MW coal unit at 0.7 x 300 = 210 CNY/MWh emitting 0.8 t/MWh, and 100 MW of wind
available at 0.5 (50 MW each hour, 100 MWh) at a variable cost (a PPA price, say) of 250
CNY/MWh, above coal: with no policy coal serves the whole load (42,000 CNY) and the wind is
curtailed.

Planning cases (``gridopt plan``): the setting of ``tests/test_plan.py`` (load 100 MW over 4
hours, imports at 300 CNY/MWh, discount rate 0, one-year life): wind at ``capex_cny_per_kw``
547.5 costs 250 CNY per MW for the horizon (4 / 8760 of a year).
"""

from __future__ import annotations

import json

import pytest
import yaml

from gridopt.errors import InputError, SolveError
from gridopt.inputs import load_inputs
from gridopt.run import run_scenario
from tests.conftest import coal, micro, tie
from tests.test_plan import plant


def dispatch_case(policy: dict, wind_vom: float = 250.0) -> dict:
    return micro(
        2,
        loads={"l": {"bus": "a", "p_mw": 100}},
        thermal={"c": coal("a", 200, 300, co2_t_per_mwh=0.8)},
        renewables={
            "w": {
                "bus": "a",
                "carrier": "wind",
                "p_nom_mw": 100,
                "availability": 0.5,
                "vom_cny_per_mwh": wind_vom,
            }
        },
        policy=policy,
    )


def plan_case(policy: dict, avail, **wind) -> dict:
    data = micro(
        4,
        loads={"l": {"bus": "a", "p_mw": 100}},
        ties={"grid": tie("a", 300, 0)},
        renewables={"w": plant(avail, 547.5, carrier="wind", **wind)},
        policy=policy,
    )
    data["settings"]["discount_rate"] = 0.0
    return data


def solve(tmp_path, data: dict, plan: bool = False, out: bool = False):
    path = tmp_path / "case.yaml"
    path.write_text(yaml.safe_dump(data))
    return run_scenario(path, tmp_path / "out" if out else None, plan=plan)


def test_green_share_that_binds_has_the_cost_gap_as_its_price(tmp_path):
    """Green share 0.3: wind must give 0.3 x 200 = 60 MWh, coal 140 MWh. Objective 140 x 210 +
    60 x 250 = 44,400 CNY. Each MWh of green energy required costs 250 - 210 = 40 CNY (wind
    replaces coal): shadow price 40 CNY/MWh. Coal stays marginal in both hours, so the bus
    price is 210 (the load is fixed: the green row's right-hand side, not the balance,
    carries the policy). Tightening to 0.31 adds 0.01 x 200 MWh x 40 = 80 CNY."""
    out = solve(tmp_path, dispatch_case({"green_share_min_fraction": 0.3}))
    r, g = out.results, out.summary["policy"]["green_share"]
    assert float(r["objective_cny"]) == pytest.approx(44_400)
    assert float(r["renewable_p_mw"].sum()) == pytest.approx(60)
    assert r["price_cny_per_mwh"].values == pytest.approx(210)
    assert g["shadow_price_cny_per_mwh"] == pytest.approx(40)
    assert g["binding"] is True
    assert (g["achieved_fraction"], g["green_mwh"], g["load_mwh"]) == pytest.approx((0.3, 60, 200))
    tighter = solve(tmp_path, dispatch_case({"green_share_min_fraction": 0.31}))
    assert float(tighter.results["objective_cny"]) - 44_400 == pytest.approx(80)


def test_co2_cap_that_binds_prices_the_tonne(tmp_path):
    """CO2 cap 120 t: coal at most 120 / 0.8 = 150 MWh, wind the other 50 MWh. Objective
    150 x 210 + 50 x 250 = 44,000 CNY. Coal's cost with the carbon shadow price mu equals
    wind's: 210 + 0.8 mu = 250, mu = 50 CNY/t; wind is marginal, so the price is 250 in the
    hour it runs (coal's 210 + 0.8 x 50 in the other: the same)."""
    out = solve(tmp_path, dispatch_case({"co2_max_t": 120}))
    r, c = out.results, out.summary["policy"]["co2"]
    assert float(r["objective_cny"]) == pytest.approx(44_000)
    assert c["emissions_t"] == pytest.approx(120) == out.summary["emissions_t"]
    assert c["shadow_price_cny_per_t"] == pytest.approx(50)
    assert c["binding"] is True
    assert r["price_cny_per_mwh"].values == pytest.approx(250)


def test_curtailment_cap_in_a_dispatch(tmp_path):
    """At most 40 % of the 100 MWh available curtailed: at least 60 MWh of wind used, the
    green-share case again: 44,400 CNY, 40 CNY per MWh of curtailment allowed."""
    out = solve(tmp_path, dispatch_case({"curtailment_max_fraction": 0.4}))
    c = out.summary["policy"]["curtailment"]
    assert float(out.results["objective_cny"]) == pytest.approx(44_400)
    assert (c["curtailed_mwh"], c["available_mwh"]) == pytest.approx((40, 100))
    assert c["shadow_price_cny_per_mwh"] == pytest.approx(40)
    assert c["binding"] is True


def test_constraints_that_do_not_bind_have_zero_price(tmp_path):
    """Wind at no variable cost: all 100 MWh used (a green share of 0.5 and no curtailment),
    coal 100 MWh (80 t): a green share of 0.3, a cap of 1,000 t and a curtailment cap of 0.4
    change nothing (coal only, 21,000 CNY) and have zero shadow prices."""
    policy = {"green_share_min_fraction": 0.3, "co2_max_t": 1000, "curtailment_max_fraction": 0.4}
    out = solve(tmp_path, dispatch_case(policy, wind_vom=0.0))
    assert float(out.results["objective_cny"]) == pytest.approx(21_000)
    p = out.summary["policy"]
    assert p["green_share"]["achieved_fraction"] == pytest.approx(0.5)
    assert p["co2"]["emissions_t"] == pytest.approx(80)
    assert p["curtailment"]["achieved_fraction"] == pytest.approx(0, abs=1e-9)
    assert p["green_share"]["shadow_price_cny_per_mwh"] == 0
    assert p["co2"]["shadow_price_cny_per_t"] == 0
    assert p["curtailment"]["shadow_price_cny_per_mwh"] == 0
    assert not any(v["binding"] for v in p.values())


def test_no_policy_no_block(tmp_path):
    """A scenario without a policy (or with an empty one) has no ``policy`` block and solves
    the same LP (same size and objective)."""
    none = solve(tmp_path, {k: v for k, v in dispatch_case({}).items() if k != "policy"})
    empty = solve(tmp_path, dispatch_case({}))
    assert "policy" not in none.summary and "policy" not in empty.summary
    assert none.summary["lp_size"] == empty.summary["lp_size"]
    assert float(none.results["objective_cny"]) == pytest.approx(42_000)


def test_reserve_margin_in_a_plan_prices_firm_capacity(tmp_path):
    """Wind available at 0.5 in every hour, capacity credit 0.5. Without a margin 200 MW is
    built (it covers the load: tests/test_plan.py). A margin of 0.2 needs 1.2 x 100 = 120 MW
    firm, so 240 MW of wind (capacity cost 240 x 250 = 60,000 CNY, the extra 40 MW
    curtailed). A MW of firm capacity takes 2 MW of wind: 500 CNY for the horizon, i.e.
    500 / (4 / 8760) / 1000 = 1,095 CNY/kW-yr (wind's 547.5 CNY/kW-yr over its 0.5 credit).
    A margin of 0.25 adds 5 MW firm: 5 x 500 = 2,500 CNY."""
    policy = {"reserve_margin_fraction": 0.2, "capacity_credit": {"wind": 0.5}}
    out = solve(tmp_path, plan_case(policy, [0.5] * 4), plan=True)
    rm = out.summary["policy"]["reserve_margin"]
    assert float(out.results["renewable_p_nom_mw"].sel(renewable="w")) == pytest.approx(240)
    assert out.summary["plan"]["capacity_cost_horizon_cny"] == pytest.approx(60_000)
    assert (rm["peak_load_mw"], rm["required_mw"], rm["firm_capacity_mw"]) == pytest.approx(
        (100, 120, 120)
    )
    assert rm["shadow_price_cny_per_kw_yr"] == pytest.approx(1095)
    assert rm["binding"] is True
    more = solve(tmp_path, plan_case({**policy, "reserve_margin_fraction": 0.25}, [0.5] * 4), True)
    assert more.summary["plan"]["capacity_cost_horizon_cny"] - 60_000 == pytest.approx(2_500)


def test_curtailment_cap_in_a_plan_counts_new_capacity(tmp_path):
    """Wind availability [1, 0.5, 0.5, 0.5]: unconstrained, 200 MW are built (20 % of the
    500 MWh available is curtailed, in hour 0). With at most 10 % curtailed, W MW give
    2.5 W MWh available and 100 + 1.5 W used (W >= 100): 100 + 1.5 W >= 0.9 x 2.5 W, so
    W <= 400/3 MW. Each MW more would still save 1.5 MWh of imports (450 CNY) for 250: the
    cap binds at W = 133.3 MW; capacity cost 33,333 CNY, imports 3 x (100 - 66.7) x 300 =
    30,000 CNY. A MWh of curtailment allowed lets W grow by 1 / 0.75 MW, each saving 200 CNY
    net: shadow price 800 / 3 = 266.7 CNY/MWh."""
    avail = [1.0, 0.5, 0.5, 0.5]
    base = solve(tmp_path, plan_case({}, avail), plan=True)
    assert float(base.results["renewable_p_nom_mw"].sel(renewable="w")) == pytest.approx(200)
    out = solve(tmp_path, plan_case({"curtailment_max_fraction": 0.1}, avail), plan=True)
    c = out.summary["policy"]["curtailment"]
    assert float(out.results["renewable_p_nom_mw"].sel(renewable="w")) == pytest.approx(400 / 3)
    assert out.summary["plan"]["capacity_cost_horizon_cny"] == pytest.approx(100_000 / 3)
    assert float(out.results["objective_cny"]) == pytest.approx(30_000)
    assert (c["achieved_fraction"], c["available_mwh"]) == pytest.approx((0.1, 1000 / 3))
    assert c["shadow_price_cny_per_mwh"] == pytest.approx(800 / 3)


def test_reserve_margin_of_a_fixed_fleet(tmp_path, capsys):
    """In a dispatch the fleet is fixed: 100 MW of wind at credit 0.5 and 200 MW of coal at
    1.0 give 250 MW firm; a margin of 1.0 (200 MW needed) holds, slack, zero price; a margin
    of 2.0 (300 MW) cannot be met: an error naming the policy, written nothing."""
    policy = {"reserve_margin_fraction": 1.0, "capacity_credit": {"wind": 0.5}}
    out = solve(tmp_path, dispatch_case(policy), out=True)
    rm = out.summary["policy"]["reserve_margin"]
    assert (rm["firm_capacity_mw"], rm["required_mw"]) == pytest.approx((250, 200))
    assert rm["shadow_price_cny_per_kw_yr"] == 0 and rm["binding"] is False
    written = json.loads((tmp_path / "out" / "summary.json").read_text())
    assert written["policy"]["reserve_margin"]["firm_capacity_mw"] == pytest.approx(250)
    with pytest.raises(SolveError, match="reserve margin"):
        solve(tmp_path, dispatch_case({**policy, "reserve_margin_fraction": 2.0}))


def test_policy_fields_are_checked(tmp_path):
    """A share above 1, a negative cap and an unknown key are schema errors, located."""
    data = dispatch_case({"green_share_min_fraction": 1.5, "co2_max_t": -1, "co2_t": 3})
    path = tmp_path / "bad.yaml"
    path.write_text(yaml.safe_dump(data))
    with pytest.raises(InputError) as exc:
        load_inputs(path)
    text = str(exc.value)
    for field in ("policy.green_share_min_fraction", "policy.co2_max_t", "policy.co2_t"):
        assert field in text


def test_green_share_counts_the_load_served_of_an_interruptible_load(tmp_path):
    """The dispatch case with an interruptible load of 80 MW (160 MWh) at 300 CNY/MWh, fully
    interruptible: load 360 MWh. Green share 0.4: all 100 MWh of wind (40 CNY per MWh of green
    energy) is not enough, 0.4 x 360 = 144; interrupting X MWh lowers the need by 0.4 X at
    300 - 210 = 90 CNY each, 225 CNY per MWh of green energy: 100 >= 0.4 (360 - X), X = 110
    (inside its limit of 160). Objective: coal 150 x 210 + wind 100 x 250 + 110 x 300 =
    89,500 CNY; shadow price 225 CNY/MWh; load served 250 MWh."""
    data = dispatch_case({"green_share_min_fraction": 0.4})
    data["interruptible_loads"] = {
        "i": {"bus": "a", "p_mw": 80, "cost_cny_per_mwh": 300, "max_fraction": 1.0}
    }
    out = solve(tmp_path, data)
    g = out.summary["policy"]["green_share"]
    assert float(out.results["objective_cny"]) == pytest.approx(89_500)
    assert float(out.results["intr_interrupted_mw"].sum()) == pytest.approx(110)
    assert (g["green_mwh"], g["load_mwh"]) == pytest.approx((100, 250))
    assert g["shadow_price_cny_per_mwh"] == pytest.approx(225)


def test_reserve_margin_builds_thermal_capacity_in_a_plan(tmp_path):
    """50 MW of coal (0.7 x 300 = 210 CNY/MWh) that may grow at 200 CNY/MW for the horizon
    (capex 438 CNY/kW, one-year life), imports at 300 (credit 0 by default). Unconstrained,
    coal grows to the load, 100 MW (each MW saves 4 x 90 = 360 > 200). A margin of 0.5 needs
    150 MW firm: 100 MW new; the last 50 MW never run, so a firm MW costs its 200 CNY:
    200 / (4 / 8760) / 1000 = 438 CNY/kW-yr, coal's annual cost per kW. Capacity cost
    20,000 CNY, operating cost 100 x 4 x 210 = 84,000 CNY."""
    econ = {"capex_cny_per_kw": 438.0, "fixed_om_fraction_per_yr": 0.0, "lifetime_yr": 1}
    data = micro(
        4,
        loads={"l": {"bus": "a", "p_mw": 100}},
        ties={"grid": tie("a", 300, 0)},
        thermal={"c": coal("a", 50, 300, new_max_mw=None, economics=econ)},
        policy={"reserve_margin_fraction": 0.5},
    )
    data["settings"]["discount_rate"] = 0.0
    out = solve(tmp_path, data, plan=True)
    rm = out.summary["policy"]["reserve_margin"]
    assert float(out.results["thermal_p_nom_mw"].sel(thermal="c")) == pytest.approx(150)
    assert out.summary["plan"]["capacity_cost_horizon_cny"] == pytest.approx(20_000)
    assert float(out.results["objective_cny"]) == pytest.approx(84_000)
    assert rm["firm_capacity_mw"] == pytest.approx(150)
    assert rm["shadow_price_cny_per_kw_yr"] == pytest.approx(438)


def test_a_tenant_is_counted_in_the_green_share(tmp_path):
    """The green-share case (0.3) with a tenant of 50 MW at ``a`` (100 MWh): the load is 300
    MWh, so 0.3 x 300 = 90 MWh must be green. Coal 210 MWh x 210 + wind 90 MWh x 250 = 66,600
    CNY against 44,400 without the tenant: 22,200 / 100 MWh = 222 CNY/MWh. (A warm re-solve
    that only raised the bus balance would leave the green row at 60 MWh and give 210: a
    scenario with a policy rebuilds each tenant case.)"""
    from gridopt.tenant.study import evaluate_scenario

    path = tmp_path / "green.yaml"
    path.write_text(yaml.safe_dump(dispatch_case({"green_share_min_fraction": 0.3})))
    study = evaluate_scenario(path, ["flat:p_mw=50,name=t,bus=a"], bands=(0.0,))
    figures = study.tenants[0].figures
    assert figures["short_run_incremental_cost_cny_per_mwh"] == pytest.approx(222)
