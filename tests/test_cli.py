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
    result = CliRunner().invoke(
        main, ["run", str(DEMO), "--out", str(out), "--hours", "48", "--lang", "en"]
    )
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
    """A user error is one ``error:`` line and exit 1 (click's runner records the SystemExit);
    with --debug the InputError itself escapes the command, so Python prints its traceback."""
    from gridopt.errors import InputError

    bad = tmp_path / "bad.yaml"
    bad.write_text("name: x\nbuses: {a: {}}\nloads: {l: {bus: b, p_mw: 1}}\n")
    res = CliRunner().invoke(main, ["validate", str(bad)])
    assert isinstance(res.exception, SystemExit) and res.exit_code == 1
    assert res.stderr.startswith("error: ") and "loads.l.bus: unknown bus" in res.stderr
    res = CliRunner().invoke(main, ["--debug", "validate", str(bad)])
    assert isinstance(res.exception, InputError), repr(res.exception)
    assert "loads.l.bus: unknown bus" in str(res.exception) and "error:" not in res.output


def test_unexpected_error_is_one_line_naming_the_command(tmp_path, monkeypatch):
    """An exception gridopt does not expect (a bug) is not a traceback but one line naming the
    command and its input, the exception, and what to do; --debug gives the traceback."""
    import gridopt.inputs

    def broken(*args, **kwargs):
        raise ZeroDivisionError("float division by zero")

    monkeypatch.setattr(gridopt.inputs, "load_checked", broken)
    res = CliRunner().invoke(main, ["validate", str(DEMO)])
    assert res.exit_code == 1 and isinstance(res.exception, SystemExit)
    assert "Traceback" not in res.output
    assert res.stderr.splitlines() == [
        f"error: internal error in `gridopt validate {DEMO}`: ZeroDivisionError: float "
        "division by zero. This is a bug in gridopt, not a problem in your input: rerun with "
        "--debug for the traceback and report it"
    ]
    res = CliRunner().invoke(main, ["--debug", "validate", str(DEMO)])
    assert isinstance(res.exception, ZeroDivisionError)


def test_os_error_reads_as_a_person_writes_it(tmp_path, monkeypatch):
    """An OS error is ``path: reason``, without Python's errno and quotes."""
    import gridopt.inputs

    def denied(path, *args, **kwargs):
        raise PermissionError(13, "Permission denied", str(path))

    monkeypatch.setattr(gridopt.inputs, "load_checked", denied)
    res = CliRunner().invoke(main, ["validate", str(DEMO)])
    assert res.exit_code == 1
    assert res.stderr.splitlines() == [f"error: {DEMO}: Permission denied"]


def test_out_under_a_file_fails_before_solving(tmp_path, monkeypatch):
    """``run --out afile/sub`` stops with one line naming --out and the path, and nothing is
    solved (the solve is replaced by one that fails the test if called)."""
    import gridopt.run

    def no_solve(*args, **kwargs):
        raise AssertionError("solved although --out cannot be written")

    monkeypatch.setattr(gridopt.run, "solve_inputs", no_solve)
    afile = tmp_path / "afile"
    afile.write_text("a file, not a folder")
    res = CliRunner().invoke(main, ["run", str(DEMO), "--hours", "2", "--out", str(afile / "sub")])
    assert res.exit_code == 1 and isinstance(res.exception, SystemExit), res.output
    lines = res.stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: --out") and str(afile) in lines[0]


@pytest.mark.parametrize(
    "command",
    [
        ["report", "{tmp}"],
        ["tenant", "{demo}", "flat:p_mw=1", "--out", "{tmp}/o"],
        ["sweep", "{demo}", "--out", "{tmp}/o"],
    ],
)
def test_lang_is_checked_alike_in_every_command(tmp_path, command, monkeypatch):
    """``--lang fr`` gets the same one-line message from report, tenant and sweep, before
    anything is read or solved (exit 1, as every input error)."""
    import gridopt.inputs

    monkeypatch.setattr(gridopt.inputs, "load_inputs", lambda *a, **k: 1 / 0)
    args = [a.format(tmp=tmp_path, demo=DEMO) for a in command]
    res = CliRunner().invoke(main, [*args, "--lang", "fr"])
    assert res.exit_code == 1, res.output
    assert res.stderr.splitlines() == [f"error: {_lang_message('fr')}"]


def _lang_message(lang: str) -> str:
    from gridopt.errors import InputError, Problem

    return str(InputError(Problem("--lang", "unknown language", lang, "use zh or en")))


def test_lang_is_one_function_one_error_class_one_message(tmp_path):
    """Every function that takes a language raises the same InputError for an unknown one,
    and reads ``" EN "`` as ``en``."""
    from gridopt.errors import InputError
    from gridopt.report import check_lang, make_report
    from gridopt.sweep import sweep
    from gridopt.tenant import format_table, tenant_frame

    assert check_lang(" EN ") == "en" and check_lang("zh") == "zh"
    calls = [
        lambda: check_lang("fr"),
        lambda: make_report(tmp_path, lang="fr"),
        lambda: format_table({}, "fr"),
        lambda: tenant_frame({"tenants": []}, "fr"),
        lambda: sweep(DEMO, lang="fr", out=tmp_path / "o"),
    ]
    for call in calls:
        with pytest.raises(InputError) as exc:
            call()
        assert type(exc.value) is InputError and str(exc.value) == _lang_message("fr")


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
