"""The gridopt figures quoted in docs/ equal a fresh run (docs/figures.py).

Each generated block sits between ``<!-- fig:NAME -->`` and ``<!-- /fig -->`` in its doc. A
change in what gridopt computes or prints (a renamed column, a tariff of the scenario, a
message) makes the block differ from a fresh run of the command the doc states, and the test
of that block fails until ``python docs/figures.py NAME`` rewrites it. The year-long
generators (``slow``) are only checked for having their marker; their renderers are checked
here on hand-made runs (figures derived by hand in each docstring), and timing blocks
(``volatile``) are compared with their numbers masked.

Not tested: that no table row outside a block quotes a number. Tables of inputs, defaults
and hand measurements (docs/plan.md's fields, docs/performance.md's start-up table) carry
numbers legitimately, so such a test would need a list of exceptions that drifts itself.
"""

import importlib.util
import sys

import pytest

from tests.conftest import ROOT

_spec = importlib.util.spec_from_file_location("docs_figures", ROOT / "docs" / "figures.py")
figures = importlib.util.module_from_spec(_spec)
sys.modules[_spec.name] = figures  # dataclasses look their module up there
_spec.loader.exec_module(figures)

CHEAP = [name for name, fig in figures.FIGURES.items() if not fig.slow]


def test_every_marker_has_a_generator_and_every_generator_a_marker():
    where = figures.all_markers()
    assert set(where) == set(figures.FIGURES), (
        f"markers without a generator: {sorted(set(where) - set(figures.FIGURES))}; "
        f"generators without a marker: {sorted(set(figures.FIGURES) - set(where))}"
    )
    for name, doc in where.items():
        assert figures.FIGURES[name].doc == doc, f"fig:{name} is in docs/{doc}"


@pytest.mark.parametrize("name", CHEAP)
def test_block_equals_a_fresh_run(name):
    doc = ROOT / "docs" / figures.FIGURES[name].doc
    committed = figures.blocks(doc)[name]
    fresh = figures.generate(name)
    assert figures.same(name, committed, fresh), f"docs drifted: run python docs/figures.py {name}"


def test_replace_block_changes_only_the_named_block():
    """Two blocks; rewriting one leaves the other and the prose around them byte for byte."""
    text = (
        "intro\n<!-- fig:a -->\n```\nold a\n```\n<!-- /fig -->\nmiddle\n"
        "<!-- fig:b -->\nold b\n<!-- /fig -->\nend\n"
    )
    new = figures.replace_block(text, "a", "```\nnew a\n```\n")
    assert new == text.replace("old a", "new a")
    assert figures.replace_block(new, "b", "B\n") == new.replace("old b\n", "B\n")


def test_check_reports_a_doctored_block(tmp_path, monkeypatch):
    """--check exits 1 on a doc whose block is not what the generator gives, and leaves it."""
    doc = tmp_path / "sweep.md"
    doc.write_text(
        "<!-- fig:sweep_bad_value -->\n```\nerror: stale\n```\n<!-- /fig -->\n", encoding="utf-8"
    )
    monkeypatch.setattr(figures, "DOCS", tmp_path)
    before = doc.read_text(encoding="utf-8")
    assert figures.main(["--check", "sweep_bad_value"]) == 1
    assert doc.read_text(encoding="utf-8") == before
    assert figures.main(["sweep_bad_value"]) == 0
    assert figures.main(["--check", "sweep_bad_value"]) == 0
    assert "error: stale" not in doc.read_text(encoding="utf-8")


def test_volatile_blocks_are_compared_with_numbers_masked():
    """A timing block (volatile) equals a fresh run whose every number differs, but not one
    whose words differ; a block that is not volatile must match digit for digit."""
    committed = "| 168 h | 0.01–0.02 s (9–157 iterations) | 0.08 s vs 1.7 s |\n"
    fresh = "| 168 h | 0.5–1.75 s (404–8,126 iterations) | 3.4 s vs 12.0 s |\n"
    assert figures.FIGURES["tenant_warm_vs_rebuild"].volatile
    assert figures.same("tenant_warm_vs_rebuild", committed, fresh)
    assert not figures.same("tenant_warm_vs_rebuild", committed, fresh.replace("vs", "or"))
    assert not figures.same("tenant_year", committed, fresh)
    assert figures.masked("LP 394,566 rows, 1.30 M") == "LP # rows, # M"


