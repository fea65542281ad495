"""The report's "what to build" section (建设方案) for the results of ``gridopt plan``.

Most cases use the synthetic results of test_prices (no solver) with a hand-made plan beside
them: ``build.csv`` of three rows and a ``summary.json`` whose ``plan`` block has the same new
investment and a ``dispatch`` block (the fleet as it is), with a policy block. The build
table's money totals, read back from the page and the workbook, are the CSV's sums in the
language's money unit (230 million CNY = 23,000 万元); the comparison's "as it is" column is the
dispatch block's, its "planned" column the report's own figures of the results; the policy
table shows each limit, what is achieved and the shadow price in its unit.

One case solves a hand-solved micro plan (tests/test_plan.py's one technology) and reads its
report: 100 MW of solar built, 43.8 million CNY invested; the cost-recovery price falls from
300 CNY/MWh as it is (imports 100 MW x 4 h x 300 = 120,000 CNY over 400 MWh) to 200 CNY/MWh
planned ((60,000 operating + 20,000 capital) / 400 MWh), so the delivered price and its energy
component fall by 0.1 CNY/kWh.
"""

from __future__ import annotations

import json
import re

import numpy as np
import pandas as pd
import pytest
import yaml
from PIL import Image

from gridopt import prices as P
from gridopt.io import write_netcdf
from gridopt.plan import BUILD_COLUMNS
from gridopt.report import ReportError, make_report
from gridopt.report.png import FIGURES
from tests.conftest import micro, tie
from tests.test_prices import synthetic_results
from tests.test_report import drawn_cjk, embedded_cmap

BUILD = [
    # asset, family, bus, capacity, unit, existing, new, retired, total, capex, annual, saved,
    # in the local price
    ["wind", "renewable", "b", "p_nom_mw", "MW", 100.0, 50.0, 0.0, 150.0, 200e6, 20e6, 0.0, True],
    ["coal", "thermal", "a", "p_nom_mw", "MW", 100.0, 0.0, 40.0, 60.0, 0.0, 0.0, 0.8e6, True],
    ["bat", "storage", "a", "e_max_mwh", "MWh", 200.0, 100.0, 0.0, 300.0, 30e6, 3e6, 0.0, True],
]
BEFORE = {
    "energy": 0.20,
    "flexibility": 0.01,
    "capacity": 0.05,
    "network": 0.0693,
    "levies": 0.0229,
}
POLICY = {
    "green_share": {
        "min_fraction": 0.3,
        "achieved_fraction": 0.3,
        "green_mwh": 300.0,
        "load_mwh": 1000.0,
        "shadow_price_cny_per_mwh": 40.0,
        "binding": True,
    },
    "co2": {
        "max_t": 5000.0,
        "emissions_t": 2160.0,
        "shadow_price_cny_per_t": 0.0,
        "binding": False,
    },
}


def _summary(hours: int = 48, policy: dict | None = POLICY, capex: float = 230e6) -> dict:
    out = {
        "scenario": "synthetic",
        "scenario_sha256": "0" * 64,
        "hours": hours,
        "plan": {
            "built": {},
            "capex_new_cny": capex,
            "annual_cost_new_cny_per_yr": 23e6,
            "fixed_om_saved_cny_per_yr": 0.8e6,
            "capacity_cost_horizon_cny": 120_000.0,
            "existing_capital_sunk_cny_per_yr": 5e6,
            "existing_capital_new_cny_per_yr": 1e6,
            "dispatch": {
                "objective_cny": 1e6,
                "delivered_price_cny_per_kwh": sum(BEFORE.values()),
                "cost_recovery_cny_per_mwh": 260.0,
                "price_decomposition": BEFORE,
                "curtailment_mwh": 1500.0,
                "emissions_t": 2500.0,
                "unserved_energy_mwh": 0.0,
                "average_marginal_price_cny_per_mwh": 190.0,
            },
        },
    }
    if policy:
        out["policy"] = policy
    return out


