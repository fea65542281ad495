"""Shared helpers: write a scenario dict to YAML and solve it."""

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
