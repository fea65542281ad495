"""`gridopt compare` on results folders whose difference is known (real micro solves).

One bus, one 100 MW coal unit at 300 gce/kWh, a flat 50 MW load for 24 h; case ``cheap`` buys
coal at 550 CNY/t, case ``dear`` at 660 CNY/t (5,500 kcal/kg, so 550 x 7000/5500 = 700 and
660 x 7000/5500 = 840 CNY per tonne of standard coal). The unit is between its limits in every
hour, so the marginal price is its fuel cost: 0.300 t/MWh x 700 = 210 and x 840 = 252 CNY/MWh.
The fixed costs are the same in both, and the operating cost differs by the fuel alone:
1,200 MWh x (252 − 210) = 50,400 CNY over 1,200 MWh delivered, so the cost-recovery price is
42 CNY/MWh higher and the delivered price 0.042 CNY/kWh higher (all of it in the energy
component). The only scenario field that differs is ``fuels.coal.price_cny_per_t``.
"""

from __future__ import annotations

import json
import math
import shutil

import pandas as pd
import pytest
import yaml
from click.testing import CliRunner

from cli import main
from gridopt.compare import make_compare
from gridopt.compare.files import text_width
from gridopt.compare.texts import EN, ZH
from gridopt.run import run_scenario
from tests.conftest import coal, micro

HOURS = 24


def _scenario(price: float, hours: int = HOURS, load_mw: float = 50) -> dict:
    data = micro(
        hours,
        thermal={"unit": coal("a", 100, 300)},
        loads={"l": {"bus": "a", "p_mw": load_mw}},
    )
    data["fuels"]["coal"]["price_cny_per_t"] = price
    return data


@pytest.fixture(scope="module")
def cases(tmp_path_factory):
    """Folders ``cheap`` (550 CNY/t), ``dear`` (660 CNY/t), ``long`` (550 CNY/t, 48 h) and
    ``short`` (a 120 MW load on the 100 MW unit: 20 MW x 24 h = 480 MWh not served)."""
    root = tmp_path_factory.mktemp("compare")
    out = {}
    for name, price, hours, load in (
        ("cheap", 550, HOURS, 50),
        ("dear", 660, HOURS, 50),
        ("long", 550, 48, 50),
        ("short", 550, HOURS, 120),
    ):
        path = root / f"{name}.yaml"
        path.write_text(yaml.safe_dump(_scenario(price, hours, load)))
        run_scenario(path, root / name)
        out[name] = root / name
    out["root"] = root
    return out


@pytest.fixture(scope="module")
def compared(cases, tmp_path_factory):
    out = tmp_path_factory.mktemp("out") / "cmp"
    files = make_compare([cases["cheap"], cases["dear"]], out, lang="en")
    return out, files


def _summary(folder) -> dict:
    return json.loads((folder / "summary.json").read_text(encoding="utf-8"))


def _get(summary: dict, path: str):
    for part in path.split("."):
        summary = summary[part]
    return summary


def test_known_difference(compared):
    """Marginal 210 vs 252 CNY/MWh, cost-recovery +42 CNY/MWh, delivered +0.042 CNY/kWh, all
    in the energy component; the diff lists exactly the coal price (module docstring)."""
    out, files = compared
    assert [p.name for p in files] == ["compare.html", "compare.xlsx", "compare.csv"]
    t = pd.read_csv(out / "compare.csv", encoding="utf-8-sig", index_col="key")
    assert list(t.columns[-2:]) == ["cheap", "dear"]
    row = t.loc["marginal", ["cheap", "dear"]].astype(float)
    assert row.tolist() == pytest.approx([210.0, 252.0], abs=1e-6)
    cr = t.loc["cost_recovery", ["cheap", "dear"]].astype(float)
    assert cr["dear"] - cr["cheap"] == pytest.approx(42.0, abs=1e-6)
    dp = t.loc["delivered", ["cheap", "dear"]].astype(float)
    assert dp["dear"] - dp["cheap"] == pytest.approx(0.042, abs=1e-9)
    energy = t.loc["component_energy", ["cheap", "dear"]].astype(float)
    assert energy["dear"] - energy["cheap"] == pytest.approx(0.042, abs=1e-9)
    for c in ("flexibility", "capacity", "network", "levies"):
        v = t.loc[f"component_{c}", ["cheap", "dear"]].astype(float)
        assert v["dear"] == pytest.approx(v["cheap"], abs=1e-12)
    # the duration curve of a flat price is flat
    dur = t[t["section"] == "duration"][["cheap", "dear"]].astype(float)
    assert dur["cheap"].tolist() == pytest.approx([210.0] * 21, abs=1e-6)

    diff = pd.read_excel(out / "compare.xlsx", sheet_name="Input diff")
    fields = diff.dropna(subset=["cheap"])
    assert fields["Scenario field"].tolist() == ["fuels.coal.price_cny_per_t"]
    assert fields[["cheap", "dear"]].astype(float).values.tolist() == [[550.0, 660.0]]
    page = (out / "compare.html").read_text(encoding="utf-8")
    assert "fuels.coal.price_cny_per_t" in page and "1 field(s) differ" in page


