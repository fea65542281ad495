"""Planning (``gridopt plan``): capacity chosen together with the hourly dispatch, on
hand-solved micro networks.

Every case: one bus ``a``, a flat load of 100 MW over 4 hours, a tie importing up to 1,000 MW
at 300 CNY/MWh (no export), and renewables that may expand. Costs are chosen so the horizon's
share of a MW's annual cost is a round number: discount rate 0 and a one-year life make the
annuity the investment itself; no fixed O&M; the horizon is 4 / 8760 of a year, so a plant at
``capex_cny_per_kw`` = k costs k x 1000 x 4 / 8760 CNY per MW for the horizon. k = 438 gives
200 CNY/MW; k = 547.5 gives 250 CNY/MW.
"""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest
import xarray as xr
import yaml

from gridopt.errors import InputError
from gridopt.inputs import load_inputs
from gridopt.run import run_scenario
from tests.conftest import micro, tie

SOLAR = [1.0, 1.0, 0.0, 0.0]


def plant(avail, capex_cny_per_kw: float, **kw) -> dict:
    """An expandable plant at ``a`` with no existing capacity, no upper bound on new capacity."""
    return {
        "bus": "a",
        "carrier": "solar",
        "p_nom_mw": 0,
        "availability": list(avail),
        "new_max_mw": None,
        "economics": {
            "capex_cny_per_kw": capex_cny_per_kw,
            "fixed_om_fraction_per_yr": 0.0,
            "lifetime_yr": 1,
        },
        **kw,
    }


def case(**renewables) -> dict:
    data = micro(
        4,
        loads={"l": {"bus": "a", "p_mw": 100}},
        ties={"grid": tie("a", 300, 0)},
        renewables=renewables,
    )
    data["settings"]["discount_rate"] = 0.0
    return data


def plan(tmp_path, data: dict, out: bool = False):
    path = tmp_path / "plan.yaml"
    path.write_text(yaml.safe_dump(data))
    return run_scenario(path, tmp_path / "out" if out else None, plan=True)


def test_one_technology_builds_up_to_the_load_and_earns_its_cost(tmp_path):
    """Solar at 200 CNY/MW for the horizon, output 1 MWh/MW in hours 0 and 1 only.

    Each MW up to the load (100 MW) saves 2 MWh of imports at 300 = 600 CNY > 200: build
    exactly 100 MW (more would be curtailed). Imports: 100 MW in hours 2 and 3, operating cost
    2 x 100 x 300 = 60,000 CNY; capacity cost 100 x 200 = 20,000 CNY.
    Long-run equilibrium: the new capacity is strictly inside its bounds, so its market revenue
    (price x output) equals its cost: (p0 + p1) x 100 = 20,000, i.e. p0 + p1 = 200 CNY/MWh.
    """
    out = plan(tmp_path, case(pv=plant(SOLAR, 438.0)))
    r, plan_ = out.results, out.summary["plan"]
    assert float(r["renewable_p_nom_new_mw"].sel(renewable="pv")) == pytest.approx(100)
    assert float(r["renewable_p_nom_mw"].sel(renewable="pv")) == pytest.approx(100)
    assert plan_["capacity_cost_horizon_cny"] == pytest.approx(20_000)
    assert float(r["objective_cny"]) == pytest.approx(60_000)
    np.testing.assert_allclose(r["tie_import_mw"].values[:, 0], [0, 0, 100, 100], atol=1e-6)
    price = r["price_cny_per_mwh"].sel(bus="a").values
    assert price[0] + price[1] == pytest.approx(200)
    revenue = float((price * r["renewable_p_mw"].sel(renewable="pv").values).sum())
    assert revenue == pytest.approx(plan_["capacity_cost_horizon_cny"], rel=1e-6)
    assert plan_["annual_cost_new_cny_per_yr"] == pytest.approx(100 * 438_000)
    # the summary's revenue adequacy says the same per asset: margin / annual cost = 1
    assert out.summary["revenue_adequacy"]["pv"]["recovery_ratio"] == pytest.approx(1, rel=1e-6)


def test_two_technologies_screening_by_hand(tmp_path):
    """Solar (200 CNY/MW, 1 MWh/MW in hours 0-1) against wind (250 CNY/MW, 0.5 MW/MW in every
    hour, so 2 MWh/MW over the horizon).

    Wind is the only local source in hours 2-3: each MW there saves 2 x 0.5 x 300 = 300 CNY of
    imports > 250, so wind is built until it covers those hours, 0.5 W = 100, W = 200 MW; it
    then covers hours 0-1 too, and solar, which could only replace wind that is already paid
    for, is not built (a MW of solar would save nothing). Objective: capacity 200 x 250 =
    50,000 CNY, operating cost 0 (no import). Equilibrium: wind's revenue sum_t p_t x 100 MW =
    50,000, so the four prices add up to 500; solar's revenue at those prices, (p0 + p1) x 1,
    is at most its cost 200 (it is not built).
    """
    out = plan(
        tmp_path,
        case(pv=plant(SOLAR, 438.0), wind=plant([0.5] * 4, 547.5, carrier="wind")),
    )
    r = out.results
    new = r["renewable_p_nom_new_mw"]
    assert float(new.sel(renewable="wind")) == pytest.approx(200)
    assert float(new.sel(renewable="pv")) == pytest.approx(0, abs=1e-6)
    assert out.summary["plan"]["capacity_cost_horizon_cny"] == pytest.approx(50_000)
    assert float(r["objective_cny"]) == pytest.approx(0, abs=1e-6)
    price = r["price_cny_per_mwh"].sel(bus="a").values
    assert price.sum() == pytest.approx(500)
    assert price[0] + price[1] <= 200 + 1e-6


