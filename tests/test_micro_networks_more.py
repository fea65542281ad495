"""More hand-solved micro networks (2-3 buses, 1-4 hours): DC power flow around a loop, ramp
limits, storage standing loss and a free initial state, the interruptible-energy cap, the
flexible-load shift cost, who sets the price, and doubling the horizon.

Fuel as in ``test_micro_networks``: 700 CNY per tonne of standard coal, so heat rate 300 gce/kWh
-> 210 CNY/MWh and 400 -> 280. Excess and unserved energy cost 10,000 CNY/MWh.

Every case is non-degenerate, so the duals (prices) are unique: at the optimum there are as many
variables strictly between their bounds (plus slacks of inactive rows) as there are rows, and
every other variable sits at a bound with a reduced cost of strict sign. Each docstring names
the interior variables that make this so. Prices are checked to 1e-6 CNY/MWh.
"""

from __future__ import annotations

import numpy as np
import pytest

from gridopt.prices import line_rent
from gridopt.results import cost_breakdown
from tests.conftest import coal, micro, tie

ATOL = 1e-6


def _loop(ac_limit_mw: float) -> dict:
    """Three buses in a loop: lines a->b (x 0.1 pu), b->c (x 0.2 pu), a->c (x 0.1 pu), the
    last limited to ``ac_limit_mw``; cheap coal (210, 300 MW) at a, dear coal (280, 300 MW) at
    c, 200 MW of load at c. Every line has a reactance, so the model uses DC power flow."""
    return micro(
        1,
        buses={"a": {}, "b": {}, "c": {}},
        lines={
            "ab": {"bus0": "a", "bus1": "b", "p_max_mw": 500, "x_pu": 0.1},
            "ac": {"bus0": "a", "bus1": "c", "p_max_mw": ac_limit_mw, "x_pu": 0.1},
            "bc": {"bus0": "b", "bus1": "c", "p_max_mw": 500, "x_pu": 0.2},
        },
        thermal={"cheap": coal("a", 300, 300), "dear": coal("c", 300, 400)},
        loads={"lc": {"bus": "c", "p_mw": 200}},
    )


def test_dc_loop_flows_split_by_reactance(solve_dict):
    """Uncongested loop: 200 MW goes from a to c along two paths, a->c (x = 0.1) and a->b->c
    (x = 0.1 + 0.2 = 0.3). Kirchhoff's voltage law (0.1 f_ab + 0.2 f_bc - 0.1 f_ac = 0, and
    f_ab = f_bc) splits the flow inversely to the path reactances: a->c carries
    0.3/0.4 x 200 = 150 MW, a->b->c 0.1/0.4 x 200 = 50 MW. The cheap unit makes 200 MW
    (interior), the dear one nothing; every price is 210 and the cost 200 x 210 = 42,000 CNY.

    Unique duals: 4 rows (3 balances, 1 KVL) and 4 interior variables (cheap unit, 3 flows).
    """
    r = solve_dict(_loop(500))
    assert r.attrs["power_flow"] == "dc"
    np.testing.assert_allclose(
        r["line_flow_mw"].sel(line=["ab", "bc", "ac"]).isel(time=0), [50, 50, 150], atol=ATOL
    )
    np.testing.assert_allclose(r["price_cny_per_mwh"].isel(time=0), [210, 210, 210], atol=ATOL)
    assert float(r["objective_cny"]) == pytest.approx(42_000, rel=1e-9)


