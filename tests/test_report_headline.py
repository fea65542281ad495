"""The headline card (gridopt.report.headline) and the workbook's formats and widths, on the 48 h
synthetic results of test_prices (no solver).

By hand (tests/test_prices.py's case): the delivered price is 0.287798 CNY/kWh
(test_prices), 0.0200 CNY/kWh below the coal benchmark 0.3078 and 0.1122 below the
provincial tariff 0.4; the saving per year for 100 MW is (0.4 - 0.287798) x 100 x 8760 x 1000
= 98.29 million CNY. Green share: wind used 40 MW x 48 h = 1,920 MWh over the load
(80 + 20 + 10) x 48 = 5,280 MWh = 36.36 %. Operating costs: coal fuel 200 x 2,402 MWh =
480,400, VOM 10 x 2,402 = 24,020, start-up 10 MW x 100 = 1,000, imports 20 x 48 x 300 = 288,000:
793,420 CNY, no export revenue.
"""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest

from gridopt import prices as P
from gridopt.io import write_netcdf
from gridopt.report import data as D
from gridopt.report import make_report
from gridopt.report.headline import card_rows, compare_text
from gridopt.report.i18n import Translator
from gridopt.report.plan import PlanData
from tests.test_prices import synthetic_results


def _headline(tmp_path: Path, r=None, plan=None):
    r = synthetic_results() if r is None else r
    return D.build(r, tmp_path).headline if plan is None else _with_plan(r, tmp_path, plan)


def _with_plan(r, tmp_path, plan):
    from gridopt.report.headline import build_headline
    from gridopt.results import cost_breakdown

    cr = P.cost_recovery(r)
    dp = P.delivered_price(r, P.CUSTOMER_LOAD_MW, cr)
    return build_headline(r, tmp_path, dp, P.decomposition(r, cr), cost_breakdown(r), plan)


def test_figures_by_hand(tmp_path):
    h = _headline(tmp_path)
    assert h.delivered_cny_per_kwh == pytest.approx(0.287798, abs=1e-6)
    assert h.vs_benchmark_cny_per_kwh == pytest.approx(0.287798 - 0.3078, abs=1e-6)
    assert h.saving_per_year_cny == pytest.approx((0.4 - h.delivered_cny_per_kwh) * 876e6)
    assert h.green_share == pytest.approx(1920 / 5280)  # 40 MW of wind under 110 MW of load
    assert h.green_policy_share == pytest.approx(1920 / 5280)
    assert h.operating_costs_cny == pytest.approx(793_420.0)
    assert h.operating_revenue_cny == 0.0
    # the three largest parts of the decomposition, largest first, with their shares
    dec = P.decomposition(synthetic_results())
    top = sorted(dec, key=lambda c: -dec[c])[:3]
    assert [c for c, _, _ in h.drivers] == top == ["energy", "network", "levies"]
    assert h.drivers[0][2] == pytest.approx(dec["energy"] / h.delivered_cny_per_kwh)
    assert h.limits == [] and h.plan_as_is_cny_per_kwh is None and h.band is None


def test_green_share_hour_matched_by_hand(tmp_path):
    """3 hours, local load 80 + 20 + 10 = 110 MW each hour, wind used 150, 40, 0 MW (the 40 MW
    the load cannot take in hour 0 is exported): hour-matched min(150, 110) + min(40, 110) +
    min(0, 110) = 150 of 330 MWh = 45.45 %; the policy's green / load = 190 / 330 = 57.58 %.
    The card shows both, the hour-matched one as its green share."""
    r = synthetic_results(hours=3)
    r["renewable_p_mw"].values[:, 0] = [150.0, 40.0, 0.0]
    h = _headline(tmp_path, r)
    assert h.green_matched_mwh == pytest.approx(150.0)
    assert h.green_share == pytest.approx(150 / 330)
    assert h.green_policy_share == pytest.approx(190 / 330)
    rows = {row.key: row for row in card_rows(h, Translator("en"))}
    assert rows["green-share"].value == pytest.approx(45.4545, abs=1e-4)
    assert rows["green-share"].label == "Local green share, hour-matched"
    assert rows["green-policy-share"].value == pytest.approx(57.5758, abs=1e-4)
    assert "annual matching, exports count" in rows["green-policy-share"].label