def test_csv_and_xlsx_equal_summary_json(cases, compared):
    """Every figure read from summary.json is written as it is there (csv to the last digit,
    the workbook's cells as numbers); the derived ones are what their definitions say."""
    out, _ = compared
    t = pd.read_csv(out / "compare.csv", encoding="utf-8-sig", dtype=str, keep_default_na=False)
    sums = {n: _summary(cases[n]) for n in ("cheap", "dear")}
    sourced = t[t["summary_json_key"] != ""]
    assert len(sourced) >= 20
    for _, row in sourced.iterrows():
        for n in ("cheap", "dear"):
            want = _get(sums[n], row["summary_json_key"])
            got = row[n]
            if isinstance(want, float):
                assert float(got) == want, (row["key"], n)
            else:
                assert got == str(want), (row["key"], n)
    keyed = t.set_index("key")
    for n in ("cheap", "dear"):
        s = sums[n]
        assert float(keyed.loc["delivered_minus_benchmark", n]) == pytest.approx(
            s["delivered_price_cny_per_kwh"] - s["delivered_price"]["benchmark_cny_per_kwh"],
            abs=1e-15,
        )

    from openpyxl import load_workbook

    wb = load_workbook(out / "compare.xlsx")
    ws = wb["Figures"]
    header = [c.value for c in ws[1]]
    assert header[:2] == ["Figure", "Unit"] and header[2:4] == ["cheap", "dear"]
    by_key = {ws.cell(i, 5).value: i for i in range(2, ws.max_row + 1)}
    i = by_key["delivered_price_cny_per_kwh"]
    assert ws.cell(i, 3).value == sums["cheap"]["delivered_price_cny_per_kwh"]
    assert ws.cell(i, 3).number_format == "#,##0.0000"
    i = by_key["load_mwh"]
    assert ws.cell(i, 4).value == sums["dear"]["load_mwh"]
    assert ws.cell(i, 4).number_format == "#,##0"
    numeric = [c for row in ws.iter_rows(min_row=2) for c in row if isinstance(c.value, float)]
    assert numeric and all("0" in c.number_format for c in numeric)  # no cell left "General"
    labels = [ws.cell(i, 1).value for i in range(2, ws.max_row + 1)]
    assert ws.column_dimensions["A"].width >= max(text_width(x) for x in labels)
    assert ws.column_dimensions["E"].width >= len("delivered_price.provincial_tariff_cny_per_kwh")


def test_different_horizons_warn_and_scale(cases, tmp_path):
    """24 h against 48 h: a warning line; the per-year rows are totals x 8760 / H (the load:
    50 MW x 8760 h = 438,000 MWh/yr in both)."""
    res = CliRunner().invoke(
        main,
        [
            "compare",
            str(cases["cheap"]),
            str(cases["long"]),
            "--out",
            str(tmp_path / "c"),
            "--lang",
            "en",
        ],
    )
    assert res.exit_code == 0, res.output
    assert "horizons differ" in res.output and "Comparison written: 3 file(s)" in res.output
    t = pd.read_csv(tmp_path / "c" / "compare.csv", encoding="utf-8-sig", index_col="key")
    assert t.loc["load_mwh"] if "load_mwh" in t.index else True
    assert t.loc["load", ["cheap", "long"]].astype(float).tolist() == pytest.approx([1200, 2400])
    assert t.loc["load_per_yr", ["cheap", "long"]].astype(float).tolist() == pytest.approx(
        [438_000, 438_000]
    )
    diff = pd.read_excel(tmp_path / "c" / "compare.xlsx", sheet_name="Input diff")
    assert diff.dropna(subset=["cheap"])["Scenario field"].tolist() == ["time.hours"]


