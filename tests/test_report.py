"""Reports built from the synthetic results Dataset of test_prices (no solver): the workbook read
back with pandas, the HTML page's structure, the PNG figures, translations and bad input."""

from __future__ import annotations

import base64
import io
import json
import re
import string
import warnings

import numpy as np
import pandas as pd
import plotly.io as pio
import pytest
from click.testing import CliRunner
from PIL import Image
from plotly.offline import get_plotlyjs

from cli import main
from gridopt import prices as P
from gridopt.io import write_netcdf
from gridopt.report import FORMATS, ReportError, make_report, parse_formats
from gridopt.report.i18n import EN, TEXTS, ZH, Translator
from gridopt.report.png import FIGURES
from tests.test_prices import synthetic_results


@pytest.fixture(scope="module")
def results_dir(tmp_path_factory):
    d = tmp_path_factory.mktemp("synthetic")
    write_netcdf(d / "results.nc", synthetic_results())
    return d


@pytest.fixture(scope="module")
def r():
    return synthetic_results()


# --------------------------------------------------------------------------------------------
# translations
# --------------------------------------------------------------------------------------------


def _fields(text: str) -> set[str]:
    return {f for _, f, _, _ in string.Formatter().parse(text) if f}


def test_both_languages_have_the_same_keys_and_no_empty_text():
    assert set(ZH) == set(EN)
    for lang, texts in TEXTS.items():
        for key, text in texts.items():
            assert text.strip(), f"{lang}: {key} is empty"
    for key in EN:
        assert _fields(EN[key]) == _fields(ZH[key]), key


def test_every_label_the_reports_use_is_translated(r):
    """Every technology, component, cost item, period and status the prices module can name has
    a text in both languages (a missing one would show the raw key)."""
    keys = [f"comp_{c}" for c in P.COMPONENTS] + [f"ci_{i}" for i in P.COMPONENT_OF]
    keys += [f"tou_{k}" for k in P.TOU_PERIODS] + ["status_recovers", "status_gap"]
    keys += [
        f"tech_{t}"
        for t in (
            "coal",
            "wind",
            "solar",
            "hydro",
            "other",
            "battery",
            "pumped_hydro",
            "import",
            "export",
            "unserved",
            "excess",
            "mixed",
            "flexible_load",
            "interruptible_load",
            "load",
            "line",
        )
    ]
    keys += [f"fam_{f}" for f in P.FAMILIES]
    for lang in TEXTS:
        for k in keys:
            assert k in TEXTS[lang], f"{lang}: {k}"
    assert Translator("zh").tech("storage:bat") == "储能: bat"


def test_sheet_names_fit_excel():
    for texts in TEXTS.values():
        for k, v in texts.items():
            if k.startswith("sheet_"):
                assert len(v) <= 31 and not re.search(r"[\[\]:*?/\\]", v), v


# --------------------------------------------------------------------------------------------
# workbook
# --------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def workbook_en(results_dir, tmp_path_factory):
    out = tmp_path_factory.mktemp("xlsx_en")
    make_report(results_dir, out, lang="en", formats="xlsx")
    return pd.read_excel(out / "report.xlsx", sheet_name=None)


def test_workbook_sheets_and_headers(workbook_en):
    tr = Translator("en")
    assert list(workbook_en) == [
        tr(k)
        for k in (
            "sheet_headline",
            "sheet_summary",
            "sheet_prices",
            "sheet_dispatch",
            "sheet_decomposition",
            "sheet_costs",
            "sheet_fixed",
            "sheet_revenue",
            "sheet_statistics",
            "sheet_tou",
            "sheet_setters",
            "sheet_loads",
            "sheet_stat_tech",
            "sheet_stat_asset",
            "sheet_stat_load",
            "sheet_net_lines",
            "sheet_net_ties",
        )
    ]
    prices = workbook_en["Hourly prices"]
    assert list(prices.columns) == [
        "Time (local clock, Asia/Shanghai)",
        "Gansu TOU period",
        "a marginal price [CNY/MWh]",
        "b marginal price [CNY/MWh]",
    ]
    # units in every numeric column header of the data sheets
    for name in (
        "Hourly prices",
        "Hourly dispatch",
        "Cost items",
        "Revenue adequacy",
        "Fixed costs per asset",
    ):
        for col, dtype in workbook_en[name].dtypes.items():
            if pd.api.types.is_numeric_dtype(dtype):
                assert "[" in col and "]" in col, f"{name}: {col} has no unit"