def test_words_in_both_languages(tmp_path):
    h = _headline(tmp_path)
    en, zh = card_rows(h, Translator("en")), card_rows(h, Translator("zh"))
    assert en[0].text == (
        "0.0200 CNY/kWh below the coal benchmark (0.3078 CNY/kWh); "
        "0.1122 CNY/kWh below the provincial tariff (0.4000 CNY/kWh)"
    )
    assert zh[0].text.startswith("比燃煤基准价（0.3078 元/kWh）低 0.0200 元/kWh")
    assert compare_text(0.0342, "hl_benchmark", 0.3078, Translator("en")) == (
        "0.0342 CNY/kWh above the coal benchmark (0.3078 CNY/kWh)"
    )
    rows = {r.key: r for r in en}
    assert rows["saving-per-year-cny"].label == "Saving per year for a flat 100 MW load"
    assert (
        "100 × 8760 × 1000 × 0.1122 CNY/kWh ≈ 98.29 million CNY/yr"
        in rows["saving-per-year-cny"].note
    )
    assert rows["operating-cost-cny"].text == (
        "costs 0.79 − export and sales revenue 0.00 = 0.79 million CNY"
    )
    assert rows["drivers"].text.startswith("Energy 0.1826 CNY/kWh (63 %); Network 0.0700")
    assert {r.key for r in zh} == set(rows)


def test_negative_operating_cost_is_export_revenue(tmp_path):
    """Exporting 100 MW at 150 CNY/MWh for 48 h earns 720,000 CNY: costs 793,420 minus revenue
    720,000 = 73,420 CNY; at 200 MW the total turns negative (-646,580 CNY)."""
    r = synthetic_results()
    r["tie_export_mw"] = r["tie_export_mw"] + 100.0
    h = _headline(tmp_path, r)
    assert (h.operating_costs_cny, h.operating_revenue_cny) == pytest.approx((793_420, 720_000))
    r["tie_export_mw"] = r["tie_export_mw"] + 100.0
    assert _headline(tmp_path, r).operating_cost_cny == pytest.approx(-646_580.0)


def test_binding_limits_from_the_numbers(tmp_path):
    """A binding CO2 cap in summary.json's policy block and the tie importing at its 20 MW
    limit in every hour are named; a policy row that does not bind is not."""
    r = synthetic_results()
    r["tie_import_max_mw"] = r["tie_import_mw"].isel(time=0) * 0 + 20.0
    summary = {
        "hours": 48,
        "scenario_sha256": "0" * 64,
        "policy": {
            "co2": {"max_t": 2000.0, "shadow_price_cny_per_t": 61.5, "binding": True},
            "green_share": {"shadow_price_cny_per_mwh": 0.0, "binding": False},
        },
    }
    (tmp_path / "summary.json").write_text(json.dumps(summary), encoding="utf-8")
    h = _headline(tmp_path, r)
    assert [(lim.kind, lim.name) for lim in h.limits] == [("policy", "co2"), ("import", "grid")]
    text = {row.key: row.text for row in card_rows(h, Translator("en"))}["limits"]
    assert text == (
        "CO2 emissions (at most): binds, shadow price 61.5 CNY/t CO2; "
        "grid import at its limit of 20 MW in 100 % of hours"
    )
    summary["hours"] = 24  # another run's summary: not read
    (tmp_path / "summary.json").write_text(json.dumps(summary), encoding="utf-8")
    assert [lim.kind for lim in _headline(tmp_path, r).limits] == ["import"]


def test_plan_price_beside_the_planned_one(tmp_path):
    plan = PlanData(pd.DataFrame(), {}, {"delivered_price_cny_per_kwh": 0.35})
    h = _headline(tmp_path, plan=plan)
    assert h.plan_as_is_cny_per_kwh == 0.35
    row = {r.key: r for r in card_rows(h, Translator("en"))}["plan-as-is-cny-per-kwh"]
    assert (
        row.text
        == "planned 0.2878 CNY/kWh against 0.3500 CNY/kWh as it is (change -0.0622 CNY/kWh)"
    )


