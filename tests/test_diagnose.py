"""An infeasible or unbounded model names what is at fault: the assets, hours, values and
scenario fields of an irreducible infeasible subset, or of the variables that earn money
without limit. The model's slacks (unserved energy, dumped excess) keep the energy balance
feasible, so conflicts come from an asset's own limits; one micro scenario per kind."""

from __future__ import annotations

import pyomo.environ as pyo
import pytest
import yaml

from gridopt.diagnose import MAX_CAUSES, _lines
from gridopt.errors import SolveError
from gridopt.inputs import load_inputs
from gridopt.model.core import Explained
from gridopt.run import run_scenario, solve_inputs
from gridopt.solve import solve
from tests.conftest import micro


def coal(bus: str, p_mw: float, **kw) -> dict:
    return {"bus": bus, "fuel": "coal", "p_unit_mw": p_mw, "heat_rate_gce_per_kwh": 300, **kw}


def _error(tmp_path, data: dict, **kw) -> str:
    path = tmp_path / "s.yaml"
    path.write_text(yaml.safe_dump(data))
    with pytest.raises(SolveError) as exc:
        run_scenario(path, tmp_path / "out", **kw)
    assert not (tmp_path / "out" / "summary.json").exists()  # nothing written
    return str(exc.value)


def test_must_run_against_ramp_and_outage(tmp_path):
    """Coal cluster of 1000 MW, out of service in hour 0 (availability 0), must run 500 MW in
    hour 1, ramping up at most 0.2 x 1000 = 200 MW/h: from 0 MW it reaches 200 MW, not 500.
    The conflict is these three limits and nothing else."""
    msg = _error(
        tmp_path,
        micro(
            4,
            thermal={
                "c": coal(
                    "a",
                    1000,
                    availability=[0, 1, 1, 1],
                    must_run_mw=[0, 500, 0, 0],
                    ramp_up_fraction_per_h=0.2,
                )
            },
            loads={"l": {"bus": "a", "p_mw": 100}},
        ),
    )
    lines = [x.strip() for x in msg.splitlines() if x.startswith("  - ")]
    assert lines == [
        "- thermal.c at 2025-03-20 00:00: output <= 0 MW available "
        "(n_units x p_unit_mw x availability)",
        "- thermal.c at 2025-03-20 01:00: output >= 500 MW (must_run_mw)",
        "- thermal.c at 2025-03-20 01:00: output may rise at most 200 MW from the hour before "
        "(ramp_up_fraction_per_h x n_units x p_unit_mw)",
    ], msg
    assert msg.startswith(f"{tmp_path / 's.yaml'}: micro: no dispatch meets every limit")
    assert "no results written" in msg


def test_cyclic_store_cannot_make_up_its_standing_loss(tmp_path):
    """Store of 100 MWh starting half full (50 MWh) and ending where it started (cyclic),
    losing 10 % of its content per hour, charging at most 1 MW at efficiency 1. Over 2 hours
    it holds at most 0.9 x (0.9 x 50 + 1) + 1 = 42.4 MWh < 50: infeasible. The message names
    the charging limit, the end-state bound and the energy balance (standing loss)."""
    msg = _error(
        tmp_path,
        micro(
            2,
            storage={
                "s": {
                    "bus": "a",
                    "p_charge_max_mw": 1,
                    "e_max_mwh": 100,
                    "eff_charge": 1,
                    "eff_discharge": 1,
                    "standing_loss_per_h": 0.1,
                }
            },
            thermal={"c": coal("a", 200)},
            loads={"l": {"bus": "a", "p_mw": 100}},
        ),
    )
    assert "storage.s in 2 hours (2025-03-20 00:00 to 2025-03-20 01:00): charging <= 1 MW" in msg
    assert "storage.s at 2025-03-20 01:00: stored energy >= 50 MWh" in msg
    assert "(1 - standing_loss_per_h) x the hour before" in msg
    assert "thermal" not in msg and "bus" not in msg  # the rest of the grid is not at fault