def plan_folder(tmp_path, summary: dict | None = None, build: bool = True):
    d = tmp_path / "res"
    write_netcdf(d / "results.nc", synthetic_results())
    if build:
        pd.DataFrame(BUILD, columns=BUILD_COLUMNS).to_csv(d / "build.csv", index=False)
    if summary is not False:
        (d / "summary.json").write_text(json.dumps(summary or _summary()), encoding="utf-8")
    return d


def _cells(html: str, first: str) -> list[str]:
    """The cells of the HTML table row whose first cell is ``first``."""
    m = re.search(rf"<tr[^>]*><td>{re.escape(first)}</td>(.*?)</tr>", html)
    assert m, f"no row {first!r}"
    return [first] + re.findall(r"<td[^>]*>(.*?)</td>", m.group(1))


def test_build_section_in_english_page_workbook_and_png(tmp_path):
    """The section opens the page (before the marginal prices), with its chart; the totals read
    back from page and workbook equal build.csv's sums in million CNY; every row of the build
    sheet is the CSV's; the comparison's two columns are the dispatch block and the report's
    own figures, and in each the five components add up to the delivered price; the policy
    sheet: green share limit 30 % achieved 30 %, 40 CNY per MWh of green energy, binding; CO2
    not binding, 0 CNY/t; a PNG of 1920 x 1080 beside the other figures."""
    d = plan_folder(tmp_path)
    written = make_report(d, lang="en")
    html = (d / "report.html").read_text(encoding="utf-8")
    assert "<h2>What to build</h2>" in html and 'id="fig-plan-prices"' in html
    assert html.index("What to build") < html.index("<h2>Marginal prices</h2>")
    assert _cells(html, "Total")[-3:] == ["230.00", "23.00", "0.80"]
    assert _cells(html, "wind")[:9] == [
        "wind",
        "renewable",
        "b",
        "installed capacity",
        "MW",
        "100.0",
        "50.0",
        "0.0",
        "150.0",
    ]
    assert "Planned: delivered price" in html and "0.3522 CNY/kWh with the fleet as it is" in html

    build = pd.read_excel(d / "report.xlsx", sheet_name="What to build")
    csv = pd.read_csv(d / "build.csv")
    assert list(build["Asset"].iloc[:-1]) == list(csv["asset"])
    assert build["Capacity"].tolist()[:3] == ["installed capacity"] * 2 + ["energy capacity"]
    np.testing.assert_allclose(build["New [MW or MWh]"].iloc[:-1], csv["new"])
    np.testing.assert_allclose(build["Retired [MW or MWh]"].iloc[:-1], csv["retired"])
    money = build.iloc[-1]
    assert money["Asset"] == "Total"
    assert money["New investment [million CNY]"] == pytest.approx(csv["capex_new_cny"].sum() / 1e6)
    assert money[
        "Annual cost of the new capacity (annuity + fixed O&M) [million CNY/yr]"
    ] == pytest.approx(23.0)
    assert money["Fixed O&M saved by retirement [million CNY/yr]"] == pytest.approx(0.8)

    comp = pd.read_excel(d / "report.xlsx", sheet_name="As it is and planned").set_index("Figure")
    r = synthetic_results()
    cr = P.cost_recovery(r)
    dec, delivered = P.decomposition(r, cr), P.delivered_price(r, P.CUSTOMER_LOAD_MW, cr)
    names = ["Energy", "Flexibility (balancing)", "Capacity", "Network"]
    names.append("Government funds and surcharges")
    np.testing.assert_allclose(comp.loc[names, "As it is"], list(BEFORE.values()))
    np.testing.assert_allclose(comp.loc[names, "Planned"], [dec[c] for c in P.COMPONENTS])
    total = "Delivered price for an industrial customer"
    for col in ("As it is", "Planned"):
        assert comp.loc[names, col].sum() == pytest.approx(comp.loc[total, col], rel=1e-9)
    assert comp.loc[total, "Planned"] == pytest.approx(delivered["delivered_cny_per_kwh"])
    assert comp.loc["Cost-recovery price", "Unit"] == "CNY/MWh"
    assert comp.loc["Cost-recovery price", "As it is"] == pytest.approx(260.0)
    assert comp.loc["Cost-recovery price", "Planned"] == pytest.approx(cr.price_cny_per_mwh)
    assert comp.loc["New investment", "Planned"] == pytest.approx(230.0)
    assert comp.loc["New investment", "As it is"] == 0
    sunk = comp.loc["Existing capacity: annuity of sunk capital"]
    assert (sunk["As it is"], sunk["Planned"], sunk["Unit"]) == (5.0, 5.0, "million CNY/yr")
    assert comp.loc["Existing capacity: annuity of committed (new) capital", "Planned"] == 1.0
    change = comp["Change (planned - as it is)"]
    np.testing.assert_allclose(change, comp["Planned"] - comp["As it is"])

    pol = pd.read_excel(d / "report.xlsx", sheet_name="Policy constraints")
    green, co2 = pol.iloc[0], pol.iloc[1]
    assert green["Policy constraint"] == "Green share of local load (at least)"
    assert (green["Limit"], green["Achieved"], green["Unit"]) == (30.0, 30.0, "%")
    assert green["Shadow price"] == 40.0
    assert green["Shadow price unit"] == "CNY per MWh of green energy"
    assert green["Binding"] == "yes"
    assert (co2["Limit"], co2["Achieved"], co2["Unit"]) == (5000.0, 2160.0, "t")
    assert (co2["Shadow price"], co2["Shadow price unit"], co2["Binding"]) == (0, "CNY/t CO2", "no")

    pngs = [p.name for p in written["png"]]
    assert pngs == [f"{n}.png" for n in FIGURES] + ["plan_prices.png"]
    with Image.open(d / "figures" / "plan_prices.png") as im:
        assert im.size == (1920, 1080)


