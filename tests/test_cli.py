"""The CLI end to end through click's test runner, on a short horizon of the demo scenario."""

from __future__ import annotations

import json
import re

import pandas as pd
import pytest
from click.testing import CliRunner

from cli import main
from gridopt.io import read_results
from tests.conftest import DEMO

SUMMARY_KEYS = {
    "scenario",
    "hours",
    "objective_cny",
    "solver_status",
    "unserved_energy_mwh",
    "curtailment_mwh",
    "emissions_t",
    "prices",
    "timings_s",
    "peak_memory_mb",
}


@pytest.fixture(scope="module")
def demo_run(tmp_path_factory):
    out = tmp_path_factory.mktemp("run")
    result = CliRunner().invoke(main, ["run", str(DEMO), "--out", str(out), "--hours", "48"])
    return result, out


def test_run_writes_results_prices_and_summary(demo_run):
    result, out = demo_run
    assert result.exit_code == 0, result.output
    assert "Results written to" in result.output
    summary = json.loads((out / "summary.json").read_text())
    assert SUMMARY_KEYS <= set(summary)
    assert summary["hours"] == 48 and summary["solver_status"] == "Optimal"
    assert set(summary["timings_s"]) >= {"build", "handoff", "solve", "extract"}
    # the printed summary carries the planner's two prices, as in summary.json
    assert re.search(
        rf"cost-recovery price +{summary['cost_recovery_cny_per_mwh']:,.1f} CNY/MWh \(fixed costs pro-rated",
        result.output,
    )
    assert re.search(
        rf"delivered price +{summary['delivered_price_cny_per_kwh']:,.4f} CNY/kWh", result.output
    )
    lp = summary["lp_size"]
    assert lp["rows"] > 0 and lp["columns"] > lp["rows"] / 10 and lp["nonzeros"] > lp["columns"]
    for p in summary["prices"].values():
        assert set(p) >= {"time_weighted_cny_per_mwh", "load_weighted_cny_per_mwh"}
    prices = pd.read_csv(out / "prices.csv", index_col="timestamp")
    assert list(prices.columns) == ["jyg", "jq", "wind_area"]
    assert len(prices) == 48
    assert prices.index[0].startswith("2025-01-01 00:00:00+08:00")


def test_results_file_is_auditable(demo_run):
    """results.nc holds the results with units and the resolved inputs that produced them."""
    _, out = demo_run
    r = read_results(out / "results.nc")
    for name in [
        "thermal_p_mw",
        "thermal_committed_mw",
        "thermal_startup_mw",
        "renewable_p_mw",
        "renewable_curtailment_mw",
        "storage_soc_mwh",
        "line_flow_mw",
        "flex_p_mw",
        "tie_import_mw",
        "bus_unserved_mw",
        "price_cny_per_mwh",
        "price_setter",
        "renewable_availability_pu",
        "load_p_mw",
        "tie_import_price_cny_per_mwh",
        "thermal_marginal_cost_cny_per_mwh",
    ]:
        assert name in r, name
        assert "units" in r[name].attrs, name
    assert r["storage_cyclic"].dtype == bool
    summary = json.loads((out / "summary.json").read_text())
    assert float(r["objective_cny"]) == pytest.approx(summary["objective_cny"])
    prices = pd.read_csv(out / "prices.csv", index_col="timestamp")
    assert prices.to_numpy() == pytest.approx(r["price_cny_per_mwh"].values, abs=1e-4)


def test_validate_valid_and_invalid(tmp_path):
    ok = CliRunner().invoke(main, ["validate", str(DEMO)])
    assert ok.exit_code == 0 and ok.output.startswith("valid: demo_small: 3 buses")
    bad = tmp_path / "bad.yaml"
    bad.write_text("name: x\nbuses: {a: {}}\nloads: {l: {bus: b, p_mw: 1}}\n")
    res = CliRunner().invoke(main, ["validate", str(bad)])
    assert res.exit_code == 1
    assert "loads.l.bus: unknown bus" in res.output
    assert "Traceback" not in res.output


def test_debug_shows_traceback(tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text("name: x\nbuses: {a: {}}\nloads: {l: {bus: b, p_mw: 1}}\n")
    res = CliRunner().invoke(main, ["--debug", "validate", str(bad)])
    assert res.exit_code != 0 and res.exception is not None


def test_unsolved_model_is_an_error_and_writes_nothing(tmp_path):
    """An iteration limit of 1 stops HiGHS before optimality: one error line, no results."""
    out = tmp_path / "out"
    res = CliRunner().invoke(
        main,
        [
            "run",
            str(DEMO),
            "--out",
            str(out),
            "--hours",
            "24",
            "--solver-option",
            "simplex_iteration_limit=1",
        ],
    )
    assert res.exit_code == 1
    assert "not optimal" in res.output and "demo_small" in res.output
    assert not (out / "summary.json").exists() and not (out / "results.nc").exists()


def test_bad_solver_option(tmp_path):
    res = CliRunner().invoke(
        main,
        [
            "run",
            str(DEMO),
            "--out",
            str(tmp_path),
            "--hours",
            "2",
            "--solver-option",
            "no_such_option=3",
        ],
    )
    assert res.exit_code == 1 and "no_such_option" in res.output
    res = CliRunner().invoke(main, ["run", str(DEMO), "--hours", "2", "--solver-option", "novalue"])
    assert res.exit_code == 2 and "key=value" in res.output


def test_inputs_hash_covers_referenced_files(tmp_path):
    """Wind availability from wind.csv: summary.json names the file with its SHA-256, and
    inputs_sha256 changes when one value of the CSV changes while scenario_sha256 (the
    scenario text) does not, so a result traces to the exact files that made it."""
    import hashlib

    import yaml

    from gridopt.run import run_scenario
    from tests.conftest import micro

    csv = tmp_path / "wind.csv"
    csv.write_text("timestamp,pu\n" + "".join(f"2025-03-20 0{h}:00,{h / 10}\n" for h in range(4)))
    data = micro(
        4,
        renewables={
            "w": {
                "bus": "a",
                "carrier": "wind",
                "p_nom_mw": 50,
                "availability": {"csv": "wind.csv", "column": "pu"},
            }
        },
        loads={"l": {"bus": "a", "p_mw": 10}},
        ties={
            "t": {
                "bus": "a",
                "import_max_mw": 100,
                "export_max_mw": 0,
                "import_price_cny_per_mwh": 300,
                "export_price_cny_per_mwh": 0,
            }
        },
    )
    path = tmp_path / "s.yaml"
    path.write_text(yaml.safe_dump(data))
    one = run_scenario(path).summary
    assert one["input_files"] == {"wind.csv": hashlib.sha256(csv.read_bytes()).hexdigest()}
    csv.write_text(csv.read_text().replace(",0.3\n", ",0.35\n"))
    two = run_scenario(path).summary
    assert two["scenario_sha256"] == one["scenario_sha256"]
    assert two["inputs_sha256"] != one["inputs_sha256"] and len(two["inputs_sha256"]) == 64