def test_workbook_numbers_equal_the_results(workbook_en, r):
    prices = workbook_en["Hourly prices"]
    t = prices["Time (local clock, Asia/Shanghai)"]
    assert pd.api.types.is_datetime64_any_dtype(t) and t.dt.tz is None
    assert (t.values == r.time.values).all()
    np.testing.assert_allclose(
        prices["a marginal price [CNY/MWh]"].values,
        r["price_cny_per_mwh"].sel(bus="a").values,
        rtol=1e-12,
    )
    assert (
        prices["Gansu TOU period"].iloc[6] == "peak"
        and prices["Gansu TOU period"].iloc[12] == "valley"
    )
    disp = workbook_en["Hourly dispatch"]
    np.testing.assert_allclose(
        disp["coal output [MW]"].values, r["thermal_p_mw"].sel(thermal="coal").values, rtol=1e-12
    )
    np.testing.assert_allclose(
        disp["wind curtailed [MW]"].values,
        r["renewable_curtailment_mw"].sel(renewable="wind").values,
        rtol=1e-12,
    )
    np.testing.assert_allclose(
        disp["bat state of charge [MWh]"].values,
        r["storage_soc_mwh"].sel(storage="bat").values,
        rtol=1e-12,
    )
    np.testing.assert_allclose(
        disp["smelter consumption [MW]"].values,
        r["flex_p_mw"].sel(flex="smelter").values,
        rtol=1e-12,
    )
    assert disp["a unserved [MW]"].sum() == 0
    dec = workbook_en["Price decomposition"].set_index("Price component")
    expected = P.decomposition(r)
    assert dec.loc["Energy", "[CNY/kWh]"] == pytest.approx(expected["energy"], rel=1e-12)
    assert dec.loc["Delivered price", "[CNY/kWh]"] == pytest.approx(
        P.delivered_price(r)["delivered_cny_per_kwh"], rel=1e-12
    )
    assert dec["[CNY/kWh]"].iloc[:-1].sum() == pytest.approx(
        dec.loc["Delivered price", "[CNY/kWh]"], rel=1e-12
    )
    costs = workbook_en["Cost items"].set_index("Item")
    assert costs.loc["Thermal: start-ups", "Cost of the horizon [CNY]"] == pytest.approx(1000)
    ra = workbook_en["Revenue adequacy"].set_index("Asset")
    assert ra.loc["wind", "Revenue at marginal prices [CNY/yr]"] == pytest.approx(
        372_800 * 8760 / 48
    )
    assert ra.loc["coal", "Status"] == "needs the gap covered"
    summary = workbook_en["Summary"].set_index("Figure")
    assert float(
        summary.loc["Delivered price for an industrial customer", "Value"]
    ) == pytest.approx(P.delivered_price(r)["delivered_cny_per_kwh"], rel=1e-12)
    assert float(summary.loc["Unserved energy", "Value"]) == 0
    tou = workbook_en["TOU averages"].set_index("Period")
    assert tou.loc["peak", "a average price [CNY/MWh]"] == 300


def test_workbook_in_chinese(results_dir, tmp_path, r):
    make_report(results_dir, tmp_path, lang="zh", formats="xlsx")
    book = pd.read_excel(tmp_path / "report.xlsx", sheet_name=None)
    assert "逐时电价" in book and "电价构成" in book and "收益充足性" in book
    prices = book["逐时电价"]
    assert prices.columns[0] == "时间（当地时间，Asia/Shanghai）"
    np.testing.assert_allclose(
        prices["b 边际电价 [元/MWh]"].values, r["price_cny_per_mwh"].sel(bus="b").values, rtol=1e-12
    )
    assert set(prices["甘肃峰谷时段"]) == {"高峰", "平段", "低谷"}


# --------------------------------------------------------------------------------------------
# HTML
# --------------------------------------------------------------------------------------------

CHART_IDS = [
    "fig-price-hourly",
    "fig-price-duration",
    "fig-price-heatmap",
    "fig-dispatch",
    "fig-storage",
    "fig-curtailment",
    "fig-decomposition",
    "fig-setters",
    "fig-statistics",
    "fig-network",
    "fig-revenue",
]


