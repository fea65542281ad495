"""The dispatch stack's colours: one colour per asset, told apart, the technology recognisable.

Distance: CIE76 ΔE*ab (:func:`gridopt.report.charts.delta_e`). By hand: '#4d4d4d' (coal) is
77/255 = 0.30196 in each channel, linear ((0.30196 + 0.055) / 1.055) ** 2.4 = 0.07418 = Y,
L* = 116 Y ** (1/3) - 16 = 32.73, a* = b* = 0; so its ΔE to white (L* 100) is 67.27 and to
black 32.73.
"""

from __future__ import annotations

import itertools
import math

import pytest

from gridopt.io import write_netcdf
from gridopt.report import make_report
from gridopt.report.charts import MIN_DELTA_E, TECH_COLOURS, asset_palette, delta_e, hex_to_lab
from tests.test_prices import synthetic_results
from tests.test_report import plotly_figures


def test_delta_e_by_hand():
    assert delta_e("#4d4d4d", "#ffffff") == pytest.approx(67.27, abs=0.02)
    assert delta_e("#4d4d4d", "#000000") == pytest.approx(32.73, abs=0.02)
    assert delta_e("#ffffff", "#000000") == pytest.approx(100.0, abs=0.01)


def _hue_deg(c: str) -> float:
    _, a, b = hex_to_lab(c)
    return math.degrees(math.atan2(b, a))


def _check(colours: dict[str, str], techs: dict[str, str]) -> None:
    """Each asset's colour is at least MIN_DELTA_E from every other's and from the white page
    and the black load line; a chromatic technology's assets stay within 25 degrees of its
    hue."""
    gaps = {
        (x, y): delta_e(colours[x], colours[y]) for x, y in itertools.combinations(list(colours), 2)
    }
    worst = min(gaps, key=gaps.get)
    assert gaps[worst] >= MIN_DELTA_E, (worst, colours[worst[0]], colours[worst[1]], gaps[worst])
    for name, c in colours.items():
        assert delta_e(c, "#ffffff") >= MIN_DELTA_E and delta_e(c, "#000000") >= MIN_DELTA_E, name
        base = TECH_COLOURS[techs[name]]
        _, a, b = hex_to_lab(base)
        if math.hypot(a, b) >= 12:
            dh = (_hue_deg(c) - _hue_deg(base) + 180) % 360 - 180
            assert abs(dh) <= 25, (name, c, base, dh)


def test_the_2025_scenario_assets_are_told_apart():
    """The bundled 2025 scenario draws 4 coal units, 3 wind and 3 solar farms, 2 batteries, a
    pumped-hydro store, the tie's import and export and the two slacks: pairwise ΔE >= 15 (the
    former lightness shades of one colour put the two batteries 10.8 apart and neighbouring
    coal units 13.1-14.5 apart)."""
    assets = (
        [("coal", f"coal{i}") for i in range(4)]
        + [("wind", f"wind{i}") for i in range(3)]
        + [("solar", f"pv{i}") for i in range(3)]
        + [("battery", "bat0"), ("battery", "bat1"), ("pumped_hydro", "ph")]
        + [("import", "tie"), ("export", "tie"), ("unserved", ""), ("excess", "")]
    )
    pal = asset_palette(assets)
    assert pal[("coal", "coal0")] == TECH_COLOURS["coal"]  # the first keeps its technology's
    _check({f"{t}:{n}": c for (t, n), c in pal.items()}, {f"{t}:{n}": t for t, n in assets})


def _many(r, dim: str, n: int):
    """``r`` with its one asset of ``dim`` split into n equal assets '<name>_0' .. (each with
    1/n of its hourly values, so the stack still adds up to the load)."""
    out = r.isel({dim: [0] * n})
    out = out.assign_coords({dim: [f"{r[dim].values[0]}_{i}" for i in range(n)]})
    for v in out.data_vars:
        if dim in out[v].dims and "time" in out[v].dims and out[v].dtype.kind == "f":
            out[v] = out[v] / n
    return out


def test_dispatch_stack_in_the_page_gives_each_asset_its_own_colour(tmp_path):
    """The synthetic results with 4 coal units, 3 wind farms and 2 batteries: in the page's
    embedded JSON the dispatch chart's fill colours of different assets are pairwise at least
    ΔE 15 apart (and from white and black); the only traces that share a colour are one
    battery's discharging (above zero, solid) and charging (below zero, hatched)."""
    r = synthetic_results()
    for dim, n in (("thermal", 4), ("renewable", 3), ("storage", 2)):
        r = _many(r, dim, n)
    write_netcdf(tmp_path / "results.nc", r)
    make_report(tmp_path, tmp_path, lang="en", formats="html")
    data, _ = plotly_figures((tmp_path / "report.html").read_text(encoding="utf-8"))["fig-dispatch"]
    stack = [t for t in data if t.get("stackgroup")]
    assert len(stack) == 4 + 3 + 2 * 2 + 2  # units, farms, batteries both sides, tie both sides
    tech_of = {"coal": "coal", "wind": "wind", "bat": "battery", "grid": None}
    colours: dict[str, str] = {}
    techs: dict[str, str] = {}
    for t in stack:
        name, side = t["name"].split(" ", 1)
        asset = name if name != "grid" else f"grid {side}"  # the tie: import and export
        assert t["line"]["color"] == t["fillcolor"]
        if asset in colours:  # the same battery's other side: same colour, hatched
            assert t["fillcolor"] == colours[asset] and t["stackgroup"] == "neg"
            assert t["fillpattern"]["shape"] == "/"
            continue
        colours[asset] = t["fillcolor"]
        techs[asset] = tech_of[name.split("_")[0]] or side
    assert len(colours) == 4 + 3 + 2 + 2
    _check(colours, techs)
    assert len(set(colours.values())) == len(colours)