def test_sweep_case_shows_its_band(tmp_path):
    """A case folder DIR/cases/<id> reads the band of its swept values from DIR/sweep_bands.csv
    (two combinations; the case is the second's); one weather year gives no band."""
    root = tmp_path / "sweep"
    case = root / "cases" / "c2"
    write_netcdf(case / "results.nc", synthetic_results())
    pd.DataFrame(
        {
            "case_id": ["c1", "c2", "c3"],
            "economics.discount_rate": ["0.06", "0.08", "0.08"],
            "weather_year": ["2019", "2019", "2020"],
            "status": ["ok"] * 3,
        }
    ).to_csv(root / "sweep.csv", index=False)
    bands = pd.DataFrame(
        {
            "economics.discount_rate": [0.06, 0.08],
            "n_weather_years": [1, 2],
            "delivered_price_cny_per_kwh_p10": [0.30, 0.31],
            "delivered_price_cny_per_kwh_p50": [0.30, 0.33],
            "delivered_price_cny_per_kwh_p90": [0.30, 0.36],
        }
    )
    bands.to_csv(root / "sweep_bands.csv", index=False)
    h = D.build(synthetic_results(), case).headline
    assert h.band == {"p10": 0.31, "p50": 0.33, "p90": 0.36, "n": 2}
    text = {r.key: r.text for r in card_rows(h, Translator("en"))}["band-p10-cny-per-kwh"]
    assert text.startswith("0.3100–0.3600 CNY/kWh (P50 0.3300) over 2 weather years")
    bands["n_weather_years"] = [1, 1]
    bands.to_csv(root / "sweep_bands.csv", index=False)
    assert D.build(synthetic_results(), case).headline.band is None


# --------------------------------------------------------------------------------------------
# the workbook: headline first, formats per unit, widths fitted to the widest cell
# --------------------------------------------------------------------------------------------

LONG = "hexi_corridor_wind_cluster_north_phase_two_b"  # 45 characters


@pytest.fixture(scope="module")
def workbooks(tmp_path_factory):
    from openpyxl import load_workbook

    d = tmp_path_factory.mktemp("wb")
    write_netcdf(d / "results.nc", synthetic_results().assign_coords(renewable=[LONG]))
    out = {}
    for lang in ("en", "zh"):
        make_report(d, d / lang, lang=lang, formats="xlsx")
        out[lang] = load_workbook(d / lang / "report.xlsx")
    return out


def test_workbook_headline_first_with_formats(workbooks):
    wb = workbooks["en"]
    assert wb.sheetnames[:2] == ["Headline", "Summary"]
    ws = wb["Headline"]
    assert ws["A2"].value == "Delivered price" and ws["B2"].number_format == "#,##0.0000"
    assert ws["B2"].value == pytest.approx(0.287798, abs=1e-6)  # unrounded, shown with 4
    assert ws.freeze_panes == "B2"
    summary = {ws.cell(i, 1).value: ws.cell(i, 2) for i in range(2, ws.max_row + 1)}
    s = wb["Summary"]
    kf = {s.cell(i, 1).value: s.cell(i, 2) for i in range(2, s.max_row + 1)}
    assert kf["Cost-recovery price"].number_format == "#,##0.0"
    assert kf["Gansu coal benchmark price"].number_format == "#,##0.0000"
    assert kf["Renewable share of local generation"].number_format == "#,##0.0"
    assert summary["Local green share, hour-matched"].number_format == "#,##0.0"
    policy = summary["Green energy ÷ local load (annual matching, exports count)"]
    assert policy.number_format == "#,##0.0" and policy.value == pytest.approx(100 * 1920 / 5280)
    costs = wb["Cost items"]
    heads = [c.value for c in costs[1]]
    assert costs.cell(2, heads.index("Cost of the horizon [CNY]") + 1).number_format == "#,##0"
    assert costs.cell(2, heads.index("[CNY/MWh]") + 1).number_format == "#,##0.0"
    assert costs.cell(2, heads.index("[CNY/kWh]") + 1).number_format == "#,##0.0000"
    prices = wb["Hourly prices"]
    assert prices.cell(2, 3).number_format == "#,##0.0"
    assert prices.freeze_panes == "B2"


def test_workbook_widths_fit_the_widest_cell(workbooks):
    """A 45-character asset name makes its column at least 45 wide; a Chinese label counts
    two per character."""
    ws = workbooks["en"]["Asset statistics"]
    assert any(c.value == LONG for c in ws["A"])
    assert ws.column_dimensions["A"].width >= 45
    zh = workbooks["zh"][
        "关键指标" if "关键指标" in workbooks["zh"].sheetnames else workbooks["zh"].sheetnames[1]
    ]
    labels = [c.value for c in zh["A"][1:] if isinstance(c.value, str)]
    widest = max(sum(2 if ord(ch) > 0x2E80 else 1 for ch in s) for s in labels)
    assert zh.column_dimensions["A"].width >= widest
    assert widest > 1.5 * max(len(s) for s in labels)  # the CJK labels count double