def test_html_is_self_contained_with_every_chart(results_dir, tmp_path):
    make_report(results_dir, tmp_path, lang="en", formats="html")
    text = (tmp_path / "report.html").read_text(encoding="utf-8")
    assert not re.search(r"<script[^>]+src=", text), "no external scripts"
    assert not re.search(r"<link[^>]+href=", text) and "<iframe" not in text
    for div in CHART_IDS:
        assert f'id="{div}"' in text, div
    assert text.count("Plotly.newPlot(") == len(CHART_IDS)
    assert (
        "0" * 64 in text and "synthetic" in text and "Optimal" in text
    )  # footer: hash, name, status
    assert "Delivered price for an industrial customer" in text
    assert "pro-rated by 48/8760" in text
    assert len(text) < 6_000_000  # plotly.js (~4.8 MB) once, plus small data


def plotly_figures(page: str) -> dict[str, tuple[list, dict]]:
    """div id -> (data, layout) of every ``Plotly.newPlot(id, data, layout, config)`` call of a
    page, decoded by the JSON parser: the figures' strings whichever JSON writer plotly used
    (orjson writes Chinese as it is, json.dumps as \\uXXXX escapes)."""
    dec = json.JSONDecoder()
    out = {}
    for m in re.finditer(r"Plotly\.newPlot\(", page):
        args, pos = [], m.end()
        for _ in range(3):
            while page[pos] in " \t\r\n,":
                pos += 1
            value, pos = dec.raw_decode(page, pos)
            args.append(value)
        out[args[0]] = (args[1], args[2])
    assert out, "no Plotly.newPlot call in the page"
    return out


def _strings(obj) -> list[str]:
    if isinstance(obj, str):
        return [obj]
    if isinstance(obj, dict):
        return [s for v in obj.values() for s in _strings(v)]
    if isinstance(obj, list):
        return [s for v in obj for s in _strings(v)]
    return []


def test_html_in_chinese_and_loud_unserved_energy(tmp_path, monkeypatch):
    """The Chinese page: its own text in Chinese, and the charts' titles in Chinese as plotly.js
    reads them (decoded from the figure JSON, here written by json.dumps with escapes)."""
    monkeypatch.setattr(pio.json.config, "default_engine", "json")
    r = synthetic_results()
    r["bus_unserved_mw"][3, 0] = 5.0
    d = tmp_path / "res"
    write_netcdf(d / "results.nc", r)
    make_report(d, lang="zh", formats="html")
    text = (d / "report.html").read_text(encoding="utf-8")
    assert '<html lang="zh-CN">' in text and "工业用户到户电价" in text
    layout = plotly_figures(text)["fig-price-duration"][1]
    assert layout["title"]["text"].startswith("电价持续曲线"), layout["title"]
    assert 'class="warn"' in text and "存在缺电：5.0 MWh" in text
    assert '<tr class="alarm"><td>未供电量（缺电）</td>' in text


def test_week_option(results_dir, tmp_path):
    from gridopt.report import data

    r = synthetic_results(24 * 21)
    r["price_cny_per_mwh"][24 * 9 : 24 * 10] += 1000  # day 10 is in the most expensive week
    w = data.select_week(r)
    assert (
        w.kind == "most_expensive"
        and w.start <= 24 * 9
        and w.stop >= 24 * 10
        and w.stop - w.start == 168
    )
    assert data.select_week(r, "2") == data.Week(168, 336, "chosen")
    assert data.select_week(r, "2025-03-22") == data.Week(48, 216, "chosen")
    for bad in ("9", "2024-01-01", "next"):
        with pytest.raises(ReportError):
            data.select_week(r, bad)


# --------------------------------------------------------------------------------------------
# PNG
# --------------------------------------------------------------------------------------------


