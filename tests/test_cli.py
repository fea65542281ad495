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

SUMMARY_KEYS = {"scenario", "hours", "objective_cny", "solver_status", "unserved_energy_mwh",
                "curtailment_mwh", "emissions_t", "prices", "timings_s", "peak_memory_mb"}


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
    assert re.search(rf"cost-recovery price +{summary['cost_recovery_cny_per_mwh']:,.1f} CNY/MWh \(fixed costs pro-rated", result.output)
    assert re.search(rf"delivered price +{summary['delivered_price_cny_per_kwh']:,.4f} CNY/kWh", result.output)
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
    for name in ["thermal_p_mw", "thermal_committed_mw", "thermal_startup_mw", "renewable_p_mw",
                 "renewable_curtailment_mw", "storage_soc_mwh", "line_flow_mw", "flex_p_mw",
                 "tie_import_mw", "bus_unserved_mw", "price_cny_per_mwh", "price_setter",
                 "renewable_availability_pu", "load_p_mw", "tie_import_price_cny_per_mwh",
                 "thermal_marginal_cost_cny_per_mwh"]:
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
    res = CliRunner().invoke(main, ["run", str(DEMO), "--out", str(out), "--hours", "24",
                                    "--solver-option", "simplex_iteration_limit=1"])
    assert res.exit_code == 1
    assert "not optimal" in res.output and "demo_small" in res.output
    assert not (out / "summary.json").exists() and not (out / "results.nc").exists()


def test_bad_solver_option(tmp_path):
    res = CliRunner().invoke(main, ["run", str(DEMO), "--out", str(tmp_path), "--hours", "2",
                                    "--solver-option", "no_such_option=3"])
    assert res.exit_code == 1 and "no_such_option" in res.output
    res = CliRunner().invoke(main, ["run", str(DEMO), "--hours", "2", "--solver-option", "novalue"])
    assert res.exit_code == 2 and "key=value" in res.output
