"""The console a planner reads (:mod:`gridopt.console`): one elapsed clock per command, every
line in the chosen language, a live line during a solve, the sweep's results table, the
warning for figures scaled to a year from a short horizon, and no Dask chatter.

Micro runs only: the demo grid for 24 h (``--hours 24`` of a 744 h scenario, with annual fixed
costs: the delivered price carries 24/8760 of them, i.e. the horizon's energy is scaled by
8760/24 = 365.0) and a 24 h micro grid without fixed costs solved over its whole horizon
(nothing scaled to a year: no warning).
"""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pytest
import yaml
from click.testing import CliRunner

from cli import main
from gridopt import console
from gridopt.console import Console, extrapolation_factor, highs_progress
from gridopt.console_texts import TEXTS
from tests.conftest import DEMO, coal, micro

STAMP = re.compile(r"^\[\s*(\d+\.\d) s\] ")
UNITS = {
    "GWh",
    "MWh",
    "kWh",
    "MW",
    "kt",
    "MB",
    "CNY",
    "h",
    "min",
    "s",
    "P10",
    "P90",
    "CO2",
    "HiGHS",
}


def _clock(output: str) -> list[float]:
    return [float(m.group(1)) for m in map(STAMP.match, output.splitlines()) if m]


def _english_words(output: str, names: set[str], paths: list[str]) -> list[str]:
    """Latin words left on the zh console once file paths, option names (``--bus``), units
    and the names the planner gave (scenario, buses, swept paths, time zone) are taken out."""
    found = []
    for line in output.splitlines():
        for p in sorted(paths, key=len, reverse=True):
            line = line.replace(p, " ")
        line = re.sub(r"--[a-z][a-z-]*", " ", line)
        line = re.sub(r"\b[\w.]+\.(nc|csv|json|html|yaml|txt)\b", " ", line)  # file names
        for word in re.findall(r"[A-Za-z][A-Za-z0-9_./]*", line):
            if word not in UNITS and word not in names and not set(word) & set("_./"):
                found.append(word)
    return found


def test_both_languages_have_the_same_texts_and_fields():
    fields = re.compile(r"{(\w+)")
    assert TEXTS["zh"].keys() == TEXTS["en"].keys()
    for key, en in TEXTS["en"].items():
        assert sorted(fields.findall(en)) == sorted(fields.findall(TEXTS["zh"][key])), key
        assert en and TEXTS["zh"][key]


@pytest.fixture(scope="module")
def demo24(tmp_path_factory):
    """``gridopt run demo_small --hours 24`` in zh and en."""
    out = tmp_path_factory.mktemp("run")
    runs = {}
    for lang in ("zh", "en"):
        res = CliRunner().invoke(
            main, ["run", str(DEMO), "--hours", "24", "--out", str(out / lang), "--lang", lang]
        )
        assert res.exit_code == 0, res.output
        runs[lang] = res.output
    return runs, out


def test_run_speaks_the_chosen_language_on_one_clock(demo24):
    runs, out = demo24
    zh, en = runs["zh"], runs["en"]
    for text in (zh, en):
        t = _clock(text)
        assert len(t) >= 5 and t == sorted(t)  # one clock: never restarts
    names = {"demo_small", "jyg", "jq", "wind_area", "Asia", "Shanghai"}
    assert _english_words(zh, names, [str(out / "zh"), str(DEMO)]) == []
    assert "结果已写入" in zh and "到户电价" in zh and "求解状态 最优" in zh
    assert "Results written to" in en and "delivered price" in en
    # the same numbers in both: the delivered price to 4 decimals
    price = re.search(r"delivered price\s+(\d\.\d{4})", en).group(1)
    assert re.search(rf"到户电价\s+{price}", zh)


def test_a_short_horizon_names_the_factor_of_its_annual_figures(demo24):
    """24 of 8760 h with annual fixed costs in the delivered price: factor 8760/24 = 365.0."""
    runs, _ = demo24
    assert "annual figures scale 24 h by 365.0 (8760/24)" in runs["en"]
    assert "年度数字由 24 小时按 365.0 倍" in runs["zh"]
    assert _clock(runs["en"])[-1] >= _clock(runs["en"])[0]


