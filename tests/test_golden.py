"""Before/after: the bundled scenarios give the results they gave before the family
declarations (issue 11), so a refactoring or a new family cannot change a figure unnoticed.

The golden files in ``tests/golden/`` were written by ``gridopt run`` at commit 0ad5822 (the
last commit before the declarations took over the scenario schema, the report and the
prices): ``demo_small.summary.json`` and ``demo_small.prices.csv`` (744 h), and
``jiayuguan_jiuquan_2025.summary.json`` (the year, checked by the ``slow`` test). Timings,
peak memory and the scenario path are left out. Numbers must agree to 1e-9 relative (the
objective of demo_small is 187,280,051.0798 CNY; the default year's -5,760,456,557.81 CNY);
everything else exactly.

A change that is meant to move a figure regenerates the golden file in the same commit
(``gridopt run scenarios/demo_small.yaml --out OUT`` and copy ``summary.json`` without those
keys, and ``prices.csv``) and says why.
"""

from __future__ import annotations

import json
import math
from pathlib import Path

import pandas as pd
import pytest

from gridopt.run import run_scenario

ROOT = Path(__file__).resolve().parents[1]
GOLDEN = Path(__file__).parent / "golden"
VOLATILE = ("timings_s", "peak_memory_mb", "scenario_file")
REL = 1e-9


def differences(old, new, path: str = "") -> list[str]:
    """Where ``new`` differs from ``old``: keys added or removed, strings and lists changed,
    numbers beyond :data:`REL` relative (NaN equals NaN)."""
    if isinstance(old, dict) and isinstance(new, dict):
        out = []
        for k in sorted(set(old) | set(new)):
            if k in VOLATILE:
                continue
            if k not in new:
                out.append(f"{path}/{k} removed")
            elif k not in old:
                out.append(f"{path}/{k} added")
            else:
                out += differences(old[k], new[k], f"{path}/{k}")
        return out
    if isinstance(old, list) and isinstance(new, list) and len(old) == len(new):
        return [
            d for i, (a, b) in enumerate(zip(old, new)) for d in differences(a, b, f"{path}[{i}]")
        ]
    if isinstance(old, float | int) and isinstance(new, float | int) and not isinstance(old, bool):
        if (math.isnan(old) and math.isnan(new)) or math.isclose(
            old, new, rel_tol=REL, abs_tol=1e-9
        ):
            return []
        return [f"{path}: {old!r} -> {new!r}"]
    return [] if old == new else [f"{path}: {old!r} -> {new!r}"]


def test_differences_finds_a_changed_figure():
    """The comparison itself: a relative change of 1e-8 in a nested figure, a key added and one
    removed are each found; 1e-12 is not."""
    old = {"a": {"x": 100.0, "y": "coal"}, "b": [1.0, 2.0], "gone": 1}
    assert differences(old, old) == []
    new = {"a": {"x": 100.0 * (1 + 1e-8), "y": "coal"}, "b": [1.0, 2.0 + 2e-12], "new": 1}
    assert differences(old, new) == ["/a/x: 100.0 -> 100.000001", "/gone removed", "/new added"]


def _run(tmp_path: Path, scenario: str, hours: int | None = None) -> Path:
    out = tmp_path / "out"
    run_scenario(ROOT / "scenarios" / scenario, out, hours=hours)
    return out


def test_demo_small_is_unchanged(tmp_path):
    """demo_small (744 h): summary.json as before to 1e-9 relative, prices.csv the same file
    (every price to 1e-9 relative, every setter the same)."""
    out = _run(tmp_path, "demo_small.yaml")
    old = json.loads((GOLDEN / "demo_small.summary.json").read_text(encoding="utf-8"))
    new = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    assert new["objective_cny"] == pytest.approx(187_280_051.0797543, rel=REL)
    assert differences(old, new) == []
    p_old = pd.read_csv(GOLDEN / "demo_small.prices.csv")
    p_new = pd.read_csv(out / "prices.csv")
    assert list(p_new.columns) == list(p_old.columns)
    pd.testing.assert_frame_equal(p_new, p_old, rtol=REL, atol=1e-9)


@pytest.mark.slow
def test_default_year_is_unchanged(tmp_path):
    """The default scenario's year: summary.json as before to 1e-9 relative (objective
    -5,760,456,557.81 CNY, curtailment 10,475,975.6 MWh, delivered 0.3420 CNY/kWh)."""
    out = _run(tmp_path, "jiayuguan_jiuquan_2025.yaml")
    old = json.loads((GOLDEN / "jiayuguan_jiuquan_2025.summary.json").read_text(encoding="utf-8"))
    new = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    assert new["objective_cny"] == pytest.approx(-5_760_456_557.808032, rel=REL)
    assert differences(old, new) == []