def test_unserved_energy_is_loud(cases, tmp_path):
    """480 MWh not served: a red warning naming the folder, the row in red on the page and
    in the workbook, and the per-folder value equal to summary.json's."""
    make_compare([cases["cheap"], cases["short"]], tmp_path / "c", lang="en")
    page = (tmp_path / "c" / "compare.html").read_text(encoding="utf-8")
    assert '<div class="warn">short: 480.0 MWh of demand NOT SERVED' in page
    assert (
        '<tr class="alarm"><td>Unserved energy</td><td>MWh</td><td class="n">0.0</td><td class="n">480.0</td>'
        in page
    )
    t = pd.read_csv(tmp_path / "c" / "compare.csv", encoding="utf-8-sig", index_col="key")
    assert float(t.loc["unserved", "short"]) == pytest.approx(480.0)
    assert float(t.loc["unserved", "short"]) == _summary(cases["short"])["unserved_energy_mwh"]


def test_a_tenant_study_shows_its_tenants_prices(cases, tmp_path):
    """A copy of ``dear`` with a hand-written tenant.json of the same inputs and hours: the
    folder is named a tenant study's base case and the tenant's short-run and offer prices
    are rows as tenant.json holds them; a tenant.json of other hours is left out, said so."""
    study = tmp_path / "study"
    shutil.copytree(cases["dear"], study)
    s = _summary(study)
    tenant = {
        "name": "smelter",
        "rank": 1,
        "short_run_price_cny_per_kwh": 0.3125,
        "offer_price_cny_per_kwh": 0.3375,
    }
    doc = {"inputs_sha256": s["inputs_sha256"], "hours": HOURS, "tenants": [tenant]}
    (study / "tenant.json").write_text(json.dumps(doc), encoding="utf-8")
    make_compare([cases["cheap"], study], tmp_path / "c", lang="en")
    t = pd.read_csv(tmp_path / "c" / "compare.csv", encoding="utf-8-sig", index_col="key")
    row = t.loc["tenant.smelter.short_run_price_cny_per_kwh"]
    assert pd.isna(row["cheap"]) and float(row["study"]) == 0.3125
    assert float(t.loc["tenant.smelter.offer_price_cny_per_kwh", "study"]) == 0.3375
    page = (tmp_path / "c" / "compare.html").read_text(encoding="utf-8")
    assert "base case without the tenant(s) smelter" in page
    assert "Tenant smelter: offer price" in page

    (study / "tenant.json").write_text(json.dumps({**doc, "hours": 48}), encoding="utf-8")
    make_compare([cases["cheap"], study], tmp_path / "c", lang="en")
    t = pd.read_csv(tmp_path / "c" / "compare.csv", encoding="utf-8-sig", index_col="key")
    assert not any(k.startswith("tenant.") for k in t.index)
    page = (tmp_path / "c" / "compare.html").read_text(encoding="utf-8")
    assert "study: tenant.json was computed from other inputs or hours (48 h ≠ 24 h)" in page


def test_a_folder_without_its_scenario_is_said(cases, tmp_path):
    """A copy whose scenario file is gone: the diff says so instead of guessing."""
    gone = tmp_path / "gone"
    shutil.copytree(cases["dear"], gone)
    (gone / "scenario_resolved.yaml").unlink()  # as results written before runs kept it
    s = _summary(gone)
    s["scenario_file"] = str(tmp_path / "nowhere.yaml")
    (gone / "summary.json").write_text(json.dumps(s), encoding="utf-8")
    make_compare([cases["cheap"], gone], tmp_path / "c", lang="en")
    page = (tmp_path / "c" / "compare.html").read_text(encoding="utf-8")
    assert "gone: no resolved scenario to compare" in page
    assert "nowhere.yaml is not found" in page
    diff = pd.read_excel(tmp_path / "c" / "compare.xlsx", sheet_name="Input diff")
    assert diff.dropna(subset=["cheap"]).empty  # nothing listed as differing


@pytest.mark.parametrize(
    "args, words",
    [
        (["{cheap}"], "compare needs at least two"),
        (["{cheap}", "{root}"], "not a results folder (no summary.json or results.nc)"),
        (["{cheap}", "{root}/missing"], "no such folder"),
        (["{cheap}", "{dear}", "--out", "{root}/cheap.yaml"], "--out"),
        (["{cheap}", "{dear}", "--names", "a"], "1 name(s) for 2 folders"),
        (["{cheap}", "{dear}", "--names", "a,a"], "given twice"),
        (["{cheap}", "{cheap}"], "both named 'cheap'"),
        (["{cheap}", "{dear}", "--lang", "fr"], "unknown language"),
    ],
)
def test_bad_input_is_one_line(cases, args, words):
    argv = ["compare", *[a.format(**{k: str(v) for k, v in cases.items()}) for a in args]]
    res = CliRunner().invoke(main, argv)
    assert res.exit_code != 0
    lines = [ln for ln in res.output.splitlines() if ln.strip()]
    assert len(lines) == 1 and "Traceback" not in res.output, res.output
    assert words in lines[0], lines[0]


