"""Tenant evaluation (gridopt.tenant) on hand-solvable micro networks, plus its invariants.

Fuel: 550 CNY/t at 5,500 kcal/kg = 700 CNY per tonne of standard coal, so a unit with heat
rate H gce/kWh costs 0.7 H CNY/MWh (300 -> 210, 400 -> 280) and emits H/1000 x 2.66 t/MWh
(400 -> 1.064). Tariffs are the schema defaults: network 0.0693 + funds 0.0229 = 0.0922
CNY/kWh. Every case is built so that the prices that matter are unique.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from gridopt.errors import InputError
from gridopt.inputs import build_inputs
from gridopt.scenario.load import scenario_from_dict
from gridopt.tenant import (
    FLEX_BANDS,
    STABLE_KEYS,
    Tenant,
    default_bus,
    evaluate,
    format_table,
    parse_profile_spec,
    tenant_frame,
)
from tests.conftest import micro

NETWORK_PLUS_FUNDS = 0.0693 + 0.0229


def inputs(data: dict):
    return build_inputs(scenario_from_dict(data, Path("micro.yaml")))


def coal(bus: str, p_mw: float, heat_rate: float, **kw) -> dict:
    return {"bus": bus, "fuel": "coal", "p_unit_mw": p_mw, "heat_rate_gce_per_kwh": heat_rate, **kw}


def one(ds, tenant: Tenant, **kw) -> dict:
    """Figures of a single tenant."""
    return evaluate(ds, [tenant], **kw).tenants[0].figures


def test_tenant_on_curtailed_wind_costs_only_wind_vom_and_is_all_green():
    """Wind 100 MW available every hour at 2 CNY/MWh VOM; load 20 MW; coal (280) idle.

    Base: wind 20 MW, 80 MW curtailed, price 2 (wind curtailed, so marginal). A 50 MW tenant
    for 3 h takes 50 MW more wind each hour: cost +50 x 2 x 3 = 300 CNY over 150 MWh, so the
    incremental cost is 2 CNY/MWh, its marginal price 2, green share 100 %, 150 MWh absorbed,
    no extra coal; short-run price with charges 0.002 + 0.0922 CNY/kWh.
    """
    ds = inputs(
        micro(
            3,
            renewables={
                "wind": {
                    "bus": "a",
                    "carrier": "wind",
                    "p_nom_mw": 100,
                    "availability": 1.0,
                    "vom_cny_per_mwh": 2,
                }
            },
            thermal={"coal": coal("a", 100, 400)},
            loads={"l": {"bus": "a", "p_mw": 20}},
        )
    )
    f = one(ds, Tenant("t", "a", np.full(3, 50.0)))
    assert f["energy_mwh"] == pytest.approx(150)
    assert f["short_run_incremental_cost_cny_per_mwh"] == pytest.approx(2.0, abs=1e-6)
    assert f["marginal_weighted_price_cny_per_mwh"] == pytest.approx(2.0, abs=1e-6)
    assert f["green_share"] == pytest.approx(1.0)
    assert f["absorbed_curtailment_mwh"] == pytest.approx(150)
    assert f["delta_coal_mwh"] == pytest.approx(0, abs=1e-6)
    assert f["short_run_price_cny_per_kwh"] == pytest.approx(0.002 + NETWORK_PLUS_FUNDS)
    assert f["fits"] is True and f["unserved_energy_mwh"] == pytest.approx(0, abs=1e-6)


def test_tenant_in_coal_set_hours_pays_that_units_marginal_cost():
    """Coal 'cheap' 100 MW at 210, 'dear' 200 MW at 280 CNY/MWh; load 150 MW for 3 h.

    Base: cheap 100 (full), dear 50 (interior) -> price 280 every hour. A 30 MW tenant raises
    dear to 80 MW: cost +30 x 280 x 3 = 25,200 CNY over 90 MWh -> incremental cost 280, the
    dear unit's marginal cost; marginal price 280 before and after; existing loads see no price
    change; coal +90 MWh, CO2 +90 x 1.064 = 95.76 t; green share 0; short-run price with charges 0.28 + 0.0922.
    """
    ds = inputs(
        micro(
            3,
            thermal={"cheap": coal("a", 100, 300), "dear": coal("a", 200, 400)},
            loads={"l": {"bus": "a", "p_mw": 150}},
        )
    )
    f = one(ds, Tenant("t", "a", np.full(3, 30.0)))
    assert f["short_run_incremental_cost_cny_per_mwh"] == pytest.approx(280)
    assert f["delta_cost_cny"] == pytest.approx(25_200)
    assert f["marginal_weighted_price_cny_per_mwh"] == pytest.approx(280)
    assert f["marginal_weighted_price_base_cny_per_mwh"] == pytest.approx(280)
    assert f["existing_loads_price_change_cny_per_mwh"] == pytest.approx(0, abs=1e-6)
    assert f["delta_coal_mwh"] == pytest.approx(90)
    assert f["delta_emissions_t"] == pytest.approx(95.76)
    assert f["green_share"] == pytest.approx(0, abs=1e-9)
    assert f["short_run_price_cny_per_kwh"] == pytest.approx(0.28 + NETWORK_PLUS_FUNDS)
    assert f["price_setters"] == {"dear": pytest.approx(1.0)}


def test_tenant_that_moves_the_price_pays_less_than_the_new_marginal_price():
    """As above, but the load is 80 MW: the cheap unit is marginal (price 210).

    A 40 MW tenant fills cheap to 100 and takes 20 MW from dear: cost +20 x 210 + 20 x 280 =
    9,800 CNY per hour, over 40 MWh -> incremental cost 245 CNY/MWh. The price becomes 280, so
    at with-tenant marginal prices it pays 280 (base-case prices: 210), and the existing 80 MW
    load pays 70 CNY/MWh more: 70 x 80 x 3 = 16,800 CNY over the 3 h.
    """
    ds = inputs(
        micro(
            3,
            thermal={"cheap": coal("a", 100, 300), "dear": coal("a", 200, 400)},
            loads={"l": {"bus": "a", "p_mw": 80}},
        )
    )
    f = one(ds, Tenant("t", "a", np.full(3, 40.0)))
    assert f["short_run_incremental_cost_cny_per_mwh"] == pytest.approx(245)
    assert f["marginal_weighted_price_cny_per_mwh"] == pytest.approx(280)
    assert f["marginal_weighted_price_base_cny_per_mwh"] == pytest.approx(210)
    assert f["existing_loads_price_change_cny_per_mwh"] == pytest.approx(70)
    assert f["existing_loads_bill_change_cny"] == pytest.approx(16_800)


def test_tenant_too_big_does_not_fit_and_says_so():
    """Coal 100 MW at 210; load 50 MW; a tenant of 80 MW for 3 h (VOLL 10,000 CNY/MWh).

    Only 50 MW are left: 30 MW unserved each hour, 90 MWh in all, so it does not fit. Cost per
    hour +50 x 210 + 30 x 10,000 = 310,500 over 80 MWh -> 3,881.25 CNY/MWh (VOLL-driven).
    """
    ds = inputs(
        micro(3, thermal={"coal": coal("a", 100, 300)}, loads={"l": {"bus": "a", "p_mw": 50}})
    )
    study = evaluate(
        ds, [Tenant("big", "a", np.full(3, 80.0)), Tenant("small", "a", np.full(3, 10.0))]
    )
    big, small = (t.figures for t in study.tenants)
    assert big["fits"] is False and small["fits"] is True
    assert big["unserved_energy_mwh"] == pytest.approx(90)
    assert big["peak_unserved_mw"] == pytest.approx(30)
    assert big["short_run_incremental_cost_cny_per_mwh"] == pytest.approx(3_881.25)
    assert [f["name"] for f in study.ranked()] == ["small", "big"]  # a tenant that fits ranks first
    text = format_table(study)
    assert "DOES NOT FIT: 90.0 MWh of demand not served (peak 30.0 MW)" in text
    assert study.to_dict()["tenants"][0]["fits"] is False


def test_flexibility_never_raises_the_incremental_cost():
    """Import at 100 then 300 CNY/MWh (twice); a 100 MW tenant with 2-h energy windows.

    At band b it takes 100(1 + b) MW in the cheap hour and 100(1 - b) in the dear one: per
    window 100(1 + b) x 100 + 100(1 - b) x 300 = 40,000 - 20,000 b CNY over 200 MWh, so the
    incremental cost is 200 - 100 b: 200, 195, 190, 180 CNY/MWh at 0, 5, 10, 20 %. Over the
    4 h (400 MWh, f = 4/8760) the 20 % band saves 20 CNY/MWh x 400 x 8760/4 = 17.52 M CNY/yr.
    """
    imp = {
        "bus": "a",
        "import_max_mw": 1000,
        "export_max_mw": 0,
        "import_price_cny_per_mwh": [100, 300, 100, 300],
        "export_price_cny_per_mwh": 0,
    }
    ds = inputs(micro(4, ties={"grid": imp}))
    f = one(ds, Tenant("t", "a", np.full(4, 100.0), flex_band=0.1, window_h=2))
    curve = [f["flexibility_curve"][k] for k in ("0", "0.05", "0.1", "0.2")]
    assert curve == pytest.approx([200, 195, 190, 180])
    assert all(b <= a for a, b in zip(curve, curve[1:]))
    assert f["short_run_incremental_cost_cny_per_mwh"] == pytest.approx(190)  # its own band, 10 %
    assert f["flexibility_value"][-1]["short_run_saving_cny_per_yr"] == pytest.approx(
        20 * 400 * 8760 / 4
    )
    assert f["energy_mwh"] == pytest.approx(400)  # energy kept per window


def test_reported_curve_is_monotone_even_if_a_wider_band_solves_worse(monkeypatch):
    """The guarantee does not rest on the solver alone: if a wider band came back 5,000 CNY
    dearer (as solver tolerances could make it by a hair), the narrower optimum, which is
    feasible in the wider LP, is reported instead. Same case as above: 200 CNY/MWh at 0 %."""
    import gridopt.tenant.warm as warm_mod

    real = warm_mod.resolve

    def worse_when_flexible(sol, *, name=""):
        out = real(sol, name=name)
        if "band 0." in name:  # every band but 0
            out.objective += 5000.0
        return out

    monkeypatch.setattr(warm_mod, "resolve", worse_when_flexible)
    imp = {
        "bus": "a",
        "import_max_mw": 1000,
        "export_max_mw": 0,
        "import_price_cny_per_mwh": [100, 300, 100, 300],
        "export_price_cny_per_mwh": 0,
    }
    f = one(
        inputs(micro(4, ties={"grid": imp})),
        Tenant("t", "a", np.full(4, 100.0), window_h=2),
        bands=(0.0, 0.05),
    )
    assert f["solves"][1]["objective_cny"] == pytest.approx(
        78_000 + 5000
    )  # 2 windows x 39,000 + 5,000 > 80,000 at 0 %
    assert f["flexibility_curve"] == {"0": pytest.approx(200), "0.05": pytest.approx(200)}


@pytest.fixture(scope="module")
def default_week():
    """The default scenario, first 72 hours (inputs resolved once for the module)."""
    from gridopt.inputs import load_inputs
    from tests.conftest import ROOT

    return load_inputs(ROOT / "scenarios" / "jiayuguan_jiuquan_2025.yaml", 72)[1]


def _smelter(ds, mw: float = 300.0) -> np.ndarray:
    t = np.arange(ds.sizes["time"])
    return mw * (1 + 0.02 * np.sin(t / 5.0))


def test_warm_start_equals_cold_rebuild(default_week):
    """A fixed tenant by raising the balance rows of the kept HiGHS instance, and a flexible one
    by adding columns to it, give the objective of a new model built with the tenant as a fixed
    (or flexible) load in the input Dataset, to 1e-6 relative."""
    ds = default_week
    tenants = [
        Tenant("fixed", "jyg_330", _smelter(ds)),
        Tenant("flex", "jq_750", _smelter(ds, 200), flex_band=0.1),
    ]
    warm = evaluate(ds, tenants, bands=(0.0, 0.2), method="warm")
    cold = evaluate(ds, tenants, bands=(0.0, 0.2), method="rebuild")
    for w, c in zip(warm.tenants, cold.tenants):
        for sw, sc in zip(w.figures["solves"], c.figures["solves"]):
            assert sw["band"] == sc["band"]
            assert sw["objective_cny"] == pytest.approx(sc["objective_cny"], rel=1e-6)
    # the rebuilt fixed case is exactly "a fixed load in the input Dataset"; its cost is the
    # operating cost of gridopt run's results (objective_cny: without the lossy-line tie-break)
    from gridopt.model import build
    from gridopt.results import extract
    from gridopt.solve import solve
    from gridopt.tenant import with_fixed_load

    dsf = with_fixed_load(ds, "fixed", "jyg_330", _smelter(ds))
    cold_fixed = extract(dsf, solve(build(dsf).m))
    assert warm.tenants[0].figures["solves"][0]["objective_cny"] == pytest.approx(
        float(cold_fixed["objective_cny"]), rel=1e-6
    )
    assert warm.base["objective_cny"] == pytest.approx(
        float(warm.base_results["objective_cny"]), rel=1e-9
    )


def test_warm_instance_is_restored_between_tenants(default_week):
    """The second tenant's figures do not depend on the first having been evaluated before it
    (its rows and columns are removed and the balance restored)."""
    ds = default_week
    a = Tenant("a", "jyg_330", _smelter(ds), flex_band=0.2)
    b = Tenant("b", "jyg_330", _smelter(ds, 150))
    both = evaluate(ds, [a, b], bands=(0.0, 0.2))
    alone = evaluate(ds, [b], bands=(0.0, 0.2))
    assert both.base["objective_cny"] == pytest.approx(alone.base["objective_cny"], rel=1e-9)
    fb, fa = both.tenants[1].figures, alone.tenants[0].figures
    for k in ("0", "0.2"):
        assert fb["flexibility_curve"][k] == pytest.approx(fa["flexibility_curve"][k], rel=1e-6)
    curve = list(both.tenants[0].figures["flexibility_curve"].values())
    assert all(y <= x for x, y in zip(curve, curve[1:]))


def test_default_bus_is_the_largest_industrial_load(default_week):
    assert default_bus(default_week) == ("jyg_330", "jiayuguan_smelter")
    ds = inputs(
        micro(
            2,
            buses={"a": {}, "b": {}},
            lines={"ab": {"bus0": "a", "bus1": "b", "p_max_mw": 10}},
            thermal={
                "c": {"bus": "a", "fuel": "coal", "p_unit_mw": 600, "heat_rate_gce_per_kwh": 300}
            },
            loads={"city": {"bus": "a", "p_mw": 500}, "mill": {"bus": "b", "p_mw": 50}},
        )
    )
    assert default_bus(ds) == ("b", "mill")  # the city is bigger, but not industrial


def test_profile_syntax():
    s = parse_profile_spec(
        "aluminium_smelter:capacity_t_per_yr=200000,kwh_per_t=1.3e4,name=al_b,flex_band=0.1,window_h=12"
    )
    assert (s.kind, s.source, s.name, s.flex_band, s.window_h) == (
        "library",
        "aluminium_smelter",
        "al_b",
        0.1,
        12,
    )
    assert s.params == {"capacity_t_per_yr": 200000, "kwh_per_t": 13000.0}
    s = parse_profile_spec("steel_works:crude_steel_t_per_yr=1e6,mill_day_hours=[8,20],bus=jq_750")
    assert s.params["mill_day_hours"] == [8, 20] and s.bus == "jq_750"
    s = parse_profile_spec("data/investor load.xlsx:sheet=Load,unit=kW")
    assert (s.kind, s.source, s.name, s.params) == (
        "file",
        "data/investor load.xlsx",
        "investor_load",
        {"sheet": "Load", "unit": "kW"},
    )
    for bad, words in [
        ("smelter:capacity_t_per_yr=1", ["unknown library profile", "aluminium_smelter", "flat"]),
        (
            "aluminium_smelter:capacity=200000",
            ["unknown parameter", "'capacity'", "capacity_t_per_yr", "flex_band"],
        ),
        (
            "aluminium_smelter:capacity_t_per_yr",
            ["not key=value", "e.g. aluminium_smelter:capacity_t_per_yr=200000"],
        ),
        (
            "aluminium_smelter",
            ["missing parameter", "capacity_t_per_yr", "Production capacity [t/yr]"],
        ),
        ("aluminium_smelter:capacity_t_per_yr=-5", ["capacity_t_per_yr", "greater than 0"]),
        ("flat:p_mw=100,flex_band=1.5", ["flex_band must be"]),
        ("flat:p_mw=100,window_h=0", ["window_h must be"]),
        ("flat:p_mw=100,name=a b", ["tenant name"]),
        ("load.csv:scale=-1", ["scale must be"]),
        (
            "load.csv:column=p,sheet=x,colour=red",
            ["unknown parameter", "column, unit, sheet, repeat, scale"],
        ),
    ]:
        with pytest.raises(InputError) as exc:
            parse_profile_spec(bad)
        msg = str(exc.value)
        assert "\n" not in msg, msg
        for w in words:
            assert w in msg, (bad, msg)


def test_tenant_checks_bus_and_profile():
    ds = inputs(
        micro(
            2,
            loads={"l": {"bus": "a", "p_mw": 1}},
            ties={
                "g": {
                    "bus": "a",
                    "import_max_mw": 10,
                    "export_max_mw": 0,
                    "import_price_cny_per_mwh": 1,
                    "export_price_cny_per_mwh": 0,
                }
            },
        )
    )
    with pytest.raises(InputError, match="unknown bus.*use one of: a"):
        evaluate(ds, [Tenant("t", "zz", np.ones(2))])
    with pytest.raises(InputError, match="profile has 3 values"):
        evaluate(ds, [Tenant("t", "a", np.ones(3))])
    with pytest.raises(InputError, match="no energy"):
        evaluate(ds, [Tenant("t", "a", np.zeros(2))])
    with pytest.raises(InputError, match="same name"):
        evaluate(ds, [Tenant("t", "a", np.ones(2)), Tenant("t", "a", np.ones(2))])


def test_frame_has_the_stable_keys_and_translates():
    ds = inputs(micro(2, thermal={"c": coal("a", 100, 300)}, loads={"l": {"bus": "a", "p_mw": 10}}))
    study = evaluate(ds, [Tenant("t", "a", np.full(2, 5.0))])
    assert set(STABLE_KEYS) <= set(study.to_dict()["tenants"][0])
    df = tenant_frame(study)
    assert list(df["name"]) == ["t"]
    assert [c for c in df.columns if c.startswith("short_run_incremental_cost_band_")] == [
        f"short_run_incremental_cost_band_{b * 100:g}pct_cny_per_mwh" for b in FLEX_BANDS
    ]
    zh = tenant_frame(study, lang="zh")
    assert "短期增量电价(含输配电价和基金) [元/kWh]" in zh.columns and "绿电占比 [%]" in zh.columns
    data = study.to_dict()
    data["tenants"][0].update(green_share=0.42, flex_band=0.1)
    en = tenant_frame(data, lang="en")  # a column labelled in % holds %, not the fraction
    assert en["green share [%]"].iloc[0] == pytest.approx(42.0) and en["band [%]"].iloc[
        0
    ] == pytest.approx(10.0)
    assert "短期增量成本" in format_table(study, "zh")
