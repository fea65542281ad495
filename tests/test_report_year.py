"""Readable charts of a long horizon (gridopt.report.year_figures): daily bands, typical days per
season, one bus shown by default, hours on zoom, a colour per asset. A synthetic 8760-h
results Dataset (no solve) and small frames worked by hand."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from gridopt.io import write_netcdf
from gridopt.report import make_report
from gridopt.report.charts import asset_colour
from gridopt.report.year_figures import daily_bands, default_bus, is_long, typical_days
from tests.test_prices import synthetic_results
from tests.test_report import plotly_figures


def year_results():
    """8760 h from 2025-03-20 with two batteries; bus a's price has a yearly and a daily wave,
    so the daily band is wide and moves with the season."""
    r = synthetic_results(hours=8760)
    t = np.arange(8760)
    p = r["price_cny_per_mwh"].values.copy()
    p[:, 0] += 60 * np.sin(2 * np.pi * t / 8760) + 20 * np.sin(2 * np.pi * t / 24)
    r["price_cny_per_mwh"].values[:] = p
    r = r.isel(storage=[0, 0]).assign_coords(storage=["bat_north", "bat_south"])
    return r


def _values(y) -> np.ndarray:
    """A trace's values, written as a list or as plotly's base64 typed array."""
    if isinstance(y, dict):
        import base64

        return np.frombuffer(base64.b64decode(y["bdata"]), dtype=np.dtype(y["dtype"]))
    return np.asarray(y)


def test_daily_bands_by_hand():
    """Day 1: 10, 20, 30 -> min 10, mean 20, max 30; day 2 (one hour): 5 -> 5, 5, 5."""
    idx = pd.DatetimeIndex(
        ["2025-01-01 00:00", "2025-01-01 01:00", "2025-01-01 23:00", "2025-01-02 00:00"]
    )
    df = pd.DataFrame({"a": [10.0, 20.0, 30.0, 5.0]}, index=idx)
    days, lo, mean, hi = daily_bands(df)
    assert list(days.strftime("%Y-%m-%d")) == ["2025-01-01", "2025-01-02"]
    assert lo["a"].tolist() == [10.0, 5.0]
    assert mean["a"].tolist() == [20.0, 5.0]
    assert hi["a"].tolist() == [30.0, 5.0]


def test_typical_days_by_hand():
    """Hour 0 in December (100) and February (200): winter 150; hour 0 in July: summer 50;
    hour 1 in January: winter 70. No spring or autumn hours: those seasons are left out."""
    idx = pd.DatetimeIndex(
        ["2024-12-31 00:00", "2025-02-01 00:00", "2025-07-01 00:00", "2025-01-05 01:00"]
    )
    t = typical_days(pd.DataFrame({"a": [100.0, 200.0, 50.0, 70.0]}, index=idx))["a"]
    assert list(t.columns) == ["DJF", "JJA"]
    assert t.loc[0, "DJF"] == 150.0 and t.loc[0, "JJA"] == 50.0 and t.loc[1, "DJF"] == 70.0
    assert np.isnan(t.loc[1, "JJA"]) and len(t) == 24


def test_default_bus_has_the_most_load():
    r = synthetic_results()  # bus a: 80 MW of load; bus b: 20 + 10 MW
    assert default_bus(r) == 0
    r["load_served_mw"] = r["load_served_mw"] * 0.1  # a: 8 MW
    assert default_bus(r) == 1


def test_short_horizons_stay_hourly():
    assert not is_long(pd.date_range("2025-01-01", periods=336, freq="h"))
    assert is_long(pd.date_range("2025-01-01", periods=337, freq="h"))


@pytest.fixture(scope="module")
def year_report(tmp_path_factory):
    d = tmp_path_factory.mktemp("year")
    write_netcdf(d / "results.nc", year_results())
    make_report(d, lang="en", formats="html,png")
    return d


def test_year_price_chart_is_a_daily_band_of_one_bus(year_report):
    """365 daily points (2025-03-20 to 2026-03-19), bus a (most load) shown, bus b a legend
    click away, the hourly prices hidden until a zoom."""
    page = (year_report / "report.html").read_text(encoding="utf-8")
    data, layout = plotly_figures(page)["fig-price-hourly"]
    assert layout["meta"]["hourly_zoom_days"] == 14
    roles = [(t["meta"]["group"], t["meta"]["role"], t.get("visible", True)) for t in data]
    assert roles == [
        ("g0", "low", True),
        ("g0", "band", True),
        ("g0", "mean", True),
        ("g0", "hourly", "legendonly"),
        ("g1", "low", "legendonly"),
        ("g1", "band", "legendonly"),
        ("g1", "mean", "legendonly"),
        ("g1", "hourly", "legendonly"),
    ]
    assert data[2]["name"] == "a daily mean" and data[1]["fill"] == "tonexty"
    assert "a shown (the bus with the most load)" in layout["title"]["text"]
    assert len(_values(data[2]["y"])) == 365 and len(_values(data[3]["y"])) == 8760
    assert data[2]["x0"] == "2025-03-20 12:00" and data[2]["dx"] == 86_400_000
    assert "Plotly.restyle(gd, {visible: vis}, idx)" in page  # the zoom script


def test_typical_days_and_storage_colours(year_report):
    page = (year_report / "report.html").read_text(encoding="utf-8")
    figs = plotly_figures(page)
    data, _ = figs["fig-price-seasons"]
    shown = [t["name"] for t in data if t.get("visible", True) is True]
    assert shown == ["Winter (Dec–Feb)", "Spring (Mar–May)", "Summer (Jun–Aug)", "Autumn (Sep–Nov)"]
    assert len(data) == 8  # four seasons x two buses, one bus at a time
    storage, _ = figs["fig-storage"]
    means = [t for t in storage if t["meta"]["role"] == "mean"]
    assert [t["line"]["color"] for t in means] == [asset_colour(0), asset_colour(1)]
    assert asset_colour(0) != asset_colour(1)
    assert (year_report / "figures" / "price_seasons.png").is_file()


def test_week_keeps_the_hourly_charts(tmp_path):
    """48 h: one hourly trace per bus, no typical days, no zoom script."""
    write_netcdf(tmp_path / "results.nc", synthetic_results())
    make_report(tmp_path, lang="en", formats="html")
    page = (tmp_path / "report.html").read_text(encoding="utf-8")
    data, layout = plotly_figures(page)["fig-price-hourly"]
    assert [t["name"] for t in data] == ["a", "b"] and "meta" not in layout
    assert 'id="fig-price-seasons"' not in page
    assert "Plotly.restyle(gd, {visible: vis}, idx)" not in page


def test_asset_colours_are_distinct():
    assert len({asset_colour(i) for i in range(20)}) == 20