def test_dc_loop_congested_line_prices_the_third_bus(solve_dict):
    """Line a->c limited to 120 MW. The flow on a->c is 3/4 of what a sends, so a sends
    120 / 0.75 = 160 MW (a->b->c carries 40) and the dear unit at c makes 200 - 160 = 40 MW.
    Both units are interior: price a = 210, price c = 280. Cost = 160 x 210 + 40 x 280
    = 33,600 + 11,200 = 44,800 CNY.

    Price at b (no unit there): 1 MW more load at b must leave the a->c flow at its limit.
    With c as reference, 1 MW from a to c puts 3/4 MW on a->c; 1 MW from b to c splits over
    b->c (x 0.2) and b->a->c (x 0.2), 1/2 MW on a->c. So Δa + Δc = 1 and 3/4 Δa - 1/2 = 0:
    Δa = 2/3, Δc = 1/3, price b = 2/3 x 210 + 1/3 x 280 = 233.333... CNY/MWh. (Equivalently
    the a->c limit's shadow price μ satisfies 210 = 280 - 3/4 μ, μ = 93.333..., and
    price b = 280 - 1/2 μ.)

    Congestion rent: loads pay 200 x 280 = 56,000, units are paid 160 x 210 + 40 x 280 =
    44,800, the difference 11,200 = μ x 120 = 93.333... x 120; by line:
    ab 40 x (233.33 - 210) = 933.33, bc 40 x (280 - 233.33) = 1,866.67, ac 120 x 70 = 8,400.

    Unique duals: 4 rows and 4 interior variables (both units, flows a->b and b->c).
    """
    r = solve_dict(_loop(120))
    np.testing.assert_allclose(
        r["line_flow_mw"].sel(line=["ab", "bc", "ac"]).isel(time=0), [40, 40, 120], atol=ATOL
    )
    np.testing.assert_allclose(r["thermal_p_mw"].isel(time=0), [160, 40], atol=ATOL)
    np.testing.assert_allclose(
        r["price_cny_per_mwh"].sel(bus=["a", "b", "c"]).isel(time=0),
        [210, 210 * 2 / 3 + 280 / 3, 280],
        atol=ATOL,
    )
    assert float(r["objective_cny"]) == pytest.approx(44_800, rel=1e-9)
    rent = dict(zip(r.line.values, line_rent(r)))
    assert rent["ab"] == pytest.approx(40 * 70 / 3, rel=1e-9)
    assert rent["bc"] == pytest.approx(40 * 140 / 3, rel=1e-9)
    assert rent["ac"] == pytest.approx(8_400, rel=1e-9)
    assert r["price_setter"].sel(bus="a").item() == "cheap"
    assert r["price_setter"].sel(bus="c").item() == "dear"


def test_dc_loop_third_bus_price_is_set_jointly(solve_dict):
    """In the congested loop above the price at b (233.333... CNY/MWh) is set jointly by both
    units and the a->c limit: no single unit's cost equals it, so the setter must be 'mixed'
    (rule 3 of ``price_setters``), not the cheap unit's name copied over the free line a->b
    (whose end prices, 210 and 233.33, differ)."""
    r = solve_dict(_loop(120))
    assert r["price_setter"].sel(bus="b").item() == "mixed"


def _ramp() -> dict:
    """One bus, 3 hours: coal 100 MW at 210 with ramp-up 30 %/h (30 MW/h), import at 300 (no
    export), load 40, 100, 90 MW."""
    return micro(
        3,
        thermal={"coal": coal("a", 100, 300, ramp_up_fraction_per_h=0.3)},
        ties={"grid": tie("a", 300, 0)},
        loads={"l": {"bus": "a", "p_mw": [40, 100, 90]}},
    )


def test_thermal_ramp_limit(solve_dict):
    """Coal can rise 30 MW per hour. h0: coal 40 (it cannot go higher: nothing else takes the
    power); h1: coal 40 + 30 = 70 (ramp binds), import 30; h2: coal 90 (ramp 20 < 30).
    Cost = 210 x (40 + 70 + 90) + 300 x 30 = 42,000 + 9,000 = 51,000 CNY (48,300 unlimited).

    Prices: h1 = 300 (import interior), h2 = 210 (coal interior, ramp h1->h2 slack). h0: one
    more MW of load is met by coal, which lets coal in h1 rise by one MW more and replace a MW
    of import: 210 + 210 - 300 = 120 CNY/MWh (the ramp's shadow price is 300 - 210 = 90).

    Unique duals: 5 rows (3 balances, 2 ramps) and 5 basic values strictly inside their bounds
    (coal in each hour, import in h1, the slack of the h1->h2 ramp).
    """
    r = solve_dict(_ramp())
    np.testing.assert_allclose(r["thermal_p_mw"].sel(thermal="coal"), [40, 70, 90], atol=ATOL)
    np.testing.assert_allclose(r["tie_import_mw"].sel(tie="grid"), [0, 30, 0], atol=ATOL)
    np.testing.assert_allclose(r["price_cny_per_mwh"].sel(bus="a"), [120, 300, 210], atol=ATOL)
    assert float(r["objective_cny"]) == pytest.approx(51_000, rel=1e-9)


