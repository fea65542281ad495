"""Industrial and city load profiles (gridopt.data.loads): energy and shape, worked by hand."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from gridopt.data import loads
from gridopt.data.generators import GENERATORS, GeneratorContext
from gridopt.errors import InputError

TZ = "Asia/Shanghai"


def hours(start: str, n: int) -> pd.DatetimeIndex:
    return pd.date_range(pd.Timestamp(start).tz_localize(TZ), periods=n, freq="h")


YEAR_2025 = hours("2025-01-01", 8760)  # starts on a Wednesday; 52 Sundays
YEAR_2024 = hours("2024-01-01", 8784)  # leap year


# --- aluminium smelter ---------------------------------------------------------------------


def test_mean_power_of_jiayuguan_aluminium():
    """1.35e6 t/yr * 13,500 kWh/t = 18.225e9 kWh = 18,225,000 MWh; / 8760 h = 2,080.479 MW."""
    assert loads.mean_power_mw(1.35e6, 13_500) == pytest.approx(2080.4794520547945, rel=1e-12)


def test_smelter_flat_without_noise():
    """noise_pu = 0: every hour is exactly 2,080.479 MW; availability 0.9 gives 1,872.432 MW."""
    p = loads.aluminium_smelter(YEAR_2025, 1.35e6, noise_pu=0)
    assert p.name == "p_mw" and p.attrs["units"] == "MW"
    np.testing.assert_allclose(p.to_numpy(), 2080.4794520547945, rtol=1e-12)
    p90 = loads.aluminium_smelter(YEAR_2025, 1.35e6, availability=0.9, noise_pu=0)
    np.testing.assert_allclose(p90.to_numpy(), 1872.431506849315, rtol=1e-12)


def test_smelter_energy_with_noise():
    """Noise of +-1 % adds no energy: 2025 sums to 18,225,000 MWh; leap 2024 to
    2,080.479 MW * 8,784 h = 18,274,931.5 MWh (one more day of production)."""
    p = loads.aluminium_smelter(YEAR_2025, 1.35e6, kwh_per_t=13_500)
    assert p.sum() == pytest.approx(18_225_000.0, rel=1e-12)
    assert p.min() >= 2080.479 * 0.985 and p.max() <= 2080.479 * 1.015
    assert p.std() > 5  # it does vary: uniform +-1 % has std 2080 * 0.01 / sqrt(3) = 12 MW
    p24 = loads.aluminium_smelter(YEAR_2024, 1.35e6)
    assert p24.sum() == pytest.approx(2080.4794520547945 * 8784, rel=1e-12)


def test_smelter_deterministic_and_independent_of_horizon():
    """Same seed -> same values; a week cut from the year equals the week computed alone."""
    year = loads.aluminium_smelter(YEAR_2025, 1.35e6, seed=3)
    again = loads.aluminium_smelter(YEAR_2025, 1.35e6, seed=3)
    other = loads.aluminium_smelter(YEAR_2025, 1.35e6, seed=4)
    pd.testing.assert_series_equal(year, again)
    assert not np.allclose(year, other)
    week = hours("2025-07-07", 168)
    np.testing.assert_allclose(
        loads.aluminium_smelter(week, 1.35e6, seed=3).to_numpy(), year[week].to_numpy(), rtol=1e-12
    )


def test_smelter_rejects_bad_parameters():
    with pytest.raises(ValueError, match="availability"):
        loads.aluminium_smelter(YEAR_2025, 1.35e6, availability=1.2)
    with pytest.raises(ValueError, match="capacity_t_per_yr"):
        loads.aluminium_smelter(YEAR_2025, 0)


# --- steel works ---------------------------------------------------------------------------


def test_steel_energy_and_weekly_pattern():
    """7e6 t/yr * 500 kWh/t = 3.5e6 MWh/yr, P_mean = 3.5e6 / 8760 = 399.543 MW.

    Mill factor m: 1 from 08 to 20, 0.5 at night, times 0.3 on Sundays. A day's mean is
    (12 + 6) / 24 = 0.75; 2025 has 313 other days and 52 Sundays, so
    mean(m) = 0.75 * (313 + 52 * 0.3) / 365 = 0.675205. P = P_mean * (0.7 + 0.3 m / 0.675205):
    weekday 10:00 1.144309 * 399.543 = 457.20 MW; weekday 02:00 0.922155 -> 368.44 MW;
    Sunday 10:00 0.833293 -> 332.94 MW; Sunday 02:00 0.766646 -> 306.31 MW.
    """
    p = loads.steel_works(YEAR_2025, 7e6)
    assert p.sum() == pytest.approx(3.5e6, rel=1e-12)
    p_mean = 3.5e6 / 8760
    m_mean = 0.75 * (313 + 52 * 0.3) / 365
    expected = {
        "2025-01-06 10:00": 0.7 + 0.3 * 1.0 / m_mean,  # Monday, day shift
        "2025-01-06 02:00": 0.7 + 0.3 * 0.5 / m_mean,  # Monday, night
        "2025-01-05 10:00": 0.7 + 0.3 * 0.3 / m_mean,  # Sunday, day
        "2025-01-05 02:00": 0.7 + 0.3 * 0.15 / m_mean,  # Sunday, night
    }
    for when, factor in expected.items():
        assert p[pd.Timestamp(when, tz=TZ)] == pytest.approx(p_mean * factor, rel=1e-9), when
    assert p.max() == pytest.approx(457.2013, rel=1e-5)
    assert p.min() == pytest.approx(306.3083, rel=1e-5)
    # the pattern repeats weekly: two Mondays a week apart are equal
    a, b = (p[pd.Timestamp(d, tz=TZ)] for d in ("2025-03-03 15:00", "2025-03-10 15:00"))
    assert a == pytest.approx(b, rel=1e-12)


def test_steel_without_mills_is_flat():
    p = loads.steel_works(hours("2025-05-01", 72), 7e6, kwh_per_t=450, mill_share=0)
    np.testing.assert_allclose(p.to_numpy(), 7e6 * 450 / 1000 / 8760, rtol=1e-12)


# --- graphitisation ------------------------------------------------------------------------


def test_graphitisation_single_furnace_batches():
    """One furnace, 8,760 t/yr at 10,000 kWh/t, 100 h cycle, 10 h heating at flat power.

    E_yr = 87,600 MWh; a cycle is 100/8760 of a year, so E_batch = 1,000 MWh = 10 t of product;
    power 1,000 MWh / 10 h = 100 MW for 10 h, then 0 for 90 h. Cycles count from
    2000-01-01 00:00 local; 2025-01-01 00:00 is 25 * 365 + 7 leap days = 9,132 days =
    219,168 h later, 219,168 mod 100 = 68, so the next heating starts 32 h into 2025
    (2025-01-02 08:00) and the one after at hour 132.
    """
    idx = hours("2025-01-01", 300)
    p = loads.graphitisation(
        idx, 8760, kwh_per_t=10_000, n_furnaces=1, cycle_h=100, heating_h=10, ramp_h=0
    )
    on = p.to_numpy() > 0
    assert set(np.round(p.to_numpy(), 9)) == {0.0, 100.0}
    assert np.flatnonzero(on)[:11].tolist() == list(range(32, 42)) + [132]
    assert p.iloc[0:100].sum() == pytest.approx(1000.0, rel=1e-12)  # one batch per 100 h
    assert p.iloc[32:42].sum() == pytest.approx(1000.0, rel=1e-12)


def test_graphitisation_power_ramp():
    """Heating 4 h, ramp 4 h from start_pu 0.2 (taken at mid-hour):
    f = 0.2 + 0.8 * (j + 0.5) / 4 = 0.3, 0.5, 0.7, 0.9 (sum 2.4).
    8,760 t/yr * 1,000 kWh/t with a 10 h cycle: E_batch = 8,760 * 10 / 8,760 = 10 MWh,
    full power 10 / 2.4 = 4.1667 MW, so 1.25, 2.0833, 2.9167, 3.75 MW, peak 3.75 MW.
    """
    idx = pd.date_range("2000-01-01", periods=20, freq="h")  # naive: local clock, from the epoch
    p = loads.graphitisation(
        idx, 8760, kwh_per_t=1000, n_furnaces=1, cycle_h=10, heating_h=4, ramp_h=4, start_pu=0.2
    )
    np.testing.assert_allclose(p.iloc[:10], [1.25, 25 / 12, 35 / 12, 3.75, 0, 0, 0, 0, 0, 0])
    np.testing.assert_allclose(p.iloc[10:], p.iloc[:10])
    assert p.max() == pytest.approx(3.75)


def test_graphitisation_staggered_furnaces_do_not_overlap():
    """Two furnaces, 100 h cycle, 10 h heating: furnace 1 starts round(1 * 100 / 2) = 50 h
    after furnace 0, so there are two 10 h pulses per 100 h, each of
    E_batch = 87,600 MWh * 100 / 8760 / 2 = 500 MWh at 50 MW."""
    idx = pd.date_range("2000-01-01", periods=100, freq="h")
    p = loads.graphitisation(
        idx, 8760, kwh_per_t=10_000, n_furnaces=2, cycle_h=100, heating_h=10, ramp_h=0
    )
    assert np.flatnonzero(p.to_numpy()).tolist() == list(range(10)) + list(range(50, 60))
    np.testing.assert_allclose(p.to_numpy()[p.to_numpy() > 0], 50.0)


def test_graphitisation_sunstone_defaults():
    """200 kt/yr at 13,000 kWh/t = 2.6e6 MWh/yr = 296.80 MW on average. The default cycle
    (438 h) divides 8,760 h into 20 cycles, so every 8,760 consecutive hours hold exactly
    2.6e6 MWh. Per furnace: E_batch = 2.6e6 * 438 / 8760 / 24 = 5,416.67 MWh; the ramp hours
    average 0.3 + 0.7 / 2 = 0.65, so sum f = 48 * 0.65 + 24 = 55.2 and full power is
    5,416.67 / 55.2 = 98.13 MW. On average 24 * 72 / 438 = 3.95 furnaces are on, so the total
    stays well below 5 furnaces at full power (490.6 MW) and never drops to zero."""
    p = loads.graphitisation(YEAR_2025, 200_000)
    assert p.sum() == pytest.approx(2.6e6, rel=1e-12)
    shifted = loads.graphitisation(hours("2025-03-17 05:00", 8760), 200_000)
    assert shifted.sum() == pytest.approx(2.6e6, rel=1e-12)
    assert 0.0 < p.min() < 296.8 < p.max() < 5 * 98.13
    one = loads.graphitisation(YEAR_2025, 200_000 / 24, n_furnaces=1)  # one furnace's share
    assert one.max() == pytest.approx(5416.6667 / 55.2, rel=1e-6)


def test_graphitisation_rejects_heating_longer_than_cycle():
    with pytest.raises(ValueError, match="heating_h"):
        loads.graphitisation(YEAR_2025, 1e5, cycle_h=48, heating_h=72)


# --- city ----------------------------------------------------------------------------------


def test_city_energy_and_peak_modes():
    """annual_energy_mwh = 1e6: 2025 sums to 1e6 MWh exactly (mean 114.155 MW);
    peak_mw = 500: the highest hour of 2025 is exactly 500 MW."""
    e = loads.city_load(YEAR_2025, annual_energy_mwh=1e6)
    assert e.sum() == pytest.approx(1e6, rel=1e-12)
    pk = loads.city_load(YEAR_2025, peak_mw=500)
    assert pk.max() == pytest.approx(500.0, rel=1e-12)
    # same shape, two scalings
    np.testing.assert_allclose(pk / pk.max(), e / e.max(), rtol=1e-12)
    # the peak falls at 20:00 on a January weekday (winter, evening lighting)
    t = pk.idxmax()
    assert (t.month, t.hour) == (1, 20) and t.weekday() < 5


def test_city_daily_peaks():
    """Every day: maximum at 20:00, minimum at 03:00 or 04:00, a morning peak at 09:00 or
    10:00 higher than the 13:00 lunch dip (default shape 1.07 vs 0.93)."""
    p = loads.city_load(YEAR_2025, annual_energy_mwh=1e6)
    by_day = p.groupby(p.index.date)
    assert set(by_day.idxmax().map(lambda t: t.hour)) == {20}
    assert set(by_day.idxmin().map(lambda t: t.hour)) <= {3, 4}
    morning = p[(p.index.hour >= 6) & (p.index.hour <= 12)]
    assert set(morning.groupby(morning.index.date).idxmax().map(lambda t: t.hour)) <= {9, 10}
    at = p.groupby(p.index.hour).mean()
    assert at[9] > at[13] * 1.1


def test_city_seasons_and_weekends():
    """Season factor 1 + 0.10 cos(theta) + 0.05 cos(2 theta), theta = 2 pi (doy - 15) / 365:
    mid-January 1.15, mid-July about 1 - 0.10 + 0.05 = 0.95, mid-May and mid-September
    lower (about 0.93). Saturday 20:00 / Friday 20:00 = 0.95 * season ratio (one day apart)."""
    p = loads.city_load(YEAR_2025, annual_energy_mwh=1e6)
    month = p.groupby(p.index.month).mean()
    assert month[1] > month[7] > month[5] and month[7] > month[9]
    assert month[1] / month[5] == pytest.approx(1.24, abs=0.01)

    def season(doy: float) -> float:
        theta = 2 * np.pi * (doy - 15) / 365
        return 1 + 0.10 * np.cos(theta) + 0.05 * np.cos(2 * theta)

    fri, sat = (pd.Timestamp(d, tz=TZ) for d in ("2025-03-07 20:00", "2025-03-08 20:00"))
    doy_fri = 66 + 20 / 24  # 7 March is day 66
    assert p[sat] / p[fri] == pytest.approx(0.95 * season(doy_fri + 1) / season(doy_fri), rel=1e-12)


def test_city_needs_exactly_one_size():
    with pytest.raises(ValueError, match="exactly one"):
        loads.city_load(YEAR_2025)
    with pytest.raises(ValueError, match="exactly one"):
        loads.city_load(YEAR_2025, annual_energy_mwh=1e6, peak_mw=100)


# --- generators ----------------------------------------------------------------------------


def ctx(index: pd.DatetimeIndex = YEAR_2025) -> GeneratorContext:
    return GeneratorContext(hours=index, where="scenario.yaml: loads.x.p_mw")


@pytest.mark.parametrize(
    "name, params, func, kwargs",
    [
        (
            "aluminium_smelter",
            {"capacity_t_per_yr": 1350000, "kwh_per_t": 13500},
            loads.aluminium_smelter,
            {"capacity_t_per_yr": 1350000, "kwh_per_t": 13500},
        ),
        (
            "steel_works",
            {"crude_steel_t_per_yr": 7e6, "mill_day_hours": [6, 22]},
            loads.steel_works,
            {"crude_steel_t_per_yr": 7e6, "mill_day_hours": (6, 22)},
        ),
        (
            "graphitisation",
            {"output_t_per_yr": 200000, "n_furnaces": 12},
            loads.graphitisation,
            {"output_t_per_yr": 200000, "n_furnaces": 12},
        ),
        ("city_load", {"peak_mw": 400}, loads.city_load, {"peak_mw": 400}),
    ],
)
def test_generators_match_functions(name, params, func, kwargs):
    out = GENERATORS[name](ctx(), params)
    assert isinstance(out, np.ndarray) and out.shape == (8760,)
    np.testing.assert_allclose(out, func(YEAR_2025, **kwargs).to_numpy(), rtol=1e-12)


def test_generator_errors_name_the_field():
    with pytest.raises(InputError) as err:
        GENERATORS["aluminium_smelter"](ctx(), {"capacity_t_per_yr": -1, "kwh_per_tonne": 1})
    where = {p.where for p in err.value.problems}
    assert where == {
        "scenario.yaml: loads.x.p_mw.capacity_t_per_yr",
        "scenario.yaml: loads.x.p_mw.kwh_per_tonne",
    }
    with pytest.raises(InputError, match="heating_h") as err:
        GENERATORS["graphitisation"](ctx(), {"output_t_per_yr": 1e5, "cycle_h": 48})
    assert err.value.problems[0].where == "scenario.yaml: loads.x.p_mw"
    with pytest.raises(InputError, match="exactly one"):
        GENERATORS["city_load"](ctx(), {"annual_energy_mwh": 1e6, "peak_mw": 300})