def test_build_section_in_chinese(tmp_path):
    """In Chinese: 建设方案, money in 万元 (230 million CNY = 23,000 万元), 是/否 for binding, and
    every CJK character the page draws — the section's text and its chart — in the embedded
    font subset."""
    d = plan_folder(tmp_path)
    make_report(d, lang="zh", formats="html,xlsx")
    html = (d / "report.html").read_text(encoding="utf-8")
    assert "<h2>建设方案</h2>" in html and 'id="fig-plan-prices"' in html
    assert _cells(html, "合计")[-3:] == ["23,000", "2,300", "80"]
    build = pd.read_excel(d / "report.xlsx", sheet_name="建设方案")
    assert build["新增投资 [万元]"].iloc[-1] == pytest.approx(23_000)
    pol = pd.read_excel(d / "report.xlsx", sheet_name="政策约束")
    assert pol["是否起作用"].tolist() == ["是", "否"]
    assert pol["影子价格单位"].tolist() == ["元/MWh 绿电", "元/吨 CO2"]
    cmap = embedded_cmap(html)
    drawn, _ = drawn_cjk(html)
    assert set("现状规划后构成") <= drawn
    missing = sorted(c for c in drawn if ord(c) not in cmap)
    assert not missing, f"{len(missing)} characters drawn but not embedded: {''.join(missing)}"


def test_without_a_plan_nothing_changes_and_without_policy_no_policy_table(tmp_path):
    """A folder of a `gridopt run` (summary.json without a plan block, no build.csv): the
    page is the same as without summary.json (no section, no warning), no plan sheet, no plan
    figure. A plan without a policy: the section without the policy table or sheet."""
    d = plan_folder(tmp_path, summary=False, build=False)
    make_report(d, lang="en", formats="html")
    alone = (d / "report.html").read_text(encoding="utf-8")
    (d / "summary.json").write_text(json.dumps({"hours": 48}), encoding="utf-8")
    written = make_report(d, lang="en")
    html = (d / "report.html").read_text(encoding="utf-8")
    assert html == alone
    assert "What to build" not in html and "fig-plan-prices" not in html
    assert "What to build" not in pd.ExcelFile(d / "report.xlsx").sheet_names
    assert [p.name for p in written["png"]] == [f"{n}.png" for n in FIGURES]

    d = plan_folder(tmp_path / "nopolicy", summary=_summary(policy=None))
    make_report(d, lang="en", formats="html,xlsx")
    html = (d / "report.html").read_text(encoding="utf-8")
    assert "<h2>What to build</h2>" in html and "Policy constraints" not in html
    sheets = pd.ExcelFile(d / "report.xlsx").sheet_names
    assert "What to build" in sheets and "Policy constraints" not in sheets