def test_flexible_load_profile_steeper_than_its_ramp(tmp_path):
    """Flexible load with no band (it must follow its nominal 100, 300, 100 MW) and a ramp
    limit of 0.1 x peak 300 = 30 MW/h: the step of 200 MW breaks it."""
    msg = _error(
        tmp_path,
        micro(
            3,
            thermal={"c": coal("a", 500)},
            flexible_loads={
                "f": {
                    "bus": "a",
                    "p_nominal_mw": [100, 300, 100],
                    "band_down_fraction": 0,
                    "band_up_fraction": 0,
                    "ramp_fraction_per_h": 0.1,
                    "window_h": 3,
                }
            },
        ),
    )
    assert "flexible_loads.f at 2025-03-20 00:00: consumption <= 100 MW" in msg
    assert "(1 + band_up_fraction) x p_nominal_mw" in msg
    assert "flexible_loads.f at 2025-03-20 01:00: consumption >= 300 MW" in msg
    assert "consumption may rise at most 30 MW from the hour before (ramp_fraction_per_h" in msg


def test_unlimited_import_at_a_negative_price(tmp_path):
    """A tie importing without limit at -50,000 CNY/MWh, dearer to refuse than the 10,000
    CNY/MWh excess penalty to dump: every MWh imported and dumped earns 40,000 CNY, so the
    cost falls without limit. (The schema may refuse an infinite limit; the input Dataset is
    edited directly, as a sweep or an API user could.) The message names the tie, the field
    and its value, and the price (HiGHS's ray grows the import of one hour)."""
    data = micro(
        3,
        ties={
            "t": {
                "bus": "a",
                "import_max_mw": 100,
                "export_max_mw": 0,
                "import_price_cny_per_mwh": -50000,
                "export_price_cny_per_mwh": -60000,
            }
        },
        loads={"l": {"bus": "a", "p_mw": 10}},
    )
    path = tmp_path / "s.yaml"
    path.write_text(yaml.safe_dump(data))
    _, ds = load_inputs(path)
    ds["tie_import_max_mw"][:] = float("inf")
    with pytest.raises(SolveError) as exc:
        solve_inputs(ds)
    msg = str(exc.value)
    assert "the cost can fall without limit" in msg
    assert "ties.t at 2025-03-20 00:00: import <= inf MW (import_max_mw), at -50000 CNY/MWh" in msg
    assert "bus" not in msg  # the excess slack that absorbs it costs money: not a cause


def test_without_an_explanation_the_components_are_named():
    """A plain Pyomo model: x <= 3 (bound) and x >= 5 (row) conflict; the message names the
    Pyomo components and the bound values."""
    m = pyo.ConcreteModel()
    m.x = pyo.Var(bounds=(0, 3))
    m.floor = pyo.Constraint(expr=m.x >= 5)
    m.obj = pyo.Objective(expr=m.x)
    with pytest.raises(SolveError) as exc:
        solve(m, name="tiny")
    msg = str(exc.value)
    assert "x[0]: upper bound 3" in msg and "floor[0]: lower bound 5" in msg


def test_causes_are_grouped_over_hours_and_capped():
    """The same limit of the same asset in several hours is one line with the hour count and
    range; bounds no field sets (empty text) are left out; past MAX_CAUSES lines the rest is
    counted: 30 assets -> MAX_CAUSES - 1 lines and '... and 19 more' (MAX_CAUSES = 12)."""
    same = [
        ("thermal_p", Explained("thermal.c", f"2025-01-01 0{h}:00", "output >= 5 MW"))
        for h in (3, 1, 2)
    ]
    internal = [("storage_discharge", Explained("storage.s", "2025-01-01 00:00", ""))]
    assert _lines(same + internal) == (
        "  - thermal.c in 3 hours (2025-01-01 01:00 to 2025-01-01 03:00): output >= 5 MW"
    )
    many = [("thermal_p", Explained(f"thermal.g{i}", "", "output >= 5 MW")) for i in range(30)]
    lines = _lines(many).splitlines()
    assert MAX_CAUSES == 12 and len(lines) == MAX_CAUSES
    assert lines[0] == "  - thermal.g0: output >= 5 MW"
    assert lines[-1] == "  - … and 19 more"