def _year_run(load_mwh, exports_mwh, fixed_cny, operating_cny, export_revenue_cny):
    """A Run of a ``gridopt run`` with only what render_default_year_price reads: one idle
    and one running coal plant (1,000 + 500 MW) over two hours."""
    import xarray as xr

    r = xr.Dataset(
        {
            "thermal_p_nom_mw": ("thermal", [1000.0, 500.0]),
            "thermal_p_mw": (("time", "thermal"), [[0.0, 400.0], [0.0, 300.0]]),
            "tariff_network_charge_cny_per_kwh": 0.0,
        },
        coords={"thermal": ["old", "new"]},
    )
    summary = {
        "load_mwh": load_mwh,
        "cost_recovery_cny_per_mwh": (fixed_cny + operating_cny) / load_mwh,
        "price_decomposition": {
            "energy": 0.1,
            "flexibility": 0.02,
            "capacity": 0.03,
            "network": 0.01,
            "levies": 0.02,
        },
        "energy_balance": {"use_mwh": {"exports": exports_mwh}},
        "cost_recovery": {
            "fixed_cost_cny": fixed_cny,
            "operating_cost_cny": operating_cny,
            "items_cny": {
                "thermal_capital": 2e9,
                "thermal_fixed_om": 0.5e9,
                "line_capital": 0.7e9,
                "line_fixed_om": 0.1e9,
                "exports": -export_revenue_cny,
            },
        },
    }
    return figures.Run(0, "", "", {"summary.json": summary}, {}, {}, {"results.nc": r})


def test_default_year_price_identity_by_hand():
    """L = 100 MWh local load, E = 50 MWh exports, fixed cost 10,000 CNY, operating cost
    -2,000 CNY of which exports earn 5,000 CNY (so costs 3,000). Average cost of supplying
    both a = (10,000 - 2,000 + 5,000) / 150 = 86.67 CNY/MWh; export price x = 5,000 / 50 =
    100; the exports' surplus (a - x) E / L = -13.33 x 50 / 100 = -6.67 on the local load:
    86.7 - 6.7 = 80.0 = (10,000 - 2,000) / 100, the cost-recovery price. Capacity 2.5 bn
    CNY/yr (2 + 0.5), network 0.8 bn; the plant with no output is named."""
    block = figures.year.render_default_year_price([_year_run(100, 50, 1e4, -2e3, 5e3)])
    flat = " ".join(block.split())
    assert "costs 87 CNY/MWh on average, and exports earn 100 CNY/MWh" in flat
    assert "the 13 CNY/MWh surplus on 0.0 TWh of exports" in flat
    assert "(-7 CNY/MWh): 86.7 − 6.7 = 80.0 CNY/MWh." in flat
    assert "1.5 GW coal fleet (2.50 bn CNY/yr); no output all year: old;" in flat
    assert "(0.80 bn CNY/yr)" in flat


def test_weather_reading_by_hand():
    """P10 0.330, P90 0.350 CNY/kWh: the weather moves the price by ±0.010 (half the band);
    export cases 0.30-0.36: 0.060, three times the weather's 0.020 band."""
    bands = (
        "delivered_price_cny_per_kwh_p10,delivered_price_cny_per_kwh_p50,"
        "delivered_price_cny_per_kwh_p90\n0.330,0.340,0.350\n"
    )
    cases = "delivered_price_cny_per_kwh\n0.36\n0.31\n0.30\n"
    runs = [
        figures.Run(0, "", "", {}, {"sweep_bands.csv": bands}),
        figures.Run(0, "", "", {}, {"sweep.csv": cases}),
    ]
    flat = " ".join(figures.year.render_weather_reading(runs).split())
    assert "about ±0.010 CNY/kWh" in flat and "moves it by 0.060, 3 times" in flat


def test_plan_build_sentence_by_hand():
    """A plan that retires all 300 MW of coal `old` (saves 12 million CNY/yr), adds 100 of
    400 MW allowed of wind (500 million CNY, 40 million CNY/yr) and all 200 MW allowed of the
    tie `link` (1,000 million, 80 million/yr), and leaves PV's 500 MW option unused: new
    investment 1.5 bn CNY, 0.12 bn CNY/yr (500 + 1,000; 40 + 80)."""
    import xarray as xr

    head = (
        "asset,family,bus,capacity,unit,existing,new,retired,total,capex_new_cny,"
        "annual_cost_new_cny_per_yr,fixed_om_saved_cny_per_yr\n"
    )
    build = head + (
        "old,thermal,a,p_nom_mw,MW,300,0,300,0,0,0,12e6\n"
        "wind,renewable,a,p_nom_mw,MW,1000,100,0,1100,5e8,4e7,0\n"
        "pv,renewable,a,p_nom_mw,MW,800,0,0,800,0,0,0\n"
        "link,tie,a,export_max_mw,MW,0,200,0,200,1e9,8e7,0\n"
    )
    r = xr.Dataset(
        {
            "renewable_p_nom_new_max_mw": ("renewable", [400.0, 500.0]),
            "tie_export_max_new_max_mw": ("tie", [200.0]),
        },
        coords={"renewable": ["wind", "pv"], "tie": ["link"]},
    )
    summary = {"plan": {"capex_new_cny": 1.5e9, "annual_cost_new_cny_per_yr": 1.2e8}}
    run = figures.Run(
        0, "", "", {"summary.json": summary}, {"build.csv": build}, {}, {"results.nc": r}
    )
    flat = " ".join(figures.year.render_plan_build([run]).split())
    assert flat == (
        "The plan retires all **300 MW of thermal old** (saves 12 million CNY/yr of fixed "
        "O&M); adds **100 MW of renewable wind** (500 million CNY of investment, 40 million "
        "CNY/yr); adds **200 MW of tie link** (1,000 million CNY of investment, 80 million "
        "CNY/yr, all the option allows). Options left unused: pv (p_nom_mw). New investment "
        "1.5 bn CNY, 0.12 bn CNY/yr."
    )