def test_no_warning_without_annual_figures(tmp_path):
    """A 24 h micro grid over its whole horizon: coal 100 MW at 0.7 x 300 = 210 CNY/MWh for a
    50 MW load, capital and fixed O&M set to 0. Cost-recovery price 252,000 CNY / 1,200 MWh =
    210.0 CNY/MWh, delivered 0.2100 + 0.0693 + 0.0229 = 0.3022 CNY/kWh: nothing in it is
    scaled to a year, so no warning. The factor function gives 8760/48 = 182.5 once fixed
    costs are pro-rated over 48 h."""
    zero = {"capex_cny_per_kw": 0, "fixed_om_cny_per_kw_yr": 0}
    data = micro(
        24,
        thermal={"c": coal("a", 100, 300, economics=zero)},
        loads={"l": {"bus": "a", "p_mw": [50] * 24}},
    )
    path = tmp_path / "m24.yaml"
    path.write_text(yaml.safe_dump(data))
    res = CliRunner().invoke(main, ["run", str(path), "--out", str(tmp_path / "o"), "--lang", "en"])
    assert res.exit_code == 0, res.output
    assert re.search(r"cost-recovery price\s+210\.0 CNY/MWh", res.output)
    assert re.search(r"delivered price\s+0\.3022 CNY/kWh", res.output)
    assert "annual figures" not in res.output and "8760/24" not in res.output
    s = {"hours": 48, "cost_recovery": {"fixed_costs_prorated": True, "fixed_cost_cny": 5.0}}
    assert extrapolation_factor(s) == pytest.approx(182.5)
    assert extrapolation_factor({**s, "hours": 8760}) is None
    assert extrapolation_factor({"hours": 48, "cost_recovery": {"fixed_cost_cny": 0.0}}) is None


def _tiny_weather(folder: Path) -> Path:
    from tests.test_sweep import tiny_scenario

    return tiny_scenario(folder)


@pytest.fixture(scope="module")
def swept(tmp_path_factory):
    """Two coal prices x two weather years of the 24 h demo grid, on a LocalCluster of one
    worker started by the command (zh); then the same sweep in en (all four cases done: read
    back, nothing solved)."""
    folder = tmp_path_factory.mktemp("sweep")
    scenario = _tiny_weather(folder)
    out = folder / "sw"
    args = ["sweep", str(scenario), "--set", "fuels.coal.price_cny_per_t=500,900"]
    args += ["--seeds", "1..2", "--workers", "1", "--out", str(out)]
    runs = {}
    for lang in ("zh", "en"):
        res = CliRunner().invoke(main, [*args, "--lang", lang])
        assert res.exit_code == 0, res.output
        runs[lang] = res.output
    return runs, out, scenario


def test_sweep_ends_with_its_results_table(swept):
    import pandas as pd

    runs, out, scenario = swept
    table = pd.read_csv(out / "sweep.csv")
    bands = pd.read_csv(out / "sweep_bands.csv")
    for lang, text in runs.items():
        lines = text.splitlines()
        head = lines.index(TEXTS[lang]["sweep_table"])
        rows = lines[head + 2 : head + 2 + len(table)]
        for row, (_, r) in zip(rows, table.iterrows()):
            cells = row.split()
            assert cells[0] == str(r["fuels.coal.price_cny_per_t"]) and cells[1] == str(
                r["weather_year"]
            )
            assert cells[2] == TEXTS[lang]["status_ok"]
            assert cells[3] == f"{r.delivered_price_cny_per_kwh:.4f}"
            assert cells[4] == f"{r.avg_marginal_price_cny_per_mwh:,.1f}"
            b = bands[bands["fuels.coal.price_cny_per_t"] == r["fuels.coal.price_cny_per_t"]].iloc[
                0
            ]
            lo, hi = b.delivered_price_cny_per_kwh_p10, b.delivered_price_cny_per_kwh_p90
            assert cells[-1] == f"{lo:.4f}–{hi:.4f}"
    assert table.delivered_price_cny_per_kwh.nunique() == 4  # the cases differ
    assert "P10–P90 区间仅基于 2 个气象年" in runs["zh"]
    assert "rests on 2 weather year(s): indicative only" in runs["en"]