def test_price_set_by_a_ramp_limit_is_mixed(solve_dict):
    """In the ramp case above the h0 price, 120 CNY/MWh, is no single asset's cost: the coal
    unit is interior but costs 210, the import is at zero. It is set jointly by the unit, its
    ramp limit and the h1 import, so the setter is 'mixed'; h1 is set by the import, h2 by the
    coal unit."""
    r = solve_dict(_ramp())
    assert list(r["price_setter"].sel(bus="a").values) == ["mixed", "import", "coal"]


def test_flexible_load_ramp_limits_the_shift(solve_dict):
    """Potline 100 MW nominal, band -20 %/+10 %, energy over the 2-h window kept (200 MWh),
    ramp 10 %/h of its 100 MW peak = 10 MW/h; import at 100 then 300 CNY/MWh.

    Without the ramp it would run 110, 90 (38,000 CNY, see test_micro_networks). With it,
    p0 - p1 <= 10 and p0 + p1 = 200 give 105, 95 (both inside the band).
    Cost = 105 x 100 + 95 x 300 = 10,500 + 28,500 = 39,000 CNY. Prices 100, 300.

    Unique duals: 4 rows (2 balances, the energy window, 1 ramp) and 4 interior variables
    (the potline and the import in both hours).
    """
    r = solve_dict(
        micro(
            2,
            ties={"grid": tie("a", [100, 300], [0, 0])},
            flexible_loads={
                "al": {
                    "bus": "a",
                    "p_nominal_mw": 100,
                    "band_down_fraction": 0.2,
                    "band_up_fraction": 0.1,
                    "window_h": 2,
                    "ramp_fraction_per_h": 0.1,
                }
            },
        )
    )
    np.testing.assert_allclose(r["flex_p_mw"].sel(flex="al"), [105, 95], atol=ATOL)
    np.testing.assert_allclose(r["price_cny_per_mwh"].sel(bus="a"), [100, 300], atol=ATOL)
    assert float(r["objective_cny"]) == pytest.approx(39_000, rel=1e-9)


def _battery(**kw) -> dict:
    return {"bus": "a", "p_charge_max_mw": 10, "e_max_mwh": 100, **kw}


def test_storage_standing_loss(solve_dict):
    """Import at 100 then 300 CNY/MWh, 50 MW load; battery 10 MW / 100 MWh, charging
    efficiency 0.9, discharging 1.0, standing loss 20 %/h, starting empty and (cyclic) ending
    empty.

    h0: charge 10 MW -> 9 MWh stored. h1: 20 % of it is lost -> 7.2 MWh, all discharged:
    7.2 MW (worth it: 0.9 x 0.8 x 300 = 216 > 100). Without the standing loss it would be 9 MW.
    Imports 60, 42.8 MW; cost = 60 x 100 + 42.8 x 300 = 6,000 + 12,840 = 18,840 CNY.
    Prices 100, 300.

    Unique duals: 4 rows (2 balances, 2 storage balances) and 4 interior variables (import in
    both hours, the h1 discharge 7.2 < 10, the h0 state 9 < 100); the h0 charge is at its
    10 MW limit and the end state fixed at 0.
    """
    r = solve_dict(
        micro(
            2,
            ties={"grid": tie("a", [100, 300], [0, 0])},
            storage={
                "bat": _battery(
                    eff_charge=0.9,
                    eff_discharge=1.0,
                    standing_loss_per_h=0.2,
                    soc_initial_fraction=0.0,
                )
            },
            loads={"l": {"bus": "a", "p_mw": 50}},
        )
    )
    np.testing.assert_allclose(r["storage_charge_mw"].sel(storage="bat"), [10, 0], atol=ATOL)
    np.testing.assert_allclose(r["storage_discharge_mw"].sel(storage="bat"), [0, 7.2], atol=ATOL)
    np.testing.assert_allclose(r["storage_soc_mwh"].sel(storage="bat"), [9, 0], atol=ATOL)
    np.testing.assert_allclose(r["tie_import_mw"].sel(tie="grid"), [60, 42.8], atol=ATOL)
    np.testing.assert_allclose(r["price_cny_per_mwh"].sel(bus="a"), [100, 300], atol=ATOL)
    assert float(r["objective_cny"]) == pytest.approx(18_840, rel=1e-9)


def _free_state(soc_initial_fraction) -> dict:
    """Import at 100 then 300, 50 MW load; battery 20 MW / 10 MWh, charging efficiency 1.0,
    discharging 0.9, cyclic, with the given initial state of charge."""
    return micro(
        2,
        ties={"grid": tie("a", [100, 300], [0, 0])},
        storage={
            "bat": _battery(
                p_charge_max_mw=20,
                e_max_mwh=10,
                eff_charge=1.0,
                eff_discharge=0.9,
                soc_initial_fraction=soc_initial_fraction,
            )
        },
        loads={"l": {"bus": "a", "p_mw": 50}},
    )