def test_vs_pypsa_table_and_reading_by_hand():
    """Three runs a side: gridopt wall 10/12/11 s (median 11), memory 100/120/110 MB (110),
    HiGHS 5/6/7 s (6); PyPSA 20/22/24 s (22), 200/220/240 MB (220), HiGHS 6 s: ratios
    wall 0.50, memory 0.50, HiGHS 1.00; rows 1,000 / 4,000 = 0.25, nonzeros 3 M / 6 M = 0.50.
    Phases 1 + 2 + 1 + 0.5 + 0.5 s around a 6 s solve, start-up 1.4 s: 6.4 s, 1.07 of the
    solve, against the goal 0.3: not met."""

    def side(walls, mems, highs, rows, nnz, objective):
        lp = {"rows": rows, "columns": 2000, "nonzeros": nnz}
        return [
            {"wall_s": w, "peak_memory_mb": m, "highs_s": h, "lp": lp, "objective_cny": objective}
            for w, m, h in zip(walls, mems, highs)
        ]

    bench = {
        "scenario": "x.yaml",
        "hours": 48,
        "repeat": 3,
        "gridopt": side((10, 12, 11), (100, 120, 110), (5, 6, 7), 1000, 3e6, -1000.0),
        "pypsa": side((20, 22, 24), (200, 220, 240), (6, 6, 6), 4000, 6e6, -1000.0),
        "gridopt_phases_median_s": {
            "inputs": 1.0,
            "build": 2.0,
            "handoff": 1.0,
            "solve": 6.0,
            "extract": 0.5,
            "write": 0.5,
        },
        "gridopt_startup_s": 1.4,
        "ratios": {"wall": 0.5, "peak memory": 0.5, "not the solve / solve": 6.4 / 6},
        "goals": {"wall": 0.5, "peak memory": 0.5, "not the solve / solve": 0.3},
    }
    runs = [figures.Run(0, "", "", {"bench.json": bench}, {})]
    table = figures.timing.render_vs_pypsa(runs).splitlines()
    assert table[2] == "| `gridopt run` | 11.0 s | 110 MB | 6.0 s | 1,000 × 2,000 (3.00 M) |"
    assert table[3].startswith("| PyPSA (linopy, HiGHS direct) | 22.0 s | 220 MB | 6.0 s |")
    assert table[4] == "| gridopt / PyPSA | **0.50** | **0.50** | 1.00 | 0.25 rows, 0.50 nonzeros |"
    reading = " ".join(figures.timing.render_vs_pypsa_reading(runs).split())
    assert "relative difference 0.0e+00" in reading
    assert "everything but the solve is 6.4 s, 1.07 of the solve" in reading
    assert "wall ≤ 0.5: 0.50, met; peak memory ≤ 0.5: 0.50, met;" in reading
    assert "not the solve / solve ≤ 0.3: 1.07, not met." in reading


def test_bench_row_reproduces_a_measured_row():
    """performance.md's reference-network row of 2026-11-26 from its figures: 210 k x 683 k
    (1.14 M nonzeros), phases in s to two decimals, total 22.4 s, 1,360 MB = 1.36 GB; a solve
    of 100 s or more loses its decimals (431 s)."""
    b = {
        "lp_size": {"rows": 210_000, "columns": 683_000, "nonzeros": 1_140_000},
        "timings_s": {
            "inputs": 0.36,
            "build": 2.32,
            "handoff": 2.24,
            "solve": 15.44,
            "extract": 1.37,
        },
        "total_s": 22.4,
        "peak_memory_mb": 1360.0,
    }
    row = figures.timing.bench_row("ref", b)
    assert row == (
        "| ref | 210 k × 683 k (1.14 M) | 0.36 s | 2.32 s | 2.24 s | 15.44 s | 1.37 s | 22.4 s "
        "| 1.36 GB |"
    )
    b["timings_s"]["solve"] = 431.16
    assert "| 431 s |" in figures.timing.bench_row("ref", b, total=False)