@pytest.mark.parametrize(
    "summary, build, warning",
    [
        (_summary(hours=24), True, "do not belong to these results (24 h ≠ 48 h)"),
        (_summary(capex=1e6), True, "build.csv 230,000,000 CNY ≠ summary.json 1,000,000 CNY"),
        ({"hours": 48, "scenario_sha256": "0" * 64}, True, "summary.json: plan is missing"),
        (_summary(), False, "build.csv is missing"),
    ],
)
def test_a_plan_of_other_results_or_half_a_plan_is_left_out(tmp_path, summary, build, warning):
    """A plan that does not belong to the results (another horizon, a build.csv of another
    plan) or half a plan (a build.csv left by an earlier plan where `gridopt run` has since
    written, or no build.csv) is not shown: the page says why."""
    d = plan_folder(tmp_path, summary=summary, build=build)
    make_report(d, lang="en", formats="html,xlsx")
    html = (d / "report.html").read_text(encoding="utf-8")
    assert "<h2>What to build</h2>" not in html
    assert warning in html.replace("&#x27;", "'").replace("&quot;", '"')
    assert "What to build" not in pd.ExcelFile(d / "report.xlsx").sheet_names


def test_an_unreadable_build_csv_stops_the_report(tmp_path):
    d = plan_folder(tmp_path)
    (d / "build.csv").write_text("asset,family\nx,thermal\n", encoding="utf-8")
    with pytest.raises(ReportError, match="build.csv.*no column bus"):
        make_report(d, lang="en", formats="html")
    assert not (d / "report.html").exists()


def test_report_of_a_hand_solved_plan(tmp_path):
    """tests/test_plan.py's one technology (solar at 438 CNY/kW, one-year life, r = 0, so 200
    CNY/MW for the 4-hour horizon), reported: the build row says 100 MW new, 43.8 million CNY
    invested and 43.8 million CNY/yr; the cost-recovery price is 300 CNY/MWh as it is and 200
    planned, the delivered price and its energy component fall by exactly 0.1 CNY/kWh."""
    data = micro(
        4,
        loads={"l": {"bus": "a", "p_mw": 100}},
        ties={"grid": tie("a", 300, 0)},
        renewables={
            "pv": {
                "bus": "a",
                "carrier": "solar",
                "p_nom_mw": 0,
                "availability": [1.0, 1.0, 0.0, 0.0],
                "new_max_mw": None,
                "economics": {
                    "capex_cny_per_kw": 438.0,
                    "fixed_om_fraction_per_yr": 0.0,
                    "lifetime_yr": 1,
                },
            }
        },
    )
    data["settings"]["discount_rate"] = 0.0
    path = tmp_path / "plan.yaml"
    path.write_text(yaml.safe_dump(data))
    from gridopt.run import run_scenario

    out = tmp_path / "out"
    run_scenario(path, out, plan=True)
    make_report(out, lang="en", formats="html,xlsx")
    build = pd.read_excel(out / "report.xlsx", sheet_name="What to build").set_index("Asset")
    assert build.loc["pv", "New [MW or MWh]"] == pytest.approx(100)
    assert build.loc["pv", "New investment [million CNY]"] == pytest.approx(43.8)
    annual = "Annual cost of the new capacity (annuity + fixed O&M) [million CNY/yr]"
    assert build.loc["Total", annual] == pytest.approx(43.8)
    comp = pd.read_excel(out / "report.xlsx", sheet_name="As it is and planned").set_index("Figure")
    change = comp["Change (planned - as it is)"]
    assert comp.loc["Cost-recovery price", "As it is"] == pytest.approx(300)
    assert comp.loc["Cost-recovery price", "Planned"] == pytest.approx(200)
    assert change["Delivered price for an industrial customer"] == pytest.approx(-0.1)
    assert change["Energy"] == pytest.approx(-0.1)
    assert comp.loc["Capital cost carried by the horizon", "Planned"] == pytest.approx(0.02)
    html = (out / "report.html").read_text(encoding="utf-8")
    assert "<h2>What to build</h2>" in html and "Policy constraints" not in html
