"""The load-hosting curve (``gridopt tenant … --hosting``), hand-solved on a one-bus network
built for it: curtailed wind first, then new coal.

Wind 100 MW available every hour at 2 CNY/MWh VOM, load 20 MW, 4 hours: 80 MW curtailed.
New coal may be built at 160 CNY per MW for the horizon (``capex_cny_per_kw`` = 2.19 x 160 =
350.4, discount rate 0, one-year life) and burns at 210 CNY/MWh (heat rate 300): a MW run all
4 hours costs 160 + 840 = 1,000 CNY. The hosted profile is flat, so m MW mean is m MW each hour.

m = 40, 80: only wind that was curtailed: average = step cost = 2 CNY/MWh, the short-run cost.
m = 120: 80 MW of wind (640 CNY) + 40 MW of new coal (40,000): 40,640 / 480 = 84.667 average,
         step 40,000 / 160 = 250.
m = 160: 640 + 80,000 = 80,640 / 640 = 126 average, step 250.
"""

from __future__ import annotations

import json
import math
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import yaml
from click.testing import CliRunner

from cli import main
from gridopt.inputs import build_inputs
from gridopt.scenario.load import scenario_from_dict
from gridopt.tenant import Tenant, evaluate
from gridopt.tenant.hosting import benchmark_crossing, parse_hosting
from tests.conftest import coal, micro

NET = 0.0693 + 0.0229


def case(expand: bool = True) -> dict:
    data = micro(
        4,
        renewables={
            "wind": {
                "bus": "a",
                "carrier": "wind",
                "p_nom_mw": 100,
                "availability": 1.0,
                "vom_cny_per_mwh": 2,
            }
        },
        thermal={
            "new": coal(
                "a",
                100,
                300,
                n_units=0,
                new_max_mw=None if expand else 0,
                vom_cny_per_mwh=0,
                economics={
                    "capex_cny_per_kw": 350.4,
                    "fixed_om_cny_per_kw_yr": 0,
                    "lifetime_yr": 1,
                },
            ),
        },
        loads={"l": {"bus": "a", "p_mw": 20}},
    )
    data["settings"]["discount_rate"] = 0.0
    return data


def curve(data: dict, steps=(0, 40, 80, 120, 160)) -> tuple[dict, dict]:
    ds = build_inputs(scenario_from_dict(data, Path("micro.yaml")))
    study = evaluate(ds, [Tenant("t", "a", np.full(4, 10.0))], bands=(0.0,), hosting_mw=steps)
    out = study.to_dict()
    return out, out["hosting"]


def test_hosting_curve_short_run_cost_on_curtailment_then_rising():
    """The figures of the module docstring; the average offer price never falls as MW grows
    (the LP's value is convex in the load); the step on curtailment is priced at the tenant's
    own short-run cost (a 10 MW tenant on the same wind: 2 CNY/MWh)."""
    data, h = curve(case())
    assert h["mode"] == "plan" and h["price_key"] == "offer_price_cny_per_kwh"
    t = pd.DataFrame(h["steps"])
    avg = t["long_run_incremental_cost_cny_per_mwh"].to_numpy()
    assert math.isnan(avg[0])
    np.testing.assert_allclose(avg[1:], [2, 2, 40_640 / 480, 126], atol=1e-6)
    np.testing.assert_allclose(
        t["step_incremental_cost_cny_per_mwh"][1:], [2, 2, 250, 250], atol=1e-6
    )
    np.testing.assert_allclose(t["offer_price_cny_per_kwh"][1:], avg[1:] / 1000 + NET)
    sric = data["tenants"][0]["short_run_incremental_cost_cny_per_mwh"]
    assert sric == pytest.approx(2) and avg[1] == pytest.approx(sric)
    assert (np.diff(t["offer_price_cny_per_kwh"][1:]) >= -1e-12).all()
    np.testing.assert_allclose(t["absorbed_curtailment_mwh"], [0, 160, 320, 320, 320], atol=1e-6)
    np.testing.assert_allclose(t["green_share"][1:], [1, 1, 320 / 480, 320 / 640], atol=1e-6)
    np.testing.assert_allclose(t["built_thermal.coal.p_nom_mw"], [0, 0, 0, 40, 80], atol=1e-6)
    np.testing.assert_allclose(t["unserved_energy_mwh"], 0, atol=1e-6)
    assert t["system_delivered_price_cny_per_kwh"].notna().all()
    assert h["benchmark_crossing"] == {"where": "below", "mw": None, "unserved_from_mw": None}


