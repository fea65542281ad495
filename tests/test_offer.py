"""The offer sheet (gridopt.tenant.offer) from hand-made tenant.json contents, no solver: every
number it shows reads back equal to tenant.json's at the printed precision, the case without
expansion options shows no offer price, and the weather-year band is numpy's percentiles.

Hand-made planning study (tariffs as the default scenario's order of magnitude):
  long-run incremental cost 250.0 CNY/MWh -> 0.2500 CNY/kWh; network charge 0.0500 and funds
  0.0200 CNY/kWh -> offer price 0.25 + 0.05 + 0.02 = 0.3200 CNY/kWh;
  provincial tariff 0.4500 -> difference 0.4500 - 0.3200 = 0.1300;
  coal benchmark 0.3078 -> difference 0.3078 - 0.3200 = -0.0122 CNY/kWh;
  short-run incremental cost 120.0 CNY/MWh -> short-run price 0.12 + 0.07 = 0.1900 CNY/kWh.
Weather years 0.30, 0.20, 0.25 CNY/kWh -> sorted 0.20, 0.25, 0.30; numpy linear: P10 at position
0.1 x 2 = 0.2 -> 0.20 + 0.2 x 0.05 = 0.2100; P50 = 0.2500; P90 at 1.8 -> 0.25 + 0.8 x 0.05 =
0.2900.
"""

from __future__ import annotations

import copy
import re
import string
from html.parser import HTMLParser

import numpy as np
import pytest

from gridopt.report.i18n import TEXTS
from gridopt.tenant.offer import (
    FEW_YEARS,
    band,
    sheet_html,
    weather_years_block,
    write_offer_sheets,
)
from gridopt.tenant.offer_texts import OFFER_TEXTS
from tests.conftest import ROOT

DEMO = ROOT / "scenarios" / "demo_small.yaml"

SHA = "a" * 64
INPUTS = "b" * 64


def plan_study() -> dict:
    """A planning-mode tenant.json (contract of issue 13) with one tenant that makes the plan
    build 100 MW of wind and 50 MWh of battery."""
    return {
        "scenario": "hand",
        "scenario_sha256": SHA,
        "inputs_sha256": INPUTS,
        "hours": 168,
        "start": "2030-01-01 00:00:00",
        "mode": "plan",
        "annualisation": "per-year figures scale the 168-hour horizon by 8760/168",
        "tariffs_cny_per_kwh": {
            "network_charge": 0.05,
            "funds": 0.02,
            "benchmark": 0.3078,
            "provincial": 0.45,
        },
        "tenants": [
            {
                "name": "smelter",
                "bus": "jyg_330",
                "energy_mwh": 50400.0,
                "annual_energy_mwh": 2_628_000.0,
                "short_run_incremental_cost_cny_per_mwh": 120.0,
                "short_run_price_cny_per_kwh": 0.19,
                "long_run_incremental_cost_cny_per_mwh": 250.0,
                "offer_price_cny_per_kwh": 0.32,
                "green_share": 0.4123,
                "green_share_grid_mix": 0.5555,
                "flexibility_value": [],
                "build_for_tenant": [
                    {
                        "asset": "wind_new",
                        "family": "renewable",
                        "capacity": "p_nom",
                        "unit": "MW",
                        "delta_new": 100.0,
                        "delta_retired": 0.0,
                        "delta_annual_cost_cny_per_yr": 45_000_000.0,
                    },
                    {
                        "asset": "battery_new",
                        "family": "storage",
                        "capacity": "e_max",
                        "delta_mwh": 50.0,
                        "annual_cost_cny_per_yr": 2_500_000.0,
                    },
                ],
            }
        ],
    }


def dispatch_study() -> dict:
    """The same tenant on a scenario without expansion options: no long-run figures."""
    d = plan_study()
    d["mode"] = "dispatch"
    t = d["tenants"][0]
    t["long_run_incremental_cost_cny_per_mwh"] = None
    t["offer_price_cny_per_kwh"] = None
    t["build_for_tenant"] = None
    return d