def test_sweep_console_one_clock_one_language_no_dask(swept):
    runs, out, scenario = swept
    zh, en = runs["zh"], runs["en"]
    t = _clock(zh)
    assert len(t) >= 3 and t == sorted(t)
    assert t[-1] > 0.0  # the progress line keeps the command's clock (no restart at 0.0)
    names = {"fuels.coal.price_cny_per_t", "tiny"}
    words = _english_words(zh, names, [str(out), str(scenario)])
    assert words == []
    assert "4 case(s), 0 solved now, 4 already done, 0 failed" in en
    for text in (zh, en):
        assert "distributed" not in text and "8787" not in text


class _Clock:
    def __init__(self):
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def test_live_line_rewrites_on_a_terminal_and_is_rare_in_a_log(capsys):
    """A terminal: at most one rewrite per 0.25 s, each starting with a carriage return; a
    log: a plain line at most every 10 s, and none in the first 10 s of a solve."""
    clock = _Clock()
    for tty, times, shown in (
        (True, [0.1, 0.2, 0.4, 0.5], 2),
        (False, [5, 9.9, 10.1, 15, 20.2], 2),
    ):
        clock.now = 0.0
        con = Console("en", tty=tty, clock=clock)
        con.solve_started()
        for t in times:
            clock.now = t
            con.solver_live(100, 1.5e6 if tty else float("nan"), t)
        con.end_live()
        err = capsys.readouterr().err
        text = "HiGHS: 100 iterations, " + ("objective 1,500,000 CNY" if tty else "")
        assert err.count(text) == shown
        assert err.count("\r") == (shown if tty else 0)


def test_the_live_callback_is_called_and_changes_nothing():
    """The demo grid for 24 h solved with and without the live callback: the same objective
    (to 1e-12 relative), the same iterations and dispatch; the callback saw HiGHS's counters."""
    from gridopt.inputs import load_inputs
    from gridopt.model import build
    from gridopt.solve import solve

    _, ds = load_inputs(DEMO, 24)
    b = build(ds)
    calls = []
    off = solve(b.m, {"presolve": "off"})
    on = solve(b.m, {"presolve": "off"}, live=lambda *a: calls.append(a))
    assert calls and all(isinstance(it, int) and it >= -1 for it, _, _ in calls)
    it, objective, _ = [c for c in calls if c[0] >= 0][-1]  # HiGHS's last simplex line
    assert objective == pytest.approx(off.objective, rel=1e-9)
    assert on.objective == pytest.approx(off.objective, rel=1e-12, abs=1e-12)
    assert on.iterations == off.iterations
    np.testing.assert_array_equal(on.x, off.x)


def test_highs_progress_unsubscribes_and_restores_the_log_options():
    import highspy

    h = highspy.Highs()
    h.setOptionValue("output_flag", False)
    with highs_progress(h, lambda *a: None):
        assert len(h.cbLogging.callbacks) == 1
        assert h.getOptionValue("log_to_console")[1] is False
    assert len(h.cbLogging.callbacks) == 0
    assert h.getOptionValue("output_flag")[1] is False
    assert h.getOptionValue("log_to_console")[1] is True


def test_quiet_dask_keeps_distributed_off_unless_debug():
    import logging

    console.quiet_dask(debug=False)
    assert logging.getLogger("distributed").getEffectiveLevel() == logging.CRITICAL
    console.quiet_dask(debug=True)
    assert logging.getLogger("distributed").getEffectiveLevel() == logging.INFO
    console.quiet_dask(debug=False)


def test_tenant_ends_in_its_language_and_flags_its_annual_figures(tmp_path):
    """``gridopt tenant`` for 24 h in zh: the study's lines and the closing "已写出" in
    Chinese on one clock, and per-year figures (saving per year) flagged with 8760/24 = 365.0."""
    args = ["tenant", str(DEMO), "aluminium_smelter:capacity_t_per_yr=100000", "--hours", "24"]
    res = CliRunner().invoke(main, [*args, "--no-report", "--out", str(tmp_path), "--lang", "zh"])
    assert res.exit_code == 0, res.output
    t = _clock(res.output)
    assert t == sorted(t) and len(t) >= 4
    assert "已写出：" in res.output and "Written:" not in res.output
    assert "新用户 1/1：aluminium_smelter，接入 jyg" in res.output
    assert "年度数字由 24 小时按 365.0 倍（8760/24）" in res.output