def test_hosting_in_dispatch_mode_is_the_short_run_price():
    """Without the coal option the curve is the dispatch's: short-run keys, no offer price."""
    _, h = curve(case(expand=False), steps=(0, 40, 80))
    assert h["mode"] == "dispatch" and h["price_key"] == "short_run_price_cny_per_kwh"
    t = pd.DataFrame(h["steps"])
    assert "offer_price_cny_per_kwh" not in t
    np.testing.assert_allclose(t["short_run_incremental_cost_cny_per_mwh"][1:], [2, 2], atol=1e-6)


def test_parse_hosting_and_the_benchmark_crossing():
    """0 is put first (the base); the crossing is interpolated: 0.2 at 100 MW, 0.4 at 200 MW,
    benchmark 0.3 -> 150 MW."""
    assert parse_hosting("0:3000:500") == [0, 500, 1000, 1500, 2000, 2500, 3000]
    assert parse_hosting("100:300:100") == [0, 100, 200, 300]
    assert benchmark_crossing(pd.Series([0, 100, 200]), pd.Series([np.nan, 0.2, 0.4]), 0.3) == {
        "where": "crosses",
        "mw": pytest.approx(150),
    }
    assert benchmark_crossing(pd.Series([0, 100]), pd.Series([np.nan, 0.5]), 0.3)["where"] == (
        "above"
    )


@pytest.mark.parametrize("bad", ["0:3000", "a:b:c", "0:3000:0", "-5:100:10", "0:1e9:1"])
def test_bad_hosting_is_a_clean_click_error(tmp_path, bad):
    path = tmp_path / "s.yaml"
    path.write_text(yaml.safe_dump(case()))
    result = CliRunner().invoke(
        main, ["tenant", str(path), "flat:p_mw=10", "--hosting", bad, "--out", str(tmp_path / "o")]
    )
    assert result.exit_code == 2, result.output
    assert "--hosting" in result.output and bad in result.output
    assert "START:STOP:STEP" in result.output and "Traceback" not in result.output


def test_hosting_from_the_command_line_writes_csv_png_and_json(tmp_path):
    path = tmp_path / "s.yaml"
    path.write_text(yaml.safe_dump(case()))
    out = tmp_path / "o"
    result = CliRunner().invoke(
        main,
        ["tenant", str(path), "flat:p_mw=10,bus=a", "--hosting", "0:160:40", "--out", str(out)]
        + ["--no-report", "--lang", "en"],
    )
    assert result.exit_code == 0, result.output
    csv = pd.read_csv(out / "hosting.csv", encoding="utf-8-sig")
    assert list(csv["added_mean_mw"]) == [0, 40, 80, 120, 160]
    assert csv["offer_price_cny_per_kwh"][4] == pytest.approx(0.126 + NET)
    assert (out / "hosting.png").stat().st_size > 10_000
    data = json.loads((out / "tenant.json").read_text(encoding="utf-8"))
    assert len(data["hosting"]["steps"]) == 5
    assert "does not cross the coal benchmark" in result.stderr
    two = CliRunner().invoke(
        main, ["tenant", str(path), "flat:p_mw=10", "flat:p_mw=5", "--hosting", "0:10:5"]
    )
    assert two.exit_code == 2 and "one PROFILE" in two.output


def test_hosting_beyond_what_can_be_built_is_flagged():
    """The same network with new coal limited to 60 MW: the grid serves at most 100 (wind) +
    60 (coal) = 160 MW, 20 of which the load takes, so up to 140 MW of hosted load is served
    and at 160 MW 20 MW x 4 h = 80 MWh are not: the hosting curve names 160 MW as the first
    step beyond the grid's reach (its price is VOLL-driven, not an offer)."""
    data = case()
    data["thermal"]["new"]["new_max_mw"] = 60
    _, h = curve(data, steps=(0, 80, 120, 140, 160))
    un = {s["added_mean_mw"]: s["unserved_energy_mwh"] for s in h["steps"]}
    assert un[140] == pytest.approx(0, abs=1e-6) and un[160] == pytest.approx(80, abs=1e-6)
    assert h["benchmark_crossing"]["unserved_from_mw"] == 160
    _, h = curve(case(), steps=(0, 80, 160))
    assert h["benchmark_crossing"]["unserved_from_mw"] is None
