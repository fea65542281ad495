"""`gridopt run --report` and `gridopt report` through click's test runner on a real 48 h solve
of the demo scenario; summary.json gains the price fields."""

from __future__ import annotations

import json
import warnings

import pandas as pd
import pytest
from click.testing import CliRunner
from PIL import Image

from cli import main
from gridopt import prices as P
from gridopt.io import read_results
from gridopt.report.png import FIGURES
from tests.conftest import DEMO


@pytest.fixture(scope="module")
def run_with_report(tmp_path_factory):
    """`gridopt run demo_small --hours 48 --report` (Chinese, every format); the matplotlib
    warnings are kept: a glyph missing from the fonts would be a tofu box in a figure."""
    out = tmp_path_factory.mktemp("demo48")
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        res = CliRunner().invoke(
            main, ["run", str(DEMO), "--out", str(out), "--hours", "48", "--report"]
        )
    return res, out, [str(w.message) for w in caught]


def test_run_with_report_writes_everything(run_with_report):
    res, out, caught = run_with_report
    assert res.exit_code == 0, res.output
    # zh, the default language: the last line names what was written, the report's files too
    last = res.output.rstrip("\n").splitlines()[-1]
    assert last.startswith(f"结果已写入 {out}/（results.nc、prices.csv、scenario_resolved.yaml")
    assert "report.html" in last and "report.xlsx" in last and "figures/ 下" in last
    assert {p.name for p in out.iterdir()} == {
        "results.nc",
        "prices.csv",
        "summary.json",
        "scenario_resolved.yaml",
        "report.html",
        "report.xlsx",
        "statistics.csv",
        "network.csv",
        "figures",
    }
    assert (out / "report.html").stat().st_size > 1_000_000
    book = pd.read_excel(out / "report.xlsx", sheet_name=None)
    assert "逐时电价" in book  # the default language is Chinese
    assert len(book["逐时电价"]) == 48


def test_chinese_figures_have_no_missing_glyphs(run_with_report):
    _, out, caught = run_with_report
    missing = [m for m in caught if "missing from" in m or "Glyph" in m]
    assert not missing, missing
    from gridopt.report.png_network import NETWORK_CHARTS

    drawn = (*FIGURES, *NETWORK_CHARTS)  # demo_small's lines have limits: the network too
    assert sorted(p.name for p in (out / "figures").iterdir()) == sorted(f"{n}.png" for n in drawn)
    for name in drawn:
        with Image.open(out / "figures" / f"{name}.png") as im:
            assert im.size == (1920, 1080)


def test_summary_gains_the_price_fields(run_with_report):
    _, out, _ = run_with_report
    s = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    assert {
        "cost_recovery_cny_per_mwh",
        "delivered_price_cny_per_kwh",
        "price_decomposition",
    } <= set(s)
    assert set(s["price_decomposition"]) == set(P.COMPONENTS)
    assert sum(s["price_decomposition"].values()) == pytest.approx(
        s["delivered_price_cny_per_kwh"], rel=1e-12
    )
    assert s["cost_recovery"]["fixed_costs_prorated"] is True
    r = read_results(out / "results.nc")
    assert s["cost_recovery_cny_per_mwh"] == pytest.approx(P.cost_recovery(r).price_cny_per_mwh)
    # the operating cost in the price is the objective without slack penalties
    assert s["cost_recovery"]["operating_cost_cny"] == pytest.approx(
        s["objective_cny"] - s["cost_recovery"]["excluded_slack_penalty_cny"]
    )


def test_report_command_english_xlsx_into_another_folder(run_with_report, tmp_path):
    _, out, _ = run_with_report
    res = CliRunner().invoke(
        main,
        ["report", str(out), "--lang", "en", "--format", "xlsx", "--out", str(tmp_path / "en")],
    )
    assert res.exit_code == 0, res.output
    assert (tmp_path / "en" / "report.xlsx").exists() and not (
        tmp_path / "en" / "report.html"
    ).exists()
    book = pd.read_excel(tmp_path / "en" / "report.xlsx", sheet_name=None)
    r = read_results(out / "results.nc")
    prices = book["Hourly prices"]
    for b in r.bus.values:
        assert prices[f"{b} marginal price [CNY/MWh]"].values == pytest.approx(
            r["price_cny_per_mwh"].sel(bus=b).values, rel=1e-12
        )


def test_report_of_a_folder_without_results_is_one_line(tmp_path):
    res = CliRunner().invoke(main, ["report", str(tmp_path)])
    assert res.exit_code == 1
    assert res.output.strip().startswith("error:") and "no results.nc" in res.output
    assert "Traceback" not in res.output


def test_a_report_that_fails_midway_keeps_the_earlier_report(
    run_with_report, tmp_path, monkeypatch
):
    """The report's files are written as a whole: when the PNGs fail after report.html and
    report.xlsx are written, the earlier report.html and report.xlsx stay byte for byte and no
    staging folder is left behind (before, the new HTML and workbook replaced the old ones and
    the figures were missing: a report that looked whole but mixed two runs)."""
    import shutil

    from gridopt.report import png

    _, out, _ = run_with_report
    folder = tmp_path / "copy"
    shutil.copytree(out, folder)
    before = {p: (folder / p).read_bytes() for p in ("report.html", "report.xlsx")}

    def broken(*args, **kwargs):
        raise OSError("disk full")

    monkeypatch.setattr(png, "write_all", broken)
    res = CliRunner().invoke(main, ["report", str(folder), "--lang", "en"])
    assert res.exit_code == 1 and "disk full" in res.output
    assert {p: (folder / p).read_bytes() for p in before} == before
    assert not [p for p in folder.iterdir() if p.name.startswith(".staging")]