def test_free_initial_state_of_charge(solve_dict):
    """``soc_initial_fraction: null``: the state before h0 equals the state at the end of h1
    (cyclic) at a level the optimiser chooses. It starts (and ends) empty: h0 charges 10 MW to
    fill the 10 MWh, h1 discharges 10 x 0.9 = 9 MW (0.9 x 300 = 270 > 100). Imports 60, 41 MW;
    cost = 6,000 + 12,300 = 18,300 CNY; prices 100, 300.

    With the state fixed at 50 % (5 MWh, cyclic) only 5 MWh fit: charge 5, discharge 4.5,
    imports 55, 45.5 MW, cost = 5,500 + 13,650 = 19,150 CNY.

    Unique duals, both cases: 4 rows (2 balances, 2 storage balances) and 4 interior
    variables (import in both hours, the h0 charge < 20 MW and the h1 discharge < 20 MW); the
    states sit at their bounds (free: 10 and 0; fixed: 10 and the end state 5).
    """
    free = solve_dict(_free_state(None))
    np.testing.assert_allclose(free["storage_soc_mwh"].sel(storage="bat"), [10, 0], atol=ATOL)
    np.testing.assert_allclose(free["storage_charge_mw"].sel(storage="bat"), [10, 0], atol=ATOL)
    np.testing.assert_allclose(free["storage_discharge_mw"].sel(storage="bat"), [0, 9], atol=ATOL)
    np.testing.assert_allclose(free["price_cny_per_mwh"].sel(bus="a"), [100, 300], atol=ATOL)
    assert float(free["objective_cny"]) == pytest.approx(18_300, rel=1e-9)

    fixed = solve_dict(_free_state(0.5), name="fixed.yaml")
    np.testing.assert_allclose(fixed["storage_soc_mwh"].sel(storage="bat"), [10, 5], atol=ATOL)
    np.testing.assert_allclose(
        fixed["storage_discharge_mw"].sel(storage="bat"), [0, 4.5], atol=ATOL
    )
    assert float(fixed["objective_cny"]) == pytest.approx(19_150, rel=1e-9)


def _interruptible(cap_mwh: float) -> dict:
    """One bus, 2 hours: coal 100 MW at 210, import at 400 then 600 (no export), fixed load
    150 MW, interruptible load 30 MW each hour paid 300 CNY/MWh, at most ``cap_mwh`` over the
    horizon."""
    return micro(
        2,
        thermal={"coal": coal("a", 100, 300)},
        ties={"grid": tie("a", [400, 600], [0, 0])},
        loads={"l": {"bus": "a", "p_mw": 150}},
        interruptible_loads={
            "i": {"bus": "a", "p_mw": 30, "cost_cny_per_mwh": 300, "max_energy_mwh": cap_mwh}
        },
    )


def test_interruptible_energy_cap_binds(solve_dict):
    """Interrupting saves 400 - 300 = 100 CNY/MWh in h0 and 600 - 300 = 300 in h1; the 20 MWh
    cap goes to h1: interrupted 0, 20 MW. Coal runs flat out (210 < 400); imports
    180 - 100 = 80 and 180 - 100 - 20 = 60 MW. Cost = 2 x 100 x 210 + 80 x 400 + 60 x 600
    + 20 x 300 = 42,000 + 32,000 + 36,000 + 6,000 = 116,000 CNY. Prices 400, 600 (imports).

    The cap is worth 600 - 300 = 300 CNY per MWh (its shadow price): with 21 MWh the cost is
    115,700 CNY.

    Unique duals: 3 rows (2 balances, the cap) and 3 interior variables (import in both hours,
    the h1 interruption 20 < 30).
    """
    r = solve_dict(_interruptible(20))
    np.testing.assert_allclose(r["intr_interrupted_mw"].sel(intr="i"), [0, 20], atol=ATOL)
    np.testing.assert_allclose(r["tie_import_mw"].sel(tie="grid"), [80, 60], atol=ATOL)
    np.testing.assert_allclose(r["price_cny_per_mwh"].sel(bus="a"), [400, 600], atol=ATOL)
    assert float(r["objective_cny"]) == pytest.approx(116_000, rel=1e-9)
    assert cost_breakdown(r)["interruption"] == pytest.approx(6_000, rel=1e-9)

    r21 = solve_dict(_interruptible(21), name="cap21.yaml")
    assert float(r21["objective_cny"]) == pytest.approx(115_700, rel=1e-9)


