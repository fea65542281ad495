"""Long-run equilibrium of a plan on a random network with every grid family expandable.

Two buses joined by a candidate line (no capacity yet), random loads at both, a wind farm at
``a`` and a PV plant at ``b`` with random availability, a battery at ``b`` (power and energy
sized separately), a thermal cluster at ``a`` — all with no existing capacity and no upper
bound — and a dear backstop import at ``a`` (2,000 CNY/MWh). Discount rate 0, one-year life, no
fixed O&M: each asset's annual cost is its investment, pro-rated to the 12 hours.

Theory (the LP's duality): an asset whose capacity ends strictly inside its bounds earns from
the market (bus price x its net output, or a line's congestion rent) exactly its capacity's
cost plus its operating cost; and with every capital new and no rent left to the backstop,
the load-weighted marginal price equals the cost-recovery price. With seed 1 all five
families end inside their bounds; the test checks the summary's revenue adequacy (recovery
ratio 1 for each) and the two prices (to 1e-9). A model that priced new capacity wrongly
(share, unit, a limit on existing capacity only) breaks the ratios.
"""

from __future__ import annotations

import numpy as np
import pytest
import yaml

from gridopt.run import run_scenario
from tests.conftest import micro, tie

T = 12


def econ(per_kw: float, per_kwh: float | None = None) -> dict:
    e = {"capex_cny_per_kw": per_kw, "fixed_om_fraction_per_yr": 0.0, "lifetime_yr": 1}
    if per_kwh is not None:
        e["capex_cny_per_kwh"] = per_kwh
    return e


def network(seed: int) -> dict:
    rng = np.random.default_rng(seed)
    solar = np.clip(np.sin(np.linspace(0, np.pi, T)) * rng.uniform(0.7, 1.0), 0, 1).round(3)
    new = {"new_max_mw": None}
    data = micro(
        T,
        buses={"a": {}, "b": {}},
        loads={
            "la": {"bus": "a", "p_mw": rng.uniform(50, 150, T).round(1).tolist()},
            "lb": {"bus": "b", "p_mw": rng.uniform(80, 200, T).round(1).tolist()},
        },
        lines={"ab": {"bus0": "a", "bus1": "b", "p_max_mw": 0, **new, "economics": econ(150)}},
        renewables={
            "wind": {
                "bus": "a",
                "carrier": "wind",
                "p_nom_mw": 0,
                "availability": rng.uniform(0.1, 0.9, T).round(3).tolist(),
                **new,
                "economics": econ(400),
            },
            "pv": {
                "bus": "b",
                "carrier": "solar",
                "p_nom_mw": 0,
                "availability": solar.tolist(),
                **new,
                "economics": econ(250),
            },
        },
        storage={
            "bat": {
                "bus": "b",
                "p_charge_max_mw": 0,
                "e_max_mwh": 0,
                **new,
                "new_max_mwh": None,
                "soc_initial_fraction": None,
                "economics": econ(60, 40),
            }
        },
        thermal={
            "gas": {
                "bus": "a",
                "fuel": "coal",
                "n_units": 0,
                "p_unit_mw": 100,
                "heat_rate_gce_per_kwh": 300,
                **new,
                "economics": econ(60),
            }
        },
        ties={"grid": tie("a", 2000, 0, imax=1000)},
    )
    data["settings"]["discount_rate"] = 0.0
    return data


def test_every_interior_asset_earns_its_cost_and_prices_meet(tmp_path):
    path = tmp_path / "random.yaml"
    path.write_text(yaml.safe_dump(network(1)))
    out = run_scenario(path, plan=True, baseline=False)
    s = out.summary
    built = s["plan"]["built"]
    for key in ("gas.p_nom_mw", "wind.p_nom_mw", "pv.p_nom_mw", "bat.p_charge_max_mw"):
        assert built[key]["new"] > 1.0, key  # strictly inside [0, no limit)
    assert built["bat.e_max_mwh"]["new"] > 1.0 and built["ab.p_max_mw"]["new"] > 1.0
    ratios = {a: v["recovery_ratio"] for a, v in s["revenue_adequacy"].items()}
    assert ratios == pytest.approx({"gas": 1, "wind": 1, "pv": 1, "bat": 1, "ab": 1}, rel=1e-9)
    assert float(out.results["tie_import_mw"].max()) < 1000 - 1e-6  # no rent left to the backstop
    assert s["average_marginal_price_cny_per_mwh"] == pytest.approx(
        s["cost_recovery_cny_per_mwh"], rel=1e-9
    )
