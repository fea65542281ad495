"""`gridopt tenant` end to end through click's test runner: the default scenario with library
tenants on a 72-hour horizon, and every kind of bad input as one clear message."""

from __future__ import annotations

import json

import pandas as pd
import pytest
import yaml
from click.testing import CliRunner

from cli import main
from gridopt.tenant import STABLE_KEYS, format_table
from tests.conftest import ROOT, micro

DEFAULT = ROOT / "scenarios" / "jiayuguan_jiuquan_2025.yaml"


@pytest.fixture(scope="module")
def default_run(tmp_path_factory):
    out = tmp_path_factory.mktemp("tenant")
    result = CliRunner().invoke(
        main,
        [
            "tenant",
            str(DEFAULT),
            "aluminium_smelter:capacity_t_per_yr=200000",
            "flat:p_mw=150,name=数据中心,flex_band=0.2",
            "--hours",
            "72",
            "--out",
            str(out),
            "--lang",
            "zh",
        ],
    )
    return result, out


def test_default_scenario_with_an_aluminium_tenant(default_run):
    """200 kt/yr at 13,500 kWh/t is 2.7 TWh/yr, 308.2 MW on average: about 22.2 GWh in 72 h."""
    result, out = default_run
    assert result.exit_code == 0, result.output
    data = json.loads((out / "tenant.json").read_text(encoding="utf-8"))
    assert data["scenario"] == "jiayuguan_jiuquan_2025" and data["hours"] == 72
    assert data["solver_status"] == "Optimal" and len(data["scenario_sha256"]) == 64
    al, dc = data["tenants"]
    for t in (al, dc):
        assert set(STABLE_KEYS) <= set(t)
        assert t["bus"] == "jyg_330"  # the smelter's bus, the largest industrial load
        assert t["fits"] is True and t["unserved_energy_mwh"] == pytest.approx(0, abs=1e-3)
        assert 0 <= t["green_share"] <= 1
        curve = [t["flexibility_curve"][k] for k in ("0", "0.05", "0.1", "0.2")]
        assert all(b <= a for a, b in zip(curve, curve[1:])), curve
        net = data["tariffs_cny_per_kwh"]["network_charge"] + data["tariffs_cny_per_kwh"]["funds"]
        assert t["short_run_price_cny_per_kwh"] == pytest.approx(
            t["short_run_incremental_cost_cny_per_mwh"] / 1000 + net
        )
    assert al["energy_mwh"] == pytest.approx(200_000 * 13.5 / 8760 * 72, rel=0.01)
    assert al["name"] == "aluminium_smelter" and dc["name"] == "数据中心" and dc["flex_band"] == 0.2
    assert sorted(data["ranking"]) == ["aluminium_smelter", "数据中心"]
    csv = pd.read_csv(out / "tenant.csv", encoding="utf-8-sig")
    assert list(csv["name"]) == data["ranking"] and len(csv) == 2
    # the printed table: Chinese headers, both tenants, the comparison tariffs
    assert (
        "短期增量成本" in result.stdout
        and "绿电占比" in result.stdout
        and "燃煤基准价 0.3078" in result.stdout
    )
    assert "数据中心" in result.stdout and "aluminium_smelter" in result.stdout
    assert (
        "基准算例求解完成" in result.stderr and " s] " in result.stderr
    )  # progress with elapsed time
    assert "short-run cost" in format_table(data, "en")
    # the base case's results and the report with its tenant section, in the same folder
    summary = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    assert summary["hours"] == 72 and summary["objective_cny"] == pytest.approx(
        data["base"]["objective_cny"]
    )
    page = (out / "report.html").read_text(encoding="utf-8")
    assert 'id="fig-tenant-flex"' in page and "拟入驻用户评估" in page and "数据中心" in page
    assert ".staging" not in page and [p.name for p in out.iterdir() if p.name[0] == "."] == []
    sheet = pd.read_excel(out / "report.xlsx", sheet_name="拟入驻用户")
    assert sorted(sheet["用户"]) == sorted(data["ranking"])
    green = dict(zip(sheet["用户"], sheet["逐时绿电占比 [%]"]))
    assert green["数据中心"] == pytest.approx(100 * dc["green_share"])


def _micro_file(tmp_path):
    path = tmp_path / "micro.yaml"
    path.write_text(
        yaml.safe_dump(
            micro(
                24,
                buses={"a": {}, "b": {}},
                lines={"ab": {"bus0": "a", "bus1": "b", "p_max_mw": 100}},
                thermal={
                    "c": {
                        "bus": "a",
                        "fuel": "coal",
                        "p_unit_mw": 100,
                        "heat_rate_gce_per_kwh": 300,
                    }
                },
                loads={"mill": {"bus": "b", "p_mw": 20}},
            )
        )
    )
    return path