class _Figures(HTMLParser):
    """The shown figures: data-key -> (text, data-scale) of each <span class="num">."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.shown: list[tuple[str, str, float]] = []
        self._open: tuple[str, float] | None = None
        self.text: list[str] = []

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "span" and "data-key" in a:
            self._open = (a["data-key"], float(a.get("data-scale", 1.0)))

    def handle_endtag(self, tag):
        if tag == "span":
            self._open = None

    def handle_data(self, data):
        if self._open is not None:
            self.shown.append((self._open[0], data, self._open[1]))
        self.text.append(data)


def shown(page: str) -> tuple[list[tuple[str, str, float]], str]:
    p = _Figures()
    p.feed(page.split("</style>", 1)[1])  # the font's base64 is no text
    return p.shown, "".join(p.text)


def json_value(data: dict, name: str, key: str) -> float:
    """The tenant.json value behind a data-key: a key of the tenant's entry (dotted into
    lists), of the header (``tariffs_cny_per_kwh.*``, ``weather_years.*``), or
    ``difference.<tariff>`` = tariff - headline price (worked out by hand in the docstring)."""
    t = next(x for x in data["tenants"] if x["name"] == name)
    head, _, rest = key.partition(".")
    if head == "difference":
        price = t["offer_price_cny_per_kwh"] or t["short_run_price_cny_per_kwh"]
        return data["tariffs_cny_per_kwh"][rest] - price
    node = data if head in ("tariffs_cny_per_kwh", "weather_years") else t
    for k in key.split("."):
        node = node[int(k)] if isinstance(node, list) else node[k]
    return float(node)


def check_read_back(data: dict, page: str, name: str) -> dict[str, list[str]]:
    """Every shown figure equals its tenant.json value at the printed precision; returns
    key -> shown texts."""
    figs, _ = shown(page)
    out: dict[str, list[str]] = {}
    for key, text, scale in figs:
        decimals = len(text.split(".")[1]) if "." in text else 0
        want = round(json_value(data, name, key) * scale, decimals)
        assert float(text.replace(",", "")) == pytest.approx(want, abs=1e-12), (key, text, want)
        out.setdefault(key, []).append(text)
    return out


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_sheet_numbers_equal_tenant_json(lang):
    data = plan_study()
    page = sheet_html(data, "smelter", lang, date="2026-12-01")
    got = check_read_back(data, page, "smelter")
    # the hand-worked figures of the module docstring, as printed
    assert got["offer_price_cny_per_kwh"][0] == "0.3200"
    assert got["long_run_incremental_cost_cny_per_mwh"] == ["0.2500", "250.0"]
    assert got["tariffs_cny_per_kwh.network_charge"] == ["0.0500"]
    assert got["tariffs_cny_per_kwh.funds"] == ["0.0200"]
    assert got["difference.provincial"] == ["0.1300"]
    assert got["difference.benchmark"] == ["-0.0122"]
    assert got["short_run_price_cny_per_kwh"] == ["0.1900"]
    assert got["green_share"] == ["41.2"] and got["green_share_grid_mix"] == ["55.5"]
    # the build list: 100 MW wind at 45 M CNY/yr (4,500 万元/yr), 50 MWh battery
    assert got["build_for_tenant.0.delta_new"] == ["100.0"]
    money = {"zh": "4,500.0", "en": "45.0"}[lang]
    assert got["build_for_tenant.0.delta_annual_cost_cny_per_yr"] == [money]
    assert got["build_for_tenant.1.delta_mwh"] == ["50.0"]
    _, text = shown(page)
    offer = {"zh": "建议报价", "en": "Offer price"}[lang]
    assert offer in text and SHA in text and INPUTS in text and "2026-12-01" in text
    assert "@page{size:A4" in page and "http" not in page.split("</style>")[1]
    # no band without weather years, but the note saying how to get one
    assert "weather_years" not in "".join(k for k in got)
    assert OFFER_TEXTS[lang]["offer_weather_none"][:12] in text
    # the short horizon's caveat (168 h: 8760/168 = 52.143)
    assert "52.143" in text


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_no_expansion_options_shows_no_offer_price_and_says_so(lang):
    data = dispatch_study()
    page = sheet_html(data, "smelter", lang, date="2026-12-01")
    got = check_read_back(data, page, "smelter")
    tx = OFFER_TEXTS[lang]
    _, text = shown(page)
    assert "offer_price_cny_per_kwh" not in got
    assert "long_run_incremental_cost_cny_per_mwh" not in got
    assert got["short_run_price_cny_per_kwh"][0] == "0.1900"
    assert got["short_run_incremental_cost_cny_per_mwh"] == ["0.1200", "120.0"]
    assert tx["offer_no_expansion"] in text and tx["offer_not_offer"] in text
    assert tx["offer_headline_short_run"] in text
    # never labelled an offer: neither the offer headline, title nor total row
    for k in ("offer_headline", "offer_title", "offer_total", "offer_lric"):
        assert f">{tx[k]}<" not in page, k
    assert "<title>" + tx["offer_title_short_run"] in page
    if lang == "zh":  # only the note says there is none
        assert "建议报价" not in text.replace(tx["offer_no_expansion"], "")


def test_band_is_numpys_percentiles_and_appears_only_with_weather_years():
    values = [0.30, 0.20, 0.25]
    b = band(values)
    assert (b["p10"], b["p50"], b["p90"]) == pytest.approx((0.21, 0.25, 0.29), abs=1e-12)
    assert [b["p10"], b["p50"], b["p90"]] == pytest.approx(np.percentile(values, [10, 50, 90]))
    base = plan_study()
    per_seed = {}
    for seed, v in zip((7, 8, 9), values):
        d = copy.deepcopy(base)
        d["tenants"][0]["offer_price_cny_per_kwh"] = v
        d["scenario_sha256"] = f"{seed:064d}"
        per_seed[seed] = d
    block = weather_years_block(per_seed, [7, 8, 9])
    wy = block["tenants"]["smelter"]
    assert wy["figure"] == "offer_price_cny_per_kwh" and block["seeds"] == [7, 8, 9]
    assert [y["value"] for y in wy["per_year"]] == values
    assert wy["p10"] <= wy["p50"] <= wy["p90"]
    assert [wy["p10"], wy["p50"], wy["p90"]] == pytest.approx(np.percentile(values, [10, 50, 90]))
    data = {**base, "weather_years": block}
    for lang in ("zh", "en"):
        page = sheet_html(data, "smelter", lang)
        got = check_read_back(data, page, "smelter")
        assert got["weather_years.tenants.smelter.p10"] == ["0.2100"]
        assert got["weather_years.tenants.smelter.p50"] == ["0.2500"]
        assert got["weather_years.tenants.smelter.p90"] == ["0.2900"]
        _, text = shown(page)
        assert OFFER_TEXTS[lang]["offer_band_caution"].format(n=3) in text  # 3 < 5 years
    # five years: no caution
    five = {s: per_seed[7] for s in range(FEW_YEARS)}
    data5 = {**base, "weather_years": weather_years_block(five, list(range(FEW_YEARS)))}
    _, text = shown(sheet_html(data5, "smelter", "en"))
    assert "indicative only" not in text and "P10–P90 over 5 weather years" in text


def test_a_band_of_short_run_prices_stays_a_short_run_band():
    """Dispatch mode: the band is of the short-run price, shown under it, never as an offer;
    years where only some have an offer price give no band at all."""
    per_seed = {}
    for seed, v in ((1, 0.18), (2, 0.19)):
        d = dispatch_study()
        d["tenants"][0]["short_run_price_cny_per_kwh"] = v
        per_seed[seed] = d
    block = weather_years_block(per_seed, [1, 2])
    assert block["tenants"]["smelter"]["figure"] == "short_run_price_cny_per_kwh"
    data = {**dispatch_study(), "weather_years": block}
    got = check_read_back(data, sheet_html(data, "smelter", "en"), "smelter")
    assert got["weather_years.tenants.smelter.p50"] == ["0.1850"]
    mixed = {1: plan_study(), 2: dispatch_study()}
    from gridopt.errors import GridoptError

    with pytest.raises(GridoptError, match="some weather years only"):
        weather_years_block(mixed, [1, 2])


def test_write_offer_sheets_one_file_per_tenant(tmp_path):
    data = plan_study()
    second = copy.deepcopy(data["tenants"][0])
    second["name"] = "负极材料"
    data["tenants"].append(second)
    paths = write_offer_sheets(data, tmp_path, "en")
    assert [p.name for p in paths] == ["offer_smelter.html", "offer_负极材料.html"]
    assert not list(tmp_path.glob(".*.part"))
    # an English page with a Chinese name embeds the glyphs of that name
    page = paths[1].read_text(encoding="utf-8")
    assert '@font-face{font-family:"gridopt CJK"' in page


def test_offer_texts_both_languages_same_keys_and_fields():
    zh, en = OFFER_TEXTS["zh"], OFFER_TEXTS["en"]
    assert set(zh) == set(en) and all(k.startswith("offer_") for k in zh)
    assert not set(zh) & set(TEXTS["zh"])  # no report text is shadowed
    for k in zh:
        assert zh[k].strip() and en[k].strip(), k

        def fields(s: str) -> set[str]:
            return {f for _, f, _, _ in string.Formatter().parse(s) if f}

        assert fields(zh[k]) == fields(en[k]), k


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_a_tenant_that_does_not_fit_is_flagged_on_its_sheet(lang):
    data = plan_study()
    _, text = shown(sheet_html(data, "smelter", lang))
    assert "12.5" not in text
    data["tenants"][0].update(fits=False, unserved_energy_mwh=12.5)
    _, text = shown(sheet_html(data, "smelter", lang))
    assert TEXTS[lang]["warn_tenant_unfit"].format(name="smelter", mwh=12.5) in text


def test_sheet_for_an_unknown_tenant_is_an_error():
    with pytest.raises(KeyError, match="nobody"):
        sheet_html(plan_study(), "nobody")


def test_only_figures_are_read_back():
    """Guard of the parser: the page shows at least the headline, its parts and the tariffs."""
    figs, _ = shown(sheet_html(plan_study(), "smelter", "zh"))
    keys = {k for k, _, _ in figs}
    assert {
        "offer_price_cny_per_kwh",
        "tariffs_cny_per_kwh.provincial",
        "tariffs_cny_per_kwh.benchmark",
        "green_share",
        "energy_mwh",
    } <= keys
    assert all(re.fullmatch(r"-?[\d,]+(\.\d+)?", t) for _, t, _ in figs)


# --- the command line --------------------------------------------------------------------------


def _one_error(res) -> str:
    """The one ``error:`` line of a failed command, without a traceback."""
    assert res.exit_code == 1, res.output
    assert "Traceback" not in res.output
    lines = [x for x in res.stderr.splitlines() if x.startswith("error:")]
    assert len(lines) == 1, res.stderr
    return lines[0]


@pytest.mark.parametrize("n", ["0", "-2", "two"])
def test_cli_bad_weather_years_is_one_clear_message(tmp_path, n):
    from click.testing import CliRunner

    from cli import main

    res = CliRunner().invoke(
        main, ["tenant", str(DEMO), "flat:p_mw=10", "--weather-years", n, "--out", str(tmp_path)]
    )
    assert res.exit_code == 2 and "Traceback" not in res.output
    assert "Invalid value for '--weather-years'" in res.stderr and n in res.stderr


def test_cli_weather_years_without_synthetic_weather_and_offer_into_a_file(tmp_path, monkeypatch):
    """Both stop before anything is solved, with one line naming the option and the fix."""
    from click.testing import CliRunner

    import gridopt.tenant.study
    from cli import main

    def no_solve(*args, **kwargs):
        raise AssertionError("solved although the command line is bad")

    monkeypatch.setattr(gridopt.tenant.study, "evaluate", no_solve)
    res = CliRunner().invoke(
        main, ["tenant", str(DEMO), "flat:p_mw=10", "--weather-years", "3", "--out", str(tmp_path)]
    )
    line = _one_error(res)
    assert line.startswith("error: --weather-years") and "synthetic weather" in line
    afile = tmp_path / "afile"
    afile.write_text("a file, not a folder")
    res = CliRunner().invoke(
        main, ["tenant", str(DEMO), "flat:p_mw=10", "--offer", "--out", str(afile / "sub")]
    )
    line = _one_error(res)
    assert line.startswith("error: --out") and str(afile) in line


def test_cli_offer_with_weather_years_end_to_end(tmp_path):
    """The demo grid for 24 h with synthetic weather at seed 7 (tests/test_sweep.py), a smelter,
    two weather years: seed 7 is the scenario as it is (its study reused), seed 8 equals a
    separate study of the scenario written with seed 8 by hand; the band is numpy's; the
    sheet (English here) shows tenant.json's numbers. No expansion options: short-run price."""
    import json

    import yaml
    from click.testing import CliRunner

    from cli import main
    from gridopt.tenant import evaluate_scenario
    from tests.test_sweep import tiny_scenario

    tiny = tiny_scenario(tmp_path)
    out = tmp_path / "out"
    profile = "aluminium_smelter:capacity_t_per_yr=200000"
    res = CliRunner().invoke(
        main,
        ["tenant", str(tiny), profile, "--offer", "--weather-years", "2", "--no-report"]
        + ["--out", str(out), "--lang", "en"],
    )
    assert res.exit_code == 0, res.output + res.stderr
    data = json.loads((out / "tenant.json").read_text(encoding="utf-8"))
    t = data["tenants"][0]
    wy = data["weather_years"]
    assert wy["n"] == 2 and wy["seeds"] == [7, 8]
    w = wy["tenants"][t["name"]]
    assert t["offer_price_cny_per_kwh"] is None and w["figure"] == "short_run_price_cny_per_kwh"
    years = [y["value"] for y in w["per_year"]]
    assert years[0] == t["short_run_price_cny_per_kwh"]
    data8 = yaml.safe_load(tiny.read_text())
    for name in ("wind_guazhou", "pv_jyg"):
        data8["renewables"][name]["availability"]["seed"] = 8
    (tmp_path / "tiny8.yaml").write_text(yaml.safe_dump(data8))
    study8 = evaluate_scenario(tmp_path / "tiny8.yaml", [profile]).to_dict()
    assert years[1] == pytest.approx(study8["tenants"][0]["short_run_price_cny_per_kwh"], 1e-9)
    assert years[0] != pytest.approx(years[1], 1e-6)  # the weather changed the price
    assert [w["p10"], w["p50"], w["p90"]] == pytest.approx(np.percentile(years, [10, 50, 90]))
    page = (out / f"offer_{t['name']}.html").read_text(encoding="utf-8")
    got = check_read_back(data, page, t["name"])
    assert {"short_run_price_cny_per_kwh", "weather_years.tenants.aluminium_smelter.p90"} <= set(
        got
    )
    assert "offer_price_cny_per_kwh" not in got
    assert "A band from 2 weather years is indicative only." in shown(page)[1]


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_a_capacity_the_plan_builds_less_of_is_named_a_reduction(lang):
    """The build list is the plan with the tenant less the plan without it, so a row can be
    negative (plan_2030's smelter: battery_wind -59.6 MWh). The heading and the column say
    "change", and a negative row brings the note that it is capacity built less of; a list
    with only additions has no such note."""
    tx = OFFER_TEXTS[lang]
    data = plan_study()
    page = sheet_html(data, "smelter", lang, date="2026-12-01")
    _, text = shown(page)
    assert tx["offer_added"] in text and tx["offer_build_less"] not in text
    data["tenants"][0]["build_for_tenant"][1]["delta_mwh"] = -59.6
    page = sheet_html(data, "smelter", lang, date="2026-12-01")
    got = check_read_back(data, page, "smelter")
    assert got["build_for_tenant.1.delta_mwh"] == ["-59.6"]
    _, text = shown(page)
    assert tx["offer_build_less"] in text