def check_figures(write) -> None:
    """Call ``write()`` (which makes the PNGs); no glyph may be missing (a missing glyph is a
    tofu box), and every figure is 1920 x 1080 and not blank."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        written = write()
    missing = [
        str(w.message)
        for w in caught
        if "missing from" in str(w.message) or "Glyph" in str(w.message)
    ]
    assert not missing, missing
    assert [p.name for p in written["png"]] == [f"{n}.png" for n in FIGURES]
    for p in written["png"]:
        with Image.open(p) as im:
            assert im.size == (1920, 1080)
            assert len(np.unique(np.asarray(im.convert("L").resize((64, 36))))) > 5, (
                f"{p.name} looks blank"
            )


def test_png_figures_in_english(results_dir, tmp_path):
    """The Chinese figures are checked the same way on the demo run (test_report_cli)."""
    check_figures(lambda: make_report(results_dir, tmp_path, lang="en", formats="png"))


def test_missing_cjk_font_is_one_clear_error(results_dir, tmp_path, monkeypatch):
    monkeypatch.setenv("GRIDOPT_CJK_FONT", str(tmp_path / "nope.otf"))
    with pytest.raises(ReportError, match="CJK font"):
        make_report(results_dir, tmp_path / "out", lang="zh")
    assert not (tmp_path / "out" / "report.html").exists()


# --------------------------------------------------------------------------------------------
# bad input: one clear line, no traceback
# --------------------------------------------------------------------------------------------


def test_bad_input_is_one_clear_line(results_dir, tmp_path):
    not_nc = tmp_path / "notnc"
    not_nc.mkdir()
    (not_nc / "results.nc").write_text("not a netcdf file")
    foreign = tmp_path / "foreign"
    write_netcdf(
        foreign / "results.nc", synthetic_results().drop_vars(["price_cny_per_mwh", "price_setter"])
    )
    cases = [
        ([str(tmp_path / "missing")], "no such folder"),
        ([str(tmp_path)], "no results.nc"),
        ([str(not_nc)], "not a gridopt results file"),
        ([str(foreign)], "missing price_cny_per_mwh, price_setter"),
        ([str(results_dir), "--lang", "fr"], "unknown language"),
        ([str(results_dir), "--format", "html,pdf"], "unknown format"),
        ([str(results_dir), "--format", ","], "no format"),
        ([str(results_dir), "--week", "99"], "--week 99"),
    ]
    for args, message in cases:
        res = CliRunner().invoke(main, ["report", *args])
        assert res.exit_code == 1, (args, res.output)
        assert message in res.output, (args, res.output)
        assert "Traceback" not in res.output
        assert len(res.output.strip().splitlines()) == 1, res.output


def test_format_list_is_read_as_a_person_writes_it():
    """Case, spaces and repeats do not matter; the order given is kept; every format of
    FORMATS (the default of make_report and the CLI's help) is accepted on its own."""
    assert parse_formats(" PNG, html,png ") == ("png", "html")
    assert parse_formats(["xlsx", "Xlsx"]) == ("xlsx",)
    assert parse_formats(",".join(FORMATS)) == FORMATS
    with pytest.raises(ReportError, match="'pdf': unknown format"):
        parse_formats("html, pdf")


# --------------------------------------------------------------------------------------------
# the tenant section (tenant.json of `gridopt tenant` beside results.nc)
# --------------------------------------------------------------------------------------------


def _tenant_json(sha: str, hours: int) -> dict:
    """Two hand-made tenants: 'cheap' fits, 'big' does not (12.5 MWh unserved)."""
    common = {
        "bus": "b1",
        "flex_band": 0.1,
        "mean_mw": 10.0,
        "energy_mwh": 480.0,
        "marginal_weighted_price_cny_per_mwh": 90.0,
        "saving_vs_provincial_cny_per_kwh": 0.2,
        "absorbed_curtailment_mwh": 100.0,
        "delta_coal_mwh": 50.0,
        "delta_emissions_t": 40.0,
        "existing_loads_price_change_cny_per_mwh": 1.5,
        "peak_import_mw": 0.0,
        "delta_storage_throughput_mwh": 3.0,
    }
    return {
        "scenario": "synthetic",
        "scenario_sha256": sha,
        "hours": hours,
        "tenants": [
            {
                **common,
                "name": "big",
                "rank": 2,
                "incremental_cost_cny_per_mwh": 300.0,
                "delivered_price_cny_per_kwh": 0.39,
                "green_share": 0.25,
                "unserved_energy_mwh": 12.5,
                "fits": False,
                "flexibility_curve": {"0": 300.0, "0.05": 290.0, "0.1": 280.0, "0.2": 270.0},
            },
            {
                **common,
                "name": "cheap",
                "rank": 1,
                "incremental_cost_cny_per_mwh": 20.0,
                "delivered_price_cny_per_kwh": 0.11,
                "green_share": 0.875,
                "unserved_energy_mwh": 0.0,
                "fits": True,
                "flexibility_curve": {"0": 20.0, "0.05": 18.0, "0.1": 15.0, "0.2": 15.0},
            },
        ],
    }


def test_tenant_section_in_html_and_workbook(tmp_path):
    """With a matching tenant.json the page has the flexibility chart and the ranked table, the
    tenant that does not fit is flagged loudly, and the workbook's tenant sheet holds the numbers
    of tenant.json in the units of its headers (green share 0.875 -> 87.5 %, band 0.1 -> 10 %)."""
    d = tmp_path / "res"
    write_netcdf(d / "results.nc", synthetic_results())
    (d / "tenant.json").write_text(json.dumps(_tenant_json("0" * 64, 48)), encoding="utf-8")
    make_report(d, lang="en", formats="html,xlsx")
    text = (d / "report.html").read_text(encoding="utf-8")
    assert 'id="fig-tenant-flex"' in text and "Prospective tenants" in text
    assert text.index("<td>cheap</td>") < text.index("<td>big</td>"), "rank order"
    assert "DOES NOT FIT: tenant big leaves 12.5 MWh" in text
    sheet = pd.read_excel(d / "report.xlsx", sheet_name="Tenants")
    assert list(sheet["Tenant"]) == ["cheap", "big"]
    assert sheet["Green share, hour by hour [%]"].tolist() == [87.5, 25.0]
    assert sheet["Flexibility band [%]"].tolist() == [10.0, 10.0]
    assert sheet["Short-run incremental cost at ±20 % [CNY/MWh]"].tolist() == [15.0, 270.0]
    assert sheet["Fits"].tolist() == ["yes", "NO"]
    assert not any(c.startswith("Long-run incremental cost at ±") for c in sheet.columns)
    assert 'id="fig-tenant-hosting"' not in text


def test_tenant_hosting_curve_and_long_run_cost(tmp_path):
    """tenant.json with a hosting block (gridopt tenant --hosting) adds the hosting chart after
    the flexibility chart; a tenant's long_run_flexibility_curve (plan mode) is drawn dashed
    beside its short-run curve and gets a column per band in the tenant sheet."""
    d = tmp_path / "res"
    write_netcdf(d / "results.nc", synthetic_results())
    data = _tenant_json("0" * 64, 48)
    data["tenants"][1]["long_run_flexibility_curve"] = {"0": 240.0, "0.2": 230.0}
    step = {
        "added_mean_mw": 50.0,
        "short_run_price_cny_per_kwh": 0.30,
        "step_incremental_cost_cny_per_mwh": 200.0,
        "system_delivered_price_cny_per_kwh": 0.33,
    }
    data["hosting"] = {
        "mode": "dispatch",
        "name": "cheap",
        "bus": "b",
        "price_key": "short_run_price_cny_per_kwh",
        "network_and_funds_cny_per_kwh": 0.09,
        "benchmark_cny_per_kwh": 0.3078,
        "provincial_tariff_cny_per_kwh": 0.4,
        "steps": [{**step, "added_mean_mw": 0.0}, step, {**step, "added_mean_mw": 100.0}],
    }
    (d / "tenant.json").write_text(json.dumps(data), encoding="utf-8")
    make_report(d, lang="en", formats="html,xlsx")
    text = (d / "report.html").read_text(encoding="utf-8")
    flex, hosting = text.index('id="fig-tenant-flex"'), text.index('id="fig-tenant-hosting"')
    assert flex < hosting < text.index("<h3>Tenants</h3>")
    figs = plotly_figures(text)
    names = [tr.get("name") for tr in figs["fig-tenant-flex"][0]]
    assert names == ["cheap: short-run", "cheap: long-run", "big: short-run"]
    assert figs["fig-tenant-flex"][0][1]["y"] == [240.0, 230.0]
    sheet = pd.read_excel(d / "report.xlsx", sheet_name="Tenants")
    assert sheet["Long-run incremental cost at ±20 % [CNY/MWh]"].tolist()[0] == 230.0


def test_tenant_json_of_another_scenario_is_left_out(tmp_path):
    """A tenant.json computed for another scenario file (or horizon) is not shown as if it were
    this grid's: the report says so and has no tenant section."""
    d = tmp_path / "res"
    write_netcdf(d / "results.nc", synthetic_results())
    (d / "tenant.json").write_text(json.dumps(_tenant_json("f" * 64, 48)), encoding="utf-8")
    make_report(d, lang="en", formats="html,xlsx")
    text = (d / "report.html").read_text(encoding="utf-8")
    assert 'id="fig-tenant-flex"' not in text and "was computed for another scenario file" in text
    assert "Tenants" not in pd.ExcelFile(d / "report.xlsx").sheet_names
    (d / "tenant.json").write_text("{not json", encoding="utf-8")
    with pytest.raises(ReportError, match="tenant.json"):
        make_report(d, lang="en", formats="html")


def embedded_cmap(page: str) -> set[int]:
    """The characters of the CJK font subset a page embeds (its ``@font-face``, base64)."""
    from fontTools.ttLib import TTFont

    m = re.search(r'@font-face\{font-family:"gridopt CJK";[^}]*base64,([A-Za-z0-9+/=]+)\)', page)
    assert m, "no embedded font"
    assert len(m.group(1)) < 400_000  # a subset, not the 16 MB font
    return set(TTFont(io.BytesIO(base64.b64decode(m.group(1)))).getBestCmap())


def drawn_cjk(page: str) -> tuple[set[str], set[str]]:
    """(CJK characters the page can draw, those of them found only in its charts): the page's
    literal text without plotly.js (its HTML, tables, the zh-CN locale of plotly) and every
    string of its figures, decoded from their JSON."""
    from gridopt.report.fonts import _wide

    literal = {c for c in page.replace(get_plotlyjs(), "") if _wide(c)}
    charts = {
        c
        for data, layout in plotly_figures(page).values()
        for s in _strings([data, layout])
        for c in s
        if _wide(c)
    }
    return literal | charts, charts - literal


def test_chinese_page_embeds_the_glyphs_it_draws(results_dir, tmp_path, monkeypatch):
    """A zh page carries its own CJK font subset (no Chinese font needed on the reader's
    computer): the @font-face decodes to a font whose character map holds every CJK character
    the page draws, in its text and in its charts (titles, axes, legends, buttons, the tenant
    chart), also when plotly writes the charts' JSON with \\uXXXX escapes (json.dumps, used
    when orjson is not installed: then 7 characters of this page are in its charts only:
    个决刻同持续谁). An English page has no font."""
    monkeypatch.setattr(pio.json.config, "default_engine", "json")
    d = tmp_path / "zh"
    write_netcdf(d / "results.nc", synthetic_results())
    (d / "tenant.json").write_text(json.dumps(_tenant_json("0" * 64, 48)), encoding="utf-8")
    make_report(d, lang="zh", formats="html")
    text = (d / "report.html").read_text(encoding="utf-8")
    assert 'id="fig-tenant-flex"' in text
    cmap = embedded_cmap(text)
    drawn, charts_only = drawn_cjk(text)
    assert len(drawn) > 100 and set("个决刻持续谁") <= charts_only
    missing = sorted(c for c in drawn if ord(c) not in cmap)
    assert not missing, f"{len(missing)} characters drawn but not embedded: {''.join(missing)}"
    make_report(results_dir, tmp_path / "en", lang="en", formats="html")
    assert "@font-face" not in (tmp_path / "en" / "report.html").read_text(encoding="utf-8")


def test_sweep_page_embeds_the_glyphs_its_charts_draw(monkeypatch):
    """sweep.html in Chinese, charts written with \\uXXXX escapes: every CJK character of its
    text and of its two band charts (titles, axis titles, legend) is in the embedded subset."""
    from gridopt.sweep.collect import METRICS, price_bands, sweep_page

    monkeypatch.setattr(pio.json.config, "default_engine", "json")
    param = "storage.bat.e_max_mwh"
    rows = []
    for k, (e, year) in enumerate([(0, 1), (0, 2), (400, 1), (400, 2)]):
        row = {"case_id": f"c{k}", param: e, "weather_year": year, "status": "ok"}
        row.update({m: 1.0 + k for m in METRICS})
        rows.append({**row, "error": ""})
    table = pd.DataFrame(rows)
    page = sweep_page(price_bands(table, [param]), table, [param], "zh")
    assert len(plotly_figures(page)) == 2
    cmap = embedded_cmap(page)
    drawn, charts_only = drawn_cjk(page)
    assert charts_only, "the charts draw characters the page's text does not hold"
    missing = sorted(c for c in drawn if ord(c) not in cmap)
    assert not missing, f"{len(missing)} characters drawn but not embedded: {''.join(missing)}"


def test_fmt_has_no_negative_zero():
    from gridopt.report.common import fmt

    assert (
        fmt(-1e-9, 1) == "0.0"
        and fmt(-0.04, 1) == "0.0"
        and fmt(-0.06, 1) == "-0.1"
        and fmt(1234.5, 0) == "1,234"
    )