def test_same_name_with_names_is_fine(cases, tmp_path):
    res = CliRunner().invoke(
        main,
        [
            "compare",
            str(cases["cheap"]),
            str(cases["cheap"]),
            "--names",
            "a,b",
            "--out",
            str(tmp_path),
        ],
    )
    assert res.exit_code == 0, res.output
    assert "对比已写入" in res.output  # Chinese by default
    assert "情景在所有字段上都相同" in (tmp_path / "compare.html").read_text(encoding="utf-8")


def test_texts_have_the_same_keys_and_fields():
    import string

    assert EN.keys() == ZH.keys()
    for k in EN:
        fields = {f for _, f, _, _ in string.Formatter().parse(EN[k]) if f}
        assert fields == {f for _, f, _, _ in string.Formatter().parse(ZH[k]) if f}, k
        assert EN[k].strip() and ZH[k].strip()
    assert not math.isnan(len(EN))


def test_folder_names_that_look_like_years_stay_categories():
    """Folders named 2025 and 2030 (--names 2025,2030): plotly would read the bars' x as
    numbers and draw a year axis (2024, 2026, ...) with the bars of other names missing; the
    comparison's bar charts keep x as categories, while the price-duration overlay (given its
    own numeric x axis) keeps it."""
    import plotly.graph_objects as go

    from gridopt.compare.html import _layout

    bars = _layout(go.Figure(go.Bar(x=["2025", "2030", "plan"], y=[1, 2, 3])), "t")
    assert bars.layout.xaxis.type == "category"
    line = _layout(go.Figure(go.Scatter(x=[0, 50], y=[1, 2])), "t", xaxis={"range": [0, 100]})
    assert line.layout.xaxis.type != "category"


def test_provincial_tariff_mark_is_drawn_above_a_taller_bar():
    """Three folders whose delivered prices are 0.342, 0.45 and 0.38 CNY/kWh, tariff 0.40 and
    benchmark 0.3078 in each: the 0.45 bar is taller than the tariff and drawn in the same red
    (the second folder colour) as the tariff mark. In the figure's JSON each folder's tariff
    and benchmark are layout shapes with layer 'above' (over every bar), a line at the value
    across its bar (the bar spans i ± 0.4 on the category axis), each on a wider white halo
    drawn just before it; the bars' values sit at the foot of the bars, clear of the marks."""
    from types import SimpleNamespace

    from gridopt.compare.data import Row
    from gridopt.compare.html import fig_headline, folder_colour
    from gridopt.compare.texts import Texts

    names = ["2025", "2030", "tenant"]

    def row(key, values):
        return Row("sec_headline", key, (f"row_{key}", {}), "u_cny_per_kwh", values)

    d = SimpleNamespace(
        folders=[SimpleNamespace(name=n) for n in names],
        rows=[
            row("delivered", [0.342, 0.45, 0.38]),
            row("benchmark", [0.3078] * 3),
            row("provincial", [0.40] * 3),
        ],
    )
    fig = json.loads(fig_headline(d, Texts("en")).to_json())
    assert folder_colour(1) == "#d62728"  # the tall bar: the tariff mark's own colour
    shapes = fig["layout"]["shapes"]
    for key, y, colour in (("provincial", 0.40, "#d62728"), ("benchmark", 0.3078, "#000000")):
        for i, name in enumerate(names):
            k = next(j for j, s in enumerate(shapes) if s.get("name") == f"{key} {name}")
            mark, halo = shapes[k], shapes[k - 1]
            assert mark["layer"] == "above" and halo["layer"] == "above"
            assert mark["type"] == "line" and mark["y0"] == mark["y1"] == y
            assert mark["x0"] < i - 0.4 and mark["x1"] > i + 0.4, "across the whole bar"
            assert mark["line"]["color"] == colour
            assert halo["name"] == f"{key} {name} halo" and halo["line"]["color"] == "#ffffff"
            assert halo["line"]["width"] > mark["line"]["width"]
            assert (halo["x0"], halo["x1"], halo["y0"]) == (mark["x0"], mark["x1"], y)
    bar = fig["data"][0]
    assert bar["type"] == "bar" and bar["y"][1] > 0.40  # taller than the tariff
    assert bar["textposition"] == "inside" and bar["insidetextanchor"] == "start"
    legend = [t["name"] for t in fig["data"] if t.get("showlegend", True)]
    assert legend == [
        "Delivered price (industrial: cost-recovery + network charge + funds)",
        "Coal benchmark price",
        "Provincial industrial tariff",
    ]