def _potline(shift_cost: float) -> dict:
    return micro(
        2,
        ties={"grid": tie("a", [100, 300], [0, 0])},
        flexible_loads={
            "al": {
                "bus": "a",
                "p_nominal_mw": 100,
                "band_down_fraction": 0.2,
                "band_up_fraction": 0.1,
                "window_h": 2,
                "shift_cost_cny_per_mwh": shift_cost,
            }
        },
    )


def test_flexible_load_shift_cost(solve_dict):
    """Potline 100 MW nominal, band -20 %/+10 %, 2-h window; import at 100 then 300.
    Moving a MWh from h1 to h0 saves 200 CNY and costs the shift cost k on the MWh run below
    nominal in h1.

    k = 150 < 200: it still shifts to its +10 % limit: 110, 90; 10 MWh below nominal.
    Cost = 110 x 100 + 90 x 300 + 10 x 150 = 11,000 + 27,000 + 1,500 = 39,500 CNY.
    Unique duals: 5 rows (2 balances, the window, 2 deficit rows) and 5 basic values inside
    their bounds (import in both hours, p1 = 90, the h1 deficit 10 < 20, the slack 10 of the
    h0 deficit row); p0 sits at its 110 MW limit.

    k = 250 > 200: it stays flat, 100, 100; cost 40,000 CNY. (Here the deficit rows are
    degenerate, but the prices 100, 300 are still unique: the import is interior each hour.)
    """
    r = solve_dict(_potline(150))
    np.testing.assert_allclose(r["flex_p_mw"].sel(flex="al"), [110, 90], atol=ATOL)
    np.testing.assert_allclose(r["price_cny_per_mwh"].sel(bus="a"), [100, 300], atol=ATOL)
    assert float(r["objective_cny"]) == pytest.approx(39_500, rel=1e-9)
    assert cost_breakdown(r)["flexible_load_shift"] == pytest.approx(1_500, rel=1e-9)

    flat = solve_dict(_potline(250), name="flat.yaml")
    np.testing.assert_allclose(flat["flex_p_mw"].sel(flex="al"), [100, 100], atol=ATOL)
    np.testing.assert_allclose(flat["price_cny_per_mwh"].sel(bus="a"), [100, 300], atol=ATOL)
    assert float(flat["objective_cny"]) == pytest.approx(40_000, rel=1e-9)


def test_setter_passed_across_buses_along_uncongested_lines(solve_dict):
    """Chain a - b - c (transport model, lossless): cheap coal (210, 300 MW) at a, an idle dear
    unit (280, 100 MW) at c, load 100 MW at b and 50 MW at c. Lines are listed c-side first
    (``l1_bc`` before ``l2_ab``), so c learns its setter only on a second pass.

    Cheap makes 150 (interior); l2_ab carries 150, l1_bc 50, both below 500: one price zone at
    210 CNY/MWh, set by the cheap unit at every bus (the dear unit is at zero, not marginal).
    Cost = 150 x 210 = 31,500 CNY.

    Unique duals: 3 balances and 3 interior variables (the cheap unit, both flows).
    """
    r = solve_dict(
        micro(
            1,
            buses={"a": {}, "b": {}, "c": {}},
            lines={
                "l1_bc": {"bus0": "b", "bus1": "c", "p_max_mw": 500},
                "l2_ab": {"bus0": "a", "bus1": "b", "p_max_mw": 500},
            },
            thermal={"cheap": coal("a", 300, 300), "dear": coal("c", 100, 400)},
            loads={"lb": {"bus": "b", "p_mw": 100}, "lc": {"bus": "c", "p_mw": 50}},
        )
    )
    assert r.attrs["power_flow"] == "transport"
    assert list(r.line.values) == ["l1_bc", "l2_ab"]
    np.testing.assert_allclose(r["line_flow_mw"].isel(time=0), [50, 150], atol=ATOL)
    np.testing.assert_allclose(r["price_cny_per_mwh"].isel(time=0), [210, 210, 210], atol=ATOL)
    assert float(r["objective_cny"]) == pytest.approx(31_500, rel=1e-9)
    assert list(r["price_setter"].isel(time=0).values) == ["cheap", "cheap", "cheap"]