def _one_error(res) -> str:
    assert res.exit_code == 1, res.output
    assert "Traceback" not in res.output and res.exception is not None
    lines = [x for x in res.stderr.splitlines() if x.startswith("error:")]
    assert len(lines) == 1, res.stderr
    return lines[0]


@pytest.mark.parametrize(
    "args, words",
    [
        (
            ["flat:p_mw=10", "--bus", "nowhere"],
            ["--bus: unknown bus", "'nowhere'", "use one of: a, b"],
        ),
        (["flat:p_mw=10,bus=c"], ["unknown bus", "use one of: a, b"]),
        (
            ["aluminium_smelter:capacity=200000"],
            ["unknown parameter", "'capacity'", "capacity_t_per_yr"],
        ),
        (
            ["smelter:capacity_t_per_yr=200000"],
            ["unknown library profile", "aluminium_smelter, steel_works"],
        ),
        (["flat:p_mw"], ["not key=value"]),
        (["flat:p_mw=10", "--format", "pdf"], ["pdf"]),
    ],
)
def test_bad_arguments_are_one_clear_line(tmp_path, args, words):
    res = CliRunner().invoke(
        main, ["tenant", str(_micro_file(tmp_path)), *args, "--out", str(tmp_path / "o")]
    )
    line = _one_error(res)
    for w in words:
        assert w in line, line
    assert not (tmp_path / "o").exists()


def test_profile_file_with_errors_names_the_row(tmp_path):
    bad = tmp_path / "load.csv"
    bad.write_text("p_mw\n" + "\n".join(["5"] * 10 + ["abc"] + ["5"] * 13) + "\n")
    res = CliRunner().invoke(
        main, ["tenant", str(_micro_file(tmp_path)), str(bad), "--out", str(tmp_path / "o")]
    )
    assert res.exit_code == 1 and "Traceback" not in res.output
    assert "load.csv: row 12, column p_mw" in res.stderr and "abc" in res.stderr
    good = tmp_path / "good.csv"
    good.write_text("p_mw\n" + "\n".join(["5"] * 24) + "\n")
    res = CliRunner().invoke(
        main,
        [
            "tenant",
            str(_micro_file(tmp_path)),
            f"{good}:scale=2",
            "--out",
            str(tmp_path / "o"),
            "--no-report",  # the row message and the scale are what this test is about
        ],
    )
    assert res.exit_code == 0, res.output
    t = json.loads((tmp_path / "o" / "tenant.json").read_text())["tenants"][0]
    assert (t["name"], t["bus"], t["energy_mwh"]) == (
        "good",
        "b",
        pytest.approx(240),
    )  # the mill's bus


def test_out_under_a_file_fails_before_solving(tmp_path, monkeypatch):
    """``tenant --out afile/sub``: one line naming --out and the path, and nothing solved (the
    evaluation is replaced by one that fails the test if called)."""
    import gridopt.tenant.study

    def no_solve(*args, **kwargs):
        raise AssertionError("solved although --out cannot be written")

    monkeypatch.setattr(gridopt.tenant.study, "evaluate", no_solve)
    afile = tmp_path / "afile"
    afile.write_text("a file, not a folder")
    res = CliRunner().invoke(
        main, ["tenant", str(_micro_file(tmp_path)), "flat:p_mw=10", "--out", str(afile / "sub")]
    )
    line = _one_error(res)
    assert line.startswith("error: --out") and str(afile) in line


def test_a_failed_write_keeps_the_earlier_results(tmp_path, monkeypatch):
    """A tenant study that fails while writing (here: the report) leaves the folder of the
    earlier study exactly as it was: tenant.json, tenant.csv and the base results."""
    import gridopt.report

    out = tmp_path / "o"
    scenario = str(_micro_file(tmp_path))
    first = CliRunner().invoke(
        main, ["tenant", scenario, "flat:p_mw=10", "--out", str(out), "--format", "xlsx"]
    )
    assert first.exit_code == 0, first.output
    before = {p.name: p.read_bytes() for p in out.iterdir() if p.is_file()}
    assert {"tenant.json", "tenant.csv", "summary.json", "results.nc", "report.xlsx"} <= set(before)

    def disk_full(*args, **kwargs):
        raise OSError(28, "No space left on device", str(out / "report.xlsx"))

    monkeypatch.setattr(gridopt.report, "make_report", disk_full)
    res = CliRunner().invoke(main, ["tenant", scenario, "flat:p_mw=15", "--out", str(out)])
    assert res.exit_code == 1
    after = {p.name: p.read_bytes() for p in out.iterdir() if p.is_file()}
    assert after == before
    assert [p.name for p in out.iterdir() if p.name.startswith(".")] == []
    assert _one_error(res) == f"error: {out / 'report.xlsx'}: No space left on device"