def test_least_new_capacity_is_built_even_at_a_loss(tmp_path):
    """The solar case with new_min_mw 150: 150 MW built (50 MW of it curtailed in hours 0-1),
    capacity cost 150 x 200 = 30,000 CNY; imports as before (60,000 CNY)."""
    out = plan(tmp_path, case(pv=plant(SOLAR, 438.0, new_min_mw=150)))
    r = out.results
    assert float(r["renewable_p_nom_new_mw"].sel(renewable="pv")) == pytest.approx(150)
    assert out.summary["plan"]["capacity_cost_horizon_cny"] == pytest.approx(30_000)
    assert float(r["objective_cny"]) == pytest.approx(60_000)
    curtailed = r["renewable_curtailment_mw"].sel(renewable="pv").values
    np.testing.assert_allclose(curtailed, [50, 50, 0, 0], atol=1e-6)


def test_with_nothing_expandable_a_plan_is_the_dispatch(tmp_path):
    """Every bound at zero (the default): the plan solves the dispatch LP, same objective
    (to 1e-9) and prices as ``gridopt run``, nothing built."""
    data = case(pv={**plant(SOLAR, 438.0), "p_nom_mw": 60, "new_max_mw": 0})
    path = tmp_path / "d.yaml"
    path.write_text(yaml.safe_dump(data))
    run = run_scenario(path)
    out = plan(tmp_path, data)
    assert float(out.results["objective_cny"]) == pytest.approx(
        float(run.results["objective_cny"]), rel=1e-9
    )
    np.testing.assert_allclose(
        out.results["price_cny_per_mwh"].values, run.results["price_cny_per_mwh"].values
    )
    assert out.summary["plan"]["built"] == {}
    assert out.summary["plan"]["capacity_cost_horizon_cny"] == 0


def test_plan_writes_the_build_table(tmp_path):
    """build.csv has one row per asset and capacity, with the new capacity and its costs;
    summary.json has the plan block; results.nc the planned capacity (100 MW) and what is new."""
    plan(tmp_path, case(pv=plant(SOLAR, 438.0)), out=True)
    folder = tmp_path / "out"
    t = pd.read_csv(folder / "build.csv")
    row = t.set_index("asset").loc["pv"]
    assert (row["family"], row["capacity"], row["unit"]) == ("renewable", "p_nom_mw", "MW")
    assert row["new"] == pytest.approx(100) and row["total"] == pytest.approx(100)
    assert row["capex_new_cny"] == pytest.approx(100 * 438_000)
    s = json.loads((folder / "summary.json").read_text())
    assert s["plan"]["built"]["pv.p_nom_mw"]["new"] == pytest.approx(100)
    with xr.open_dataset(folder / "results.nc") as r:
        assert float(r["renewable_p_nom_mw"].sel(renewable="pv")) == pytest.approx(100)
        assert r["renewable_p_nom_new_mw"].attrs["units"] == "MW"


def test_new_capacity_bounds_out_of_order_are_an_error(tmp_path):
    """new_min_mw above new_max_mw is a validation error naming both fields."""
    path = tmp_path / "bad.yaml"
    path.write_text(yaml.safe_dump(case(pv=plant(SOLAR, 438.0, new_min_mw=50, new_max_mw=20))))
    with pytest.raises(InputError, match="new_min_mw .*exceeds new_max_mw"):
        load_inputs(path)


def test_a_plant_a_plan_may_build_supplies_its_bus(tmp_path):
    """A bus whose only supply is a candidate plant (no capacity yet, new_max_mw null) is
    valid: a plan can build it (without it the load would be "nothing can supply it")."""
    data = case(pv=plant(SOLAR, 438.0))
    data["ties"] = {}
    path = tmp_path / "only_candidate.yaml"
    path.write_text(yaml.safe_dump(data))
    load_inputs(path)  # no InputError
    data["renewables"]["pv"]["new_max_mw"] = 0
    path.write_text(yaml.safe_dump(data))
    with pytest.raises(InputError, match="nothing can supply it"):
        load_inputs(path)