def test_prefixed_keeps_language_and_live_line():
    con = Console("zh", tty=False)
    p = console.Prefixed(con, lambda lang, s: f"[{lang}] {s}")
    assert p.lang == "zh" and p.solver_live == con.solver_live
    assert console.text(p, "tenant_fits") == "可接入"
    assert console.text(lambda s: None, "tenant_fits") == "fits"  # a plain callable: English


# --------------------------------------------------------------------------------------------
# the last line: the files the command wrote
# --------------------------------------------------------------------------------------------

RUN_FILES = ["results.nc", "prices.csv", "scenario_resolved.yaml", "summary.json"]


def test_run_ends_with_the_files_it_wrote(demo24):
    """``gridopt run`` (no report) ends with the four files it wrote into a fresh folder, in
    the order they were written, scenario_resolved.yaml among them; zh with 、 between them."""
    runs, out = demo24
    en = runs["en"].rstrip("\n").splitlines()[-1]
    zh = runs["zh"].rstrip("\n").splitlines()[-1]
    assert en == f"Results written to {out / 'en'}/ ({', '.join(RUN_FILES)})"
    assert zh == f"结果已写入 {out / 'zh'}/（{'、'.join(RUN_FILES)}）"
    assert sorted(p.name for p in (out / "en").iterdir()) == sorted(RUN_FILES)


def test_run_with_report_lists_the_report_too_and_not_what_it_did_not_write(tmp_path):
    """``gridopt run --report --lang en`` into a folder holding an unrelated notes.txt: the last
    line names the run's four files, then each report file and figures/ with its count of PNG
    files, and not notes.txt (there before, untouched)."""
    (tmp_path / "notes.txt").write_text("mine")
    res = CliRunner().invoke(
        main,
        ["run", str(DEMO), "--hours", "24", "--out", str(tmp_path), "--lang", "en", "--report"],
    )
    assert res.exit_code == 0, res.output
    last = res.output.rstrip("\n").splitlines()[-1]
    head = f"Results written to {tmp_path}/ ("
    assert last.startswith(head) and last.endswith(")")
    items = last[len(head) : -1].split(", ")
    n_png = len(list((tmp_path / "figures").iterdir()))
    assert items[:4] == RUN_FILES and f"figures/ with {n_png} file(s)" in items
    top = {p.name for p in tmp_path.iterdir() if p.is_file()} - {"notes.txt"}
    assert set(items) - {f"figures/ with {n_png} file(s)"} == top
    assert {"report.html", "report.xlsx", "statistics.csv", "network.csv"} <= top


def test_written_line_by_hand(tmp_path):
    """a.txt there before and untouched, b.txt replaced (new inode), c.txt and sub/x.png,
    sub/y.png new, written in the order b, c, x, y: 'b.txt, c.txt, sub/ with 2 file(s)'."""
    import os

    (tmp_path / "a.txt").write_text("a")
    (tmp_path / "b.txt").write_text("b")
    before = console.folder_state(tmp_path)
    (tmp_path / "b.new").write_text("b2")
    os.replace(tmp_path / "b.new", tmp_path / "b.txt")
    (tmp_path / "sub").mkdir()
    for name in ("c.txt", "sub/x.png", "sub/y.png"):
        (tmp_path / name).write_text(name)
    for k, name in enumerate(["b.txt", "c.txt", "sub/x.png", "sub/y.png"]):
        os.utime(tmp_path / name, ns=(10**18 + k, 10**18 + k))
    files = console.changed_files(tmp_path, before)
    assert [p.relative_to(tmp_path).as_posix() for p in files] == [
        "b.txt",
        "c.txt",
        "sub/x.png",
        "sub/y.png",
    ]
    assert console.written_line(Console("en"), tmp_path, files) == (
        f"Results written to {tmp_path}/ (b.txt, c.txt, sub/ with 2 file(s))"
    )
    assert console.written_line(Console("zh"), tmp_path, files) == (
        f"结果已写入 {tmp_path}/（b.txt、c.txt、sub/ 下 2 个文件）"
    )
