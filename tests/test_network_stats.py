"""The network's statistics (gridopt.statistics: lines and ties) on a 2-bus, 4-hour results
Dataset worked by hand, and the report's network section (tables, network.csv, workbook
sheets, charts) built from it.

Line ab (bus0 a, bus1 b, lossless), limits 100 MW a->b and 50 MW b->a:

    hour        0      1      2      3
    flow F    100    -50     40    -20        MW, a -> b positive
    p_a       100    300    200    220        CNY/MWh
    p_b       150    250    200    200
    loading   1.0    1.0    0.4    0.4        |F| / (100 if F >= 0 else 50)
    rent     5000   2500      0    400        (p_b - p_a) F = |p_b - p_a| |F| here

mean loading 0.7, maximum 1.0, hours at the limit 2 (1 forward, 1 reverse), energy 140 MWh
a->b and 70 MWh b->a, congestion rent 7,900 CNY; loading duration curve 1.0, 1.0, 0.4, 0.4.

Tie grid at bus b, import limit 30 MW, export limit 60 MW, import price 300, export price
150 CNY/MWh:

    import   29.99999   0    10     0     (the first within 1e-6 of the limit: at it)
    export          0  60     0     0
    loading         1   1   1/3     0

mean loading (1 + 1 + 1/3) / 4 = 0.583333, hours at the limit 2 (1 import, 1 export), import
cost 39.99999 x 300 = 11,999.997 CNY, export revenue 60 x 150 = 9,000 CNY.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
import xarray as xr

from gridopt import statistics as S
from gridopt.io import write_netcdf
from gridopt.report import make_report
from gridopt.report.network import crossings, spring_layout
from tests.test_prices import synthetic_results


def tiny() -> xr.Dataset:
    r = synthetic_results(hours=4)
    T = ("time",)
    r["price_cny_per_mwh"] = xr.DataArray(
        np.array([[100.0, 150.0], [300.0, 250.0], [200.0, 200.0], [220.0, 200.0]]),
        dims=("time", "bus"),
        attrs={"units": "CNY/MWh"},
    )
    r["line_flow_mw"] = xr.DataArray(
        np.array([[100.0], [-50.0], [40.0], [-20.0]]), dims=T + ("line",), attrs={"units": "MW"}
    )
    r["line_p_max_mw"] = xr.DataArray([100.0], dims=("line",), attrs={"units": "MW"})
    r["line_p_max_reverse_mw"] = xr.DataArray([50.0], dims=("line",), attrs={"units": "MW"})
    r["tie_import_max_mw"] = xr.DataArray([30.0], dims=("tie",), attrs={"units": "MW"})
    r["tie_export_max_mw"] = xr.DataArray([60.0], dims=("tie",), attrs={"units": "MW"})
    r["tie_import_mw"] = xr.DataArray(
        np.array([[30.0 - 1e-5], [0.0], [10.0], [0.0]]), dims=T + ("tie",), attrs={"units": "MW"}
    )
    r["tie_export_mw"] = xr.DataArray(
        np.array([[0.0], [60.0], [0.0], [0.0]]), dims=T + ("tie",), attrs={"units": "MW"}
    )
    return r


def test_line_by_hand():
    b = S.branch_statistics(tiny())
    assert list(b.index) == ["ab"]
    row = b.loc["ab"]
    assert (row["bus0"], row["bus1"]) == ("a", "b")
    assert (row["limit_forward_mw"], row["limit_reverse_mw"]) == (100.0, 50.0)
    assert row["mean_loading"] == pytest.approx(0.7)
    assert row["max_loading"] == pytest.approx(1.0)
    assert row["hours_at_limit"] == 2
    assert (row["hours_at_limit_forward"], row["hours_at_limit_reverse"]) == (1, 1)
    assert row["energy_forward_mwh"] == pytest.approx(140.0)
    assert row["energy_reverse_mwh"] == pytest.approx(70.0)
    assert row["congestion_rent_cny"] == pytest.approx(7900.0)


def test_tie_by_hand():
    t = S.tie_statistics(tiny())
    row = t.loc["grid"]
    assert row["bus"] == "b"
    assert (row["import_limit_mw"], row["export_limit_mw"]) == (30.0, 60.0)
    assert row["mean_loading"] == pytest.approx((1 + 1 + 1 / 3) / 4, rel=1e-6)
    assert row["hours_at_limit"] == 2
    assert (row["hours_at_limit_import"], row["hours_at_limit_export"]) == (1, 1)
    assert row["import_mwh"] == pytest.approx(39.99999)
    assert row["export_mwh"] == pytest.approx(60.0)
    assert row["import_cost_cny"] == pytest.approx(11999.997)
    assert row["export_revenue_cny"] == pytest.approx(9000.0)


def test_loading_duration_curves_by_hand():
    c = S.loading_curves(tiny())
    assert list(c) == ["ab", "grid"]
    np.testing.assert_allclose(c["ab"], [1.0, 1.0, 0.4, 0.4])
    np.testing.assert_allclose(c["grid"], [1.0, 1.0, 1 / 3, 0.0], rtol=1e-6)


def test_a_flow_just_under_the_tolerance_is_not_at_the_limit():
    """100 (1 - 2e-6) MW is more than 1e-6 relative below 100 MW: not at the limit."""
    r = tiny()
    r["line_flow_mw"][0, 0] = 100.0 * (1 - 2e-6)
    assert S.branch_statistics(r).loc["ab", "hours_at_limit_forward"] == 0
    r["line_flow_mw"][0, 0] = 100.0 * (1 - 5e-7)
    assert S.branch_statistics(r).loc["ab", "hours_at_limit_forward"] == 1


def test_planned_capacity_raises_the_limit():
    """A plan's new capacity (``line_p_max_new_mw``) adds to both limits: 100 + 100 MW a->b
    and 50 + 100 MW b->a, so the loadings are 0.5, 1/3, 0.2, 2/15."""
    r = tiny()
    r["line_p_max_new_mw"] = xr.DataArray([100.0], dims=("line",), attrs={"units": "MW"})
    row = S.branch_statistics(r).loc["ab"]
    assert (row["limit_forward_mw"], row["limit_reverse_mw"]) == (200.0, 150.0)
    assert row["mean_loading"] == pytest.approx((0.5 + 1 / 3 + 0.2 + 20 / 150) / 4)
    assert row["hours_at_limit"] == 0


def test_network_table_and_report_files(tmp_path):
    """network.csv (written by every report) holds one row per line and tie with the figures
    above; the workbook has a sheet of each; the page and the PNGs have the diagram and the
    duration curve."""
    r = tiny()
    write_netcdf(tmp_path / "results.nc", r)
    make_report(tmp_path, lang="en", formats="html,xlsx,png")
    from PIL import Image

    for name in ("network_diagram", "network_loading"):
        with Image.open(tmp_path / "figures" / f"{name}.png") as im:
            assert im.size == (1920, 1080)
    csv = pd.read_csv(tmp_path / "network.csv")
    assert list(csv["level"]) == ["branch", "tie"]
    assert csv.loc[0, "congestion_rent_cny"] == pytest.approx(7900.0)
    assert csv.loc[1, "export_revenue_cny"] == pytest.approx(9000.0)
    assert csv.loc[0, "hours_at_limit"] == 2 and csv.loc[1, "hours_at_limit_export"] == 1
    book = pd.read_excel(tmp_path / "report.xlsx", sheet_name=None)
    lines, ties = book["Network lines"], book["Network ties"]
    assert lines.iloc[0]["Mean loading [%]"] == pytest.approx(70.0)
    assert lines.iloc[0]["Congestion rent [CNY]"] == pytest.approx(7900.0)
    assert ties.iloc[0]["Export revenue [CNY]"] == pytest.approx(9000.0)
    page = (tmp_path / "report.html").read_text(encoding="utf-8")
    for div in ("fig-network", "fig-net-duration"):
        assert f'id="{div}"' in page


def test_no_lines_no_ties_no_section(tmp_path):
    r = tiny().isel(line=slice(0, 0), tie=slice(0, 0))
    assert S.network_table(r).empty
    write_netcdf(tmp_path / "results.nc", r)
    make_report(tmp_path, lang="en", formats="html")
    page = (tmp_path / "report.html").read_text(encoding="utf-8")
    assert 'id="fig-network"' not in page


def test_spring_layout_is_deterministic_and_separates_the_nodes():
    edges = [(0, 1), (1, 2), (2, 0), (2, 3), (3, 4)]
    a, b = spring_layout(5, edges), spring_layout(5, edges)
    np.testing.assert_array_equal(a, b)
    assert np.abs(a).max() == pytest.approx(1.0)
    d = np.linalg.norm(a[:, None] - a[None, :], axis=2) + np.eye(5)
    assert d.min() > 0.2


def test_crossings_by_hand_and_a_planar_grid_drawn_without_any():
    """The diagonals of the unit square cross once, its sides never; the default scenario's
    graph (5 buses, 5 lines in a triangle and a square sharing a bus, a tie to the outside) is
    planar and drawn without a crossing."""
    square = np.array([[0.0, 0.0], [1.0, 0.0], [1.0, 1.0], [0.0, 1.0]])
    assert crossings(square, [(0, 2), (1, 3)]) == 1
    assert crossings(square, [(0, 1), (1, 2), (2, 3), (3, 0)]) == 0
    edges = [(0, 1), (2, 1), (3, 0), (3, 1), (1, 4), (4, 5)]
    assert crossings(spring_layout(6, edges), edges) == 0