def test_expansion_at_no_cost_is_warned(tmp_path):
    """A plant that may expand with no investment and no fixed O&M gets a warning naming the
    field and the missing figure (validate prints it; the scenario stays valid)."""
    from click.testing import CliRunner

    from cli import main

    path = tmp_path / "free.yaml"
    path.write_text(yaml.safe_dump(case(pv=plant(SOLAR, 0.0))))
    result = CliRunner().invoke(main, ["validate", str(path)])
    assert result.exit_code == 0, result.output
    assert "warning:" in result.output and "renewables.pv.new_max_mw" in result.output
    assert "capex_cny_per_kw" in result.output
    path.write_text(yaml.safe_dump(case(pv=plant(SOLAR, 438.0))))
    assert "warning" not in CliRunner().invoke(main, ["validate", str(path)]).output


def test_a_plan_keeps_the_dispatch_as_it_is_for_comparison(tmp_path):
    """summary['plan']['dispatch'] is the scenario's dispatch with nothing built: with no
    solar at all, imports serve all 400 MWh at 300 CNY/MWh = 120,000 CNY (the plan: 60,000
    + 20,000 of capacity)."""
    out = plan(tmp_path, case(pv=plant(SOLAR, 438.0)))
    before = out.summary["plan"]["dispatch"]
    assert before["objective_cny"] == pytest.approx(120_000)
    assert float(out.results["objective_cny"]) == pytest.approx(60_000)
    assert set(before) >= {"delivered_price_cny_per_kwh", "price_decomposition"}


def test_existing_capital_is_sunk_or_new_as_the_scenario_says(tmp_path):
    """An existing 50 MW plant at 438 CNY/kW (discount rate 0, one-year life): annuity 50,000
    kW x 438 = 21,900,000 CNY/yr, reported as sunk by default and as new with
    economics.capital: new; the plan's decisions are the same either way (100 MW in all)."""
    for capital, sunk, new in (("sunk", 21_900_000, 0), ("new", 0, 21_900_000)):
        pv = plant(SOLAR, 438.0, p_nom_mw=50)
        pv["economics"]["capital"] = capital
        block = plan(tmp_path, case(pv=pv)).summary["plan"]
        assert block["existing_capital_sunk_cny_per_yr"] == pytest.approx(sunk)
        assert block["existing_capital_new_cny_per_yr"] == pytest.approx(new)
        assert block["built"]["pv.p_nom_mw"]["total"] == pytest.approx(100)


def test_bundled_plan_2030_short_horizon_end_to_end(tmp_path):
    """scenarios/plan_2030.yaml over its first 48 hours, written like the CLI does. Invariants a
    wrong plan breaks: every new capacity within its bounds, retirement within the existing
    capacity, total = existing + new - retired; and the plan costs no more than doing nothing
    (building nothing is feasible): operating + capacity cost <= the dispatch as it is."""
    from pathlib import Path

    path = Path(__file__).resolve().parents[1] / "scenarios" / "plan_2030.yaml"
    out = run_scenario(path, tmp_path / "out", hours=48, plan=True)
    s, r = out.summary, out.results
    assert s["solver_status"] == "Optimal"
    t = pd.read_csv(tmp_path / "out" / "build.csv")
    assert (t["new"] >= -1e-6).all() and (t["retired"] >= -1e-6).all()
    assert (t["retired"] <= t["existing"] + 1e-6).all()
    assert (t["total"] - (t["existing"] + t["new"] - t["retired"])).abs().max() < 1e-6
    ds_max = {(a, c): row for a, c, row in zip(t["asset"], t["capacity"], t.itertuples())}
    for (asset, capacity), row in ds_max.items():
        fam = row.family
        base = capacity.rsplit("_", 1)[0]
        unit = capacity.rsplit("_", 1)[1]
        hi = float(r[f"{fam}_{base}_new_max_{unit}"].sel({fam: asset}))
        assert np.isnan(hi) or row.new <= hi + 1e-6, (asset, capacity)
    total = s["objective_cny"] + s["plan"]["capacity_cost_horizon_cny"]
    assert total <= s["plan"]["dispatch"]["objective_cny"] + 1e-6 * abs(total)
    assert "qilian_shaoshan" in set(t["asset"])


def test_a_policy_todays_fleet_cannot_meet_still_gives_a_plan(tmp_path):
    """Green share 0.5 with no solar today: the dispatch as it is has no solution (a fixed
    fleet with no green energy), the plan builds solar and is written; the comparison says
    why it is missing. A dispatch run into the same folder then removes the plan's build.csv."""
    data = case(pv=plant(SOLAR, 438.0))
    data["policy"] = {"green_share_min_fraction": 0.5}
    out = plan(tmp_path, data, out=True)
    assert out.summary["plan"]["dispatch"]["solver_status"] == "no solution"
    assert float(out.results["renewable_p_nom_mw"].sel(renewable="pv")) >= 100 - 1e-6
    folder = tmp_path / "out"
    assert (folder / "build.csv").exists()
    assert bool(pd.read_csv(folder / "build.csv")["in_local_price"].iloc[0]) is True
    data["policy"] = {}
    path = tmp_path / "dispatch.yaml"
    path.write_text(yaml.safe_dump(data))
    run_scenario(path, folder)
    assert not (folder / "build.csv").exists()
