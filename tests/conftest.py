"""Shared helpers: write a scenario dict to YAML and solve it; build micro-network sections."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from gridopt.run import run_scenario

ROOT = Path(__file__).resolve().parents[1]
DEMO = ROOT / "scenarios" / "demo_small.yaml"


@pytest.fixture
def solve_dict(tmp_path):
    """Write ``data`` as a scenario file and solve it; returns the results Dataset."""

    def _solve(data: dict, name: str = "micro.yaml"):
        path = tmp_path / name
        path.write_text(yaml.safe_dump(data))
        return run_scenario(path).results

    return _solve


def micro(hours: int, **sections) -> dict:
    """A scenario dict with defaults for the sections a micro network leaves out."""
    base = {
        "name": "micro",
        "time": {"start": "2025-03-20 00:00", "hours": hours},
        "settings": {"voll_cny_per_mwh": 10000, "excess_penalty_cny_per_mwh": 10000},
        "fuels": {"coal": {"price_cny_per_t": 550, "heat_value_kcal_per_kg": 5500}},
        "buses": {"a": {}},
    }
    base.update(sections)
    return base


def coal(bus: str, p_mw: float, heat_rate: float, **kw) -> dict:
    """A one-unit coal cluster of ``p_mw`` [MW] at ``bus``; with the micro fuel (550 CNY/t at
    5,500 kcal/kg = 700 CNY/tce) its fuel cost is 0.7 x ``heat_rate`` [gce/kWh] CNY/MWh."""
    return {"bus": bus, "fuel": "coal", "p_unit_mw": p_mw, "heat_rate_gce_per_kwh": heat_rate, **kw}


def tie(bus: str, imp, exp, imax=1000, emax=0) -> dict:
    """A tie at ``bus`` importing up to ``imax`` [MW] at ``imp`` and exporting up to ``emax``
    [MW] at ``exp`` (prices in CNY/MWh, a number or one per hour)."""
    return {
        "bus": bus,
        "import_max_mw": imax,
        "export_max_mw": emax,
        "import_price_cny_per_mwh": imp,
        "export_price_cny_per_mwh": exp,
    }