def _days(n: int) -> dict:
    """``n`` copies of one 4-hour day on two buses: coal at a (200 MW at 210, minimum stable
    50 %, start-up 50 CNY/MW: cyclic commitment), a potline at a (50 MW, 4-h window, shift cost
    20), a tie at a (import up to 200 MW at 250/300/400/350, export up to 50 at 50/60/80/70),
    loads 100/150/180/120 MW at a and 60/100/120/80 at b, wind 150 MW at b
    (0.9/0.6/0.1/0.3), a 30 MW / 60 MWh battery at b with a free (cyclic) initial state, an
    interruptible 20 MW at b (500 CNY/MWh, no cap), and line a-b of 80 MW (transport)."""

    def rep(day: list[float]) -> list[float]:
        return day * n

    return micro(
        4 * n,
        buses={"a": {}, "b": {}},
        lines={"ab": {"bus0": "a", "bus1": "b", "p_max_mw": 80}},
        thermal={"coal": coal("a", 200, 300, min_stable_fraction=0.5, startup_cost_cny_per_mw=50)},
        renewables={
            "wind": {
                "bus": "b",
                "carrier": "wind",
                "p_nom_mw": 150,
                "availability": rep([0.9, 0.6, 0.1, 0.3]),
            }
        },
        storage={
            "bat": {
                "bus": "b",
                "p_charge_max_mw": 30,
                "e_max_mwh": 60,
                "eff_charge": 0.9,
                "eff_discharge": 0.9,
                "soc_initial_fraction": None,
            }
        },
        ties={
            "grid": tie("a", rep([250, 300, 400, 350]), rep([50, 60, 80, 70]), imax=200, emax=50)
        },
        loads={
            "la": {"bus": "a", "p_mw": rep([100, 150, 180, 120])},
            "lb": {"bus": "b", "p_mw": rep([60, 100, 120, 80])},
        },
        flexible_loads={
            "al": {
                "bus": "a",
                "p_nominal_mw": 50,
                "window_h": 4,
                "shift_cost_cny_per_mwh": 20,
            }
        },
        interruptible_loads={"i": {"bus": "b", "p_mw": 20, "cost_cny_per_mwh": 500}},
    )


def test_doubling_the_horizon_doubles_the_cost_and_repeats_the_prices(solve_dict):
    """Time-step invariance as far as it can be tested today (every hour has weight 1; there is
    no step length): the same day twice, as one cyclic 2-day horizon, costs exactly twice the
    day and has the day's prices twice.

    Why exactly twice: repeating the day's optimum is feasible for two days (<=); and every
    intertemporal constraint used here wraps around (storage with a free initial state, the
    commitment of the coal unit, potline windows that divide the day), so averaging a 2-day
    optimum with its shift by one day gives a day-periodic solution of the same cost, which is
    feasible for one day (>=). (Ramp limits do not wrap around, so they are left out.)

    The prices are unique, so they must repeat: at bus a the coal unit is interior in h0 (130
    of 100..200 MW committed, its commitment rows slack) and the import in h1-h3 (42, 100, 25
    of 200 MW), so a's prices are 210, 300, 400, 350; line a-b is below its limit in h0, h1
    and h3, which ties b's price to a's, and at its limit in h2, where the interruptible load
    is interior (15 of 20 MW): 500. Complementary slackness pins these for every optimal dual.
    """
    one = solve_dict(_days(1), name="one_day.yaml")
    two = solve_dict(_days(2), name="two_days.yaml")
    day_prices = np.array([[210, 300, 400, 350], [210, 300, 500, 350]])  # bus a, bus b
    np.testing.assert_allclose(one["price_cny_per_mwh"].values.T, day_prices, atol=ATOL)
    np.testing.assert_allclose(two["price_cny_per_mwh"].values.T, np.tile(day_prices, 2), atol=ATOL)
    assert float(two["objective_cny"]) == pytest.approx(2 * float(one["objective_cny"]), rel=1e-9)
    # the case is not trivial: commitment, storage, potline and interruption all act
    assert float(one["thermal_p_mw"].min()) < 200 - 1
    assert float(one["storage_discharge_mw"].max()) > 1
    assert float(np.ptp(one["flex_p_mw"].values)) > 1
    assert float(one["intr_interrupted_mw"].max()) > 1
